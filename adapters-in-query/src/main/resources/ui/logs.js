// Logs page: filters, volume histogram by severity, results with expandable JSON, live tail (SSE over fetch).
import {
  api, el, message, eventStream, formatTime, rangePicker, rangeParameters, formState, attributeParameters,
  rememberState, levelOf, valueText, LEVELS,
} from './api.js';
import { volumeHistogram } from './charts.js';

export function renderLogs(view, state) {
  const form = el('form', { class: 'filters', 'data-testid': 'log-search' },
    el('label', {}, 'Service ', el('input', { name: 'service', value: state.service || '', placeholder: 'any' })),
    el('label', {}, 'Min severity ', el('select', { name: 'minSeverity' },
      el('option', { value: '' }, 'any'),
      LEVELS.slice(1).map((l) => el('option', { value: l, selected: state.minSeverity === l }, l)))),
    el('label', {}, 'Text ', el('input', { name: 'q', value: state.q || '', placeholder: 'in the body', 'data-testid': 'log-text' })),
    el('label', {}, 'Trace id ', el('input', { name: 'traceId', value: state.traceId || '', size: 34 })),
    el('label', {}, 'Attribute ', el('input', { name: 'attr', value: state.attr || '', placeholder: 'key=value; …' })),
    rangePicker(state),
    el('button', { type: 'submit' }, 'Search'),
    el('label', { class: 'check live' }, el('input', { type: 'checkbox', name: 'live', value: '1', checked: !!state.live, 'data-testid': 'live-tail' }), ' Live tail'));
  const histogram = el('div', { class: 'chart-box' });
  const liveStatus = el('p', { class: 'live-status', 'data-testid': 'live-status', hidden: true });
  const results = el('div', { class: 'results' });
  view.append(el('h1', {}, 'Logs'), form, histogram, liveStatus, results);

  const filters = (s) => ({
    service: s.service, minSeverity: s.minSeverity, q: s.q, traceId: s.traceId, ...attributeParameters(s.attr),
  });

  let list = null;
  let tail = null;
  const stopTail = () => {
    if (tail) tail.close();
    tail = null;
  };

  async function search(cursor) {
    const s = formState(form);
    rememberState('logs', s);
    const parameters = { ...filters(s), ...rangeParameters(s) };
    if (!cursor) {
      results.replaceChildren(message('info', 'Searching…'));
      loadHistogram(histogram, parameters);
    }
    let page;
    try {
      page = await api('/api/v1/logs', { ...parameters, limit: 100, cursor });
    } catch (e) {
      results.replaceChildren(message('error', `Could not search logs: ${e.message}`));
      return;
    }
    if (!cursor) {
      list = el('ol', { class: 'log-list', 'data-testid': 'log-results' });
      results.replaceChildren(list);
    } else {
      results.querySelector('button.more')?.remove();
    }
    list.append(...page.logs.map((log) => logRow(log)));
    results.querySelector('.message.empty')?.remove();
    if (list.children.length === 0) {
      results.prepend(message('empty', 'No log records match these filters in this time range.'));
    }
    if (page.nextCursor) {
      results.append(el('button', { class: 'more', onclick: (e) => { e.target.disabled = true; search(page.nextCursor); } }, 'Load more'));
    }
  }

  function startTail() {
    stopTail();
    const s = formState(form);
    liveStatus.hidden = false;
    liveStatus.className = 'live-status';
    liveStatus.textContent = 'Live tail: connecting…';
    const stop = () => {
      stopTail();
      liveStatus.className = 'live-status error';
      form.elements.live.checked = false;
    };
    // fetch-based, not EventSource: the API key goes along as a header
    tail = eventStream('/api/v1/logs/tail', filters(s), {
      ready: () => {
        liveStatus.className = 'live-status';
        liveStatus.textContent = 'Live tail: on — new matching records appear at the top.';
        liveStatus.dataset.state = 'live';
      },
      log: (data) => {
        if (!list) {
          list = el('ol', { class: 'log-list', 'data-testid': 'log-results' });
          results.replaceChildren(list);
        }
        results.querySelector('.message.empty')?.remove();
        const row = logRow(JSON.parse(data));
        row.classList.add('fresh');
        list.prepend(row);
      },
      gap: (data) => {
        liveStatus.textContent = `Live tail: ${JSON.parse(data).message}`;
      },
      unavailable: (data) => {
        liveStatus.className = 'live-status error';
        liveStatus.textContent = `Live tail: ${JSON.parse(data).message}`;
      },
      dropped: (data) => {
        stop();
        liveStatus.dataset.state = 'dropped';
        liveStatus.textContent = `Live tail: ${JSON.parse(data).message}`;
      },
      onLost: () => {
        liveStatus.className = 'live-status error';
        liveStatus.dataset.state = 'reconnecting';
        liveStatus.textContent = 'Live tail: connection lost; reconnecting…';
      },
      onRefused: (why) => {
        stop();
        liveStatus.dataset.state = 'refused';
        liveStatus.textContent = `Live tail: ${why}`;
      },
    });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    search();
    if (form.elements.live.checked) startTail();
  });
  form.elements.live.addEventListener('change', () => {
    rememberState('logs', formState(form));
    if (form.elements.live.checked) startTail();
    else {
      stopTail();
      liveStatus.textContent = 'Live tail: off.';
    }
  });
  search();
  if (state.live) startTail();
  return stopTail;
}

async function loadHistogram(box, parameters) {
  box.replaceChildren(message('info', 'Counting…'));
  try {
    const histogram = await api('/api/v1/logs/histogram', { ...parameters, buckets: 60 });
    const total = histogram.buckets.reduce((sum, b) => sum + b.total, 0);
    box.replaceChildren(
      el('p', { class: 'count' }, `${total.toLocaleString()} log record${total === 1 ? '' : 's'} in this range`),
      volumeHistogram(histogram, box.clientWidth));
  } catch (e) {
    box.replaceChildren(message('error', `Could not count logs: ${e.message}`));
  }
}

/** One record: time, level, service, body, trace link; a click shows the whole record as JSON. */
export function logRow(log) {
  const level = levelOf(log.severityNumber);
  const details = el('pre', { class: 'json', hidden: true }, JSON.stringify(log, null, 2));
  return el('li', { class: `log level-${level}` },
    el('div', {
      class: 'log-line', tabindex: 0, 'aria-expanded': 'false',
      onclick: (e) => {
        if (e.target.closest('a')) return;
        details.hidden = !details.hidden;
        e.currentTarget.setAttribute('aria-expanded', String(!details.hidden));
      },
    },
    el('span', { class: 'time' }, formatTime(log.timeUnixNano)),
    el('span', { class: `sev level-${level}` }, log.severityText || level),
    el('span', { class: 'svc' }, log.serviceName),
    el('span', { class: 'body' }, valueText(log.body)),
    log.traceId ? el('a', { class: 'trace-link', href: `#/traces/${log.traceId}`, title: 'Open the trace' }, `trace ${log.traceId.slice(0, 8)}…`) : null),
    details);
}
