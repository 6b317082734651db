"""Reviews pages for ``python -m bench.pages``: campaign progress (+ CSV), review list, a note, a district's
review history, my action items, overdue items, a district's open items.

``seed`` gives every organizational district one signed-off review of the campaign (readiness, checklist
answers), two action items (one overdue) and an invitation to a past session with attendance for most
presidents; rows go in with bulk INSERTs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import url_for

from tracker.attendance.models import Attendance
from tracker.campaigns.models import Campaign
from tracker.directory.models import Person, Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.extensions import db
from tracker.meetings.models import (
    Invitation,
    InvitationKind,
    Meeting,
    MeetingPurpose,
    MeetingSession,
    MeetingStatus,
    SessionKind,
)
from tracker.reviews import operations as ops
from tracker.reviews import queries as q
from tracker.reviews.models import (
    ActionItem,
    ItemStatus,
    NoteStatus,
    ReviewNote,
    ReviewNoteVersion,
    review_note_reviewers,
)
from tracker.timeutil import now_utc, today_local

OFFICE, INCHARGE, PRESIDENT = "bench_office", "bench_incharge", "bench_president"
CAMPAIGN_CODE = "sangathan_srijan"


def campaign() -> Campaign:
    found = db.session.scalar(sa.select(Campaign).where(Campaign.code == CAMPAIGN_CODE))
    if found is None:
        found = Campaign(code=CAMPAIGN_CODE, name_hi="संगठन सृजन अभियान", name_en="Sangathan Srijan Abhiyan",
                         is_active=True)
        db.session.add(found)
        db.session.flush()
    return found


def _reviewer_id() -> int:
    """An in-charge of the directory (the first state's), or a new person."""
    person_id = db.session.scalar(
        sa.select(Post.person_id).join(PostRole, PostRole.id == Post.role_id)
        .where(PostRole.code.in_((RoleCode.STATE_INCHARGE, RoleCode.ORG_INCHARGE))).order_by(Post.id).limit(1)
    )
    if person_id is None:
        person = Person(name_en="Bench Reviewer", name_hi="समीक्षक")
        db.session.add(person)
        db.session.flush()
        person_id = person.id
    return person_id


def seed(districts: int) -> None:
    the_campaign = campaign()
    items = ops.add_standard_checklist(ops.template_for(the_campaign))
    ops.add_standard_categories()
    presidents = q.current_presidents(None)
    unit_ids = list(db.session.scalars(sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT).order_by(Unit.id)))
    now = now_utc()
    _notes(the_campaign, items, unit_ids, presidents, now)
    _items(the_campaign, unit_ids, presidents, now)
    _attendance(unit_ids, presidents, now)


def _answers(items, n: int) -> dict:
    answers = {str(item.id): ("yes" if (n + i) % 3 else "no") for i, item in enumerate(items[:-1])}
    answers[str(items[-1].id)] = 500 + (n * 37) % 2000
    return answers


def _notes(the_campaign, items, unit_ids, presidents, now) -> None:
    reviewed_on = date(2025, 9, 23)
    rows = [
        {"district_unit_id": unit_id, "president_person_id": getattr(presidents.get(unit_id), "id", None),
         "campaign_id": the_campaign.id, "reviewed_on": reviewed_on, "status": NoteStatus.SIGNED_OFF,
         "answers": _answers(items, n), "challenges": f"गुटबाज़ी और संसाधन की कमी ({n})",
         "strategy": "हर ब्लॉक में बैठक", "decisions": "साप्ताहिक समीक्षा", "readiness": 1 + n % 5,
         "private_remark": "", "version": 1, "signed_off_at": now, "created_at": now, "updated_at": now}
        for n, unit_id in enumerate(unit_ids)
    ]
    db.session.execute(sa.insert(ReviewNote), rows)
    note_ids = list(db.session.scalars(  # the notes just made: those without reviewers yet
        sa.select(ReviewNote.id).where(ReviewNote.campaign_id == the_campaign.id,
                                       ReviewNote.id.not_in(sa.select(review_note_reviewers.c.note_id)))
    ))
    reviewer = _reviewer_id()
    db.session.execute(sa.insert(review_note_reviewers), [{"note_id": i, "person_id": reviewer} for i in note_ids])
    db.session.execute(sa.insert(ReviewNoteVersion), [
        {"note_id": i, "number": 1, "snapshot": {"strategy": "हर ब्लॉक में बैठक"}, "created_at": now,
         "created_by_label": "bench"} for i in note_ids
    ])


def _items(the_campaign, unit_ids, presidents, now) -> None:
    today = today_local()
    rows = []
    for unit_id in unit_ids:
        owner = presidents.get(unit_id)
        if owner is None:
            continue
        for title, due in (("बूथ समितियाँ बनाना", today - timedelta(days=5)), ("सदस्यता सूची भेजना", today + timedelta(days=20))):
            rows.append({"title": title, "owner_person_id": owner.id, "due_on": due, "status": ItemStatus.OPEN,
                         "district_unit_id": unit_id, "campaign_id": the_campaign.id, "created_at": now,
                         "updated_at": now})
    if rows:
        db.session.execute(sa.insert(ActionItem), rows)


def _attendance(unit_ids, presidents, now) -> None:
    """A past meeting every president was invited to; two in three came."""
    meeting = Meeting(title_hi="जिला अध्यक्षों की बैठक", title_en="District presidents' meeting",
                      purpose=MeetingPurpose.REVIEW, starts_on=date(2025, 9, 22), ends_on=date(2025, 9, 22),
                      status=MeetingStatus.COMPLETED)
    session = MeetingSession(meeting=meeting, kind=SessionKind.GROUP, starts_at=datetime(2025, 9, 22, 5, 30, tzinfo=UTC),
                             ends_at=datetime(2025, 9, 22, 8, 30, tzinfo=UTC))
    db.session.add_all([meeting, session])
    db.session.flush()
    people = [presidents[u].id for u in unit_ids if u in presidents]
    db.session.execute(sa.insert(Invitation), [
        {"session_id": session.id, "person_id": p, "kind": InvitationKind.INVITEE, "created_at": now, "updated_at": now}
        for p in people
    ])
    db.session.execute(sa.insert(Attendance), [
        {"session_id": session.id, "person_id": p, "status": "present"} for n, p in enumerate(people) if n % 3
    ])


def _first_district_id() -> int:
    return db.session.scalar(sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT).order_by(Unit.id).limit(1))


def pages() -> list[tuple[str, str, str]]:
    the_campaign = campaign()
    district_id = _first_district_id()
    note_id = db.session.scalar(sa.select(ReviewNote.id).where(ReviewNote.district_unit_id == district_id).limit(1))
    return [
        ("reviews.progress", url_for("reviews.progress", campaign_id=the_campaign.id), OFFICE),
        ("reviews.progress_csv", url_for("reviews.progress_csv", campaign_id=the_campaign.id), OFFICE),
        ("reviews.index", url_for("reviews.index"), OFFICE),
        ("reviews.note", url_for("reviews.note", note_id=note_id), INCHARGE),
        ("reviews.district_history", url_for("reviews.district_history", unit_id=district_id), INCHARGE),
        ("reviews.my_items", url_for("reviews.my_items"), PRESIDENT),
        ("reviews.overdue", url_for("reviews.overdue"), OFFICE),
        ("reviews.district_items", url_for("reviews.district_items", unit_id=district_id), OFFICE),
    ]
