"""Receipts, voter tokens and e-mail sign-in helpers: forged, expired and foreign inputs are refused."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, generate_private_key
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from mirrorball.voting.identity import ExternalIssuer, VoterIdentity, VoterTokenError, VoterTokens
from mirrorball.voting.receipts import ReceiptError, ReceiptSigner, verify_receipt
from mirrorball.voting.signin import FileDelivery, SignInError, delivery_from_url, normalize_email


def test_receipt_round_trip_and_tampering_is_detected() -> None:
    signer = ReceiptSigner(b"\x01" * 32)
    receipt = signer.sign({"window": 1, "counted": {"3": 2}})
    assert verify_receipt(receipt, signer.public_key) == {"window": 1, "counted": {"3": 2}}
    payload, signature, path = receipt.split(".")
    forged = ReceiptSigner(b"\x02" * 32).sign({"window": 1, "counted": {"3": 20}})
    for bad in (
        forged,
        f"{forged.split('.')[0]}.{signature}.{path}",
        "nodot",
        payload + ".AAAA",
        payload + "..",
    ):
        with pytest.raises(ReceiptError):
            verify_receipt(bad, signer.public_key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13])
def test_a_batch_shares_one_signature_and_each_receipt_verifies_alone(size: int) -> None:
    signer = ReceiptSigner(b"\x01" * 32)
    batch = [{"window": 1, "key": f"k{n}", "counted": {"3": n + 1}} for n in range(size)]
    receipts = signer.sign_batch(batch)
    assert len({r.split(".")[1] for r in receipts}) == 1  # one signature for the whole batch
    assert [verify_receipt(r, signer.public_key) for r in receipts] == batch
    other = signer.sign_batch([{"window": 1, "key": "x", "counted": {"3": 1}}] * 2)[0]
    for receipt in receipts:
        payload, signature, path = receipt.split(".")
        altered = _b64(
            json.dumps(
                {**json.loads(base64.urlsafe_b64decode(payload + "==")), "counted": {"3": 99}}
            ).encode()
        )
        flipped = base64.urlsafe_b64decode(path + "==")
        flipped = bytes([flipped[0] ^ 0x40]) + flipped[1:] if flipped else b"R" + bytes(32)
        moved = f"{payload}.{other.split('.')[1]}.{path}"  # the signature of another batch
        for bad in (f"{altered}.{signature}.{path}", f"{payload}.{signature}.{_b64(flipped)}", moved):
            with pytest.raises(ReceiptError):
                verify_receipt(bad, signer.public_key)


def test_receipts_of_the_earlier_form_still_verify() -> None:
    signer = ReceiptSigner(b"\x01" * 32)
    payload = b'{"counted":{"3":2},"window":1}'
    earlier = f"{_b64(payload)}.{_b64(signer._key.sign(payload))}"
    assert verify_receipt(earlier, signer.public_key) == {"window": 1, "counted": {"3": 2}}


@pytest.fixture
def broadcaster() -> tuple[str, str]:
    key = generate_private_key(SECP256R1())
    private = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()
    public = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _external(private: str, **claims: object) -> str:
    base = {
        "iss": "https://accounts.example",
        "aud": "mirrorball-vote",
        "sub": "user-7",
        "exp": time.time() + 60,
    }
    base.update(claims)
    return jwt.encode(base, private, algorithm="ES256")


def test_external_tokens_carry_eligibility_and_forgeries_are_refused(broadcaster: tuple[str, str]) -> None:
    private, public = broadcaster
    tokens = VoterTokens(b"s" * 32, ExternalIssuer("https://accounts.example", public))
    identity = tokens.verify(_external(private, age_verified=True, region="GB"))
    assert identity == VoterIdentity("external", "user-7", age_verified=True, region="GB")
    other_key = generate_private_key(SECP256R1()).private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
    )
    cases = {
        "signature": _external(other_key.decode()),
        "expired": _external(private, exp=time.time() - 120),
        "audience": _external(private, aud="someone-else"),
        "malformed": "not.a.token",
        "not trusted": jwt.encode({"iss": "https://evil", "sub": "x", "exp": time.time() + 60}, "k" * 32),
        "alg none": jwt.encode({"iss": "https://accounts.example", "sub": "x"}, None, algorithm="none"),
    }
    for name, token in cases.items():
        with pytest.raises(VoterTokenError):
            tokens.verify(token)
        assert name


def test_internal_tokens_round_trip_and_need_our_secret() -> None:
    tokens = VoterTokens(b"a" * 32)
    identity = VoterIdentity("email", "fan@example.org")
    assert tokens.verify(tokens.issue(identity)) == identity
    with pytest.raises(VoterTokenError, match="signature"):
        VoterTokens(b"b" * 32).verify(tokens.issue(identity))
    with pytest.raises(VoterTokenError, match="expired"):
        tokens.verify(tokens.issue(identity, now=time.time() - 13 * 3600))


def test_email_addresses_are_normalized_and_nonsense_refused() -> None:
    assert normalize_email("  Fan@Example.ORG ") == "fan@example.org"
    for bad in ("", "fan", "fan@", "@example.org", "a b@example.org", "x@y", "a" * 300 + "@example.org"):
        with pytest.raises(SignInError):
            normalize_email(bad)


def test_file_delivery_appends_one_json_line_per_code(tmp_path) -> None:
    delivery = delivery_from_url(f"file:{tmp_path / 'codes.jsonl'}")
    assert isinstance(delivery, FileDelivery)
    delivery.send("a@example.org", "123456")
    delivery.send("b@example.org", "654321")
    lines = (tmp_path / "codes.jsonl").read_text().splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["123456", "654321"]
    with pytest.raises(ValueError, match="unknown code delivery"):
        delivery_from_url("carrier-pigeon:")


def test_smtp_delivery_sends_the_code_through_a_real_smtp_conversation() -> None:
    """A minimal SMTP server on loopback (just the commands smtplib sends) receives the message."""
    import socketserver
    import threading

    from mirrorball.voting.signin import SmtpDelivery

    received: list[str] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 test ESMTP\r\n")
            while line := self.rfile.readline():
                command = line.decode().strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.wfile.write(b"250 test\r\n")
                elif command == "DATA":
                    self.wfile.write(b"354 go on\r\n")
                    body = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b""):
                        body.append(data.decode())
                    received.append("".join(body))
                    self.wfile.write(b"250 queued\r\n")
                elif command == "QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        delivery = delivery_from_url(f"smtp://127.0.0.1:{port}?from=votes@example.org&starttls=0")
        assert isinstance(delivery, SmtpDelivery)
        delivery.send("fan@example.org", "424242")
        server.shutdown()
    assert len(received) == 1 and "424242" in received[0] and "To: fan@example.org" in received[0]
