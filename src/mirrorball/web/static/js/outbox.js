// The judge's outbox: a mark is written to browser storage BEFORE it is sent, and stays there until
// the server acknowledges it. Venue WiFi drops; a judge must never lose a mark to it. Every item
// keeps the idempotency key it was given when the judge tapped "submit", so resending after a lost
// answer (the request arrived, the reply did not) cannot record the mark twice.
//
// localStorage rather than IndexedDB: the queue is a handful of small JSON items, synchronous writes
// are exactly what we want (durable before we return), and it works on plain-http LAN addresses.

import { csrfToken, newKey } from "./api.js";

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;

/**
 * Statuses that mean "try again later", not "this mark is wrong". 401/403 are kept too: an expired
 * sign-in is fixed by signing in again, after which the same marks go out with the same keys.
 */
function isTransient(status) {
  return [0, 401, 403, 408, 425, 429].includes(status) || status >= 500;
}

export class Outbox {
  /**
   * @param {string} name   storage namespace, e.g. the judge seat, so two seats on one device never mix
   * @param {object} hooks  {onChange(pending, refused), onSent(item, body), onRefused(item, status, body)}
   */
  constructor(name, hooks = {}) {
    this.storageKey = `mirrorball.outbox.${name}`;
    this.hooks = hooks;
    this.flushing = false;
    this.delay = RETRY_MIN_MS;
    this.timer = null;
    window.addEventListener("online", () => this.flush());
  }

  _load() {
    try {
      const raw = JSON.parse(localStorage.getItem(this.storageKey) || "{}");
      return { pending: raw.pending || [], refused: raw.refused || [] };
    } catch {
      return { pending: [], refused: [] };
    }
  }

  _save(state) {
    localStorage.setItem(this.storageKey, JSON.stringify(state));
    if (this.hooks.onChange) this.hooks.onChange(state.pending, state.refused);
  }

  /** Marks not yet acknowledged by the server, oldest first. */
  pending() { return this._load().pending; }

  /** Marks the server refused (4xx): shown to the judge until dismissed. */
  refused() { return this._load().refused; }

  /** Queue a request; it is stored before this returns, then sending starts. */
  enqueue(url, body, label = "", method = "POST") {
    const state = this._load();
    const item = { key: newKey(), url, method, body, label, queuedAt: new Date().toISOString() };
    state.pending.push(item);
    this._save(state);
    this.flush();
    return item;
  }

  dismissRefused(key) {
    const state = this._load();
    state.refused = state.refused.filter((r) => r.key !== key);
    this._save(state);
  }

  /** Redraw hooks with the stored state (e.g. after a reload with items still waiting). */
  refresh() { this._save(this._load()); }

  /** Send queued items in order; stop at the first transient failure so order is kept. */
  async flush() {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.timer);
    try {
      for (;;) {
        const head = this._load().pending[0];
        if (!head) { this.delay = RETRY_MIN_MS; return; }
        const outcome = await this._send(head);
        const state = this._load();
        if (outcome.transient) {
          if ((outcome.status === 401 || outcome.status === 403) && this.hooks.onAuth) this.hooks.onAuth(head);
          this.timer = setTimeout(() => this.flush(), this.delay);
          this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
          if (this.hooks.onChange) this.hooks.onChange(state.pending, state.refused);
          return;
        }
        state.pending = state.pending.filter((p) => p.key !== head.key);
        if (outcome.ok) {
          this._save(state);
          if (this.hooks.onSent) this.hooks.onSent(head, outcome.body);
        } else {
          state.refused.push({ ...head, status: outcome.status, reason: reasonOf(outcome) });
          this._save(state);
          if (this.hooks.onRefused) this.hooks.onRefused(head, outcome.status, outcome.body);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async _send(item) {
    let response;
    try {
      response = await fetch(item.url, {
        method: item.method,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "Idempotency-Key": item.key,
          "X-CSRF-Token": csrfToken(),
        },
        body: JSON.stringify(item.body),
      });
    } catch {
      return { transient: true, status: 0 };
    }
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (response.ok) return { ok: true, status: response.status, body };
    return { ok: false, transient: isTransient(response.status), status: response.status, body };
  }
}

function reasonOf(outcome) {
  const detail = outcome.body && (outcome.body.error ?? outcome.body.detail);
  if (typeof detail === "string") return detail;
  if (detail && typeof detail === "object" && detail.message) return detail.message;
  return `refused by the server (${outcome.status})`;
}
