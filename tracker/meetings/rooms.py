"""Rooms of sessions. The planner's rooms are stored as codes (``hall``, ``room_1``, ``room_2`` …)
and named in the reader's language only when shown, so that a meeting planned in Hindi and
re-planned in English still has the same rooms; any other room is the text the office typed."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale

from tracker.i18n import _
from tracker.meetings.planner import HALL, parallel_room, parallel_room_number

_NUMBER = "\x00"


def room_label(room: str | None) -> str:
    """A stored room as the reader says it: ``hall`` → “Hall”/“सभागार”, ``room_2`` → “Room 2”/“कक्ष 2”."""
    if room == HALL:
        return _("Hall")
    number = parallel_room_number(room or "")
    if number is not None:
        return _("Room %(number)s", number=number)
    return room or ""


def _numbered(text: str, template: str) -> int | None:
    """The number in ``text`` when it reads like ``template`` (``Room \\x00``) in any case."""
    prefix, _sep, suffix = template.casefold().partition(_NUMBER)
    folded = text.casefold()
    if not (folded.startswith(prefix) and folded.endswith(suffix)) or len(folded) <= len(prefix) + len(suffix):
        return None
    digits = text[len(prefix):len(text) - len(suffix)].strip()
    return int(digits) if digits.isdigit() else None


def room_code(text: str | None) -> str:
    """What to store for a room the office typed: the code of a planner room named in any of the
    app's languages (“Hall”, “सभागार”, “Room 2”, “कक्ष 2”, or the code itself), else the text."""
    text = (text or "").strip()
    if text == HALL or parallel_room_number(text) is not None:
        return text
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            if text.casefold() == _("Hall").casefold():
                return HALL
            number = _numbered(text, _("Room %(number)s", number=_NUMBER))
        if number is not None:
            return parallel_room(number)
    return text
