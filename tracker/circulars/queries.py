"""The read side of circulars: lists, the status table, a president's open circulars and the overdue counts
(each a fixed number of queries, whatever the number of districts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from tracker import policy
from tracker.circulars.models import (
    ANSWER_OWNER_KIND,
    AnswerKind,
    Circular,
    CircularRecipient,
    RecipientState,
)
from tracker.core.pagination import Page, paginate
from tracker.directory.models import Post, PostRole, Unit, UnitLevel
from tracker.directory.queries import current_post_clause
from tracker.extensions import db
from tracker.uploads import operations as uploads

PER_PAGE = 25


def _done():
    return CircularRecipient.completed_at.is_not(None)


def circulars_page(user, number: int) -> Page:
    """The circulars the user may follow, newest first (two queries), and :func:`progress_of` for them."""
    query = (sa.select(Circular).where(policy.visible_circulars_clause(user))
             .order_by(Circular.sent_at.desc(), Circular.id.desc()))
    return paginate(query, number, PER_PAGE)


def progress_of(circular_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(recipients, done) per circular: one query."""
    if not circular_ids:
        return {}
    rows = db.session.execute(
        sa.select(CircularRecipient.circular_id, sa.func.count(),
                  sa.func.count(CircularRecipient.completed_at))
        .where(CircularRecipient.circular_id.in_(circular_ids)).group_by(CircularRecipient.circular_id))
    return {row[0]: (row[1], row[2]) for row in rows}


@dataclass
class StatusTable:
    circular: Circular
    rows: list[CircularRecipient]
    counts: dict[RecipientState, int]
    done: int
    overdue: int

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def waiting(self) -> int:
        return self.total - self.done


def status_table(circular: Circular, today: date) -> StatusTable:
    """Every recipient district with its president (at send time) and its answer: one query."""
    rows = list(db.session.scalars(
        sa.select(CircularRecipient).where(CircularRecipient.circular_id == circular.id)
        .join(Unit, CircularRecipient.district_unit_id == Unit.id)
        .options(joinedload(CircularRecipient.district), joinedload(CircularRecipient.president))
        .order_by(Unit.name_en, CircularRecipient.id)))
    for row in rows:  # the circular is known: no query per row
        row.circular = circular
    counts = dict.fromkeys(RecipientState, 0)
    for row in rows:
        counts[row.state] += 1
    done = sum(row.is_done for row in rows)
    overdue = sum(row.is_overdue(today) for row in rows)
    return StatusTable(circular, rows, counts, done, overdue)


STATUS_PER_PAGE = 100


@dataclass
class StatusPage:
    """The status table as the sender's page shows it: the counts of every recipient, one page of the rows."""

    circular: Circular
    page: Page
    counts: dict[RecipientState, int]
    done: int
    overdue: int
    total: int
    files: dict = field(default_factory=dict)  # recipient id -> its answer's files (a circular expecting a file)

    @property
    def rows(self) -> list[CircularRecipient]:
        return self.page.items

    @property
    def waiting(self) -> int:
        return self.total - self.done

    @property
    def silent(self) -> int:
        """The districts that have neither acknowledged nor answered: those "remind" writes to."""
        return self.counts[RecipientState.NOT_READ] + self.counts[RecipientState.READ]


def status_page(circular: Circular, today: date, number: int, per_page: int = STATUS_PER_PAGE) -> StatusPage:
    """The counts (one aggregate query) and one page of the recipients (two queries), whatever the number of
    districts the circular went to."""
    r = CircularRecipient
    answered = r.answered_at.is_not(None)
    acknowledged = sa.and_(r.acknowledged_at.is_not(None), r.answered_at.is_(None))
    read = sa.and_(r.read_at.is_not(None), r.acknowledged_at.is_(None), r.answered_at.is_(None))
    total, n_answered, n_acknowledged, n_read, done = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.case((answered, 1))), sa.func.count(sa.case((acknowledged, 1))),
                  sa.func.count(sa.case((read, 1))), sa.func.count(r.completed_at))
        .where(r.circular_id == circular.id)).one()
    counts = {RecipientState.NOT_READ: total - n_answered - n_acknowledged - n_read, RecipientState.READ: n_read,
              RecipientState.ACKNOWLEDGED: n_acknowledged, RecipientState.ANSWERED: n_answered}
    query = (sa.select(r).where(r.circular_id == circular.id)
             .join(Unit, r.district_unit_id == Unit.id)
             .options(joinedload(r.district), joinedload(r.president))
             .order_by(Unit.name_en, r.id))
    page = paginate(query, number, per_page)
    for row in page.items:  # the circular is known: no query per row
        row.circular = circular
    overdue = total - done if circular.is_overdue(today) else 0
    files = {}
    if circular.answer_kind == AnswerKind.FILE:  # one more query, whatever the number of rows
        files = uploads.files_of(ANSWER_OWNER_KIND, [row.id for row in page.items])
    return StatusPage(circular, page, counts, done, overdue, total, files)


