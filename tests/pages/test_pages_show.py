"""A show week on the real server: paddles from the tablet appear on the big screen, the producer
sees the pre-vote outlook, runs a live audience vote from the console (a viewer votes on the phone
page, the console's tally follows live, the producer closes and feeds it), keys a phone window, keys
the judges' save, the host reveals, the public sees the week's result."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_data import ROUTINES, Built, admin_link, build_show, submit
from pages_harness import serious_axe_violations, serve

from mirrorball.service import show as show_service
from mirrorball.service import votes as voting
from mirrorball.store.db import transaction
from mirrorball.web.api.votes import VotingConfig
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser

# Judge A's paddles come from the tablet; B and C's from their sheets. Ada's Cha Cha is a perfect 30.
PADDLES = {"A": [10, 8, 6, 7], "B": [10, 7, 6, 8], "C": [10, 8, 7, 6]}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Built, Path]]:
    folder = Path(tmp_path_factory.mktemp("show"))
    app = create_app(Settings(db_url=str(folder / "mirrorball.sqlite3")))
    codes = folder / "codes.jsonl"  # the viewers' e-mailed sign-in codes, as development delivers them
    app.state.voting_config = VotingConfig(code_delivery=f"file:{codes}")
    built = build_show(app)
    with serve(app) as url:
        yield url, app, built, codes


def emailed_code(codes: Path, email: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if codes.exists():
            mine = [c["code"] for c in map(json.loads, codes.read_text().splitlines()) if c["email"] == email]
            if mine:
                return str(mine[-1])
        time.sleep(0.05)
    raise AssertionError(f"no code was e-mailed to {email}")


def window(browser: Any, width: int, height: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    return context.new_page()


def votes_on_a_phone(browser: Any, page_url: str, codes: Path, email: str, stars: list[str]) -> Any:
    """A viewer signs in on the vote page by e-mailed code and gives one vote per entry of `stars`;
    the phone's page, for what the viewer looks at next."""
    phone = window(browser, 390, 844)
    phone.goto(page_url)
    phone.get_by_label("Your e-mail address").fill(email)
    phone.get_by_role("button", name="Send me a code").click()
    phone.get_by_label("The 6-digit code").fill(emailed_code(codes, email))
    phone.get_by_role("button", name="Sign in").click()
    for star in stars:
        phone.get_by_role("button", name=re.compile(f"^One vote more for {star}")).click()
    phone.get_by_role("button", name="Send my votes").click()
    phone.get_by_role("heading", name="Your votes are counted").wait_for()
    return phone


