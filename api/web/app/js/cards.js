// Cards of a turn rendered as cards: payment plan, insurance quote, task, reading, referral,
// triage, emergency and exam report. Every number shown comes from the card's tool data.

import { amount, h, openSheet, percent, yuan } from "./dom.js";
import { language, show, t } from "./i18n.js";
import { flagOf, valueText } from "./ranges.js";

const pick = (data, base) => show(data[`${base}_${language()}`] ?? data[`${base}_zh`] ?? "");
const bi = (value) => show(value && typeof value === "object" ? value[language()] ?? value.zh : value);

function row(label, value, extra = {}) {
  return h("div.kv", extra, h("dt", {}, label), h("dd", {}, value));
}

function card(type, title, ...body) {
  return h(`section.card.card-${type}`, { "aria-label": title, dataset: { card: type } },
    h("h3.card-title", {}, title), ...body);
}

function emergency(c) {
  const steps = c.data.advice_steps || (c.data.advice ? [c.data.advice] : []);
  const title = show(c.title);
  return h("section.card.card-emergency", { "aria-label": title, dataset: { card: "emergency" } },
    h("a.button.call", { href: "tel:120", dataset: { action: "call-120" } }, `📞 ${t("call_120")}`),
    h("h3.card-title", {}, title),
    h("h4", {}, t("what_to_do")),
    h("ol.steps", {}, steps.map((s) => h("li", {}, show(s)))),
  );
}

