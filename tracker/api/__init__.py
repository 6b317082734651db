"""The JSON API (``/api/v1``): resources over the domains, OpenAPI 3.1 document, per-user tokens."""

from __future__ import annotations

from flask import Flask

API_TITLE = "tracker API"
API_VERSION = "1"


def init_app(app: Flask) -> None:
    from werkzeug.exceptions import HTTPException

    from tracker.api import models  # noqa: F401  (the table must be known to the metadata)
    from tracker.api.framework import RESOURCE_BLUEPRINTS, URL_PREFIX, Api
    from tracker.api.problems import chain_app_handler, handle_http_exception, handle_unexpected
    from tracker.api.resources import load_resources
    from tracker.extensions import csrf

    app.config.setdefault("API_TITLE", API_TITLE)
    app.config.setdefault("API_VERSION", API_VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", URL_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": "Bearer tokens are created on the settings page or with "
                                "`tracker tokens create USERNAME`. A token expires after "
                                f"{app.config['API_TOKEN_DAYS']} days (the "
                                "setting API_TOKEN_DAYS; its expiry is shown when it is made and in the "
                                "token list), and all of a user's tokens are revoked when their password "
                                "changes or their login is deactivated: then requests answer 401. Each "
                                f"token may make {app.config['API_RATE_LIMIT']} requests a minute "
                                "(API_RATE_LIMIT, 0 for no limit); beyond that the "
                                "API answers 429 with Retry-After (seconds until the next minute). Errors "
                                "are RFC 9457 problems in the language asked for by Accept-Language "
                                "(hi or en)."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    api = Api(app)
    load_resources()
    for bp in RESOURCE_BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)
    chain_app_handler(app, HTTPException, handle_http_exception)
    chain_app_handler(app, Exception, handle_unexpected)

    from tracker.api import views

    views.init_app(app)

    from tracker.api.operations import revoke_all
    from tracker.auth.signals import credentials_revoked

    credentials_revoked.connect(revoke_all, weak=False)  # a new password or a deactivation ends the tokens

    from tracker.api.cli import tokens_cli

    app.cli.add_command(tokens_cli)
