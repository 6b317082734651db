"""RFC 9457 problem details for the whole ``/api/`` prefix, in the locale of ``Accept-Language``.

Matched API routes get these from their blueprints' error handlers (which take precedence over the
foundation's app-wide ones). Unmatched paths under ``/api/`` (404, 405) never reach a blueprint, so
:func:`chain_app_handler` wraps the app-wide handler: ``/api/`` paths get a problem, every other
path keeps the page the foundation renders.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus

import sqlalchemy as sa
from flask import current_app, g, request
from flask_babel import force_locale
from werkzeug.exceptions import HTTPException

from tracker.core.errors import DomainError
from tracker.core.transaction import discard
from tracker.i18n import _, _l

log = logging.getLogger(__name__)

PROBLEM_MIMETYPE = "application/problem+json"
API_PREFIX = "/api/"

TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    413: _l("Request too large"),
    414: _l("Address too long"),
    415: _l("Unsupported media type"),
    422: _l("Invalid data"),
    428: _l("Precondition required"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}

DETAILS = {
    400: _l("The request could not be understood."),
    401: _l("Send a valid API token in the header Authorization: Bearer <token>."),
    403: _l("Your account may not do this."),
    404: _l("There is no such resource, or you may not see it."),
    405: _l("This method is not possible on this resource."),
    412: _l("The record changed after you read it. Read it again, then repeat your change."),
    422: _l("Some values are not valid; see errors."),
    500: _l("Something went wrong on the server. Please try again in a moment."),
}

# Problem types beyond the plain HTTP status ("about:blank").
TYPES = {
    401: "urn:tracker:problem:token-required",
    412: "urn:tracker:problem:record-changed",
    422: "urn:tracker:problem:invalid-data",
}

# marshmallow's and webargs's built-in messages, translated for the field errors.
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field may not be empty."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid boolean.": _l("Enter true or false."),
    "Not a valid date.": _l("Enter a date as YYYY-MM-DD."),
    "Not a valid datetime.": _l("Enter a date and time as YYYY-MM-DDTHH:MM:SS+05:30."),
    "Not a valid email address.": _l("Enter a valid email address."),
    "Unknown field.": _l("This field is not known."),
    "Invalid input type.": _l("The value has the wrong type."),
    "Invalid JSON body.": _l("The body is not valid JSON."),
    "String does not match expected pattern.": _l("The value is not in the expected form."),
}
# Messages formatted with their limits, recognised by how they start.
FIELD_MESSAGE_STARTS = {
    "Must be one of:": _l("Choose one of the allowed values."),
    "Longer than maximum length": _l("The text is too long."),
    "Must be greater than or equal to": _l("The value is out of the allowed range."),
    "Must be less than or equal to": _l("The value is out of the allowed range."),
}


class ApiError(HTTPException):
    """An HTTP error with a detail message and field errors for the problem body."""

    def __init__(self, status: int, detail: str | None = None, errors: Mapping | None = None,
                 headers: Mapping[str, str] | None = None):
        self.code = status
        super().__init__(description=detail)
        self.data = {"detail": detail, "errors": errors, "headers": dict(headers or {})}


def api_locale() -> str:
    """Accept-Language first (hi or en), then the token user's saved language, then the default."""
    languages = current_app.config["LANGUAGES"]
    best = request.accept_languages.best_match(languages)
    if best:
        return best
    user = getattr(g, "api_user", None) or getattr(g, "api_locale_user", None)
    if user is not None and user.locale in languages:
        return user.locale
    return current_app.config["DEFAULT_LOCALE"]


def _translated_message(message) -> str:
    text = str(message)
    known = FIELD_MESSAGES.get(text)
    if known is None:
        known = next((msg for start, msg in FIELD_MESSAGE_STARTS.items() if text.startswith(start)), None)
    return str(known) if known is not None else text


