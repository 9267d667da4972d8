"""Checking a receipt: the page anyone can paste one into, and the API beside it. Genuine receipts are
shown in words with whether their votes still count; forged, garbled and empty ones are refused."""

from __future__ import annotations

import base64
import html
import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from mirrorball.voting.receipts import public_key_from_text, verify_receipt
from server.helpers import error_of

from .conftest import key, make_window, voter_token


def _vote(client: TestClient, window: int, voter: dict[str, str], allocation: dict[str, int]) -> str:
    response = client.put(
        f"/api/votes/windows/{window}/allocation",
        json={"allocation": allocation, "key": key()},
        headers=voter,
    )
    assert response.status_code in (200, 201), response.text
    receipt: str = response.json()["receipt"]
    return receipt


def _page_text(response_text: str) -> str:
    return " ".join(html.unescape(response_text).split())


def test_a_genuine_receipt_is_told_in_words_and_still_counts(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "ann@example.org")
    _vote(client, window, voter, {"1": 2})
    receipt = _vote(client, window, voter, {"1": 1, "3": 3})  # one vote moved away from couple 1

    form = client.get("/vote/receipt")
    assert form.status_code == 200 and 'name="receipt"' in form.text
    # Pasted from an e-mail, wrapped over lines: the whitespace is not part of a receipt.
    wrapped = "\n".join(receipt[i : i + 60] for i in range(0, len(receipt), 60))
    page = client.post("/vote/receipt", data={"receipt": "  " + wrapped + "\n"})
    assert page.status_code == 200, page.text
    text = _page_text(page.text)
    assert "Genuine: signed by this server" in text
    assert "Week 3" in text
    assert "Couple 1: −1 vote" in text and "Couple 3: +3 votes" in text  # what this request changed
    assert "Couple 1: 1 vote" in text and "Couple 3: 3 votes" in text  # all the voter's votes after it
    assert "These votes are in the ledger and count" in text
    assert verify_receipt(receipt, _public_key(client))["key"] in text

    api = client.post("/api/votes/receipts/verify", json={"receipt": receipt}).json()
    assert api["valid"] and api["facts"]["counted"] == {"1": -1, "3": 3}
    assert api["standing"] == {
        "state": "counted",
        "message": "These votes are in the ledger and count",
        "annulled_at": None,
    }


def test_an_annulled_vote_is_told_with_the_reason(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    kept = _vote(client, window, voter_token(app, client, "kept@example.org"), {"2": 1})
    annulled = _vote(client, window, voter_token(app, client, "bulk@example.org"), {"2": 3})
    invalidated = client.post(
        f"/api/votes/windows/{window}/invalidations",
        json={"reason": "Bulk accounts from one address.", "voter": "email:bulk@example.org"},
        headers=admin,
    )
    assert invalidated.status_code == 200 and invalidated.json()["rows"] == 1

    page = client.post("/vote/receipt", data={"receipt": annulled})
    assert page.status_code == 200  # the receipt itself is genuine
    assert "These votes were annulled: Bulk accounts from one address (" in _page_text(page.text)
    standing = client.post("/api/votes/receipts/verify", json={"receipt": annulled}).json()["standing"]
    assert standing["state"] == "annulled" and standing["annulled_at"]
    # Another voter's receipt in the same window is untouched by it.
    other = client.post("/api/votes/receipts/verify", json={"receipt": kept}).json()["standing"]
    assert other["state"] == "counted"


def test_a_request_that_changed_nothing_has_nothing_to_count(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    voter = voter_token(app, client, "same@example.org")
    _vote(client, window, voter, {"2": 2})
    unchanged = _vote(client, window, voter, {"2": 2})
    standing = client.post("/api/votes/receipts/verify", json={"receipt": unchanged}).json()["standing"]
    assert standing["state"] == "nothing"
    assert "changed nothing" in _page_text(client.post("/vote/receipt", data={"receipt": unchanged}).text)


def test_forged_garbled_and_empty_receipts_are_refused_with_the_reason(
    client: TestClient, app: FastAPI, admin: dict[str, str]
) -> None:
    window = make_window(client, admin)
    receipt = _vote(client, window, voter_token(app, client, "eve@example.org"), {"1": 1})
    payload, signature, path = receipt.split(".")
    facts = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    facts["counted"] = {"1": 5}  # more votes than were given, under the old signature
    forged_payload = base64.urlsafe_b64encode(json.dumps(facts).encode()).rstrip(b"=").decode()
    forged = f"{forged_payload}.{signature}.{path}"

    cases = {
        forged: "signature does not match",
        "not-a-receipt": "three parts",
        "": "paste the receipt",
        "a.b." + "c" * 9000: "at most 8000 characters",
    }
    for text, reason in cases.items():
        page = client.post("/vote/receipt", data={"receipt": text})
        assert page.status_code == 422, text[:40]
        shown = _page_text(page.text)
        assert "Not a valid receipt" in shown and reason in shown, shown[:400]
        assert "Genuine" not in shown
    api = client.post("/api/votes/receipts/verify", json={"receipt": forged})
    assert api.status_code == 422 and "signature does not match" in error_of(api)["message"]


def _public_key(client: TestClient) -> bytes:
    return public_key_from_text(client.get("/api/votes/receipt-key").json()["public_key"])
