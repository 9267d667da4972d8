// Live regions rendered by the server. The event stream only says "something changed" (payloads are
// ids and counts); the page then fetches its own freshly rendered fragment, so every number on the
// screen comes from the same template and the same service as a full page load — the browser never
// computes a result. Elements whose `data-key` is new or whose text changed get `data-fresh`, which
// the stylesheet animates (the paddle that just went up).

import { subscribe } from "./live.js";

const DEBOUNCE_MS = 120;

function snapshot(root) {
  const seen = new Map();
  for (const el of root.querySelectorAll("[data-key]")) seen.set(el.dataset.key, el.textContent);
  return seen;
}

/** Refetch `region`'s fragment now; resolves when the new HTML is in place. */
export async function refreshRegion(region) {
  const response = await fetch(region.dataset.fragment, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const html = await response.text();
  if (html === region.dataset.lastHtml) return;
  const before = snapshot(region);
  const active = document.activeElement && document.activeElement.id;
  region.innerHTML = html;
  region.dataset.lastHtml = html;
  for (const el of region.querySelectorAll("[data-key]")) {
    if (before.get(el.dataset.key) !== el.textContent) el.dataset.fresh = "true";
  }
  if (active) { const again = document.getElementById(active); if (again) again.focus(); }
  region.dispatchEvent(new CustomEvent("refreshed", { bubbles: true }));
}

/** Keep every `[data-fragment]` region on the page in step with the event stream at `url`. */
export function liveRegions(url, eventNames) {
  const regions = Array.from(document.querySelectorAll("[data-fragment]"));
  let timer = null;
  const refreshAll = () => {
    clearTimeout(timer);
    timer = setTimeout(() => regions.forEach((r) => refreshRegion(r).catch(() => {})), DEBOUNCE_MS);
  };
  // "resync": the server could not replay what we missed (Last-Event-ID too old), so re-read everything.
  const handlers = Object.fromEntries([...eventNames, "resync"].map((name) => [name, refreshAll]));
  return subscribe(url, handlers, { onOpen: refreshAll });
}

// Pages opt in with <body data-live-url="..." data-live-events="a b c">.
// data-live-poll="N" adds a refresh every N seconds for changes the public stream does not announce.
const body = document.body;
if (body.dataset.liveUrl) liveRegions(body.dataset.liveUrl, (body.dataset.liveEvents || "message").split(/\s+/));
if (body.dataset.livePoll) {
  const every = Number(body.dataset.livePoll) * 1000;
  setInterval(() => document.querySelectorAll("[data-fragment]").forEach((r) => refreshRegion(r).catch(() => {})), every);
}
