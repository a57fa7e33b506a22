// Alerts: readings and red-flag alerts; acknowledge, assign, resolve, and a follow-up task in one click.
import { api } from "./api.js";
import { errorText, h } from "./dom.js";
import { lang, t } from "./i18n.js";

function followUpTask(alert) {
  const glucose = /glucose|hypo|hyper/i.test(alert.rule_code);
  return {
    task_type: glucose ? "glucose_measurement" : "bp_measurement",
    title: t(glucose ? "task_glucose" : "task_bp"),
    owner_role: "health_manager",
    schedule: { kind: "daily", times: ["08:00"], timezone: "Asia/Shanghai" },
  };
}

export async function renderAlerts(root, me) {
  const alerts = await api("GET", "/v1/alerts");
  const open = alerts.filter((a) => a.status !== "resolved");
  root.replaceChildren(
    h("div.toolbar", {}, h("h1", {}, t("nav_alerts"))),
    open.length ? h("div.queue", {}, ...open.map((a) => alertCard(a, me.role !== "manager"))) : h("p.empty", {}, t("empty_alerts")));
}

function alertCard(alert, readOnly) {
  const status = h("p.status", { role: "status" });
  const state = h(`span.flag.alert-${alert.status}`, {}, t(`alert_${alert.status}`));
  const run = async (fn, done) => {
    status.className = "status";
    try { await fn(); status.textContent = done; } catch (err) { status.textContent = errorText(err); status.className = "status error"; }
  };
  const ack = h("button.ack", { type: "button", disabled: readOnly || alert.status !== "open" }, t("acknowledge"));
  ack.addEventListener("click", () => run(async () => {
    const updated = await api("POST", `/v1/alerts/${alert.id}/ack`, {});
    state.textContent = t(`alert_${updated.status}`);
    state.className = `flag alert-${updated.status}`;
    ack.disabled = true;
  }, t("acknowledged_by", { who: "" }).trim()));
  const task = h("button.task.ghost-dark", { type: "button", disabled: readOnly }, t("follow_up_task"));
  task.addEventListener("click", () => run(async () => {
    await api("POST", `/v1/patients/${alert.patient_id}/tasks`, followUpTask(alert));
    task.disabled = true;
  }, t("task_created")));
  const assignee = h("input", { name: "assignee", "aria-label": t("assignee"), placeholder: t("assignee"), disabled: readOnly });
  assignee.value = alert.assigned_to || "";
  const owner = h("span.muted.owner", {}, alert.assigned_to ? t("assigned_to", { who: alert.assigned_to }) : "");
  const assign = h("button.assign.ghost-dark", { type: "button", disabled: readOnly }, t("assign"));
  assign.addEventListener("click", () => run(async () => {
    const updated = await api("POST", `/v1/alerts/${alert.id}/assign`, { assignee: assignee.value.trim() });
    owner.textContent = t("assigned_to", { who: updated.assigned_to });
  }, t("assigned_to", { who: assignee.value.trim() })));
  const resolve = h("button.resolve", { type: "button", disabled: readOnly }, t("resolve"));
  resolve.addEventListener("click", () => run(async () => {
    const updated = await api("POST", `/v1/alerts/${alert.id}/resolve`, {});
    state.textContent = t(`alert_${updated.status}`);
    state.className = `flag alert-${updated.status}`;
    [ack, assign, resolve].forEach((b) => { b.disabled = true; });
  }, t("alert_resolved")));
  const message = alert.manager_message?.[lang()] || alert.manager_message?.zh || "";
  return h(`article.card.alert-item.severity-${alert.severity}`, { dataset: { alert: alert.id } },
    h("div.alert-head", {}, h("strong", {}, alert.rule_code), state, h("span.muted", {}, `×${alert.count} · ${new Date(alert.last_seen).toLocaleString()}`), owner),
    h("p", {}, message),
    alert.acknowledged_by ? h("p.muted", {}, t("acknowledged_by", { who: alert.acknowledged_by })) : null,
    h("div.actions", {}, ack, task, assignee, assign, resolve),
    status);
}
