"""The index each database keeps for the directory's search (``search_key LIKE '% tok%'``).

* PostgreSQL: a GIN trigram index (``pg_trgm``) on ``search_key`` of people and units; the search's
  LIKE uses it as it stands.
* SQLite: an FTS5 table with the ``trigram`` tokenizer, external content over ``search_key`` (its
  rowid is the row's id), kept in step by triggers on insert, update and delete. The search restricts
  its rows with :func:`restrict` (``id IN (SELECT rowid FROM <table>_fts WHERE search_key LIKE …)``),
  and keeps its own LIKE, so the hits are the same with or without the index.

:func:`create` makes either (migration 0027 calls it); :func:`rebuild` re-reads every key into the
FTS tables after a bulk change done with the triggers off or before they existed.
"""

from __future__ import annotations

import sqlalchemy as sa

TABLES = ("people", "units")
# FTS5's trigram tokenizer answers LIKE from its index only for a pattern with a run of at least three
# characters between wildcards; a shorter one would scan the FTS table, so the plain LIKE is used then.
MIN_RUN = 3


def _sqlite_ddl(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"search_key, content='{table}', content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_key) VALUES (new.id, new.search_key); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF id, search_key ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
        f"INSERT INTO {fts}(rowid, search_key) VALUES (new.id, new.search_key); END",
    ]


def create(connection: sa.Connection, tables: tuple[str, ...] = TABLES) -> None:
    """Make the search index on this database (idempotent) and fill it."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        for table in tables:
            connection.execute(sa.text(
                f"CREATE INDEX IF NOT EXISTS ix_{table}_search_key_trgm ON {table} "
                "USING gin (search_key gin_trgm_ops)"))
    elif dialect == "sqlite":
        for table in tables:
            for statement in _sqlite_ddl(table):
                connection.execute(sa.text(statement))
            connection.execute(sa.text(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"))


def on_create(target: sa.Table, connection: sa.Connection, **_kw) -> None:
    """``after_create`` of the models' tables: a database made by ``create_all`` has the index too."""
    create(connection, (target.name,))


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """For Alembic's comparison: the index is not the models' (FTS tables and their shadow tables,
    the trigram indexes); it is made by migration 0027 and :func:`on_create`."""
    if type_ == "table":
        return not any((name or "").startswith(f"{table}_fts") for table in TABLES)
    if type_ == "index":
        return name not in {f"ix_{table}_search_key_trgm" for table in TABLES}
    return True


def drop(connection: sa.Connection) -> None:
    dialect = connection.dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            connection.execute(sa.text(f"DROP INDEX IF EXISTS ix_{table}_search_key_trgm"))
        elif dialect == "sqlite":
            for suffix in ("insert", "delete", "update"):
                connection.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}"))
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table}_fts"))


def rebuild(connection: sa.Connection) -> None:
    """Re-read every stored key into the SQLite FTS tables (nothing to do on PostgreSQL)."""
    if connection.dialect.name == "sqlite":
        for table in TABLES:
            connection.execute(sa.text(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"))


def _indexable(pattern: str) -> bool:
    return max((len(run) for run in pattern.split("%")), default=0) >= MIN_RUN


def restrict(dialect: str, table: str, id_column, alternatives: list[str]):
    """A clause the rows matching any of the LIKE ``alternatives`` satisfy, answered from the index;
    None when the database needs none (PostgreSQL's index serves the LIKE itself) or one of the patterns
    is too short for the trigram index."""
    if dialect != "sqlite" or not alternatives or not all(_indexable(p) for p in alternatives):
        return None
    fts = f"{table}_fts"
    selects = [
        sa.select(sa.literal_column(f"{fts}.rowid")).select_from(sa.table(fts))
        .where(sa.literal_column(f"{fts}.search_key").like(pattern))
        for pattern in dict.fromkeys(alternatives)
    ]
    return id_column.in_(selects[0] if len(selects) == 1 else sa.union(*selects))
