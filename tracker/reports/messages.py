"""The question asked back on a programme report as the district president receives it (SMS/WhatsApp: the
registered template ``report_question`` of tracker/reminders/message_templates.py; e-mail: the longer text of
``templates/reports/messages/question.html``), in the president's language with their personal link."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.i18n import fmt_date
from tracker.reminders.messages import Rendered, person_locale, render


def question(person, report) -> Rendered:
    return render(
        person_locale(person), "report_question",
        lambda: _("Question on your programme report of %(date)s", date=fmt_date(report.held_on, "medium")),
        {"person": person, "report": report},
        short=("report_question", lambda: {"date": fmt_date(report.held_on, "medium")}),
        template="reports/messages/question.html",
    )
