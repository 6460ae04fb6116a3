// The explorer's router: #/traces, #/traces/<traceId>, #/logs, #/metrics, #/services, #/map (state in the hash query).
import { api, chooseTenant, message } from './api.js';
import { renderTraceSearch } from './traces.js';
import { renderTrace } from './trace.js';
import { renderLogs } from './logs.js';
import { renderServices } from './services.js';
import { renderServiceMap } from './service-map.js';
import { renderMetrics } from './metrics.js';

const main = document.getElementById('main');
let leavePage = () => {};

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, queryText] = hash.split('?');
  const parts = path.split('/').filter(Boolean);
  const state = Object.fromEntries(new URLSearchParams(queryText || ''));
  const page = parts[0] || 'traces';
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.page === page);
  }
  leavePage();
  leavePage = () => {};
  main.replaceChildren();
  const view = document.createElement('div');
  main.append(view);
  let leave;
  if (page === 'traces' && parts[1]) leave = renderTrace(view, parts[1], state);
  else if (page === 'traces') leave = renderTraceSearch(view, state);
  else if (page === 'logs') leave = renderLogs(view, state);
  else if (page === 'services') leave = renderServices(view, state);
  else if (page === 'map') leave = renderServiceMap(view, state);
  else if (page === 'metrics') leave = renderMetrics(view, state);
  else view.append(message('error', `There is no page "${page}". Try Traces, Logs, Metrics, Services or Service map.`));
  if (typeof leave === 'function') leavePage = leave;
  document.title = `Glust · ${page}`;
}

window.addEventListener('hashchange', route);
route();

// The footer names the running version; /health/liveness is cheap and needs no API key.
fetch('/health/liveness', { headers: { Accept: 'application/json' } })
  .then((response) => (response.ok ? response.json() : null))
  .then((body) => {
    if (body && body.version) document.getElementById('version').textContent = `Glust ${body.version}`;
  })
  .catch(() => {});

// The tenant this tab reads, with a picker when the key allows several (or any, without keys).
const tenantBox = document.getElementById('tenant');
api('/api/v1/tenant')
  .then((body) => renderTenant(body))
  .catch((e) => { tenantBox.textContent = ''; tenantBox.title = e.message; });

function renderTenant({ tenant, choices, anyTenant }) {
  const label = document.createElement('label');
  label.textContent = 'Tenant ';
  let picker;
  if (anyTenant) {
    picker = document.createElement('input');
    picker.value = tenant;
    picker.size = 12;
    picker.title = 'Any tenant name; Enter to switch';
    picker.addEventListener('change', () => switchTenant(picker.value.trim()));
  } else if (choices.length > 1) {
    picker = document.createElement('select');
    for (const name of choices) picker.append(new Option(name, name, false, name === tenant));
    picker.addEventListener('change', () => switchTenant(picker.value));
  } else {
    picker = document.createElement('strong');
    picker.textContent = tenant;
  }
  picker.id = 'tenant-picker';
  label.append(picker);
  tenantBox.replaceChildren(label);
}

function switchTenant(name) {
  chooseTenant(name || null);
  route(); // the page reads again, for the tenant chosen
}
