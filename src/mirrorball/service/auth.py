"""Signing in: link tokens and judge PINs (argon2 hashes) open sessions (SHA-256 of a random token).

Why two hashes: link tokens and PINs are presented once per sign-in, so a slow memory-hard hash
(argon2) costs nothing noticeable and protects short PINs; a session token is checked on every request
and is 256 random bits, for which a fast SHA-256 lookup is as safe and keeps requests cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from mirrorball.audit.chain import append
from mirrorball.service.errors import Conflict, Invalid, NotFound, Unauthenticated
from mirrorball.service.principal import ADMIN, HOST, JUDGE, SYSTEM, Principal
from mirrorball.store.base import utcnow
from mirrorball.store.models import AuthSession, Competition, Credential, Judge, Panel, Seat

_hasher = PasswordHasher()
# Verified against when a credential id is unknown, so a miss costs the same time as a wrong secret.
_DUMMY_HASH = _hasher.hash("mirrorball-no-such-credential")
SIGN_IN_ROLES = (ADMIN, HOST, JUDGE)


def _verify(secret_hash: str, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def session_id_for(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(
    session: Session,
    *,
    role: str,
    actor: Principal,
    competition_id: int | None = None,
    seat_id: int | None = None,
    label: str = "",
    single_use: bool = False,
    ttl: timedelta | None = None,
) -> str:
    """Create a sign-in link credential; returns the token (shown once, never stored in clear)."""
    if role not in SIGN_IN_ROLES:
        raise Invalid(f"unknown role {role!r}", field="role")
    if (role == JUDGE) != (seat_id is not None):
        raise Invalid("a judge's link is for one seat, and only a judge's link has a seat", field="seat_id")
    if seat_id is not None:
        competition_id = _seat_competition(session, seat_id)
    elif competition_id is not None and session.get(Competition, competition_id) is None:
        raise NotFound("no such competition", competition_id=competition_id)
    credential_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    session.add(
        Credential(
            id=credential_id,
            role=role,
            competition_id=competition_id,
            seat_id=seat_id,
            kind="link",
            secret_hash=_hasher.hash(secret),
            label=label,
            single_use=single_use,
            expires_at=utcnow() + ttl if ttl else None,
        )
    )
    append(
        session,
        actor=actor.actor,
        kind="auth.link_issued",
        payload={"credential": credential_id, "role": role, "seat_id": seat_id, "label": label},
    )
    return f"{credential_id}.{secret}"


def _seat_competition(session: Session, seat_id: int) -> int:
    seat = session.get(Seat, seat_id)
    if seat is None:
        raise NotFound("no such seat", seat_id=seat_id)
    return session.get_one(Panel, seat.panel_id).competition_id


def set_pin(session: Session, *, seat_id: int, pin: str, actor: Principal) -> None:
    """Give a judge's seat a PIN (replacing any earlier one) for tablets where links are awkward."""
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise Invalid("a PIN is 4 to 12 digits", field="pin")
    competition_id = _seat_competition(session, seat_id)
    now = utcnow()
    for old in session.scalars(
        select(Credential).where(Credential.seat_id == seat_id, Credential.kind == "pin")
    ):
        if old.revoked_at is None:
            old.revoked_at = now
    session.add(
        Credential(
            id=secrets.token_hex(8),
            role=JUDGE,
            competition_id=competition_id,
            seat_id=seat_id,
            kind="pin",
            secret_hash=_hasher.hash(pin),
            label="PIN",
        )
    )
    append(session, actor=actor.actor, kind="auth.pin_set", payload={"seat_id": seat_id})


def _usable(credential: Credential, now: datetime) -> bool:
    return (
        credential.revoked_at is None
        and (credential.expires_at is None or credential.expires_at > now)
        and not (credential.single_use and credential.used_at is not None)
    )


