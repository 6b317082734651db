"""When a session's attendance may be marked, and the venue code that proves a self check-in is made in the hall.

Marking opens ``MARKING_OPENS_HOURS_BEFORE`` hours (default 2) before a session starts and closes at the
end of the session's day (midnight, local time, after the day the session ends: shown as "until the end
of <that day>", :attr:`Window.last_day`, never as the next day's 00:00). Before, a mark is
refused: a session that has not happened has no attendance. After, only a paper sheet can be entered
(:func:`tracker.attendance.paper.enter_paper_sheet`), recorded as entered later.

The venue code is six digits derived from the app's secret (HMAC of the session's id and the current
period of ``VENUE_CODE_MINUTES``, see :mod:`tracker.core.signing`): nothing is stored, the hall's
screen shows the code of the current period, and a self check-in is accepted with the current code or
the previous period's (a code read just before it changed still works).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app

from tracker.core.signing import digest_bytes
from tracker.i18n import _, fmt_date, fmt_datetime
from tracker.timeutil import local_to_utc, now_utc, to_local

VENUE_CODE_DIGITS = 6


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime

    @property
    def last_day(self) -> date:
        """The (local) day at whose end marking closes: "until the end of 22 September", said so rather
        than as the next day's 00:00."""
        return to_local(self.closes_at).date() - timedelta(days=1)

    def state(self, now: datetime | None = None) -> str:
        """``"not_yet"``, ``"open"`` or ``"closed"``."""
        now = now or now_utc()
        if now < self.opens_at:
            return "not_yet"
        return "open" if now < self.closes_at else "closed"


def marking_window(session) -> Window:
    hours = current_app.config.get("MARKING_OPENS_HOURS_BEFORE", 2)
    ends_on = to_local(session.ends_at or session.starts_at).date()
    return Window(session.starts_at - timedelta(hours=hours), local_to_utc(ends_on + timedelta(days=1), time.min))


def not_yet_message(window: Window) -> str:
    return _("Marking for this session opens at %(time)s, %(hours)s hours before it starts. "
             "A session that has not happened has no attendance.",
             time=fmt_datetime(to_local(window.opens_at)), hours=current_app.config.get("MARKING_OPENS_HOURS_BEFORE", 2))


def closed_message(window: Window) -> str:
    return _("Marking for this session closed at the end of %(date)s, the session's day. "
             "Enter the paper sheet instead: it is recorded as entered later.", date=fmt_date(window.last_day))


def refusal(session, now: datetime | None = None) -> str | None:
    """Why a mark is refused now (before the window or after it), or None while it is open."""
    window = marking_window(session)
    state = window.state(now)
    if state == "not_yet":
        return not_yet_message(window)
    if state == "closed":
        return closed_message(window)
    return None


# --- the venue code ----------------------------------------------------------------------------


def period_seconds() -> int:
    return max(1, int(current_app.config.get("VENUE_CODE_MINUTES", 5) * 60))


def period_of(now: datetime | None = None) -> int:
    return int((now or now_utc()).timestamp()) // period_seconds()


def code_for(session_id: int, period: int) -> str:
    mac = digest_bytes(f"venue:{session_id}:{period}")
    return str(int.from_bytes(mac[:8], "big") % 10**VENUE_CODE_DIGITS).zfill(VENUE_CODE_DIGITS)


def current_code(session_id: int, now: datetime | None = None) -> str:
    return code_for(session_id, period_of(now))


def seconds_left(now: datetime | None = None) -> int:
    """Seconds until the code on the screen changes."""
    now = now or now_utc()
    return period_seconds() - int(now.timestamp()) % period_seconds()


def normalize(code: str) -> str:
    """What was typed, digits only (spaces, dashes dropped; Devanagari digits read as digits)."""
    return "".join(str(int(ch)) for ch in (code or "") if ch.isdigit())


def accepts(session_id: int, code: str, now: datetime | None = None) -> bool:
    """The code of this period or of the one before (compared in constant time)."""
    typed = normalize(code).encode()
    period = period_of(now)
    return any(hmac.compare_digest(typed, code_for(session_id, p).encode()) for p in (period, period - 1))
