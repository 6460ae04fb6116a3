// Hand-written SVG charts: trace durations over time (scatter) and log volume (stacked bars).
import { el, svg, formatDuration, formatTime, nanosToMillis } from './api.js';

const HEIGHT = 180;
const PAD = { left: 64, right: 12, top: 10, bottom: 24 };

/** Traces as dots: x = start time, y = duration (log scale), red when a span failed. */
export function durationScatter(traces, onPick, width) {
  const WIDTH = chartWidth(width);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img',
    'aria-label': 'Trace durations over time', 'data-testid': 'duration-chart' });
  if (traces.length === 0) return chart;
  const times = traces.map((t) => nanosToMillis(t.startTimeUnixNano));
  const durations = traces.map((t) => Math.max(1, Number(t.durationNanos)));
  const [t0, t1] = spread(Math.min(...times), Math.max(...times));
  const [d0, d1] = spread(Math.log10(Math.min(...durations)), Math.log10(Math.max(...durations)));
  const x = (t) => PAD.left + ((t - t0) / (t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (d) => HEIGHT - PAD.bottom - ((Math.log10(d) - d0) / (d1 - d0)) * (HEIGHT - PAD.top - PAD.bottom);
  axes(chart, [
    [PAD.top, formatDuration(Math.round(10 ** d1))],
    [HEIGHT - PAD.bottom, formatDuration(Math.round(10 ** d0))],
  ], [formatTime(BigInt(Math.round(t0)) * 1000000n), formatTime(BigInt(Math.round(t1)) * 1000000n)], WIDTH);
  traces.forEach((trace, i) => {
    const dot = svg('circle', {
      cx: x(times[i]).toFixed(1), cy: y(durations[i]).toFixed(1), r: 5,
      class: trace.errorCount > 0 ? 'dot error' : 'dot', onclick: () => onPick(trace),
    }, svg('title', {}, document.createTextNode(
      `${trace.rootServiceName}: ${trace.rootSpanName} · ${formatDuration(trace.durationNanos)}`)));
    chart.append(dot);
  });
  return chart;
}

/** Log volume: one bar per time slice, stacked by severity level, coloured like the log list. */
export function volumeHistogram(histogram, width) {
  const WIDTH = chartWidth(width);
  const levels = [...histogram.levels].reverse(); // the worst at the top of each bar
  const buckets = histogram.buckets;
  const max = Math.max(1, ...buckets.map((b) => b.total));
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img',
    'aria-label': 'Log volume over time by severity', 'data-testid': 'log-histogram' });
  axes(chart, [[PAD.top, String(max)], [HEIGHT - PAD.bottom, '0']],
    [formatTime(histogram.startUnixNano), formatTime(histogram.endUnixNano)], WIDTH);
  const slot = (WIDTH - PAD.left - PAD.right) / buckets.length;
  const scale = (HEIGHT - PAD.top - PAD.bottom) / max;
  buckets.forEach((bucket, i) => {
    let base = HEIGHT - PAD.bottom;
    for (const level of [...levels].reverse()) {
      const count = bucket.counts[level] || 0;
      if (count === 0) continue;
      const h = count * scale;
      base -= h;
      chart.append(svg('rect', {
        x: (PAD.left + i * slot + slot * 0.1).toFixed(1), y: base.toFixed(1),
        width: Math.max(1, slot * 0.8).toFixed(1), height: Math.max(0.5, h).toFixed(1),
        class: `bar level-${level}`, 'data-count': count,
      }, svg('title', {}, document.createTextNode(`${formatTime(bucket.startUnixNano)} · ${level}: ${count}`))));
    }
  });
  return el('figure', { class: 'histogram' }, chart,
    el('figcaption', { class: 'legend' }, levels.filter((l) => buckets.some((b) => b.counts[l]))
      .map((l) => el('span', { class: `swatch level-${l}` }, l))));
}

/** The chart's width in CSS pixels (its box's), so text and dots keep their size. */
function chartWidth(width) {
  return Math.max(320, Math.round(width || 1000));
}

