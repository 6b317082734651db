"""Count the SQL statements a block of code (or a request) issues."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from tracker.extensions import db


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _hook(self, conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            return
        self.statements.append(statement)


@contextmanager
def count_queries():
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter._hook)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter._hook)
