"""Time helpers: UTC in the database, the configured zone (Asia/Kolkata by default) on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "Asia/Kolkata"


def local_zone() -> ZoneInfo:
    name = current_app.config.get("TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return ZoneInfo(name)


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    return datetime.now(local_zone()).date()


def to_local(value: datetime) -> datetime:
    return value.astimezone(local_zone())


def local_to_utc(day: date, at: time) -> datetime:
    """A wall-clock date and time in the configured zone, as an aware UTC datetime."""
    return datetime.combine(day, at, tzinfo=local_zone()).astimezone(UTC)
