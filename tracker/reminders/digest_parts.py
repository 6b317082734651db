"""Parts that the domains above the reminders add to the office's morning digest (the red flags of the districts,
say). A part is fetched once per digest run (one or a few queries, whatever the number of recipients) and
rendered in each recipient's language; its ``count`` is what the short SMS/WhatsApp text says of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DigestPart:
    key: str
    fetch: Callable[[date, datetime], object]  # (day, now) -> the part's data, once per run
    render: Callable[[object], str]  # (data) -> plain text, called in the recipient's locale
    count: Callable[[object], int]  # (data) -> the number the short text gives
    order: int


@dataclass(frozen=True)
class FetchedPart:
    part: DigestPart
    data: object

    def render(self) -> str:
        return self.part.render(self.data)

    @property
    def count(self) -> int:
        return self.part.count(self.data)


_PARTS: dict[str, DigestPart] = {}


def register_digest_part(key: str, fetch, render, *, count=lambda data: 0, order: int = 100) -> None:
    """Add a part to the digest (registering the same key again replaces it)."""
    _PARTS[key] = DigestPart(key, fetch, render, count, order)


def fetch_parts(day: date, now: datetime) -> list[FetchedPart]:
    return [FetchedPart(part, part.fetch(day, now)) for part in sorted(_PARTS.values(), key=lambda p: (p.order, p.key))]


def count_of(parts: Sequence[FetchedPart], key: str) -> int:
    return sum(p.count for p in parts if p.part.key == key)
