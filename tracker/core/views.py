from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from tracker import policy
from tracker.core.links import attention_clear, home_endpoint_for, page_links, page_panels, panels_for
from tracker.core.nav import nav_items_for, register_nav
from tracker.core.signals import locale_chosen
from tracker.core.transaction import discard
from tracker.extensions import db
from tracker.i18n import (
    SESSION_KEY,
    _,
    _l,
    current_locale,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_time,
    localized,
)

log = logging.getLogger(__name__)
bp = Blueprint("core", __name__)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative redirects."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for("core.dashboard"))


@bp.route("/home")
@login_required
def dashboard():
    """The user's home: a role with a home page of its own (a district president's agenda) goes there;
    everyone else sees the panels the domains registered for them (tracker/core/links.py)."""
    policy.require(current_user, "dashboard.view")
    home = home_endpoint_for(current_user)
    if home is not None:
        return redirect(url_for(home))
    panels = panels_for(current_user)
    return render_template("core/dashboard.html", panels=panels, all_clear=attention_clear(current_user, panels))


@bp.route("/locale", methods=["POST"])
def set_locale():
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = locale
        if current_user.is_authenticated:
            locale_chosen.send(current_user._get_current_object(), locale=locale)
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


@bp.route("/healthz")
def healthz():
    db.session.execute(db.select(1))
    return {"status": "ok"}


ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Not allowed"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    413: (_l("File too large"), _l("The file is larger than the office allows. Please send a smaller one.")),
    429: (_l("Too many attempts"), _l("Please wait a little and try again.")),
    500: (_l("Something went wrong"), _l("The office has been notified. Please try again in a moment.")),
    503: (_l("Not available"), _l("This is not available on this server just now.")),
}


def render_error(code: int, message: str | None = None):
    title, default_message = ERROR_TEXT.get(code, ERROR_TEXT[500])
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return {"status": code, "title": str(title), "detail": message or str(default_message)}, code
    return (
        render_template("errors/error.html", code=code, title=title, message=message or default_message),
        code,
    )


def _handle_http(exc: HTTPException):
    # An exception that carries a message for the reader (e.g. PDFs refused, tracker/core/pdf.py) shows it.
    return render_error(exc.code or 500, getattr(exc, "public_message", None))


def _handle_csrf(exc: CSRFError):
    return render_error(400, _("The form expired or was sent without its security token. Please reload the page and try again."))


def _handle_unexpected(exc: Exception):
    discard()
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def _security_headers(response):
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers.setdefault("Content-Security-Policy", csp)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _context():
    return {
        "nav_items": nav_items_for(current_user),
        "current_locale": current_locale(),
        "can": lambda action, target=None: policy.can(current_user, action, target),
        "localized": localized,
    }


def bdi(text) -> Markup:
    """User text inline among other words (a name in a sentence or a cell): isolated, its direction
    from its own first letter (``<bdi>``), so that a name in another script cannot reorder what is
    around it."""
    return Markup("<bdi>{}</bdi>").format("" if text is None else text)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(CSRFError, _handle_csrf)
    if not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, _handle_unexpected)
    app.after_request(_security_headers)
    app.context_processor(_context)
    app.jinja_env.filters.update(
        fmt_date=fmt_date, fmt_datetime=fmt_datetime, fmt_time=fmt_time, fmt_number=fmt_number, localized=localized,
        bdi=bdi,
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals["page_links"] = page_links
    app.jinja_env.globals["page_panels"] = page_panels

    register_nav("core.dashboard", _l("Home"), "dashboard.view", order=0)
