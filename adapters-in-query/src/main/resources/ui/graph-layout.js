// A deterministic layered layout for a directed graph (the service map), no DOM needed:
// cycles broken by a depth-first search, longest-path layering, barycentre ordering.

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Layers for nodes (names) and edges ({parent, child, calls}): every edge runs from a lower layer to
 * a higher one, except those that close a cycle ("back edges", reversed while laying out, so they
 * run backwards); self-loops take no part. An edge across more than one layer passes through a
 * virtual node in each layer between (a place kept free for it), so the ordering keeps it clear
 * of the nodes. The same graph always gets the same layout, whatever order its nodes and edges
 * come in. Returns {layers: [[name]] (the nodes, in order), slots: [places per layer, virtual
 * ones included], place: Map(name or virtual node → {layer, index}), backEdges: Set of edgeKey,
 * routes: Map(edgeKey → [names from parent to child, virtual nodes between])}.
 */
export function layeredLayout(nodeNames, edges) {
  const names = [...new Set([...nodeNames, ...edges.flatMap((e) => [e.parent, e.child])])].sort(byName);
  const children = new Map(names.map((n) => [n, new Set()]));
  const weight = new Map(names.map((n) => [n, 0])); // calls made minus calls served
  for (const { parent, child, calls } of edges) {
    if (parent === child) continue;
    children.get(parent).add(child);
    weight.set(parent, weight.get(parent) + (calls ?? 1));
    weight.set(child, weight.get(child) - (calls ?? 1));
  }
  const sortedChildren = new Map(names.map((n) => [n, [...children.get(n)].sort(byName)]));
  const backEdges = findBackEdges(names, sortedChildren, weight);
  // the graph without cycles: back edges reversed
  const acyclic = names.flatMap((p) => sortedChildren.get(p).map((c) => {
    const key = edgeKey(p, c);
    return backEdges.has(key) ? { from: c, to: p, key, back: true } : { from: p, to: c, key, back: false };
  }));
  const layerOf = longestPathLayers(names, acyclic.map((e) => [e.from, e.to]));
  const count = Math.max(0, ...layerOf.values()) + 1;
  const layers = Array.from({ length: count }, () => []);
  for (const name of names) layers[layerOf.get(name)].push(name); // by name at first
  const segments = [];
  const routes = new Map();
  for (const e of acyclic) {
    const chain = [e.from];
    for (let l = layerOf.get(e.from) + 1; l < layerOf.get(e.to); l++) {
      const virtual = `${VIRTUAL}${e.key}${VIRTUAL}${l}`;
      layers[l].push(virtual);
      chain.push(virtual);
    }
    chain.push(e.to);
    for (let i = 1; i < chain.length; i++) segments.push([chain[i - 1], chain[i]]);
    routes.set(e.key, e.back ? chain.reverse() : chain);
  }
  orderByBarycentres(layers, segments);
  const place = new Map();
  layers.forEach((layer, l) => layer.forEach((name, index) => place.set(name, { layer: l, index })));
  return {
    layers: layers.map((layer) => layer.filter((n) => !isVirtual(n))),
    slots: layers.map((layer) => layer.length),
    place, backEdges, routes,
  };
}

const VIRTUAL = '\u0001';

function isVirtual(name) {
  return name.startsWith(VIRTUAL);
}

export function edgeKey(parent, child) {
  return `${parent}\u0000${child}`;
}

/**
 * The edges that close a cycle: those to a node still on the depth-first search's stack. The
 * search starts at the services nobody calls (the entry points), then at those that call more
 * than they serve, each in name order among equals.
 */
function findBackEdges(names, children, weight) {
  const called = new Set([...children.values()].flat());
  const roots = [...names].sort((a, b) => Number(called.has(a)) - Number(called.has(b)) ||
    weight.get(b) - weight.get(a) || byName(a, b));
  const state = new Map(); // name → 'open' while on the stack, 'done' after
  const back = new Set();
  for (const root of roots) {
    if (state.has(root)) continue;
    // iterative, so a long chain of services cannot overflow the stack
    const stack = [[root, 0]];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, next] = top;
      const list = children.get(node);
      if (next === list.length) {
        state.set(node, 'done');
        stack.pop();
        continue;
      }
      top[1] = next + 1;
      const child = list[next];
      if (state.get(child) === 'open') back.add(edgeKey(node, child));
      else if (!state.has(child)) {
        state.set(child, 'open');
        stack.push([child, 0]);
      }
    }
  }
  return back;
}

/** Each node one layer after its furthest caller (the callers of an acyclic graph: forward edges). */
function longestPathLayers(names, forward) {
  const incoming = new Map(names.map((n) => [n, 0]));
  const out = new Map(names.map((n) => [n, []]));
  for (const [p, c] of forward) {
    incoming.set(c, incoming.get(c) + 1);
    out.get(p).push(c);
  }
  const layer = new Map(names.map((n) => [n, 0]));
  const ready = names.filter((n) => incoming.get(n) === 0);
  while (ready.length > 0) {
    const node = ready.shift();
    for (const c of out.get(node)) {
      layer.set(c, Math.max(layer.get(c), layer.get(node) + 1));
      incoming.set(c, incoming.get(c) - 1);
      if (incoming.get(c) === 0) ready.push(c);
    }
  }
  return layer;
}

const SWEEPS = 8;

/**
 * Orders each layer by the mean position of its neighbours in the layer before (sweeping down)
 * or after (sweeping up), keeping the order with the fewest crossings between adjacent layers.
 */
function orderByBarycentres(layers, forward) {
  const neighbours = new Map();
  const link = (a, b) => {
    if (!neighbours.has(a)) neighbours.set(a, []);
    neighbours.get(a).push(b);
  };
  for (const [p, c] of forward) {
    link(p, c);
    link(c, p);
  }
  let best = layers.map((l) => [...l]);
  let fewest = crossings(best, forward);
  for (let sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    for (let i = 1; i < layers.length; i++) {
      const l = down ? i : layers.length - 1 - i;
      const fixed = layers[down ? l - 1 : l + 1];
      const position = new Map(fixed.map((n, at) => [n, at]));
      const keyed = layers[l].map((name, at) => {
        const around = (neighbours.get(name) || []).filter((n) => position.has(n)).map((n) => position.get(n));
        // a node without neighbours there keeps its place
        const centre = around.length ? around.reduce((a, b) => a + b, 0) / around.length : at;
        return { name, centre, at };
      });
      keyed.sort((a, b) => a.centre - b.centre || a.at - b.at);
      layers[l] = keyed.map((k) => k.name);
    }
    const now = crossings(layers, forward);
    if (now < fewest) {
      fewest = now;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((l, i) => { layers[i] = l; });
}

/** Pairs of edges between the same two adjacent layers that cross. */
function crossings(layers, forward) {
  const place = new Map();
  layers.forEach((layer, l) => layer.forEach((n, i) => place.set(n, [l, i])));
  const spans = forward.map(([p, c]) => [place.get(p), place.get(c)])
    .filter(([a, b]) => b[0] === a[0] + 1);
  let count = 0;
  for (let i = 0; i < spans.length; i++) {
    for (let j = i + 1; j < spans.length; j++) {
      const [a, b] = spans[i];
      const [c, d] = spans[j];
      if (a[0] === c[0] && (a[1] - c[1]) * (b[1] - d[1]) < 0) count++;
    }
  }
  return count;
}
