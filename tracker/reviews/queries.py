"""Read side of reviews: lists (filtered by the policy's SQL twins), campaign progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, selectinload

from tracker import policy
from tracker.attendance.models import Attendance
from tracker.campaigns.models import Campaign
from tracker.core.sql import like
from tracker.directory.models import Person, Post, PostRole, RoleCode, Unit, UnitLevel
from tracker.directory.queries import current_post_clause
from tracker.extensions import db
from tracker.meetings.models import (
    Invitation,
    InvitationKind,
    Meeting,
    MeetingSession,
    SessionKind,
    SessionStatus,
)
from tracker.reviews.models import (
    OPEN_STATUSES,
    ActionItem,
    ChallengeCategory,
    ChecklistItem,
    ChecklistKind,
    ChecklistTemplate,
    NoteStatus,
    ReviewNote,
    answer_is_complete,
)
from tracker.timeutil import now_utc, today_local

# --- one note or item ----------------------------------------------------------------------------


def note_or_404(note_id: int, user, action: str = "review.read") -> ReviewNote:
    """The note, or 404 for anyone who may not see it (existence is not revealed)."""
    note = db.session.scalar(
        sa.select(ReviewNote).where(ReviewNote.id == note_id).options(selectinload(ReviewNote.reviewers))
    )
    if note is None or not policy.can(user, action, note):
        abort(404)
    return note


def item_or_404(item_id: int, user, action: str = "action_item.view") -> ActionItem:
    item = db.session.get(ActionItem, item_id)
    if item is None or not policy.can(user, action, item):
        abort(404)
    return item


# --- directory helpers ---------------------------------------------------------------------------


def _president_posts(on: date):
    return (
        sa.select(Post.unit_id, Post.person_id)
        .join(PostRole, PostRole.id == Post.role_id)
        .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT, current_post_clause(on))
    )


def current_presidents(unit_ids: Iterable[int] | None, on: date | None = None) -> dict[int, Person]:
    """District unit id → its current president, in one query (all districts when ``unit_ids`` is None)."""
    stmt = (
        sa.select(Post.unit_id, Person)
        .join(Person, Person.id == Post.person_id)
        .join(PostRole, PostRole.id == Post.role_id)
        .where(PostRole.code == RoleCode.DISTRICT_PRESIDENT, current_post_clause(on or today_local()))
        .order_by(Post.start_date)
    )
    if unit_ids is not None:
        stmt = stmt.where(Post.unit_id.in_(list(unit_ids)))
    return {unit_id: person for unit_id, person in db.session.execute(stmt)}


def district_people(unit_id: int, on: date | None = None) -> list[Person]:
    """People holding a current post in the district or in one of its blocks (one query)."""
    child_ids = sa.select(Unit.id).where(Unit.parent_id == unit_id).scalar_subquery()
    stmt = (
        sa.select(Person)
        .join(Post, Post.person_id == Person.id)
        .where(sa.or_(Post.unit_id == unit_id, Post.unit_id.in_(child_ids)), current_post_clause(on or today_local()))
        .distinct()
    )
    return list(db.session.scalars(stmt))


def districts(division_id: int | None = None) -> list[Unit]:
    stmt = sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
    if division_id:
        stmt = stmt.where(Unit.parent_id == division_id)
    return list(db.session.scalars(stmt.order_by(Unit.name_en)))


def divisions(state_id: int | None = None) -> list[Unit]:
    stmt = sa.select(Unit).where(Unit.level == UnitLevel.DIVISION, Unit.is_archived.is_(False))
    if state_id:
        stmt = stmt.where(Unit.parent_id == state_id)
    return list(db.session.scalars(stmt.order_by(Unit.name_en)))


def states() -> list[Unit]:
    return list(db.session.scalars(
        sa.select(Unit).where(Unit.level == UnitLevel.STATE, Unit.is_archived.is_(False)).order_by(Unit.id)
    ))


def checklist_items(campaign_id: int | None, include_archived: bool = False) -> list[ChecklistItem]:
    if campaign_id is None:
        return []
    stmt = (
        sa.select(ChecklistItem)
        .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistItem.template_id)
        .where(ChecklistTemplate.campaign_id == campaign_id)
        .order_by(ChecklistItem.position, ChecklistItem.id)
    )
    if not include_archived:
        stmt = stmt.where(ChecklistItem.is_archived.is_(False))
    return list(db.session.scalars(stmt))


def categories(include_archived: bool = False) -> list[ChallengeCategory]:
    stmt = sa.select(ChallengeCategory).order_by(ChallengeCategory.position, ChallengeCategory.id)
    if not include_archived:
        stmt = stmt.where(ChallengeCategory.is_archived.is_(False))
    return list(db.session.scalars(stmt))


# --- notes ---------------------------------------------------------------------------------------


@dataclass
class NoteFilters:
    campaign_id: int | None = None
    division_id: int | None = None
    status: str | None = None
    q: str = ""


def notes_query(user, filters: NoteFilters):
    """Reviews that happened (the list everyone allowed to see it gets); content search only where readable."""
    district = aliased(Unit)
    stmt = (
        sa.select(ReviewNote)
        .join(district, district.id == ReviewNote.district_unit_id)
        .options(selectinload(ReviewNote.reviewers), selectinload(ReviewNote.district))
        .order_by(ReviewNote.reviewed_on.desc(), ReviewNote.id.desc())
    )
    if filters.campaign_id:
        stmt = stmt.where(ReviewNote.campaign_id == filters.campaign_id)
    if filters.division_id:
        stmt = stmt.where(district.parent_id == filters.division_id)
    if filters.status in (NoteStatus.DRAFT.value, NoteStatus.SIGNED_OFF.value):
        stmt = stmt.where(ReviewNote.status == NoteStatus(filters.status))
    if filters.q.strip():
        stmt = stmt.where(_search_clause(user, district, filters.q.strip()))
    return stmt


def _search_clause(user, district, q: str):
    """District name or code for everyone; the note's words only in notes the user may read."""
    by_district = sa.or_(*(like(column, q) for column in (district.name_en, district.name_hi, district.code)))
    by_content = sa.or_(*(
        like(column, q)
        for column in (ReviewNote.challenges, ReviewNote.strategy, ReviewNote.decisions, ReviewNote.private_remark)
    ))
    return sa.or_(by_district, sa.and_(by_content, policy.readable_notes_clause(user)))


