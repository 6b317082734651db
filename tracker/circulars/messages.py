"""A circular and its reminder as the president receives them (SMS/WhatsApp: the registered templates
``circular`` and ``circular_reminder`` of tracker/reminders/message_templates.py; e-mail: the longer text of
``templates/circulars/messages/``), rendered in the president's language with their personal link."""

from __future__ import annotations

from flask_babel import gettext as _

from tracker.i18n import fmt_date
from tracker.reminders.messages import Rendered, person_locale, render


def circular(person, circular, reminder: bool = False) -> Rendered:
    kind = "circular_reminder" if reminder else "circular"
    return render(
        person_locale(person), kind,
        (lambda: _("Reminder: circular %(title)s", title=circular.title)) if reminder
        else (lambda: _("Circular: %(title)s", title=circular.title)),
        {"person": person, "circular": circular, "reminder": reminder},
        short=(kind, lambda: {"title": circular.title, "date": fmt_date(circular.due_on)}),
        template="circulars/messages/circular.html",
    )
