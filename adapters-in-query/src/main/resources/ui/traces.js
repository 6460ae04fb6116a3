// Traces page: search form and TraceQL query box, duration chart, results table with cursor paging.
import {
  api, el, message, formatDuration, formatTime, rangePicker, rangeParameters, formState,
  attributeParameters, rememberState, serviceColor, newestDataHint,
} from './api.js';
import { durationScatter } from './charts.js';

export function renderTraceSearch(view, state) {
  const serviceList = el('datalist', { id: 'service-names' });
  const operationList = el('datalist', { id: 'operation-names' });
  const service = el('input', { name: 'service', list: 'service-names', value: state.service || '', placeholder: 'any', 'aria-label': 'Service' });
  const form = el('form', { class: 'filters', 'data-testid': 'trace-search' },
    el('label', {}, 'Service ', service, serviceList),
    el('label', {}, 'Operation ', el('input', { name: 'operation', list: 'operation-names', value: state.operation || '', placeholder: 'any' }), operationList),
    el('label', {}, 'Min duration ', el('input', { name: 'minDuration', value: state.minDuration || '', placeholder: 'e.g. 100ms', size: 8 })),
    el('label', {}, 'Max duration ', el('input', { name: 'maxDuration', value: state.maxDuration || '', placeholder: 'e.g. 2s', size: 8 })),
    el('label', {}, 'Attribute ', el('input', { name: 'attr', value: state.attr || '', placeholder: 'key=value; …' })),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'errors', value: '1', checked: !!state.errors }), ' errors only'),
    rangePicker(state),
    el('label', { class: 'traceql' }, 'TraceQL ', el('input', {
      name: 'q', value: state.q || '', size: 60, spellcheck: 'false', 'data-testid': 'traceql',
      placeholder: '{ resource.service.name = "checkout" && status = error } >> { duration > 300ms }',
    })),
    el('button', { type: 'submit' }, 'Search'));
  const queryBox = form.elements.q;
  // the fields write the query they mean; a query typed by hand is searched as TraceQL
  const fieldsChanged = () => { queryBox.value = traceQlOf(formState(form)); };
  for (const name of ['service', 'operation', 'minDuration', 'maxDuration', 'attr', 'errors']) {
    form.elements[name].addEventListener('input', fieldsChanged);
  }
  if (!state.q) fieldsChanged();
  const chart = el('div', { class: 'chart-box' });
  const results = el('div', { class: 'results' });
  view.append(el('h1', {}, 'Traces'), form, chart, results);

  const current = () => formState(form);
  const parameters = (s) => ({
    service: s.service, operation: s.operation, minDuration: s.minDuration, maxDuration: s.maxDuration,
    status: s.errors ? 'error' : undefined, ...attributeParameters(s.attr), ...rangeParameters(s), limit: 50,
  });

  fillNames(serviceList, operationList, service, rangeParameters(state));

  let shown = [];
  async function search(cursor) {
    const s = current();
    rememberState('traces', s);
    if (!cursor) {
      shown = [];
      results.replaceChildren(message('info', 'Searching…'));
      chart.replaceChildren();
    }
    const byTraceQl = s.q && s.q !== traceQlOf(s);
    let page;
    try {
      page = byTraceQl ? await searchTraceQl(s) : await api('/api/v1/traces', { ...parameters(s), cursor });
    } catch (e) {
      results.replaceChildren(message('error', `Could not search traces: ${e.message}`));
      return;
    }
    shown = shown.concat(page.traces);
    if (shown.length === 0) {
      const empty = message('empty', 'No traces match these filters in this time range. Widen the range or remove a filter.');
      results.replaceChildren(empty);
      const hint = await newestDataHint('traces', s, 'span');
      if (hint && empty.isConnected) empty.after(hint); // unless a newer search replaced it
      return;
    }
    const link = (t) => `#/traces/${t.traceId}${t.matched ? `?match=${t.matched.join(',')}` : ''}`;
    const open = (t) => { location.hash = link(t); };
    chart.replaceChildren(durationScatter(shown, open, chart.clientWidth));
    results.replaceChildren(
      el('p', { class: 'count' }, `${shown.length} trace${shown.length === 1 ? '' : 's'}${page.nextCursor ? ' (more available)' : ''}`),
      el('div', { class: 'table-scroll' }, el('table', { class: 'grid', 'data-testid': 'trace-results' },
        el('thead', {}, el('tr', {}, ['Start', 'Root service', 'Root operation', 'Duration', 'Spans', 'Errors'].map((h) => el('th', {}, h)))),
        el('tbody', {}, shown.map((t) => el('tr', { class: t.errorCount > 0 ? 'clickable has-error' : 'clickable', onclick: () => open(t) },
          el('td', {}, el('a', { href: link(t) }, formatTime(t.startTimeUnixNano))),
          el('td', {}, el('span', { class: 'dot-inline', style: `background:${serviceColor(t.rootServiceName)}` }), t.rootServiceName),
          el('td', {}, t.rootSpanName),
          el('td', { class: 'num' }, formatDuration(t.durationNanos)),
          el('td', { class: 'num' }, t.matched ? `${t.matched.length} matched` : t.spanCount),
          el('td', { class: 'num' }, t.errorCount > 0 ? el('span', { class: 'badge error' }, t.errorCount) : t.errorCount === undefined ? '—' : '0')))))),
      page.nextCursor ? el('button', { class: 'more', onclick: (e) => { e.target.disabled = true; search(page.nextCursor); } }, 'Load more') : '');
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });
  search();
}

