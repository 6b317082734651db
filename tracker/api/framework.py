"""The API's frame: flask-smorest set up for problems, bearer tokens, and the resource blueprints."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from flask import current_app, g, request
from flask_babel import refresh
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint

from tracker.api import operations as token_ops
from tracker.api.problems import PROBLEM_MIMETYPE, ApiError, problem_components, register_blueprint_handlers
from tracker.i18n import _, fmt_date, ngettext
from tracker.timeutil import now_utc

URL_PREFIX = "/api/v1"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

# Every resource blueprint, for registration and the CSRF exemption.
RESOURCE_BLUEPRINTS: list[Blueprint] = []


class Api(SmorestApi):
    """flask-smorest, answering errors as RFC 9457 problems.

    flask-smorest would register an app-wide ``HTTPException`` handler with its own payload, which
    would also turn the HTML error pages into JSON; our handlers live in :mod:`tracker.api.problems`.
    Its lazily registered error responses are documented as ``application/problem+json``.
    """

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        self.spec.components.schema("Problem", problem_components())
        for status in HTTPStatus:
            if status >= 400 and status != HTTPStatus.TOO_MANY_REQUESTS:
                self.spec.components.response(status.name, _problem_response(status.phrase), lazy=True)
        retry = {"description": "Seconds until the token's next one-minute window.",
                 "schema": {"type": "integer", "minimum": 1}}
        self.spec.components.response(HTTPStatus.TOO_MANY_REQUESTS.name, {
            **_problem_response("The token's rate limit (API_RATE_LIMIT requests a minute) is used up."),
            "headers": {"Retry-After": retry}}, lazy=True)
        self.spec.components.response("DEFAULT_ERROR", _problem_response("Error"), lazy=True)


def _problem_response(description: str) -> dict:
    return {"description": description, "content": {PROBLEM_MIMETYPE: {"schema": PROBLEM_REF}}}


def resource_blueprint(name: str, description: str) -> Blueprint:
    """A blueprint under /api/v1 whose every request needs a bearer token; errors are problems."""
    bp = Blueprint(name, __name__, url_prefix=URL_PREFIX, description=description)
    bp.before_request(authenticate)
    bp.before_request(run_guard)
    register_blueprint_handlers(bp)
    RESOURCE_BLUEPRINTS.append(bp)
    return bp


def authenticate() -> None:
    """Authenticate by ``Authorization: Bearer`` only: the session cookie never counts here.

    The request is counted against its token's rate limit first (:func:`token_ops.count_request`, before
    the request's transaction begins), then the token is read: 401 for none in force, 429 beyond the
    limit (``API_RATE_LIMIT`` requests a minute).
    """
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip() if scheme.lower() == "bearer" else ""
    now = now_utc()
    limit = current_app.config.get("API_RATE_LIMIT") or 0
    counted = token_ops.count_request(secret, now) if secret and limit else None
    token = token_ops.resolve(secret, now) if secret else None
    user = token.user if token is not None else None
    g.api_user = user
    # Flask-Login's current_user (read by the audit trail and templates) is the token's user or nobody.
    g._login_user = user if user is not None else current_app.login_manager.anonymous_user()
    from tracker.api.problems import api_locale

    lapsed = token_ops.expired(secret, now) if token is None and secret else None
    g.api_locale_user = lapsed.user if lapsed is not None else None  # its refusal in its user's language
    g.force_locale = api_locale()
    refresh()
    if token is None:
        if lapsed is not None:
            raise ApiError(401, _("The API token expired on %(date)s. Create a new one on your settings page.",
                                  date=fmt_date(lapsed.expires_at)))
        sent = request.headers.get("Authorization", "").strip()
        raise ApiError(401, _("The API token is missing, unknown or revoked.") if sent else None)
    g.api_token = token
    if counted is not None and counted > limit:
        raise ApiError(429, ngettext("This token made more than %(num)d request in a minute. "
                                     "Wait until the next minute.",
                                     "This token made more than %(num)d requests in a minute. "
                                     "Wait until the next minute.", limit),
                       headers={"Retry-After": str(token_ops.retry_after(now))})
    if counted is None:  # no rate limit: the use is noted here instead
        token_ops.touch(token, separately=request.method in READ_METHODS, now=now)


def api_user():
    """The user the request's token acts for (set by :func:`authenticate`)."""
    return g.api_user


def require(action: str, target=None, *, hidden: bool = False) -> None:
    """The policy's answer for the token's user; a denial is a 403 problem, or with ``hidden`` (a
    record whose existence the user may not know) the 404 of a missing record (issue 17)."""
    from tracker import policy

    if not policy.can(g.api_user, action, target):
        raise ApiError(404 if hidden else 403)


def guard(check: str | Callable[..., object]):
    """Declare what an operation checks before its request is read: ``check`` is a policy action
    (403 when denied) or a function of the path's values that raises 401/403/404 (the policy, the
    records the path names). :func:`run_guard` calls it before flask-smorest reads the query and
    body, so the answers come in the documented order: 401, 403, 404, then 400/422 for the request,
    then 412 for If-Match and the rules that depend on stored records (409/422)."""

    def decorate(view):
        view._api_guard = (lambda **_path: require(check)) if isinstance(check, str) else check
        return view

    return decorate


def run_guard() -> None:
    """The guard of the view the request goes to (every resource blueprint runs it after
    :func:`authenticate`)."""
    view_class = getattr(current_app.view_functions.get(request.endpoint), "view_class", None)
    method = request.method.lower()
    view = getattr(view_class, method, None) or (getattr(view_class, "get", None) if method == "head" else None)
    check = getattr(view, "_api_guard", None)
    if check is not None:
        check(**(request.view_args or {}))


PDF_CONTENT = {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}


def pdf_responses(*statuses: int) -> dict:
    """A PDF download's responses: 200 with the PDF (its file name, in the reader's language, in
    Content-Disposition), 503 where the server cannot make PDFs, and the usual errors."""
    return {"200": {"description": "The PDF, as an attachment named in the reader's language "
                                   "(Content-Disposition with filename*).", "content": PDF_CONTENT},
            **error_responses(503, *statuses)}


def error_responses(*statuses: int) -> dict:
    """Responses documented on every operation (401 always: every operation needs a token; 414 for
    a URL over the limit; 429 always: every token is rate limited); with 412 (If-Match) also 400 (a
    malformed If-Match)."""
    codes = sorted({401, 403, 404, 414, 429, *statuses, *((400,) if 412 in statuses else ())})
    return {str(code): HTTPStatus(code).name for code in codes}  # references to the lazy components