@dataclass
class Slot:
    session: MeetingSession
    note: ReviewNote | None


def reviewer_slots(person_id: int, limit: int = 50) -> list[Slot]:
    """One-to-one slots where the person is a reviewer (newest first) with their note, if any."""
    rows = db.session.execute(
        sa.select(MeetingSession, ReviewNote)
        .join(Invitation, Invitation.session_id == MeetingSession.id)
        .outerjoin(ReviewNote, ReviewNote.session_id == MeetingSession.id)
        .where(Invitation.person_id == person_id, Invitation.kind == InvitationKind.REVIEWER,
               MeetingSession.kind == SessionKind.ONE_TO_ONE, MeetingSession.status != SessionStatus.CANCELLED)
        .options(selectinload(MeetingSession.district))
        .order_by(MeetingSession.starts_at.desc())
        .limit(limit)
    ).all()
    return [Slot(session, note) for session, note in rows]


def district_notes(unit_id: int, user) -> list[ReviewNote]:
    """The district's notes that the user may read, oldest first (the printable history)."""
    return list(db.session.scalars(
        sa.select(ReviewNote)
        .where(ReviewNote.district_unit_id == unit_id, policy.readable_notes_clause(user))
        .options(selectinload(ReviewNote.reviewers), selectinload(ReviewNote.categories),
                 selectinload(ReviewNote.action_items).selectinload(ActionItem.owner))
        .order_by(ReviewNote.reviewed_on, ReviewNote.id)
    ))


# --- action items --------------------------------------------------------------------------------


def items_query(user):
    return (
        sa.select(ActionItem)
        .where(policy.visible_items_clause(user))
        .options(selectinload(ActionItem.owner), selectinload(ActionItem.district))
    )


