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
    LOGIN_MAX_FAILURES = 10
    LOGIN_LOCK_MINUTES = 15
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # imports
    API_TOKEN_DAYS = 90  # a new API token expires after this many days
    API_RATE_LIMIT = 600  # requests per minute and token (0: no limit)

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
