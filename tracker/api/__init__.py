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
                                "`tracker tokens create USERNAME`. Errors are RFC 9457 problems in the "
                                "language asked for by Accept-Language (hi or en)."},
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    })
    api = Api(app)
    load_resources()
    for bp in RESOURCE_BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)
    from tracker.api.schemas import SCHEMA_RULES

    for name, rules in SCHEMA_RULES.items():  # rules between fields, which marshmallow's fields cannot state
        api.spec.components.schemas[name].update(rules)
    chain_app_handler(app, HTTPException, handle_http_exception)
    chain_app_handler(app, Exception, handle_unexpected)

    from tracker.api import views

    views.init_app(app)

    from tracker.api.cli import tokens_cli

    app.cli.add_command(tokens_cli)
