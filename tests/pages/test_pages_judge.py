"""The judge's tablet on the real server: PIN sign-in, recall marking, the offline outbox, a final."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_data import Built, admin_link, build_dancesport
from pages_harness import serious_axe_violations, serve
from playwright.sync_api import expect

from mirrorball.service import judging
from mirrorball.store.db import transaction
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Built]]:
    db = Path(tmp_path_factory.mktemp("judge")) / "mirrorball.sqlite3"
    app = create_app(Settings(db_url=str(db)))
    built = build_dancesport(app)
    with serve(app) as url:
        yield url, app, built


def progress(app: Any, round_id: int) -> dict[str, dict[str, str]]:
    with transaction(app.state.mirrorball.readers) as session:
        return judging.progress(session, round_id)


def sign_in_with_pin(page: Any, url: str, built: Built, letter: str) -> None:
    page.goto(f"{url}/judge")
    page.get_by_label("Judge letter").fill(letter.lower())
    page.get_by_label("PIN").fill(built.pins[letter])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Judge {letter}", exact=True).wait_for()


def test_recall_submit_is_refused_until_the_count_matches_then_the_mark_is_stored(context, site) -> None:
    url, app, built = site
    page = context.new_page()
    sign_in_with_pin(page, url, built, "A")
    counter = page.locator("[data-counter]")
    # The script fills these in after the page loads: wait for them rather than race it.
    expect(counter).to_have_text("Marked 0 of 6")
    expect(page.locator("[data-dance-title]")).to_have_text("Samba")
    assert serious_axe_violations(page) == []

    for number in (101, 102, 103, 104, 105):
        page.get_by_role("button", name=f"Couple {number}").click()
    assert counter.text_content() == "Marked 5 of 6"
    # aria-disabled, not disabled: the tap still arrives and says what is missing.
    page.get_by_role("button", name="Submit this dance").click(force=True)
    assert page.locator("#submit-help").text_content() == "Mark 1 more to submit."
    assert progress(app, built.rounds["Round 1"])["Samba"]["A"] == "missing"

    # A tap undoes: 7 marked is too many, untap one.
    page.get_by_role("button", name="Couple 106").click()
    page.get_by_role("button", name="Couple 107").click()
    assert page.locator("#submit-help").text_content() == "Remove 1 to submit."
    page.get_by_role("button", name="Couple 107").click()
    page.get_by_role("button", name="Submit this dance").click()

    page.locator("[data-dance-title]").filter(has_text="Jive").wait_for()
    page.locator("[data-outbox-state][data-pending='0']").wait_for()
    assert progress(app, built.rounds["Round 1"])["Samba"]["A"] == "locked"


def test_marks_made_offline_wait_on_the_tablet_and_are_sent_when_the_network_returns(context, site) -> None:
    url, app, built = site
    page = context.new_page()
    sign_in_with_pin(page, url, built, "B")
    context.set_offline(True)
    for number in (101, 102, 103, 104, 105, 108):
        page.get_by_role("button", name=f"Couple {number}").click()
    page.get_by_role("button", name="Submit this dance").click()
    outbox = page.locator("[data-outbox-state]")
    assert "1 waiting to send" in outbox.text_content()
    assert page.locator("[data-dance-list] li", has_text="Samba").text_content().endswith("waiting to send")
    assert progress(app, built.rounds["Round 1"])["Samba"]["B"] == "missing"

    context.set_offline(False)
    page.locator("[data-outbox-state][data-pending='0']").wait_for(timeout=20_000)
    assert outbox.text_content() == "✓ All marks sent"
    assert progress(app, built.rounds["Round 1"])["Samba"]["B"] == "locked"


def test_a_judge_signs_out_of_a_shared_tablet(context, site) -> None:
    url, _app, built = site
    page = context.new_page()
    sign_in_with_pin(page, url, built, "C")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Judge sign-in").wait_for()
    page.goto(f"{url}/judge")
    assert page.get_by_label("PIN").is_visible()


def test_the_scrutineer_unlocks_a_sheet_and_keys_a_paper_sheet_twice(browser, context, site) -> None:
    url, app, built = site
    round_id = built.rounds["Round 1"]
    tablet = context.new_page()
    sign_in_with_pin(tablet, url, built, "A")  # judge A's Samba went in during the first test
    tablet.locator("[data-dance-list] li", has_text="Samba").get_by_text("received").wait_for()

    console = browser.new_context().new_page()
    console.goto(f"{url}/signin?token={admin_link(app)}")
    console.get_by_role("button", name="Sign in").click()
    console.goto(f"{url}/console/rounds/{round_id}")
    console.get_by_label("Judge").last.select_option("A")
    console.get_by_label("Dance").last.select_option("Samba")
    console.get_by_label("Reason").fill("judge A asked: wrong couple tapped")
    console.get_by_role("button", name="Unlock").click()
    console.get_by_text("Unlocked judge A, Samba").wait_for()
    assert progress(app, round_id)["Samba"]["A"] == "unlocked"

    # The tablet notices by itself and asks for Samba again.
    tablet.locator("[data-dance-title]", has_text="Samba").wait_for(timeout=15_000)
    assert "unlocked: mark again" in tablet.locator("[data-dance-list]").text_content()
    for number in (101, 102, 103, 104, 105, 107):
        tablet.get_by_role("button", name=f"Couple {number}").click()
    tablet.get_by_role("button", name="Submit this dance").click()
    tablet.locator("[data-outbox-state][data-pending='0']").wait_for()
    assert progress(app, round_id)["Samba"]["A"] == "locked"

    # Judge C's paper sheet for Samba: the first keying waits, a different second keying is refused,
    # a matching one stores it.
    def key(marks: str) -> None:
        console.get_by_label("Judge").first.select_option("C")
        console.get_by_label("Dance").first.select_option("Samba")
        console.get_by_role("textbox", name="Marks").fill(marks)
        console.get_by_role("button", name="Key this sheet").click()

    key("101 102 103 104 105 106")
    console.get_by_text("First keying of judge C, Samba saved").wait_for()
    assert progress(app, round_id)["Samba"]["C"] == "first keying"
    key("101 102 103 104 105 108")
    console.get_by_text("does not match the first").wait_for()
    key("101 102 103 104 105 106")
    console.get_by_text("Second keying matches: judge C, Samba is stored.").wait_for()
    assert progress(app, round_id)["Samba"]["C"] == "locked"
    console.context.close()
