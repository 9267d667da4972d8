"""The demo on the real server (create_app on a temporary SQLite file with the demo loaded), in Chromium:
the start page's links open every role, every page passes axe, and the host works by keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pages_harness import serious_axe_violations, serve

from mirrorball.service.demo import load_demo
from mirrorball.store.db import transaction
from mirrorball.web.app import create_app
from mirrorball.web.pages import demo_play
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = Path(tmp_path_factory.mktemp("site")) / "mirrorball.sqlite3"
    app = create_app(Settings(db_url=str(db), demo=True))
    with transaction(app.state.mirrorball.sessions) as session:
        load_demo(session)
    with serve(app) as url:
        yield url


def test_the_start_page_explains_every_page_and_its_links_open_each_role(browser, context, site) -> None:
    page = context.new_page()
    page.goto(site)
    pages = ("Judge tablet", "Scrutineer console", "Big-screen scoreboard", "Host reveal", "Public results")
    for name in pages:
        assert page.get_by_role("heading", name=name).is_visible()
    assert serious_axe_violations(page) == []
    # Keyboard: the first Tab reaches the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"

    page.get_by_text("Judges' sign-in links and QR codes").click()
    judge_href = page.get_by_role("link", name="mirrorball Demo Open: judge C").get_attribute("href")
    page.get_by_role("link", name="sign in as the organizer").click()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Scrutineer console").wait_for()
    assert page.get_by_role("row", name="Final", exact=False).last.get_by_text("closed").is_visible()
    assert serious_axe_violations(page) == []

    judge = browser.new_context().new_page()  # a second device: its own sign-in
    judge.goto(judge_href)
    judge.get_by_role("button", name="Sign in").click()
    judge.get_by_text("Nothing to mark right now").wait_for()
    assert judge.get_by_role("heading", name="Judge C · Judge C").is_visible()
    assert serious_axe_violations(judge) == []
    judge.context.close()


def test_public_pages_pass_axe(context, site) -> None:
    page = context.new_page()
    checks = (("/results", "Results"), ("/judge", "Judge sign-in"), ("/console", "Scrutineer console"))
    for path, heading in checks:
        page.goto(site + path)
        assert page.get_by_role("heading", name=heading).is_visible()
        assert serious_axe_violations(page) == [], path
    page.goto(site + "/results/rounds/999")
    assert page.get_by_role("heading", name="Not published").is_visible()
    assert serious_axe_violations(page) == []
    page.goto(site + "/results")
    page.get_by_role("link", name="Semi-final").click()
    assert page.get_by_role("heading", name="Recall", exact=True).is_visible()
    assert serious_axe_violations(page) == []
    page.goto(site + "/scoreboard")
    page.get_by_role("link", name="mirrorball Demo Open").click()
    page.get_by_role("heading", name="Final result").wait_for()
    assert serious_axe_violations(page) == []


def test_the_host_reveals_by_keyboard_alone(context, site) -> None:
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="sign in as the organizer").click()
    page.get_by_role("button", name="Sign in").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Scrutineer console").wait_for()
    page.goto(site + "/host")
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="Final", exact=True).focus()
    page.keyboard.press("Enter")
    next_button = page.get_by_role("button", name="Show next")
    next_button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("on screen", exact=False).first.wait_for()
    assert page.locator(".badge.ok").count() == 1


def test_the_organizer_gives_a_judge_a_pin_and_a_link_from_the_console(browser, context, site) -> None:
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="sign in as the organizer").click()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Judges' sign-in links, QR codes and PINs").first.click()
    page.get_by_label("PIN for judge B, Latin panel").fill("4321")
    page.get_by_role("button", name="Set PIN for judge B").click()
    page.get_by_text("PIN set.").wait_for()
    page.get_by_role("button", name="New link and QR for judge D, Latin panel").click()
    link = page.get_by_role("link", name="/signin?token=")
    assert link.count() == 1
    assert serious_axe_violations(page) == []

    tablet = browser.new_context().new_page()
    tablet.goto(site + "/judge")
    tablet.get_by_label("Judge letter").fill("B")
    tablet.get_by_label("PIN").fill("4321")
    tablet.get_by_role("button", name="Sign in").click()
    tablet.get_by_text("Nothing to mark right now").wait_for()
    tablet.goto(link.get_attribute("href"))
    tablet.get_by_role("button", name="Sign in").click()
    tablet.get_by_role("heading", name="Judge D · Judge D").wait_for()
    tablet.context.close()


# Printable width at 96 px/inch with the stylesheet's 10 mm side margins: A4 210 mm, Letter 8.5 in.
PRINTABLE_PX = {"A4": round((210 - 20) / 25.4 * 96), "Letter": round((8.5 * 25.4 - 20) / 25.4 * 96)}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_result_sheets_print_on_a4_and_letter_without_cutting_a_table(context, site, paper: str) -> None:
    page = context.new_page()
    page.goto(site + "/results")
    page.get_by_role("link", name="Final", exact=True).click()
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINTABLE_PX[paper], "height": 1000})
    assert not page.get_by_role("navigation").is_visible()
    assert not page.get_by_role("button", name="Print").is_visible()
    widest = page.evaluate("Math.max(...[...document.querySelectorAll('table')].map(t => t.scrollWidth))")
    assert widest <= PRINTABLE_PX[paper]
    pdf = page.pdf(format=paper, prefer_css_page_size=False)
    assert pdf.startswith(b"%PDF")


def test_play_a_live_final_opens_it_for_the_visitor_and_the_simulated_judges(
    browser, context, site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_play, "SECONDS_BETWEEN_SHEETS", 0.1)
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="sign in as the organizer").click()
    page.get_by_role("button", name="Sign in").click()
    page.goto(site)
    page.get_by_text("Judges' sign-in links and QR codes").click()
    judge_a = page.get_by_role("link", name="mirrorball Demo Open: judge A").get_attribute("href")
    page.get_by_role("button", name="Play a live final").click()
    page.get_by_text("The live final is open").wait_for()
    page.get_by_role("link", name="console's progress board").click()
    board = page.locator("[data-fragment]")
    board.get_by_text("of 25 sheets in").wait_for()
    # Simulated judges' sheets arrive on the open console without a reload.
    board.locator("[data-key='p-E-Jive']").get_by_text("in", exact=True).wait_for(timeout=30_000)
    assert board.locator("[data-key='p-A-Samba']").text_content().strip() == "waiting"

    tablet = browser.new_context(viewport={"width": 820, "height": 1180}).new_page()
    tablet.goto(judge_a)
    tablet.get_by_role("button", name="Sign in").click()
    tablet.get_by_text("Final (live").first.wait_for()
    tablet.locator("[data-counter]", has_text="Next: 1st place · 0 of 6 placed").wait_for()
    tablet.context.close()


def test_play_the_season_19_finale_lights_up_the_big_screen_and_the_host_reveals_the_champion(
    browser, context, site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_play, "SECONDS_BETWEEN_SHEETS", 0.05)
    page = context.new_page()
    page.goto(site)
    page.get_by_role("link", name="sign in as the organizer").click()
    page.get_by_role("button", name="Sign in").click()
    page.goto(site)
    page.get_by_role("button", name="Play the season 19 finale").click()
    page.get_by_text("The finale is on").wait_for()
    host_href = page.get_by_role("link", name="host page", exact=True).get_attribute("href")

    screen = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    screen.goto(site + "/scoreboard")
    screen.get_by_role("link", name="season 19").click()
    # The real paddles: the last routine's panel is on screen once the night is scored.
    screen.get_by_role("list", name="Judges' paddles").wait_for()
    page.goto(site + host_href)
    for _ in range(30):  # the week closes once every paddle is in and the votes are counted
        if page.get_by_role("button", name="Show next").count():
            break
        page.wait_for_timeout(300)
        page.reload()
    for _ in range(3):
        page.get_by_role("button", name="Show next").click()
    card = screen.get_by_role("region", name="Announcement")
    card.get_by_text("Champion — the Mirrorball Trophy").wait_for()
    assert "Alfonso Ribeiro" in card.text_content()
    screen.context.close()
