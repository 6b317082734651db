"""The app's one clock, and time helpers: UTC in the database, the configured zone (Asia/Kolkata by
default) on screen.

"Now" is read only here (:func:`now_utc`, :func:`today_local`): model timestamps, operations, policy,
pages, jobs and the CLI all ask these two, so one setting moves them all. The setting ``NOW``
(environment ``TRACKER_NOW``), an ISO 8601 instant with its offset such as
``2025-09-22T09:30:00+05:30``, fixes it for the whole app: pages, policy, jobs, CLI. It is read at
every call from the current app's config, so a test may change it between two requests. With
``NOW_RUNNING_SINCE`` (``TRACKER_NOW_RUNNING_SINCE``, Unix seconds) the clock runs on from ``NOW``:
``NOW`` is the moment the real clock showed ``NOW_RUNNING_SINCE``, e.g.
``TRACKER_NOW=2025-09-22T10:55:00+05:30 TRACKER_NOW_RUNNING_SINCE=$(date +%s) make run`` demonstrates
the reference meeting five minutes before its first session. Outside an app context the
environment variables are read. Tests fix and advance it through the same setting.

The one exception is :func:`wall_now`, real time whatever ``NOW`` says, for liveness only: what must
run out in real seconds (the scheduler's lease, the age of an uploaded file) even when the app's
clock is fixed and never moves. Nothing a user sees reads it.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "Asia/Kolkata"


def local_zone() -> ZoneInfo:
    name = current_app.config.get("TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return ZoneInfo(name)


@lru_cache(maxsize=16)
def parse_instant(value: str) -> datetime:
    """An ISO 8601 instant with an offset (``2025-09-22T09:30:00+05:30``, ``…Z``), as aware UTC."""
    try:
        parsed = datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"NOW must be an ISO 8601 date and time with an offset, not {value!r}") from exc
    if parsed.tzinfo is None:
        raise ValueError(f"NOW needs an offset (e.g. +05:30 or Z): {value!r}")
    return parsed.astimezone(UTC)


def _settings() -> tuple[object, object]:
    if has_app_context():
        config = current_app.config
        return config.get("NOW"), config.get("NOW_RUNNING_SINCE")
    return os.environ.get("TRACKER_NOW"), os.environ.get("TRACKER_NOW_RUNNING_SINCE")


def fixed_now() -> datetime | None:
    """The instant the ``NOW`` setting fixes (running on if asked), or None for the real clock."""
    value, since = _settings()
    if not value:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("NOW needs an aware datetime (with an offset)")
        at = value.astimezone(UTC)
    else:
        at = parse_instant(value)
    if since not in (None, ""):
        at += timedelta(seconds=wall_now().timestamp() - float(since))
    return at


def now_utc() -> datetime:
    """The app's "now", timezone-aware UTC: real time unless the ``NOW`` setting fixes it."""
    fixed = fixed_now()
    return fixed if fixed is not None else wall_now()


@contextmanager
def clock_at(instant: datetime):
    """Within the block, the app's clock shows ``instant`` (fixed): for replaying what happened at a known
    time, such as the demo's marks made in the hall during the reference meeting. Needs an app context."""
    config = current_app.config
    saved = config.get("NOW"), config.get("NOW_RUNNING_SINCE")
    config["NOW"], config["NOW_RUNNING_SINCE"] = instant, None
    try:
        yield instant
    finally:
        config["NOW"], config["NOW_RUNNING_SINCE"] = saved


def wall_now() -> datetime:
    """Real time, whatever the ``NOW`` setting says (aware UTC).

    For liveness only: a lease must run out in real seconds, also when the app's clock is fixed for a
    test or a demo and never moves (a killed holder's lease would otherwise never expire); so must the
    age of a file on disk (its mtime is real time). Nothing a user sees reads it.
    """
    return datetime.now(UTC)


def today_local() -> date:
    """The app's "today": the date of :func:`now_utc` in the configured zone."""
    return now_utc().astimezone(local_zone()).date()


def to_local(value: datetime) -> datetime:
    return value.astimezone(local_zone())


def local_to_utc(day: date, at: time) -> datetime:
    """A wall-clock date and time in the configured zone, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=local_zone()).astimezone(UTC)
