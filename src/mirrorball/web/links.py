"""Sign-in URLs and their QR codes (printed for judges' tablets)."""

from __future__ import annotations

import io

import segno


def sign_in_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/signin?token={token}"


def qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, title=url)
    return buffer.getvalue().decode("utf-8")