def _open_session(session: Session, credential: Credential, ttl: timedelta) -> tuple[str, AuthSession]:
    if credential.single_use:
        credential.used_at = utcnow()
    return open_session(
        session,
        role=credential.role,
        competition_id=credential.competition_id,
        seat_id=credential.seat_id,
        credential_id=credential.id,
        ttl=ttl,
    )


def open_session(
    session: Session,
    *,
    role: str,
    ttl: timedelta,
    competition_id: int | None = None,
    seat_id: int | None = None,
    credential_id: str | None = None,
) -> tuple[str, AuthSession]:
    """Open a session for someone already identified (by a credential, or by the console/tests)."""
    if role not in SIGN_IN_ROLES:
        raise Invalid(f"unknown role {role!r}", field="role")
    token = secrets.token_urlsafe(32)
    opened = AuthSession(
        id=session_id_for(token),
        role=role,
        competition_id=competition_id,
        seat_id=seat_id,
        credential_id=credential_id,
        csrf_token=secrets.token_urlsafe(24),
        expires_at=utcnow() + ttl,
    )
    session.add(opened)
    append(
        session,
        actor=f"{role}@credential:{credential_id}" if credential_id else role,
        kind="auth.signed_in",
        payload={"credential": credential_id, "role": role, "seat_id": seat_id},
    )
    return token, opened


def sign_in_with_link(session: Session, token: str, *, ttl: timedelta) -> tuple[str, AuthSession]:
    """Exchange a link token for a session token. Refuses used, expired, revoked or wrong tokens."""
    credential_id, _, secret = token.partition(".")
    credential = session.get(Credential, credential_id) if credential_id else None
    if credential is None or credential.kind != "link":
        _verify(_DUMMY_HASH, secret)
        raise Unauthenticated("this sign-in link is not valid")
    if not _verify(credential.secret_hash, secret):
        raise Unauthenticated("this sign-in link is not valid")
    if not _usable(credential, utcnow()):
        raise Unauthenticated("this sign-in link has expired or was already used")
    return _open_session(session, credential, ttl)


def sign_in_with_pin(
    session: Session, *, competition_id: int, judge: str, pin: str, ttl: timedelta
) -> tuple[str, AuthSession]:
    """A judge signs in with the judge letter and PIN; the PIN picks the seat it was set for."""
    candidates = session.scalars(
        select(Credential)
        .join(Seat, Seat.id == Credential.seat_id)
        .join(Judge, Judge.id == Seat.judge_id)
        .where(Credential.kind == "pin", Judge.competition_id == competition_id, Judge.letter == judge)
    ).all()
    now = utcnow()
    for credential in candidates:
        if _usable(credential, now) and _verify(credential.secret_hash, pin):
            return _open_session(session, credential, ttl)
    if not candidates:
        _verify(_DUMMY_HASH, pin)
    raise Unauthenticated("wrong judge or PIN")


def resolve(session: Session, token: str) -> tuple[Principal, AuthSession]:
    """The principal a session token stands for; expired or signed-out sessions are refused."""
    opened = session.get(AuthSession, session_id_for(token))
    if opened is None or opened.revoked_at is not None or opened.expires_at <= utcnow():
        raise Unauthenticated("session expired or signed out; sign in again")
    principal = Principal(
        role=opened.role, seat_id=opened.seat_id, competition_id=opened.competition_id, session_id=opened.id
    )
    return principal, opened


def csrf_token_matches(expected: str, presented: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte from response times."""
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))


def sign_out(session: Session, principal: Principal) -> None:
    if principal.session_id is None:
        raise Conflict("not signed in")
    opened = session.get(AuthSession, principal.session_id)
    if opened is not None and opened.revoked_at is None:
        opened.revoked_at = utcnow()


def first_admin_link(session: Session) -> str | None:
    """On a database that has never had an admin credential, issue the one-time admin link."""
    exists = session.scalar(select(Credential.id).where(Credential.role == ADMIN).limit(1))
    if exists is not None:
        return None
    return issue_link(session, role=ADMIN, actor=SYSTEM, label="first admin", single_use=True)
