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


def register() -> None:
    register_page_panel("meetings.agenda", "circulars/_open_panel.html", _own_open, action="circulars.mine",
                        order=10)
    register_page_panel("reminders.link", "circulars/_open_panel.html", _link_open, order=10)
    register_link("meetings.agenda", _l("My circulars"), "circulars.mine", "circulars.mine",
                  lambda _person: {}, order=15)