def my_items(person_id: int, include_closed: bool = False) -> list[ActionItem]:
    stmt = (
        sa.select(ActionItem)
        .where(ActionItem.owner_person_id == person_id)
        .options(selectinload(ActionItem.district))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    )
    if not include_closed:
        stmt = stmt.where(ActionItem.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(stmt))


def overdue_items_query(today: date):
    return (
        sa.select(ActionItem)
        .where(ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on < today)
        .options(selectinload(ActionItem.owner), selectinload(ActionItem.district))
        .order_by(ActionItem.due_on, ActionItem.id)
    )


def district_open_items(unit_id: int, user) -> list[ActionItem]:
    return list(db.session.scalars(
        items_query(user)
        .where(ActionItem.district_unit_id == unit_id, ActionItem.status.in_(OPEN_STATUSES))
        .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
    ))


# --- campaign progress ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRef:
    """The few columns of a district the progress table needs (no ORM object per row)."""

    id: int
    code: str
    name_hi: str
    name_en: str


@dataclass
class ProgressRow:
    district: DistrictRef
    division_name_hi: str
    division_name_en: str
    division_id: int | None
    readiness: int | None = None
    checklist_pct: int | None = None
    open_items: int = 0
    overdue_items: int = 0
    attendance_pct: int | None = None
    reviewed_on: date | None = None


def campaign_progress(campaign: Campaign, division_id: int | None = None,
                      state_id: int | None = None) -> list[ProgressRow]:
    """One row per organizational district (of one state, when given: a state office's own districts),
    in a fixed number of queries whatever the number of districts."""
    division = aliased(Unit)
    stmt = (
        sa.select(Unit.id, Unit.code, Unit.name_hi, Unit.name_en, division.id, division.name_hi, division.name_en)
        .outerjoin(division, division.id == Unit.parent_id)
        .where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
    )
    if division_id:
        stmt = stmt.where(Unit.parent_id == division_id)
    if state_id:
        stmt = stmt.where(division.parent_id == state_id)
    rows = {
        unit_id: ProgressRow(DistrictRef(unit_id, code, name_hi, name_en), div_hi or "", div_en or "", div_id)
        for unit_id, code, name_hi, name_en, div_id, div_hi, div_en in db.session.execute(stmt)
    }
    _fill_latest_notes(rows, campaign)
    _fill_item_counts(rows, campaign)
    _fill_attendance(rows)
    return list(rows.values())


def _fill_latest_notes(rows: dict[int, ProgressRow], campaign: Campaign) -> None:
    ranked = (
        sa.select(
            ReviewNote.district_unit_id, ReviewNote.readiness, ReviewNote.answers, ReviewNote.reviewed_on,
            sa.func.row_number().over(
                partition_by=ReviewNote.district_unit_id,
                order_by=(ReviewNote.reviewed_on.desc(), ReviewNote.id.desc()),
            ).label("rank"),
        )
        .where(ReviewNote.campaign_id == campaign.id, ReviewNote.status == NoteStatus.SIGNED_OFF,
               ReviewNote.district_unit_id.in_(list(rows)))
        .subquery()
    )
    keys = [(str(item.id), item.kind) for item in checklist_items(campaign.id)]
    for unit_id, readiness, answers, reviewed_on, _rank in db.session.execute(
        sa.select(ranked).where(ranked.c.rank == 1)
    ):
        row = rows.get(unit_id)
        if row is None:
            continue
        row.readiness = readiness
        row.reviewed_on = reviewed_on
        row.checklist_pct = checklist_completion(keys, answers or {})


def checklist_completion(keys: list[tuple[str, ChecklistKind]], answers: dict) -> int | None:
    """Percentage of the checklist in place; ``keys`` are (str(item id), kind) of the active items."""
    if not keys:
        return None
    done = sum(1 for key, kind in keys if answer_is_complete(kind, answers.get(key)))
    return round(100 * done / len(keys))


