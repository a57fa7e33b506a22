// One conversation: the transcript with citations, tool calls, cards and the reviewer's verdict,
// beside the patient's readings, tasks and consents.
import { api } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

function resultDetails(result) {
  if (!result) return null;
  const review = result.review || {};
  return h("div.meta", {},
    h("span.verdict.verdict-" + (review.verdict || "approve"), {}, t("verdict"), ": ", review.verdict || "approve"),
    ...(review.reasons || []).map((r) => h("code.reason", { title: r.message }, r.code)),
    result.safety?.triage_level ? h(`span.level.level-${result.safety.triage_level}`, {}, t(`level_${result.safety.triage_level}`)) : null,
    result.citations?.length ? h("details", {}, h("summary", {}, `${t("citations")} (${result.citations.length})`),
      h("ul", {}, ...result.citations.map((c) => h("li", {}, `${c.title} · ${c.source}${c.year ? " " + c.year : ""} · ${c.section}`)))) : null,
    result.tool_calls?.length ? h("details", {}, h("summary", {}, `${t("tools")} (${result.tool_calls.length})`),
      h("ul", {}, ...result.tool_calls.map((c) => h("li", {}, h("code", {}, c.name), c.ok ? " ✓" : ` ✗ ${c.error_code || ""}`)))) : null,
    ...(result.cards || []).map((c) => h("span.cardtag", {}, `${c.type}: ${c.title}`)));
}

async function optional(path) {
  try { return await api("GET", path); } catch { return null; }
}

export async function renderConversation(root, id) {
  const conv = await api("GET", `/v1/conversations/${id}`);
  const [readings, tasks, consents] = await Promise.all([
    optional(`/v1/patients/${conv.patient_id}/readings`),
    optional(`/v1/patients/${conv.patient_id}/tasks`),
    optional(`/v1/patients/${conv.patient_id}/consents`),
  ]);
  const byQuestion = new Map(conv.messages.filter((m) => m.result).map((m) => [m.id, m.result]));
  const transcript = h("ol.transcript", {}, ...conv.messages.map((m) => h(`li.msg.msg-${m.role}`, { dataset: { message: m.id } },
    h("span.role", {}, t(`role_${m.role}`)),
    h("p", {}, m.content),
    m.role === "assistant" ? resultDetails(byQuestion.get(m.reply_to_id) || m.result) : null)));
  const list = (items, fmt) => (items && items.length ? h("ul", {}, ...items.map((x) => h("li", {}, fmt(x)))) : h("p.empty", {}, t("none")));
  root.replaceChildren(
    h("div.toolbar", {}, h("a", { href: "#/board" }, "← ", t("back")), h("h1", {}, conv.patient_ref)),
    h("div.conversation", {},
      h("section.card", {}, h("h2", {}, t("transcript")), transcript),
      h("aside.card.side", {},
        h("h2", {}, t("readings")), list(readings, (r) => `${r.kind} ${Object.values(r.display || r.values).join("/")} ${r.unit} · ${new Date(r.measured_at).toLocaleString()}`),
        h("h2", {}, t("tasks")), list(tasks, (x) => `${x.task?.task_type ?? ""} · ${x.status} · ${x.points_total} pts`),
        h("h2", {}, t("consents")), list(consents?.current || [], (c) => `${c.purpose}: ${c.granted ? "✓" : "✗"}`))));
}
