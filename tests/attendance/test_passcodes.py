"""Short pass codes: the alphabet, uniqueness within a meeting (constraint and retry), and check-in
by typing the code."""

from __future__ import annotations

from collections import defaultdict

import pytest
import sqlalchemy as sa

from tests.attendance.conftest import build_world
from tests.factories import make_invitation, make_person
from tracker.attendance import passcodes
from tracker.attendance.models import Attendance, AttendanceStatus, PassCode
from tracker.extensions import db

HX = {"HX-Request": "true"}


def _codes(world) -> dict[int, str]:
    return passcodes.codes_for(inv.id for inv in world.invitations)


# --- the alphabet -------------------------------------------------------------------------------


def test_alphabet_has_no_look_alikes_and_codes_have_six_of_its_characters():
    assert not set(passcodes.ALPHABET) & set("0OQD1IL2Z5S6G8BUV")
    assert len(set(passcodes.ALPHABET)) == len(passcodes.ALPHABET) >= 16
    codes = {passcodes.new_code() for _ in range(500)}
    assert all(len(c) == 6 and set(c) <= set(passcodes.ALPHABET) for c in codes)
    assert len(codes) > 490  # random, not a counter


def test_typed_codes_are_normalized_and_recognized():
    assert passcodes.normalize(" ace 34-7 ") == "ACE347"
    assert passcodes.is_code("ACE349") is True
    assert passcodes.is_code("ACE34") is False  # too short
    assert passcodes.is_code("ACE3490") is False  # too long
    assert passcodes.is_code("ACO349") is False  # O is not in the alphabet
    assert passcodes.display("ACE349") == "ACE 349"


# --- made and unique within a meeting -----------------------------------------------------------


def test_assign_gives_every_pass_a_code_unique_within_its_meeting(world):
    made = passcodes.assign(inv.id for inv in world.invitations)
    db.session.commit()
    assert set(made) == {inv.id for inv in world.invitations}
    assert len(set(made.values())) == len(made)
    assert _codes(world) == made
    assert passcodes.assign(inv.id for inv in world.invitations) == {}  # already coded: nothing new


def test_walk_ins_without_a_pass_get_no_code(world):
    walk_in = make_invitation(world.session, make_person(name_en="Walk In"), kind="walk_in", commit=False)
    walk_in.pass_issued_at = None
    db.session.commit()
    assert passcodes.assign([walk_in.id]) == {}


def test_the_database_refuses_a_code_twice_in_a_meeting_but_not_in_another(world):
    passcodes.assign([world.invitations[0].id])
    db.session.commit()
    code = _codes(world)[world.invitations[0].id]
    with pytest.raises(sa.exc.IntegrityError):
        with db.session.begin_nested():
            db.session.add(PassCode(invitation_id=world.invitations[1].id, meeting_id=world.session.meeting_id,
                                    code=code))
            db.session.flush()
    other = build_world(n_people=1, prefix="Other ")
    db.session.add(PassCode(invitation_id=other.invitations[0].id, meeting_id=other.session.meeting_id, code=code))
    db.session.commit()


def test_a_code_already_used_in_the_meeting_is_drawn_again(world, monkeypatch):
    passcodes.assign([world.invitations[0].id])
    taken = _codes(world)[world.invitations[0].id]
    draws = iter([taken, taken, "WXY349"])
    monkeypatch.setattr(passcodes, "new_code", lambda: next(draws))
    assert passcodes.assign([world.invitations[1].id]) == {world.invitations[1].id: "WXY349"}


def test_a_collision_with_a_concurrent_transaction_is_retried(world, monkeypatch):
    """Another transaction took the code after we read the used ones: the insert fails on the unique
    constraint (in a savepoint) and is made again with a fresh code."""
    passcodes.assign([world.invitations[0].id])
    db.session.commit()
    taken = _codes(world)[world.invitations[0].id]
    real_used = passcodes._used_codes
    calls = []

    def stale_then_real(meeting_ids):
        calls.append(1)
        return real_used(meeting_ids) if len(calls) > 1 else defaultdict(set)

    draws = iter([taken, "WXY349"])
    monkeypatch.setattr(passcodes, "_used_codes", stale_then_real)
    monkeypatch.setattr(passcodes, "new_code", lambda: next(draws))
    assert passcodes.assign([world.invitations[1].id]) == {world.invitations[1].id: "WXY349"}
    db.session.commit()
    assert len(calls) == 2
    assert _codes(world)[world.invitations[1].id] == "WXY349"


def test_publishing_a_meeting_gives_its_passes_codes():
    from tests.meetings.conftest import World, group_data, new_meeting
    from tracker.meetings import operations as mops
    from tracker.meetings.models import Invitation

    world = World()
    meeting = new_meeting()
    session = mops.add_session(meeting, group_data(world))
    mops.publish_meeting(meeting)
    db.session.commit()
    ids = db.session.scalars(sa.select(Invitation.id).where(Invitation.session_id == session.id)).all()
    codes = passcodes.codes_for(ids)
    assert ids and set(codes) == set(ids) and len(set(codes.values())) == len(ids)
    assert set(db.session.scalars(sa.select(PassCode.meeting_id).where(PassCode.invitation_id.in_(ids)))) \
        == {meeting.id}


