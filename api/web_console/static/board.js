// The live board: the tenant's conversations, most urgent first, refreshed on every live event.
import { api } from "./api.js";
import { h } from "./dom.js";
import { lang, t } from "./i18n.js";

export function duration(seconds) {
  if (seconds < 60) return t("seconds", { n: Math.round(seconds) });
  if (seconds < 3600) return t("minutes", { n: Math.floor(seconds / 60) });
  return t("hours", { n: Math.floor(seconds / 3600) });
}

const SORTS = {
  urgency: (a, b) => b.urgency - a.urgency || b.last_at.localeCompare(a.last_at),
  waiting: (a, b) => b.waiting_s - a.waiting_s,
  recent: (a, b) => b.last_at.localeCompare(a.last_at),
};

export class Board {
  constructor(root, { onEmergency }) {
    this.root = root;
    this.rows = [];
    this.sort = "urgency";
    this.seenEmergencies = null;
    this.onEmergency = onEmergency;
  }

  async refresh() {
    const board = await api("GET", "/v1/console/board");
    this.rows = board.rows;
    const emergencies = this.rows.filter((r) => r.flags.includes("emergency")).map((r) => r.conversation_id);
    if (this.seenEmergencies !== null) {
      const fresh = this.rows.filter((r) => emergencies.includes(r.conversation_id) && !this.seenEmergencies.has(r.conversation_id));
      if (fresh.length) this.onEmergency(fresh[0]);
    }
    this.seenEmergencies = new Set([...(this.seenEmergencies || []), ...emergencies]);
    this.fresh = new Set(emergencies);
    this.render();
  }

  render() {
    if (!this.root.isConnected) return;
    const rows = [...this.rows].sort(SORTS[this.sort]);
    const select = h("select#sort", { "aria-label": t("sort"), onchange: (e) => { this.sort = e.target.value; this.render(); } },
      ...Object.keys(SORTS).map((k) => h("option", { value: k, selected: k === this.sort }, t(`sort_${k}`))));
    const table = h("table.board", {},
      h("thead", {}, h("tr", {}, ...["patient", "risk", "flags", "last_message", "waiting", "unread"].map((k) => h("th", {}, t(k))))),
      h("tbody", {}, ...rows.map((r) => this.row(r))));
    this.root.replaceChildren(
      h("div.toolbar", {}, h("h1", {}, t("nav_board")), h("span.spacer"), h("label", {}, t("sort"), " ", select)),
      rows.length ? table : h("p.empty", {}, t("empty_board")));
  }

  row(r) {
    const level = r.risk_level || "none";
    return h(`tr.row.risk-${level}${r.flags.includes("emergency") ? ".is-emergency" : ""}`,
      { dataset: { conversation: r.conversation_id }, onclick: () => { location.hash = `#/conversation/${r.conversation_id}`; } },
      h("td", {}, h("a", { href: `#/conversation/${r.conversation_id}` }, r.patient_ref)),
      h("td", {}, h(`span.level.level-${level}`, {}, t(`level_${level}`))),
      h("td.flags", {}, ...r.flags.map((f) => h(`span.flag.flag-${f}`, {}, t(f))),
        r.taken_over_by ? h("span.flag.flag-taken_over", {}, t("taken_over"), " · ", r.taken_over_by) : null),
      h("td.last", {}, h("span.role", {}, t(`role_${r.last_role}`), lang() === "zh" ? "：" : ": "), r.last_message),
      h("td.num", {}, r.waiting_s > 0 ? duration(r.waiting_s) : "—"),
      h("td.num", {}, r.unread ? h("span.pill", {}, r.unread) : "0"));
  }
}
