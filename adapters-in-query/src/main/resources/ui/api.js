// The public query API (/api/v1, see /openapi.yml) and small helpers shared by the pages.

const API_KEY = 'glust.apiKey';
const TENANT = 'glust.tenant';

/**
 * GET an API path with query parameters (empty ones left out); throws Error with the API's words.
 * When Glust asks for an API key (401, or 403 for a key without the query scope), the user is
 * asked once for one; it is kept for this browser tab only (sessionStorage) and sent as X-API-Key.
 */
export async function api(path, params = {}, askedForKey = false) {
  const url = path + query(params);
  const sentKey = sessionStorage.getItem(API_KEY);
  let response;
  try {
    response = await fetch(url, { headers: withKey({ Accept: 'application/json' }) });
  } catch (e) {
    throw new Error(`the Glust service did not answer (${e.message})`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (needsKey(response) && !askedForKey && askForKey(sentKey)) {
    return api(path, params, true);
  }
  if (!response.ok) {
    const why = body && body.error ? body.error : text || response.statusText;
    throw new Error(`${response.status}: ${why}`);
  }
  return body;
}

function withKey(headers) {
  const key = sessionStorage.getItem(API_KEY);
  if (key) headers['X-API-Key'] = key;
  const tenant = sessionStorage.getItem(TENANT);
  if (tenant) headers['X-Scope-OrgID'] = tenant;
  return headers;
}

/**
 * Reads another tenant from now on in this tab (sent as X-Scope-OrgID); null goes back to the
 * tenant the key (or Glust, without keys) gives by default.
 */
export function chooseTenant(name) {
  if (name) sessionStorage.setItem(TENANT, name);
  else sessionStorage.removeItem(TENANT);
}

function needsKey(response) {
  return response.status === 401 || response.status === 403;
}

/**
 * Asks the user for an API key; true when one was entered (and kept for this tab), or when another
 * request got one since this one was sent (several calls refused at once ask only once).
 */
function askForKey(sentKey) {
  const current = sessionStorage.getItem(API_KEY);
  if (current && current !== sentKey) return true;
  const entered = window.prompt('This Glust needs an API key with the "query" scope:');
  if (entered && entered.trim()) {
    sessionStorage.setItem(API_KEY, entered.trim());
    return true;
  }
  return false;
}

const RECONNECT_MS = 3000;

/**
 * Server-Sent Events from an API path. Read with fetch(), not EventSource: EventSource sends no
 * headers, so it could not carry the API key. handlers maps an event name to fn(data), and may have
 * onOpen(), onLost() (the connection broke: reconnecting, as EventSource would) and
 * onRefused(message) (an answer other than the stream: no reconnect).
 * Returns {close()}.
 */
export function eventStream(path, params, handlers) {
  const { onOpen, onLost, onRefused, ...events } = handlers;
  let closed = false;
  let controller = null;
  let retry = null;

  async function connect(askedForKey = false) {
    controller = new AbortController();
    const sentKey = sessionStorage.getItem(API_KEY);
    try {
      const response = await fetch(path + query(params), {
        headers: withKey({ Accept: 'text/event-stream' }), signal: controller.signal, cache: 'no-store',
      });
      if (needsKey(response) && !askedForKey && askForKey(sentKey)) {
        connect(true);
        return;
      }
      if (!response.ok && response.status < 500) {
        const text = await response.text();
        let why = text || response.statusText;
        try { why = JSON.parse(text).error || why; } catch (e) { /* not JSON: the text itself */ }
        if (!closed) onRefused?.(`${response.status}: ${why}`);
        return;
      }
      if (response.ok) {
        onOpen?.();
        await dispatchEvents(response.body, events, () => closed);
      }
    } catch (e) {
      // aborted by close(), or the connection broke: both end up below
    }
    if (!closed) {
      onLost?.();
      retry = setTimeout(() => connect(), RECONNECT_MS);
    }
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(retry);
      controller?.abort();
    },
  };
}

/** Reads an SSE body (event:, data:, blank line ends an event) and calls events[name](data). */
async function dispatchEvents(body, events, isClosed) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done || isClosed()) return;
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop(); // an unfinished line waits for the next chunk
    for (const line of lines) {
      if (line === '') {
        if (data.length > 0) events[name]?.(data.join('\n'));
        name = 'message';
        data = [];
        if (isClosed()) return;
        continue;
      }
      if (line.startsWith(':')) continue; // a comment, e.g. a keep-alive
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = text;
      else if (field === 'data') data.push(text);
    }
  }
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && String(value).trim() !== '') {
      search.append(key, String(value).trim());
    }
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

