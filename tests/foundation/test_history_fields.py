"""One mechanism shows every History section (tracker.audit.fields): each field the app can record has a
label and a decision how its values read, so no new column or recorded field can reach a page raw; ids
become names in one query per referenced table, whatever the length of the trail."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import make_meeting, make_person, make_session, make_unit, make_user
from tests.querycount import count_queries
from tracker.audit import fields as registry
from tracker.audit.fields import Ref, Shower
from tracker.audit.models import AuditEntry
from tracker.audit.operations import Audited, acting_as, record
from tracker.audit.queries import history
from tracker.extensions import db

PACKAGE = Path(__file__).resolve().parents[2] / "tracker"


def _audited_columns() -> dict[str, set[str]]:
    """Entity type → the columns the audit trail records of it (tracker.audit.operations._column_changes)."""
    out: dict[str, set[str]] = {}
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if not issubclass(cls, Audited):
            continue
        exclude = set(getattr(cls, "__audit_exclude__", ()))
        out[cls.__tablename__] = {attr.key for attr in mapper.column_attrs if attr.key not in exclude | {"id"}}
    return out


def _record_calls() -> list[tuple[str, str, str | None, list[str]]]:
    """Every ``record(session, entity, id, action, {field: ...})`` in tracker/: (where, entity, action, fields)
    for the calls whose entity is a string or a model's ``__tablename__`` (fields: the literal keys)."""
    tables = {mapper.class_.__name__: mapper.class_.__tablename__ for mapper in db.Model.registry.mappers}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "record"
                    and len(node.args) >= 4):
                continue
            entity = node.args[1]
            if isinstance(entity, ast.Constant):
                name = entity.value
            elif isinstance(entity, ast.Attribute) and entity.attr == "__tablename__":
                name = tables[entity.value.id]
            else:
                continue
            actions = [a.value for a in ast.walk(node.args[3]) if isinstance(a, ast.Constant)]
            changes = node.args[4] if len(node.args) > 4 else None
            keys = [k.value for k in changes.keys if isinstance(k, ast.Constant)] if isinstance(changes, ast.Dict) \
                else []
            where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
            found += [(where, name, action, keys) for action in actions or [None]]
    return found


def unregistered(recorded: dict[str, set[str]]) -> list[str]:
    """``entity.field`` of every recorded field that has no label and shower."""
    missing = []
    for entity, names in sorted(recorded.items()):
        specs = registry.fields_of(entity, names)
        missing += [f"{entity}.{name}" for name in sorted(names)
                    if name not in specs or not isinstance(specs[name][1], Shower | Ref)]
    return missing


def test_every_audited_column_has_a_label_and_a_shower(app):
    columns = _audited_columns()
    assert {"units", "people", "posts", "meetings", "meeting_sessions", "attendance", "review_notes",
            "users", "api_tokens"} <= columns.keys()
    assert unregistered(columns) == []


def test_every_field_a_custom_event_records_is_registered(app):
    calls = _record_calls()
    assert len(calls) >= 15  # the scan sees the calls
    recorded: dict[str, set[str]] = {}
    for _where, entity, _action, keys in calls:
        recorded.setdefault(entity, set()).update(keys)
    assert unregistered(recorded) == []
    unnamed = [f"{where}: {action}" for where, _entity, action, _keys in calls
               if action is not None and registry.action_label(action) == action]
    assert unnamed == []


def test_a_new_column_or_field_fails_the_check(app):
    assert unregistered({"units": {"name_en", "motto"}, "rooms": {"name"}}) == ["rooms.name", "units.motto"]


def test_every_label_and_title_is_translated(app):
    untranslated = []
    for entity, entry in registry.entity_types().items():
        for name, (label, _shower) in entry.fields.items():
            with force_locale("hi"):
                hindi = str(label)
            with force_locale("en"):
                english = str(label)
            if hindi == english or not re.search("[\u0900-\u097f]", hindi):
                untranslated.append(f"{entity}.{name}: {english}")
    assert untranslated == []


def _long_trail(length: int, tag: str = "a"):
    """A session whose chair and district change ``length`` times, by logins with and without a person."""
    session = make_session(make_meeting())
    people = [make_person(f"Chair {tag}{i}", f"अध्यक्ष {tag}{i}") for i in range(4)]
    units = [make_unit("district", name_en=f"District {tag}{i}", name_hi=f"जिला {tag}{i}") for i in range(4)]
    users = [make_user("office", f"office_{tag}{i}", person=people[i] if i % 2 else None) for i in range(3)]
    db.session.commit()
    for step in range(length):
        with acting_as(users[step % len(users)]):
            session.chair_person_id = people[step % len(people)].id
            session.district_unit_id = units[step % len(units)].id
            session.room = "hall" if step % 2 else "room_2"
            db.session.flush()
    db.session.commit()
    return session, people, users


