// Judge PIN sign-in: the API sets the session cookie, then the page reloads into the judge's heat.
import { announce, postJSON } from "./api.js";

const form = document.querySelector("[data-pin-form]");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const judge = String(data.get("judge") || "").trim().toUpperCase();
  const pin = String(data.get("pin") || "").trim();
  if (!judge || !pin) { announce("Type your judge letter and your PIN.", "bad"); return; }
  try {
    await postJSON("/api/auth/pin", { competition_id: Number(data.get("competition_id")), judge, pin });
    window.location.assign("/judge");
  } catch (error) {
    announce(error instanceof TypeError ? "No connection to the server. Check the WiFi and try again." : error.message, "bad");
  }
});
