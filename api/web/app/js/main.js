// The patient mini-app: opened as /app/#token=<patient token>. Wires the views together, keeps
// the conversation, sends turns (over SSE), delivers offline drafts once, and shows bad states.

import { ApiError, api, configure } from "./api.js";
import {
  appendMessage, appendPatient, appendWelcome, initChat, lastFollowUps, markWaiting, rerenderThread,
} from "./chat.js";
import { createDelivery } from "./delivery.js";
import { initConsents, initTasks } from "./care.js";
import { h, clear, newId } from "./dom.js";
import { applyTexts, language, setLanguage, setTraditional, t } from "./i18n.js";
import { Outbox } from "./outbox.js";
import { initRecords } from "./records.js";
import { canListen, listen, setVoiceLanguage } from "./speech.js";

const $ = (selector) => document.querySelector(selector);
const token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
const storeKey = `hm.app.${hash(token)}`;
const saved = JSON.parse(localStorage.getItem(storeKey) || "{}");
const state = {
  conversationId: saved.conversationId || null,
  patientId: saved.patientId || null,
  ranges: [],
  consented: [],
  expired: false,
  live: null,
};
const prefs = { language: "zh", elder: false, traditional: false, ...(saved.prefs || {}) };
const outbox = new Outbox(hash(token));
const threadKey = `hm.thread.${hash(token)}`;
const input = $("#message-input");
const ctx = {
  patientId: () => state.patientId,
  ranges: () => state.ranges,
  setConsented: (purposes) => { state.consented = purposes; },
  onError: (error) => handleError(error),
};

function hash(text) {
  let n = 5381;
  for (const ch of text) n = ((n * 33) ^ ch.codePointAt(0)) >>> 0;
  return n.toString(36);
}

function persist() {
  localStorage.setItem(storeKey, JSON.stringify({
    conversationId: state.conversationId, patientId: state.patientId, prefs,
  }));
}

// ---- banners and bad states -------------------------------------------------------------

function banner(kind, text, retry = false) {
  const el = $("#banner");
  clear(el);
  el.hidden = !kind;
  el.dataset.kind = kind || "";
  if (!kind) return;
  el.append(h("span", {}, text));
  if (retry) el.append(h("button.button.small", { type: "button", onclick: () => reconnect() }, t("retry")));
}

function showExpired() {
  state.expired = true;
  localStorage.removeItem(threadKey); // health data: no copy outlives the link
  state.live?.abort();
  document.body.dataset.state = "expired";
  const main = $("#app-main");
  clear(main);
  main.append(h("section.expired", { role: "alert" },
    h("p.big", { "aria-hidden": "true" }, "🔒"),
    h("h2", {}, t("expired_title")),
    h("p", {}, t("expired_body"))));
  $("#composer").hidden = true;
  $("#tabs").hidden = true;
  banner(null);
}

function handleError(error) {
  if (error instanceof ApiError && error.status === 401) showExpired();
  else if (error instanceof ApiError && error.unreachable) banner("down", t("down_banner"), true);
}

function showInputError(text) {
  const el = $("#input-error");
  el.textContent = text;
  el.hidden = !text;
}

// ---- conversation -----------------------------------------------------------------------

async function ensureConversation() {
  if (state.conversationId) {
    try {
      const conversation = await api.readConversation(state.conversationId);
      state.patientId = conversation.patient_id;
      for (const message of conversation.messages) appendMessage(message);
      keepThread(conversation.messages);
      return;
    } catch (error) {
      if (error instanceof ApiError && error.unreachable) {
        for (const message of cachedThread()) appendMessage(message); // last known thread
      }
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      state.conversationId = null;
    }
  }
  const conversation = await api.createConversation(prefs.language);
  state.conversationId = conversation.id;
  state.patientId = conversation.patient_id;
  persist();
}

/** The last thread read from the server, so the app shows it while the server is away. */
function keepThread(messages) {
  try {
    localStorage.setItem(threadKey, JSON.stringify(messages.slice(-30)));
  } catch {
    // storage full: the server still has the whole thread
  }
}

function cachedThread() {
  try {
    return JSON.parse(localStorage.getItem(threadKey) || "[]");
  } catch {
    return [];
  }
}

/** Re-reads the thread in the background to keep the copy shown when the server is away. */
function refreshThread() {
  if (!state.conversationId) return;
  api.readConversation(state.conversationId).then((c) => keepThread(c.messages), () => {});
}

/** Drafts not yet delivered, after the thread they follow. */
function showDrafts() {
  for (const item of outbox.items()) {
    if (!document.querySelector(`[data-client-id="${item.id}"]`)) {
      markWaiting(appendPatient(item.content, { pending: true, clientId: item.id }));
    }
  }
}

async function boot() {
  try {
    await ensureConversation();
  } catch (error) {
    handleError(error);
    showDrafts();
    return false;
  }
  showDrafts();
  document.body.dataset.ready = "true";
  performance.mark("hm-ready");
  if (!navigator.onLine) banner("offline", t("offline_banner"));
  else banner(null);
  api.readRanges().then((ranges) => { state.ranges = ranges; }, () => {});
  listenLive();
  flush();
  return true;
}

async function reconnect() {
  if (state.expired) return;
  if (!state.conversationId || document.body.dataset.ready !== "true") {
    if (!(await boot())) return;
  } else banner(null);
  if (!state.live) listenLive();
  flush();
}

