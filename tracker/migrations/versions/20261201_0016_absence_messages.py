"""reminders: a message kind for the session report's "send a message to the absentees" (absence)

The outbox's and the "could not notify" list's kind CHECKs gain ``absence``.

Revision ID: 0016_absence_messages
Revises: 0015_entered_later
Create Date: 2026-12-01 06:10:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_absence_messages'
down_revision = '0015_entered_later'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due',
             'sign_in_code', 'reply_request')
NEW_KINDS = (*OLD_KINDS, 'absence')
CHECKS = (('outbox_messages', 'outbox_kind'), ('notify_problems', 'notify_problem_kind'))


def _kinds(kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    for table, name in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch.create_check_constraint(op.f(f'ck_{table}_{name}'), f'kind IN ({listed})')


def upgrade():
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE kind = 'absence'")
    op.execute("DELETE FROM notify_problems WHERE kind = 'absence'")
    _kinds(OLD_KINDS)
