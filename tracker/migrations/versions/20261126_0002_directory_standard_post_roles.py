"""directory: seed the standard post roles

Revision ID: 0002_directory
Revises: 0001_initial
Create Date: 2026-11-26 14:50:00

The roles are a snapshot written here (not imported from the models) so that this migration
keeps doing what it did when the models change later.
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0002_directory'
down_revision = '0001_initial'
branch_labels = None
depends_on = None

# (code, English title, Hindi title from roles.csv, single holder, sort order)
ROLES = (
    ("state_president", "State president", "प्रदेश कांग्रेस अध्यक्ष", True, 10),
    ("state_incharge", "State in-charge", "प्रदेश प्रभारी", False, 20),
    ("co_incharge", "Co-in-charge", "सह प्रभारी", False, 30),
    ("org_incharge", "Organization in-charge", "संगठन प्रभारी", False, 40),
    ("vice_president", "Vice-president", "प्रदेश उपाध्यक्ष", False, 50),
    ("general_secretary", "General secretary", "प्रदेश महामंत्री", False, 60),
    ("treasurer", "Treasurer", "कोषाध्यक्ष", False, 70),
    ("leader_of_opposition", "Leader of Opposition", "नेता प्रतिपक्ष", False, 80),
    ("district_president", "District president", "जिला अध्यक्ष", True, 100),
    ("district_incharge", "District in-charge", "जिला प्रभारी", False, 110),
    ("district_co_incharge", "District co-in-charge", "जिला सह प्रभारी", False, 120),
    ("observer", "Observer", "पर्यवेक्षक", False, 130),
    ("block_president", "Block president", "ब्लॉक अध्यक्ष", True, 140),
    ("spokesperson", "Spokesperson", "प्रवक्ता", False, 150),
    ("coordinator", "Coordinator", "समन्वयक", False, 160),
    ("member", "Member", "सदस्य", False, 200),
)

post_roles = sa.table(
    "post_roles",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("title_hi", sa.String),
    sa.column("title_en", sa.String),
    sa.column("single_holder", sa.Boolean),
    sa.column("sort_order", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)


def upgrade():
    conn = op.get_bind()
    existing = set(conn.execute(sa.select(post_roles.c.code)).scalars())
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rows = [
        dict(code=code, title_en=en, title_hi=hi, single_holder=single, sort_order=order,
             created_at=now, updated_at=now)
        for code, en, hi, single, order in ROLES
        if code not in existing
    ]
    if rows:
        op.bulk_insert(post_roles, rows)


def downgrade():
    conn = op.get_bind()
    used = sa.text("SELECT DISTINCT role_id FROM posts")
    used_ids = set(conn.execute(used).scalars())
    codes = [r[0] for r in ROLES]
    conn.execute(
        post_roles.delete().where(post_roles.c.code.in_(codes), post_roles.c.id.not_in(used_ids or {-1}))
    )
