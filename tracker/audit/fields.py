"""What the History sections call each recorded field, and how they show its values: one registry.

Every domain registers, for each entity type it records (a table name, or the name of a custom event's
subject such as ``login_addresses``), every field it can record: a label (lazy gettext) and a *shower*,
the decision how a recorded value reads::

    register("units", {
        "level": (_l("Level"), titles(UnitLevel)),
        "parent_id": (_l("Parent unit"), Ref(Unit, localized, _l("deleted unit #%(id)s"))),
        "is_archived": (_l("Archived"), YES_NO),
    })

Showers: :data:`TEXT` (as recorded), :data:`DATE`, :data:`DATETIME`, :data:`TIME` (the house style of
:mod:`tracker.i18n`), :data:`YES_NO`, :data:`NUMBER`, :data:`PHONE`, :func:`titles` (an enum's title or
a code's title from a dict), :class:`Ref` (the name of the record an id points to, looked up in one query
per table for a whole history page), and :data:`HIDDEN` (the change is not shown: internal state).

A domain whose field names are data (the directory records a post's role code) registers a function
``more(names) -> {name: (label, shower)}`` that is asked about the names the registry does not know.
``tests/foundation/test_history_fields.py`` fails for a column or a recorded field without an entry,
so that no new field can reach a page raw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from tracker.i18n import LANGUAGE_TITLES, _, _l, fmt_date, fmt_datetime, fmt_number, fmt_phone, fmt_time


@dataclass(frozen=True)
class Shower:
    """Shows one recorded (JSON) value, never None; the name says what it is for the tests."""

    name: str
    show: Callable[[object], str]

    def __call__(self, value) -> str:
        return self.show(value)


def _parsed(parse: Callable, fmt: Callable) -> Callable[[object], str]:
    def show(value) -> str:
        if isinstance(value, str):
            try:
                return fmt(parse(value))
            except ValueError:
                return value  # not what it should be: shown as recorded
        return str(value)
    return show


def _yes_no(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return str(value)


def _number(value) -> str:
    return fmt_number(value) if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


TEXT = Shower("text", str)
DATE = Shower("date", _parsed(date.fromisoformat, fmt_date))
DATETIME = Shower("datetime", _parsed(datetime.fromisoformat, fmt_datetime))
TIME = Shower("time", _parsed(time.fromisoformat, fmt_time))
YES_NO = Shower("yes_no", _yes_no)
NUMBER = Shower("number", _number)
PHONE = Shower("phone", lambda value: fmt_phone(value) if isinstance(value, str) else str(value))
HIDDEN = Shower("hidden", str)


def titles(source) -> Shower:
    """An enum's title (a :class:`~tracker.core.enums.TitledEnum`), or a code's title from a dict of
    lazy strings; an unknown code as recorded."""
    if isinstance(source, Mapping):
        return Shower("titles", lambda value: str(source.get(value, value)))
    return Shower("titles", lambda value: source.title_of(value) if isinstance(value, str) else str(value))


LANGUAGE = titles(LANGUAGE_TITLES)  # in the reader's language


@dataclass(frozen=True)
class Ref:
    """A recorded id (or other ``key``) shown as the name of the record it points to now.

    ``name(record)`` gives the name; ``missing`` (lazy, with ``%(id)s``) is shown when the record is
    gone ("deleted unit #12"); ``options`` are loader options for the one query per table
    (e.g. ``joinedload`` of what ``name`` reads)."""

    model: type
    name: Callable[[object], str]
    missing: object
    key: str = "id"
    options: tuple = field(default=())

    @property
    def table(self) -> tuple[type, str]:
        return self.model, self.key

    def wanted(self, value):
        """The lookup key of a recorded value, or None when it cannot be one."""
        if self.key == "id":
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        return value if isinstance(value, str | int) and not isinstance(value, bool) else None

    def keys(self, value) -> list:
        """The lookup keys of a recorded value (one, or a list of them)."""
        values = value if isinstance(value, list) else [value]
        return [key for key in map(self.wanted, values) if key is not None]

    def shown(self, value, found: Mapping) -> str:
        if isinstance(value, list):
            return ", ".join(self.shown(each, found) for each in value)
        if self.key == "id" and isinstance(value, str):
            return value  # recorded as a name (older entries): as recorded
        record = found.get(self.table, {}).get(self.wanted(value))
        if record is None:
            return str(self.missing) % {"id": value}
        return self.name(record) or str(self.missing) % {"id": value}


FieldSpec = tuple[object, "Shower | Ref"]


@dataclass
class EntityFields:
    fields: dict[str, FieldSpec]
    more: Callable[[Iterable[str]], dict[str, FieldSpec]] | None = None


_REGISTRY: dict[str, EntityFields] = {}
_ACTIONS: dict[str, object] = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "lock": _l("Locked"),
    "reopen": _l("Reopened"),
    "sign_off": _l("Signed off"),
    "publish": _l("Published"),
    "cancel": _l("Cancelled"),
}
# Who acted when no login did (tracker.audit.operations.acting_as labels).
_ACTOR_LABELS: dict[str, object] = {"system": _l("the system"), "demo": _l("the demo data")}
_ACTOR: list[Ref] = []


def register(entity_type: str, fields: dict[str, FieldSpec], *,
             more: Callable[[Iterable[str]], dict[str, FieldSpec]] | None = None) -> None:
    """Register (or extend) the fields of an entity type; ``more`` answers for names that are data."""
    entry = _REGISTRY.setdefault(entity_type, EntityFields({}))
    entry.fields.update(fields)
    if more is not None:
        entry.more = more


def register_actions(labels: dict[str, object]) -> None:
    """What the History sections call an entry's action (``record(..., action, ...)``)."""
    _ACTIONS.update(labels)


def register_actors(ref: Ref | None = None, labels: dict[str, object] | None = None) -> None:
    """How the "who" column names a login (``ref``: the users' table), and the labels of ``acting_as``."""
    if ref is not None:
        _ACTOR[:] = [ref]
    _ACTOR_LABELS.update(labels or {})


def entity_types() -> dict[str, EntityFields]:
    return dict(_REGISTRY)


def fields_of(entity_type: str, names: Iterable[str] = ()) -> dict[str, FieldSpec]:
    """The registered fields of an entity type, with what ``more`` says about the other ``names``."""
    entry = _REGISTRY.get(entity_type)
    if entry is None:
        return {}
    unknown = [name for name in names if name not in entry.fields]
    if unknown and entry.more is not None:
        return {**entry.fields, **entry.more(unknown)}
    return entry.fields


def action_label(action: str) -> str:
    label = _ACTIONS.get(action)
    return str(label) if label is not None else action


def actor_ref() -> Ref | None:
    return _ACTOR[0] if _ACTOR else None


def actor_label(label: str) -> str:
    known = _ACTOR_LABELS.get(label or "system")
    return str(known) if known is not None else label
