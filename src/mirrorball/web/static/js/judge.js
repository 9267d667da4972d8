// The judge's tablet: one round, one dance at a time. Recall: tap couples to mark an X, the required
// and marked counts always visible, submit refused until they match. Final: tap couples in order
// 1..N (the next tap takes the best free place, tapping a placed couple frees its place). Every
// submission goes through the outbox, so a dropped network only ever shows "waiting to send".

import { announce, postJSON } from "./api.js";
import { Outbox } from "./outbox.js";

const POLL_MS = 4000;

const state = JSON.parse(document.getElementById("judge-state").textContent);
const root = document.getElementById("judge-app") || document.body;
const grid = root.querySelector("[data-couples]");
const counter = root.querySelector("[data-counter]");
const submitButton = root.querySelector("[data-submit]");
const submitHelp = root.querySelector("[data-submit-help]");
const danceTitle = root.querySelector("[data-dance-title]");
const danceList = root.querySelector("[data-dance-list]");
const outboxState = document.querySelector("[data-outbox-state]");
const refusedBox = root.querySelector("[data-refused]");

const ordinal = (n) => {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
};

// Marks of the dance on screen: recall → Set of back numbers; final → Map back number → rank.
let current = null;
let marks = null;

const outbox = new Outbox(`seat-${state.seat.id}`, {
  onChange: (pending, refused) => { drawOutbox(pending, refused); drawDances(); },
  onSent: (item) => { if (item.url === state.submit_url) setStatus(item.body.dance, "received"); },
  onRefused: (item, status) => announce(`The server refused ${item.label} (${status}). Ask the scrutineer.`, "bad"),
  onAuth: () => announce("Your sign-in has expired: marks are kept on this tablet. Sign in again to send them.", "warn"),
});

function setStatus(danceName, status) {
  const dance = state.dances.find((d) => d.name === danceName);
  if (dance) dance.status = status;
  drawDances();
}

/** Dances of this round whose sheet is still in the outbox. */
function waitingDances() {
  return new Set(outbox.pending().filter((p) => p.url === state.submit_url).map((p) => p.body.dance));
}

function drawOutbox(pending, refused) {
  if (outboxState) {
    outboxState.dataset.pending = String(pending.length);
    outboxState.textContent = pending.length
      ? `↻ ${pending.length} waiting to send — kept on this tablet`
      : "✓ All marks sent";
  }
  if (refusedBox) {
    refusedBox.hidden = refused.length === 0;
    refusedBox.replaceChildren(...refused.map((r) => {
      const p = document.createElement("p");
      p.textContent = `✕ Not accepted: ${r.label} — ${r.reason}`;
      return p;
    }));
  }
}

function drawDances() {
  if (!danceList) return;
  const waiting = waitingDances();
  danceList.replaceChildren(...state.dances.map((d) => {
    const li = document.createElement("li");
    const badge = document.createElement("span");
    if (waiting.has(d.name)) { badge.className = "badge warn"; badge.textContent = "waiting to send"; }
    else if (d.status === "received") { badge.className = "badge ok"; badge.textContent = "received"; }
    else if (d.status === "unlocked") { badge.className = "badge bad"; badge.textContent = "unlocked: mark again"; }
    else if (current && d.id === current.id) { badge.className = "badge info"; badge.textContent = "now marking"; }
    else { badge.className = "badge info"; badge.textContent = "to do"; }
    li.append(`${d.name} `, badge);
    return li;
  }));
}

function nextDance() {
  const waiting = waitingDances();
  return state.dances.find((d) => d.status !== "received" && !waiting.has(d.name)) || null;
}

function buttons() { return Array.from(grid.querySelectorAll("button[data-number]")); }
function paddles() { return Array.from(grid.querySelectorAll("button[data-score]")); }
const who = root.querySelector("[data-routine-who]");

// Heats: only the heat on the floor is shown; the judge moves on with "Next heat". The count to mark
// is for the whole dance, over every heat.
const heats = Array.from(root.querySelectorAll("[data-heat]"));
let heatIndex = 0;
function showHeat(index) {
  heatIndex = Math.max(0, Math.min(index, heats.length - 1));
  heats.forEach((h, i) => { h.hidden = heats.length > 1 && i !== heatIndex; });
  const prev = root.querySelector("[data-heat-prev]");
  const next = root.querySelector("[data-heat-next]");
  if (prev) prev.disabled = heatIndex === 0;
  if (next) next.disabled = heatIndex === heats.length - 1;
}
root.querySelector("[data-heat-prev]")?.addEventListener("click", () => showHeat(heatIndex - 1));
root.querySelector("[data-heat-next]")?.addEventListener("click", () => showHeat(heatIndex + 1));

function start(dance) {
  current = dance;
  showHeat(0);
  marks = state.kind === "recall" ? new Set() : new Map();
  if (who) who.textContent = dance ? dance.who : "";
  if (!dance) {
    danceTitle.textContent = state.kind === "show" ? "All routines scored" : "All dances submitted";
    grid.hidden = true;
    submitButton.hidden = true;
    counter.textContent = "";
    submitHelp.textContent = "Thank you. Your marks for this round are in; the next round appears here by itself.";
    drawDances();
    return;
  }
  grid.hidden = false;
  submitButton.hidden = false;
  danceTitle.textContent = dance.name;
  draw();
  drawDances();
}

