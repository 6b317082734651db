"""The schema is made by one line of migrations, and it is the models' schema.

Every test runs on the suite's kind of database (SQLite, or PostgreSQL with
``TRACKER_TEST_DATABASE_URL``); a scratch database is a SQLite file or a database beside the
suite's on the same PostgreSQL server.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, revision, upgrade

import tracker
from tests.factories import make_invitation, make_meeting, make_person, make_session
from tracker import create_app
from tracker.attendance import passcodes
from tracker.commands import SCHEMA_REVISION, SQUASHED_HEAD, UnknownMigrationHistory, upgrade_database
from tracker.directory import search_index
from tracker.directory.models import STANDARD_ROLES, PostRole
from tracker.extensions import db
from tracker.meetings.models import Invitation


def _scripts(directory: str | None = None) -> ScriptDirectory:
    return ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config(directory))


def _revisions() -> set[str]:
    """The revisions the database of the current app is stamped with."""
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


@contextlib.contextmanager
def _scratch_database(tmp_path: Path, name: str):
    """The URL of a new, empty database of the suite's kind; it is dropped afterwards."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / f'{name}.sqlite'}"
        return
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    database = f"{url.database}_{name}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.dispose()


@contextlib.contextmanager
def _app_on(url: str):
    """An app context whose ``db`` is the database at ``url``."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def _normal(sql) -> str | None:
    """SQL text without its layout and without parentheses around the whole of it."""
    if sql is None:
        return None
    text = " ".join(str(sql).split())
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


ASPECTS = ("columns", "primary key", "foreign keys", "unique", "indexes", "checks")


def _schema(engine: sa.Engine) -> dict[str, dict[str, object]]:
    """Each table as the database reports it: columns (type, nullable, server default), keys, indexes,
    and CHECK constraints by name with their SQL text as the database keeps it."""
    inspector = sa.inspect(engine)
    reflected = {  # every table at once: a few queries, not a few per table
        "columns": inspector.get_multi_columns(),
        "primary key": inspector.get_multi_pk_constraint(),
        "foreign keys": inspector.get_multi_foreign_keys(),
        "unique": inspector.get_multi_unique_constraints(),
        "indexes": inspector.get_multi_indexes(),
        "checks": inspector.get_multi_check_constraints(),
    }
    described = {
        "columns": lambda columns: {c["name"]: (str(c["type"]), c["nullable"], _normal(c["default"]))
                                    for c in columns},
        "primary key": lambda pk: (pk["name"], tuple(pk["constrained_columns"])),
        "foreign keys": lambda fks: sorted(
            (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]),
             sorted(fk["options"].items())) for fk in fks),
        "unique": lambda uniques: sorted((u["name"], tuple(u["column_names"])) for u in uniques),
        "indexes": lambda indexes: sorted((i["name"], tuple(i["column_names"]), i["unique"]) for i in indexes),
        "checks": lambda checks: {c["name"]: _normal(c["sqltext"]) for c in checks},
    }
    tables = {table for _schema_name, table in reflected["columns"]} - {"alembic_version"}
    return {table: {aspect: described[aspect](reflected[aspect][(None, table)]) for aspect in ASPECTS}
            for table in tables}


def _differences(found: dict, expected: dict) -> dict[tuple[str, str], tuple[object, object]]:
    """(table, aspect): (found, expected) wherever the two schemas differ, down to the column or CHECK."""
    differences = {}
    for table in sorted(found.keys() | expected.keys()):
        for aspect in ASPECTS:
            mine, theirs = found.get(table, {}).get(aspect), expected.get(table, {}).get(aspect)
            if mine == theirs:
                continue
            if isinstance(mine, dict) and isinstance(theirs, dict):
                differing = {key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key)}
                mine, theirs = ({key: value for key, value in side.items() if key in differing}
                                for side in (mine, theirs))
            differences[(table, aspect)] = (mine, theirs)
    return differences


# --- one line of history -------------------------------------------------------------------------


def test_the_history_is_one_line_of_numbered_revisions_with_one_head():
    script = _scripts()
    revisions = list(script.walk_revisions())  # from the head down
    assert len(script.get_heads()) == 1
    assert [r.down_revision for r in revisions] == [r.revision for r in revisions[1:]] + [None]
    assert revisions[-1].revision == SCHEMA_REVISION
    numbers = [r.revision.split("_", 1)[0] for r in reversed(revisions)]
    assert numbers == [f"{n:04d}" for n in range(1, len(revisions) + 1)]


def test_the_suites_database_is_at_the_head():
    assert _revisions() == {_scripts().get_current_head()}


def test_a_new_revision_is_numbered_on_top_of_the_head_and_a_branch_is_refused(tmp_path):
    migrations = shutil.copytree(Path(tracker.__file__).parent / "migrations", tmp_path / "migrations",
                                 ignore=shutil.ignore_patterns("__pycache__"))
    head = _scripts().get_current_head()
    revision(directory=str(migrations), message="Next step!")
    made = _scripts(str(migrations)).get_revision("head")
    assert made.revision == f"{int(head[:4]) + 1:04d}_next_step"
    assert made.down_revision == head
    assert Path(made.path).name.endswith(f"_{made.revision}.py")
    with pytest.raises(SystemExit):  # Flask-Migrate reports the refusal and exits
        revision(directory=str(migrations), message="A side branch", head=head, splice=True)
    assert len(list(_scripts(str(migrations)).walk_revisions())) == len(list(_scripts().walk_revisions())) + 1


# --- the migrated database is the models' database -----------------------------------------------


def test_alembic_sees_no_difference_between_the_migrated_database_and_the_models():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "compare_server_default": True,
                                                               "include_name": search_index.include_name})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"migrations and models differ: {diff}"


def test_the_database_has_each_tables_check_constraints_of_the_models_by_name():
    """Alembic does not compare CHECK constraints: the named ones of the models (their own and their
    enumerations') are those of the migrated database, table by table."""
    inspector = sa.inspect(db.engine)
    for table in db.metadata.sorted_tables:
        declared = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
        assert {c["name"] for c in inspector.get_check_constraints(table.name)} == declared, table.name


def test_the_migrated_database_is_the_database_the_models_make(tmp_path):
    """Reflected side by side with a database made by ``create_all`` from the models: the same
    columns with their server defaults, keys, indexes and CHECK texts (as the database normalises
    them, so PostgreSQL's rewriting applies to both)."""
    with _scratch_database(tmp_path, "models") as url:
        engine = sa.create_engine(url)
        try:
            db.metadata.create_all(engine)
            made_by_models = _schema(engine)
        finally:
            engine.dispose()
    differences = _differences(_schema(db.engine), made_by_models)
    assert not differences, f"(table, aspect): (migrated, made by the models): {differences}"


def test_upgrade_downgrade_to_base_and_upgrade_again(tmp_path):
    migrated = _schema(db.engine)
    with _scratch_database(tmp_path, "round_trip") as url, _app_on(url):
        upgrade(revision="head")
        downgrade(revision="base")
        assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
        assert _revisions() == set()
        upgrade(revision="head")
        differences = _differences(_schema(db.engine), migrated)
        assert not differences, f"(table, aspect): (again, first time): {differences}"
        roles = db.session.execute(sa.select(PostRole.code, PostRole.title_en, PostRole.title_hi,
                                             PostRole.single_holder, PostRole.sort_order)).all()
        assert sorted(map(tuple, roles)) == sorted(STANDARD_ROLES)  # the seed rows


# --- a database made by the squashed history -----------------------------------------------------


def _stamp(*revisions: str) -> None:
    db.session.execute(sa.text("DELETE FROM alembic_version"))
    for name in revisions:
        db.session.execute(sa.text("INSERT INTO alembic_version (version_num) VALUES (:name)"), {"name": name})
    db.session.commit()


def test_a_database_at_the_squashed_head_is_restamped_and_keeps_its_data(tmp_path, caplog):
    with _scratch_database(tmp_path, "squashed") as url, _app_on(url):
        upgrade(revision="head")
        meeting = make_meeting(status="published", commit=False)
        invitation = make_invitation(make_session(meeting, commit=False), make_person(commit=False), commit=False)
        db.session.flush()
        passcodes.assign([invitation.id])
        codes = passcodes.codes_for([invitation.id])
        db.session.commit()
        downgrade(revision=SCHEMA_REVISION)  # with the data: the schema of 0009_roster_pass_codes
        _stamp(SQUASHED_HEAD)  # and commit: the migrations' connection must not wait for this one (SQLite)
        with caplog.at_level(logging.WARNING, logger="tracker.cli"):
            upgrade_database()
        assert _revisions() == {_scripts().get_current_head()}
        assert f"re-stamped {SCHEMA_REVISION}" in caplog.text and SQUASHED_HEAD in caplog.text
        db.session.expire_all()
        assert codes and passcodes.codes_for([invitation.id]) == codes
        assert db.session.get(Invitation, invitation.id).pass_token  # it held a token: it holds a pass
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PostRole)) == len(STANDARD_ROLES)


def test_a_database_at_another_unknown_revision_is_refused_with_what_to_do(tmp_path):
    with _scratch_database(tmp_path, "unknown") as url, _app_on(url):
        db.session.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"))
        for revisions in (("0008_merge",), ("0002_directory", "0003_meetings"), ("4f2a9c1e7b3d",)):
            _stamp(*revisions)
            with pytest.raises(UnknownMigrationHistory) as refused:
                upgrade_database()
            message = refused.value.message
            assert all(name in message for name in revisions) and "tracker setup" in message
            if db.engine.dialect.name == "sqlite":
                assert f"delete {db.engine.url.database} (instance/tracker.sqlite by default)" in message
            assert _revisions() == set(revisions)  # left as it was
            assert sa.inspect(db.engine).get_table_names() == ["alembic_version"]
