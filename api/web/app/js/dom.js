// Tiny DOM helpers: h("tag.class", {attrs}, ...children). Text is always set as text, never HTML.

export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag || "div");
  if (classes.length) el.className = classes.join(" ");
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

export function newId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

const YUAN = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function yuan(value) {
  const n = Number(value);
  return Number.isFinite(n) ? `¥${YUAN.format(n)}` : String(value ?? "");
}

export function amount(value) {
  const n = Number(value);
  return Number.isFinite(n) ? YUAN.format(n) : String(value ?? "");
}

export function percent(rate, digits = 2) {
  const n = Number(rate);
  return Number.isFinite(n) ? `${(n * 100).toFixed(digits)}%` : String(rate ?? "");
}

/** Opens a modal sheet (a <dialog>) with a title and body; returns the dialog. */
export function openSheet(title, body, closeLabel) {
  const dialog = h(
    "dialog.sheet",
    { "aria-labelledby": "sheet-title" },
    h("h2", { id: "sheet-title" }, title),
    h("div.sheet-body", {}, body),
    h("button.button.secondary", { type: "button", onclick: () => dialog.close() }, closeLabel),
  );
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
