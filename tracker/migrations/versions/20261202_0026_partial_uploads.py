"""uploads: files sent in pieces (resumable uploads from phones on a weak network)

Revision ID: 0026_partial_uploads
Revises: 0025_minutes_logo
Create Date: 2026-12-02 16:00:00

"""
import sqlalchemy as sa
from alembic import op

import tracker.db

# revision identifiers, used by Alembic.
revision = '0026_partial_uploads'
down_revision = '0025_minutes_logo'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'partial_uploads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('client_key', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('received', sa.Integer(), nullable=False),
        sa.Column('resumed_from', sa.Integer(), nullable=False),
        sa.Column('stored_file_id', sa.Integer(), nullable=True),
        sa.Column('created_at', tracker.db.UTCDateTime(), nullable=False),
        sa.Column('updated_at', tracker.db.UTCDateTime(), nullable=False),
        sa.CheckConstraint('size > 0', name=op.f('ck_partial_uploads_size_positive')),
        sa.CheckConstraint('received >= 0 AND received <= size', name=op.f('ck_partial_uploads_received_within_size')),
        sa.ForeignKeyConstraint(['stored_file_id'], ['stored_files.id'], name=op.f('fk_partial_uploads_stored_file_id_stored_files'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_partial_uploads_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_partial_uploads')),
        sa.UniqueConstraint('key', name=op.f('uq_partial_uploads_key')),
        sa.UniqueConstraint('user_id', 'client_key', name=op.f('uq_partial_uploads_user_id_client_key')),
    )
    with op.batch_alter_table('partial_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partial_uploads_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('partial_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partial_uploads_user_id'))
    op.drop_table('partial_uploads')
