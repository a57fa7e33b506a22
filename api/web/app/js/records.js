// Readings: a small form (blood pressure, glucose, weight, heart rate) and an SVG chart of the
// recent history with the guideline range drawn in.

import { api } from "./api.js";
import { clear, h } from "./dom.js";
import { language, show, t } from "./i18n.js";
import { flagOf } from "./ranges.js";

const FIELDS = {
  blood_pressure: [["sbp", "sbp"], ["dbp", "dbp"]],
  glucose: [["value", "glucose_value"]],
  weight: [["value", "weight_value"]],
  heart_rate: [["value", "heart_rate_value"]],
};

export function initRecords(root, ctx) {
  const form = root.querySelector("#reading-form");
  const kind = form.querySelector("#reading-kind");
  const fields = form.querySelector("#reading-fields");
  const status = form.querySelector("#reading-status");
  const chart = root.querySelector("#reading-chart");

  function drawFields() {
    clear(fields);
    for (const [name, label] of FIELDS[kind.value]) {
      const id = `reading-${name}`;
      fields.append(h("div.field", {},
        h("label", { for: id }, t(label)),
        h("input", { id, name, type: "number", inputmode: "decimal", step: "any", min: "0", required: true })));
    }
    if (kind.value === "glucose") {
      fields.append(h("div.field", {},
        h("label", { for: "reading-meal" }, t("meal_context")),
        h("select", { id: "reading-meal", name: "meal_context" },
          ["fasting", "after_meal_2h", "random"].map((m) => h("option", { value: m }, t(`meal_${m}`))))));
    }
  }

  kind.addEventListener("change", () => {
    drawFields();
    refresh();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const reading = { kind: kind.value, measured_at: new Date().toISOString(), source_device: "manual" };
    for (const [name] of FIELDS[kind.value]) reading[name] = Number(data.get(name));
    if (kind.value === "glucose") reading.meal_context = data.get("meal_context");
    status.textContent = "";
    try {
      const recorded = await api.recordReading(ctx.patientId(), reading);
      const r = recorded.reading;
      const flag = flagOf(ctx.ranges(), r.kind, r.display, r.meal_context);
      const verdict = flag ? ` ${t(`reading_flag_${flag.flag}`)}（${t("reading_range")} ${flag.range}）` : "";
      status.textContent = `${t("saved")}：${show(recorded.message[language()] || recorded.message.zh)}${verdict}`;
      status.dataset.flag = flag?.flag || "";
      status.dataset.state = "ok";
      form.reset();
      drawFields();
      refresh();
    } catch (error) {
      ctx.onError(error);
      status.textContent = t("error_generic", { m: error.message });
      status.dataset.state = "error";
    }
  });

  async function refresh() {
    if (!ctx.patientId()) return;
    try {
      const readings = await api.listReadings(ctx.patientId());
      drawChart(chart, readings.filter((r) => r.kind === kind.value), kind.value, ctx.ranges());
    } catch (error) {
      ctx.onError(error);
    }
  }

  drawFields();
  return { refresh, relabel: drawFields };
}

function drawChart(root, readings, kind, ranges) {
  clear(root);
  root.append(h("h3", {}, `${t("chart_title")} · ${t(`kind_${kind}`)}`));
  const recent = readings
    .sort((a, b) => new Date(a.measured_at) - new Date(b.measured_at))
    .slice(-14);
  if (!recent.length) {
    root.append(h("p.small", {}, t("no_readings")));
    return;
  }
  const series = Object.keys(recent[0].display);
  const all = recent.flatMap((r) => series.map((s) => r.display[s]));
  const limits = (ranges || []).filter((r) => r.kind === kind).flatMap((r) => [r.low, r.high]).filter((v) => v !== null);
  const lo = Math.min(...all, ...limits) * 0.9;
  const hi = Math.max(...all, ...limits) * 1.1;
  const W = 320, H = 160, P = 28;
  const x = (i) => P + (recent.length === 1 ? (W - 2 * P) / 2 : (i * (W - 2 * P)) / (recent.length - 1));
  const y = (v) => H - P - ((v - lo) / (hi - lo || 1)) * (H - 2 * P);
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${t("chart_title")} ${t(`kind_${kind}`)}`);
  const el = (tag, attrs) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    svg.append(node);
    return node;
  };
  for (const r of (ranges || []).filter((r) => r.kind === kind && (!r.meal_context))) {
    for (const v of [r.low, r.high].filter((v) => v !== null)) {
      el("line", { x1: P, x2: W - P, y1: y(v), y2: y(v), class: "limit" });
      el("text", { x: W - P + 2, y: y(v) + 4, class: "axis" }).textContent = String(v);
    }
  }
  series.forEach((s, n) => {
    const points = recent.map((r, i) => `${x(i)},${y(r.display[s])}`).join(" ");
    el("polyline", { points, class: `series s${n}`, fill: "none" });
    recent.forEach((r, i) => {
      const flag = flagOf(ranges, kind, { [s]: r.display[s] }, r.meal_context)?.flag || "ok";
      el("circle", { cx: x(i), cy: y(r.display[s]), r: 4, class: `dot ${flag}` });
    });
  });
  root.append(svg);
  if (series.length > 1) {
    root.append(h("p.legend.small", {}, series.map((s, n) => h(`span.key.s${n}`, {}, t(s)))));
  }
  const table = h("table.readings", {},
    h("caption.visually-hidden", {}, t("chart_title")),
    h("tbody", {}, recent.slice(-5).reverse().map((r) => h("tr", {},
      h("td", {}, new Date(r.measured_at).toLocaleString(language() === "en" ? "en" : "zh-CN")),
      h("td", {}, `${series.map((s) => r.display[s]).join("/")} ${r.unit}`)))));
  root.append(table);
}
