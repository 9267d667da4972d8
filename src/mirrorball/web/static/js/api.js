// Fetch helpers shared by every page: JSON in and out, the CSRF token on every write, and errors
// turned into one readable sentence (the API answers 4xx with a JSON body naming what was wrong).

/** The CSRF token the server rendered into <meta name="csrf-token">, or "" on read-only pages. */
export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

/** An error the server answered (4xx/5xx); `status` and `body` keep what it said. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.name = "ApiError";
    this.status = status;
    this.body = body;
  }
}

function describe(status, body) {
  if (body && typeof body === "object") {
    // Our API answers {"error": {"code", "message", "where"}}; FastAPI's own 422s use "detail".
    const detail = body.error ?? body.detail ?? body.message;
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) return detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    if (detail && typeof detail === "object") {
      return detail.message ? detail.message + (detail.where ? ` (${JSON.stringify(detail.where)})` : "") : JSON.stringify(detail);
    }
  }
  return `The server answered ${status}.`;
}

/**
 * Send a request and return the parsed JSON body. Network failures reject with the browser's
 * TypeError (the caller decides whether to queue); server refusals reject with ApiError.
 */
export async function request(method, url, body, extraHeaders = {}) {
  const headers = { Accept: "application/json", ...extraHeaders };
  const init = { method, headers, credentials: "same-origin" };
  if (method !== "GET" && method !== "HEAD") {
    headers["X-CSRF-Token"] = csrfToken();
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = { detail: text }; }
  }
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

export const getJSON = (url) => request("GET", url);
export const postJSON = (url, body, headers) => request("POST", url, body, headers);

/**
 * A random idempotency key. crypto.randomUUID only exists in secure contexts, and a judge's tablet
 * on venue WiFi usually reaches the laptop over plain http, so build a v4 UUID from getRandomValues.
 */
export function newKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Put a message in a live region so screen readers hear it as well as sighted users see it. */
export function announce(text, kind = "info") {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.className = `notice ${kind}`;
  region.hidden = !text;
  region.textContent = text;
}
