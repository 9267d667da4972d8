"""Drive every page in Chromium and write the PNGs next to this script (used by docs/pages.md).

    PYTHONPATH=src python docs/screenshots/take.py

Data: the demo competition (`service.demo`, published semi-final and final) plus the browser tests'
small "Test Open" with a round being judged, on a throw-away SQLite file.
"""

from __future__ import annotations

import json
import sys
import tempfile
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "pages"))
sys.path.insert(0, str(ROOT))  # pages_harness uses the suite's test server (tests.server.live_server)

import httpx  # noqa: E402
from pages_data import DANCES, ROUTINES, admin_link, build_dancesport, build_show, submit  # noqa: E402
from pages_harness import chromium, serve  # noqa: E402
from sqlalchemy import select  # noqa: E402

from mirrorball.service.demo import load_demo  # noqa: E402
from mirrorball.store.db import transaction  # noqa: E402
from mirrorball.store.models import Competition, Event, Round  # noqa: E402
from mirrorball.web.api.votes import VotingConfig  # noqa: E402
from mirrorball.web.app import create_app  # noqa: E402
from mirrorball.web.pages import demo_play  # noqa: E402
from mirrorball.web.settings import Settings  # noqa: E402

TABLET = {"width": 820, "height": 1180}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
SCREEN = {"width": 1280, "height": 720}