def test_a_show_week_from_paddles_to_the_elimination(browser, site) -> None:
    url, app, built, codes = site
    week = built.rounds["Week 1"]
    screen = window(browser, 1280, 720)
    screen.goto(f"{url}/scoreboard")
    screen.get_by_role("heading", name="Ada Star & Pro One").wait_for()

    tablet = window(browser, 820, 1180)
    tablet.goto(f"{url}/judge")
    tablet.get_by_label("Judge letter").fill("A")
    tablet.get_by_label("PIN").fill(built.pins["A"])
    tablet.get_by_role("button", name="Sign in").click()
    tablet.get_by_text("Ada Star & Pro One").wait_for()
    assert serious_axe_violations(tablet) == []
    tablet.get_by_role("button", name="10", exact=True).click()
    assert tablet.locator("[data-counter]").text_content() == "Paddle: 10"
    tablet.get_by_role("button", name="Submit this score").click()
    tablet.locator("[data-outbox-state][data-pending='0']").wait_for()

    # Judge A's paddle is up on the big screen; B and C are still waiting.
    paddles = screen.get_by_role("list", name="Judges' paddles")
    paddles.locator("li", has_text="Judge A").get_by_text("10").wait_for()
    assert paddles.locator("li", has_text="Judge B").get_by_text("waiting").count() == 1
    for letter in "BC":
        submit(app, built, week, letter, f"{ROUTINES[0][0]} — 1", {"1": PADDLES[letter][0]})
    screen.get_by_text("Perfect score!").wait_for()
    assert "Total: 30" in screen.locator(".board-total").text_content()
    assert serious_axe_violations(screen) == []

    for i, (dance, couple) in enumerate(ROUTINES[1:], start=1):
        tablet.get_by_text(f"{dance} — {couple}", exact=True).first.wait_for()
        tablet.get_by_role("button", name=str(PADDLES["A"][i]), exact=True).click()
        tablet.get_by_role("button", name="Submit this score").click()
        for letter in "BC":
            submit(app, built, week, letter, f"{dance} — {couple}", {str(couple): PADDLES[letter][i]})
    tablet.get_by_text("All routines scored").wait_for()
    tablet.locator("[data-outbox-state][data-pending='0']").wait_for()
    leaderboard = screen.get_by_role("table").filter(has_text="Judges' points")
    assert leaderboard.locator("tbody tr").first.text_content().startswith("Ada Star & Pro One")

    console = window(browser, 1280, 900)
    console.goto(f"{url}/signin?token={admin_link(app)}")
    console.get_by_role("button", name="Sign in").click()
    console.goto(f"{url}/console/rounds/{week}")
    console.get_by_role("heading", name="Before the vote: can it change anything?").wait_for()
    assert console.get_by_text("the vote decides").count() >= 1

    # The live vote: caps offered with defaults, edited, the window set up and opened from the console.
    assert console.get_by_label("Votes per viewer", exact=True).input_value() == "10"
    assert console.get_by_label("Votes per viewer for one couple").input_value() == "5"
    console.get_by_label("Votes per viewer for one couple").fill("0")
    console.get_by_role("button", name="Set up the window").click()
    console.get_by_text("the caps are whole numbers of votes, 1 or more").wait_for()
    assert console.get_by_text("No voting window for this week yet.").is_visible()
    console.get_by_label("Votes per viewer for one couple").fill("3")
    console.get_by_role("button", name="Set up the window").click()
    console.get_by_text(re.compile(r"Voting window \d+ is set up")).wait_for()
    assert console.get_by_text("at most 3 for one couple").is_visible()
    # The outlook stays on screen while the producer decides to open the vote.
    assert console.get_by_text("the vote decides").first.is_visible()
    console.get_by_role("button", name=re.compile("^Open voting")).click()
    console.get_by_text("viewers can vote now").wait_for()
    vote_link = console.locator("a[href^='/vote/']")
    vote_url = vote_link.get_attribute("href")
    assert vote_url is not None and vote_link.text_content() == f"{url}{vote_url}"
    assert console.locator(".qr svg").count() == 1
    console.locator("[data-live-status][data-state='open']").wait_for()
    assert serious_axe_violations(console) == []

    phone = votes_on_a_phone(
        browser, f"{url}{vote_url}", codes, "fan@example.org", ["Cy Star"] * 3 + ["Ben Star"]
    )

    # The console's tally follows without a reload: counts and shares.
    tally = console.get_by_role("table", name=re.compile("^Live tally"))
    tally.get_by_role("row").filter(has_text="Cy Star").get_by_text("75.0 %").wait_for()
    assert tally.get_by_role("row").filter(has_text="Ben Star").get_by_role("cell").all_text_contents() == [
        "1",
        "25.0 %",
    ]

    # Fraud: a second account's votes are annulled from the console, shown first, then confirmed.
    votes_on_a_phone(browser, f"{url}{vote_url}", codes, "bulk@example.org", ["Di Star"] * 2)
    tally.get_by_role("row").filter(has_text="Di Star").get_by_text("33.3 %").wait_for()
    console.get_by_text("Annul votes found to be fraud").click()
    console.get_by_label("Why these votes are annulled").fill("one person, many accounts")
    console.get_by_label("Voter (as the ledger names them", exact=False).fill("email:bulk@example.org")
    console.get_by_role("button", name="Show the votes this would annul").click()
    console.get_by_role("heading", name=re.compile(r"^Annul 2 votes in window \d+\?")).wait_for()
    would = console.get_by_role("table", name="Votes that would be annulled, by couple")
    assert would.get_by_role("row").filter(has_text="Di Star").get_by_role("cell").text_content() == "2"
    assert serious_axe_violations(console) == []
    with transaction(app.state.mirrorball.sessions) as session:  # nothing has changed yet
        assert voting.window_tally(session, int(vote_url.rsplit("/", 1)[1]))["4"] == 2
    console.get_by_role("button", name="Annul 2 votes").click()
    console.get_by_text(re.compile(r"Annulled 2 votes .* the recount from the audit log matches")).wait_for()
    tally = console.get_by_role("table", name=re.compile("^Live tally"))
    tally.get_by_role("row").filter(has_text="Cy Star").get_by_text("75.0 %").wait_for()

    console.get_by_role("button", name=re.compile("^Close voting")).click()
    console.get_by_text("no more votes").wait_for()
    console.get_by_role("button", name=re.compile("^Count these votes in the week")).click()
    console.get_by_text("is counted in the week: 4 votes").wait_for()
    assert console.get_by_text("fed into the week").is_visible()

    # A second window, counted by the phone operator and keyed by hand, adds to the week's votes.
    console.get_by_label("Window", exact=True).fill("phone")
    console.get_by_label("Counts").fill("1:5200 2:4100 3:2600 4:3900")
    console.get_by_role("button", name="Count this window").click()
    console.get_by_text("Votes of the phone window counted.").wait_for()
    counted = console.get_by_role("table", name="Votes so far (staff only)")
    for star, total in (("Cy Star", "2,603"), ("Ben Star", "4,101")):
        assert counted.get_by_role("row").filter(has_text=star).get_by_role("cell").text_content() == total
    with transaction(app.state.mirrorball.sessions) as session:
        assert show_service.vote_totals(session, week) == {"1": 5200, "2": 4101, "3": 2603, "4": 3900}
    console.get_by_role("button", name="Close the week and combine judges and votes").click()
    console.get_by_text("Key the judges' save votes").first.wait_for()
    assert serious_axe_violations(console) == []
    bottom = console.get_by_label("Judge A (Judge A) saves").locator("option").all_text_contents()[1:]
    saved = bottom[0].split(" — ")[0]
    console.get_by_label("Judge A (Judge A) saves").select_option(saved)
    console.get_by_label("Judge C (Judge C) saves").select_option(saved)
    console.get_by_role("button", name="Record the judges' save").click()
    console.get_by_text("The judges' save is recorded").wait_for()
    eliminated_row = console.get_by_role("row").filter(has_text="eliminated")
    assert eliminated_row.count() == 1
    eliminated = bottom[1].split(" — ")[1]
    assert eliminated in eliminated_row.text_content()

    host = window(browser, 820, 1180)
    host.goto(f"{url}/signin?token={admin_link(app, 'host')}")
    host.get_by_role("button", name="Sign in").click()
    host.get_by_role("link", name="Week 1").click()
    host.get_by_role("button", name="Show next").click()
    card = screen.get_by_role("region", name="Announcement")
    card.get_by_text("Eliminated").wait_for()
    assert eliminated in card.text_content()

    console.get_by_role("button", name="Publish the result").click()
    phone.goto(f"{url}/results")
    phone.get_by_role("link", name="Week 1").click()
    assert phone.get_by_role("row").filter(has_text=eliminated).get_by_text("eliminated").is_visible()
    assert serious_axe_violations(phone) == []
    phone.goto(f"{url}/results")
    phone.get_by_role("link", name="Week-by-week leaderboard and results").click()
    ada = phone.get_by_role("row").filter(has_text="Ada Star & Pro One")
    assert ada.get_by_role("cell").first.text_content().startswith("30")
    assert serious_axe_violations(phone) == []
