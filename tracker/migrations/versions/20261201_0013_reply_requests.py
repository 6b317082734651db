"""reminders: a message kind for the office's "remind those who have not answered" (reply_request)

The outbox's and the "could not notify" list's kind CHECKs gain ``reply_request``.

Revision ID: 0013_reply_requests
Revises: 0012_sign_in_code_records
Create Date: 2026-12-01 05:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_reply_requests'
down_revision = '0012_sign_in_code_records'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due',
             'sign_in_code')
NEW_KINDS = (*OLD_KINDS, 'reply_request')
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
    op.execute("DELETE FROM outbox_messages WHERE kind = 'reply_request'")
    op.execute("DELETE FROM notify_problems WHERE kind = 'reply_request'")
    _kinds(OLD_KINDS)
