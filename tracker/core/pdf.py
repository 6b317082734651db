"""PDFs of the printable pages, made from the pages' own templates (``pdf_page`` in their context).

Engine
    WeasyPrint, which lays the HTML out and shapes text with HarfBuzz through the system's Pango, so
    Devanagari conjuncts, vowel signs and the nukta come out as in the browser. It is imported lazily,
    here and only here: a machine without WeasyPrint or without Pango (``libpango-1.0-0``,
    ``libpangoft2-1.0-0`` on Debian) still starts the app, and a PDF asked for there is refused with
    :class:`PdfUnavailable` (503, a translated message; the API answers it as a problem).

Font
    The PDF stylesheet (``static/css/pdf.css``) declares the complete Noto Sans Devanagari TTFs
    (``static/vendor/fonts/noto-sans-devanagari-full/``), never the web font's ``unicode-range`` subsets,
    which WeasyPrint splits wrongly on lines that mix Hindi and English.

Files
    WeasyPrint reads ``/static/…`` from the package's folder (:class:`StaticFetcher`), never over HTTP
    (a worker would otherwise ask itself for its stylesheets); ``data:`` URLs (the QR codes) are read
    inline, and every other URL is refused, so a page can make the renderer fetch nothing from outside.
"""

from __future__ import annotations

import logging
import mimetypes
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from flask import Response, render_template, request
from werkzeug.exceptions import ServiceUnavailable

from tracker.i18n import _

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parents[1] / "static"
PAGE_SIZES = ("a4", "phone")  # the A4 sheet and the narrow page that reads on a phone


class PdfUnavailable(ServiceUnavailable):
    """PDFs cannot be made on this machine (WeasyPrint or Pango missing): 503 with a clear message."""

    def __init__(self, reason: str = ""):
        self.public_message = str(_("PDFs cannot be made on this server: its PDF engine (WeasyPrint with Pango) "
                                    "is not installed. Print the page from the browser instead, or ask the office."))
        super().__init__(self.public_message)
        self.reason = reason
        self.data = {"detail": self.public_message}  # the API's problem (tracker/api/problems.py)


def _engine():
    """The ``weasyprint`` module, or :class:`PdfUnavailable` (imported here so the app starts without it)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but cannot load Pango
        log.warning("PDFs refused: WeasyPrint cannot be loaded (%s)", exc)
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


def pdf_available() -> bool:
    try:
        _engine()
    except PdfUnavailable:
        return False
    return True


def static_file(url: str) -> Path | None:
    """The package file a ``/static/…`` URL names (any host; the query, e.g. a cache-buster, ignored), or
    None for another URL or a path that leaves the static folder."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or not parts.path.startswith("/static/"):
        return None
    target = (STATIC / unquote(parts.path[len("/static/"):])).resolve()
    if STATIC not in target.parents or not target.is_file():
        return None
    return target


def _fetcher(weasyprint):
    class StaticFetcher(weasyprint.URLFetcher):
        """Static files from the package's folder, ``data:`` URLs inline, nothing else."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file(url)
            if path is None:
                raise ValueError(f"a PDF reads only the app's static files, not {url[:80]}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": mime})

    return StaticFetcher(allowed_protocols=("data", "http", "https"))


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of an HTML document whose relative and ``/static/`` URLs resolve against ``base_url``."""
    weasyprint = _engine()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=_fetcher(weasyprint))
    return document.write_pdf(font_config=fonts)


def ascii_filename(filename: str) -> str:
    """The plain-ASCII form of a file name for old clients' ``filename=`` (Devanagari romanised)."""
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    if re.search(r"[\u0900-\u097F]", stem):
        from indic_transliteration import sanscript

        stem = sanscript.transliterate(stem, sanscript.DEVANAGARI, sanscript.IAST)
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "document"
    return f"{stem}.{ext}" if ext else stem


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename=`` and the real (UTF-8) name in ``filename*=`` (RFC 6266)."""
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def pdf_response(html: str, filename: str, base_url: str | None = None) -> Response:
    """The PDF of ``html`` as a download named ``filename`` (which may be in Devanagari)."""
    body = render_pdf(html, base_url or request.host_url)
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": content_disposition(filename),
                             "Cache-Control": "private, no-store"})


def page_size() -> str:
    """The page size asked for (``?page=phone``), A4 otherwise."""
    wanted = request.args.get("page", "a4")
    return wanted if wanted in PAGE_SIZES else "a4"


def wants_pdf() -> bool:
    """Whether the request asks for the page's PDF: ``?format=pdf`` or ``Accept: application/pdf`` first."""
    if request.args.get("format") == "pdf":
        return True
    return request.accept_mimetypes.best == "application/pdf"


def render_page_pdf(template: str, filename: str, **context) -> Response:
    """A page's template in its PDF mode (``pdf_page``: the base layout prints the content only, with
    the PDF stylesheet) as a download. Checks the engine first, so a refusal costs no rendering."""
    _engine()
    size = context.pop("pdf_page", None) or page_size()
    html = strip_other_stylesheets(render_template(template, pdf_page=size, **context))
    return pdf_response(html, filename)


def check_engine() -> None:
    """Raise :class:`PdfUnavailable` if PDFs cannot be made here (before any work is done for one)."""
    _engine()


def strip_other_stylesheets(html: str) -> str:
    """The page without the stylesheets its parts link (only ``pdf.css`` styles a PDF)."""
    return _OTHER_STYLESHEETS.sub("", html)


# Stylesheets that parts of a page link from its body (a panel's own CSS): the PDF stylesheet alone styles
# a PDF, so that screen rules (grids, @media widths) never reach the page on paper.
_OTHER_STYLESHEETS = re.compile(r"""<link\b(?=[^>]*\brel=["']?stylesheet)(?![^>]*css/pdf\.css)[^>]*>""", re.I)


def dated_filename(title: str, day) -> str:
    """``"<title>-<ISO date>.pdf"`` with the title's spaces as hyphens: e.g. ``दिवस-पत्रक-2025-09-22.pdf``."""
    stem = re.sub(r"[\s/\\:]+", "-", str(title).strip())[:80].strip("-")
    return f"{stem}-{day.isoformat()}.pdf" if day is not None else f"{stem}.pdf"

