"""Approved minutes as a message, and their public link and "share on WhatsApp" text.

SMS and WhatsApp carry the registered template ``minutes`` (tracker/reminders/message_templates.py) with the
person's personal link (their link's page lists the minutes of what they were invited to); e-mail the longer
text of ``templates/minutes/messages/minutes.html``. The national office gets the e-mail with the public link.

``attachment`` (a file name, bytes and a MIME type: the minutes' PDF once PDFs are made) is carried on the
rendered message for the e-mail channel.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext

from tracker.core.signing import signed_id, verified_id
from tracker.i18n import fmt_date, localized
from tracker.reminders.messages import Rendered, render

PURPOSE = "minutes-public"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


def public_token(minutes) -> str:
    return signed_id(PURPOSE, minutes.id)


def minutes_id_of(token: str) -> int | None:
    return verified_id(PURPOSE, token)


def public_url(minutes) -> str:
    """The public page of approved minutes (no sign-in), with ``PUBLIC_URL`` as its root when set."""
    path = url_for("minutes_public.show", token=public_token(minutes))
    base = current_app.config.get("PUBLIC_URL") or (request.url_root if has_request_context() else "")
    return (base or "http://localhost/").rstrip("/") + path


def title_of(minutes) -> str:
    if minutes.session is not None:
        return localized(minutes.session, "title") or localized(minutes.meeting, "title")
    return localized(minutes.meeting, "title")


def share_text(minutes) -> str:
    """The text forwarded to a WhatsApp group, in the current language, the public link on the last line."""
    return "\n".join([
        f"*{pgettext('document', 'Minutes')}: {title_of(minutes)}*",
        _("Reference: %(reference)s", reference=minutes.reference),
        _("Date: %(date)s", date=fmt_date(minutes.meeting.starts_on)),
        "",
        _("Read the minutes: %(link)s", link=public_url(minutes)),
    ])


def whatsapp_url(minutes) -> str:
    return "https://wa.me/?text=" + quote(share_text(minutes), safe="")


def minutes_message(locale: str | None, minutes, *, public: bool = False,
                    attachment: Attachment | None = None) -> Rendered:
    """The message of approved minutes in ``locale``; ``public``: with the public link in its text (for an
    address that has no personal link)."""
    languages = current_app.config["LANGUAGES"]
    loc = locale if locale in languages else current_app.config["DEFAULT_LOCALE"]
    link = public_url(minutes) if public else ""
    rendered = render(
        loc, "minutes", lambda: _("Minutes %(reference)s: %(title)s", reference=minutes.reference,
                                  title=title_of(minutes)),
        {"minutes": minutes, "title_of": title_of, "link": link, "attachment": attachment},
        short=("minutes", lambda: {"reference": minutes.reference, "title": title_of(minutes)}),
        template="minutes/messages/minutes.html",
    )
    return replace(rendered, attachments=(attachment,)) if attachment is not None else rendered
