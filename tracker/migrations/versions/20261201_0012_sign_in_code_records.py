"""reminders: the outbox keeps a masked record of each sign-in code sent (kind ``sign_in_code``)

A sign-in code goes out at once, outside the outbox; the outbox now records that it went out (or why
not), with the code masked. The kinds' CHECKs of ``outbox_messages`` and ``notify_problems`` (one
enumeration) gain the value. Downgrading deletes those records.

Revision ID: 0012_sign_in_code_records
Revises: 0011_outbox_templates
Create Date: 2026-12-01 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_sign_in_code_records'
down_revision = '0011_outbox_templates'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due')
NEW_KINDS = (*OLD_KINDS, 'sign_in_code')
CHECKS = (('outbox_messages', 'outbox_kind'), ('notify_problems', 'notify_problem_kind'))


def _kinds(table, name, kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch.create_check_constraint(op.f(f'ck_{table}_{name}'), sa.text(f'kind IN ({listed})'))


def upgrade():
    for table, name in CHECKS:
        _kinds(table, name, NEW_KINDS)


def downgrade():
    for table, _name in CHECKS:
        op.execute(sa.text(f"DELETE FROM {table} WHERE kind = 'sign_in_code'"))
    for table, name in CHECKS:
        _kinds(table, name, OLD_KINDS)