function spread(lo, hi) {
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

function axes(chart, yLabels, [left, right], WIDTH) {
  chart.append(svg('line', { x1: PAD.left, y1: HEIGHT - PAD.bottom, x2: WIDTH - PAD.right, y2: HEIGHT - PAD.bottom, class: 'axis' }));
  chart.append(svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: HEIGHT - PAD.bottom, class: 'axis' }));
  for (const [y, text] of yLabels) {
    chart.append(svg('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, document.createTextNode(text)));
  }
  chart.append(svg('text', { x: PAD.left, y: HEIGHT - 6, class: 'tick' }, document.createTextNode(left)));
  chart.append(svg('text', { x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end', class: 'tick' }, document.createTextNode(right)));
}

const SERIES_COLORS = ['#2f6fde', '#e8590c', '#2b8a3e', '#ae3ec9', '#c92a2a', '#1098ad', '#f08c00', '#5f3dc4'];

/** The colour of output series number i of a metric chart (lines and legend agree). */
export function seriesColor(i) {
  return SERIES_COLORS[i % SERIES_COLORS.length];
}

/** A number in a few significant digits: 0.00123, 12.5, 1.2k, 3.4M. */
export function formatValue(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return `${trimValue(v / 1e9)}G`;
  if (a >= 1e6) return `${trimValue(v / 1e6)}M`;
  if (a >= 1e4) return `${trimValue(v / 1e3)}k`;
  return trimValue(v);
}

/** Per second, e.g. 0.00833/s. */
export function formatRate(perSecond) {
  return perSecond === 0 ? '0/s' : `${formatValue(perSecond)}/s`;
}

/** A ratio as a percentage, two decimals below 1 % (so a few errors in many calls still show). */
export function formatPercent(ratio) {
  const percent = 100 * ratio;
  return `${percent.toFixed(percent > 0 && percent < 1 ? 2 : 1)}%`;
}

function trimValue(v) {
  return String(Number(v.toPrecision(3)));
}

/**
 * A metric query result as lines over its bucket grid (a bucket without data breaks the line),
 * one colour per output series; exemplars with a trace id as diamonds on their bucket's value,
 * a click hands the exemplar to onExemplar.
 */
export function lineChart(result, onExemplar, width) {
  const WIDTH = chartWidth(width);
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'chart', role: 'img',
    'aria-label': `${result.metric} (${result.agg}) over time`, 'data-testid': 'metric-chart' });
  const start = nanosToMillis(result.startUnixNano);
  const step = Number(result.stepNanos) / 1e6;
  const end = start + step * result.buckets;
  const values = result.series.flatMap((s) => s.points.map((p) => p.value));
  const [v0, v1] = spread(Math.min(0, ...values), Math.max(...values));
  const x = (t) => PAD.left + ((t - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - ((v - v0) / (v1 - v0)) * (HEIGHT - PAD.top - PAD.bottom);
  const unit = result.agg === 'rate' ? ' /s' : result.unit && result.agg !== 'count' ? ` ${result.unit}` : '';
  axes(chart, [[PAD.top, formatValue(v1) + unit], [HEIGHT - PAD.bottom, formatValue(v0) + unit]],
    [formatTime(result.startUnixNano), formatTime(result.endUnixNano)], WIDTH);
  result.series.forEach((series, i) => {
    const color = seriesColor(i);
    const name = Object.values(series.labels).join(', ') || result.metric;
    // each point drawn at the middle of its bucket; a missing bucket starts a new segment
    let d = '';
    let previous = null;
    const byBucket = new Map();
    for (const p of series.points) {
      const t = nanosToMillis(p.startUnixNano);
      const bucket = Math.round((t - start) / step);
      byBucket.set(bucket, p.value);
      d += `${previous === bucket - 1 ? 'L' : 'M'}${x(t + step / 2).toFixed(1)},${y(p.value).toFixed(1)} `;
      previous = bucket;
    }
    chart.append(svg('path', { d, class: 'series-line', stroke: color, 'data-series': name },
      svg('title', {}, document.createTextNode(name))));
    for (const p of series.points.length <= 60 ? series.points : []) {
      const t = nanosToMillis(p.startUnixNano) + step / 2;
      chart.append(svg('circle', { cx: x(t).toFixed(1), cy: y(p.value).toFixed(1), r: 2, fill: color, class: 'series-point' },
        svg('title', {}, document.createTextNode(`${name} · ${formatTime(p.startUnixNano)}: ${formatValue(p.value)}`))));
    }
    for (const e of series.exemplars.filter((ex) => ex.traceId)) {
      const t = nanosToMillis(e.timeUnixNano);
      const bucket = Math.floor((t - start) / step);
      const v = byBucket.has(bucket) ? byBucket.get(bucket) : v0;
      const cx = x(Math.min(end, Math.max(start, t)));
      const cy = y(v);
      chart.append(svg('path', {
        d: `M${cx.toFixed(1)},${(cy - 6).toFixed(1)} l6,6 l-6,6 l-6,-6 z`, class: 'exemplar', fill: color,
        'data-trace-id': e.traceId, onclick: () => onExemplar(e),
      }, svg('title', {}, document.createTextNode(
        `exemplar ${formatValue(Number(e.value))}${result.unit ? ' ' + result.unit : ''} at ${formatTime(e.timeUnixNano)} · trace ${e.traceId} (click to open)`))));
    }
  });
  return chart;
}

const SPARK = { width: 96, height: 24, pad: 2 };

/**
 * A small line over a grid of values (null: no data there, a gap), scaled from 0 to its maximum
 * (or to max when given, e.g. 1 for a ratio); title says what it shows.
 */
export function sparkline(given, title, { kind = 'rate', max } = {}) {
  const values = given.map((v) => (v === undefined ? null : v));
  const top = Math.max(max || 0, ...values.filter((v) => v !== null));
  const x = (i) => SPARK.pad + (values.length > 1 ? (i / (values.length - 1)) * (SPARK.width - 2 * SPARK.pad) : 0);
  const y = (v) => SPARK.height - SPARK.pad - (top > 0 ? (v / top) * (SPARK.height - 2 * SPARK.pad) : 0);
  let d = '';
  values.forEach((v, i) => {
    if (v === null) return;
    const joined = i > 0 && values[i - 1] !== null;
    d += `${joined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    if (!joined && (i === values.length - 1 || values[i + 1] === null)) d += 'h1 '; // a lone point: a dot
  });
  return svg('svg', { viewBox: `0 0 ${SPARK.width} ${SPARK.height}`, class: `spark spark-${kind}`, role: 'img', 'aria-label': title },
    svg('title', {}, document.createTextNode(title)),
    svg('line', { x1: 0, y1: SPARK.height - SPARK.pad, x2: SPARK.width, y2: SPARK.height - SPARK.pad, class: 'spark-base' }),
    d ? svg('path', { d, class: 'spark-line' }) : null);
}
