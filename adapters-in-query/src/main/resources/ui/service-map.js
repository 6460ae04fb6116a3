// Service map page: which service calls which over the time range, as a layered graph in SVG
// (callers left of the services they call), and the same edges as a table.
import {
  api, el, svg, message, query, serviceColor, rangePicker, rangeParameters, rangeState, formState,
  rememberState, newestDataHint,
} from './api.js';
import { formatRate, formatPercent } from './charts.js';
import { layeredLayout, edgeKey } from './graph-layout.js';

const ROW = 100; // vertical room per node (or per edge passing a layer)
const MARGIN_X = 100; // room for names at the outer columns
const TOP = 36;
const COLUMN = 380; // the widest gap between columns
const LABEL_CHAR_WIDTH = 6.4; // of an edge label's 11.5 px text, about
const LABEL_HEIGHT = 14;
const MIN_RADIUS = 12;
const MAX_RADIUS = 34;

export function renderServiceMap(view, state) {
  const form = el('form', { class: 'filters', 'data-testid': 'map-range' },
    rangePicker(state), el('button', { type: 'submit' }, 'Show'));
  const graph = el('div', { class: 'chart-box' });
  const edges = el('div', { class: 'results' });
  view.append(el('h1', {}, 'Service map'), form,
    el('p', { class: 'muted' }, 'Arrows point from the calling service to the called one, labelled with calls per second and ',
      'the share that failed (red when any did); a node\'s size is its request rate (server and consumer spans). ',
      'A click on a service opens its traces.'),
    graph, edges);

  let shown = 0; // the newest load; an older answer arriving late is dropped
  async function load() {
    const s = formState(form);
    rememberState('map', s);
    const mine = ++shown;
    graph.replaceChildren(message('info', 'Loading dependencies…'));
    edges.replaceChildren();
    let answer;
    try {
      answer = await api('/api/v1/dependencies', rangeParameters(s));
    } catch (e) {
      if (mine === shown) graph.replaceChildren(message('error', `Could not load dependencies: ${e.message}`));
      return;
    }
    if (mine !== shown) return;
    if (answer.nodes.length === 0 && answer.edges.length === 0) {
      const empty = message('empty', 'No spans in this time range, so there is no service to draw. Widen the range, or point an OpenTelemetry SDK or Collector at this Glust (OTLP on ports 4317/4318).');
      graph.replaceChildren(empty);
      const hint = await newestDataHint('map', s, 'span');
      if (hint && empty.isConnected) empty.after(hint);
      return;
    }
    graph.replaceChildren(drawMap(answer, s, graph.clientWidth));
    edges.replaceChildren(answer.edges.length > 0 ? edgeTable(answer.edges, s) : message('empty',
      'No calls between services in this time range: an edge needs a span whose parent span is in another service.'));
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  load();
}

function drawMap(answer, s, boxWidth) {
  const nodes = new Map(answer.nodes.map((n) => [n.name, n]));
  for (const e of answer.edges) {
    for (const name of [e.parent, e.child]) {
      if (!nodes.has(name)) nodes.set(name, { name, calls: 0, errors: 0, ratePerSecond: 0, errorRatio: 0 });
    }
  }
  const { slots, place, backEdges, routes } = layeredLayout([...nodes.keys()], answer.edges);
  const width = Math.max(640, Math.round(boxWidth || 1000));
  const rows = Math.max(...slots);
  const height = 2 * TOP + rows * ROW;
  // columns at most COLUMN apart, the drawing centred
  const span = Math.min(width - 2 * MARGIN_X, (slots.length - 1) * COLUMN);
  const x = (layer) => (slots.length === 1 ? width / 2 : (width - span) / 2 + (layer * span) / (slots.length - 1));
  // a layer's places centred; virtual ones (where a longer edge passes) included
  const point = (name) => {
    const { layer, index } = place.get(name);
    return { x: x(layer), y: TOP + ((rows - slots[layer]) * ROW) / 2 + (index + 0.5) * ROW };
  };
  const maxRate = Math.max(0, ...[...nodes.values()].map((n) => n.ratePerSecond));
  const radius = (n) => MIN_RADIUS + (maxRate > 0 ? (MAX_RADIUS - MIN_RADIUS) * Math.sqrt(n.ratePerSecond / maxRate) : 0);
  const at = new Map([...nodes.values()].map((n) => [n.name, { ...point(n.name), r: radius(n) }]));

  const map = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'service-map', role: 'img',
    'aria-label': 'Service dependency graph', 'data-testid': 'service-map' },
  svg('defs', {}, arrowHead('map-arrow', 'arrow'), arrowHead('map-arrow-error', 'arrow error')));
  const edgeKeys = new Set(answer.edges.map((e) => edgeKey(e.parent, e.child)));
  const maxEdgeRate = Math.max(0, ...answer.edges.map((e) => e.ratePerSecond));
  const sorted = [...answer.edges].sort((a, b) => compare(a.parent, b.parent) || compare(a.child, b.child));
  const labels = svg('g', { class: 'edge-labels' }); // over every line, so no line crosses a label
  const placed = []; // the labels' boxes so far: a label that would overlap one moves down
  for (const e of sorted) {
    const key = edgeKey(e.parent, e.child);
    // an edge and its reverse side by side, the one against the flow below
    const shift = edgeKeys.has(edgeKey(e.child, e.parent)) ? (backEdges.has(key) ? 6 : -6) : 0;
    const { d, label } = e.parent === e.child
      ? selfLoop(at.get(e.parent))
      : curveThrough(routes.get(key).map((name) => at.get(name) || point(name)), at.get(e.parent).r, at.get(e.child).r, shift);
    const failed = e.errors > 0;
    const text = `${formatRate(e.ratePerSecond)} · ${formatPercent(e.errorRatio)}`;
    map.append(svg('g', {
      class: failed ? 'edge error' : 'edge', 'data-parent': e.parent, 'data-child': e.child,
      'data-calls': e.calls, 'data-errors': e.errors, 'data-rate': e.ratePerSecond,
    },
    svg('title', {}, document.createTextNode(`${e.parent} → ${e.child}: ${e.calls} calls (${formatRate(e.ratePerSecond)}), ` +
      `${e.errors} failed (${formatPercent(e.errorRatio)})`)),
    svg('path', {
      d, class: 'edge-line', 'stroke-width': (1.5 + (maxEdgeRate > 0 ? 3 * Math.sqrt(e.ratePerSecond / maxEdgeRate) : 0)).toFixed(1),
      'marker-end': `url(#${failed ? 'map-arrow-error' : 'map-arrow'})`,
    })));
    const box = freePlace(placed, label.x, label.y + (shift > 0 ? 14 : -4), text.length * LABEL_CHAR_WIDTH);
    labels.append(svg('rect', {
      x: (box.x - box.width / 2 - 2).toFixed(1), y: (box.y - LABEL_HEIGHT + 3).toFixed(1),
      width: (box.width + 4).toFixed(1), height: LABEL_HEIGHT, rx: 3, class: 'edge-label-back',
    }), svg('text', {
      x: box.x.toFixed(1), y: box.y.toFixed(1), 'text-anchor': 'middle',
      class: failed ? 'edge-label error' : 'edge-label', 'data-parent': e.parent, 'data-child': e.child,
    }, document.createTextNode(text)));
  }
  map.append(labels);
  for (const n of [...nodes.values()].sort((a, b) => compare(a.name, b.name))) {
    const p = at.get(n.name);
    const failed = n.errors > 0;
    map.append(svg('a', { href: `#/traces${query({ service: n.name, ...rangeState(s) })}`, class: 'node-link' },
      svg('g', {
        class: failed ? 'node error' : 'node', 'data-service': n.name, 'data-calls': n.calls,
        'data-errors': n.errors, 'data-rate': n.ratePerSecond, 'data-radius': p.r.toFixed(1),
      },
      svg('title', {}, document.createTextNode(`${n.name}: ${n.calls} requests (${formatRate(n.ratePerSecond)}), ` +
        `${n.errors} failed (${formatPercent(n.errorRatio)}); click for its traces`)),
      svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1), fill: serviceColor(n.name), class: 'node-circle' }),
      svg('text', { x: p.x.toFixed(1), y: (p.y + p.r + 15).toFixed(1), 'text-anchor': 'middle', class: 'node-name' },
        document.createTextNode(n.name)),
      svg('text', { x: p.x.toFixed(1), y: (p.y + p.r + 29).toFixed(1), 'text-anchor': 'middle', class: 'node-stats' },
        document.createTextNode(`${formatRate(n.ratePerSecond)}${failed ? ` · ${formatPercent(n.errorRatio)} errors` : ''}`)))));
  }
  return map;
}

