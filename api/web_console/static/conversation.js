// One conversation: the transcript with citations, tool calls, cards and the reviewer's verdict,
// beside the patient's readings, tasks and consents.
import { api } from "./api.js";
import { errorText, h } from "./dom.js";
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

let current = null;

export async function renderConversation(root, id, me) {
  const transcript = h("ol.transcript");
  const side = h("div");
  const header = h("h1");
  const status = h("p.status", { role: "status" });
  const takeover = h("button.takeover", { type: "button", hidden: me.role !== "manager" }, t("take_over"));
  const reply = h("textarea", { name: "manager-reply", rows: 3, "aria-label": t("reply"), placeholder: t("manager_reply_hint") });
  const send = h("button.send", { type: "button" }, t("send"));
  const compose = h("div.compose", { hidden: me.role !== "manager" }, reply, send);
  const act = async (path, body) => {
    status.className = "status";
    try {
      await api("POST", `/v1/conversations/${id}/${path}`, body);
      status.textContent = t("sent");
      await refresh();
      return true;
    } catch (err) {
      status.textContent = errorText(err);
      status.className = "status error";
      return false;
    }
  };
  takeover.addEventListener("click", () => act(current?.conv.taken_over_by ? "handback" : "takeover"));
  send.addEventListener("click", async () => {
    if (reply.value.trim() && (await act("manager-messages", { content: reply.value }))) reply.value = "";
  });
  async function refresh() {
    const conv = await api("GET", `/v1/conversations/${id}`);
    current = { id, conv, refresh };
    header.textContent = conv.patient_ref;
    takeover.textContent = t(conv.taken_over_by ? "hand_back" : "take_over");
    takeover.classList.toggle("active", Boolean(conv.taken_over_by));
    const [readings, tasks, consents] = await Promise.all([
      optional(`/v1/patients/${conv.patient_id}/readings`),
      optional(`/v1/patients/${conv.patient_id}/tasks`),
      optional(`/v1/patients/${conv.patient_id}/consents`),
    ]);
    const byQuestion = new Map(conv.messages.filter((m) => m.result).map((m) => [m.id, m.result]));
    transcript.replaceChildren(...conv.messages.map((m) => h(`li.msg.msg-${m.role}`, { dataset: { message: m.id } },
      h("span.role", {}, t(`role_${m.role}`)),
      h("p", {}, m.content),
      m.role === "assistant" ? resultDetails(byQuestion.get(m.reply_to_id) || m.result) : null)));
    const list = (items, fmt) => (items && items.length ? h("ul", {}, ...items.map((x) => h("li", {}, fmt(x)))) : h("p.empty", {}, t("none")));
    side.replaceChildren(
      h("h2", {}, t("readings")), list(readings, (r) => `${r.kind} ${Object.values(r.display || r.values).join("/")} ${r.unit} · ${new Date(r.measured_at).toLocaleString()}`),
      h("h2", {}, t("tasks")), list(tasks, (x) => `${x.task?.task_type ?? ""} · ${x.status} · ${x.points_total} pts`),
      h("h2", {}, t("consents")), list(consents?.current || [], (c) => `${c.purpose}: ${c.granted ? "✓" : "✗"}`));
    document.body.dataset.takenOver = conv.taken_over_by ? "yes" : "no";
  }
  root.replaceChildren(
    h("div.toolbar", {}, h("a", { href: "#/board" }, "← ", t("back")), header, h("span.spacer"), takeover),
    h("div.conversation", {},
      h("section.card", {}, h("h2", {}, t("transcript")), transcript, compose, status),
      h("aside.card.side", {}, side)));
  await refresh();
}

/** Re-read the open conversation when a live event concerns it (the compose box stays). */
export async function refreshConversation(conversationId) {
  if (current && (!conversationId || current.id === conversationId)) await current.refresh();
}
