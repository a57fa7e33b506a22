// A manager's label on one answer (correct / unsafe / unsupported / unhelpful, with a note):
// each label becomes a regression case of the next eval run.
import { api } from "./api.js";
import { errorText, h } from "./dom.js";
import { t } from "./i18n.js";

export const VERDICTS = ["correct", "unsafe", "unsupported", "unhelpful"];
// a verdict picked but not yet saved survives the live refreshes that rebuild the transcript
const picked = new Map();

export function answerLabel(conversationId, message, label, readOnly) {
  const verdict = h("select", { name: "verdict", "aria-label": t("answer_verdict"), disabled: readOnly },
    h("option", { value: "" }, t("label_this")),
    ...VERDICTS.map((v) => h("option", { value: v, selected: (picked.get(message.id) ?? label?.verdict) === v }, t(`verdict_${v}`))));
  verdict.addEventListener("change", () => picked.set(message.id, verdict.value));
  const notes = h("input", { name: "label-notes", "aria-label": t("notes"), placeholder: t("label_notes_hint"), disabled: readOnly });
  notes.value = label?.notes || "";
  const status = h("span.status", { role: "status" }, label ? t("answer_labelled", { verdict: t(`verdict_${label.verdict}`), who: label.labelled_by.split(":").pop() }) : "");
  const save = h("button.save-answer-label.ghost-dark", { type: "button", disabled: readOnly }, t("save_label"));
  save.addEventListener("click", async () => {
    if (!verdict.value) { status.textContent = t("choose_verdict"); status.className = "status error"; return; }
    save.disabled = true;
    status.className = "status";
    try {
      const saved = await api("PUT", `/v1/conversations/${conversationId}/messages/${message.id}/label`, { verdict: verdict.value, notes: notes.value });
      picked.delete(message.id);
      status.textContent = t("answer_labelled", { verdict: t(`verdict_${saved.verdict}`), who: saved.labelled_by.split(":").pop() });
      document.dispatchEvent(new CustomEvent("hm:changed"));
    } catch (err) {
      status.textContent = errorText(err);
      status.className = "status error";
    } finally {
      save.disabled = false;
    }
  });
  return h("div.answer-label", { dataset: { verdict: label?.verdict || "" } }, verdict, notes, save, status);
}
