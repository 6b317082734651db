"""directory: search keys recomputed with the phonetic key (literal words + consonant skeletons)

The stored ``search_key`` of every unit and person changes format: each word now gives its literal
form and its phonetic key (tracker/directory/phonetic.py: Verma, Varma and वर्मा give ``vrm``), and
neighbouring words of a name also give their joined key. Keys are recomputed here in batches of
1,000 rows with the app's own ``make_search_key`` (the same as ``tracker directory reindex``).
Downgrading keeps the new keys: an older app still finds most names by them, and its
``tracker directory reindex`` restores its own format.

Revision ID: 0014_phonetic_search_keys
Revises: 0013_reply_requests
Create Date: 2026-12-01 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_phonetic_search_keys'
down_revision = '0013_reply_requests'
branch_labels = None
depends_on = None

BATCH = 1000

units = sa.table("units", sa.column("id", sa.Integer), sa.column("code", sa.String),
                 sa.column("name_hi", sa.String), sa.column("name_en", sa.String),
                 sa.column("search_key", sa.Text))
people = sa.table("people", sa.column("id", sa.Integer), sa.column("name_hi", sa.String),
                  sa.column("name_en", sa.String), sa.column("search_key", sa.Text))


def _reindex(table, columns) -> None:
    from tracker.directory.search import make_search_key

    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(table.c.id, table.c.search_key, *columns).where(table.c.id > last_id)
            .order_by(table.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [{"row_id": row[0], "new_key": key} for row in rows
                   if (key := make_search_key(*row[2:])) != row[1]]
        if changed:
            connection.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                               .values(search_key=sa.bindparam("new_key")), changed)
        last_id = rows[-1][0]


def upgrade():
    _reindex(units, (units.c.name_hi, units.c.name_en, units.c.code))
    _reindex(people, (people.c.name_hi, people.c.name_en))


def downgrade():
    pass
