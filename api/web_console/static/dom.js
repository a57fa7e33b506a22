// Tiny DOM helpers: h("tag.class", {attrs}, ...children); text is always set as text.
export function h(spec, attrs = {}, ...children) {
  const [head, ...classes] = spec.split(".");
  const [tag, id] = head.split("#");
  const el = document.createElement(tag || "div");
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(" ");
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function errorText(err) {
  const body = err.body || {};
  const parts = [body.code, body.message || err.message].filter(Boolean);
  const details = body.details && Object.keys(body.details).length ? JSON.stringify(body.details) : "";
  return parts.join(": ") + (details ? ` ${details}` : "");
}
