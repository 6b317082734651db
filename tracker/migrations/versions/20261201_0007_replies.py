"""meetings: replies before a session (RSVP): invitation_replies

One reply per invitation (attending, not attending with a reason, or sending a representative whose own
invitation is linked), with who recorded it, when, and whether it came after the cut-off.

Revision ID: 0007_replies
Revises: 0006_sign_in_codes
Create Date: 2026-12-01 12:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_replies'
down_revision = '0006_sign_in_codes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invitation_replies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('representative_invitation_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('after_cutoff', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_replies')),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name=op.f('fk_invitation_replies_invitation_id_invitations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['representative_invitation_id'], ['invitations.id'],
                                name=op.f('fk_invitation_replies_representative_invitation_id_invitations'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'],
                                name=op.f('fk_invitation_replies_recorded_by_user_id_users'), ondelete='SET NULL'),
        sa.UniqueConstraint('invitation_id', name=op.f('uq_invitation_replies_invitation_id')),
        sa.CheckConstraint("answer IN ('attending', 'not_attending', 'representative')",
                           name=op.f('ck_invitation_replies_reply_answer')),
    )
    op.create_index('ix_invitation_replies_representative_invitation_id', 'invitation_replies',
                    ['representative_invitation_id'])


def downgrade():
    op.drop_index('ix_invitation_replies_representative_invitation_id', table_name='invitation_replies')
    op.drop_table('invitation_replies')