function draw() {
  if (state.kind === "recall") {
    for (const b of buttons()) {
      const on = marks.has(Number(b.dataset.number));
      b.setAttribute("aria-pressed", String(on));
      b.querySelector(".tag").textContent = on ? "recall" : "";
    }
    const n = marks.size, need = state.required;
    counter.textContent = `Marked ${n} of ${need}`;
    counter.dataset.state = n === need ? "match" : n > need ? "over" : "under";
    const ok = n === need;
    submitButton.setAttribute("aria-disabled", String(!ok));
    submitHelp.textContent = ok
      ? "Ready to submit."
      : n < need ? `Mark ${need - n} more to submit.` : `Remove ${n - need} to submit.`;
  } else if (state.kind === "show") {
    // One paddle per routine; marks holds it under the key "score".
    const score = marks.get("score");
    for (const p of paddles()) p.setAttribute("aria-pressed", String(Number(p.dataset.score) === score));
    counter.textContent = score ? `Paddle: ${score}` : "Choose a paddle";
    counter.dataset.state = score ? "match" : "under";
    submitButton.setAttribute("aria-disabled", String(!score));
    submitHelp.textContent = score ? "Ready to submit." : "Tap your score, 1 to 10.";
  } else if (state.kind === "final") {
    const total = buttons().length;
    for (const b of buttons()) {
      const rank = marks.get(Number(b.dataset.number));
      b.setAttribute("aria-pressed", String(rank !== undefined));
      b.querySelector(".tag").textContent = rank !== undefined ? ordinal(rank) : "";
      b.setAttribute("aria-label", `Couple ${b.dataset.number}${rank !== undefined ? `, placed ${ordinal(rank)}` : ", not placed"}`);
    }
    const free = freeRank(total);
    counter.textContent = free ? `Next: ${ordinal(free)} place · ${marks.size} of ${total} placed` : `All ${total} placed`;
    counter.dataset.state = free ? "under" : "match";
    submitButton.setAttribute("aria-disabled", String(Boolean(free)));
    submitHelp.textContent = free ? `Place ${total - marks.size} more to submit.` : "Ready to submit.";
  }
}

function freeRank(total) {
  const used = new Set(marks.values());
  for (let r = 1; r <= total; r += 1) if (!used.has(r)) return r;
  return null;
}

function tap(number) {
  if (!current) return;
  if (state.kind === "recall") {
    if (marks.has(number)) marks.delete(number); else marks.add(number);
  } else {
    if (marks.has(number)) marks.delete(number);
    else { const r = freeRank(buttons().length); if (r) marks.set(number, r); }
  }
  draw();
}

function tapPaddle(score) {
  if (!current) return;
  if (marks.get("score") === score) marks.delete("score"); else marks.set("score", score);
  draw();
}

function submit() {
  if (!current || submitButton.getAttribute("aria-disabled") === "true") {
    announce(submitHelp.textContent, "warn");
    return;
  }
  const dance = current;
  const body = { dance: dance.name };
  if (state.kind === "recall") body.recalls = Array.from(marks).sort((a, b) => a - b);
  else if (state.kind === "show") body.scores = Object.fromEntries(dance.couples.map((n) => [String(n), marks.get("score")]));
  else body.ranks = Object.fromEntries(Array.from(marks.entries()).map(([n, r]) => [String(n), r]));
  outbox.enqueue(state.submit_url, body, `${state.round.name}, ${dance.name}`);
  announce(`${dance.name} submitted.`, "ok");
  start(nextDance());
}

if (grid) grid.addEventListener("click", (e) => {
  const b = e.target.closest("button[data-number]");
  if (b) tap(Number(b.dataset.number));
  const p = e.target.closest("button[data-score]");
  if (p) tapPaddle(Number(p.dataset.score));
});
if (submitButton) submitButton.addEventListener("click", submit);

if (state.kind !== "idle") start(nextDance());
// The buttons arrive disabled: a tap before this script has started would be lost silently, so the
// tablet only takes taps once it can count them.
for (const b of [...buttons(), ...paddles(), submitButton]) if (b) b.disabled = false;
outbox.refresh();
outbox.flush();

// Judges hear no staff events, so the tablet asks every few seconds whether its work changed: a new
// round opened, or the scrutineer unlocked a sheet. It redraws only when the judge is not halfway
// through a dance (the outbox survives the reload, so nothing queued is lost).
const link = document.querySelector("[data-live-status]");
function showLink(ok) {
  if (!link) return;
  link.dataset.state = ok ? "open" : "closed";
  link.textContent = ok ? "Connected" : "No connection";
}

async function poll() {
  try {
    const response = await fetch(state.current_url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    showLink(true);
    if (!response.ok) return;
    const now = await response.json();
    if (!now.signed_in) return;
    const roundId = state.round ? state.round.id : null;
    const busy = marks && marks.size > 0;
    if (now.round_id !== roundId) { if (!busy) window.location.reload(); return; }
    for (const d of now.dances) {
      const mine = state.dances.find((x) => x.id === d.id);
      if (!mine) continue;
      if (d.status === "unlocked" && mine.status !== "unlocked" && !busy) { window.location.reload(); return; }
      if (d.status === "received" && mine.status !== "received") setStatus(d.name, "received");
    }
  } catch { showLink(false); /* the outbox shows what waits; try again next time */ }
}
if (state.current_url) { poll(); setInterval(poll, POLL_MS); }

// Sign out (a shared tablet): marks still waiting stay in this tablet's storage for the next sign-in
// of the same seat, so say so before leaving.
const signOut = document.querySelector("[data-sign-out]");
if (signOut) signOut.addEventListener("click", async () => {
  const waiting = outbox.pending().length;
  if (waiting && !window.confirm(`${waiting} mark(s) are still waiting to send. They stay on this tablet until this seat signs in again. Sign out?`)) return;
  try { await postJSON("/api/auth/signout"); } catch { /* already signed out */ }
  window.location.assign("/judge");
});
