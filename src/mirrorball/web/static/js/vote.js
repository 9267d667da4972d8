// The audience vote page: e-mail code sign-in, allocating votes within the caps, the signed receipt.
// Ours, no dependencies. The voter token lives in localStorage and goes out as a Bearer header (no
// cookie, so no cross-site request can vote for anyone). A submission keeps its idempotency key until
// the server gives a definite answer, so retrying after a dropped connection never counts twice.
"use strict";

(function () {
  const main = document.getElementById("vote");
  if (!main) return;
  const windowId = main.dataset.window;
  const perCouple = main.dataset.perCouple ? Number(main.dataset.perCouple) : null;
  const perWindow = main.dataset.perWindow ? Number(main.dataset.perWindow) : null;
  const editable = main.dataset.editable === "true";
  const $ = (id) => document.getElementById(id);
  const inputs = Array.from(document.querySelectorAll("#couples input[data-couple]"));
  const TOKEN = "mb-voter-token";
  const EMAIL = "mb-voter-email";
  let saved = {};
  let pendingKey = null;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  async function api(method, path, body) {
    const headers = { "Content-Type": "application/json" };
    const token = localStorage.getItem(TOKEN);
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    let data = null;
    try { data = await response.json(); } catch (e) { data = null; }
    return { status: response.status, data };
  }

  function problem(result) {
    if (result.data && result.data.error) return result.data.error.message;
    return "Something went wrong (" + result.status + "). Please try again.";
  }

  function say(id, text, ok) {
    const element = $(id);
    element.textContent = text;
    element.classList.toggle("ok", Boolean(ok));
  }

  function allocation() {
    const result = {};
    for (const input of inputs) {
      const n = Math.max(0, Math.floor(Number(input.value) || 0));
      if (n) result[input.dataset.couple] = n;
    }
    return result;
  }

  function total(values) {
    return Object.values(values).reduce((a, b) => a + b, 0);
  }

  function refresh() {
    const current = allocation();
    const used = total(current);
    const left = perWindow === null ? null : perWindow - used;
    $("remaining").value = left === null
      ? used + (used === 1 ? " vote" : " votes") + " allocated"
      : left + " of " + perWindow + (perWindow === 1 ? " vote" : " votes") + " left";
    for (const input of inputs) {
      const couple = input.dataset.couple;
      const n = current[couple] || 0;
      const floor = editable ? 0 : saved[couple] || 0;
      input.min = String(floor);
      const plus = input.parentElement.querySelector(".plus");
      const minus = input.parentElement.querySelector(".minus");
      plus.disabled = (perCouple !== null && n >= perCouple) || (left !== null && left <= 0);
      minus.disabled = n <= floor;
    }
    const over = (left !== null && left < 0) || inputs.some((i) => perCouple !== null && Number(i.value) > perCouple);
    $("submit").disabled = over;
    if (over) say("ballot-message", "That is more than you may give: take some votes back.");
    else if ($("ballot-message").textContent.startsWith("That is more")) say("ballot-message", "");
  }

  function step(couple, delta) {
    const input = inputs.find((i) => i.dataset.couple === couple);
    input.value = String(Math.max(0, (Number(input.value) || 0) + delta));
    pendingKey = null;
    refresh();
  }

  function show(section) {
    $("signin").hidden = section !== "signin";
    $("ballot").hidden = section !== "ballot";
    $("receipt").hidden = section !== "receipt";
  }

  async function openBallot() {
    const result = await api("GET", "/api/votes/windows/" + windowId + "/me");
    if (result.status === 401) {
      signOut("Your sign-in has expired: please sign in again.");
      return;
    }
    if (result.status !== 200) {
      show("signin");
      say("signin-message", problem(result));
      return;
    }
    saved = result.data.allocation || {};
    for (const input of inputs) input.value = String(saved[input.dataset.couple] || 0);
    $("signed-in").textContent = "Signed in as " + (localStorage.getItem(EMAIL) || "a verified voter");
    show("ballot");
    refresh();
  }

  function signOut(message) {
    localStorage.removeItem(TOKEN);
    show("signin");
    $("code-form").hidden = true;
    $("email-form").hidden = false;
    say("signin-message", message || "");
  }

  $("email-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = $("email").value.trim();
    if (!email) { say("signin-message", "Please enter your e-mail address."); $("email").focus(); return; }
    say("signin-message", "Sending…", true);
    const result = await api("POST", "/api/votes/signin/code", { email });
    if (result.status !== 202) { say("signin-message", problem(result)); return; }
    localStorage.setItem(EMAIL, result.data.sent_to);
    $("code-email").textContent = result.data.sent_to;
    $("email-form").hidden = true;
    $("code-form").hidden = false;
    say("signin-message", "We sent you a code. It is valid for 10 minutes.", true);
    $("code").focus();
  });

  $("code-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = await api("POST", "/api/votes/signin/verify", {
      email: localStorage.getItem(EMAIL) || $("email").value.trim(),
      code: $("code").value.trim(),
    });
    if (result.status !== 200) { say("signin-message", problem(result)); $("code").focus(); return; }
    localStorage.setItem(TOKEN, result.data.token);
    say("signin-message", "");
    await openBallot();
    $("ballot-title").focus();
  });

  document.getElementById("couples").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-couple]");
    if (button) step(button.dataset.couple, button.classList.contains("plus") ? 1 : -1);
  });
  for (const input of inputs) input.addEventListener("input", () => { pendingKey = null; refresh(); });

  $("ballot").addEventListener("submit", async (event) => {
    event.preventDefault();
    const desired = allocation();
    if (JSON.stringify(desired) === JSON.stringify(saved)) {
      say("ballot-message", "Nothing has changed since your last votes.");
      return;
    }
    pendingKey = pendingKey || newKey();
    $("submit").disabled = true;
    say("ballot-message", "Sending your votes…", true);
    let result;
    try {
      result = await api("PUT", "/api/votes/windows/" + windowId + "/allocation", { allocation: desired, key: pendingKey });
    } catch (e) {
      $("submit").disabled = false;
      say("ballot-message", "No connection. Press the button again: your votes will not count twice.");
      return;
    }
    $("submit").disabled = false;
    if (result.status === 401) { signOut("Your sign-in has expired: please sign in again."); return; }
    if (result.status >= 500) { say("ballot-message", problem(result) + " Press the button again."); return; }
    pendingKey = null;
    if (result.status !== 200 && result.status !== 201) { say("ballot-message", problem(result)); return; }
    saved = result.data.facts.allocation || {};
    say("ballot-message", "");
    const list = $("receipt-counted");
    list.textContent = "";
    for (const input of inputs) {
      const n = saved[input.dataset.couple] || 0;
      if (!n) continue;
      const item = document.createElement("li");
      const name = input.closest(".couple").querySelector(".name").textContent;
      item.textContent = name + ": " + n + (n === 1 ? " vote" : " votes");
      list.appendChild(item);
    }
    $("receipt-text").value = result.data.receipt;
    show("receipt");
    $("receipt").focus();
  });

  $("copy-receipt").addEventListener("click", async () => {
    const text = $("receipt-text").value;
    try {
      await navigator.clipboard.writeText(text);
      say("copy-message", "Copied. Keep it: anyone can check it on the receipt page.", true);
    } catch (e) {  // no clipboard (an old browser, an insecure page): select it for the voter to copy
      $("receipt-text").focus();
      $("receipt-text").select();
      say("copy-message", "Selected: copy it with your phone's Copy.", true);
    }
  });
  $("again").addEventListener("click", () => { say("copy-message", "", true); show("ballot"); refresh(); $("ballot-title").focus(); });
  $("signout").addEventListener("click", () => signOut("You are signed out."));
  $("ballot-title").tabIndex = -1;

  if (localStorage.getItem(TOKEN)) openBallot(); else show("signin");
})();
