"""`serve --demo`'s audience vote: one button opens a vote for the season 19 finalists, shares live."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mirrorball.service import votes as voting
from mirrorball.service.demo import load_demo
from mirrorball.store.db import transaction
from mirrorball.web.app import create_app
from mirrorball.web.settings import Settings

from .conftest import key, voter_token


def test_the_demo_opens_one_audience_vote_for_the_finalists(
    settings: Settings, voting_config: object
) -> None:
    demo = create_app(Settings(db_url=settings.db_url, base_url="http://testserver", demo=True))
    demo.state.voting_config = voting_config
    with transaction(demo.state.mirrorball.sessions) as session:
        load_demo(session)
    with TestClient(demo) as client:
        opened = client.post("/demo/open-vote", follow_redirects=False)
        assert opened.status_code == 303
        window = int(re.fullmatch(r"/\?vote_window=(\d+)#demo-title", opened.headers["location"]).group(1))
        landing = client.get(f"/?vote_window={window}").text
        notice = re.search(r"The audience vote is open.*?</div></div>", landing, re.S)
        assert notice is not None
        assert f'href="/vote/{window}"' in notice.group() and "<svg" in notice.group()  # a link, a QR code

        with transaction(demo.state.mirrorball.readers) as session:
            row = voting.get_window(session, window)
            described = voting.describe_window(row)
        assert described["accepting"] and described["disclosure"] == "live"
        names = [c["name"] for c in described["couples"]]
        assert len(names) == 3 and all(" & " in name for name in names)  # the finale's last night

        again = client.post("/demo/open-vote", follow_redirects=False)
        assert again.headers["location"] == opened.headers["location"]  # the open one, not a second

        given = client.put(
            f"/api/votes/windows/{window}/allocation",
            json={"allocation": {described["couples"][0]["key"]: 5}, "key": key()},
            headers=voter_token(demo, client, "visitor@example.org"),
        )
        assert given.status_code == 201
        page = client.get(f"/vote/{window}").text
        assert "The audience vote so far" in page and "100.0 %" in page and 'id="ballot"' in page


def test_the_demo_button_is_only_there_under_demo(client: TestClient, app: FastAPI) -> None:
    assert client.post("/demo/open-vote", follow_redirects=False).status_code == 404
    assert "Open an audience vote" not in client.get("/").text
