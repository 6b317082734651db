"""A bare insert endpoint for ``python -m bench.checkin`` (registered only with TRACKER_BENCH_BARE=1).

It measures what the database and the web stack cost without any of attendance's rules: one POST
of a logged-in user, CSRF-checked like every POST of the app, that upserts one row into a scratch
table with the same dialect's ``INSERT … ON CONFLICT DO UPDATE``, committed by the request
transaction like the check-in. The check-in rate is compared with this rate, so the ratio is the
cost of the check-in's own work (the pass lookup, the lock check, the roster rules, the audit entry,
the answer), not of logging in or of the database.
The scratch table is not part of the app's schema (:func:`create_table`, outside the migrations).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Flask, request
from flask_login import login_required

from tracker.db import UTCDateTime
from tracker.extensions import db
from tracker.timeutil import now_utc

bp = Blueprint("bench_bare", __name__)
_metadata = sa.MetaData()
bench_rows = sa.Table(
    "bench_bare_rows", _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("value", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime(), nullable=False),
)


@bp.route("/_bench/bare", methods=["POST"])
@login_required
def bare():
    from sqlalchemy.dialects import postgresql, sqlite

    insert = (postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    statement = insert(bench_rows).values(key=request.form["key"], value="present", at=now_utc())
    statement = statement.on_conflict_do_update(
        index_elements=[bench_rows.c.key], set_={"value": statement.excluded.value, "at": statement.excluded.at}
    ).returning(bench_rows.c.id)
    row_id = db.session.execute(statement).scalar_one()  # committed by the request, as every view's writes
    return {"ok": True, "id": row_id}


def create_table() -> None:
    """Made by the benchmark before the server starts (not by each worker: they would race)."""
    _metadata.create_all(db.engine)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
