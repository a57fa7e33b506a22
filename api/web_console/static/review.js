// The review queue: each held draft beside its reasons; approve, edit or reject with a reply.
import { api } from "./api.js";
import { errorText, h } from "./dom.js";
import { t } from "./i18n.js";

export async function renderReview(root, me) {
  const { items } = await api("GET", "/v1/review-queue?status=pending");
  const readOnly = me.role !== "manager";
  root.replaceChildren(
    h("div.toolbar", {}, h("h1", {}, t("nav_review")), readOnly ? h("span.note", {}, t("auditor_readonly")) : null),
    items.length ? h("div.queue", {}, ...items.map((item) => reviewCard(item, readOnly))) : h("p.empty", {}, t("empty_queue")));
}

// A live update never replaces a card (the manager may be typing in it): cards of items
// decided elsewhere are greyed out, new items are appended.
export async function refreshReview(root, me) {
  const queue = root.querySelector(".queue");
  if (!queue) return renderReview(root, me);
  const { items } = await api("GET", "/v1/review-queue?status=pending");
  const pending = new Set(items.map((i) => i.id));
  for (const card of queue.querySelectorAll("article.review-item")) {
    if (!pending.has(card.dataset.item) && !card.classList.contains("decided")) card.classList.add("decided", "decided-elsewhere");
  }
  const shown = new Set([...queue.querySelectorAll("article.review-item")].map((c) => c.dataset.item));
  for (const item of items) if (!shown.has(item.id)) queue.append(reviewCard(item, me.role !== "manager"));
}

export function reviewCard(item, readOnly) {
  const reply = h("textarea", { name: "reply", rows: 5, "aria-label": t("reply"), disabled: readOnly });
  reply.value = item.draft;
  const status = h("p.status", { role: "status" });
  const buttons = [];
  const decide = async (action) => {
    const body = action === "approve" ? {} : { reply: reply.value };
    buttons.forEach((b) => { b.disabled = true; });
    status.className = "status";
    try {
      await api("POST", `/v1/review-queue/${item.id}/${action}`, body);
      status.textContent = t("sent");
      card.classList.add("decided");
      document.dispatchEvent(new CustomEvent("hm:changed"));
    } catch (err) {
      const by = err.body?.details?.decided_by;
      status.textContent = by ? `${t("decided_by", { who: by, status: err.body.details.status })} — ${errorText(err)}` : errorText(err);
      status.className = "status error";
      if (!by) buttons.forEach((b) => { b.disabled = false; });
      else card.classList.add("decided");
    }
  };
  for (const action of ["approve", "edit", "reject"]) {
    buttons.push(h(`button.${action}`, { type: "button", disabled: readOnly, onclick: () => decide(action) }, t(action)));
  }
  const card = h("article.card.review-item", { dataset: { item: item.id } },
    h("div.review-grid", {},
      h("div", {},
        h("h3", {}, t("question"), " · ", h("a", { href: `#/conversation/${item.conversation.id}` }, item.conversation.patient_ref)),
        h("blockquote", {}, item.question),
        h("h3", {}, t("draft")),
        h("div.draft", {}, item.draft)),
      h("div", {},
        h("h3", {}, t("reasons")),
        h("ul.reasons", {}, ...item.reasons.map((r) => h("li", {}, h("code", {}, r.code), " ", r.message))))),
    h("label.reply", {}, t("reply"), reply),
    h("div.actions", {}, ...buttons),
    status);
  return card;
}