/** The conversation's live stream: a held answer released by a manager appears here. */
async function listenLive(delay = 1000) {
  if (state.live || state.expired || !state.conversationId) return;
  const controller = new AbortController();
  state.live = controller;
  try {
    await api.listen(state.conversationId, (name, data) => {
      if (name === "ready") {
        document.body.dataset.live = "on";
        catchUp();
      } else if (name === "message") {
        appendMessage(data);
        refreshThread();
      }
    }, controller.signal);
  } catch (error) {
    handleError(error);
  } finally {
    document.body.dataset.live = "off";
    state.live = null;
  }
  if (!controller.signal.aborted && !state.expired) {
    setTimeout(() => listenLive(Math.min(delay * 2, 30000)), delay);
  }
}

async function catchUp() {
  try {
    const conversation = await api.readConversation(state.conversationId);
    for (const message of conversation.messages) appendMessage(message, { catchUp: true });
    keepThread(conversation.messages);
  } catch (error) {
    handleError(error);
  }
}

// ---- sending (delivery.js) ---------------------------------------------------------------

const delivery = createDelivery({
  outbox,
  input,
  conversationId: () => state.conversationId,
  expired: () => state.expired,
  showExpired: () => showExpired(),
  banner: (...args) => banner(...args),
  showInputError: (text) => showInputError(text),
  showChips: (texts) => {
    startChips = false;
    showChips(texts);
  },
  delivered: () => refreshThread(),
});
const { submit, flush } = delivery;

let startChips = true; // the starter questions until the first message

function showChips(texts) {
  const row = $("#chips");
  clear(row);
  for (const text of texts.slice(0, prefs.elder ? 2 : 4)) {
    row.append(h("button.chip", { type: "button", onclick: () => submit(text) }, text));
  }
  row.hidden = !row.childElementCount;
}

/** Ticks off the stored task a chat card announced: the patient's newest active task of the
 * same type and title (the card carries the task as created, not its stored id). */
async function completeTaskOfCard(draft) {
  try {
    const tasks = await api.listTasks(state.patientId);
    const same = tasks
      .filter((task) => task.status === "active" && task.task.task_type === draft.task_type
        && task.task.title.zh === draft.title.zh)
      .sort((a, b) => new Date(b.created_at) - new Date(a.created_at));
    if (!same.length) return null;
    return await api.completeTask(state.patientId, same[0].id, newId());
  } catch (error) {
    handleError(error);
    return null;
  }
}

// ---- views, preferences, voice ----------------------------------------------------------

const views = {};

function selectTab(name) {
  for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
    const on = tab.dataset.view === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#view-${tab.dataset.view}`).hidden = !on;
  }
  $("#composer").hidden = name !== "chat" || state.expired;
  views[name]?.refresh();
}

async function applyPrefs() {
  setLanguage(prefs.language);
  configure({ language: prefs.language });
  setVoiceLanguage(prefs.language);
  await setTraditional(prefs.traditional);
  document.body.classList.toggle("elder", prefs.elder);
  $("#elder-toggle").setAttribute("aria-pressed", String(prefs.elder));
  $("#traditional-toggle").setAttribute("aria-pressed", String(prefs.traditional));
  applyTexts();
  rerenderThread();
  showChips(startChips ? t("chips") : lastFollowUps());
  views.records?.relabel();
}

function wire() {
  $("#composer").addEventListener("submit", (event) => {
    event.preventDefault();
    submit(input.value);
  });
  input.addEventListener("input", () => {
    input.style.height = "auto";
    input.style.height = `${input.scrollHeight + 2}px`;
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit(input.value);
    }
  });
  const tabs = [...document.querySelectorAll("#tabs [role=tab]")];
  for (const tab of tabs) {
    tab.addEventListener("click", () => selectTab(tab.dataset.view));
    tab.addEventListener("keydown", (event) => { // the ARIA tabs pattern: arrows move
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
      selectTab(next.dataset.view);
      next.focus();
    });
  }
  $("#lang-toggle").addEventListener("click", async () => {
    prefs.language = language() === "zh" ? "en" : "zh";
    persist();
    await applyPrefs();
  });
  $("#elder-toggle").addEventListener("click", async () => {
    prefs.elder = !prefs.elder;
    persist();
    await applyPrefs();
  });
  $("#traditional-toggle").addEventListener("click", async () => {
    prefs.traditional = !prefs.traditional;
    persist();
    await applyPrefs();
  });
  const voice = $("#voice-button");
  if (canListen()) {
    voice.hidden = false;
    voice.addEventListener("click", () => {
      voice.setAttribute("aria-pressed", "true");
      listen((text) => { input.value = `${input.value}${text}`; input.focus(); },
        () => voice.setAttribute("aria-pressed", "false"));
    });
  }
  addEventListener("online", () => {
    banner(null);
    reconnect();
  });
  addEventListener("offline", () => banner("offline", t("offline_banner")));
}

async function start() {
  configure({ token, language: prefs.language });
  initChat($("#messages"), {
    get ranges() { return state.ranges; },
    get consented() { return state.consented; },
    actions: {
      tasks: () => selectTab("tasks"),
      consents: () => selectTab("consents"),
      completeTask: (draft) => completeTaskOfCard(draft),
    },
  });
  views.records = initRecords($("#view-records"), ctx);
  views.tasks = initTasks($("#task-list"), ctx);
  views.consents = initConsents($("#consent-list"), ctx);
  wire();
  await applyPrefs();
  appendWelcome();
  showChips(t("chips"));
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("sw.js").then(
      () => { document.body.dataset.offlineShell = "true"; },
      () => {}, // no service worker (e.g. plain http on a LAN address): the app still works
    );
  }
  document.body.dataset.interactive = "true";
  performance.mark("hm-interactive");
  if (!token) {
    showExpired();
    return;
  }
  await boot();
}

start();
