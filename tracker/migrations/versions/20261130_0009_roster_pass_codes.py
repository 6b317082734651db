"""attendance: short pass codes (six characters, unique within a meeting), backfilled for existing passes

Revision ID: 0009_roster_pass_codes
Revises: 0008_merge
Create Date: 2026-11-30 19:00:00

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_roster_pass_codes'
down_revision = '0008_merge'
branch_labels = None
depends_on = None

# A copy of tracker.attendance.passcodes.ALPHABET as it was when this migration was written.
ALPHABET = "ACEFHJKMNPRTWXY3479"
LENGTH = 6


def upgrade():
    pass_codes = op.create_table(
        'pass_codes',
        sa.Column('invitation_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=6), nullable=False),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'],
                                name=op.f('fk_pass_codes_invitation_id_invitations'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'],
                                name=op.f('fk_pass_codes_meeting_id_meetings'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_pass_codes')),
        sa.UniqueConstraint('meeting_id', 'code', name=op.f('uq_pass_codes_meeting_id_code')),
    )
    # Backfill: every existing pass (an invitation with a token) gets a code unique in its meeting.
    invitations = sa.table('invitations', sa.column('id', sa.Integer), sa.column('session_id', sa.Integer),
                           sa.column('pass_token', sa.String))
    sessions = sa.table('meeting_sessions', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(invitations.c.id, sessions.c.meeting_id)
        .join(sessions, sessions.c.id == invitations.c.session_id)
        .where(invitations.c.pass_token.is_not(None))
        .order_by(invitations.c.id)
    ).all()
    used: dict[int, set[str]] = {}
    values = []
    for invitation_id, meeting_id in rows:
        taken = used.setdefault(meeting_id, set())
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        while code in taken:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken.add(code)
        values.append({'invitation_id': invitation_id, 'meeting_id': meeting_id, 'code': code})
    for start in range(0, len(values), 1000):
        op.bulk_insert(pass_codes, values[start:start + 1000])


def downgrade():
    op.drop_table('pass_codes')
