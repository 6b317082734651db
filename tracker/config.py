"""Configuration: defaults < instance/config.py < TRACKER_* environment < test mapping."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class DefaultConfig:
    # Database: the embedded SQLite file lives in instance/; see create_app for the path.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 15000

    # i18n
    LANGUAGES = ("hi", "en")
    DEFAULT_LOCALE = "hi"
    TIMEZONE = "Asia/Kolkata"
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")

    # Security
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True (TRACKER_SESSION_COOKIE_SECURE=true) behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a coordinator's roster may stay open all day
    # Sign-in throttle (tracker/auth/throttle.py): after the free failures, each failure makes the
    # account (or the client address) wait 1 s, 2 s, 4 s … up to the maximum delay before its next
    # attempt is checked; failures are forgotten after the window.
    LOGIN_FREE_FAILURES = 5  # per account
    LOGIN_ADDRESS_FREE_FAILURES = 30  # per client address (successful sign-ins do not count)
    LOGIN_MAX_DELAY_SECONDS = 300
    LOGIN_THROTTLE_WINDOW_MINUTES = 60
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none, the client
    # address is the connection's). Set it to the number of proxies, e.g. 1 behind one nginx.
    TRUSTED_PROXIES = 0
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # imports

    # Lists
    PAGE_SIZE = 25

    # Demo
    DEMO_PASSWORD = "demo-pass-2025"


def secret_key_from_instance(instance_path: str) -> str:
    """Return the secret kept in instance/secret_key, creating it on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key