def _fill_item_counts(rows: dict[int, ProgressRow], campaign: Campaign) -> None:
    today = today_local()
    is_open = ActionItem.status.in_(OPEN_STATUSES)
    overdue = sa.and_(is_open, ActionItem.due_on < today)
    stmt = (
        sa.select(
            ActionItem.district_unit_id,
            sa.func.sum(sa.case((is_open, 1), else_=0)),
            sa.func.sum(sa.case((overdue, 1), else_=0)),
        )
        .where(ActionItem.campaign_id == campaign.id, ActionItem.district_unit_id.in_(list(rows)))
        .group_by(ActionItem.district_unit_id)
    )
    for unit_id, open_count, overdue_count in db.session.execute(stmt):
        row = rows.get(unit_id)
        if row is not None:
            row.open_items = int(open_count or 0)
            row.overdue_items = int(overdue_count or 0)


ATTENDED = ("present", "late", "represented")


def _fill_attendance(rows: dict[int, ProgressRow]) -> None:
    """Rate = sessions attended (present, late, represented) / past sessions the president was invited to."""
    presidents = _president_posts(today_local()).subquery()
    attended = sa.and_(Attendance.id.is_not(None), sa.cast(Attendance.status, sa.String).in_(ATTENDED))
    stmt = (
        sa.select(presidents.c.unit_id, sa.func.count(Invitation.id), sa.func.sum(sa.case((attended, 1), else_=0)))
        .join(Invitation, Invitation.person_id == presidents.c.person_id)
        .join(MeetingSession, MeetingSession.id == Invitation.session_id)
        .join(Meeting, Meeting.id == MeetingSession.meeting_id)
        .outerjoin(Attendance, sa.and_(Attendance.session_id == Invitation.session_id,
                                       Attendance.person_id == Invitation.person_id))
        .where(MeetingSession.starts_at <= now_utc(), MeetingSession.status != SessionStatus.CANCELLED,
               presidents.c.unit_id.in_(list(rows)))
        .group_by(presidents.c.unit_id)
    )
    for unit_id, invited, came in db.session.execute(stmt):
        row = rows.get(unit_id)
        if row is not None and invited:
            row.attendance_pct = round(100 * int(came or 0) / invited)


SORT_KEYS = {
    "district": lambda r: r.district.name_en.lower(),
    "division": lambda r: (r.division_name_en.lower(), r.district.name_en.lower()),
    "readiness": lambda r: r.readiness,
    "checklist": lambda r: r.checklist_pct,
    "open": lambda r: r.open_items,
    "overdue": lambda r: r.overdue_items,
    "attendance": lambda r: r.attendance_pct,
}


def sort_rows(rows: list[ProgressRow], key: str, direction: str) -> list[ProgressRow]:
    """Sort by a column; rows without a value always go last."""
    getter = SORT_KEYS.get(key, SORT_KEYS["division"])
    present = [r for r in rows if getter(r) is not None]
    missing = [r for r in rows if getter(r) is None]
    present.sort(key=getter, reverse=direction == "desc")
    missing.sort(key=SORT_KEYS["division"])
    return present + missing


@dataclass
class DivisionReadiness:
    name_hi: str
    name_en: str
    average: float | None
    rated: int
    total: int


def readiness_by_division(rows: list[ProgressRow]) -> list[DivisionReadiness]:
    groups: dict[int | None, list[ProgressRow]] = {}
    for row in rows:
        groups.setdefault(row.division_id, []).append(row)
    out = []
    for group in groups.values():
        ratings = [r.readiness for r in group if r.readiness is not None]
        out.append(DivisionReadiness(
            group[0].division_name_hi, group[0].division_name_en,
            round(sum(ratings) / len(ratings), 1) if ratings else None, len(ratings), len(group),
        ))
    return sorted(out, key=lambda d: d.name_en.lower())


def previous_review_on(note) -> date | None:
    """The date of the district's review before this note's (what happened "since the last review" starts
    there): one query."""
    return db.session.scalar(
        sa.select(sa.func.max(ReviewNote.reviewed_on))
        .where(ReviewNote.district_unit_id == note.district_unit_id, ReviewNote.id != note.id,
               ReviewNote.reviewed_on <= note.reviewed_on))
