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


# A source of one reason has two parts:
# * ``test(today, quiet_days)``: a condition on ``Unit`` (correlated: index lookups of the one district) that is
#   true when the district is flagged for this reason. The ranking of all the visible districts (how many reasons
#   each has, how many districts are flagged) reads only these, a few index lookups per district, with no grouping
#   of the sources' tables;
# * ``rows(today, quiet_days, district_ids)``: the rows (district_id, kind, count, since) of the flagged districts
#   among ``district_ids`` (the page shown), one row per district, grouped in SQL; filtered by district *before*
#   grouping so that only those districts' rows are read.
Districts = sa.Select | Sequence[int]


@dataclass(frozen=True)
class Source:
    kind: FlagReason
    test: Callable[[date, int], sa.ColumnElement[bool]]
    rows: Callable[[date, int, Districts], sa.Select]


def _open_overdue_items(today: date):
    return (ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on < today)


def _items_test(today: date, quiet_days: int) -> sa.ColumnElement[bool]:
    return sa.exists().where(ActionItem.district_unit_id == Unit.id, *_open_overdue_items(today))


def _items_rows(today: date, quiet_days: int, districts: Districts) -> sa.Select:
    """Open action items of a district past their due date: how many, and the oldest due date."""
    return (sa.select(ActionItem.district_unit_id.label("district_id"),
                      sa.literal(FlagReason.ACTIONS_OVERDUE.value, sa.String).label("kind"),
                      sa.func.count().label("count"), sa.func.min(ActionItem.due_on).label("since"))
            .where(ActionItem.district_unit_id.in_(districts), *_open_overdue_items(today))
            .group_by(ActionItem.district_unit_id))


def _circulars_test(today: date, quiet_days: int) -> sa.ColumnElement[bool]:
    return sa.exists().where(CircularRecipient.district_unit_id == Unit.id, CircularRecipient.completed_at.is_(None),
                             Circular.id == CircularRecipient.circular_id, Circular.due_on < today)


def _circulars_rows(today: date, quiet_days: int, districts: Districts) -> sa.Select:
    """Circulars a district has not completed (acknowledged or answered as asked) past their due date."""
    return (sa.select(CircularRecipient.district_unit_id.label("district_id"),
                      sa.literal(FlagReason.CIRCULARS_OVERDUE.value, sa.String).label("kind"),
                      sa.func.count().label("count"), sa.func.min(Circular.due_on).label("since"))
            .join(Circular, CircularRecipient.circular_id == Circular.id)
            .where(CircularRecipient.district_unit_id.in_(districts), CircularRecipient.completed_at.is_(None),
                   Circular.due_on < today)
            .group_by(CircularRecipient.district_unit_id))


def _last_report():
    """The date of the district's last programme: one index lookup (``ix_programme_reports_district_held``)."""
    return (sa.select(sa.func.max(ProgrammeReport.held_on)).where(ProgrammeReport.district_unit_id == Unit.id)
            .correlate(Unit).scalar_subquery())


def _no_report_test(today: date, quiet_days: int) -> sa.ColumnElement[bool]:
    """The district's last programme was held more than ``quiet_days`` ago. A district that never reported
    counts from the state's first report (before any district reports, the office is not collecting them yet,
    and nobody is flagged for it)."""
    began = sa.select(sa.func.min(ProgrammeReport.held_on)).scalar_subquery()
    return sa.func.coalesce(_last_report(), began) < today - timedelta(days=quiet_days)


def _no_report_rows(today: date, quiet_days: int, districts: Districts) -> sa.Select:
    return (sa.select(Unit.id.label("district_id"), sa.literal(FlagReason.NO_REPORT.value, sa.String).label("kind"),
                      sa.literal(0, sa.Integer).label("count"), _last_report().label("since"))
            .where(Unit.id.in_(districts), _no_report_test(today, quiet_days)))


SOURCES: list[Source] = [
    Source(FlagReason.NO_REPORT, _no_report_test, _no_report_rows),
    Source(FlagReason.CIRCULARS_OVERDUE, _circulars_test, _circulars_rows),
    Source(FlagReason.ACTIONS_OVERDUE, _items_test, _items_rows),
]


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def quiet_days() -> int:
    value = db.session.scalar(sa.select(FlagSettings.quiet_days).order_by(FlagSettings.id).limit(1))
    return value if value is not None else DEFAULT_QUIET_DAYS


def settings_row() -> FlagSettings | None:
    return db.session.scalars(sa.select(FlagSettings).order_by(FlagSettings.id).limit(1)).first()


def _visible_districts(user, division_id: int | None, district_ids: Sequence[int] | None) -> list:
    """The conditions on ``Unit`` of the districts whose flags the user sees."""
    where = [Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False)]
    if user is not None:
        where.append(policy.flag_districts_clause(user))
    if division_id is not None:
        where.append(Unit.parent_id == division_id)
    if district_ids is not None:
        where.append(Unit.id.in_(list(district_ids)))
    return where


def _reasons(district_ids: Sequence[int], today: date, days: int) -> sa.Subquery:
    """Every reason of the districts ``district_ids``: the sources' rows, one query's subquery."""
    return sa.union_all(*[source.rows(today, days, district_ids) for source in SOURCES]).subquery("reasons")


@dataclass(frozen=True)
class FlaggedPage:
    flags: list[DistrictFlag]
    total: int  # flagged districts in all


def flagged_districts(user, today: date, *, division_id: int | None = None,
                      district_ids: Sequence[int] | None = None, limit: int | None = None,
                      offset: int = 0) -> FlaggedPage:
    """The flagged districts the user may see (all of them for ``user`` None: the digest), the most flagged first,
    then by name; ``limit``/``offset`` page them. Three queries whatever the number of districts (the
    settings, the page of districts with their total, their reasons and names): the grouping, counting and
    paging happen in the database."""
    days = quiet_days()
    # How many reasons each visible district has (a few index lookups per district), and on each row how many
    # districts are flagged in all (a window): one pass over the districts, ranked and paged in the database.
    reasons = sum((sa.case((source.test(today, days), 1), else_=0) for source in SOURCES), sa.literal(0))
    # MATERIALIZED: the reasons are computed once per district (a flattened subquery would compute them again
    # in the filter and in the ordering).
    ranked = (sa.select(Unit.id.label("district_id"), Unit.name_en.label("name"), reasons.label("reasons"))
              .where(*_visible_districts(user, division_id, district_ids)).cte("ranked")
              .prefix_with("MATERIALIZED"))
    ids_query = (sa.select(ranked.c.district_id, sa.func.count().over().label("total"))
                 .where(ranked.c.reasons > 0)
                 .order_by(ranked.c.reasons.desc(), ranked.c.name, ranked.c.district_id).offset(offset))
    if limit is not None:
        ids_query = ids_query.limit(limit)
    rows = db.session.execute(ids_query).all()
    if not rows:
        total = 0 if not offset else db.session.scalar(
            sa.select(sa.func.count()).select_from(ranked).where(ranked.c.reasons > 0))
        return FlaggedPage([], total or 0)
    ids, total = [row.district_id for row in rows], rows[0].total
    found: dict[int, list[Reason]] = defaultdict(list)
    for row in db.session.execute(sa.select(_reasons(ids, today, days))):
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