def test_passes_made_after_publication_get_codes_at_once():
    """Every way a pass comes into being after publication gives it a code in the same transaction."""
    from tests.meetings.conftest import World, group_data, new_meeting
    from tracker.meetings import operations as mops
    from tracker.meetings.models import Invitation

    world = World()
    meeting = new_meeting()
    first = mops.add_session(meeting, group_data(world))
    mops.publish_meeting(meeting)
    mops.invite_person(first, world.guest)  # a guest named after publication
    second = mops.add_session(meeting, group_data(world, start=(14, 0), end=(15, 0),
                                                  units=[world.div_b]))  # a session added after it
    mops.update_session(second, {"dais_person_ids": [world.org.id]})  # a person put on the dais
    db.session.commit()
    rows = db.session.execute(sa.select(Invitation.id, Invitation.person_id)
                              .where(Invitation.session_id.in_([first.id, second.id]))).all()
    assert {world.guest.id, world.org.id, world.pb1.id} <= {person for _, person in rows}
    assert set(passcodes.codes_for(i for i, _ in rows)) == {i for i, _ in rows}


# --- check-in by typing the code ----------------------------------------------------------------


def test_check_in_by_typing_the_short_code_any_case_with_spaces(client, auth, world, coordinator):
    made = passcodes.assign(inv.id for inv in world.invitations)
    db.session.commit()
    auth.login("coord")
    url = f"/attendance/sessions/{world.session.id}/scan"
    first, second = world.invitations[:2]
    typed = " " + passcodes.display(made[first.id]).lower() + " "  # " ace 349 "
    answer = client.post(url, data={"code": typed}, headers=HX).get_data(as_text=True)
    assert "att-scan-message is-ok" in answer
    again = client.post(url, data={"code": made[first.id]}, headers=HX).get_data(as_text=True)
    assert "is-repeat" in again
    # the long token still works
    assert "is-ok" in client.post(url, data={"code": second.pass_token}, headers=HX).get_data(as_text=True)
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(Attendance.person_id, Attendance.status)).all())
    assert statuses == {first.person_id: AttendanceStatus.PRESENT, second.person_id: AttendanceStatus.PRESENT}


def test_a_wrong_short_code_says_so_and_marks_nobody(client, auth, world, coordinator):
    passcodes.assign(inv.id for inv in world.invitations)
    other = build_world(n_people=1, prefix="Other ")
    other_code = passcodes.assign([other.invitations[0].id])[other.invitations[0].id]
    db.session.commit()
    auth.login("coord")
    url = f"/attendance/sessions/{world.session.id}/scan"
    used = set(_codes(world).values())
    wrong = next(c for c in ("WXY349", "YXW943", "KMN777") if c not in used and c != other_code)
    answer = client.post(url, data={"code": wrong.lower()}, headers=HX).get_data(as_text=True)
    assert "is-error" in answer and passcodes.display(wrong) in answer
    assert f"इस बैठक के किसी पास का कोड {passcodes.display(wrong)} नहीं है" in answer  # the app's default: Hindi
    # a code of another meeting is not looked up there
    if other_code not in used:
        answer = client.post(url, data={"code": other_code}, headers=HX).get_data(as_text=True)
        assert "is-error" in answer
    as_json = client.post(url, data={"code": wrong}, headers={"Accept": "application/json"})
    assert as_json.status_code == 409 and as_json.get_json()["ok"] is False
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_the_pass_shows_its_short_code(client, auth, world, coordinator):
    made = passcodes.assign(inv.id for inv in world.invitations)
    db.session.commit()
    auth.login("coord")
    page = client.get(f"/attendance/sessions/{world.session.id}/passes").get_data(as_text=True)
    for code in made.values():
        assert passcodes.display(code) in page
    assert "<h1" in page
    single = client.get(f"/attendance/invitations/{world.invitations[0].id}/pass").get_data(as_text=True)
    assert passcodes.display(made[world.invitations[0].id]) in single and "<h1" in single


@pytest.fixture
def writes(app):
    """The SQL statements that write (INSERT/UPDATE/DELETE) while the test runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        if statement.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
            seen.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", listen)


def test_showing_passes_writes_nothing_even_for_a_pass_without_code(client, auth, world, coordinator, writes,
                                                                     caplog):
    """A GET is read-only: codes are made with the passes (publish, invitation added).
    A pass without one (should not happen) shows its long token instead, and a warning is logged."""
    first, *rest = world.invitations
    made = passcodes.assign(inv.id for inv in rest)
    db.session.commit()
    auth.login("coord")
    writes.clear()
    with caplog.at_level("WARNING", logger="tracker.attendance.passcodes"):
        page = client.get(f"/attendance/sessions/{world.session.id}/passes").get_data(as_text=True)
        single = client.get(f"/attendance/invitations/{first.id}/pass").get_data(as_text=True)
    assert writes == []
    db.session.expire_all()
    assert _codes(world) == made  # nothing made on the way
    assert first.pass_token in page and first.pass_token in single
    assert all(passcodes.display(code) in page for code in made.values())
    assert any(f"{first.id}" in r.getMessage() and "without a short code" in r.getMessage()
               for r in caplog.records)
