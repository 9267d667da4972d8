"""Signed vote receipts: what was counted, signed with Ed25519 so anyone holding the public key can check it.

A receipt is `<payload>.<signature>`, both base64url without padding; the payload is canonical JSON
(sorted keys, no spaces), so the same facts always give the same bytes. The private key stays on the
server; the public key is published (GET /api/votes/receipt-key), which is what makes the receipt
verifiable by a third party and not only by us.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


class ReceiptError(ValueError):
    """A receipt that is malformed or whose signature does not match."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ReceiptError("receipt is not base64url") from exc


def canonical_json(data: Mapping[str, Any]) -> bytes:
    """The one byte form of a JSON object used for signing and hashing."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class ReceiptSigner:
    """Signs receipts with one Ed25519 key (32-byte seed), shared by every worker through the database."""

    def __init__(self, seed: bytes) -> None:
        self._key = Ed25519PrivateKey.from_private_bytes(seed)
        self.public_key = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def sign(self, facts: Mapping[str, Any]) -> str:
        payload = canonical_json(facts)
        return f"{_b64(payload)}.{_b64(self._key.sign(payload))}"


def verify_receipt(receipt: str, public_key: bytes) -> dict[str, Any]:
    """The facts of a receipt whose signature matches `public_key`; ReceiptError otherwise."""
    payload_part, dot, signature_part = receipt.partition(".")
    if not dot or not payload_part or not signature_part:
        raise ReceiptError("a receipt has two parts separated by a dot")
    payload, signature = _unb64(payload_part), _unb64(signature_part)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, payload)
    except (InvalidSignature, ValueError) as exc:
        raise ReceiptError("receipt signature does not match: it was not issued by this server") from exc
    facts = json.loads(payload)
    if not isinstance(facts, dict):
        raise ReceiptError("receipt payload is not a JSON object")
    return facts


def public_key_text(public_key: bytes) -> str:
    """The public key as published: base64url of the raw 32 bytes."""
    return _b64(public_key)


def public_key_from_text(text: str) -> bytes:
    key = _unb64(text)
    if len(key) != 32:
        raise ReceiptError("an Ed25519 public key is 32 bytes")
    return key
