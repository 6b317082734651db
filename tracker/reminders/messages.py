"""Render a message in its recipient's language: subject, body and (where it fits) an ``.ics``.

Bodies are Jinja templates (``templates/reminders/messages/<kind>.html``, plain text inside
``{% autoescape false %}``) rendered under ``force_locale(person.preferred_locale)``; dates and
times go through the Babel filters, which show them in the app's zone (Asia/Kolkata).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.i18n import fmt_date, fmt_datetime, fmt_time, localized
from tracker.meetings.calendar import session_ics
from tracker.reminders import digest_parts, message_templates


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    ics: str | None = None
    # The registered template of the SMS/WhatsApp text and its values (the link is added by for_channel);
    # once filled (for_channel with ``short``), ``variables`` holds the (slot, value) pairs in order.
    template: str = ""
    values: dict = field(default_factory=dict)
    variables: list = field(default_factory=list)
    # Files for the e-mail channel (e.g. the PDF of minutes: tracker.minutes.messages.Attachment).
    attachments: tuple = ()
    # A file the e-mail carries, made again at delivery: its reference (tracker/reminders/attachments.py).
    attachment_ref: dict | None = None


def person_locale(person) -> str:
    languages = current_app.config["LANGUAGES"]
    loc = getattr(person, "preferred_locale", None)
    return loc if loc in languages else current_app.config["DEFAULT_LOCALE"]


def render(locale: str, kind: str, subject_fn, context: dict, ics: str | None = None, *,
           short: tuple[str, dict] = ("", {}), template: str | None = None) -> Rendered:
    """Render ``templates/reminders/messages/<kind>.html`` (or another domain's ``template``) and the subject
    in ``locale``; ``short`` is the registered template of the SMS/WhatsApp text and a function giving its
    values (called in ``locale``)."""
    name, values_fn = short
    with force_locale(locale):
        # The Jinja environment directly: no request, so no app context processors (they may need one).
        page = current_app.jinja_env.get_template(template or f"reminders/messages/{kind}.html")
        body = plain(page.render(**context)).strip() + "\n"
        subject = plain(subject_fn())
        values = {key: plain(str(value)) for key, value in values_fn().items()} if name else {}
    return Rendered(subject=" ".join(subject.split())[:300], body=body, ics=ics, template=name, values=values)


# CLDR puts narrow/no-break spaces in times ("11:00\u202fAM"); SMS gateways and old phones do not.
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def plain(text: str) -> str:
    return text.translate(_SPACES)


def short_when(dt: datetime) -> str:
    """"22 सितंबर, 11:00": an SMS has no room for the year (its link's agenda shows it)."""
    return plain(fmt_datetime(dt, "day"))


def when(dt: datetime) -> str:
    """"22 सितंबर 2025, 11:00 am" in the current (forced) locale and the app's zone."""
    return _("%(date)s, %(time)s", date=fmt_date(dt, "long"), time=fmt_time(dt))


def for_channel(content: Rendered, locale: str, *, email: bool, link: str | None, short: bool = False) -> Rendered:
    """The text as the channel carries it: an e-mail says its ``.ics`` is attached; SMS and WhatsApp
    (``short``) carry no file and send the registered template filled in. The personal link (if any) is
    the last line."""
    if short and content.template:
        filled = message_templates.fill(content.template, locale, {**content.values, "link": link or ""})
        return Rendered(subject=content.subject, body=filled.text, ics=content.ics, template=filled.name,
                        variables=filled.variables)
    lines = [content.body.rstrip("\n")]
    if email and content.ics:
        with force_locale(locale):
            lines.append(_("A calendar file (.ics) is attached."))
    if link:
        lines.append(link)
    return Rendered(subject=content.subject, body="\n".join(lines) + "\n", ics=content.ics,
                    attachment_ref=content.attachment_ref if email else None)


# --- one function per kind ---------------------------------------------------------------------


def invitation(person, meeting, sessions: Sequence, partners: dict[int, list], represents=None) -> Rendered:
    """The invitation; ``represents``: the invitee who sends this person in their place (a representative)."""
    loc = person_locale(person)
    return render(
        loc, "invitation",
        lambda: _("Invitation: %(meeting)s", meeting=localized(meeting, "title")),
        {"person": person, "meeting": meeting, "sessions": sessions, "partners": partners, "represents": represents},
        ics=calendar_for(sessions, loc),
        short=("representative" if represents is not None else "invitation",
               lambda: {"meeting": localized(meeting, "title"), "when": short_when(min(s.starts_at for s in sessions)),
                        "name": localized(represents) if represents is not None else ""}),
    )


def _about_session(kind: str, person, session, subject, short: str = "", **context) -> Rendered:
    """A message about one session; ``subject(meeting_title, when)`` gives its subject line, ``short`` names
    its registered template (values: the meeting's title and the session's start)."""
    loc = person_locale(person)
    return render(
        loc, kind,
        lambda: subject(localized(session.meeting, "title"), when(session.starts_at)),
        {"person": person, "session": session, "meeting": session.meeting, "when": when, **context},
        ics=calendar_for([session], loc),
        short=(short or kind, lambda: {"meeting": localized(session.meeting, "title"),
                                       "when": short_when(session.starts_at)}),
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
                          short="withdrawal" if withdrawn else "cancellation", withdrawn=withdrawn)


def digest(person, day: date, sessions: Sequence, absentees: Sequence, overdue: Sequence,
           parts: Sequence = ()) -> Rendered:
    """The office's morning digest; ``parts`` are what the domains above add (reminders.digest_parts)."""
    return render(
        person_locale(person), "digest",
        lambda: _("Office digest for %(date)s", date=fmt_date(day, "long")),
        {"person": person, "day": day, "sessions": sessions, "absentees": absentees, "overdue": overdue,
         "parts": parts},
        short=("digest", lambda: {"date": fmt_date(day), "sessions": len(sessions), "absent": len(absentees),
                                  "overdue": len(overdue),
                                  "flagged": digest_parts.count_of(parts, "flags")}),
    )


def action_due(person, item, day: date) -> Rendered:
    return render(
        person_locale(person), "action_due",
        lambda: _("Action item due %(date)s", date=fmt_date(item.due_on, "long")),
        {"person": person, "item": item, "day": day, "overdue": item.due_on < day},
        short=("action_due", lambda: {"date": fmt_date(item.due_on), "item": item.title}),
    )


def reply_request(person, meeting, sessions: Sequence) -> Rendered:
    """The office asks an invitee who has not answered: will they come? (They answer from their link.)"""
    return render(
        person_locale(person), "reply_request",
        lambda: _("Will you come? %(meeting)s", meeting=localized(meeting, "title")),
        {"person": person, "meeting": meeting, "sessions": sessions, "when": when},
        short=("reply_request", lambda: {"meeting": localized(meeting, "title"),
                                         "when": short_when(min(s.starts_at for s in sessions)) if sessions else ""}),
    )


def absence(person, session) -> Rendered:
    """After a session: someone who stayed away without notice is asked to tell the office why."""
    meeting = session.meeting
    return render(
        person_locale(person), "absence",
        lambda: _("You were not at %(meeting)s", meeting=localized(meeting, "title")),
        {"person": person, "meeting": meeting, "session": session, "when": when},
        short=("absence", lambda: {"meeting": localized(meeting, "title"), "when": short_when(session.starts_at)}),
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
