"""Declarative base, naming convention, UTC times and the SQLite connection recipe."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from tracker.timeutil import now_utc

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """Timestamps are stored in UTC (naive in the column) and come back timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class TimestampMixin:
    # Model timestamps read the app's one clock: real time unless the NOW setting fixes it.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now_utc, onupdate=now_utc, nullable=False)


def enum_column(enum_cls, name: str, **kw):
    """A portable enum column: VARCHAR plus a named CHECK of the values."""
    return mapped_column(
        sa.Enum(
            enum_cls,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=32,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kw,
    )


# --- SQLite: the connection recipe ------------------------------------------------------------
#
# pysqlite's own transaction handling is switched off so that SQLAlchemy's "begin" event emits
# BEGIN itself (https://docs.sqlalchemy.org/en/20/dialects/sqlite.html#serializable-isolation-savepoints-transactional-ddl).
# Write transactions begin with BEGIN IMMEDIATE: with deferred transactions, two requests that
# read and then write fail at once with "database is locked" whatever the busy timeout.


def is_read_only_context() -> bool:
    """A GET/HEAD/OPTIONS request reads; everything else (POST…, CLI, jobs) may write. Also decides
    whether a request is committed at its end (tracker.core.transaction)."""
    try:
        from flask import has_request_context, request
    except ImportError:  # pragma: no cover
        return False
    if has_request_context():
        return request.method in ("GET", "HEAD", "OPTIONS") and not getattr(request, "_tracker_writes", False)
    return False


def mark_request_writes() -> None:
    """A GET view that must write (rare) calls this before its first query."""
    from flask import request

    request._tracker_writes = True


def configure_sqlite_engine(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN" if is_read_only_context() else "BEGIN IMMEDIATE")
