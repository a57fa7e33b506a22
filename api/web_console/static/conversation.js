// One conversation: the transcript with citations, tool calls, cards, the reviewer's verdict and
// the managers' labels, beside the patient panel (profile, readings, care plans, consents).
import { api } from "./api.js";
import { answerLabel } from "./answer_label.js";
import { errorText, h } from "./dom.js";
import { t } from "./i18n.js";
import { renderPatientPanel } from "./patient_panel.js";

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
  // The output checks run on the text first; their findings are hints (the manager is the
  // human answering): shown once, then the same text can be sent anyway.
  const hints = h("ul.reasons.hints");
  let confirmed = null;
  const resetHints = () => { confirmed = null; hints.replaceChildren(); send.textContent = t("send"); };
  reply.addEventListener("input", resetHints);
  send.addEventListener("click", async () => {
    const text = reply.value;
    if (!text.trim()) return;
    if (confirmed !== text) {
      const found = await api("POST", `/v1/conversations/${id}/manager-messages/check`, { content: text }).catch(() => ({ hints: [] }));
      if (found.hints.length) {
        confirmed = text;
        hints.replaceChildren(...found.hints.map((r) => h("li", { dataset: { code: r.code } }, h("code", {}, r.code), " ", r.message)));
        status.textContent = t("check_hints");
        status.className = "status error";
        send.textContent = t("send_anyway");
        return;
      }
    }
    if (await act("manager-messages", { content: text })) { reply.value = ""; resetHints(); }
  });
  async function refresh() {
    const conv = await api("GET", `/v1/conversations/${id}`);
    current = { id, conv, refresh };
    header.textContent = conv.patient_ref;
    takeover.textContent = t(conv.taken_over_by ? "hand_back" : "take_over");
    takeover.classList.toggle("active", Boolean(conv.taken_over_by));
    const { labels } = await api("GET", `/v1/conversations/${id}/labels`).catch(() => ({ labels: [] }));
    const labelOf = new Map(labels.map((l) => [l.message_id, l]));
    const byQuestion = new Map(conv.messages.filter((m) => m.result).map((m) => [m.id, m.result]));
    // a manager typing a label note keeps it: a live refresh skips the transcript meanwhile
    if (!transcript.contains(document.activeElement)) transcript.replaceChildren(...conv.messages.map((m) => h(`li.msg.msg-${m.role}`, { dataset: { message: m.id } },
      h("span.role", {}, t(`role_${m.role}`)),
      h("p", {}, m.content),
      m.role === "assistant" ? resultDetails(byQuestion.get(m.reply_to_id) || m.result) : null,
      m.role === "assistant" && m.reply_to_id ? answerLabel(id, m, labelOf.get(m.id), me.role !== "manager") : null)));
    await renderPatientPanel(side, conv.patient_id, me, refresh);
    document.body.dataset.takenOver = conv.taken_over_by ? "yes" : "no";
  }
  root.replaceChildren(
    h("div.toolbar", {}, h("a", { href: "#/board" }, "← ", t("back")), header, h("span.spacer"), takeover),
    h("div.conversation", {},
      h("section.card", {}, h("h2", {}, t("transcript")), transcript, compose, hints, status),
      h("aside.card.side", {}, side)));
  await refresh();
}

/** Re-read the open conversation when a live event concerns it (the compose box stays). */
export async function refreshConversation(conversationId) {
  if (current && (!conversationId || current.id === conversationId)) await current.refresh();
}