/**
 * Where a label of that width fits near (x, y) without covering a label placed before: there, or
 * one line lower, or one more (at most four); the box is added to placed.
 */
function freePlace(placed, x, y, width) {
  const overlaps = (b) => placed.some((p) => Math.abs(p.x - b.x) < (p.width + b.width) / 2 && Math.abs(p.y - b.y) < LABEL_HEIGHT);
  let box = { x, y, width };
  for (let tries = 0; tries < 4 && overlaps(box); tries++) box = { x, y: box.y + LABEL_HEIGHT, width };
  placed.push(box);
  return box;
}

function arrowHead(id, cls) {
  return svg('marker', {
    id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9,
    markerUnits: 'userSpaceOnUse', orient: 'auto', class: cls,
  }, svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
}

/**
 * A smooth line through the points of an edge's route (parent, the virtual nodes it passes, child),
 * leaving and entering the nodes sideways, from rim to rim, shifted down by shift pixels; the
 * label's place is the middle of its middle piece.
 */
function curveThrough(points, fromRadius, toRadius, shift) {
  const last = points.length - 1;
  const side = Math.sign(points[last].x - points[0].x) || 1; // right, or left for an edge back
  const at = points.map((p, i) => ({
    x: p.x + (i === 0 ? side * fromRadius : i === last ? -side * (toRadius + 1) : 0),
    y: p.y + shift,
  }));
  let d = `M${at[0].x.toFixed(1)},${at[0].y.toFixed(1)}`;
  for (let i = 1; i <= last; i++) {
    const a = at[i - 1];
    const b = at[i];
    const mid = ((a.x + b.x) / 2).toFixed(1);
    d += ` C${mid},${a.y.toFixed(1)} ${mid},${b.y.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
  }
  const middle = Math.floor((last - 1) / 2);
  const label = { x: (at[middle].x + at[middle + 1].x) / 2, y: (at[middle].y + at[middle + 1].y) / 2 };
  return { d, label };
}

/** A service calling itself: a loop over its node. */
function selfLoop(p) {
  const sx = p.x - p.r * 0.6;
  const ex = p.x + p.r * 0.6;
  const sy = p.y - p.r * 0.8;
  const top = p.y - p.r - 40;
  return {
    d: `M${sx.toFixed(1)},${sy.toFixed(1)} C${(sx - 30).toFixed(1)},${top.toFixed(1)} ${(ex + 30).toFixed(1)},${top.toFixed(1)} ${ex.toFixed(1)},${sy.toFixed(1)}`,
    label: { x: p.x, y: top + 8 },
  };
}

function edgeTable(list, s) {
  const traces = (service) => el('a', { href: `#/traces${query({ service, ...rangeState(s) })}` }, service);
  const sorted = [...list].sort((a, b) => compare(a.parent, b.parent) || compare(a.child, b.child));
  return el('div', { class: 'table-scroll' }, el('table', { class: 'grid', 'data-testid': 'dependency-edges' },
    el('thead', {}, el('tr', {}, ['Caller', 'Called', 'Calls', 'Rate', 'Errors'].map((h) => el('th', {}, h)))),
    el('tbody', {}, sorted.map((e) => el('tr', { 'data-parent': e.parent, 'data-child': e.child, class: e.errors > 0 ? 'has-error' : '' },
      el('td', {}, el('span', { class: 'dot-inline', style: `background:${serviceColor(e.parent)}` }), traces(e.parent)),
      el('td', {}, el('span', { class: 'dot-inline', style: `background:${serviceColor(e.child)}` }), traces(e.child)),
      el('td', { class: 'num' }, String(e.calls)),
      el('td', { class: 'num' }, formatRate(e.ratePerSecond)),
      el('td', { class: 'num' }, e.errors > 0
        ? el('span', { class: 'badge error', title: `${e.errors} of ${e.calls}` }, formatPercent(e.errorRatio))
        : formatPercent(e.errorRatio)))))));
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
