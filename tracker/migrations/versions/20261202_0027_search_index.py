"""directory: an index for the search (pg_trgm GIN on PostgreSQL, FTS5 trigram with triggers on SQLite)

Revision ID: 0027_search_index
Revises: 0026_partial_uploads
Create Date: 2026-12-02 16:50:00

"""
from alembic import op

from tracker.directory import search_index

# revision identifiers, used by Alembic.
revision = '0027_search_index'
down_revision = '0026_partial_uploads'
branch_labels = None
depends_on = None


def upgrade():
    search_index.create(op.get_bind())


def downgrade():
    search_index.drop(op.get_bind())
