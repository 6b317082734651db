"""The JSON API (``/api/v1``): resources over the domains, OpenAPI 3.1 document, per-user tokens."""

from __future__ import annotations

from flask import Flask

API_TITLE = "tracker API"
API_VERSION = "1"
# The longest URL (path and query) the API reads; gunicorn.conf.py lets request lines up to 8190 bytes
# through, so that a longer URL gets this API's 414 problem rather than gunicorn's page.
MAX_URL_LENGTH = 4096

DESCRIPTION = f"""Bearer tokens are created on the settings page or with `tracker tokens create USERNAME`.
A token expires after {{token_days}} days (the setting API_TOKEN_DAYS; its expiry is shown when it is made and
in the token list), and all of a user's tokens are revoked when their password changes or their login is
deactivated: then requests answer 401. Each token may make {{rate_limit}} requests a minute (API_RATE_LIMIT,
0 for no limit); beyond that the API answers 429 with Retry-After (seconds until the next minute).
Errors are RFC 9457 problems in the language asked for by Accept-Language (hi or en).

**Order of the answers.** 401 (no, an unknown or a revoked token), then 403 (the account may not
do this), then 404 (the record is missing, or the account may not know it exists), then 400 or 422
(the request by itself: its query, its body, the syntax of If-Match), then 412 (If-Match names
another version of the record), then 409 or 422 for the rules that compare the request with stored
records (a unit's parent, a unique code, overlapping terms, a locked attendance).

**What the schemas state.** Every rule a request is checked by on its own is in the schemas: lengths
(counted in characters as sent), the characters a name or note may hold (a `pattern`: no control,
direction or invisible formatting character; ZWJ and ZWNJ are kept), years 1900–2999 for dates,
codes, mobile numbers, e-mail addresses, and the rules between fields (anyOf, if/then).

**Limits.** A URL (path and query) of at most {MAX_URL_LENGTH} characters (else 414); the request
line at most 8190 bytes and at most 100 headers of 8190 bytes each (beyond, the HTTP server answers
with its own plain-text 414/431/400); lists at most 100 items a page."""


def init_app(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException

    from tracker.api import models  # noqa: F401  (the table must be known to the metadata)
    from tracker.api.framework import RESOURCE_BLUEPRINTS, URL_PREFIX, Api
    from tracker.api.history import register_fields
    from tracker.api.problems import chain_app_handler, handle_http_exception, handle_unexpected
    from tracker.api.resources import load_resources
    from tracker.extensions import csrf

    app.config.setdefault("API_TITLE", API_TITLE)
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", URL_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": DESCRIPTION.format(token_days=app.config["API_TOKEN_DAYS"],
                                                   rate_limit=app.config["API_RATE_LIMIT"])},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    register_fields()
    api = Api(app)
    load_resources()
    for bp in RESOURCE_BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)
    from tracker.api.schemas import SCHEMA_RULES

    for name, rules in SCHEMA_RULES.items():  # rules between fields, which marshmallow's fields cannot state
        api.spec.components.schemas[name].update(rules)
    app.before_request(refuse_long_urls)
    chain_app_handler(app, HTTPException, handle_http_exception)
    chain_app_handler(app, Exception, handle_unexpected)

    from tracker.api import views

    views.init_app(app)

    from tracker.api.operations import revoke_all
    from tracker.auth.signals import credentials_revoked

    credentials_revoked.connect(revoke_all, weak=False)  # a new password or a deactivation ends the tokens

    from tracker.api.cli import tokens_cli

    app.cli.add_command(tokens_cli)


def refuse_long_urls():
    """414 (a problem under /api/, the page elsewhere) for a URL longer than MAX_URL_LENGTH."""
    from flask import request
    from werkzeug.exceptions import RequestURITooLarge

    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    length = len(raw) if raw else len(request.path) + 1 + len(request.environ.get("QUERY_STRING", ""))
    if length > MAX_URL_LENGTH:
        raise RequestURITooLarge()
