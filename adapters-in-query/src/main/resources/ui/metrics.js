// Metrics page: pick a metric, filter its series by labels, group by a label, choose the
// aggregation, and see it over time as lines; exemplar dots open the trace they were recorded in.
import {
  api, el, message, rangePicker, rangeParameters, formState, attributeParameters, rememberState,
} from './api.js';
import { lineChart, seriesColor, formatValue } from './charts.js';

/** Aggregations offered per kind; the first is what the API uses by default. */
const AGGREGATIONS = {
  gauge: ['avg', 'min', 'max', 'sum', 'count'],
  sum: ['rate', 'avg', 'min', 'max', 'sum', 'count'],
  histogram: ['p95', 'p50', 'p90', 'p99', 'rate', 'count', 'avg', 'sum'],
  exponential_histogram: ['p95', 'p50', 'p90', 'p99', 'rate', 'count', 'avg', 'sum'],
  summary: [],
};

export function renderMetrics(view, state) {
  const metric = el('select', { name: 'metric', 'aria-label': 'Metric' });
  const by = el('select', { name: 'by', 'aria-label': 'Group by' });
  const agg = el('select', { name: 'agg', 'aria-label': 'Aggregation' });
  const form = el('form', { class: 'filters', 'data-testid': 'metric-query' },
    el('label', {}, 'Metric ', metric),
    el('label', {}, 'Labels ', el('input', { name: 'attr', value: state.attr || '', placeholder: 'key=value; …', 'aria-label': 'Label filters' })),
    el('label', {}, 'Group by ', by),
    el('label', {}, 'Aggregation ', agg),
    el('label', {}, 'Step ', el('input', { name: 'step', value: state.step || '', placeholder: 'auto', size: 6, 'aria-label': 'Step' })),
    rangePicker(state),
    el('button', { type: 'submit' }, 'Show'));
  const about = el('p', { class: 'muted metric-about' });
  const chart = el('div', { class: 'chart-box' });
  const legend = el('div', { class: 'results' });
  view.append(el('h1', {}, 'Metrics'), form, about, chart, legend);

  let catalog = [];
  const chosen = () => catalog.find((m) => `${m.name}|${m.kind}` === metric.value);

  /** Group-by and aggregation choices follow the chosen metric's label keys and kind. */
  function fitChoices(preferred) {
    const m = chosen();
    const keys = m ? [...m.labelKeys, 'service.name'] : [];
    by.replaceChildren(el('option', { value: '' }, '(none)'),
      ...[...new Set(keys)].map((k) => el('option', { value: k, selected: preferred.by === k }, k)));
    const aggs = m ? AGGREGATIONS[m.kind] || [] : [];
    agg.replaceChildren(...aggs.map((a) => el('option', { value: a, selected: preferred.agg === a }, a)));
    about.textContent = m
      ? `${m.kind.replace('_', ' ')}${m.temporality !== 'unspecified' ? `, ${m.temporality}` : ''}` +
        `${m.unit ? ` · unit ${m.unit}` : ''} · ${m.seriesCount} series${m.description ? ` · ${m.description}` : ''}`
      : '';
  }

  async function loadCatalog() {
    const s = formState(form);
    try {
      ({ metrics: catalog } = await api('/api/v1/metrics', rangeParameters(s)));
    } catch (e) {
      chart.replaceChildren(message('error', `Could not list metrics: ${e.message}`));
      return false;
    }
    if (catalog.length === 0) {
      metric.replaceChildren();
      chart.replaceChildren(message('empty', 'No metrics arrived in this time range. Point an OpenTelemetry SDK or Collector at this Glust (OTLP on ports 4317/4318), or widen the range.'));
      legend.replaceChildren();
      return false;
    }
    const wanted = state.metric;
    metric.replaceChildren(...catalog.map((m) => el('option', {
      value: `${m.name}|${m.kind}`, selected: m.name === wanted,
    }, m.kind === 'sum' || m.kind === 'gauge' ? m.name : `${m.name} (${m.kind.replace('_', ' ')})`)));
    fitChoices(state);
    return true;
  }

  async function show() {
    const s = formState(form);
    const m = chosen();
    if (!m) return;
    rememberState('metrics', { ...s, metric: m.name });
    if (m.kind === 'summary') {
      chart.replaceChildren(message('empty', `${m.name} is a summary: summaries are listed but cannot be charted yet.`));
      legend.replaceChildren();
      return;
    }
    chart.replaceChildren(message('info', 'Loading…'));
    let result;
    try {
      result = await api(`/api/v1/metrics/${encodeURIComponent(m.name)}/query`, {
        agg: s.agg, by: s.by, step: s.step, ...attributeParameters(s.attr), ...rangeParameters(s),
      });
    } catch (e) {
      chart.replaceChildren(message('error', `Could not query ${m.name}: ${e.message}`));
      legend.replaceChildren();
      return;
    }
    if (result.series.every((x) => x.points.length === 0)) {
      chart.replaceChildren(message('empty', `No points of ${m.name} match these filters in this time range.`));
      legend.replaceChildren();
      return;
    }
    const openTrace = (x) => { location.hash = `#/traces/${x.traceId}`; };
    chart.replaceChildren(lineChart(result, openTrace, chart.clientWidth));
    legend.replaceChildren(seriesTable(result));
  }

  metric.addEventListener('change', () => { fitChoices({}); show(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const keep = formState(form);
    if (await loadCatalog()) {
      fitChoices(keep);
      show();
    }
  });
  loadCatalog().then((ok) => ok && show());
}

function seriesTable(result) {
  const label = (x) => Object.entries(x.labels).map(([k, v]) => `${k}=${v === '' ? '(none)' : v}`).join(', ') || result.metric;
  return el('div', { class: 'table-scroll' }, el('table', { class: 'grid', 'data-testid': 'metric-legend' },
    el('thead', {}, el('tr', {}, ['Series', 'Stored series', 'Last', 'Min', 'Max', 'Exemplars'].map((h) => el('th', {}, h)))),
    el('tbody', {}, result.series.map((x, i) => {
      const values = x.points.map((p) => p.value);
      const last = values.length ? values[values.length - 1] : null;
      const cell = (v) => el('td', { class: 'num' }, v === null ? '—' : formatValue(v));
      return el('tr', {},
        el('td', {}, el('span', { class: 'dot-inline', style: `background:${seriesColor(i)}` }), label(x)),
        el('td', { class: 'num' }, x.seriesCount),
        cell(last),
        cell(values.length ? Math.min(...values) : null),
        cell(values.length ? Math.max(...values) : null),
        el('td', { class: 'num' }, x.exemplars.filter((e) => e.traceId).length));
    }))));
}
