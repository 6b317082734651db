"""Render a message in its recipient's language: subject, body and (where it fits) an ``.ics``.

Bodies are Jinja templates (``templates/reminders/messages/<kind>.html``, plain text inside
``{% autoescape false %}``) rendered under ``force_locale(person.preferred_locale)``; dates and
times go through the Babel filters, which show them in the app's zone (Asia/Kolkata).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.i18n import fmt_date, fmt_time, localized
from tracker.meetings.calendar import session_ics


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    ics: str | None = None


def person_locale(person) -> str:
    languages = current_app.config["LANGUAGES"]
    loc = getattr(person, "preferred_locale", None)
    return loc if loc in languages else current_app.config["DEFAULT_LOCALE"]


def render(locale: str, kind: str, subject_fn, context: dict, ics: str | None = None) -> Rendered:
    """Render ``templates/reminders/messages/<kind>.html`` and the subject in ``locale``."""
    with force_locale(locale):
        # The Jinja environment directly: no request, so no app context processors (they may need one).
        template = current_app.jinja_env.get_template(f"reminders/messages/{kind}.html")
        body = plain(template.render(**context)).strip() + "\n"
        subject = plain(subject_fn())
    return Rendered(subject=" ".join(subject.split())[:300], body=body, ics=ics)


# CLDR puts narrow/no-break spaces in times ("11:00\u202fAM"); SMS gateways and old phones do not.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def plain(text: str) -> str:
    return text.translate(_SPACES)


def when(dt: datetime) -> str:
    """"22 सितंबर 2025, 11:00 am" in the current (forced) locale and the app's zone."""
    return _("%(date)s, %(time)s", date=fmt_date(dt, "long"), time=fmt_time(dt))


def for_channel(content: Rendered, locale: str, *, email: bool, link: str | None) -> Rendered:
    """The text as the channel carries it: an e-mail says its ``.ics`` is attached; SMS and WhatsApp
    carry no file. The personal link (if any) is the last line."""
    lines = [content.body.rstrip("\n")]
    if email and content.ics:
        with force_locale(locale):
            lines.append(_("A calendar file (.ics) is attached."))
    if link:
        lines.append(link)
    return Rendered(subject=content.subject, body="\n".join(lines) + "\n", ics=content.ics)


# --- one function per kind ---------------------------------------------------------------------


def invitation(person, meeting, sessions: Sequence, partners: dict[int, list]) -> Rendered:
    loc = person_locale(person)
    return render(
        loc, "invitation",
        lambda: _("Invitation: %(meeting)s", meeting=localized(meeting, "title")),
        {"person": person, "meeting": meeting, "sessions": sessions, "partners": partners},
        ics=calendar_for(sessions, loc),
    )


def _about_session(kind: str, person, session, subject, **context) -> Rendered:
    """A message about one session; ``subject(meeting_title, when)`` gives its subject line."""
    loc = person_locale(person)
    return render(
        loc, kind,
        lambda: subject(localized(session.meeting, "title"), when(session.starts_at)),
        {"person": person, "session": session, "meeting": session.meeting, "when": when, **context},
        ics=calendar_for([session], loc),
    )


def reminder(person, session, partners: list) -> Rendered:
    return _about_session("reminder", person, session,
                          lambda m, w: _("Reminder: %(meeting)s, %(when)s", meeting=m, when=w), partners=partners)


def change(person, session, old_starts_at: datetime, old_ends_at: datetime, partners: list) -> Rendered:
    return _about_session("change", person, session,
                          lambda m, w: _("Changed: %(meeting)s, now %(when)s", meeting=m, when=w),
                          old_starts_at=old_starts_at, old_ends_at=old_ends_at, partners=partners)


def cancellation(person, session, withdrawn: bool) -> Rendered:
    return _about_session("cancellation", person, session,
                          lambda m, w: _("Cancelled: %(meeting)s, %(when)s", meeting=m, when=w),
                          withdrawn=withdrawn)


def digest(person, day: date, sessions: Sequence, absentees: Sequence, overdue: Sequence) -> Rendered:
    return render(
        person_locale(person), "digest",
        lambda: _("Office digest for %(date)s", date=fmt_date(day, "long")),
        {"person": person, "day": day, "sessions": sessions, "absentees": absentees, "overdue": overdue},
    )


def action_due(person, item, day: date) -> Rendered:
    return render(
        person_locale(person), "action_due",
        lambda: _("Action item due %(date)s", date=fmt_date(item.due_on, "long")),
        {"person": person, "item": item, "day": day, "overdue": item.due_on < day},
    )


def reply_request(person, meeting, sessions: Sequence) -> Rendered:
    """The office asks an invitee who has not answered: will they come? (They answer from their link.)"""
    return render(
        person_locale(person), "reply_request",
        lambda: _("Will you come? %(meeting)s", meeting=localized(meeting, "title")),
        {"person": person, "meeting": meeting, "sessions": sessions, "when": when},
    )


# --- calendar --------------------------------------------------------------------------------


def calendar_for(sessions: Iterable, locale: str) -> str | None:
    """One iCalendar file for the sessions, in the recipient's language.

    Built from the meetings domain's per-session files (same UID ``session-<id>@tracker`` and
    SEQUENCE as the ".ics" download and the feed, so a phone replaces its entry when a session
    moves or is cancelled).
    """
    sessions = list(sessions)
    if not sessions:
        return None
    with force_locale(locale):
        return merge_calendars([session_ics(s) for s in sessions])


def merge_calendars(files: list[bytes]) -> str:
    from icalendar import Calendar

    merged = None
    zones: set[str] = set()
    for data in files:
        cal = Calendar.from_ical(data)
        if merged is None:
            merged = Calendar()
            for name, value in cal.items():
                merged.add(name, value)
        for component in cal.subcomponents:
            if component.name == "VTIMEZONE":
                if str(component.get("tzid")) in zones:
                    continue
                zones.add(str(component.get("tzid")))
            merged.add_component(component)
    return merged.to_ical().decode()
