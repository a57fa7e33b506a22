// The chat thread: bubbles, the typing/progress indicator, the streamed reviewed reply,
// citations, cards, the AI disclosure, held answers and the health manager's messages.

import { api } from "./api.js";
import { renderCard } from "./cards.js";
import { clear, h, openSheet } from "./dom.js";
import { nextChips, show, t } from "./i18n.js";
import { speak, canSpeak } from "./speech.js";

const shownMessages = new Set();
let log = null;
let cardContext = {};

export function initChat(element, context) {
  log = element;
  cardContext = context;
}

function scrollToEnd() {
  log.lastElementChild?.scrollIntoView({ block: "end" });
}

export function hasMessage(id) {
  return shownMessages.has(id);
}

export function appendWelcome() {
  const bubble = h("article.bubble.assistant.welcome", {}, h("p", {}, t("welcome")));
  bubble.rerender = () => { bubble.firstChild.textContent = t("welcome"); };
  log.append(bubble);
}

/** Draws every bubble again after a display change (language, traditional characters). */
export function rerenderThread() {
  for (const bubble of log.querySelectorAll(".bubble")) bubble.rerender?.();
}

/** The patient's bubble; `status` shows "waiting to send" while it is in the outbox. */
export function appendPatient(text, { pending = false, clientId = "" } = {}) {
  const bubble = h(
    "article.bubble.patient",
    { dataset: { clientId } },
    h("p", {}, show(text)),
    pending ? h("p.status", {}, t("sending")) : null,
  );
  bubble.rerender = () => { bubble.firstChild.textContent = show(text); };
  log.append(bubble);
  scrollToEnd();
  return bubble;
}

export function markSent(bubble) {
  bubble?.querySelector(".status")?.remove();
}

export function markWaiting(bubble) {
  const status = bubble?.querySelector(".status");
  if (status) status.textContent = t("pending");
}

function citationSheet(citation, n) {
  const passage = h("blockquote.passage", {}, t("passage_loading"));
  const body = h(
    "div",
    {},
    h("dl", {},
      h("div.kv", {}, h("dt", {}, t("cite_source")), h("dd", {}, show(citation.source))),
      h("div.kv", {}, h("dt", {}, t("cite_year")), h("dd", {}, citation.year ?? "")),
      h("div.kv", {}, h("dt", {}, t("cite_section")), h("dd", {}, show(citation.section)))),
    passage,
  );
  openSheet(`[${n}] ${show(citation.title)}`, body, t("close"));
  if (citation.chunk_id) {
    api.readChunk(citation.chunk_id).then(
      (p) => { passage.textContent = show(p.text); },
      () => { passage.textContent = ""; },
    );
  } else passage.textContent = "";
}

/** Reply text with its [n] markers as buttons that open the cited passage. */
function replyText(reply, citations) {
  const container = h("div.reply");
  for (const paragraph of String(reply).split(/\n{2,}/)) {
    const p = h("p");
    for (const piece of paragraph.split(/(\[\d+\])/)) {
      const m = piece.match(/^\[(\d+)\]$/);
      const citation = m ? citations[Number(m[1]) - 1] : null;
      if (citation) {
        p.append(h("button.cite", {
          type: "button",
          "aria-label": `${t("citations")} ${m[1]}: ${show(citation.title)}`,
          onclick: () => citationSheet(citation, m[1]),
        }, m[1]));
      } else p.append(show(piece));
    }
    container.append(p);
  }
  return container;
}

function citationList(citations) {
  if (!citations.length) return null;
  return h("details.citations", {},
    h("summary", {}, `${t("citations")} (${citations.length})`),
    h("ol", {}, citations.map((c, i) => h("li", {},
      h("button.link", { type: "button", onclick: () => citationSheet(c, i + 1) },
        `${show(c.source)}${c.year ? ` (${c.year})` : ""} · ${show(c.section)}`)))));
}

