// Services page: per service its request rate, error ratio and p50/p95/p99 over the time range,
// with a small chart per step; the selected service's operations in a table sortable by column.
import {
  api, el, message, query, serviceColor, formatDuration, nanosToMillis, rangePicker, rangeParameters,
  rangeState, formState, rememberState, newestDataHint,
} from './api.js';
import { sparkline, formatValue, formatRate, formatPercent } from './charts.js';

/** Sortable columns of the operations table: key, heading, whether bigger comes first by default. */
const OPERATION_COLUMNS = [
  ['name', 'Operation', false],
  ['kind', 'Kind', false],
  ['calls', 'Requests', true],
  ['ratePerSecond', 'Rate', true],
  ['errorRatio', 'Errors', true],
  ['p50Ms', 'p50', true],
  ['p95Ms', 'p95', true],
  ['p99Ms', 'p99', true],
  ['impact', 'Impact', true],
];
const DEFAULT_SORT = 'impact';

export function renderServices(view, state) {
  const form = el('form', { class: 'filters', 'data-testid': 'services-range' },
    rangePicker(state), el('button', { type: 'submit' }, 'Show'));
  const list = el('div', { class: 'results' });
  const operations = el('section', { class: 'operations', 'data-testid': 'operations' });
  view.append(el('h1', {}, 'Services'), form, list, operations);

  let selected = state.service || null;
  let sort = sortOf(state.sort, state.order);
  let shown = 0; // the newest load; an older answer arriving late is dropped
  const pageState = () => ({
    ...formState(form), service: selected || undefined,
    sort: sort.key === DEFAULT_SORT ? undefined : sort.key,
    order: sort.order === defaultOrder(sort.key) ? undefined : sort.order,
  });

  async function load() {
    const s = pageState();
    rememberState('services', s);
    const mine = ++shown;
    list.replaceChildren(message('info', 'Loading services…'));
    let answer;
    let activity;
    try {
      // log counts come from the activity endpoint: a service that only logs is listed too
      [answer, activity] = await Promise.all([
        api('/api/v1/services/performance', rangeParameters(s)),
        api('/api/v1/services/activity', rangeParameters(s)),
      ]);
    } catch (e) {
      if (mine === shown) list.replaceChildren(message('error', `Could not load services: ${e.message}`));
      return;
    }
    if (mine !== shown) return;
    answer = withLogs(answer, activity.services);
    if (answer.services.length === 0) {
      const empty = message('empty', 'No spans or logs in this time range, so there is no service to show. Widen the range, or point an OpenTelemetry SDK or Collector at this Glust (OTLP on ports 4317/4318).');
      list.replaceChildren(empty);
      const hint = await newestDataHint('services', s, 'span');
      if (hint && empty.isConnected) empty.after(hint);
    } else {
      list.replaceChildren(servicesTable(answer, s, selected, select));
    }
    if (selected) loadOperations(mine);
    else operations.replaceChildren(message('info', 'Select a service to see its operations.'));
  }

  function select(name) {
    selected = name;
    rememberState('services', pageState());
    for (const row of list.querySelectorAll('tr[data-service]')) {
      row.classList.toggle('selected', row.dataset.service === name);
    }
    loadOperations(shown);
  }

  let answered = null; // the operations shown, re-sorted without asking again
  async function loadOperations(load) {
    const s = pageState();
    const name = selected;
    operations.replaceChildren(el('h2', {}, `Operations of ${name}`), message('info', 'Loading operations…'));
    let answer;
    try {
      answer = await api(`/api/v1/services/${encodeURIComponent(name)}/operations/performance`, rangeParameters(s));
    } catch (e) {
      if (load === shown && name === selected) {
        operations.replaceChildren(el('h2', {}, `Operations of ${name}`), message('error', `Could not load the operations of ${name}: ${e.message}`));
      }
      return;
    }
    if (load !== shown || name !== selected) return;
    answered = answer;
    showOperations();
  }

  function showOperations() {
    const s = pageState();
    const a = answered;
    const heading = el('h2', {}, `Operations of ${a.service} `,
      el('a', { class: 'heading-link', href: tracesLink(s, { service: a.service }) }, 'its traces'));
    if (a.operations.length === 0) {
      operations.replaceChildren(heading, message('empty', `${a.service} has no spans in this time range.`));
      return;
    }
    const resort = (key) => {
      sort = sort.key === key ? { key, order: sort.order === 'desc' ? 'asc' : 'desc' } : { key, order: defaultOrder(key) };
      rememberState('services', pageState());
      showOperations();
    };
    const grid = stepGrid(a);
    const rows = [...a.operations].sort(compareBy(sort));
    operations.replaceChildren(heading,
      el('p', { class: 'muted' }, `${summary(a)}. Impact is latency × rate: the milliseconds per second the operation keeps ${a.service} busy.`),
      el('div', { class: 'table-scroll' }, el('table', { class: 'grid performance sortable', 'data-testid': 'operation-performance' },
        el('thead', {}, el('tr', {}, OPERATION_COLUMNS.map(([key, label, numeric]) => el('th', {
          class: numeric ? 'num' : undefined, 'aria-sort': sort.key === key ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none',
        }, el('button', { type: 'button', class: 'sort', 'data-sort': key, onclick: () => resort(key) },
          label, sort.key === key ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''))))),
        el('tbody', {}, rows.map((o) => {
          const link = tracesLink(s, { service: a.service, operation: o.name });
          return el('tr', { class: 'clickable', 'data-operation': o.name, 'data-kind': o.kind, onclick: () => { location.hash = link; } },
            el('td', {}, el('a', { href: link }, o.name)),
            el('td', {}, kindText(o.kind)),
            statCells(o, grid),
            el('td', { class: 'num', 'data-stat': 'impact', 'data-value': o.impact, title: 'latency × rate: busy milliseconds per second' },
              `${formatValue(o.impact)} ms/s`));
        })))));
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
}

/**
 * The performance answer with each service's log records and error logs (`logCount`,
 * `errorLogCount`, 0 for a service without), and a row for every service that only sent logs.
 */
function withLogs(answer, activity) {
  const logs = new Map(activity.filter((a) => a.logCount > 0).map((a) => [a.name, a]));
  const services = answer.services.map((x) => ({
    ...x, logCount: logs.get(x.name)?.logCount ?? 0, errorLogCount: logs.get(x.name)?.errorLogCount ?? 0,
  }));
  const withSpans = new Set(services.map((x) => x.name));
  for (const a of logs.values()) {
    if (!withSpans.has(a.name)) {
      services.push({
        name: a.name, calls: 0, errors: 0, ratePerSecond: 0, errorRatio: null,
        p50Ms: null, p95Ms: null, p99Ms: null, series: [], logCount: a.logCount, errorLogCount: a.errorLogCount,
      });
    }
  }
  return { ...answer, services };
}

function logCells(x) {
  return [
    el('td', { class: 'num', 'data-stat': 'logCount', 'data-value': x.logCount }, String(x.logCount)),
    el('td', { class: 'num', 'data-stat': 'errorLogRatio', 'data-value': x.logCount ? x.errorLogCount / x.logCount : '' },
      x.logCount ? formatPercent(x.errorLogCount / x.logCount) : '—'),
  ];
}

function servicesTable(answer, s, selected, select) {
  const grid = stepGrid(answer);
  const services = [...answer.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return el('div', {},
    el('p', { class: 'muted' }, `Per service over the time range, charts per ${stepText(answer.stepSeconds)}. `,
      'Select a row for its operations; a name opens its traces.'),
    el('div', { class: 'table-scroll' }, el('table', { class: 'grid performance', 'data-testid': 'service-performance' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Service'),
        ['Requests', 'Rate', 'Errors', 'p50', 'p95', 'p99', 'Logs', 'Error logs'].map((h) => el('th', { class: 'num' }, h)), el('th', {}))),
      el('tbody', {}, services.map((x) => el('tr', {
        class: x.name === selected ? 'clickable selected' : 'clickable', 'data-service': x.name, onclick: () => select(x.name),
      },
      el('td', {}, el('span', { class: 'dot-inline', style: `background:${serviceColor(x.name)}` }),
        el('a', { href: tracesLink(s, { service: x.name }), onclick: (e) => e.stopPropagation() }, x.name)),
      statCells(x, grid),
      logCells(x),
      el('td', {}, el('a', { href: `#/logs${query({ service: x.name, ...rangeState(s) })}`, onclick: (e) => e.stopPropagation() }, 'logs'))))))));
}

/** Requests, rate, errors, p50, p95, p99 of one service or operation, three with their charts. */
function statCells(x, grid) {
  const points = grid(x.series);
  const cell = (key, text, chart) => el('td', { class: 'num', 'data-stat': key, 'data-value': x[key] === null ? '' : x[key] },
    chart ? el('span', { class: 'with-spark' }, el('span', {}, text), chart) : text);
  return [
    cell('calls', String(x.calls)),
    cell('ratePerSecond', formatRate(x.ratePerSecond),
      sparkline(points.map((p) => (p ? p.ratePerSecond : 0)), `Requests per second, at most ${formatRate(Math.max(0, ...points.map((p) => (p ? p.ratePerSecond : 0))))}`)),
    cell('errorRatio', errorText(x),
      sparkline(points.map((p) => (p && p.calls > 0 ? p.errorRatio : null)), 'Errors in % of requests', { kind: 'errors', max: 0.05 })),
    cell('p50Ms', millisText(x.p50Ms)),
    cell('p95Ms', millisText(x.p95Ms),
      sparkline(points.map((p) => (p ? p.p95Ms : null)), `p95 latency, at most ${millisText(Math.max(0, ...points.map((p) => (p && p.p95Ms) || 0)))}`, { kind: 'latency' })),
    cell('p99Ms', millisText(x.p99Ms)),
  ];
}

/**
 * A function from a series (points only where there were calls, or at every step) to one entry per
 * step of the answer's range, null where there is no point.
 */
function stepGrid(answer) {
  const start = nanosToMillis(answer.startUnixNano);
  const step = answer.stepSeconds * 1000;
  const steps = Math.max(1, Math.ceil((nanosToMillis(answer.endUnixNano) - start) / step));
  return (series) => {
    const points = new Array(steps).fill(null);
    for (const p of series || []) {
      const i = Math.floor((nanosToMillis(p.startUnixNano) - start) / step);
      points[Math.min(steps - 1, Math.max(0, i))] = p;
    }
    return points;
  };
}

function summary(x) {
  return `${x.calls} requests, ${formatRate(x.ratePerSecond)}, ${errorText(x)} errors, ` +
    `p50 ${millisText(x.p50Ms)}, p95 ${millisText(x.p95Ms)}, p99 ${millisText(x.p99Ms)}`;
}

function sortOf(key, order) {
  const known = OPERATION_COLUMNS.some(([k]) => k === key) ? key : DEFAULT_SORT;
  return { key: known, order: order === 'asc' || order === 'desc' ? order : defaultOrder(known) };
}

function defaultOrder(key) {
  return OPERATION_COLUMNS.find(([k]) => k === key)[2] ? 'desc' : 'asc';
}

/** Rows in the chosen order; an empty value (a quantile without calls) last either way, ties by name. */
function compareBy({ key, order }) {
  const sign = order === 'asc' ? 1 : -1;
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0);
  return (a, b) => {
    const x = a[key];
    const y = b[key];
    const xEmpty = x === null || x === undefined;
    const yEmpty = y === null || y === undefined;
    if (xEmpty || yEmpty) return xEmpty === yEmpty ? byName(a, b) : xEmpty ? 1 : -1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return c !== 0 ? sign * c : byName(a, b);
  };
}

function tracesLink(s, filters) {
  return `#/traces${query({ ...filters, ...rangeState(s) })}`;
}

function errorText(x) {
  return x.calls === 0 ? '—' : formatPercent(x.errorRatio);
}

function millisText(ms) {
  return ms === null || ms === undefined ? '—' : formatDuration(Math.round(ms * 1e6));
}

function kindText(kind) {
  return String(kind || '').replace(/^SPAN_KIND_/, '').toLowerCase();
}

function stepText(seconds) {
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  if (seconds % 60 === 0) return seconds === 60 ? 'minute' : `${seconds / 60} minutes`;
  return `${seconds} s`;
}
