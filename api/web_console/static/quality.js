// The quality view: today's numbers for the tenant and two small SVG bar charts.
import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { duration } from "./board.js";
import { barChart } from "./charts.js";

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
