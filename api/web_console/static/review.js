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
  const failed = h("ul.reasons.failed-checks");
  const buttons = [];
  const decide = async (action) => {
    const body = action === "approve" ? {} : { reply: reply.value };
    buttons.forEach((b) => { b.disabled = true; });
    status.className = "status";
    failed.replaceChildren();
    try {
      await api("POST", `/v1/review-queue/${item.id}/${action}`, body);
      status.textContent = t("sent");
      card.classList.add("decided");
      document.dispatchEvent(new CustomEvent("hm:changed"));
    } catch (err) {
      const by = err.body?.details?.decided_by;
      status.textContent = by ? `${t("decided_by", { who: by, status: err.body.details.status })} — ${errorText(err)}` : err.body?.message || errorText(err);
      status.className = "status error";
      failed.replaceChildren(...(err.body?.details?.reasons || []).map((r) => h("li", { dataset: { code: r.code } }, h("code", {}, r.code), " ", r.message)));
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
    status, failed);
  return card;
}

// Decided items: label the root cause with a note; each label is a regression case.
export async function renderDecided(root, me) {
  const [{ items }, learning] = await Promise.all([
    api("GET", "/v1/review-queue?status=decided"),
    api("GET", "/v1/console/learning"),
  ]);
  const count = h("p.learning", { id: "learning-count" }, t("learning", { n: learning.labelled_cases }));
  const refreshCount = async () => {
    const now = await api("GET", "/v1/console/learning");
    count.textContent = t("learning", { n: now.labelled_cases });
  };
  root.replaceChildren(
    h("div.toolbar", {}, h("h1", {}, t("decided"))), count,
    items.length ? h("div.queue", {}, ...items.map((i) => labelCard(i, me.role !== "manager", refreshCount))) : h("p.empty", {}, t("none")));
}

function labelCard(item, readOnly, onLabelled) {
  const cause = h("select", { name: "root_cause", "aria-label": t("root_cause"), disabled: readOnly },
    ...["technical", "rule", "data"].map((c) => h("option", { value: c, selected: item.label?.root_cause === c }, t(`cause_${c}`))));
  const notes = h("input", { name: "notes", "aria-label": t("notes"), placeholder: t("notes"), disabled: readOnly });
  notes.value = item.label?.notes || "";
  const status = h("p.status", { role: "status" }, item.label ? t("labelled", { cause: t(`cause_${item.label.root_cause}`) }) : "");
  const save = h("button.save-label", { type: "button", disabled: readOnly }, t("save_label"));
  save.addEventListener("click", async () => {
    status.className = "status";
    try {
      const label = await api("POST", `/v1/review-queue/${item.id}/label`, { root_cause: cause.value, notes: notes.value });
      status.textContent = t("labelled", { cause: t(`cause_${label.root_cause}`) });
      await onLabelled();
    } catch (err) { status.textContent = errorText(err); status.className = "status error"; }
  });
  return h("article.card.decided-item", { dataset: { item: item.id } },
    h("h3", {}, item.conversation.patient_ref, " · ", item.status, item.decided_by ? ` · ${item.decided_by}` : ""),
    h("blockquote", {}, item.question),
    h("div.draft", {}, item.final_reply || ""),
    h("ul.reasons", {}, ...item.reasons.map((r) => h("li", {}, h("code", {}, r.code), " ", r.message))),
    h("div.actions", {}, h("label", {}, t("root_cause"), " ", cause), notes, save),
    status);
}
