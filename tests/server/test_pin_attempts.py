"""Wrong PINs are limited per seat and per client address, with a doubling wait and a 429."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from tests.server.helpers import error_of

from mirrorball.service import auth as auth_service
from mirrorball.service.attempts import ADDRESS_BUDGET, SEAT_BUDGET, Attempts, Budget, PinAttempts
from mirrorball.service.principal import SYSTEM
from mirrorball.store.db import transaction
from mirrorball.store.models import Competition, Judge, Panel, Seat

PINS = {"C": "482913", "D": "771204"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _judges_with_pins(app: FastAPI) -> int:
    with transaction(app.state.mirrorball.sessions) as session:
        competition = Competition(name="Test Open", kind="dancesport")
        session.add(competition)
        session.flush()
        panel = Panel(competition_id=competition.id, name="Main")
        session.add(panel)
        for position, (letter, pin) in enumerate(PINS.items()):
            judge = Judge(competition_id=competition.id, letter=letter, name=letter)
            session.add(judge)
            session.flush()
            seat = Seat(panel_id=panel.id, judge_id=judge.id, position=position)
            session.add(seat)
            session.flush()
            auth_service.set_pin(session, seat_id=seat.id, pin=pin, actor=SYSTEM)
        return competition.id


def _pin(client: TestClient, competition_id: int, judge: str, pin: str) -> int:
    body = {"competition_id": competition_id, "judge": judge, "pin": pin}
    return client.post("/api/auth/pin", json=body).status_code


def test_a_seat_locks_after_its_free_failures_and_the_wait_doubles(client: TestClient, app: FastAPI) -> None:
    clock = Clock()
    app.state.mirrorball.pin_attempts = PinAttempts(clock=clock)
    cid = _judges_with_pins(app)
    for _ in range(SEAT_BUDGET.free):
        assert _pin(client, cid, "C", "000000") == 401
    locked = client.post("/api/auth/pin", json={"competition_id": cid, "judge": "C", "pin": PINS["C"]})
    assert locked.status_code == 429  # even the right PIN waits: no guess is checked while locked
    assert error_of(locked)["code"] == "too_many_attempts"
    assert error_of(locked)["where"] == {"judge": "C", "retry_after": 1}
    assert locked.headers["Retry-After"] == "1"
    assert _pin(client, cid, "D", PINS["D"]) == 200  # the other judge on the same address signs in

    clock.now += 1
    assert _pin(client, cid, "C", "000001") == 401  # one more failure: now 2 s
    refused = client.post("/api/auth/pin", json={"competition_id": cid, "judge": "C", "pin": PINS["C"]})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "2"
    clock.now += 2
    assert _pin(client, cid, "C", PINS["C"]) == 200  # the right PIN after the wait; the count resets
    assert _pin(client, cid, "C", "000002") == 401
    assert _pin(client, cid, "C", PINS["C"]) == 200


def test_an_address_is_limited_by_its_failures_across_seats(client: TestClient, app: FastAPI) -> None:
    clock = Clock()
    app.state.mirrorball.pin_attempts = PinAttempts(clock=clock)
    cid = _judges_with_pins(app)
    # Someone tries many seats (letters) from one address: each seat is under its own budget, the
    # address is not. Successes from the address (the venue's judges) never count against it.
    letters = [f"X{n}" for n in range(ADDRESS_BUDGET.free)]
    for letter in letters:
        assert _pin(client, cid, "C", PINS["C"]) == 200
        assert _pin(client, cid, letter, "0000") == 401
    assert _pin(client, cid, "D", PINS["D"]) == 429
    clock.now += 1
    assert _pin(client, cid, "D", PINS["D"]) == 200


def test_a_venue_of_judges_making_typos_is_not_locked_out(client: TestClient, app: FastAPI) -> None:
    clock = Clock()
    app.state.mirrorball.pin_attempts = PinAttempts(clock=clock)
    cid = _judges_with_pins(app)
    for _ in range(3):  # each judge mistypes a few times a session, then gets it right
        for judge, pin in PINS.items():
            assert _pin(client, cid, judge, pin[::-1]) == 401
            assert _pin(client, cid, judge, pin) == 200


@given(failures=st.integers(min_value=1, max_value=40), free=st.integers(min_value=0, max_value=8))
def test_the_wait_is_zero_until_the_free_failures_are_spent_then_doubles_to_the_cap(
    failures: int, free: int
) -> None:
    budget = Budget(free=free, base=1.0, cap=60.0)
    attempts = Attempts(budget)
    for _ in range(failures):
        attempts.failed("seat", now=0.0)
    expected = 0.0 if failures < free else min(budget.cap, 2.0 ** (failures - free))
    assert attempts.wait("seat", now=0.0) == expected
    assert attempts.wait("seat", now=expected) == 0.0


def test_failures_are_forgotten_after_quiet_time_and_keys_stay_bounded() -> None:
    attempts = Attempts(Budget(free=2, forget_after=100.0))
    attempts.failed("a", now=0.0)
    attempts.failed("a", now=0.0)
    assert attempts.wait("a", now=0.5) > 0
    attempts.failed("a", now=200.0)  # long quiet: this is a first failure again, no wait
    assert attempts.wait("a", now=200.0) == 0.0
