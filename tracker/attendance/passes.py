"""QR passes: each invitation's pass encodes the URL of its token (segno, as an SVG data: URL)."""

from __future__ import annotations

from functools import lru_cache

import segno
from flask import url_for


def pass_url(invitation) -> str | None:
    if invitation.pass_issued_at is None or invitation.pass_revoked_at is not None:
        return None
    return url_for("attendance.pass_landing", token=invitation.pass_token, _external=True)


@lru_cache(maxsize=4096)
def _qr_svg_data_uri(content: str, scale: int) -> str:
    # Dark modules on white with a quiet zone: scanners need the contrast, and it prints.
    return segno.make(content, error="m").svg_data_uri(scale=scale, border=4, dark="#000", light="#fff")


def pass_qr_data_uri(invitation, scale: int = 5) -> str | None:
    """The pass's QR code for ``<img src=…>`` (the CSP allows ``img-src data:``); None without a valid pass."""
    url = pass_url(invitation)
    return _qr_svg_data_uri(url, scale) if url else None
