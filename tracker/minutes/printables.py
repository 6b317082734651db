"""The minutes as a PDF (tracker/core/pdf.py), from the print page's own template: A4 with the letterhead,
the logo, the reference number and the chair's signature block. For the pages, the API and the e-mail that
carries the approved minutes (made again when the message is delivered); the caller has checked access."""

from __future__ import annotations

import base64
import re

from flask import Response, current_app, render_template, url_for
from flask_babel import force_locale, pgettext

from tracker.core import pdf
from tracker.minutes import queries
from tracker.minutes.models import REFERENCE_WORD, Minutes, MinutesSettings
from tracker.uploads.operations import read_bytes

_UNSAFE = re.compile(r'[\s/\\:*?"<>|\x00-\x1f\x7f]+')


DEFAULT_LOGO = "img/minutes-logo.svg"


def logo_src(settings: MinutesSettings, variant: str = "page") -> str:
    """The ``src`` of the letterhead's logo: the default one when the office has uploaded none; else, in a PDF,
    the uploaded image's bytes as a ``data:`` URL (the PDF reads no other URL), and on a page the public route
    that serves the current logo alone. The logo comes loaded with the settings: no query here."""
    logo = settings.logo
    if logo is None:
        return url_for("static", filename=DEFAULT_LOGO)
    if variant == "pdf":
        return f"data:{logo.content_type};base64,{base64.b64encode(read_bytes(logo)).decode('ascii')}"
    return url_for("minutes_public.logo", key=logo.key)


def filename(minutes: Minutes) -> str:
    """The PDF's file name in the current language, with the reference's slashes as hyphens and its word
    ("कार्यवृत्त", already the title's) left out: ``कार्यवृत्त-MPCC-2025-001.pdf``, ``Minutes-MPCC-2025-001.pdf``."""
    parts = [p for p in (minutes.reference or "").split("/") if p.strip() and p.strip() != REFERENCE_WORD]
    stem = "-".join([str(pgettext("document", "Minutes")), *parts])
    stem = _UNSAFE.sub("-", stem).strip("-.")[:120] or "minutes"
    return f"{stem}.pdf"


def texts_and_language(minutes: Minutes, version: int | None = None) -> tuple[dict, str]:
    """The texts and their language: of a kept version (``version``), or the current ones."""
    if version is not None:
        found = next((v for v in minutes.versions if v.number == version), None)
        if found is not None:
            snapshot = found.snapshot or {}
            return dict(snapshot.get("texts") or {}), snapshot.get("language") or minutes.language
    return dict(minutes.texts or {}), minutes.language


def _html(minutes: Minutes, version: int | None = None) -> str:
    texts, language = texts_and_language(minutes, version)
    return render_template("minutes/print.html", minutes=minutes, doc=queries.document(minutes), texts=texts,
                           language=language, variant="pdf", pdf_page="a4")


def minutes_pdf(minutes: Minutes) -> Response:
    """The minutes' PDF as a download named in the reader's language."""
    return pdf.render_page_pdf("minutes/print.html", filename(minutes), minutes=minutes,
                               doc=queries.document(minutes), texts=dict(minutes.texts or {}),
                               language=minutes.language, variant="pdf", pdf_page="a4")


def attachment_bytes(minutes: Minutes, locale: str, version: int | None = None) -> tuple[str, bytes]:
    """The file name and bytes of the minutes' PDF in ``locale`` (of the version sent), made outside a
    request (the outbox's delivery): in a request context of its own, rooted at ``PUBLIC_URL``.
    Raises :class:`tracker.core.pdf.PdfUnavailable` when PDFs cannot be made."""
    pdf.check_engine()
    base = current_app.config.get("PUBLIC_URL") or "http://localhost/"
    with current_app.test_request_context("/", base_url=base), force_locale(locale):
        html = pdf.strip_other_stylesheets(_html(minutes, version))
        return filename(minutes), pdf.render_pdf(html, base)
