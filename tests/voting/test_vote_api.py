"""Voting through the HTTP API on SQLite and PostgreSQL: counting, caps, idempotency, receipts, refusals."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mirrorball.voting.receipts import public_key_from_text, verify_receipt
from server.helpers import error_of

from .conftest import key, make_window, sign_in_by_code, voter_token


def _tally(client: TestClient, admin: dict[str, str], window: int) -> dict[str, int]:
    response = client.get(f"/api/votes/windows/{window}/tally", headers=admin)
    assert response.status_code == 200, response.text
    result: dict[str, int] = response.json()
    return result


def test_a_viewer_signs_in_by_code_votes_and_gets_a_receipt_anyone_can_verify(
    client: TestClient, admin: dict[str, str], codes_file: Path
) -> None:
    window = make_window(client, admin)
    voter = sign_in_by_code(client, codes_file, "Fan@Example.org")
    response = client.post(
        f"/api/votes/windows/{window}/votes", json={"couple": "2", "votes": 2, "key": key()}, headers=voter
    )
    assert response.status_code == 201, response.text
    public_key = public_key_from_text(client.get("/api/votes/receipt-key").json()["public_key"])
    facts = verify_receipt(response.json()["receipt"], public_key)
    assert facts["counted"] == {"2": 2} and facts["allocation"] == {"2": 2} and facts["remaining"] == 3
    assert client.post("/api/votes/receipts/verify", json={"receipt": response.json()["receipt"]}).json()[
        "valid"
    ]
    assert _tally(client, admin, window) == {"1": 0, "2": 2, "3": 0}
    me = client.get(f"/api/votes/windows/{window}/me", headers=voter).json()
    assert me["allocation"] == {"2": 2} and me["remaining"] == 3


def test_caps_per_couple_and_per_window_are_refused_with_the_rule(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "a@example.org")
    url = f"/api/votes/windows/{window}/votes"
    assert client.post(url, json={"couple": "1", "votes": 3, "key": key()}, headers=voter).status_code == 201
    over_couple = client.post(url, json={"couple": "1", "votes": 1, "key": key()}, headers=voter)
    assert over_couple.status_code == 409 and error_of(over_couple)["code"] == "couple_cap"
    assert client.post(url, json={"couple": "2", "votes": 2, "key": key()}, headers=voter).status_code == 201
    over_window = client.post(url, json={"couple": "3", "votes": 1, "key": key()}, headers=voter)
    assert over_window.status_code == 409 and "at most 5 votes" in error_of(over_window)["message"]
    assert _tally(client, admin, window) == {"1": 3, "2": 2, "3": 0}


def test_a_retried_request_never_counts_twice(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "b@example.org")
    body = {"couple": "3", "votes": 1, "key": key()}
    first = client.post(f"/api/votes/windows/{window}/votes", json=body, headers=voter)
    again = client.post(f"/api/votes/windows/{window}/votes", json=body, headers=voter)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["facts"]["replay"] is True and again.json()["facts"]["counted"] == {"3": 1}
    other = client.post(f"/api/votes/windows/{window}/votes", json={**body, "couple": "2"}, headers=voter)
    assert other.status_code == 409 and error_of(other)["code"] == "key_reused"
    assert _tally(client, admin, window) == {"1": 0, "2": 0, "3": 1}


def test_saved_allocations_can_be_changed_until_the_close_only_when_allowed(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "c@example.org")
    url = f"/api/votes/windows/{window}/allocation"
    assert (
        client.put(url, json={"allocation": {"1": 3, "2": 2}, "key": key()}, headers=voter).status_code == 201
    )
    moved = client.put(url, json={"allocation": {"3": 3, "2": 1}, "key": key()}, headers=voter)
    assert moved.status_code == 201 and moved.json()["facts"]["counted"] == {"1": -3, "2": -1, "3": 3}
    assert _tally(client, admin, window) == {"1": 0, "2": 1, "3": 3}
    fixed = make_window(client, admin, caps={"online": {"per_window": 5}})
    assert (
        client.put(
            f"/api/votes/windows/{fixed}/allocation",
            json={"allocation": {"1": 2}, "key": key()},
            headers=voter,
        ).status_code
        == 201
    )
    refused = client.put(
        f"/api/votes/windows/{fixed}/allocation", json={"allocation": {"1": 1}, "key": key()}, headers=voter
    )
    assert refused.status_code == 409 and error_of(refused)["code"] == "not_editable"
    client.post(f"/api/votes/windows/{window}/close", headers=admin)
    closed = client.put(url, json={"allocation": {"1": 1}, "key": key()}, headers=voter)
    assert closed.status_code == 409 and error_of(closed)["code"] == "window_closed"
    assert _tally(client, admin, window) == {"1": 0, "2": 1, "3": 3}


def test_votes_outside_the_window_or_from_ineligible_voters_are_refused(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    now = datetime.now(UTC)
    later = make_window(client, admin, open_now=False, opens_at=(now + timedelta(hours=1)).isoformat())
    earlier = make_window(
        client,
        admin,
        open_now=False,
        opens_at=(now - timedelta(hours=2)).isoformat(),
        closes_at=(now - timedelta(hours=1)).isoformat(),
    )
    scheduled = make_window(client, admin, open_now=False, opens_at=(now - timedelta(minutes=1)).isoformat())
    strict = make_window(client, admin, require_age=True, regions=["GB"])
    regional = make_window(
        client,
        admin,
        open_now=False,
        region_windows={
            "US": [(now - timedelta(minutes=5)).isoformat(), (now + timedelta(hours=1)).isoformat()]
        },
        opens_at=(now + timedelta(hours=3)).isoformat(),
    )
    plain = voter_token(app, client, "d@example.org")
    adult_gb = voter_token(app, client, "e@example.org", age_verified=True, region="GB")
    adult_fr = voter_token(app, client, "f@example.org", age_verified=True, region="FR")
    us = voter_token(app, client, "g@example.org", region="US")

    def post(window: int, headers: dict[str, str]) -> tuple[int, str]:
        response = client.post(
            f"/api/votes/windows/{window}/votes", json={"couple": "1", "key": key()}, headers=headers
        )
        return response.status_code, response.json().get("error", {}).get("code", "counted")

    assert post(later, plain) == (409, "window_not_open")
    assert post(earlier, plain) == (409, "window_closed")
    assert post(scheduled, plain) == (201, "counted")
    assert post(strict, plain) == (403, "region_not_eligible")
    assert post(strict, adult_fr) == (403, "region_not_eligible")
    assert post(strict, adult_gb) == (201, "counted")
    assert post(regional, us) == (201, "counted")
    assert post(regional, plain) == (409, "window_not_open")
    assert post(999, plain) == (404, "window_not_found")
    for window, expected in ((later, 0), (earlier, 0), (scheduled, 1), (strict, 1), (regional, 1)):
        assert sum(_tally(client, admin, window).values()) == expected


def test_bad_requests_are_refused_with_a_clear_4xx_and_nothing_is_counted(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "h@example.org")
    url = f"/api/votes/windows/{window}/votes"
    expired = app.state.voting.tokens.issue(
        __import__("mirrorball.voting.identity", fromlist=["VoterIdentity"]).VoterIdentity(
            "email", "h@example.org"
        ),
        now=datetime.now(UTC).timestamp() - 86400,
    )
    forged = voter["Authorization"][:-4] + ("AAAA" if not voter["Authorization"].endswith("AAAA") else "BBBB")
    cases = [
        ({"content": b"{not json", "headers": {**voter, "content-type": "application/json"}}, 422),
        (
            {
                "content": json.dumps({"couple": "1", "key": key(), "pad": "x" * 20000}).encode(),
                "headers": {**voter, "content-type": "application/json"},
            },
            413,
        ),
        ({"json": {"couple": "1", "key": key(), "extra": 1}, "headers": voter}, 422),
        ({"json": {"couple": "1", "votes": 0, "key": key()}, "headers": voter}, 422),
        ({"json": {"couple": "1", "votes": -3, "key": key()}, "headers": voter}, 422),
        ({"json": {"couple": "1", "key": "short"}, "headers": voter}, 422),
        ({"json": {"couple": "1"}, "headers": voter}, 422),
        ({"json": {"couple": "99", "key": key()}, "headers": voter}, 422),
        ({"json": {"couple": "1", "key": key()}, "headers": {}}, 401),
        ({"json": {"couple": "1", "key": key()}, "headers": {"Authorization": forged}}, 401),
        ({"json": {"couple": "1", "key": key()}, "headers": {"Authorization": f"Bearer {expired}"}}, 401),
        ({"json": {"couple": "1", "key": key()}, "headers": {"Authorization": "Bearer garbage"}}, 401),
    ]
    for kwargs, status in cases:
        response = client.post(url, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == status, (kwargs.get("json"), response.text)
        assert error_of(response)["message"]
    assert _tally(client, admin, window) == {"1": 0, "2": 0, "3": 0}
    assert client.post("/api/votes/windows", json={"title": "x"}, headers=voter).status_code == 401


def test_the_partner_gateway_counts_batches_with_caps_and_idempotency(
    client: TestClient, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    secret = client.post(
        "/api/votes/partners", json={"name": "telco", "channel": "phone"}, headers=admin
    ).json()["secret"]
    gateway = "/api/votes/gateway/telco/batches"
    auth = {"Authorization": f"Bearer {secret}"}
    votes = [
        {"voter": "+441234", "couple": "1", "votes": 4},
        {"voter": "+441234", "couple": "2", "votes": 7},
        {"voter": "+449999", "couple": "2"},
    ]
    first = client.post(gateway, json={"window": window, "batch": "b-1", "votes": votes}, headers=auth)
    assert first.status_code == 200, first.text
    assert (first.json()["counted"], first.json()["refused"]) == (2, 1)
    assert first.json()["results"][1]["code"] == "window_cap"
    again = client.post(gateway, json={"window": window, "batch": "b-1", "votes": votes}, headers=auth)
    assert (again.json()["counted"], again.json()["replayed"]) == (0, 2)
    assert _tally(client, admin, window) == {"1": 4, "2": 1, "3": 0}
    wrong = client.post(
        gateway,
        json={"window": window, "batch": "b-2", "votes": votes},
        headers={"Authorization": "Bearer nope"},
    )
    assert wrong.status_code == 401
    assert (
        client.post(
            "/api/votes/gateway/nobody/batches",
            json={"window": window, "batch": "b", "votes": votes},
            headers=auth,
        ).status_code
        == 404
    )


def test_invalidation_annuls_votes_logs_the_reason_and_the_recount_still_matches(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    secret = client.post(
        "/api/votes/partners", json={"name": "sms", "channel": "phone"}, headers=admin
    ).json()["secret"]
    for n in range(3):
        voter = voter_token(app, client, f"v{n}@example.org")
        client.post(
            f"/api/votes/windows/{window}/votes",
            json={"couple": str(n + 1), "votes": 2, "key": key()},
            headers=voter,
        )
    client.post(
        "/api/votes/gateway/sms/batches",
        json={"window": window, "batch": "night-1", "votes": [{"voter": "1", "couple": "3", "votes": 7}]},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert _tally(client, admin, window) == {"1": 2, "2": 2, "3": 9}
    url = f"/api/votes/windows/{window}/invalidations"
    by_voter = client.post(
        url, json={"reason": "bulk account", "voter": "email:v0@example.org"}, headers=admin
    ).json()
    assert by_voter["rows"] == 1 and by_voter["recount_matches"] and by_voter["tally"]["1"] == 0
    by_batch = client.post(
        url, json={"reason": "fraud batch", "partner": "sms", "partner_batch": "night-1"}, headers=admin
    ).json()
    assert by_batch["removed"] == {"3": 7} and by_batch["tally"] == {"1": 0, "2": 2, "3": 2}
    by_time = client.post(
        url,
        json={"reason": "glitch", "since": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
        headers=admin,
    ).json()
    assert by_time["tally"] == {"1": 0, "2": 0, "3": 0} and by_time["recount_matches"]
    assert client.post(url, json={"reason": "nothing named"}, headers=admin).status_code == 422
    recount = client.get(f"/api/votes/windows/{window}/recount", headers=admin).json()
    assert recount["matches"] and recount["from_log"] == recount["tally"]


def test_a_time_range_annuls_exactly_the_votes_received_inside_it(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    """The ledger has no index on time: a range is found through the batches' stamps (migration
    0008). Votes on either side of each bound, a moment apart, must stay."""
    import time

    window = make_window(client, admin)
    url = f"/api/votes/windows/{window}/votes"
    moments = []
    for n in range(3):
        voter = voter_token(app, client, f"t{n}@example.org")
        moments.append(datetime.now(UTC))
        time.sleep(0.01)
        vote = {"couple": str(n + 1), "votes": 1, "key": key()}
        assert client.post(url, json=vote, headers=voter).status_code == 201
        time.sleep(0.01)
    annulled = client.post(
        f"/api/votes/windows/{window}/invalidations",
        json={"reason": "a glitch", "since": moments[1].isoformat(), "until": moments[2].isoformat()},
        headers=admin,
    ).json()
    assert annulled["rows"] == 1 and annulled["removed"] == {"2": 1} and annulled["recount_matches"]
    assert _tally(client, admin, window) == {"1": 1, "2": 0, "3": 1}


def test_the_recount_detects_an_edited_vote_row(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    from sqlalchemy import update

    from mirrorball.store.db import transaction
    from mirrorball.store.models.vote import Vote, WindowTally

    window = make_window(client, admin)
    voter = voter_token(app, client, "x@example.org")
    client.post(
        f"/api/votes/windows/{window}/votes", json={"couple": "1", "votes": 1, "key": key()}, headers=voter
    )
    assert client.get(f"/api/votes/windows/{window}/recount", headers=admin).json()["matches"]
    with transaction(app.state.mirrorball.sessions) as session:  # a tamperer fixes row and tally alike
        session.execute(update(Vote).values(couple="2"))
        session.execute(update(WindowTally).where(WindowTally.couple == "1").values(votes=0))
        session.execute(update(WindowTally).where(WindowTally.couple == "2").values(votes=1))
    recount = client.get(f"/api/votes/windows/{window}/recount", headers=admin).json()
    assert not recount["matches"] and "does not match its audit digest" in recount["problems"][0]
    assert recount["from_log"] == {"1": 1, "2": 0, "3": 0}


def test_the_recount_reports_a_vote_row_slipped_into_the_ledger_outside_any_batch(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    """The ledger has no FOREIGN KEY to its batches (a third of a batch's cost on PostgreSQL): a row
    written behind the ledger's back is caught by the recount instead."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from mirrorball.store.db import transaction
    from mirrorball.store.models.vote import Vote

    window = make_window(client, admin)
    voter = voter_token(app, client, "y@example.org")
    client.post(
        f"/api/votes/windows/{window}/votes", json={"couple": "1", "votes": 1, "key": key()}, headers=voter
    )
    assert client.get(f"/api/votes/windows/{window}/recount", headers=admin).json()["matches"]
    with transaction(app.state.mirrorball.sessions) as session:
        session.execute(
            insert(Vote).values(
                window_id=window,
                channel="online",
                voter="ghost",
                couple="2",
                delta=5,
                request_key="slipped-in",
                part=0,
                received_at=datetime.now(UTC),
                batch_id=987654,
            )
        )
    recount = client.get(f"/api/votes/windows/{window}/recount", headers=admin).json()
    assert not recount["matches"]
    assert "ledger batch 987654 is not in the audit log" in recount["problems"]
    assert recount["from_ledger"]["2"] == 5 and recount["from_log"]["2"] == 0


def test_disclosure_policy_decides_what_the_public_sees(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    hidden = make_window(client, admin)
    after = make_window(client, admin, disclosure="after_close")
    live = make_window(client, admin, disclosure="live")
    voter = voter_token(app, client, "y@example.org")
    for window in (hidden, after, live):
        client.post(
            f"/api/votes/windows/{window}/votes",
            json={"couple": "1", "votes": 3, "key": key()},
            headers=voter,
        )
        client.post(
            f"/api/votes/windows/{window}/votes",
            json={"couple": "2", "votes": 1, "key": key()},
            headers=voter,
        )
    assert client.get(f"/api/votes/windows/{hidden}/shares").json()["shares"] is None
    assert client.get(f"/api/votes/windows/{after}/shares").json()["shares"] is None
    assert client.get(f"/api/votes/windows/{live}/shares").json()["shares"] == {
        "1": 75.0,
        "2": 25.0,
        "3": 0.0,
    }
    client.post(f"/api/votes/windows/{after}/close", headers=admin)
    assert client.get(f"/api/votes/windows/{after}/shares").json()["shares"]["1"] == 75.0
    assert client.get(f"/api/votes/windows/{hidden}/tally").status_code == 401


def test_wrong_codes_are_limited_and_a_code_works_once(client: TestClient, codes_file: Path) -> None:
    assert client.post("/api/votes/signin/code", json={"email": "not-an-address"}).status_code == 422
    assert client.post("/api/votes/signin/code", json={"email": "z@example.org"}).status_code == 202
    code = json.loads(codes_file.read_text().splitlines()[-1])["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert (
            client.post(
                "/api/votes/signin/verify", json={"email": "z@example.org", "code": wrong}
            ).status_code
            == 401
        )
    refused = client.post("/api/votes/signin/verify", json={"email": "z@example.org", "code": code})
    assert refused.status_code == 401 and "too many" in error_of(refused)["message"]
    client.post("/api/votes/signin/code", json={"email": "z@example.org"})
    code = json.loads(codes_file.read_text().splitlines()[-1])["code"]
    assert (
        client.post("/api/votes/signin/verify", json={"email": "z@example.org", "code": code}).status_code
        == 200
    )
    assert (
        client.post("/api/votes/signin/verify", json={"email": "z@example.org", "code": code}).status_code
        == 401
    )


def test_a_noisy_voter_is_rate_limited_with_retry_after(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "noisy@example.org")
    statuses = [client.get(f"/api/votes/windows/{window}/me", headers=voter).status_code for _ in range(70)]
    assert statuses.count(200) == 60 and statuses[-1] == 429
    other = voter_token(app, client, "calm@example.org")
    assert client.get(f"/api/votes/windows/{window}/me", headers=other).status_code == 200


def test_audit_verify_recounts_every_voting_window(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    from sqlalchemy import delete

    from mirrorball.audit.verify import verify
    from mirrorball.store.db import transaction
    from mirrorball.store.models.vote import Vote

    first, second = make_window(client, admin), make_window(client, admin)
    voter = voter_token(app, client, "audit@example.org")
    for window in (first, second):
        client.post(f"/api/votes/windows/{window}/votes", json={"couple": "2", "key": key()}, headers=voter)
    with transaction(app.state.mirrorball.sessions) as session:
        report = verify(session)
    assert report.ok and report.windows_recounted == 2
    with transaction(app.state.mirrorball.sessions) as session:  # a vote row quietly removed
        session.execute(delete(Vote).where(Vote.window_id == second))
    with transaction(app.state.mirrorball.sessions) as session:
        report = verify(session)
    assert not report.ok and all(f"voting window {second}" in p.what for p in report.problems)
