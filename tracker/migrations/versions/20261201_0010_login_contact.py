"""auth: a login's own e-mail and mobile number (the office's digest reaches a login not linked to a person)

Revision ID: 0010_login_contact
Revises: 0009_unique_login_mobiles
Create Date: 2026-12-01 03:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_login_contact'
down_revision = '0009_unique_login_mobiles'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch.add_column(sa.Column('mobile', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('mobile')
        batch.drop_column('email')
