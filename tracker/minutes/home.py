"""What the minutes add to other pages: a link on the meeting's page (the office), the approved minutes on an
invitee's home page (their agenda) and on their personal link's page."""

from __future__ import annotations

from tracker.core.links import register_link, register_page_panel
from tracker.i18n import lazy_pgettext


def _own(person) -> dict | None:
    """The minutes the signed-in reader may read (one query); left out when there are none."""
    from flask_login import current_user

    from tracker.minutes import queries

    rows = queries.visible_to(current_user, limit=10)
    return {"minutes_rows": rows, "minutes_token": None} if rows else None


def _link(person) -> dict | None:
    """The approved minutes of what the link's person was invited to (one query)."""
    from flask import request

    from tracker.minutes import queries

    rows = queries.approved_for_person(person.id, limit=10)
    token = (request.view_args or {}).get("token")
    return {"minutes_rows": rows, "minutes_token": token} if rows else None


def register() -> None:
    register_link("meetings.meeting", lazy_pgettext("document", "Minutes"), "minutes.of_meeting", "minutes.write",
                  lambda meeting: {"meeting_id": meeting.id}, order=10)
    register_page_panel("meetings.agenda", "minutes/_panel.html", _own, order=20)
    register_page_panel("reminders.link", "minutes/_panel.html", _link, order=20)
    register_link("meetings.agenda", lazy_pgettext("document", "Minutes"), "minutes.mine", "minutes.mine", lambda _person: {}, order=20)
