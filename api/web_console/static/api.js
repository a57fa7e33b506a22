// The JSON API with the session cookie; unsafe methods send the CSRF token (cookie hm_csrf).
import { lang } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body?.error || {};
  }
}

function csrf() {
  const hit = document.cookie.split("; ").find((c) => c.startsWith("hm_csrf="));
  return hit ? decodeURIComponent(hit.slice(8)) : "";
}

export async function api(method, path, body) {
  const headers = { "Accept-Language": lang() === "zh" ? "zh-CN" : "en" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrf();
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}