/** Creates an element: el('a', {href: '#', class: 'x', onclick: fn}, 'text', child…). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'style') node.style.cssText = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

export const svgNs = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(svgNs, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** A message in words: kind 'error' | 'empty' | 'info'. */
export function message(kind, text) {
  return el('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function formatDuration(nanos) {
  const n = Number(nanos);
  if (n < 1e3) return `${n} ns`;
  if (n < 1e6) return `${trim(n / 1e3)} µs`;
  if (n < 1e9) return `${trim(n / 1e6)} ms`;
  if (n < 60e9) return `${trim(n / 1e9)} s`;
  return `${trim(n / 60e9)} min`;
}

function trim(x) {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/** Unix nanoseconds (a string, exact) as milliseconds since the epoch (a number). */
export function nanosToMillis(unixNano) {
  return Number(BigInt(unixNano) / 1000000n) + Number(BigInt(unixNano) % 1000000n) / 1e6;
}

/** Local date and time with milliseconds, e.g. 2024-05-01 14:03:07.123. */
export function formatTime(unixNano) {
  const d = new Date(nanosToMillis(unixNano));
  const pad = (x, n = 2) => String(x).padStart(n, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * Distinct colours, in the order the services come (e.g. as they appear in a trace): a Map from
 * name to colour; only beyond the palette's size do colours repeat.
 */
export function serviceColors(names) {
  const colors = new Map();
  for (const name of names) {
    if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]);
  }
  return colors;
}

// Twelve colours told apart at a glance (no pure red: the trace view marks errors in red).
const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#ad494a',
];

/** A stable colour per service name, for lists of services (a trace uses serviceColors). */
export function serviceColor(name) {
  let hash = 0;
  for (const c of name) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  return `hsl(${hash % 360}, 55%, 48%)`;
}

export const LEVELS = ['UNSPECIFIED', 'TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export function levelOf(severityNumber) {
  return severityNumber >= 1 && severityNumber <= 24 ? LEVELS[Math.floor((severityNumber - 1) / 4) + 1] : 'UNSPECIFIED';
}

/** A log body or attribute value as one line of text. */
export function valueText(value) {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The type of an attribute value as the API returns it (ints and doubles are JSON numbers). */
export function valueType(value) {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'map';
  return 'string';
}

// Time ranges: a preset (last N) or custom start/end, kept in the page's URL.
export const PRESETS = [
  ['15m', 'Last 15 minutes', 15 * 60e3],
  ['1h', 'Last hour', 3600e3],
  ['6h', 'Last 6 hours', 6 * 3600e3],
  ['24h', 'Last 24 hours', 24 * 3600e3],
  ['7d', 'Last 7 days', 7 * 24 * 3600e3],
  ['30d', 'Last 30 days', 30 * 24 * 3600e3],
  ['custom', 'Custom…', 0],
];

/** {start, end} API parameters (RFC 3339) for the form state {range, from, to}. */
export function rangeParameters(state) {
  if (state.range === 'custom') {
    return { start: localToIso(state.from), end: localToIso(state.to) };
  }
  const preset = PRESETS.find(([key]) => key === (state.range || '1h')) || PRESETS[1];
  return { start: new Date(Date.now() - preset[2]).toISOString() };
}

/** The form state's time range alone ({range} or {range, from, to}), for links to other pages. */
export function rangeState(state) {
  return state.range === 'custom' ? { range: 'custom', from: state.from, to: state.to } : { range: state.range || '1h' };
}

function localToIso(local) {
  if (!local) return undefined;
  const d = new Date(local);
  return isNaN(d) ? local : d.toISOString();
}

/** The range picker: a preset select plus custom start/end inputs shown for "custom". */
export function rangePicker(state) {
  const select = el('select', { name: 'range', 'aria-label': 'Time range' },
    PRESETS.map(([key, label]) => el('option', { value: key, selected: (state.range || '1h') === key }, label)));
  const from = el('input', { type: 'datetime-local', name: 'from', step: '1', value: state.from || '', 'aria-label': 'From' });
  const to = el('input', { type: 'datetime-local', name: 'to', step: '1', value: state.to || '', 'aria-label': 'To' });
  const custom = el('span', { class: 'custom-range' }, from, ' – ', to);
  const sync = () => { custom.hidden = select.value !== 'custom'; };
  select.addEventListener('change', sync);
  sync();
  return el('label', { class: 'range' }, 'Time ', select, custom);
}

/**
 * For a search that found nothing: when its time range holds no record of the signal at all
 * ('span' or 'log') but there are some outside it, a hint naming the newest one with a link to
 * the hour up to it (the other filters kept); null when the range has records (the filters
 * exclude them), when there are none at all, or when Glust cannot tell.
 */
export async function newestDataHint(page, state, signal) {
  const range = rangeParameters(state);
  const newest = async (end) => {
    const found = await api('/api/v1/newest', { end });
    const time = signal === 'span' ? found.spanTimeUnixNano : found.logTimeUnixNano;
    return time === null ? null : time;
  };
  let time;
  try {
    time = await newest(range.end);
    if (time !== null && nanosToMillis(time) >= Date.parse(range.start)) return null;
    // nothing up to the range's end: a custom range before all records, the newest is after it
    if (time === null && range.end) time = await newest();
  } catch (e) {
    return null;
  }
  if (time === null) return null;
  const to = Math.floor(nanosToMillis(time) / 1000) * 1000 + 1000;
  const { live, ...kept } = state;
  const target = { ...kept, range: 'custom', from: localInput(to - 3600e3), to: localInput(to) };
  return el('p', { class: 'message info', role: 'status', 'data-testid': 'newest-hint' },
    `There is no ${signal} at all in this time range; the newest is from ${formatTime(time)}. `,
    el('a', { href: `#/${page}${query(target)}` }, 'Show the hour up to it'));
}

/** Milliseconds since the epoch as a datetime-local input value (local time, seconds). */
function localInput(millis) {
  const d = new Date(millis);
  const pad = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Form values as a plain object (checkboxes true/absent). */
export function formState(form) {
  const state = {};
  for (const [key, value] of new FormData(form).entries()) {
    if (String(value).trim() !== '') state[key] = String(value).trim();
  }
  return state;
}

/** `key=value` text (several separated by ';') as attr.<key>=<value> parameters. */
export function attributeParameters(text) {
  const out = {};
  for (const part of (text || '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out['attr.' + part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/** Replaces the hash's query without adding history entries or re-rendering. */
export function rememberState(page, state) {
  history.replaceState(null, '', `#/${page}${query(state)}`);
}
