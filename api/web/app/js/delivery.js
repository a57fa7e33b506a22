// Sending turns: every message goes through the outbox first (localStorage, with its
// client_message_id), then over SSE; a failure keeps it for later, a refusal hands it back.

import { ApiError, api } from "./api.js";
import { appendPatient, lastFollowUps, markSent, markWaiting, startAssistant } from "./chat.js";
import { newId } from "./dom.js";
import { t } from "./i18n.js";

/**
 * ui: { outbox, input, conversationId(), expired(), showExpired(), banner(kind, text, retry),
 *       showInputError(text), showChips(texts), delivered() }
 */
export function createDelivery(ui) {
  let flushing = false;

  const sleep = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

  /** Delivers one outbox item; true when it is done (sent, or refused and handed back). */
  async function deliver(item, bubble) {
    for (let attempt = 0; ; attempt += 1) {
      const turn = startAssistant();
      try {
        const result = await api.sendMessage(ui.conversationId(), item.content, item.id, (name, data) => {
          if (name === "progress") turn.progress(data.node);
          else if (name === "delta") turn.delta(data.text);
        });
        ui.outbox.remove(item.id);
        markSent(bubble);
        turn.finish(result);
        ui.showChips(lastFollowUps());
        ui.delivered();
        return true;
      } catch (error) {
        turn.fail();
        if (!(error instanceof ApiError)) throw error;
        if (error.status === 401) {
          ui.showExpired();
          return false;
        }
        if (error.status === 429 && attempt < 3) {
          const wait = Math.min(error.retryAfter ?? 5, 60);
          ui.showInputError(t("rate_limited", { s: Math.ceil(wait) }));
          document.body.dataset.state = "rate-limited";
          await sleep(wait);
          ui.showInputError("");
          document.body.dataset.state = "";
          continue;
        }
        if (error.status === 429) { // still too many after waiting: kept, sent on retry
          markWaiting(bubble);
          ui.showInputError("");
          ui.banner("busy", t("busy_banner"), true);
          return false;
        }
        if (error.unreachable) {
          markWaiting(bubble);
          ui.banner(navigator.onLine ? "down" : "offline",
            navigator.onLine ? t("down_banner") : t("offline_banner"), navigator.onLine);
          return false;
        }
        // refused (4xx): nothing is lost, the text goes back into the input with the reason
        ui.outbox.remove(item.id);
        bubble?.remove();
        if (!ui.input.value) ui.input.value = item.content;
        ui.showInputError(error.message);
        ui.input.focus();
        return true;
      }
    }
  }

  async function flush() {
    if (flushing || ui.expired() || !ui.conversationId() || !navigator.onLine) return;
    flushing = true;
    try {
      // one at a time, re-reading the outbox: a message typed during a turn goes next
      for (let item = ui.outbox.items()[0]; item; item = ui.outbox.items()[0]) {
        const bubble = document.querySelector(`[data-client-id="${item.id}"]`) ||
          appendPatient(item.content, { pending: true, clientId: item.id });
        if (!(await deliver(item, bubble))) break;
      }
    } finally {
      flushing = false;
    }
  }

  function submit(text) {
    const content = text.trim();
    if (!content) return;
    ui.showInputError("");
    const item = { id: newId(), content, at: new Date().toISOString() };
    ui.outbox.add(item);
    appendPatient(content, { pending: true, clientId: item.id });
    ui.input.value = "";
    ui.input.style.height = "";
    ui.showChips([]);
    if (!navigator.onLine) ui.banner("offline", t("offline_banner"));
    if (!navigator.onLine || !ui.conversationId()) {
      markWaiting(document.querySelector(`[data-client-id="${item.id}"]`));
    }
    flush();
  }

  return { submit, flush };
}
