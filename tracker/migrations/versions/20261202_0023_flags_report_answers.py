"""flags and reports: indexes for the red flags' ranking of every district (a few index lookups per
district), and the district president's answer to a question asked back on a programme report

* ``units(level, is_archived, parent_id)``: the districts of the state (and their divisions) without a scan of
  every block and mandal;
* ``action_items(district_unit_id, status, due_on)``: a district's open overdue items, one lookup (it replaces
  ``(district_unit_id, status)``, of which it is a superset);
* ``circular_recipients(district_unit_id, completed_at)``: a district's circulars not yet done;
* ``circular_recipients.answer_report_id``: the report that answers a circular expecting one;
* ``programme_reports.answer``, ``answered_at``, ``answered_by_person_id``; the outbox's kinds gain
  ``report_question`` (the question reaches the president by SMS/WhatsApp with their personal link).

Revision ID: 0023_flags_report_answers
Revises: 0022_minutes
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0023_flags_report_answers'
down_revision = '0022_minutes'
branch_labels = None
depends_on = None

OLD_KINDS = ('invitation', 'reminder_24h', 'reminder_2h', 'change', 'cancellation', 'digest', 'action_due',
             'sign_in_code', 'reply_request', 'absence', 'circular', 'circular_reminder', 'minutes')
NEW_KINDS = (*OLD_KINDS, 'report_question')
CHECKS = (('outbox_messages', 'outbox_kind'), ('notify_problems', 'notify_problem_kind'))


def _kinds(kinds):
    listed = ', '.join(f"'{kind}'" for kind in kinds)
    for table, name in CHECKS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
            batch.create_check_constraint(op.f(f'ck_{table}_{name}'), f'kind IN ({listed})')


def upgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index('ix_units_level_archived', ['level', 'is_archived', 'parent_id'], unique=False)
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_district_status')
        batch_op.create_index('ix_action_items_district_status_due', ['district_unit_id', 'status', 'due_on'],
                              unique=False)
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_circular_recipients_district_pending', ['district_unit_id', 'completed_at'],
                              unique=False)
    with op.batch_alter_table('programme_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('answered_by_person_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_programme_reports_answered_by_person_id_people'), 'people',
                                    ['answered_by_person_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('programme_reports', schema=None) as batch_op:  # the default only filled the rows
        batch_op.alter_column('answer', existing_type=sa.Text(), existing_nullable=False, server_default=None)
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_report_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_circular_recipients_answer_report_id_programme_reports'),
                                    'programme_reports', ['answer_report_id'], ['id'], ondelete='SET NULL')
    _kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM outbox_messages WHERE kind = 'report_question'")
    op.execute("DELETE FROM notify_problems WHERE kind = 'report_question'")
    _kinds(OLD_KINDS)
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_circular_recipients_answer_report_id_programme_reports'), type_='foreignkey')
        batch_op.drop_column('answer_report_id')
    with op.batch_alter_table('programme_reports', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_programme_reports_answered_by_person_id_people'), type_='foreignkey')
        batch_op.drop_column('answered_by_person_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer')
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_circular_recipients_district_pending')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_district_status_due')
        batch_op.create_index('ix_action_items_district_status', ['district_unit_id', 'status'], unique=False)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_level_archived')
