// Today's tasks (tick off, streak, points) and consents (a specific sheet before granting; the
// patient can see and withdraw every consent).

import { api } from "./api.js";
import { clear, h, newId } from "./dom.js";
import { language, show, t } from "./i18n.js";

const PURPOSES = ["share_with_insurer", "insurance_pricing_wearable"];

export function initTasks(root, ctx) {
  async function refresh() {
    if (!ctx.patientId()) return;
    let tasks;
    try {
      tasks = await api.listTasks(ctx.patientId());
    } catch (error) {
      ctx.onError(error);
      return;
    }
    clear(root);
    const next = (task) => new Date(task.next_occurrences?.[0] || 8.64e15).getTime();
    const active = tasks.filter((task) => task.status === "active").sort((a, b) => next(a) - next(b));
    const today = new Date().toDateString();
    if (!active.length) root.append(h("p.small", {}, t("no_tasks")));
    for (const task of active) {
      const streak = h("p.small", {}, `${t("streak", { n: task.streak.current })} · ${t("points", { n: task.points_total })}`);
      const button = h("button.button", { type: "button" }, t("task_done"));
      button.addEventListener("click", async () => {
        button.disabled = true;
        try {
          const done = await api.completeTask(ctx.patientId(), task.id, newId());
          streak.textContent = `${t("streak", { n: done.streak.current })} · ${t("points", { n: done.points_total })}`;
          button.textContent = t("task_done_ok");
        } catch (error) {
          button.disabled = false;
          ctx.onError(error);
        }
      });
      const upcoming = task.next_occurrences?.[0];
      const when = upcoming ? new Date(upcoming).toLocaleString(language() === "en" ? "en" : "zh-CN", {
        month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit",
      }) : "";
      root.append(h("article.card.card-task", { dataset: { taskId: task.id } },
        h("h3.card-title", {}, show(task.task.title[language()] || task.task.title.zh),
          upcoming && new Date(upcoming).toDateString() === today ? h("span.badge.ok", {}, ` ${t("due_today")}`) : null),
        when ? h("p.small", {}, t("next_time", { t: when })) : null, streak, button));
    }
  }
  return { refresh };
}

export function initConsents(root, ctx) {
  async function refresh() {
    if (!ctx.patientId()) return;
    let state;
    try {
      state = await api.readConsents(ctx.patientId());
    } catch (error) {
      ctx.onError(error);
      return;
    }
    ctx.setConsented(state.consented_purposes);
    clear(root);
    root.append(h("p", {}, t("consent_intro")));
    for (const purpose of PURPOSES) {
      const current = state.current.find((c) => c.purpose === purpose);
      const granted = Boolean(current?.granted);
      const when = granted ? new Date(current.recorded_at).toLocaleDateString(language() === "en" ? "en" : "zh-CN") : "";
      root.append(h("article.card.card-consent", { dataset: { purpose, granted: String(granted) } },
        h("h3.card-title", {}, t(`purpose_${purpose}`)),
        h("p.small", {}, t(`purpose_${purpose}_body`)),
        h("p.badge", {}, granted ? t("granted_at", { t: when }) : t("not_granted")),
        granted
          ? h("button.button.secondary", { type: "button", onclick: () => change(purpose, false) }, t("withdraw"))
          : h("button.button", { type: "button", onclick: () => confirmGrant(purpose) }, t("grant"))));
    }
  }

  function confirmGrant(purpose) {
    const dialog = h("dialog.sheet", { "aria-labelledby": "consent-title" },
      h("h2", { id: "consent-title" }, t("consent_sheet_title")),
      h("h3", {}, t(`purpose_${purpose}`)),
      h("p", {}, t(`purpose_${purpose}_body`)),
      h("p.small", {}, t("consent_intro")),
      h("div.row", {},
        h("button.button", { type: "button", onclick: () => { dialog.close(); change(purpose, true); } }, t("consent_sheet_confirm")),
        h("button.button.secondary", { type: "button", onclick: () => dialog.close() }, t("cancel"))));
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  }

  async function change(purpose, granted) {
    try {
      await api.recordConsent(ctx.patientId(), purpose, granted);
    } catch (error) {
      ctx.onError(error);
    }
    refresh();
  }

  return { refresh };
}