def open_recipients(user, limit: int | None = None) -> list[CircularRecipient]:
    """The circulars sent to the districts the user presides over that are not done yet, soonest due
    first (one query)."""
    query = (sa.select(CircularRecipient).join(Circular)
             .where(policy.own_circular_recipients_clause(user), CircularRecipient.completed_at.is_(None))
             .options(joinedload(CircularRecipient.circular), joinedload(CircularRecipient.district))
             .order_by(Circular.due_on, Circular.id))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def recipients_of_person(person_id: int, *, open_only: bool = True) -> list[CircularRecipient]:
    """The circulars of the districts the person presides over today (their personal link's page)."""
    query = (sa.select(CircularRecipient).join(Circular)
             .where(CircularRecipient.district_unit_id.in_(policy.presided_districts_select(person_id)))
             .options(joinedload(CircularRecipient.circular), joinedload(CircularRecipient.district))
             .order_by(Circular.due_on, Circular.id))
    if open_only:
        query = query.where(CircularRecipient.completed_at.is_(None))
    return list(db.session.scalars(query))


def recipient_for(user, circular_id: int) -> CircularRecipient | None:
    """The user's own recipient row of a circular (None: not sent to a district they preside over)."""
    return db.session.scalar(
        sa.select(CircularRecipient)
        .where(CircularRecipient.circular_id == circular_id, policy.own_circular_recipients_clause(user))
        .options(joinedload(CircularRecipient.circular), joinedload(CircularRecipient.district)).limit(1))


def recipient_for_person(person_id: int, circular_id: int) -> CircularRecipient | None:
    return db.session.scalar(
        sa.select(CircularRecipient)
        .where(CircularRecipient.circular_id == circular_id,
               CircularRecipient.district_unit_id.in_(policy.presided_districts_select(person_id)))
        .options(joinedload(CircularRecipient.circular), joinedload(CircularRecipient.district)).limit(1))


def silent_recipients(circular: Circular) -> list[CircularRecipient]:
    """The recipients who have neither acknowledged nor answered (an answer acknowledges too; one query).
    Those who acknowledged a circular that wants an answer but have not answered yet are not among them."""
    return list(db.session.scalars(
        sa.select(CircularRecipient)
        .where(CircularRecipient.circular_id == circular.id, CircularRecipient.acknowledged_at.is_(None))
        .order_by(CircularRecipient.id)))


def overdue_circulars_by_district(district_ids, today: date) -> dict[int, int]:
    """Per district (of ``district_ids``), how many circulars it has left unanswered past their due date
    (only districts with at least one; one query). The red flags read this."""
    ids = list(district_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(CircularRecipient.district_unit_id, sa.func.count())
        .join(Circular, CircularRecipient.circular_id == Circular.id)
        .where(CircularRecipient.district_unit_id.in_(ids), CircularRecipient.completed_at.is_(None),
               Circular.due_on < today)
        .group_by(CircularRecipient.district_unit_id))
    return {row[0]: row[1] for row in rows}


# --- choosing the districts --------------------------------------------------------------------


def districts(ids=None, *, division_id: int | None = None, within=None) -> list[Unit]:
    """The live districts: all of them, a division's, or those of ``ids``; ``within``: a select of the ids
    the sender may reach (an in-charge's area). One query."""
    query = sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
    if ids is not None:
        query = query.where(Unit.id.in_(list(ids)))
    if division_id is not None:
        query = query.where(Unit.parent_id == division_id)
    if within is not None:
        query = query.where(Unit.id.in_(within))
    return list(db.session.scalars(query.order_by(Unit.name_en)))


def divisions(within=None) -> list[Unit]:
    """The divisions (with at least one district the sender may reach, when ``within`` is given)."""
    query = sa.select(Unit).where(Unit.level == UnitLevel.DIVISION, Unit.is_archived.is_(False))
    if within is not None:
        query = query.where(Unit.id.in_(sa.select(Unit.parent_id).where(Unit.id.in_(within))))
    return list(db.session.scalars(query.order_by(Unit.name_en)))


def presidents_of(district_ids: list[int], on: date) -> dict[int, object]:
    """The president of each district on a date (the latest appointed if several): one query."""
    if not district_ids:
        return {}
    posts = db.session.scalars(
        sa.select(Post).join(PostRole, Post.role_id == PostRole.id)
        .where(PostRole.code == "district_president", Post.unit_id.in_(district_ids), current_post_clause(on))
        .options(selectinload(Post.person)).order_by(Post.start_date, Post.id))
    return {post.unit_id: post.person for post in posts}
