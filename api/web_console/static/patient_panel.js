// The patient beside the transcript: profile, readings charts, care plans (owners, adherence),
// other tasks and consents; a manager can start a care plan from a template here.
import { api } from "./api.js";
import { lineChart } from "./charts.js";
import { errorText, h } from "./dom.js";
import { t } from "./i18n.js";

async function optional(path) {
  try { return await api("GET", path); } catch { return null; }
}

const CHARTED = { blood_pressure: ["sbp", "dbp"], glucose: ["value"], weight: ["value"], heart_rate: ["value"], spo2: ["value"] };

function readingCharts(readings) {
  const byKind = new Map();
  for (const r of readings || []) {
    if (!CHARTED[r.kind]) continue;
    if (!byKind.has(r.kind)) byKind.set(r.kind, []);
    byKind.get(r.kind).push(r);
  }
  if (!byKind.size) return [h("p.empty", {}, t("none"))];
  return [...byKind.entries()].map(([kind, rows]) => {
    const keys = CHARTED[kind];
    const series = keys.map((key) => ({
      name: t(`value_${key}`),
      points: rows.map((r) => ({ t: Date.parse(r.measured_at), v: (r.display || r.values)[key] })).filter((p) => p.v !== undefined),
    }));
    const last = rows.reduce((a, b) => (Date.parse(a.measured_at) > Date.parse(b.measured_at) ? a : b));
    const latest = `${keys.map((k) => (last.display || last.values)[k]).join("/")} ${last.unit}`;
    return h("figure.reading-chart", { dataset: { kind } },
      h("figcaption", {}, t(`kind_${kind}`), " · ", t("latest"), " ", latest, ` (${rows.length})`),
      lineChart(series, { title: t(`kind_${kind}`) }));
  });
}

function adherence(task) {
  const { completed_periods: done, missed_periods: missed } = task.streak;
  return done + missed ? Math.round((100 * done) / (done + missed)) : null;
}

function taskRow(task) {
  const pct = adherence(task);
  return h("li.task", { dataset: { task: task.id } },
    h("span.owner-role", {}, t(`owner_${task.task.owner_role}`)), " ",
    task.task.title ? task.task.title[document.documentElement.lang === "en" ? "en" : "zh"] : task.task.task_type,
    h("span.muted", {}, " · ", t("streak", { n: task.streak.current }), pct === null ? "" : ` · ${t("adherence", { p: pct })}`));
}

function planCard(plan) {
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  return h("div.plan", { dataset: { plan: plan.id, template: plan.template_id } },
    h("h3", {}, plan.title[lang]),
    h("p.muted", {}, t("care_team"), ": ", plan.care_team.map((r) => t(`owner_${r}`)).join(" · "), " · ", t("since"), " ", plan.start),
    h("ul", {}, ...plan.tasks.map(taskRow)));
}

// the template a manager picked survives the live refreshes that rebuild the panel
const chosen = new Map();

function startPlanForm(patientId, templates, onStarted) {
  const lang = document.documentElement.lang === "en" ? "en" : "zh";
  const select = h("select", { name: "template", "aria-label": t("care_plan_template") },
    ...templates.map((x) => h("option", { value: x.id, selected: chosen.get(patientId) === x.id }, x.title[lang])));
  select.addEventListener("change", () => chosen.set(patientId, select.value));
  const status = h("p.status", { role: "status" });
  const start = h("button.start-plan", { type: "button" }, t("start_plan"));
  start.addEventListener("click", async () => {
    start.disabled = true;
    status.className = "status";
    try {
      await api("POST", `/v1/patients/${patientId}/care-plans`, { template_id: select.value });
      status.textContent = t("plan_started");
      await onStarted();
    } catch (err) {
      status.textContent = errorText(err);
      status.className = "status error";
    } finally {
      start.disabled = false;
    }
  });
  return h("div.start-plan-form", {}, h("div.actions", {}, select, start), status);
}

export async function renderPatientPanel(side, patientId, me, onChanged) {
  const [patient, readings, plans, tasks, consents, templates] = await Promise.all([
    optional(`/v1/patients/${patientId}`),
    optional(`/v1/patients/${patientId}/readings`),
    optional(`/v1/patients/${patientId}/care-plans`),
    optional(`/v1/patients/${patientId}/tasks`),
    optional(`/v1/patients/${patientId}/consents`),
    me.role === "manager" ? optional("/v1/console/care-plan-templates") : Promise.resolve(null),
  ]);
  const profile = Object.entries(patient?.profile || {}).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length));
  const planned = new Set((plans || []).flatMap((p) => p.tasks.map((x) => x.id)));
  const loose = (tasks || []).filter((x) => !planned.has(x.id));
  const list = (items, fmt) => (items && items.length ? h("ul", {}, ...items.map((x) => h("li", {}, fmt(x)))) : h("p.empty", {}, t("none")));
  side.replaceChildren(
    h("section.profile", {}, h("h2", {}, t("profile")),
      profile.length ? h("dl", {}, ...profile.flatMap(([k, v]) => [h("dt", {}, t(`profile_${k}`)), h("dd", {}, Array.isArray(v) ? v.map((x) => (typeof x === "object" ? x.name || JSON.stringify(x) : x)).join("、") : String(v))]))
        : h("p.empty", {}, t("none"))),
    h("section.readings", {}, h("h2", {}, t("readings")), ...readingCharts(readings)),
    h("section.care-plans", {}, h("h2", {}, t("care_plans")),
      ...(plans?.length ? plans.map(planCard) : [h("p.empty", {}, t("none"))]),
      templates?.length ? startPlanForm(patientId, templates, onChanged) : null),
    h("section.tasks", {}, h("h2", {}, t("tasks")), loose.length ? h("ul", {}, ...loose.map(taskRow)) : h("p.empty", {}, t("none"))),
    h("section.consents", {}, h("h2", {}, t("consents")), list(consents?.current || [], (c) => `${c.purpose}: ${c.granted ? "✓" : "✗"}`)));
}
