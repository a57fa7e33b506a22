// Interface texts in Chinese (first) and English, and the traditional-character display option.

import { TEXTS } from "./texts.js";

const prefs = { language: "zh", traditional: false };
let toTraditional = null; // loaded on first use (not part of the first load)

export function setLanguage(language) {
  prefs.language = language === "en" ? "en" : "zh";
}

export function language() {
  return prefs.language;
}

export async function setTraditional(on) {
  prefs.traditional = Boolean(on);
  if (prefs.traditional && !toTraditional) {
    toTraditional = (await import("./s2t.js")).toTraditional;
  }
}

/** Shown text: Chinese converted to traditional characters when the user picked that. */
export function show(text) {
  const value = String(text ?? "");
  return prefs.traditional && toTraditional && prefs.language === "zh"
    ? toTraditional(value)
    : value;
}

/** Follow-up questions worth offering after a turn of this intent. */
export function nextChips(intent) {
  return (TEXTS[prefs.language].next_chips[intent] || []).map(show);
}

export function t(key, params = {}) {
  const raw = TEXTS[prefs.language][key] ?? TEXTS.zh[key] ?? key;
  if (Array.isArray(raw)) return raw.map(show);
  return show(raw.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? "")));
}

/** Re-labels every element carrying data-i18n (text) or data-i18n-attr ("attr:key"). */
export function applyTexts(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(",")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr, t(key));
    }
  }
  document.documentElement.lang =
    prefs.language === "en" ? "en" : prefs.traditional ? "zh-Hant" : "zh-CN";
}
