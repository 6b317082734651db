"""Enums whose members are stored codes with a title for people.

A :class:`TitledEnum` member is a ``str`` (its value is what columns, URLs, JSON and CSV files keep),
and it carries its title, a lazy gettext string, written beside it::

    class MeetingStatus(TitledEnum):
        DRAFT = "draft", _l("Draft")
        PUBLISHED = "published", _l("Published")

so a member cannot be added without its title, and no separate ``*_TITLES`` dict can drift from the
enum. ``member.title`` is the title in the current language; ``Enum.choices()`` are the options of a
form field (titles stay lazy, so a form class built at import shows them in the reader's language).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


class TitledEnum(enum.StrEnum):
    """A stored code (the value) with a title (lazy gettext) for people; see the module's docstring."""

    def __new__(cls, value: str, title):
        member = str.__new__(cls, value)
        member._value_ = value
        member.lazy_title = title
        return member

    @property
    def title(self) -> str:  # shadows str.title on purpose: a member's title is its name for people
        """The title in the current language."""
        return str(self.lazy_title)

    @classmethod
    def choices(cls, members: Iterable[TitledEnum] | None = None) -> list[SelectChoice]:
        """``(value, title)`` options of a select or radio field: every member, or ``members`` in their order."""
        return [SelectChoice(member.value, member.lazy_title) for member in (cls if members is None else members)]

    @classmethod
    def title_of(cls, value: str) -> str:
        """The title of a recorded value (history, imports), or the value itself if it is no longer a member."""
        try:
            return cls(value).title
        except ValueError:
            return value

