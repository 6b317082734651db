"""uploads: the records of stored files (photos and videos), keyed by a random unguessable key

Revision ID: 0019_uploads
Revises: 0018_red_flags
Create Date: 2026-12-02 10:36:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_uploads'
down_revision = '0018_red_flags'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('owner_kind', sa.String(length=32), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('image', 'video')", name=op.f('ck_stored_files_kind')),
    sa.CheckConstraint('size > 0', name=op.f('ck_stored_files_size_positive')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_stored_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_files_key'))
    )
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.create_index('ix_stored_files_owner', ['owner_kind', 'owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stored_files_uploaded_by_id'), ['uploaded_by_id'], unique=False)



def downgrade():
    with op.batch_alter_table('stored_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_files_uploaded_by_id'))
        batch_op.drop_index('ix_stored_files_owner')

    op.drop_table('stored_files')
