"""What circulars add to other pages: the president's open circulars on their home page (their agenda)
and on their personal link's page, and a link to the list on the agenda."""

from __future__ import annotations

from tracker.core.links import register_link, register_page_panel
from tracker.i18n import _l


def _own_open(person) -> dict | None:
    """The signed-in president's open circulars (one query)."""
    from flask_login import current_user

    from tracker.circulars import queries
    from tracker.timeutil import today_local

    return {"circular_rows": queries.open_recipients(current_user), "circular_today": today_local(),
            "circular_link_token": None}


def _link_open(person) -> dict | None:
    """The open circulars on the personal link's page (one query); left out when there are none."""
    from tracker.circulars import queries
    from tracker.timeutil import today_local

    rows = queries.recipients_of_person(person.id)
    return {"circular_rows": rows, "circular_today": today_local()} if rows else None


def _note_answers(note) -> dict | None:
    """A district's one-to-one review shows what the district did with the circulars (of those the reader may
    follow) sent since its previous review: two queries."""
    import sqlalchemy as sa
    from flask_login import current_user
    from sqlalchemy.orm import joinedload

    from tracker import policy
    from tracker.circulars.models import Circular, CircularRecipient
    from tracker.extensions import db
    from tracker.reviews.queries import previous_review_on
    from tracker.timeutil import local_to_utc, today_local

    if note.district_unit_id is None or not policy.can(current_user, "circulars.list"):
        return None
    since = previous_review_on(note)
    query = (sa.select(CircularRecipient).join(Circular)
             .where(CircularRecipient.district_unit_id == note.district_unit_id,
                    policy.visible_circulars_clause(current_user))
             .options(joinedload(CircularRecipient.circular))
             .order_by(Circular.sent_at.desc(), Circular.id.desc()).limit(NOTE_SIZE))
    if since is not None:
        from datetime import datetime, timedelta

        query = query.where(Circular.sent_at >= local_to_utc(since + timedelta(days=1), datetime.min.time()))
    return {"note_answers": db.session.scalars(query).all(), "note_since": since, "circular_today": today_local()}


NOTE_SIZE = 20


def register() -> None:
    register_page_panel("meetings.agenda", "circulars/_open_panel.html", _own_open, action="circulars.mine",
                        order=10)
    register_page_panel("reminders.link", "circulars/_open_panel.html", _link_open, order=10)
    register_link("meetings.agenda", _l("My circulars"), "circulars.mine", "circulars.mine",
                  lambda _person: {}, order=15)
    register_page_panel("reviews.note", "circulars/_note.html", _note_answers, order=30)
