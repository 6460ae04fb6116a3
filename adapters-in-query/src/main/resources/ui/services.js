// Services page: spans and log records per minute over the last hour, with error ratios.
import { api, el, message, serviceColor } from './api.js';

const HOUR_MS = 3600e3;

export function renderServices(view) {
  const body = el('div', {}, message('info', 'Loading services…'));
  view.append(el('h1', {}, 'Services'), el('p', { class: 'muted' }, 'Activity over the last hour.'), body);
  api('/api/v1/services/activity', { start: new Date(Date.now() - HOUR_MS).toISOString() })
    .then(({ services }) => {
      if (services.length === 0) {
        body.replaceChildren(message('empty', 'No service sent spans or logs in the last hour. Point an OpenTelemetry SDK or Collector at this Glust (OTLP on ports 4317/4318).'));
        return;
      }
      const perMinute = (n) => (n / 60).toFixed(n >= 600 ? 0 : 2);
      body.replaceChildren(el('div', { class: 'table-scroll' }, el('table', { class: 'grid', 'data-testid': 'services' },
        el('thead', {}, el('tr', {}, ['Service', 'Spans / min', 'Span errors', 'Logs / min', 'Error logs', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, services.map((s) => el('tr', {},
          el('td', {}, el('span', { class: 'dot-inline', style: `background:${serviceColor(s.name)}` }), s.name),
          el('td', { class: 'num' }, perMinute(s.spanCount)),
          el('td', { class: 'num' }, ratio(s.errorSpanCount, s.spanCount)),
          el('td', { class: 'num' }, perMinute(s.logCount)),
          el('td', { class: 'num' }, ratio(s.errorLogCount, s.logCount)),
          el('td', {},
            el('a', { href: `#/traces?service=${encodeURIComponent(s.name)}&range=1h` }, 'traces'), ' · ',
            el('a', { href: `#/logs?service=${encodeURIComponent(s.name)}&range=1h` }, 'logs'))))))));
    })
    .catch((e) => body.replaceChildren(message('error', `Could not load services: ${e.message}`)));
}

function ratio(errors, total) {
  if (total === 0) return el('span', { class: 'muted' }, '—');
  const percent = (100 * errors) / total;
  return el('span', { class: 'ratio', title: `${errors} of ${total}` },
    el('span', { class: 'ratio-bar' }, el('span', { style: `width:${Math.min(100, percent)}%` })),
    ` ${percent.toFixed(percent > 0 && percent < 1 ? 2 : 1)}%`);
}