def main() -> None:
    db = Path(tempfile.mkdtemp()) / "screens.sqlite3"
    app = create_app(Settings(db_url=str(db), demo=True))  # the start page as `serve --demo` shows it
    codes = db.parent / "codes.jsonl"  # viewers' e-mailed sign-in codes
    app.state.voting_config = VotingConfig(code_delivery=f"file:{codes}")
    with transaction(app.state.mirrorball.sessions) as session:
        load_demo(session)
    built = build_dancesport(app)
    stars = build_show(app)
    week = stars.rounds["Week 1"]
    paddles = {"A": [10, 8, 6, 7], "B": [10, 7, 6, 8], "C": [10, 8, 7, 6]}
    round_id = built.rounds["Round 1"]
    submit(app, built, round_id, "B", DANCES[0], {str(n): 1 for n in (101, 102, 103, 104, 105, 106)})
    submit(app, built, round_id, "C", DANCES[0], {str(n): 1 for n in (101, 102, 103, 104, 105, 107)})
    with transaction(app.state.mirrorball.readers) as session:
        demo_id = session.scalar(select(Competition.id).where(Competition.name.like("%Demo%")))
        final_id, semi_id = (
            session.scalar(
                select(Round.id)
                .join(Event, Event.id == Round.event_id)
                .where(Event.competition_id == demo_id, Round.kind == kind)
            )
            for kind in ("final", "recall")
        )

    with serve(app) as url, chromium() as browser:

        def window(viewport: dict[str, int]):  # type: ignore[no-untyped-def]
            context = browser.new_context(viewport=viewport)
            context.set_default_timeout(15_000)
            return context.new_page()

        def shot(page, name: str, full: bool = False) -> None:  # type: ignore[no-untyped-def]
            page.wait_for_timeout(800)  # let the pop animation settle
            page.screenshot(path=str(HERE / f"{name}.png"), full_page=full)
            print(f"docs/screenshots/{name}.png")

        page = window(DESKTOP)
        page.goto(url)
        shot(page, "landing", full=True)

        tablet = window(TABLET)
        tablet.goto(f"{url}/judge")
        tablet.get_by_label("Competition").select_option(label="Test Open")
        shot(tablet, "judge-signin")
        tablet.get_by_label("Judge letter").fill("A")
        tablet.get_by_label("PIN").fill(built.pins["A"])
        tablet.get_by_role("button", name="Sign in").click()
        tablet.locator("[data-dance-title]").filter(has_text=DANCES[0]).wait_for()
        for number in (101, 102, 104, 106):
            tablet.get_by_role("button", name=f"Couple {number}").click()
        shot(tablet, "judge-recall")
        tablet.context.set_offline(True)
        for number in (103, 107):
            tablet.get_by_role("button", name=f"Couple {number}").click()
        tablet.get_by_role("button", name="Submit this dance").click()
        tablet.wait_for_timeout(4500)  # one failed poll: the tablet says it has no connection
        shot(tablet, "judge-offline")
        tablet.context.set_offline(False)
        tablet.locator("[data-outbox-state][data-pending='0']").wait_for()

        console = window(DESKTOP)
        console.goto(f"{url}/signin?token={admin_link(app)}")
        console.get_by_role("button", name="Sign in").click()
        console.get_by_role("heading", name="Scrutineer console").wait_for()
        shot(console, "console", full=True)
        console.get_by_role("link", name="Judges' sign-in links, QR codes and PINs").last.click()
        console.get_by_role("button", name="New link and QR for judge A").first.click()
        shot(console, "console-seats", full=True)
        console.goto(f"{url}/console/rounds/{round_id}")
        console.locator("[data-live-status][data-state='open']").wait_for()
        shot(console, "console-round", full=True)

        host = window(TABLET)
        host.goto(f"{url}/signin?token={admin_link(app, 'host')}")
        host.get_by_role("button", name="Sign in").click()
        host.goto(f"{url}/host/rounds/{final_id}")
        screen = window(SCREEN)
        screen.goto(f"{url}/scoreboard/{demo_id}")
        shot(screen, "scoreboard-result")
        for _ in range(4):
            host.get_by_role("button", name="Show next").click()
        host.get_by_role("button", name="Show next").wait_for()
        shot(host, "host", full=True)
        screen.get_by_text("3rd place", exact=True).wait_for()
        shot(screen, "scoreboard-reveal")
        for _ in range(2):
            host.get_by_role("button", name="Show next").click()
        screen.get_by_text("The winner").wait_for()
        shot(screen, "scoreboard-winner")
        screen.goto(f"{url}/scoreboard/{built.competition_id}")
        shot(screen, "scoreboard-floor")

        # A show week: the judge's paddles, the big screen, the producer's console.
        tablet = window(TABLET)
        tablet.goto(f"{url}/judge")
        tablet.get_by_label("Competition").select_option(label="Stars Test")
        tablet.get_by_label("Judge letter").fill("A")
        tablet.get_by_label("PIN").fill(stars.pins["A"])
        tablet.get_by_role("button", name="Sign in").click()
        tablet.get_by_text("Ada Star & Pro One").wait_for()
        tablet.get_by_role("button", name="9", exact=True).click()
        shot(tablet, "judge-paddle")
        tablet.get_by_role("button", name="10", exact=True).click()
        tablet.get_by_role("button", name="Submit this score").click()
        tablet.locator("[data-outbox-state][data-pending='0']").wait_for()
        screen.goto(f"{url}/scoreboard/{stars.competition_id}")
        submit(app, stars, week, "B", "Cha Cha — 1", {"1": 10})
        screen.get_by_role("list", name="Judges' paddles").get_by_text("10").nth(1).wait_for()
        shot(screen, "scoreboard-paddles")
        submit(app, stars, week, "C", "Cha Cha — 1", {"1": 10})
        screen.get_by_text("Perfect score!").wait_for()
        shot(screen, "scoreboard-perfect")
        for i, (dance, couple) in enumerate(ROUTINES[1:], start=1):
            for letter in "ABC":
                submit(app, stars, week, letter, f"{dance} — {couple}", {str(couple): paddles[letter][i]})
        screen.wait_for_timeout(1500)
        shot(screen, "scoreboard-leaderboard", full=True)
        console.goto(f"{url}/console/rounds/{week}")
        shot(console, "console-show-outlook", full=True)
        console.get_by_role("button", name="Set up the window").click()
        console.get_by_role("button", name="Open voting", exact=False).click()
        console.locator("[data-live-status][data-state='open']").wait_for()
        window_path = console.locator("a[href^='/vote/']").get_attribute("href")
        vote_id = window_path.rsplit("/", 1)[1]
        # A viewer on the phone vote page: sign in by code, give 3 + 2 votes, read the receipt.
        viewer = window(PHONE)
        viewer.goto(f"{url}{window_path}")
        viewer.get_by_label("Your e-mail address").fill("viewer@example.org")
        shot(viewer, "vote-signin", full=True)
        viewer.get_by_role("button", name="Send me a code").click()
        viewer.get_by_label("The 6-digit code").wait_for()
        code = [json.loads(line) for line in codes.read_text().splitlines()][-1]["code"]
        viewer.get_by_label("The 6-digit code").fill(code)
        viewer.get_by_role("button", name="Sign in").click()
        more = viewer.get_by_role("button", name="One vote more for", exact=False)
        more.first.wait_for()
        for _ in range(3):
            more.nth(0).click()
        for _ in range(2):
            more.nth(2).click()
        shot(viewer, "vote-allocate", full=True)
        viewer.get_by_role("button", name="Send my votes").click()
        viewer.get_by_role("heading", name="Your votes are counted").wait_for()
        shot(viewer, "vote-receipt", full=True)
        receipt = viewer.locator("#receipt-text").input_value()
        viewer.get_by_role("link", name="Check a receipt").click()
        viewer.get_by_label("Receipt").fill(receipt)
        viewer.get_by_role("button", name="Check the receipt").click()
        viewer.get_by_role("heading", name="Genuine: signed by this server").wait_for()
        shot(viewer, "vote-receipt-check", full=True)
        for n, choice in enumerate([{"1": 3, "2": 2}, {"3": 5}, {"2": 4, "4": 1}, {"1": 2}]):
            email = f"fan{n}@example.org"
            httpx.post(f"{url}/api/votes/signin/code", json={"email": email}).raise_for_status()
            code = [json.loads(line) for line in codes.read_text().splitlines()][-1]["code"]
            token = httpx.post(f"{url}/api/votes/signin/verify", json={"email": email, "code": code}).json()
            httpx.put(
                f"{url}/api/votes/windows/{vote_id}/allocation",
                headers={"Authorization": f"Bearer {token['token']}"},
                json={"allocation": choice, "key": uuid.uuid4().hex},
            ).raise_for_status()
        console.get_by_text("22 votes").wait_for()  # the fans' 17 and the viewer's 5
        shot(console, "console-show-vote", full=True)
        console.get_by_text("Annul votes found to be fraud").click()  # shown, then not confirmed
        console.get_by_label("Why these votes are annulled").fill("one household, many accounts")
        console.get_by_label("Voter (as the ledger names them", exact=False).fill("email:fan2@example.org")
        console.get_by_role("button", name="Show the votes this would annul").click()
        console.get_by_role("button", name="Annul 5 votes").wait_for()
        shot(console, "console-annul", full=True)
        console.goto(f"{url}/console/rounds/{week}")
        console.get_by_role("button", name="Close voting", exact=False).click()
        viewer.goto(f"{url}{window_path}")  # the shares are public after the close
        viewer.get_by_role("heading", name="How the audience voted").wait_for()
        shot(viewer, "vote-results", full=True)
        console.get_by_role("button", name="Count these votes in the week", exact=False).click()
        console.get_by_text("is counted in the week").wait_for()
        console.get_by_label("Counts").fill("1:5200 2:4100 3:2600 4:3900")
        console.get_by_role("button", name="Count this window").click()
        console.get_by_role("button", name="Close the week and combine judges and votes").click()
        console.get_by_text("Key the judges' save votes").first.wait_for()
        shot(console, "console-show-save", full=True)

        # The demo's season 19 finale, replayed with the judges' real paddles.
        demo_play.SECONDS_BETWEEN_SHEETS = 0.4
        page.goto(url)
        page.get_by_role("button", name="Play the season 19 finale").click()
        page.get_by_text("The finale is on").wait_for()
        screen.goto(f"{url}/scoreboard")
        shot(screen, "scoreboard-pick")
        screen.get_by_role("link", name="season 19").click()
        screen.get_by_role("list", name="Judges' paddles").get_by_text("waiting…").first.wait_for()
        screen.wait_for_timeout(2500)
        shot(screen, "scoreboard-finale", full=True)

        phone = window(PHONE)
        phone.goto(f"{url}/results")
        shot(phone, "results-phone")
        phone.goto(f"{url}/results/rounds/{final_id}?couple=103#why")
        shot(phone, "results-why-phone")
        page.goto(f"{url}/results")
        page.get_by_role("link", name="Week-by-week leaderboard and results").first.click()
        shot(page, "results-season", full=True)
        page.goto(f"{url}/results/rounds/{final_id}")
        shot(page, "results-final", full=True)
        page.goto(f"{url}/results/rounds/{semi_id}")
        shot(page, "results-recall", full=True)
        page.emulate_media(media="print")
        page.goto(f"{url}/results/rounds/{final_id}")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        shot(page, "results-print-a4", full=True)


if __name__ == "__main__":
    main()
