"""A district's heartbeat and its red flags, computed from what it did (nothing is stored): a flag clears itself
the moment the district acts.

Each reason has a *source*: one grouped query over all the districts asked for, so that a page shows the flags
of 70 or 1,000 districts with the same number of queries. The sources below read the programme reports, the
circulars and the action items (``SOURCES``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker import policy
from tracker.circulars.models import Circular, CircularRecipient
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.flags.models import DEFAULT_QUIET_DAYS, FlagReason, FlagSettings
from tracker.i18n import _, fmt_date, ngettext
from tracker.reports.models import ProgrammeReport
from tracker.reviews.models import OPEN_STATUSES, ActionItem


@dataclass(frozen=True)
class Reason:
    kind: FlagReason
    count: int = 0
    since: date | None = None  # the oldest due date (or the last report's date)

    @property
    def text(self) -> str:
        """What the flag says, in the reader's language."""
        if self.kind == FlagReason.ACTIONS_OVERDUE:
            return ngettext("%(num)s action item overdue, the oldest due %(date)s",
                            "%(num)s action items overdue, the oldest due %(date)s",
                            self.count, date=fmt_date(self.since, "medium"))
        if self.kind == FlagReason.CIRCULARS_OVERDUE:
            return ngettext("%(num)s circular unanswered past its due date (%(date)s)",
                            "%(num)s circulars unanswered past their due date, the oldest due %(date)s",
                            self.count, date=fmt_date(self.since, "medium"))
        if self.since is None:
            return _("No programme reported yet")
        return _("No programme reported since %(date)s", date=fmt_date(self.since, "medium"))


@dataclass
class DistrictFlag:
    district: Unit
    reasons: list[Reason] = field(default_factory=list)

    @property
    def division(self) -> Unit | None:
        return self.district.parent

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def summary(self) -> str:
        return "; ".join(reason.text for reason in self.reasons)


# A source: ``(today, quiet_days) -> select`` of the rows (district_id, kind, count, since) of the districts it
# flags, one row per district (grouped in SQL).
Source = Callable[[date, int], sa.Select]


def _overdue_items(today: date, quiet_days: int) -> sa.Select:
    """Open action items of a district past their due date: how many, and the oldest due date."""
    return (sa.select(ActionItem.district_unit_id.label("district_id"),
                      sa.literal(FlagReason.ACTIONS_OVERDUE.value, sa.String).label("kind"),
                      sa.func.count().label("count"), sa.func.min(ActionItem.due_on).label("since"))
            .where(ActionItem.district_unit_id.is_not(None), ActionItem.status.in_(OPEN_STATUSES),
                   ActionItem.due_on < today)
            .group_by(ActionItem.district_unit_id))


def _overdue_circulars(today: date, quiet_days: int) -> sa.Select:
    """Circulars a district has not completed (acknowledged or answered as asked) past their due date."""
    return (sa.select(CircularRecipient.district_unit_id.label("district_id"),
                      sa.literal(FlagReason.CIRCULARS_OVERDUE.value, sa.String).label("kind"),
                      sa.func.count().label("count"), sa.func.min(Circular.due_on).label("since"))
            .join(Circular, CircularRecipient.circular_id == Circular.id)
            .where(CircularRecipient.completed_at.is_(None), Circular.due_on < today)
            .group_by(CircularRecipient.district_unit_id))


def _no_report(today: date, quiet_days: int) -> sa.Select:
    """Districts whose last programme was held more than ``quiet_days`` ago. A district that never reported
    counts from the state's first report (before any district reports, the office is not collecting them yet,
    and nobody is flagged for it)."""
    last = (sa.select(ProgrammeReport.district_unit_id.label("district_id"),
                      sa.func.max(ProgrammeReport.held_on).label("last"))
            .group_by(ProgrammeReport.district_unit_id).subquery())
    began = sa.select(sa.func.min(ProgrammeReport.held_on)).scalar_subquery()
    return (sa.select(Unit.id.label("district_id"), sa.literal(FlagReason.NO_REPORT.value, sa.String).label("kind"),
                      sa.literal(0, sa.Integer).label("count"), last.c.last.label("since"))
            .outerjoin(last, last.c.district_id == Unit.id)
            .where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False),
                   sa.func.coalesce(last.c.last, began) < today - timedelta(days=quiet_days)))


SOURCES: list[Source] = [_no_report, _overdue_circulars, _overdue_items]


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def quiet_days() -> int:
    value = db.session.scalar(sa.select(FlagSettings.quiet_days).order_by(FlagSettings.id).limit(1))
    return value if value is not None else DEFAULT_QUIET_DAYS


def settings_row() -> FlagSettings | None:
    return db.session.scalars(sa.select(FlagSettings).order_by(FlagSettings.id).limit(1)).first()


def _visible_districts(user, division_id: int | None, district_ids: Sequence[int] | None) -> sa.Select:
    query = sa.select(Unit.id).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
    if user is not None:
        query = query.where(policy.flag_districts_clause(user))
    if division_id is not None:
        query = query.where(Unit.parent_id == division_id)
    if district_ids is not None:
        query = query.where(Unit.id.in_(list(district_ids)))
    return query


def _reasons(visible: sa.Select, today: date) -> sa.Subquery:
    """Every reason of every district in ``visible``: the sources' rows, one query's subquery."""
    days = quiet_days()
    parts = [source(today, days).subquery() for source in SOURCES]
    return sa.union_all(*[
        sa.select(part.c.district_id, part.c.kind, part.c.count, part.c.since).where(part.c.district_id.in_(visible))
        for part in parts
    ]).subquery("reasons")


@dataclass(frozen=True)
class FlaggedPage:
    flags: list[DistrictFlag]
    total: int  # flagged districts in all


def flagged_districts(user, today: date, *, division_id: int | None = None,
                      district_ids: Sequence[int] | None = None, limit: int | None = None,
                      offset: int = 0) -> FlaggedPage:
    """The flagged districts the user may see (all of them for ``user`` None: the digest), the most flagged first,
    then by name; ``limit``/``offset`` page them. Five queries whatever the number of districts: the grouping,
    counting and paging happen in the database."""
    reasons = _reasons(_visible_districts(user, division_id, district_ids), today)
    total = db.session.scalar(sa.select(sa.func.count(sa.distinct(reasons.c.district_id))))
    if not total:
        return FlaggedPage([], 0)
    ids_query = (sa.select(reasons.c.district_id).join(Unit, Unit.id == reasons.c.district_id)
                 .group_by(reasons.c.district_id, Unit.name_en)
                 .order_by(sa.func.count().desc(), Unit.name_en, reasons.c.district_id).offset(offset))
    if limit is not None:
        ids_query = ids_query.limit(limit)
    ids = list(db.session.scalars(ids_query))
    if not ids:
        return FlaggedPage([], total)
    found: dict[int, list[Reason]] = defaultdict(list)
    for row in db.session.execute(sa.select(reasons).where(reasons.c.district_id.in_(ids))):
        found[row.district_id].append(Reason(FlagReason(row.kind), int(row.count or 0), row.since))
    units = {u.id: u for u in db.session.scalars(sa.select(Unit).where(Unit.id.in_(ids))
                                                  .options(joinedload(Unit.parent)))}
    order = list(FlagReason)
    return FlaggedPage([DistrictFlag(units[i], sorted(found[i], key=lambda r: order.index(r.kind))) for i in ids],
                       total)


def flag_of(district: Unit, today: date) -> DistrictFlag:
    """One district's flags (for its page and its one-to-one review)."""
    found = flagged_districts(None, today, district_ids=[district.id]).flags
    return found[0] if found else DistrictFlag(district)
