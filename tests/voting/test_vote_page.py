"""The vote page in headless Chromium on a phone-sized screen: sign in by code, allocate within the caps
with a live remaining count, submit, read, copy and check the receipt; by mouse and by keyboard; no axe
violations."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.pages.pages_harness import CHROMIUM, chromium

from mirrorball.voting.receipts import public_key_from_text, verify_receipt
from server.helpers import sign_in
from server.live_server import serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="browser tests need Chromium at /usr/bin/chromium"),
]


@pytest.fixture(params=["sqlite"])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> str:  # one backend is enough
    import shutil

    path = tmp_path / "page.sqlite3"
    shutil.copy(sqlite_template, path)
    return str(path)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _code(codes_file: Path, email: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if codes_file.exists():
            codes = [json.loads(line) for line in codes_file.read_text().splitlines()]
            mine = [c["code"] for c in codes if c["email"] == email]
            if mine:
                return str(mine[-1])
        time.sleep(0.05)
    raise AssertionError("no code was delivered")


def test_a_viewer_votes_on_a_phone_by_touch_and_keyboard(
    app: FastAPI, browser: Any, codes_file: Path
) -> None:
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        admin = sign_in(client, app, "admin")
        body = {
            "title": "Week 5: Movie night",
            "couples": [
                {"key": "1", "name": "Ann & Bob"},
                {"key": "2", "name": "Cat & Dan"},
                {"key": "3", "name": "Eve & Finn"},
            ],
            "caps": {"online": {"per_couple": 3, "per_window": 5, "editable": True}},
            "disclosure": "after_close",
        }
        window = client.post("/api/votes/windows", json=body, headers=admin).json()["id"]
        client.post(f"/api/votes/windows/{window}/open", headers=admin)
    with serving(app) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(f"{url}/vote/{window}")
        assert "You have 5 votes, at most 3 for any one couple" in page.text_content("header")
        page.get_by_label("Your e-mail address").fill("viewer@example.org")
        page.get_by_role("button", name="Send me a code").click()
        page.get_by_label("The 6-digit code").fill(_code(codes_file, "viewer@example.org"))
        page.get_by_role("button", name="Sign in").click()
        remaining = page.locator("#remaining")
        assert remaining.text_content() == "5 of 5 votes left" or page.wait_for_function(
            "document.getElementById('remaining').value === '5 of 5 votes left'"
        )

        more_ann = page.get_by_role("button", name="One vote more for Ann & Bob")
        for _ in range(3):
            more_ann.click()
        assert more_ann.is_disabled(), "the per-couple cap stops the + button"
        more_cat = page.get_by_role("button", name="One vote more for Cat & Dan")
        more_cat.focus()
        page.keyboard.press("Enter")  # keyboard only
        page.keyboard.press("Space")
        assert remaining.text_content() == "0 of 5 votes left"
        assert page.get_by_role("button", name="One vote more for Eve & Finn").is_disabled()

        page.get_by_role("button", name="Send my votes").click()
        page.get_by_role("heading", name="Your votes are counted").wait_for()
        counted = page.locator("#receipt-counted").inner_text()
        assert "Ann & Bob: 3 votes" in counted and "Cat & Dan: 2 votes" in counted
        receipt = page.locator("#receipt-text").input_value()

        from axe_playwright_python.sync_playwright import Axe

        violations = Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]

        public_key = public_key_from_text(httpx.get(f"{url}/api/votes/receipt-key").json()["public_key"])
        assert verify_receipt(receipt, public_key)["allocation"] == {"1": 3, "2": 2}

        page.reload()  # the sign-in survives a reload; the saved votes come back and can be moved
        page.get_by_role("button", name="One vote less for Ann & Bob").click()
        page.get_by_role("button", name="One vote more for Eve & Finn").click()
        page.get_by_role("button", name="Send my votes").click()
        page.get_by_role("heading", name="Your votes are counted").wait_for()
        violations = Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]

        # The viewer keeps the receipt and checks it on the receipt page.
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_role("button", name="Copy the receipt").click()
        page.get_by_text("Copied.").wait_for()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.locator("#receipt-text").input_value()
        page.get_by_role("link", name="Check a receipt").click()
        page.get_by_role("heading", name="Check a vote receipt").wait_for()
        page.get_by_label("Receipt").fill(copied)
        page.get_by_role("button", name="Check the receipt").click()
        page.get_by_role("heading", name="Genuine: signed by this server").wait_for()
        checked = " ".join(page.locator("main").inner_text().split())
        assert "Ann & Bob: 2 votes" in checked and "Eve & Finn: 1 vote" in checked  # the allocation after
        assert "These votes are in the ledger and count" in checked
        violations = Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]

        # After the close the page shows how the audience voted (public after the close) and no ballot.
        assert httpx.post(f"{url}/api/votes/windows/{window}/close", headers=admin).status_code == 200
        page.goto(f"{url}/vote/{window}")
        page.get_by_role("heading", name="How the audience voted").wait_for()
        shares = " ".join(page.locator(".shares").inner_text().split())
        assert shares == "Ann & Bob 40.0 % Cat & Dan 40.0 % Eve & Finn 20.0 %", shares
        assert page.locator("#ballot").count() == 0
        violations = Axe().run(page).response["violations"]
        assert violations == [], [v["id"] for v in violations]
        context.close()
        tally = httpx.get(f"{url}/api/votes/windows/{window}/tally", headers=admin).json()
        assert tally == {"1": 2, "2": 2, "3": 1}
