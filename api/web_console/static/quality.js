// The quality view: today's numbers for the tenant and two small SVG bar charts.
import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { duration } from "./board.js";

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
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

export async function renderQuality(root) {
  const q = await api("GET", "/v1/console/quality");
  const tile = (key, value) => h("div.tile", { dataset: { metric: key } }, h("span.value", {}, value), h("span.label", {}, t(`q_${key}`)));
  const causes = Object.keys(q.labels_by_cause);
  root.replaceChildren(
    h("div.toolbar", {}, h("h1", {}, t("nav_quality")), h("span.muted", {}, q.day + " UTC")),
    h("div.tiles", {},
      tile("turns", q.turns), tile("escalations", q.escalations), tile("held", q.held),
      tile("decided", q.decided),
      tile("approval_rate", q.approval_rate === null ? "—" : `${Math.round(q.approval_rate * 100)}%`),
      tile("median_decision", q.median_decision_s === null ? "—" : duration(q.median_decision_s))),
    h("div.charts", {},
      h("section.card", {}, h("h2", {}, t("q_turns_by_hour")),
        barChart(q.turns_by_hour, q.turns_by_hour.map((_, i) => String(i)), { title: t("q_turns_by_hour") })),
      h("section.card", {}, h("h2", {}, t("q_labels")),
        causes.length ? barChart(causes.map((c) => q.labels_by_cause[c]), causes.map((c) => t(`cause_${c}`)), { width: 320, title: t("q_labels") })
          : h("p.empty", {}, t("none")))));
}
