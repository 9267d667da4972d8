"""The pages on the real server (create_app on a temporary SQLite file) in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pages_harness import serious_axe_violations, serve

from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = Path(tmp_path_factory.mktemp("site")) / "mirrorball.sqlite3"
    with serve(create_app(Settings(db_url=str(db)))) as url:
        yield url


def test_the_start_page_explains_every_page_and_links_to_it(context, site) -> None:
    page = context.new_page()
    page.goto(site)
    pages = ("Judge tablet", "Scrutineer console", "Big-screen scoreboard", "Host reveal", "Public results")
    for name in pages:
        assert page.get_by_role("heading", name=name).is_visible()
    page.get_by_role("link", name="See the results").click()
    page.wait_for_url(f"{site}/results")
    assert serious_axe_violations(page) == []


def test_the_start_page_has_no_serious_accessibility_violations(context, site) -> None:
    page = context.new_page()
    page.goto(site)
    assert serious_axe_violations(page) == []
    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
