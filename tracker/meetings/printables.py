"""The meetings' printable pages as PDFs (tracker/core/pdf.py), from the pages' own templates: the day
sheet and a person's agenda. For the pages and the API alike; the caller has checked access."""

from __future__ import annotations

from datetime import date

from flask import Response

from tracker.core import pdf
from tracker.directory.models import Person
from tracker.i18n import _, localized
from tracker.meetings import queries
from tracker.meetings.models import Meeting
from tracker.timeutil import today_local


def timetable_day(meeting: Meeting, wanted: date):
    """The timetable's view of one day of the meeting, or None when it has no session that day."""
    return next((d for d in queries.timetable(meeting) if d.day == wanted), None)


def day_sheet_pdf(meeting: Meeting, day) -> Response:
    """The day sheet (sessions, agenda, invitees with a signature column, one-to-ones) on A4."""
    return pdf.render_page_pdf("meetings/day_sheet.html", pdf.dated_filename(_("Day sheet"), day.day),
                               meeting=meeting, day=day, pdf_page="a4")


def agenda_pdf(person: Person, *, own: bool, past: bool = False, size: str | None = None) -> Response:
    """A person's agenda with their passes, on A4 or on a narrow page for a phone (``size="phone"``)."""
    title = _("My agenda") if own else _("Agenda of %(name)s", name=localized(person))
    return pdf.render_page_pdf("meetings/agenda.html", pdf.dated_filename(title, today_local()),
                               person=person, entries=queries.agenda_for(person, past=past), past=past,
                               feed_url=None, own=own, pdf_page=size or pdf.page_size())
