"""meetings: passes' tokens derived from the secret key, no longer stored (invitations.pass_token dropped)

A pass's token is now ``<invitation id>.<HMAC of the id under SECRET_KEY>`` (``Invitation.pass_token``),
so a copy of the database reveals no pass. ``pass_issued_at`` records which invitations hold a pass
(those that had a token). QR codes made before this revision carried the old random tokens and no
longer check in; their six-character short codes (``pass_codes``) are unchanged and still do.

Revision ID: 0004_pass_tokens
Revises: 0003_login_throttle
Create Date: 2026-12-01 10:00:00

"""
import contextlib
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_pass_tokens'
down_revision = '0003_login_throttle'
branch_labels = None
depends_on = None

invitations = sa.table("invitations", sa.column("id", sa.Integer), sa.column("created_at", sa.DateTime),
                       sa.column("pass_token", sa.String), sa.column("pass_issued_at", sa.DateTime))


@contextlib.contextmanager
def _children_kept(table):
    """On SQLite, batch mode rebuilds ``table`` (copy, DROP, rename), and with foreign keys on the DROP
    deletes the rows that refer to it ON DELETE CASCADE (the passes' short codes): keep them aside and
    put them back."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        yield
        return
    inspector = sa.inspect(connection)
    children = [name for name in inspector.get_table_names()
                if any(fk["referred_table"] == table for fk in inspector.get_foreign_keys(name))]
    for name in children:
        connection.exec_driver_sql(f'CREATE TEMP TABLE "kept_{name}" AS SELECT * FROM "{name}"')
    yield
    for name in children:
        connection.exec_driver_sql(f'DELETE FROM "{name}"')
        connection.exec_driver_sql(f'INSERT INTO "{name}" SELECT * FROM "kept_{name}"')
        connection.exec_driver_sql(f'DROP TABLE "kept_{name}"')


def upgrade():
    with op.batch_alter_table('invitations') as batch_op:
        batch_op.add_column(sa.Column('pass_issued_at', sa.DateTime(), nullable=True))
    op.execute(invitations.update().where(invitations.c.pass_token.is_not(None))
               .values(pass_issued_at=invitations.c.created_at))
    with _children_kept('invitations'), op.batch_alter_table('invitations') as batch_op:
        batch_op.drop_constraint(op.f('uq_invitations_pass_token'), type_='unique')
        batch_op.drop_column('pass_token')


def downgrade():
    with _children_kept('invitations'), op.batch_alter_table('invitations') as batch_op:
        batch_op.add_column(sa.Column('pass_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(op.f('uq_invitations_pass_token'), ['pass_token'])
    connection = op.get_bind()
    ids = connection.scalars(sa.select(invitations.c.id).where(invitations.c.pass_issued_at.is_not(None))).all()
    if ids:  # new random tokens: the derived ones cannot be stored back without the secret key
        connection.execute(invitations.update().where(invitations.c.id == sa.bindparam("row_id"))
                           .values(pass_token=sa.bindparam("token")),
                           [{"row_id": i, "token": secrets.token_urlsafe(24)} for i in ids])
    with _children_kept('invitations'), op.batch_alter_table('invitations') as batch_op:
        batch_op.drop_column('pass_issued_at')
