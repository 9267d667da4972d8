"""The vote page after the close, and during a live-disclosed vote: the public shares, by the window's
disclosure policy, and no ballot once voting has closed."""

from __future__ import annotations

import html
import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .conftest import key, make_window, voter_token


def _give(client: TestClient, app: FastAPI, window: int, voter: str, allocation: dict[str, int]) -> None:
    response = client.put(
        f"/api/votes/windows/{window}/allocation",
        json={"allocation": allocation, "key": key()},
        headers=voter_token(app, client, voter),
    )
    assert response.status_code == 201, response.text


def _shown_shares(page: str) -> list[tuple[str, str]]:
    """(couple, share) as the page lists them, in its order."""
    found = re.findall(r'<span class="name">([^<]*)</span> <span class="share">([^<]*)</span>', page)
    return [(html.unescape(name), share) for name, share in found]


def test_after_the_close_the_page_shows_the_shares_and_no_ballot(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin, disclosure="after_close")
    _give(client, app, window, "a@example.org", {"2": 3, "1": 1})
    _give(client, app, window, "b@example.org", {"2": 2})
    _give(client, app, window, "c@example.org", {"1": 2})

    open_page = client.get(f"/vote/{window}").text
    assert 'id="ballot"' in open_page and _shown_shares(open_page) == []  # not before the close

    assert client.post(f"/api/votes/windows/{window}/close", headers=admin).status_code == 200
    closed = client.get(f"/vote/{window}")
    assert closed.status_code == 200
    assert "How the audience voted" in closed.text
    # 5 of 8 votes for couple 2, 3 for couple 1, none for couple 3: largest first, every couple listed.
    assert _shown_shares(closed.text) == [
        ("Couple 2", "62.5 %"),
        ("Couple 1", "37.5 %"),
        ("Couple 3", "0.0 %"),
    ]
    assert 'id="ballot"' not in closed.text and 'id="signin"' not in closed.text
    assert 'href="/vote/receipt"' in closed.text
    api = client.get(f"/api/votes/windows/{window}/shares").json()["shares"]
    assert api == {"1": 37.5, "2": 62.5, "3": 0.0}  # the page shows what the API publishes


def test_a_hidden_vote_shows_no_numbers_even_after_the_close(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin, disclosure="hidden")
    _give(client, app, window, "a@example.org", {"1": 2})
    client.post(f"/api/votes/windows/{window}/close", headers=admin)
    page = client.get(f"/vote/{window}").text
    assert "announced on the show" in page
    assert _shown_shares(page) == [] and "%" not in re.sub(r"<style.*?</style>", "", page, flags=re.S)


def test_a_live_vote_shows_the_shares_so_far_beside_the_ballot(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin, disclosure="live")
    _give(client, app, window, "a@example.org", {"3": 1})
    page = client.get(f"/vote/{window}").text
    assert "The audience vote so far" in page and 'id="ballot"' in page
    assert _shown_shares(page)[0] == ("Couple 3", "100.0 %")
