"""minutes_settings.logo_file_id: the party's logo on the minutes' letterhead (an uploaded image; none: the default)

Revision ID: 0025_minutes_logo
Revises: 0024_outbox_attachment
Create Date: 2026-12-02 16:05:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0025_minutes_logo'
down_revision = '0024_outbox_attachment'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('minutes_settings') as batch:
        batch.add_column(sa.Column('logo_file_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_minutes_settings_logo_file_id_stored_files'), 'stored_files',
                                 ['logo_file_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('minutes_settings') as batch:
        batch.drop_constraint(op.f('fk_minutes_settings_logo_file_id_stored_files'), type_='foreignkey')
        batch.drop_column('logo_file_id')
