// The console shell: sign-in, navigation (#/board, #/review, #/conversation/<id>), live events.
import { api, ApiError } from "./api.js";
import { Board } from "./board.js";
import { refreshConversation, renderConversation } from "./conversation.js";
import { errorText, h } from "./dom.js";
import { applyStatic, lang, t } from "./i18n.js";
import { renderAlerts } from "./alerts.js";
import { renderQuality } from "./quality.js";
import { refreshReview, renderDecided, renderReview } from "./review.js";

const $ = (id) => document.getElementById(id);
const state = { me: null, board: null, events: null, sound: false, alarmed: null };

function beep() {
  if (!state.sound) return;
  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  osc.frequency.value = 880;
  osc.connect(ctx.destination);
  osc.start();
  osc.stop(ctx.currentTime + 0.4);
}

function raiseAlarm(row, quiet = false) {
  state.alarmed = row;
  const alarm = $("alarm");
  alarm.replaceChildren(t("alarm", { who: row.patient_ref }), " ",
    h("a", { href: `#/conversation/${row.conversation_id}` }, t("open")),
    h("button.ghost", { type: "button", "aria-label": "close", onclick: () => { alarm.hidden = true; state.alarmed = null; } }, "×"));
  alarm.hidden = false;
  if (!quiet) beep();
}

let refreshTimer = null;
function onEvent(kind, data) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(async () => {
    if (location.hash.startsWith("#/conversation/")) await refreshConversation(data?.conversation_id).catch(() => {});
    await state.board.refresh().catch(() => {});
    await updateReviewCount();
    if (location.hash.startsWith("#/review")) await refreshReview($("view"), state.me).catch(() => {});
  }, 150);
}

function connect() {
  state.events?.close();
  const events = new EventSource("/v1/console/events");
  state.events = events;
  document.body.dataset.live = "connecting";
  events.addEventListener("ready", () => { document.body.dataset.live = "live"; onEvent("ready"); });
  const kinds = ["turn", "alert", "escalation", "review_decided", "taken_over", "manager_message", "handed_back", "crisis_check", "alert_changed", "event"];
  for (const kind of kinds) {
    events.addEventListener(kind, (e) => onEvent(kind, JSON.parse(e.data || "{}")));
  }
  events.onerror = () => { document.body.dataset.live = "connecting"; };
}

async function updateReviewCount() {
  const { items } = await api("GET", "/v1/review-queue?status=pending").catch(() => ({ items: [] }));
  $("review-count").textContent = items.length ? String(items.length) : "";
}

async function route() {
  const view = $("view");
  const hash = location.hash || "#/board";
  try {
    if (hash.startsWith("#/review")) await renderReview(view, state.me);
    else if (hash.startsWith("#/decided")) await renderDecided(view, state.me);
    else if (hash.startsWith("#/alerts")) await renderAlerts(view, state.me);
    else if (hash.startsWith("#/quality")) await renderQuality(view);
    else if (hash.startsWith("#/conversation/")) await renderConversation(view, hash.split("/")[2], state.me);
    else { view.replaceChildren(state.board.root); state.board.render(); }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showLogin();
    view.replaceChildren(h("p.error", {}, errorText(err)));
  }
}

function showLogin() {
  state.me = null;
  state.events?.close();
  $("alarm").hidden = true;
  $("login").hidden = false;
  $("view").replaceChildren();
  for (const id of ["nav", "logout", "sound"]) $(id).hidden = true;
  $("who").textContent = "";
}

async function start() {
  $("login").hidden = true;
  for (const id of ["nav", "logout", "sound"]) $(id).hidden = false;
  $("who").textContent = `${state.me.subject.split(":").pop()} · ${state.me.role}${state.me.tenant_display_name ? " · " + state.me.tenant_display_name : ""}`;
  state.board = new Board(h("div.board-view"), { onEmergency: raiseAlarm });
  await state.board.refresh();
  connect();
  await updateReviewCount();
  await route();
}

async function whoAmI() {
  try {
    const me = await api("GET", "/v1/auth/me");
    return me.role === "manager" || me.role === "auditor" ? me : null;
  } catch { return null; }
}

$("login").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData(e.target);
  const error = $("login-error");
  try {
    await api("POST", "/v1/auth/login", { username: form.get("username"), password: form.get("password") });
    state.me = await whoAmI();
    error.hidden = true;
    await start();
  } catch (err) {
    error.textContent = errorText(err);
    error.hidden = false;
  }
});
$("logout").addEventListener("click", async () => { await api("POST", "/v1/auth/logout").catch(() => {}); showLogin(); });
$("sound").addEventListener("click", () => {
  state.sound = !state.sound;
  $("sound").textContent = t(state.sound ? "sound_on" : "sound_off");
});
$("lang").value = lang();
$("lang").addEventListener("change", (e) => {
  localStorage.setItem("hm-console-lang", e.target.value);
  applyStatic();
  $("sound").textContent = t(state.sound ? "sound_on" : "sound_off");
  if (state.alarmed) raiseAlarm(state.alarmed, true);
  if (state.me) route();
});
document.addEventListener("hm:changed", () => updateReviewCount());
window.addEventListener("hashchange", () => { if (state.me) route(); });

applyStatic();
state.me = await whoAmI();
if (state.me) await start(); else showLogin();
