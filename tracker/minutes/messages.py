"""Approved minutes as a message, and their public link and "share on WhatsApp" text.

SMS and WhatsApp carry the registered template ``minutes`` (tracker/reminders/message_templates.py) with the
person's personal link (their link's page lists the minutes of what they were invited to); e-mail the longer
text of ``templates/minutes/messages/minutes.html``. The national office gets the e-mail with the public link.

The e-mail carries the minutes' PDF: the outbox keeps only its reference (:func:`pdf_reference`: the minutes and
the version sent) and the PDF is made again, in the reader's language, when the e-mail is delivered
(:func:`pdf_attachment`, registered with tracker/reminders/attachments.py). Where PDFs cannot be made the e-mail
goes with its link and a line saying the PDF could not be attached. ``attachment`` (a file name, bytes and a
MIME type) rides on a rendered message as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from flask import current_app, has_request_context, request, url_for
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _

from tracker.core.signing import signed_id, verified_id
from tracker.i18n import fmt_date, localized
from tracker.reminders.attachments import AttachmentUnavailable
from tracker.reminders.messages import Rendered, render

PURPOSE = "minutes-public"
PDF_MAKER = "minutes_pdf"


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


def pdf_reference(minutes) -> dict:
    """What the outbox keeps of the PDF an e-mail carries: the minutes and the version sent."""
    return {"maker": PDF_MAKER, "minutes_id": minutes.id, "version": minutes.version}


def pdf_attachment(reference: dict, locale: str) -> Attachment:
    """The PDF of the version of the minutes a reference names, in ``locale`` (at delivery)."""
    from tracker.core.pdf import PdfUnavailable
    from tracker.minutes import printables, queries

    minutes_id = reference.get("minutes_id")
    minutes = queries.minutes_or_none(minutes_id) if isinstance(minutes_id, int) else None
    with force_locale(locale):
        missing = _("The PDF of the minutes could not be attached; read them at the link in this message.")
    if minutes is None or not minutes.is_approved:
        raise AttachmentUnavailable(missing)
    try:
        name, content = printables.attachment_bytes(minutes, locale, reference.get("version"))
    except PdfUnavailable as exc:
        raise AttachmentUnavailable(missing) from exc
    return Attachment(name, content, "application/pdf")


def minutes_message(locale: str | None, minutes, *, public: bool = False,
                    attachment: Attachment | None = None, with_pdf: bool = False) -> Rendered:
    """The message of approved minutes in ``locale``; ``public``: with the public link in its text (for an
    address that has no personal link); ``with_pdf``: an e-mail carries the minutes' PDF (made at delivery)."""
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
    if with_pdf:
        rendered = replace(rendered, attachment_ref=pdf_reference(minutes))
    return replace(rendered, attachments=(attachment,)) if attachment is not None else rendered
