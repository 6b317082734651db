"""The day as minutes since midnight: breaks, and the positions of back-to-back slots between them.

All dates and times of the planner are naive local wall-clock values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

Span = tuple[int, int]  # (start, end) in minutes since midnight


def minutes(value: time | datetime) -> int:
    return value.hour * 60 + value.minute


def clock(minute: int) -> str:
    """``HH:MM`` (24-hour) of a minute since midnight: how problems give times."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(0, 0)) + timedelta(minutes=minute)


def merge_breaks(breaks: Iterable[tuple[time, time]]) -> list[Span]:
    """The breaks as sorted spans of minutes, overlapping or touching ones joined."""
    merged: list[list[int]] = []
    for start, end in sorted((minutes(a), minutes(b)) for a, b in breaks):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def crossed_break(breaks: list[Span], start: int, end: int) -> Span | None:
    """The first break that ``[start, end)`` overlaps, or None."""
    for span in breaks:
        if span[0] < end and start < span[1]:
            return span
    return None


def fit_start(breaks: list[Span], start: int, length: int) -> int:
    """The earliest minute from ``start`` at which ``length`` minutes cross no break."""
    while (span := crossed_break(breaks, start, start + length)) is not None:
        start = span[1]
    return start


def slot_starts(breaks: list[Span], first: int, end: int, length: int) -> list[int]:
    """Start minutes of back-to-back slots of ``length`` from ``first`` to ``end``, each moved past
    any break it would cross."""
    starts = []
    minute = first
    while True:
        minute = fit_start(breaks, minute, length)
        if minute + length > end:
            return starts
        starts.append(minute)
        minute += length
