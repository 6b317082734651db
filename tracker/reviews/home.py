"""What the reviews domain adds to the home page (tracker/core/links.py): overdue action items for the office,
and an in-charge's one-to-one slots with their notes."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.core.links import PanelItem, PanelItems, register_link, register_page_panel, register_panel
from tracker.directory.models import UnitLevel
from tracker.extensions import db
from tracker.i18n import _, _l, fmt_date, fmt_datetime, localized
from tracker.timeutil import today_local

PANEL_SIZE = 5


def overdue_items(user) -> PanelItems:
    """Open action items past their due date, oldest due first (three queries: items, their districts, count)."""
    from flask import url_for

    from tracker.reviews import queries

    query = queries.overdue_items_query(today_local())
    items = db.session.scalars(query.limit(PANEL_SIZE)).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) if items else 0
    return PanelItems([PanelItem(item.title, url_for("reviews.item", item_id=item.id),
                                 " · ".join(filter(None, [_("due %(date)s", date=fmt_date(item.due_on, "medium")),
                                                          localized(item.district) if item.district else ""])))
                       for item in items], total)


def review_slots(user) -> PanelItems:
    """The in-charge's one-to-one slots, newest first, each leading to its note (or to the list where the note
    is started): two queries."""
    from flask import url_for

    from tracker.reviews import queries

    if user.person_id is None:
        return PanelItems()
    slots = queries.reviewer_slots(user.person_id, limit=PANEL_SIZE)
    out = []
    for slot in slots:
        district = localized(slot.session.district) if slot.session.district else _("One-to-one")
        when = fmt_datetime(slot.session.starts_at, "short")
        if slot.note is not None:
            out.append(PanelItem(district, url_for("reviews.note", note_id=slot.note.id),
                                 f"{when} · {slot.note.status.title}"))
        else:
            not_written = _("note not written yet")
            out.append(PanelItem(district, url_for("reviews.index", _anchor="slots-heading"),
                                 f"{when} · {not_written}"))
    return PanelItems(out)


def district_items(unit) -> dict:
    """The directory's unit page of a district shows the district's open action items the viewer may see
    (one query)."""
    from flask_login import current_user

    from tracker.reviews import queries

    return {"unit": unit, "district_items": queries.district_open_items(unit.id, current_user)}


def register() -> None:
    # A district president's home is their agenda: it leads to the action items they own.
    register_link("meetings.agenda", _l("My action items"), "reviews.my_items", "action_items.mine",
                  lambda _person: {}, order=10)
    register_panel("reviews-overdue", _l("Overdue action items"), "action_items.overdue", overdue_items,
                   more_endpoint="reviews.overdue", more_label=_l("All overdue action items"), order=30, attention=True)
    register_panel("reviews-slots", _l("My one-to-one slots"), "review.slots", review_slots,
                   more_endpoint="reviews.index", more_label=_l("All reviews"),
                   empty=_l("No one-to-one slot is assigned to you yet."), order=15)
    register_page_panel("directory.unit", "reviews/_district_items.html", district_items,
                        when=lambda unit: unit.level == UnitLevel.DISTRICT)
