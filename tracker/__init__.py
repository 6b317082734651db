"""tracker: plan and run a party state office's organizational meetings."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from tracker import (
    api,
    attendance,
    auth,
    campaigns,
    circulars,
    core,
    directory,
    flags,
    meetings,
    minutes,
    reminders,
    reports,
    reviews,
    uploads,
)
from tracker.config import ROOT, DefaultConfig, secret_key_from_instance

# Each domain is a sub-package with ``init_app(app)``: blueprints, CLI groups, navigation, models. From the
# bottom up (tests/foundation/test_layers.py): a domain registers into the registries of those below it.
DOMAINS = (core, directory, uploads, auth, campaigns, meetings, attendance, reviews, reminders, minutes, reports,
           circulars, flags, api)


def create_app(config: Mapping | None = None) -> Flask:
    instance_path = os.environ.get("TRACKER_INSTANCE_PATH") or str(ROOT / "instance")
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=instance_path,
        instance_relative_config=True,
    )
    # Each layer wins over the ones before it; ``DATABASE_URL`` is resolved within its own layer, so that
    # a database named by the caller's mapping is never overridden by one exported in the environment.
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    _resolve_database_url(app.config)
    app.config.from_prefixed_env("TRACKER")
    _resolve_database_url(app.config)
    if config:
        app.config.update(config)
        _resolve_database_url(app.config)
    _finish_config(app)
    _trust_proxies(app)

    _register_extensions(app)
    for domain in DOMAINS:
        domain.init_app(app)
    _register_commands(app)
    return app


def _resolve_database_url(cfg) -> None:
    """``DATABASE_URL`` (``TRACKER_DATABASE_URL`` in the environment) is the short name of the database."""
    url = cfg.pop("DATABASE_URL", None)
    if url:
        cfg["SQLALCHEMY_DATABASE_URI"] = url


def _finish_config(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cfg = app.config
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "tracker.sqlite")
    uri = cfg["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver for PostgreSQL.
        cfg["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = secret_key_from_instance(app.instance_path)
    if cfg.get("DEFAULT_LOCALE") not in cfg["LANGUAGES"]:
        cfg["DEFAULT_LOCALE"] = cfg["LANGUAGES"][0]  # the first language the office offers
    cfg["BABEL_DEFAULT_LOCALE"] = cfg["DEFAULT_LOCALE"]
    cfg["BABEL_DEFAULT_TIMEZONE"] = cfg["TIMEZONE"]
    if cfg.get("SESSION_COOKIE_SECURE"):
        cfg["REMEMBER_COOKIE_SECURE"] = True
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin: noise


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, the client address is the one the nearest of them
    saw: that many entries from the right of X-Forwarded-For, never more (a client may send any
    X-Forwarded-For it likes). With 0, the header is ignored and the connection's address is used."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # X-Forwarded-Proto too: behind a proxy that terminates HTTPS the app knows the request was secure
        # (HSTS, https:// in made links); the proxy must set it (it overwrites what a client sent).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def _register_extensions(app: Flask) -> None:
    from tracker import assets
    from tracker.db import configure_sqlite_engine
    from tracker.extensions import babel, csrf, db, migrate
    from tracker.i18n import compile_catalogs, select_locale, select_timezone
    from tracker.i18n import init_app as init_i18n

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    assets.init_app(app)
    compile_catalogs(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    init_i18n(app)
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite_engine(engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    # Every model must be known to the metadata (migrations, relationships by name).
    from tracker.audit import models  # noqa: F401


def _register_commands(app: Flask) -> None:
    from tracker.commands import register_commands

    register_commands(app)
