"""Who is voting: a verified voter identity from a signed voter token.

Two kinds of token reach the vote API, both JWTs:
- external: issued by the broadcaster's account system (RS256/ES256 public key, or a shared HS256
  secret), with the issuer and audience the producer configured;
- internal: issued by us after e-mail code sign-in (HS256, issuer "mirrorball").
Both give the same `VoterIdentity`, so the vote path never cares how the voter proved who they are.
Eligibility flags ride in the token: `age_verified` (the account system checked the minimum voting age)
and `region` (where the voter is, for region-limited windows).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt

INTERNAL_ISSUER = "mirrorball"
VOTER_AUDIENCE = "mirrorball-vote"
VERIFIED_CACHE_SIZE = 200_000
# A gateway partner's voters are keyed "partner:<name>:<their id>"; no signed-in voter's key starts so,
# which lets the ledger keep such voters as a total alone (they only add votes).
PARTNER_PREFIX = "partner:"


class VoterTokenError(ValueError):
    """The token is missing, malformed, forged, expired or for someone else; the message says which."""


@dataclass(frozen=True)
class VoterIdentity:
    """A verified voter: `kind` + `subject` identify them uniquely (e-mail voters by their address)."""

    kind: str  # "email", "external", or "partner:<name>"
    subject: str
    age_verified: bool = False
    region: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject}"


@dataclass(frozen=True)
class ExternalIssuer:
    """The broadcaster's account system as configured by the producer."""

    issuer: str
    key: str  # PEM public key for RS256/ES256/EdDSA, or the shared secret for HS256
    algorithms: tuple[str, ...] = ("RS256", "ES256", "EdDSA")
    audience: str = VOTER_AUDIENCE


class VoterTokens:
    """Issues internal voter tokens and verifies internal and external ones."""

    def __init__(self, secret: bytes, external: ExternalIssuer | None = None, lifetime: int = 12 * 3600):
        self._secret = secret
        self._external = external
        self._lifetime = lifetime
        # Verifying a JWT costs ~50 µs, as much as counting the vote; a voter sends the same token with
        # every vote, so a verified token is remembered until it expires.
        self._verified: dict[str, tuple[VoterIdentity, float]] = {}

    def issue(self, identity: VoterIdentity, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims: dict[str, Any] = {
            "iss": INTERNAL_ISSUER,
            "aud": VOTER_AUDIENCE,
            "sub": identity.subject,
            "kind": identity.kind,
            "iat": issued,
            "exp": issued + self._lifetime,
            "age_verified": identity.age_verified,
        }
        if identity.region:
            claims["region"] = identity.region
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str) -> VoterIdentity:
        remembered = self._verified.get(token)
        if remembered is not None and remembered[1] > time.time():
            return remembered[0]
        identity, expires = self._verify(token)
        if len(self._verified) >= VERIFIED_CACHE_SIZE:
            self._verified.clear()
        self._verified[token] = (identity, expires)
        return identity

    def _verify(self, token: str) -> tuple[VoterIdentity, float]:
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as exc:
            raise VoterTokenError("voter token is malformed") from exc
        if issuer == INTERNAL_ISSUER:
            claims = self._decode(token, self._secret, ("HS256",), INTERNAL_ISSUER, VOTER_AUDIENCE)
            kind = str(claims.get("kind", "email"))
            if kind.startswith(PARTNER_PREFIX):
                raise VoterTokenError("partner voter ids cannot sign in to the vote page")
        elif self._external is not None and issuer == self._external.issuer:
            ext = self._external
            claims = self._decode(token, ext.key, ext.algorithms, ext.issuer, ext.audience)
            kind = "external"
        else:
            raise VoterTokenError(f"voter token issuer {issuer!r} is not trusted here")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject or len(subject) > 200:
            raise VoterTokenError("voter token has no usable subject")
        region = claims.get("region")
        identity = VoterIdentity(
            kind=kind,
            subject=subject,
            age_verified=claims.get("age_verified") is True,
            region=region if isinstance(region, str) and region else None,
        )
        return identity, float(claims["exp"])

    @staticmethod
    def _decode(
        token: str, key: str | bytes, algorithms: tuple[str, ...], iss: str, aud: str
    ) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                key,
                algorithms=list(algorithms),
                issuer=iss,
                audience=aud,
                options={"require": ["exp", "sub", "iss", "aud"]},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise VoterTokenError("voter token has expired: sign in again") from exc
        except jwt.InvalidSignatureError as exc:
            raise VoterTokenError("voter token signature is invalid") from exc
        except jwt.PyJWTError as exc:
            raise VoterTokenError(f"voter token refused: {exc}") from exc
