// Every call the app makes to the health-manager API goes through this module, so the
// credential (the patient token from the link) is attached in exactly one place. The token
// names the tenant and the patient; the server trusts nothing else (no tenant header).

const config = { token: "", language: "zh" };

export function configure(values) {
  Object.assign(config, values);
}

/** An API failure: `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  constructor(status, body = {}, retryAfter = null) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || (status === 0 ? "network" : "http_error");
    this.field = body.field || null;
    this.retryAfter = retryAfter;
  }
  get unreachable() {
    return this.status === 0 || this.status >= 502;
  }
}

function headers(extra = {}) {
  const h = {
    "Accept-Language": config.language === "en" ? "en" : "zh-CN",
    ...extra,
  };
  if (config.token) h.Authorization = `Bearer ${config.token}`;
  return h;
}

async function send(method, path, body, extraHeaders = {}, signal = undefined) {
  const init = { method, headers: headers(extraHeaders), signal };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, { message: String(error) });
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response) {
  let body = {};
  try {
    body = (await response.json()).error || {};
  } catch {
    /* not JSON: keep the status */
  }
  const retry = Number.parseFloat(response.headers.get("Retry-After") || "");
  return new ApiError(response.status, body, Number.isFinite(retry) ? retry : null);
}

async function json(method, path, body) {
  const response = await send(method, path, body);
  return response.status === 204 ? null : response.json();
}

/** Reads a text/event-stream body, calling onEvent(name, data) per event. */
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(0, { message: "stream interrupted" });
    }
    if (chunk.done) return;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

export const api = {
  createConversation: (language) =>
    json("POST", "/v1/conversations", language ? { language } : {}),
  readConversation: (id) => json("GET", `/v1/conversations/${encodeURIComponent(id)}`),

  /** One turn over SSE: onEvent("progress"|"delta", data); resolves with the TurnResult. */
  async sendMessage(conversationId, content, clientMessageId, onEvent) {
    const response = await send(
      "POST",
      `/v1/conversations/${encodeURIComponent(conversationId)}/messages`,
      { content, client_message_id: clientMessageId },
      { Accept: "text/event-stream" },
    );
    let result = null;
    let failure = null;
    await readEvents(response, (name, data) => {
      if (name === "result") result = data;
      else if (name === "error") failure = new ApiError(data.status || 400, data);
      else onEvent(name, data);
    });
    if (failure) throw failure;
    if (!result) throw new ApiError(0, { message: "the turn ended without a result" });
    return result;
  },

  /** Live manager messages of a conversation until `signal` aborts. */
  async listen(conversationId, onEvent, signal) {
    const response = await send(
      "GET",
      `/v1/conversations/${encodeURIComponent(conversationId)}/events`,
      undefined,
      { Accept: "text/event-stream" },
      signal,
    );
    await readEvents(response, onEvent);
  },

  readRanges: () => json("GET", "/v1/knowledge/reference-ranges"),
  readChunk: (chunkId) => json("GET", `/v1/knowledge/chunks/${encodeURIComponent(chunkId)}`),
  listReadings: (patientId) => json("GET", `/v1/patients/${patientId}/readings`),
  recordReading: (patientId, reading) =>
    json("POST", `/v1/patients/${patientId}/readings`, reading),
  listTasks: (patientId) => json("GET", `/v1/patients/${patientId}/tasks`),
  completeTask: (patientId, taskId, clientCompletionId) =>
    json("POST", `/v1/patients/${patientId}/tasks/${taskId}/completions`, {
      client_completion_id: clientCompletionId,
    }),
  readConsents: (patientId) => json("GET", `/v1/patients/${patientId}/consents`),
  recordConsent: (patientId, purpose, granted) =>
    json("POST", `/v1/patients/${patientId}/consents`, { purpose, granted }),
};