/** The TraceQL the form's fields mean: one span carrying every condition ({} without any). */
export function traceQlOf(s) {
  const quote = (text) => JSON.stringify(text);
  const conditions = [];
  if (s.service) conditions.push(`resource.service.name = ${quote(s.service)}`);
  if (s.operation) conditions.push(`name = ${quote(s.operation)}`);
  if (s.minDuration) conditions.push(`duration >= ${s.minDuration}`);
  if (s.maxDuration) conditions.push(`duration <= ${s.maxDuration}`);
  for (const [name, value] of Object.entries(attributeParameters(s.attr))) {
    const key = `.${name.slice('attr.'.length)}`;
    // the native search matches a value by its text, whatever its type: so does the query
    conditions.push(/^-?\d+(\.\d+)?$/.test(value) || value === 'true' || value === 'false'
      ? `(${key} = ${quote(value)} || ${key} = ${value})` : `${key} = ${quote(value)}`);
  }
  if (s.errors) conditions.push('status = error');
  return conditions.length ? `{ ${conditions.join(' && ')} }` : '{}';
}

/** A TraceQL search through the Tempo API, shaped as the native search's page. */
async function searchTraceQl(s) {
  const range = rangeParameters(s);
  const seconds = (iso) => (iso ? Math.floor(Date.parse(iso) / 1000) : undefined);
  const end = seconds(range.end) || Math.ceil(Date.now() / 1000);
  const answer = await api('/tempo/api/search', { q: s.q, start: seconds(range.start), end, limit: 50, spss: 100 });
  return {
    traces: answer.traces.map((t) => ({
      traceId: t.traceID,
      rootServiceName: t.rootServiceName,
      rootSpanName: t.rootTraceName,
      startTimeUnixNano: t.startTimeUnixNano,
      durationNanos: t.durationMs * 1e6,
      matched: t.spanSets.flatMap((set) => set.spans.map((span) => span.spanID)),
    })),
  };
}

/** Suggestions for the service and operation inputs (failures only cost the suggestions). */
async function fillNames(serviceList, operationList, serviceInput, range) {
  try {
    const { services } = await api('/api/v1/services', range);
    serviceList.replaceChildren(...services.map((s) => el('option', { value: s.name })));
  } catch (e) {
    serviceList.replaceChildren();
  }
  const loadOperations = async () => {
    operationList.replaceChildren();
    if (!serviceInput.value.trim()) return;
    try {
      const { operations } = await api(`/api/v1/services/${encodeURIComponent(serviceInput.value.trim())}/operations`, range);
      operationList.replaceChildren(...[...new Set(operations.map((o) => o.name))].map((n) => el('option', { value: n })));
    } catch (e) {
      operationList.replaceChildren();
    }
  };
  serviceInput.addEventListener('change', loadOperations);
  loadOperations();
}