def _merge(out: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for field, messages in more.items():
        out.setdefault(field, []).extend(messages)


def flatten_errors(messages, path: str = "") -> dict[str, list[str]]:
    """webargs' ``{"json": {"field": ["msg"]}}`` → ``{"field": ["msg"]}`` (nested fields joined by ".")."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            key = str(key)
            top_level_location = not path and key in ("json", "query", "form", "headers", "view_args", "path")
            _merge(out, flatten_errors(value, "" if top_level_location else f"{path}.{key}" if path else key))
    elif isinstance(messages, list | tuple) and any(isinstance(m, Mapping | list | tuple) for m in messages):
        for index, value in enumerate(messages):
            _merge(out, flatten_errors(value, f"{path}.{index}" if path else str(index)))
    else:
        items = messages if isinstance(messages, list | tuple) else [messages]
        out[path or "_body"] = [_translated_message(m) for m in items]
    return out


def problem_response(status: int, detail: str | None = None, errors: Mapping | None = None,
                     headers: Mapping[str, str] | None = None):
    """The problem+json response for ``status`` in the request's API locale."""
    locale = api_locale()
    with force_locale(locale):
        title = TITLES.get(status)
        body: dict = {
            "type": TYPES.get(status, "about:blank"),
            "title": str(title) if title is not None else HTTPStatus(status).phrase,
            "status": status,
            "detail": detail or str(DETAILS.get(status, title or HTTPStatus(status).phrase)),
        }
        if errors:
            body["errors"] = flatten_errors(errors)
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype=PROBLEM_MIMETYPE)
    response.headers["Content-Language"] = locale
    response.vary.add("Accept-Language")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response


def _exception_headers(exc: HTTPException) -> dict[str, str]:
    """Headers werkzeug attaches to the error (Allow on 405 …), without its HTML content type."""
    return {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}


def handle_http_exception(exc: HTTPException):
    data = getattr(exc, "data", None) or {}
    headers = _exception_headers(exc)
    headers.update(data.get("headers") or {})
    errors = data.get("errors") or data.get("messages")
    detail = data.get("detail") or data.get("message")
    return problem_response(exc.code or 500, detail=detail, errors=errors, headers=headers)


def handle_refusal(exc: DomainError):
    """A rule refused the change: 422, with the message (and its field, when it names one)."""
    discard()
    return problem_response(422, exc.message, {exc.field: [exc.message]} if exc.field else None)


def handle_conflict(exc: sa.exc.IntegrityError):
    """What the database refused and the operations did not foresee; nothing is saved."""
    discard()
    return problem_response(409, _("The change conflicts with other records; nothing was saved."))


def handle_value_too_large(exc: sa.exc.DataError):
    discard()
    return problem_response(422, _("A value does not fit (too long, or out of range); nothing was saved."))


def handle_unexpected(exc: Exception):
    discard()
    log.exception("unhandled API error on %s %s", request.method, request.path)
    return problem_response(500)


def register_blueprint_handlers(bp) -> None:
    bp.register_error_handler(HTTPException, handle_http_exception)
    bp.register_error_handler(DomainError, handle_refusal)
    bp.register_error_handler(sa.exc.IntegrityError, handle_conflict)
    bp.register_error_handler(sa.exc.DataError, handle_value_too_large)
    bp.register_error_handler(Exception, handle_unexpected)


def chain_app_handler(app, exc_class: type[Exception], api_handler: Callable) -> None:
    """Answer ``/api/`` paths with ``api_handler``; leave every other path to the handler already there."""
    previous = app.error_handler_spec[None][None].get(exc_class)
    if previous is None and exc_class is not HTTPException:
        return  # exceptions propagate (debug, tests); matched API routes still have their blueprint handler

    def handler(exc):
        if request.path.startswith(API_PREFIX):
            return api_handler(exc)
        if previous is not None:
            return previous(exc)
        return exc

    app.register_error_handler(exc_class, handler)


def problem_components() -> dict:
    """The Problem schema as an OpenAPI 3.1 (JSON Schema 2020-12) object."""
    return {
        "type": "object",
        "description": "A problem detail (RFC 9457), in the language asked for by Accept-Language (hi or en).",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
                "description": "Messages per field (nested fields joined by a dot).",
            },
        },
        "required": ["type", "title", "status", "detail"],
    }
