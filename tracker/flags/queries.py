"""A district's heartbeat and its red flags, computed from what it did (nothing is stored): a flag clears itself
the moment the district acts.

Each reason has a *source*: one grouped query over all the districts asked for, so that a page shows the flags
of 70 or 1,000 districts with the same number of queries. The sources below read the action items (reviews);
the programme reports and the circulars add theirs when they land (``SOURCES``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from tracker import policy
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.flags.models import DEFAULT_QUIET_DAYS, FlagReason, FlagSettings
from tracker.i18n import _, fmt_date, localized, ngettext
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
            return ngettext("%(num)s circular unanswered past its due date",
                            "%(num)s circulars unanswered past their due date", self.count)
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


Source = Callable[[Sequence[int], date, int], dict[int, Reason]]


def _overdue_items(district_ids: Sequence[int], today: date, quiet_days: int) -> dict[int, Reason]:
    """Open action items of the districts past their due date (one query)."""
    rows = db.session.execute(
        sa.select(ActionItem.district_unit_id, sa.func.count(), sa.func.min(ActionItem.due_on))
        .where(ActionItem.district_unit_id.in_(district_ids), ActionItem.status.in_(OPEN_STATUSES),
               ActionItem.due_on < today)
        .group_by(ActionItem.district_unit_id)
    ).all()
    return {district_id: Reason(FlagReason.ACTIONS_OVERDUE, count, since) for district_id, count, since in rows}


SOURCES: list[Source] = [_overdue_items]


def register_source(source: Source) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def quiet_days() -> int:
    value = db.session.scalar(sa.select(FlagSettings.quiet_days).order_by(FlagSettings.id).limit(1))
    return value if value is not None else DEFAULT_QUIET_DAYS


def settings_row() -> FlagSettings | None:
    return db.session.scalars(sa.select(FlagSettings).order_by(FlagSettings.id).limit(1)).first()


def district_flags(user, today: date, *, division_id: int | None = None, district_ids: Sequence[int] | None = None,
                   only_flagged: bool = True) -> list[DistrictFlag]:
    """The districts the user may see (all of them for ``user`` None: the digest) with their reasons, the most
    flagged first; 2 + one query per source, whatever the number of districts."""
    query = (sa.select(Unit).where(Unit.level == UnitLevel.DISTRICT, Unit.is_archived.is_(False))
             .options(joinedload(Unit.parent)).order_by(Unit.name_en, Unit.id))
    if user is not None:
        query = query.where(policy.flag_districts_clause(user))
    if division_id is not None:
        query = query.where(Unit.parent_id == division_id)
    if district_ids is not None:
        query = query.where(Unit.id.in_(list(district_ids)))
    districts = db.session.scalars(query).all()
    if not districts:
        return []
    ids = [d.id for d in districts]
    days = quiet_days()
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for source in SOURCES:
        for district_id, reason in source(ids, today, days).items():
            reasons[district_id].append(reason)
    flags = [DistrictFlag(d, sorted(reasons.get(d.id, []), key=lambda r: list(FlagReason).index(r.kind)))
             for d in districts]
    if only_flagged:
        flags = [f for f in flags if f.flagged]
    return sorted(flags, key=lambda f: (-len(f.reasons), localized(f.division) if f.division else "",
                                        localized(f.district)))


def flag_of(district: Unit, today: date) -> DistrictFlag:
    """One district's flags (for its page and its one-to-one review)."""
    found = district_flags(None, today, district_ids=[district.id], only_flagged=False)
    return found[0] if found else DistrictFlag(district)
