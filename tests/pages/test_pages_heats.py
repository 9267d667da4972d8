"""A recall round danced in heats: the tablet shows one heat at a time, the count spans them all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_data import Built, build_dancesport
from pages_harness import serious_axe_violations, serve

from mirrorball.service import judging
from mirrorball.store.db import transaction
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any, Built]]:
    db = Path(tmp_path_factory.mktemp("heats")) / "mirrorball.sqlite3"
    app = create_app(Settings(db_url=str(db)))
    built = build_dancesport(app, couples=12, recall=6, heats=2)
    with serve(app) as url:
        yield url, app, built


def test_the_tablet_shows_one_heat_at_a_time_and_counts_over_both(context, site) -> None:
    url, app, built = site
    page = context.new_page()
    page.goto(f"{url}/judge")
    page.get_by_label("Judge letter").fill("A")
    page.get_by_label("PIN").fill(built.pins["A"])
    page.get_by_role("button", name="Sign in").click()
    heat_1 = page.get_by_role("list", name="Heat 1")
    heat_2 = page.get_by_role("list", name="Heat 2")
    heat_1.wait_for()
    assert not heat_2.is_visible()
    assert page.get_by_role("button", name="Previous heat").is_disabled()
    first = [int(b.get_attribute("data-number")) for b in heat_1.get_by_role("button").all()]
    for number in first[:3]:
        heat_1.get_by_role("button", name=f"Couple {number}").click()
    page.get_by_role("button", name="Next heat").click()
    assert heat_2.is_visible() and not heat_1.is_visible()
    assert page.get_by_role("button", name="Next heat").is_disabled()
    second = [int(b.get_attribute("data-number")) for b in heat_2.get_by_role("button").all()]
    assert sorted(first + second) == list(range(101, 113))
    for number in second[:3]:
        heat_2.get_by_role("button", name=f"Couple {number}").click()
    assert page.locator("[data-counter]").text_content() == "Marked 6 of 6"
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Submit this dance").click()
    page.locator("[data-dance-title]", has_text="Jive").wait_for()
    heat_1.wait_for()  # the next dance starts again at heat 1
    page.locator("[data-outbox-state][data-pending='0']").wait_for()
    with transaction(app.state.mirrorball.readers) as session:
        assert judging.progress(session, built.rounds["Round 1"])["Samba"]["A"] == "locked"
