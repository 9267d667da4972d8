"""E-mail code sign-in: a short code sent to the address proves the voter owns it.

Codes are never stored in clear: the store keeps a keyed hash (HMAC with the server's secret), so a
database dump does not let anyone sign in. Delivery is pluggable, chosen by a URL:
`console:` (print, for development), `file:/path/to/codes.jsonl` (one JSON line per code: tests and the
browser test read it), `smtp://user:password@host:587?from=votes@example.org&starttls=1` (production).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import smtplib
import sys
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

CODE_DIGITS = 6
CODE_LIFETIME_SECONDS = 600
MAX_ATTEMPTS = 5

# Deliberately modest: one @, something on both sides, a dot in the domain, no spaces; the code itself
# is the real verification.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class SignInError(ValueError):
    """A sign-in step refused: bad address, wrong or expired code, too many attempts."""


def normalize_email(address: str) -> str:
    """The form an address is stored and capped under; the same mailbox must not be two voters."""
    address = address.strip().lower()
    if len(address) > 254 or not _EMAIL.match(address):
        raise SignInError("that does not look like an e-mail address")
    return address


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(secret: bytes, email: str, code: str) -> str:
    return hmac.new(secret, f"{email}\n{code}".encode(), hashlib.sha256).hexdigest()


class CodeDelivery(Protocol):
    def send(self, email: str, code: str) -> None: ...


class ConsoleDelivery:
    """Development: the code goes to the server's stderr."""

    def send(self, email: str, code: str) -> None:
        print(f"mirrorball: sign-in code for {email}: {code}", file=sys.stderr, flush=True)


class FileDelivery:
    """Development and tests: one JSON line per code appended to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def send(self, email: str, code: str) -> None:
        line = json.dumps({"email": email, "code": code}) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line)


class SmtpDelivery:
    """Production: a plain e-mail through the broadcaster's SMTP relay."""

    def __init__(
        self, host: str, port: int, sender: str, user: str | None, password: str | None, starttls: bool
    ):
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.starttls = user, password, starttls

    def send(self, email: str, code: str) -> None:
        message = EmailMessage()
        message["From"], message["To"] = self.sender, email
        message["Subject"] = f"Your voting code: {code}"
        message.set_content(f"Your code to vote is {code}. It is valid for 10 minutes.\n")
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def delivery_from_url(url: str) -> CodeDelivery:
    """Pick the delivery named by a URL (see the module docstring)."""
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return ConsoleDelivery()
    if parsed.scheme == "file":
        return FileDelivery(Path(unquote(parsed.path)))
    if parsed.scheme in ("smtp", "smtps"):
        query = parse_qs(parsed.query)
        sender = query.get("from", [f"votes@{parsed.hostname}"])[0]
        return SmtpDelivery(
            host=parsed.hostname or "localhost",
            port=parsed.port or 587,
            sender=sender,
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            starttls=query.get("starttls", ["1"])[0] not in ("0", "false", "no"),
        )
    raise ValueError(f"unknown code delivery {url!r}: use console:, file:/path or smtp://host:port")
