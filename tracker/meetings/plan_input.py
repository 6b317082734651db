"""What the office asks the planner for (:class:`PlanInput`, filled by the plan form, the re-plan
page and ``tracker plan``) and how the text of the CLI and the form is read into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

from tracker.i18n import _
from tracker.meetings import operations as ops

# The day's breaks unless the office says otherwise: lunch and tea. No session crosses a break.
LUNCH = (time(13, 30), time(14, 15))
TEA = (time(16, 0), time(16, 15))
DEFAULT_BREAKS: tuple[tuple[time, time], ...] = (LUNCH, TEA)


@dataclass
class PlanInput:
    """What the office asks for."""

    division_codes: list[str]
    start: date
    days: int
    per_day: int = 2
    pins: dict[date, list[str]] = field(default_factory=dict)
    window: tuple[time, time] = (time(11, 0), time(17, 0))
    group_minutes: int = 120
    one_to_one_minutes: int = 15
    gap_minutes: int = 0
    extra_reviewers: list[str] = field(default_factory=list)  # role codes or person ids
    one_to_ones: str = "same_day"
    one_to_one_dates: list[date] = field(default_factory=list)
    unavailable: dict[int, set[date]] = field(default_factory=dict)
    breaks: list[tuple[time, time]] = field(default_factory=lambda: list(DEFAULT_BREAKS))
    chair_person_id: int | None = None  # who chairs the group sessions; None: the state in-charge

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


class PlanInputError(ops.MeetingError):
    """The input itself is wrong (unknown code, bad date): nothing was planned."""


def parse_codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").replace(" ", ",").split(",") if c.strip()]


def parse_pin(text: str) -> tuple[date, list[str]]:
    """``2025-09-22:bhopal,narmadapuram`` -> (date, codes)."""
    day, sep, codes = text.partition(":")
    if not sep:
        raise PlanInputError(_("A pin looks like 2025-09-22:bhopal,narmadapuram; got “%(text)s”.", text=text))
    return parse_date(day), parse_codes(codes)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise PlanInputError(_("“%(text)s” is not a date like 2025-09-22.", text=text)) from None


def parse_window(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(p.strip()) for p in text.split("-", 1))
    except ValueError:
        raise PlanInputError(_("The day's window looks like 11:00-17:00; got “%(text)s”.", text=text)) from None
    return start, end


def parse_break(text: str) -> tuple[time, time]:
    """``13:30-14:15`` -> (13:30, 14:15); the end must be after the start."""
    try:
        start, end = (time.fromisoformat(p.strip()) for p in text.split("-", 1))
    except ValueError:
        raise PlanInputError(_("A break looks like 13:30-14:15; got “%(text)s”.", text=text)) from None
    if end <= start:
        raise PlanInputError(_("A break must end after it starts; got “%(text)s”.", text=text))
    return start, end

