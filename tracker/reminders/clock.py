"""The clock every job and operation of this domain reads: tests inject a fixed one and never sleep."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""


class SystemClock:
    """The app's clock (``tracker.timeutil.now_utc``: real time unless the NOW setting fixes it)."""

    def now(self) -> datetime:
        from tracker.timeutil import now_utc

        return now_utc()


class WallClock:
    """Real time, whatever the NOW setting says.

    For process liveness only (the scheduler's lease): a lease must run out in real seconds, also
    when the app's clock is fixed for a test or a demo and never moves. Nothing a user sees reads it.
    """

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (tests)."""

    def __init__(self, at: datetime):
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta) -> datetime:
        self.at += timedelta(**delta)
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at.astimezone(UTC)


def app_clock() -> Clock:
    """The clock of the running app (``app.extensions['reminders'].clock``)."""
    from flask import current_app

    return current_app.extensions["reminders"].clock
