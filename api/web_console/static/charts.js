// Small SVG charts for the console (bars for counts, lines for readings over time).
const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

export function barChart(values, labels, { width = 560, height = 160, title = "" } = {}) {
  const max = Math.max(1, ...values);
  const gap = 4;
  const bar = (width - 30) / Math.max(values.length, 1) - gap;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 24}`, role: "img", "aria-label": title, class: "chart" });
  values.forEach((v, i) => {
    const x = 30 + i * (bar + gap);
    const hgt = (v / max) * (height - 10);
    chart.append(svg("rect", { x, y: height - hgt, width: bar, height: hgt, rx: 2, class: "bar" }, svg("title", {}, `${labels[i]}: ${v}`)));
    if (values.length <= 8 || i % 3 === 0) chart.append(svg("text", { x: x + bar / 2, y: height + 16, "text-anchor": "middle", class: "axis" }, labels[i]));
  });
  chart.append(svg("text", { x: 0, y: 12, class: "axis" }, String(max)));
  chart.append(svg("line", { x1: 28, y1: height, x2: width, y2: height, class: "baseline" }));
  return chart;
}


// A line chart of readings over time: one polyline per series, points with their values as
// tooltips, the first and last dates on the axis.
export function lineChart(series, { width = 360, height = 150, title = "" } = {}) {
  const points = series.flatMap((s) => s.points);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 22}`, role: "img", "aria-label": title, class: "chart line-chart" });
  if (!points.length) return chart;
  const times = points.map((p) => p.t);
  const values = points.map((p) => p.v);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const pad = (hi - lo) * 0.1 || 1;
  const x = (tm) => 34 + (t1 === t0 ? (width - 44) / 2 : ((tm - t0) / (t1 - t0)) * (width - 44));
  const y = (v) => 6 + (1 - (v - (lo - pad)) / (hi - lo + 2 * pad)) * (height - 12);
  chart.append(svg("line", { x1: 32, y1: height, x2: width, y2: height, class: "baseline" }));
  chart.append(svg("text", { x: 0, y: y(hi) + 4, class: "axis" }, String(hi)));
  chart.append(svg("text", { x: 0, y: y(lo) + 4, class: "axis" }, String(lo)));
  series.forEach((s, i) => {
    const ordered = [...s.points].sort((a, b) => a.t - b.t);
    chart.append(svg("polyline", { points: ordered.map((p) => `${x(p.t)},${y(p.v)}`).join(" "), class: `series series-${i}` }));
    for (const p of ordered) chart.append(svg("circle", { cx: x(p.t), cy: y(p.v), r: 3, class: `dot series-${i}` }, svg("title", {}, `${s.name} ${p.v} · ${new Date(p.t).toLocaleString()}`)));
  });
  const day = (tm) => new Date(tm).toLocaleDateString();
  chart.append(svg("text", { x: 34, y: height + 16, class: "axis" }, day(t0)));
  if (t1 !== t0) chart.append(svg("text", { x: width, y: height + 16, "text-anchor": "end", class: "axis" }, day(t1)));
  return chart;
}