/** A pending assistant bubble: typing indicator, progress line, streamed text. */
export function startAssistant() {
  const progress = h("p.progress", { role: "status" }, t("thinking"));
  const stream = h("p.stream");
  const bubble = h("article.bubble.assistant.typing", { "aria-busy": "true" },
    h("span.dots", { "aria-hidden": "true" }, h("i"), h("i"), h("i")), progress, stream);
  log.append(bubble);
  scrollToEnd();
  return {
    bubble,
    progress(node) {
      progress.textContent = t(`step_${node}`) === `step_${node}` ? t("thinking") : t(`step_${node}`);
    },
    delta(text) {
      stream.textContent += show(text);
      scrollToEnd();
    },
    finish(result) {
      if (result.message_id && shownMessages.has(result.message_id)) {
        bubble.remove(); // already shown by a catch-up read of the conversation
        return;
      }
      fillAssistant(bubble, result);
      scrollToEnd();
    },
    fail() {
      bubble.remove();
    },
  };
}

function fillAssistant(bubble, result, role = "assistant") {
  bubble.rerender = () => fillAssistant(bubble, result, role);
  const resolved = bubble.dataset.held === "done";
  clear(bubble);
  bubble.classList.remove("typing");
  bubble.removeAttribute("aria-busy");
  if (result.message_id) {
    shownMessages.add(result.message_id);
    bubble.dataset.messageId = result.message_id;
  }
  const cards = result.cards || [];
  const urgent = cards.filter((c) => c.type === "emergency");
  const others = cards.filter((c) => c.type !== "emergency");
  for (const c of urgent) bubble.append(renderCard(c, cardContext));  // 120 first, always
  if (role === "manager") bubble.append(h("p.sender", {}, t("from_manager")));
  bubble.append(replyText(result.reply, result.citations || []));
  const context = Object.create(cardContext, { reply: { value: show(result.reply) } });
  for (const c of others) bubble.append(renderCard(c, context));
  if (result.status === "held") {
    bubble.classList.add("held");
    bubble.dataset.held = resolved ? "done" : "true";
    bubble.append(h("p.held-note", { role: "status" }, resolved ? `✓ ${t("held_done")}` : `⏳ ${t("held")}`));
  }
  const sources = citationList(result.citations || []);
  if (sources) bubble.append(sources);
  // honest about review: an emergency instruction goes out at once, before any review
  const review = result.review || {};
  const reviewed = review.verdict === "approve" && review.reviewer && review.reviewer !== "escalation";
  const footer = h("footer.meta", {}, result.status === "held" ? null
    : h("small.disclosure", {}, t(reviewed ? "ai_disclosure" : "ai_disclosure_unreviewed")));
  if (canSpeak()) {
    footer.append(h("button.link.speak", { type: "button", onclick: () => speak(result.reply) }, `🔊 ${t("read_aloud")}`));
  }
  if (role === "assistant") bubble.append(footer);
  // what a patient may want to ask next (the triage tool's follow-up questions are questions
  // TO the patient, so they are not offered as chips)
  const follow = result.status === "held" || urgent.length ? [] : nextChips(result.intent);
  bubble.dataset.followUps = JSON.stringify(follow);
}

/** Marks held bubbles as checked: the one a manager answered, or all when unknown. */
function resolveHeld(heldId = null) {
  for (const el of log.querySelectorAll('[data-held="true"]')) {
    if (heldId && el.dataset.messageId !== heldId) continue;
    el.dataset.held = "done";
    const note = el.querySelector(".held-note");
    if (note) note.textContent = `✓ ${t("held_done")}`;
  }
}

/** A message from history or from the live stream (assistant or health manager). */
export function appendMessage(message, { catchUp = false } = {}) {
  if (shownMessages.has(message.id)) return;
  if (message.role === "patient") {
    if (catchUp) return; // this session's own messages are already on screen
    appendPatient(message.content);
    shownMessages.add(message.id);
    return;
  }
  if (message.turn_status === "superseded") return;
  const role = message.role === "manager" ? "manager" : "assistant";
  const result = message.result || { reply: message.content, citations: [], cards: [] };
  if (message.held_message_id) resolveHeld(message.held_message_id);
  const bubble = h(`article.bubble.${role}`);
  log.append(bubble);
  fillAssistant(bubble, { ...result, message_id: message.id, reply: message.content }, role);
  scrollToEnd();
}

export function lastFollowUps() {
  const last = [...log.querySelectorAll(".bubble.assistant")].pop();
  try {
    return JSON.parse(last?.dataset.followUps || "[]");
  } catch {
    return [];
  }
}