function scheduleSheet(option) {
  const table = h(
    "table.schedule",
    {},
    h("caption", {}, `${pick(option, "lender_name")} · ${pick(option, "product_name")}（${t("unit_yuan")}）`),
    h("thead", {}, h("tr", {}, ["month", "principal", "interest", "fees", "payment", "balance"]
      .map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, option.schedule.map((r) => h("tr", {},
      h("th", { scope: "row" }, r.month), h("td", {}, amount(r.principal)), h("td", {}, amount(r.interest)),
      h("td", {}, amount(r.fees)), h("td", {}, amount(r.payment)), h("td", {}, amount(r.remaining_balance))))),
  );
  openSheet(t("plan_schedule"), h("div.table-scroll", {}, table, h("p.small", {}, pick(option, "disclosure"))), t("close"));
}

function planOption(option) {
  const ok = option.affordable;
  return h(
    "article.plan-option",
    { dataset: { affordable: String(ok), term: option.term_months } },
    h("h4", {}, `${pick(option, "lender_name")} · ${t("months", { n: option.term_months })}`),
    h("p.small", {}, pick(option, "product_name")),
    h("dl", {},
      row(t("plan_monthly"), option.max_monthly_payment && option.max_monthly_payment !== option.monthly_payment
        ? `${yuan(option.monthly_payment)}（${t("plan_max")} ${yuan(option.max_monthly_payment)}）`
        : yuan(option.monthly_payment)),
      row(t("plan_apr"), percent(option.apr)),
      row(t("plan_total_cost"), yuan(option.total_cost))),
    h("p.small.early", {}, `${t("plan_early")}：${pick(option, "early_repayment")}`),
    h(`p.badge.${ok ? "ok" : "warn"}`, {}, ok ? t("plan_affordable") : t("plan_unaffordable")),
    h("button.button.secondary", { type: "button", onclick: () => scheduleSheet(option) }, t("plan_schedule")),
  );
}

function paymentPlan(c) {
  const d = c.data;
  const options = [...(d.options || [])].sort(
    (a, b) => Number(b.affordable) - Number(a.affordable) || Number(a.total_cost) - Number(b.total_cost),
  );
  const first = options.slice(0, 2);
  const rest = options.slice(2);
  return card(
    "payment_plan",
    t("plan_financed") + " " + yuan(d.financed_amount),
    h("p", {}, pick(d, "summary")),
    d.affordability ? h("dl", {}, row(t("plan_budget"), yuan(d.affordability.monthly_budget))) : null,
    first.map(planOption),
    rest.length ? h("details", {}, h("summary", {}, t("more_options", { n: rest.length })), rest.map(planOption)) : null,
  );
}

function insuranceQuote(c, context) {
  const d = c.data;
  const consent = (context.consented || []).includes("insurance_pricing_wearable");
  return card(
    "insurance_quote",
    pick(d, "insurer_name") || t("card_insurance_quote"),
    (d.quotes || []).map((q) => h("article.plan-option", {},
      h("h4", {}, pick(q, "product_name")),
      q.annual_premium === null ? h("p.badge.warn", {}, pick(q.underwriting, "reason")) : null,
      h("dl", {},
        q.annual_premium === null ? null : row(t("quote_premium"), yuan(q.annual_premium)),
        row(t("quote_waiting"), t("days", { n: q.waiting_period_days })),
        row(t("quote_consent"), consent ? t("consent_given") : t("consent_missing"))),
      q.exclusions?.length ? h("div", {}, h("h5", {}, t("quote_exclusions")),
        h("ul", {}, q.exclusions.map((e) => h("li", {}, pick(e, "text"))))) : null,
      h("p.small", {}, pick(q, "disclosure")))),
    (d.not_quoted || []).map((n) => h("p.small", {}, `${pick(n, "product_name")}：${pick(n, "reason")}`)),
    context.actions?.consents
      ? h("button.button.secondary", { type: "button", onclick: context.actions.consents }, t("tab_consents"))
      : null,
  );
}

function task(c, actions, reply) {
  const d = c.data;
  const message = bi(d.message);
  const title = bi(d.task?.title) || t("card_task");
  const streak = h("p.small", {});
  const done = actions?.completeTask ? h("button.button", { type: "button" }, t("task_done")) : null;
  done?.addEventListener("click", async () => {
    done.disabled = true;
    const result = await actions.completeTask(d.task);
    if (!result) {
      done.disabled = false;
      return;
    }
    done.textContent = t("task_done_ok");
    streak.textContent = `${t("streak", { n: result.streak.current })} · ${t("points", { n: result.points_total })}`;
  });
  return card(
    "task",
    title,
    message && !String(reply || "").includes(message) ? h("p", {}, message) : null,
    streak,
    h("div.row", {}, done,
      actions?.tasks ? h("button.button.secondary", { type: "button", onclick: actions.tasks }, t("tab_tasks")) : null),
  );
}

function reading(c, ranges, reply) {
  const d = c.data;
  const r = d.reading || {};
  const values = r.display || r.values || {};
  const flag = flagOf(ranges, r.kind, values, r.meal_context);
  const message = bi(d.message);
  return card(
    "reading",
    t(`kind_${r.kind}`),
    h("p.reading-value", {}, `${valueText(values)} ${r.unit || ""}`),
    flag ? h("dl", {}, row(t("reading_range"), flag.range)) : null,
    flag ? h(`p.badge.${flag.flag === "ok" ? "ok" : "warn"}`, { dataset: { flag: flag.flag } },
      t(`reading_flag_${flag.flag}`)) : null,
    d.plausibility?.needs_remeasure ? h("p.badge.warn", {}, t("reading_remeasure")) : null,
    message && !String(reply || "").includes(message) ? h("p", {}, message) : null,
  );
}

function referral(c) {
  const d = c.data;
  return card(
    "referral",
    t("card_referral"),
    h("dl", {},
      d.department ? row(t("referral_department"), bi(d.department)) : null,
      d.facility ? row(t("referral_facility"), bi(d.facility)) : null,
      row(t("referral_status"), t(`status_${d.status || "created"}`))),
    (d.notes || []).map((n) => h("p.small", {}, show(n))),
  );
}

function triage(c) {
  const d = c.data;
  return card(
    "triage",
    t("card_triage"),
    h("p.badge", { dataset: { level: d.level } }, t(`level_${d.level}`)),
    d.department ? h("dl", {}, row(t("referral_department"), bi(d.department))) : null,
    (d.advice_steps || []).length ? h("ul", {}, d.advice_steps.map((s) => h("li", {}, show(s)))) : null,
  );
}

function examReport(c) {
  const d = c.data;
  return card(
    "exam_report",
    t("report_title"),
    h("dl", {}, (d.items || []).map((i) => row(show(i.name), `${i.value} ${i.unit || ""} ${show(i.explanation || "")}`))),
    (d.questions || []).length ? h("div", {}, h("h4", {}, t("report_ask")),
      h("ul", {}, d.questions.map((q) => h("li", {}, show(q))))) : null,
  );
}

/** One card element; unknown types show their title only (never raw JSON). */
export function renderCard(c, context = {}) {
  switch (c.type) {
    case "emergency": return emergency(c);
    case "payment_plan": return paymentPlan(c);
    case "insurance_quote": return insuranceQuote(c, context);
    case "task": return task(c, context.actions, context.reply);
    case "reading": return reading(c, context.ranges, context.reply);
    case "referral": return referral(c);
    case "triage": return triage(c);
    case "exam_report": return examReport(c);
    default: return card("other", t(`card_${c.type}`));
  }
}
