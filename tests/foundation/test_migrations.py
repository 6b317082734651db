"""The schema is made by the migrations alone, and they match the models (SQLite and PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from tracker.extensions import db


def test_migrations_match_models():
    # The session-wide database was made by `upgrade heads` (see conftest): compare it with the models.
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"migrations and models differ: {diff}"


def test_database_is_at_every_head():
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == heads


def test_every_revision_downgrades_and_upgrades_again(app, tmp_path):
    """Walk the whole history down to base and up again on a scratch SQLite database."""
    from flask_migrate import downgrade, upgrade

    from tracker import create_app

    scratch = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.sqlite'}",
                          "SECRET_KEY": "x"})
    with scratch.app_context():
        upgrade(revision="heads")
        downgrade(revision="base")
        upgrade(revision="heads")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()
