// Trace view: waterfall on a shared time axis, span details panel, correlated logs.
import {
  api, el, message, formatDuration, formatTime, serviceColors, valueText, valueType, levelOf,
} from './api.js';

export function renderTrace(view, traceId, state = {}) {
  // spans a TraceQL search matched (from the results' link), highlighted in the waterfall
  const matched = new Set((state.match || '').split(',').filter(Boolean));
  view.append(el('p', { class: 'back' }, el('a', { href: '#/traces' }, '← Traces')),
    el('h1', {}, 'Trace ', el('code', {}, traceId)));
  const body = el('div', {}, message('info', 'Loading trace…'));
  view.append(body);
  api(`/api/v1/traces/${encodeURIComponent(traceId)}`)
    .then((trace) => show(body, trace, matched))
    .catch((e) => body.replaceChildren(message('error',
      e.message.startsWith('404') ? `Trace ${traceId} is not stored (yet). Spans may still be on their way, or older ones were deleted.`
        : `Could not load the trace: ${e.message}`)));
}

/** Depth-first rows: each span with its depth under its parent. */
function flatten(nodes, depth = 0, out = []) {
  for (const node of nodes) {
    out.push({ span: node, depth });
    flatten(node.children, depth + 1, out);
  }
  return out;
}

function show(body, trace, matched) {
  const rows = flatten(trace.spans);
  if (rows.length === 0) {
    body.replaceChildren(message('empty', 'This trace has no stored spans, only the logs below.'), logsSection(trace.logs, null));
    return;
  }
  const start = rows.reduce((m, r) => (BigInt(r.span.startTimeUnixNano) < m ? BigInt(r.span.startTimeUnixNano) : m), BigInt(rows[0].span.startTimeUnixNano));
  const end = rows.reduce((m, r) => (BigInt(r.span.endTimeUnixNano) > m ? BigInt(r.span.endTimeUnixNano) : m), BigInt(rows[0].span.endTimeUnixNano));
  const total = Number(end - start) || 1;
  const offset = (unixNano) => Number(BigInt(unixNano) - start);
  const percent = (nanos) => `${((100 * nanos) / total).toFixed(3)}%`;
  const errors = rows.filter((r) => r.span.status.code === 'ERROR').length;
  const services = [...new Set(rows.map((r) => r.span.serviceName))];
  const colorOf = serviceColors(services);

  const panel = el('aside', { class: 'span-panel', 'data-testid': 'span-panel', hidden: true });
  const rowById = new Map();
  const select = (spanId) => {
    for (const [id, row] of rowById) row.classList.toggle('selected', id === spanId);
    const row = rowById.get(spanId);
    if (!row) return false;
    row.scrollIntoView({ block: 'nearest' });
    panel.replaceChildren(el('div', {}, spanDetails(rows.find((r) => r.span.spanId === spanId).span, offset, () => { panel.hidden = true; select(null); })));
    panel.hidden = false;
    return true;
  };

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => el('span', { class: 'tick', style: `left:${f * 100}%` }, formatDuration(Math.round(total * f))));
  const waterfall = el('div', { class: 'waterfall', 'data-testid': 'waterfall', role: 'tree' },
    el('div', { class: 'wf-row wf-header' }, el('div', { class: 'wf-label' }, 'Service · operation'), el('div', { class: 'wf-track' }, ticks)),
    rows.map(({ span, depth }) => {
      const failed = span.status.code === 'ERROR';
      const left = offset(span.startTimeUnixNano);
      const row = el('div', {
        class: `wf-row${failed ? ' error' : ''}${matched.has(span.spanId) ? ' matched' : ''}`, role: 'treeitem', tabindex: 0,
        'data-span-id': span.spanId, 'data-parent-span-id': span.parentSpanId || '', 'data-depth': depth,
        onclick: () => select(span.spanId), onkeydown: (e) => { if (e.key === 'Enter') select(span.spanId); },
      },
      el('div', { class: 'wf-label', style: `padding-left:${0.4 + depth * 1.1}em` },
        el('span', { class: 'dot-inline', style: `background:${colorOf.get(span.serviceName)}` }),
        failed ? el('span', { class: 'error-mark', title: `error: ${span.status.message}` }, '!') : null,
        el('span', { class: 'svc' }, span.serviceName), ' ', el('span', { class: 'op' }, span.name),
        span.orphan ? el('span', { class: 'badge', title: 'its parent span is not stored' }, 'orphan') : null),
      el('div', { class: 'wf-track' },
        el('div', { class: 'wf-bar', style: `left:${percent(left)};width:max(2px, ${percent(Number(span.durationNanos))});background:${colorOf.get(span.serviceName)}` },
          span.events.map((ev) => el('span', {
            class: 'wf-event', title: `${ev.name} at +${formatDuration(offset(ev.timeUnixNano))}`,
            style: `left:${Math.min(100, Math.max(0, (100 * (offset(ev.timeUnixNano) - left)) / (Number(span.durationNanos) || 1))).toFixed(2)}%`,
          }))),
        el('span', { class: 'wf-duration', style: `left:calc(${percent(left + Number(span.durationNanos))} + 4px)` }, formatDuration(span.durationNanos))));
      rowById.set(span.spanId, row);
      return row;
    }));

  body.replaceChildren(
    el('p', { class: 'summary' },
      `${rows[0].span.serviceName}: ${rows[0].span.name} · ${formatDuration(total)} · ${rows.length} span${rows.length === 1 ? '' : 's'} · `,
      errors > 0 ? el('span', { class: 'badge error' }, `${errors} error${errors === 1 ? '' : 's'}`) : 'no errors',
      ` · started ${formatTime(start.toString())} · `,
      matched.size ? [el('span', { class: 'badge matched', 'data-testid': 'matched-count' }, `${matched.size} matched by the query`), ' · '] : null,
      services.map((s) => el('span', { class: 'legend-item' }, el('span', { class: 'dot-inline', style: `background:${colorOf.get(s)}` }), s, ' '))),
    el('div', { class: 'trace-layout' }, waterfall, panel),
    logsSection(trace.logs, select));
}

