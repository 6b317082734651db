"""The planner's rooms are codes (``hall``, ``room_1`` …): stored as such, named in the reader's
language, typed back in either language, and the data migration that turned the names saved before
into codes (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.engine import make_url

from tests.factories import make_meeting, make_session
from tests.meetings.conftest import group_data, new_meeting
from tracker.extensions import db
from tracker.meetings import operations as ops
from tracker.meetings.models import MeetingSession
from tracker.meetings.rooms import room_code, room_label

EN = {"Accept-Language": "en"}


def test_rooms_are_named_in_the_readers_language():
    for language, hall, room in (("en", "Hall", "Room 2"), ("hi", "सभागार", "कक्ष 2")):
        with force_locale(language):
            assert (room_label("hall"), room_label("room_2")) == (hall, room)
            assert room_label("Conference room") == "Conference room" and room_label("") == ""


@pytest.mark.parametrize(("typed", "stored"), [
    ("Hall", "hall"), ("  hall ", "hall"), ("सभागार", "hall"), ("Room 2", "room_2"), ("room 12", "room_12"),
    ("कक्ष 3", "room_3"), ("room_4", "room_4"), ("Hall 2", "Hall 2"), ("Room A", "Room A"), ("", ""),
])
def test_a_typed_room_is_stored_as_the_code_it_names(typed, stored):
    assert room_code(typed) == stored


def test_the_session_form_shows_the_room_by_name_and_keeps_its_code(world, office, client):
    meeting = new_meeting()
    session = ops.add_session(meeting, group_data(world, room="hall"))
    db.session.commit()
    page = client.get(f"/meetings/sessions/{session.id}/edit", headers=EN).get_data(as_text=True)
    assert 'name="room" type="text" value="Hall"' in page
    client.post("/locale", data={"locale": "hi"})
    hindi = client.get(f"/meetings/sessions/{session.id}/edit").get_data(as_text=True)
    assert 'name="room" type="text" value="सभागार"' in hindi
    assert "<dd>सभागार" in client.get(f"/meetings/sessions/{session.id}").get_data(as_text=True)
    form = {"kind": "group", "title_en": "Group", "title_hi": "समूह", "day": "2025-09-22", "start": "11:00",
            "end": "13:00", "room": "कक्ष 2", "covered_unit_ids": [str(world.div_a.id)], "chair": f"#{world.si.id}"}
    assert client.post(f"/meetings/sessions/{session.id}/edit", data=form).status_code == 302
    db.session.refresh(session)
    assert session.room == "room_2"


# --- the migration --------------------------------------------------------------------------------


@pytest.fixture
def scratch_url(database_url, tmp_path):
    """An empty database of the kind the suite runs on: a file on SQLite, a new database on PostgreSQL."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    name = f"tracker_rooms_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


SAVED = {  # as sessions were saved before (in Hindi or in English) -> after the migration
    "सभागार": "hall", "Hall": "hall", "कक्ष 1": "room_1", "Room 1": "room_1", "कक्ष 12": "room_12",
    "Room 3": "room_3", "Hall 2": "Hall 2", "Room A": "Room A", "": "",
}


def test_the_migration_turns_saved_room_names_into_codes(scratch_url):
    from alembic.script import ScriptDirectory
    from flask import current_app
    from flask_migrate import downgrade, upgrade

    from tracker import create_app

    config = current_app.extensions["migrate"].migrate.get_config()
    before = ScriptDirectory.from_config(config).get_revision("0002_room_codes").down_revision
    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": scratch_url, "SECRET_KEY": "x"})
    with scratch.app_context():
        upgrade(revision=before)
        try:
            meeting = make_meeting(commit=False)
            start = datetime(2025, 9, 22, 5, 30, tzinfo=UTC)
            ids = {name: make_session(meeting, starts_at=start + timedelta(hours=k), minutes=30, room=name,
                                      commit=False).id for k, name in enumerate(SAVED)}
            db.session.commit()

            def rooms():
                found = dict(db.session.execute(sa.select(MeetingSession.id, MeetingSession.room)).all())
                db.session.rollback()  # end the read before the next migration takes the database
                return {name: found[i] for name, i in ids.items()}

            upgrade(revision="heads")
            assert rooms() == SAVED
            downgrade(revision=before)
            english = {"hall": "Hall", "room_1": "Room 1", "room_12": "Room 12", "room_3": "Room 3"}
            assert rooms() == {name: english.get(code, code) for name, code in SAVED.items()}
        finally:
            db.session.remove()
            db.engine.dispose()