def _history_queries(session) -> int:
    session_id = session.id
    db.session.expunge_all()
    with force_locale("en"), count_queries() as counter:
        history("meeting_sessions", session_id)
    return counter.count


@pytest.mark.parametrize("length", [3, 60])
def test_ids_become_names_in_one_query_per_table(app, length):
    session, people, users = _long_trail(length)
    session_id, people, users = session.id, [(p.id, p.name_hi) for p in people], [(u.username, u.full_name) for u in users]
    # the trail, then people, units, meetings (the create entry), and the logins that acted
    assert _history_queries(session) <= 5
    with force_locale("hi"):
        entries = history("meeting_sessions", session_id)
    shown = {value for entry in entries for _f, old, new in entry.changes for value in (old, new)}
    assert {"अध्यक्ष a0", "अध्यक्ष a2", "जिला a1"} <= shown and "सभागार" in shown
    assert not {str(person_id) for person_id, _name in people} & shown
    who = {entry.user_display for entry in entries}
    assert "अध्यक्ष a1" in who  # the login's person, by name
    assert users[0][0] in who or users[0][1] in who  # a login with no person: its own name


def test_the_count_stays_flat_with_the_length_of_the_trail(app):
    short, *_ = _long_trail(3)
    small = _history_queries(short)
    long, *_ = _long_trail(80, "b")
    assert _history_queries(long) == small


def test_a_deleted_record_is_named_as_such_never_by_a_bare_id(app):
    session = make_session(make_meeting())
    chair = make_person("Harish Chaudhary", "हरीश चौधरी")
    db.session.commit()
    record(db.session, "meeting_sessions", session.id, "update", {"chair_person_id": [chair.id, 987654]})
    db.session.commit()
    with force_locale("en"):
        (change,) = [c for e in history("meeting_sessions", session.id) if e.action == "update" for c in e.changes]
    assert change == ("Chair", "Harish Chaudhary", "deleted person #987654")
    with force_locale("hi"):
        (change,) = [c for e in history("meeting_sessions", session.id) if e.action == "update" for c in e.changes]
    assert change[1] == "हरीश चौधरी" and "987654" in change[2] and re.search("[\u0900-\u097f]", change[2])


def test_older_entries_that_recorded_names_show_them_as_recorded(app):
    from tracker.directory.operations import ensure_standard_roles

    ensure_standard_roles()
    unit = make_unit("district", name_en="Sehore", name_hi="सीहोर")
    holder = make_person("Mohan Verma", "मोहन वर्मा")
    db.session.commit()
    record(db.session, "units", unit.id, "update", {"district_president": ["Praveen Saxena", [holder.id]]})
    db.session.commit()
    with force_locale("hi"):
        changes = [c for e in history("units", unit.id) if e.action == "update" for c in e.changes]
    assert changes == [("जिला अध्यक्ष", "Praveen Saxena", "मोहन वर्मा")]


def test_values_read_as_people_know_them(app):
    person = make_person("Mohan Verma", "मोहन वर्मा", mobile="9425000071")
    db.session.commit()
    record(db.session, "people", person.id, "update", {
        "preferred_locale": ["hi", "en"], "preferred_channel": ["sms", "whatsapp"], "is_archived": [False, True]})
    db.session.commit()
    with force_locale("en"):
        changes = {f: (old, new) for e in history("people", person.id) if e.action == "update" for f, old, new in e.changes}
    assert changes == {"Preferred language": ("Hindi", "English"), "Preferred channel": ("SMS", "WhatsApp"),
                       "Archived": ("No", "Yes")}


@pytest.mark.slow
def test_every_field_the_living_demo_records_is_registered(app):
    from tracker import demo as living_demo

    living_demo.load_demo()
    living_demo.load_meetings(date(2026, 3, 2))
    db.session.commit()
    recorded: dict[str, set[str]] = {}
    actions = set()
    for entity, action, changes in db.session.execute(
            sa.select(AuditEntry.entity_type, AuditEntry.action, AuditEntry.changes)):
        recorded.setdefault(entity, set()).update(changes)
        actions.add(action)
    assert len(recorded) >= 10
    assert unregistered(recorded) == []
    assert [a for a in actions if registry.action_label(a) == a] == []
