"""Who may vote: shared server keys, e-mail code sign-in, and gateway partners.

Secrets every worker must agree on (the receipt signing seed, the voter-token secret, the code pepper)
live in the database, created by whichever worker needs them first; nobody has to configure them for a
first run, and several workers or hosts sign and verify alike.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mirrorball.service.errors import Conflict, Invalid, NotFound, Unauthenticated
from mirrorball.service.vote_ledger import dialect_insert
from mirrorball.store.models.vote import VoteKey, VotePartner, VoteSignInCode
from mirrorball.voting.identity import VoterIdentity
from mirrorball.voting.signin import (
    CODE_LIFETIME_SECONDS,
    MAX_ATTEMPTS,
    CodeDelivery,
    SignInError,
    code_hash,
    new_code,
    normalize_email,
)

PARTNER_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")


def shared_secret(session: Session, name: str, size: int = 32) -> bytes:
    """The server-wide secret `name`, created (randomly) by the first worker to ask for it."""
    statement = dialect_insert(session)(VoteKey).values(name=name, value=secrets.token_bytes(size))
    session.execute(statement.on_conflict_do_nothing(index_elements=["name"]))
    return session.execute(select(VoteKey.value).where(VoteKey.name == name)).scalar_one()


def request_code(session: Session, email: str, delivery: CodeDelivery, pepper: bytes, now: datetime) -> str:
    """Send a fresh sign-in code to `email` (replacing any earlier one); returns the normalized address."""
    try:
        address = normalize_email(email)
    except SignInError as exc:
        raise Invalid(str(exc), field="email") from exc
    code = new_code()
    values = {
        "email": address,
        "code_hash": code_hash(pepper, address, code),
        "expires_at": now + timedelta(seconds=CODE_LIFETIME_SECONDS),
        "attempts": 0,
    }
    statement = dialect_insert(session)(VoteSignInCode).values(**values)
    session.execute(statement.on_conflict_do_update(index_elements=["email"], set_=values))
    delivery.send(address, code)
    return address


def check_code(session: Session, email: str, code: str, pepper: bytes, now: datetime) -> VoterIdentity | str:
    """The e-mail voter when `code` is right; otherwise why not (the caller commits the attempt count).

    Returning the refusal instead of raising lets the failed attempt be counted: a rollback would
    forget it and allow unlimited guessing.
    """
    try:
        address = normalize_email(email)
    except SignInError as exc:
        return str(exc)
    pending = session.get(VoteSignInCode, address)
    if pending is None or pending.expires_at <= now:
        return "no valid code for this address: ask for a new one"
    if pending.attempts >= MAX_ATTEMPTS:
        session.delete(pending)
        return "too many wrong codes: ask for a new one"
    if not hmac.compare_digest(pending.code_hash, code_hash(pepper, address, code.strip())):
        pending.attempts += 1
        return "wrong code"
    session.delete(pending)
    return VoterIdentity(kind="email", subject=address)


def forget_expired_codes(session: Session, now: datetime) -> int:
    result = session.execute(delete(VoteSignInCode).where(VoteSignInCode.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def add_partner(session: Session, name: str, channel: str) -> str:
    """Register a gateway partner; returns its secret (shown once, stored only as a hash)."""
    if not name or not set(name) <= PARTNER_NAME_CHARS or len(name) > 60:
        raise Invalid("a partner name is lower-case letters, digits, - and _", field="name")
    if session.get(VotePartner, name) is not None:
        raise Conflict(f"partner {name} already exists", partner=name)
    secret = secrets.token_urlsafe(32)
    session.add(VotePartner(name=name, channel=channel, secret_hash=_secret_hash(secret)))
    return secret


def authenticate_partner(session: Session, name: str, secret: str | None) -> VotePartner:
    partner = session.get(VotePartner, name)
    if partner is None:
        raise NotFound(f"no gateway partner {name}", partner=name)
    if not secret or not hmac.compare_digest(partner.secret_hash, _secret_hash(secret)):
        raise Unauthenticated("wrong or missing partner secret", partner=name)
    return partner
