"""Secrets derived from the app's secret key instead of stored: an HMAC-SHA-256 of a purpose and an id.

A token made this way can be shown again whenever it is needed (a calendar link, a pass's QR code)
while the database holds nothing that reveals it; changing ``SECRET_KEY`` changes every such token.
The purpose keeps the tokens of different uses apart (a feed's id and an invitation's id may be equal).
"""

from __future__ import annotations

import hashlib
import hmac
from base64 import urlsafe_b64encode

from flask import current_app


def digest_bytes(message: str) -> bytes:
    """HMAC-SHA-256(``SECRET_KEY``, ``message``), raw (e.g. to turn into digits)."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def digest(message: str, size: int) -> str:
    """The first ``size`` bytes of HMAC-SHA-256(``SECRET_KEY``, ``message``), base64url without padding."""
    return urlsafe_b64encode(digest_bytes(message)[:size]).decode().rstrip("=")


def signed_id(purpose: str, object_id: int, size: int = 16) -> str:
    """``<id>.<mac>``: an id that only the app can have made, e.g. ``"4711.Wm3kR…"``."""
    return f"{object_id}.{digest(f'{purpose}:{object_id}', size)}"


def verified_id(purpose: str, token: str, size: int = 16) -> int | None:
    """The id in a token made by :func:`signed_id` for this purpose, or None if it was not (compared in
    constant time)."""
    object_id, dot, _mac = (token or "").partition(".")
    if not dot or not object_id.isascii() or not object_id.isdigit() or len(object_id) > 18:
        return None
    if not hmac.compare_digest(token.encode(), signed_id(purpose, int(object_id), size).encode()):
        return None
    return int(object_id)
