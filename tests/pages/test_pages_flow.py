"""The night, DanceSport: a judge's tablet, the scrutineer's console, the big screen and a phone on
the real server at once — marks in, live progress, close, publish, the public sheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_data import DANCES, Built, admin_link, build_dancesport, submit
from pages_harness import serious_axe_violations, serve

from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser

# Judge B and C's X's per dance (6 of 8 each); judge A marks on the tablet.
OTHERS = {"B": [101, 102, 103, 104, 105, 106], "C": [101, 102, 103, 104, 105, 107]}
TABLET_A = [101, 102, 103, 104, 106, 107]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Built]]:
    db = Path(tmp_path_factory.mktemp("flow")) / "mirrorball.sqlite3"
    app = create_app(Settings(db_url=str(db)))
    built = build_dancesport(app)
    with serve(app) as url:
        yield url, app, built


def window(browser: Any, width: int, height: int) -> Any:
    """A separate browser window (its own cookies), as on a separate device."""
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    return context.new_page()


def sign_in_admin(page: Any, url: str, app: Any) -> None:
    page.goto(f"{url}/signin?token={admin_link(app)}")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Scrutineer console").wait_for()


def test_judge_to_console_to_big_screen_to_public_sheet(browser, site) -> None:
    url, app, built = site
    round_id = built.rounds["Round 1"]
    for letter, numbers in OTHERS.items():
        for dance in DANCES:
            submit(app, built, round_id, letter, dance, {str(n): 1 for n in numbers})

    console = window(browser, 1280, 900)
    sign_in_admin(console, url, app)
    console.get_by_role("link", name="Open Adult Latin Round 1").click()
    board = console.locator("[data-fragment]")
    cell = board.locator("[data-key='p-A-Samba']")
    assert cell.text_content().strip() == "waiting"
    console.locator("[data-live-status][data-state='open']").wait_for()

    screen = window(browser, 1280, 720)
    screen.goto(f"{url}/scoreboard")
    screen.get_by_role("heading", name="Adult Latin").wait_for()
    assert screen.locator("ul[aria-label='Couples on the floor'] li").count() == 8

    tablet = window(browser, 820, 1180)
    tablet.goto(f"{url}/judge")
    tablet.get_by_label("Judge letter").fill("A")
    tablet.get_by_label("PIN").fill(built.pins["A"])
    tablet.get_by_role("button", name="Sign in").click()
    for dance in DANCES:
        tablet.locator("[data-dance-title]").filter(has_text=dance).wait_for()
        for number in TABLET_A:
            tablet.get_by_role("button", name=f"Couple {number}").click()
        tablet.get_by_role("button", name="Submit this dance").click()
    tablet.get_by_text("All dances submitted").wait_for()
    tablet.locator("[data-outbox-state][data-pending='0']").wait_for()

    # The console's board follows without a reload (server-sent event → fragment refetch).
    board.get_by_text("6 of 6 sheets in").wait_for()
    assert cell.text_content().strip() == "in"

    console.reload()
    console.get_by_role("button", name="Close the round and compute the result").click()
    # 101–104 have 6 X's, 105–107 have 4: recalling 6 would split a tie, so the Chairman chooses.
    console.get_by_text("there is a tie at the cut").first.wait_for()
    assert serious_axe_violations(console) == []
    options = console.get_by_role("radio")
    assert options.count() == 2
    console.get_by_label("Recall 7").check()
    console.get_by_role("button", name="Decide and close").click()
    console.get_by_text("Decided: 7 couples recalled.").wait_for()
    console.get_by_role("button", name="Publish the result").click()
    console.get_by_text("Published").first.wait_for()

    # The big screen shows the recalled numbers without a reload.
    screen.get_by_role("heading", name="Recalled to the next round").wait_for()
    recalled = screen.locator("ul[aria-label='Recalled couples'] li").all_text_contents()
    assert recalled == ["101", "102", "103", "104", "105", "106", "107"]
    phone = window(browser, 390, 844)
    phone.goto(f"{url}/results")
    phone.get_by_role("link", name="Round 1").click()
    published = phone.locator("table").first.locator("tbody td:nth-child(1)").all_text_contents()
    assert published == recalled
    phone.get_by_role("heading", name="Recall", exact=True).wait_for()
    assert phone.get_by_role("link", name="Download CSV").is_visible()
    assert serious_axe_violations(phone) == []
    assert serious_axe_violations(screen) == []


# The final: judge A places the couples by tapping on the tablet; B and C send their sheets.
FINAL_A = [101, 102, 103, 104, 105, 106, 107]
FINAL_OTHERS = {"B": [102, 101, 103, 104, 105, 106, 107], "C": [101, 103, 102, 104, 105, 107, 106]}


def test_final_on_the_tablet_then_the_host_reveals_it_on_the_big_screen(browser, site) -> None:
    url, app, built = site
    console = window(browser, 1280, 900)
    sign_in_admin(console, url, app)
    console.get_by_role("link", name="Open Adult Latin Round 1").click()
    console.get_by_role("button", name="Create and open it").click()
    console.get_by_text("Final is open.").wait_for()
    final_id = int(console.url.split("/rounds/")[1].split("?")[0])

    tablet = window(browser, 820, 1180)
    tablet.goto(f"{url}/judge")
    tablet.get_by_label("Judge letter").fill("A")
    tablet.get_by_label("PIN").fill(built.pins["A"])
    tablet.get_by_role("button", name="Sign in").click()
    tablet.get_by_text("Tap the couples in order").wait_for()
    for dance in DANCES:
        tablet.locator("[data-dance-title]").filter(has_text=dance).wait_for()
        # A slip: 103 tapped second, then tapped again to undo; the next tap takes the freed place.
        tablet.get_by_role("button", name="Couple 101").click()
        tablet.get_by_role("button", name="Couple 103").click()
        assert tablet.get_by_role("button", name="Couple 103, placed 2nd").is_visible()
        tablet.get_by_role("button", name="Couple 103, placed 2nd").click()
        for number in FINAL_A[1:]:
            tablet.get_by_role("button", name=f"Couple {number}, not placed").click()
        assert tablet.locator("[data-counter]").text_content() == "All 7 placed"
        tablet.get_by_role("button", name="Submit this dance").click()
    tablet.get_by_text("All dances submitted").wait_for()
    tablet.locator("[data-outbox-state][data-pending='0']").wait_for()
    for letter, order in FINAL_OTHERS.items():
        for dance in DANCES:
            submit(app, built, final_id, letter, dance, {str(n): i for i, n in enumerate(order, start=1)})

    console.reload()
    console.get_by_role("button", name="Close the round and compute the result").click()
    console.get_by_text("Closed: the result is computed").wait_for()

    screen = window(browser, 1280, 720)
    screen.goto(f"{url}/scoreboard")
    host = window(browser, 820, 1180)
    host.goto(f"{url}/signin?token={admin_link(app, 'host')}")
    host.get_by_role("button", name="Sign in").click()
    host.get_by_role("link", name="Final").click()
    assert serious_axe_violations(host) == []
    for _ in range(6):  # 7th place up to 2nd
        host.get_by_role("button", name="Show next").click()
    screen.get_by_text("2nd place", exact=True).wait_for()
    host.get_by_role("button", name="Show next").click()
    card = screen.get_by_role("region", name="Announcement")
    card.get_by_text("The winner").wait_for()
    assert "101 — Leader 1 & Follower 1" in card.text_content()
    assert host.get_by_role("button", name="Show next").is_disabled()

    console.get_by_role("button", name="Publish the result").click()
    phone = window(browser, 390, 844)
    phone.goto(f"{url}/results/rounds/{final_id}")
    assert phone.get_by_role("heading", name="Summary").is_visible()
    assert phone.locator("td.decisive").count() > 0  # the deciding cells of the Skating tabulation
    phone.get_by_label("Couple").select_option("102")
    phone.get_by_role("button", name="Explain").click()
    assert phone.get_by_role("heading", name="Couple 102: placed 2").is_visible()
    assert phone.locator("#why li").count() > 0
    assert serious_axe_violations(phone) == []
