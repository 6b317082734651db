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
    # Sign-in by mobile number with a one-time code (tracker/auth/operations.py): requests for a
    # code are throttled per number and per client address like failed sign-ins (after the free
    # requests, each waits 1 s, 2 s, 4 s … up to LOGIN_MAX_DELAY_SECONDS), and at most
    # SIGN_IN_CODES_PER_DAY messages go to one number within a day.
    SIGN_IN_CODE_MINUTES = 10
    SIGN_IN_CODE_MAX_TRIES = 5
    SIGN_IN_CODE_FREE_REQUESTS = 3  # per number
    SIGN_IN_CODE_ADDRESS_FREE_REQUESTS = 200  # per client address (a venue's shared Wi-Fi)
    SIGN_IN_CODES_PER_DAY = 10  # per number
    # Wrong codes typed from one client address before each further one waits (1 s, 2 s … as above):
    # 70 people behind a venue's Wi-Fi, each mistyping a code or two, pass; a guesser is slowed.
    SIGN_IN_CODE_ADDRESS_FREE_FAILURES = 150
    # Administrators and office staff must sign in with their password: a code is never sent to them
    # (asking for one is answered as for a number of no login, so the answer does not reveal that a
    # number is staff's), and their logins cannot be left without a password (a login made from posts
    # has none) — give it one (reset the password) before making it an administrator's or the office's.
    STAFF_PASSWORD_REQUIRED = False
    MOBILE_SIGN_IN_DAYS = 90  # a sign-in by mobile number lasts this long on that phone
    # Reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none, the client
    # address is the connection's). Set it to the number of proxies, e.g. 1 behind one nginx.
    TRUSTED_PROXIES = 0
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # imports
    API_TOKEN_DAYS = 90  # a new API token expires after this many days
    API_RATE_LIMIT = 600  # requests per minute and token (0: no limit)
    # Replies before a session (RSVP): an answer given or changed later than this before the start is
    # still taken, but flagged for the office.
    REPLY_CUTOFF_HOURS = 24
    # Attendance figures (tracker/attendance/window.py): marking opens this long before a session starts
    # and closes at the end of the session's day; later, only a paper sheet can be entered (recorded as
    # entered later). Self check-in asks for the venue code shown on the hall's screen, a code that
    # changes every VENUE_CODE_MINUTES (the previous one stays valid for one more period).
    MARKING_OPENS_HOURS_BEFORE = 2
    VENUE_CODE_MINUTES = 5

    # Directory imports (CSV, XLSX): a file over a limit is refused, with the row, before it is read
    # further. A state's whole directory (a few thousand units, people and posts) fits with room to spare.
    IMPORT_MAX_ROWS = 20_000  # rows after the headers, over every table of the file
    IMPORT_MAX_COLUMNS = 30  # cells in a row (the widest list has 9 columns)
    IMPORT_MAX_CELL_CHARS = 2_000  # characters in one cell
    IMPORT_MAX_FILE_MB = 10  # the file itself (uploads are capped by MAX_CONTENT_LENGTH too)
    IMPORT_MAX_UNPACKED_MB = 24  # an XLSX file unzipped (a full 20,000-row people list is about 12 MB)

    # Uploaded photos and videos (tracker/uploads): kept in UPLOADS_DIR (instance/uploads/ when empty), or in an
    # S3-compatible object store when UPLOADS_S3_BUCKET is set (with UPLOADS_S3_ENDPOINT, _ACCESS_KEY,
    # _SECRET_KEY, _REGION). Photos are re-encoded to at most UPLOADS_IMAGE_MAX_EDGE pixels on the longer edge.
    UPLOADS_DIR = ""
    UPLOADS_S3_BUCKET = ""
    UPLOADS_S3_ENDPOINT = ""
    UPLOADS_S3_ACCESS_KEY = ""
    UPLOADS_S3_SECRET_KEY = ""
    UPLOADS_S3_REGION = ""
    UPLOADS_MAX_IMAGE_MB = 12
    UPLOADS_MAX_IMAGE_PIXELS = 50_000_000  # a 50-megapixel phone photo; a decompression bomb has far more
    UPLOADS_IMAGE_MAX_EDGE = 1600
    UPLOADS_MAX_VIDEO_MB = 40
    UPLOADS_MAX_VIDEO_SECONDS = 180
    # Files sent in pieces (resumable uploads): their bytes so far in UPLOADS_PARTIAL_DIR (instance/partial-uploads/
    # when empty), at most UPLOADS_MAX_OPEN unfinished per user, forgotten after UPLOADS_PARTIAL_HOURS untouched.
    UPLOADS_PARTIAL_DIR = ""
    UPLOADS_MAX_OPEN = 20
    UPLOADS_PARTIAL_HOURS = 48
    UPLOADS_PIECE_KB = 1024  # the largest piece one request may carry

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
    # Made exclusively under a temporary name, then linked into place: of two workers starting together on a
    # fresh instance exactly one link succeeds, and both read back the one key that is there.
    tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            if not path.read_text().strip():  # an empty file left by an older release: replace it
                os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text().strip()
