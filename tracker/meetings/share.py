"""Share to WhatsApp (issue 12): the office forwards a published meeting or session to the district
groups with a ``https://wa.me/?text=…`` link, and the text ends with the meeting's public agenda link.

The public agenda needs no sign-in, so its address is not the meeting's id alone: it is the id signed
with the secret key (``tracker/core/signing.py``; a wrong or made-up token answers 404). It shows what a
group may see (``policy.public_agenda_open``, ``policy.public_sessions``): sessions, dates, times, venue
and agenda items, never anyone's number, the invitees, passes or review notes. Opening it changes
nothing; its link-preview tags give the title, the dates and the venue. A visitor who is not signed in
reads it in their browser's language until they choose another with the page's language switch.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, render_template, url_for

from tracker import policy
from tracker.core.signing import signed_id, verified_id
from tracker.extensions import db
from tracker.i18n import _, current_locale, fmt_date, fmt_time, localized
from tracker.meetings.models import Meeting, MeetingSession
from tracker.meetings.operations import session_label
from tracker.meetings.rooms import room_label

PURPOSE = "public-agenda"


def public_token(meeting: Meeting) -> str:
    return signed_id(PURPOSE, meeting.id)


def public_url(meeting: Meeting, session: MeetingSession | None = None) -> str:
    anchor = f"session-{session.id}" if session is not None else None
    return url_for("meetings.public_agenda", token=public_token(meeting), _external=True, _anchor=anchor)


def dates(meeting: Meeting) -> str:
    first, last = fmt_date(meeting.starts_on, "weekday"), fmt_date(meeting.ends_on, "weekday")
    return first if meeting.starts_on == meeting.ends_on else f"{first} – {last}"


def where(session: MeetingSession) -> str:
    return ", ".join(x for x in (room_label(session.room), session.meeting.venue) if x)


def _session_lines(session: MeetingSession) -> list[str]:
    lines = [session_label(session),
             _("Date: %(date)s", date=fmt_date(session.starts_at, "weekday")),
             _("Time: %(start)s–%(end)s", start=fmt_time(session.starts_at), end=fmt_time(session.ends_at))]
    if where(session):
        lines.append(_("Venue: %(venue)s", venue=where(session)))
    items = [localized(item, "title") for item in session.agenda_items]
    if items:
        lines.append(_("Agenda:"))
        lines += [f"{n}. {title}" for n, title in enumerate(items, start=1)]
    return lines


def share_text(meeting: Meeting, session: MeetingSession | None = None) -> str:
    """The text forwarded to a group, in the current language; the public agenda link is the last line."""
    lines = [f"*{localized(meeting, 'title')}*"]
    if session is not None:
        lines += _session_lines(session)
    else:
        lines.append(_("Dates: %(dates)s", dates=dates(meeting)))
        if meeting.venue:
            lines.append(_("Venue: %(venue)s", venue=meeting.venue))
    lines += ["", _("Full agenda: %(link)s", link=public_url(meeting, session))]
    return "\n".join(lines)


def whatsapp_url(meeting: Meeting, session: MeetingSession | None = None) -> str:
    return "https://wa.me/?text=" + quote(share_text(meeting, session), safe="")


def public_agenda(token: str):
    meeting_id = verified_id(PURPOSE, token)
    meeting = db.session.get(Meeting, meeting_id) if meeting_id is not None else None
    if not policy.public_agenda_open(meeting):
        abort(404)
    meeting_dates = dates(meeting)
    description = ", ".join(x for x in (meeting_dates, meeting.venue) if x)
    page = render_template("meetings/public_agenda.html", meeting=meeting, sessions=policy.public_sessions(meeting),
                           meeting_dates=meeting_dates, description=description, page_url=public_url(meeting),
                           where=where, og_locale=OG_LOCALES.get(current_locale(), "hi_IN"), og_locales=OG_LOCALES)
    # The language follows the signed-in user, else the language chosen with the switch (the session
    # cookie), else the browser's: a cache between must keep one copy per language.
    return page, 200, {"Vary": "Accept-Language, Cookie"}


# The page's language for link previews (Open Graph's language_TERRITORY).
OG_LOCALES = {"hi": "hi_IN", "en": "en_IN"}


_REGISTERED: set[str] = set()


def register(bp, app) -> None:
    """The public page on the meetings blueprint (once) and ``whatsapp_url`` for the templates."""
    app.jinja_env.globals["whatsapp_url"] = whatsapp_url
    app.jinja_env.globals["public_token"] = public_token
    if bp.name in _REGISTERED:
        return
    _REGISTERED.add(bp.name)
    bp.add_url_rule("/public/agenda/<token>", view_func=public_agenda)