function spanDetails(span, offset, onClose) {
  return [
    el('button', { class: 'close', onclick: onClose, 'aria-label': 'Close' }, '×'),
    el('h2', {}, span.name),
    el('dl', { class: 'facts' },
      fact('Service', span.serviceName), fact('Span id', el('code', {}, span.spanId)),
      fact('Parent', span.parentSpanId ? el('code', {}, span.parentSpanId) : 'none (root)'),
      fact('Kind', span.kind), fact('Start', `${formatTime(span.startTimeUnixNano)} (+${formatDuration(offset(span.startTimeUnixNano))})`),
      fact('Duration', formatDuration(span.durationNanos)),
      fact('Status', el('span', { class: span.status.code === 'ERROR' ? 'badge error' : 'badge' }, span.status.code),
        span.status.message ? ` ${span.status.message}` : ''),
      fact('Scope', [span.scope.name, span.scope.version].filter(Boolean).join(' ') || '—')),
    el('h3', {}, 'Attributes'), attributeTable(span.attributes, 'span-attributes'),
    span.events.length ? [el('h3', {}, `Events (${span.events.length})`), el('ul', { class: 'events' }, span.events.map((ev) =>
      el('li', {}, el('strong', {}, ev.name), ` at +${formatDuration(offset(ev.timeUnixNano))}`, optionalAttributes(ev.attributes))))] : null,
    span.links.length ? [el('h3', {}, `Links (${span.links.length})`), el('ul', { class: 'links' }, span.links.map((l) =>
      el('li', {}, el('a', { href: `#/traces/${l.traceId}` }, `${l.traceId} / ${l.spanId}`), optionalAttributes(l.attributes))))] : null,
    el('h3', {}, 'Resource'), attributeTable(span.resource),
  ];
}

function fact(name, ...value) {
  return [el('dt', {}, name), el('dd', {}, ...value)];
}

function optionalAttributes(attributes) {
  return Object.keys(attributes || {}).length ? attributeTable(attributes) : null;
}

export function attributeTable(attributes, testId) {
  const entries = Object.entries(attributes || {});
  if (entries.length === 0) return el('p', { class: 'muted' }, 'none');
  return el('table', { class: 'attributes', 'data-testid': testId },
    el('tbody', {}, entries.map(([key, value]) => el('tr', {},
      el('th', {}, key), el('td', {}, valueText(value)), el('td', { class: 'type' }, valueType(value))))));
}

function logsSection(logs, select) {
  const section = el('section', { class: 'trace-logs' }, el('h2', {}, `Logs of this trace (${logs.length})`));
  if (logs.length === 0) {
    section.append(message('empty', 'No log records are correlated to this trace.'));
    return section;
  }
  section.append(el('div', { class: 'table-scroll' }, el('table', { class: 'grid logs', 'data-testid': 'trace-logs' }, el('tbody', {}, logs.map((log) => {
    const level = levelOf(log.severityNumber);
    return el('tr', {
      class: `clickable level-${level}`, 'data-span-id': log.spanId || '',
      onclick: (e) => {
        for (const r of e.currentTarget.parentNode.children) r.classList.remove('selected');
        e.currentTarget.classList.add('selected');
        if (select && log.spanId && !select(log.spanId)) e.currentTarget.title = 'its span is not stored';
      },
    },
    el('td', { class: 'time' }, formatTime(log.timeUnixNano)),
    el('td', {}, el('span', { class: `sev level-${level}` }, log.severityText || level)),
    el('td', {}, log.serviceName),
    el('td', { class: 'body' }, valueText(log.body)),
    el('td', { class: 'span-id' }, log.spanId ? el('code', { class: 'muted' }, log.spanId) : ''));
  })))));
  return section;
}
