"""flags: indexes for the red flags' ranking of every district (a few index lookups per district)

* ``units(level, is_archived, parent_id)``: the districts of the state (and their divisions) without a scan of
  every block and mandal;
* ``action_items(district_unit_id, status, due_on)``: a district's open overdue items, one lookup (it replaces
  ``(district_unit_id, status)``, of which it is a superset);
* ``circular_recipients(district_unit_id, completed_at)``: a district's circulars not yet done.

Revision ID: 0022_flag_indexes
Revises: 0021_programme_reports
Create Date: 2026-12-02 15:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022_flag_indexes'
down_revision = '0021_programme_reports'
branch_labels = None
depends_on = None


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


def downgrade():
    with op.batch_alter_table('circular_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_circular_recipients_district_pending')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_district_status_due')
        batch_op.create_index('ix_action_items_district_status', ['district_unit_id', 'status'], unique=False)
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index('ix_units_level_archived')
