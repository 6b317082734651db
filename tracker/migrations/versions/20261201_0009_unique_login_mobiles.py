"""directory: mobile numbers of people with a login are unique (issue 12): report the existing clashes

People with a login sign in with their mobile number, so two of them (or one of them and anyone else)
must not share a number. The rule holds only for people with a login, so it is kept by the operations
(tracker.directory.operations.check_mobile_free: the person forms, imports, a lost or changed phone),
not by a database constraint. This revision changes no table and never fails on existing data: it lists
each number shared by a person with a login, for the office to correct (Directory, the person's page).

Revision ID: 0009_unique_login_mobiles
Revises: 0008_personal_links
Create Date: 2026-12-01 13:00:00

"""
import logging

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_unique_login_mobiles'
down_revision = '0008_personal_links'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CLASHES = sa.text("""
    SELECT p.mobile, p.id, p.name_en, u.username
    FROM people p LEFT JOIN users u ON u.person_id = p.id
    WHERE p.mobile IN (
        SELECT p2.mobile FROM people p2 WHERE p2.mobile IS NOT NULL GROUP BY p2.mobile HAVING COUNT(*) > 1
    ) AND p.mobile IN (
        SELECT p3.mobile FROM people p3 JOIN users u3 ON u3.person_id = p3.id WHERE p3.mobile IS NOT NULL
    )
    ORDER BY p.mobile, p.id
""")


def clash_lines(connection) -> list[str]:
    """One line per person sharing a number with a person who has a login."""
    return [f"{mobile}: person {pid} ({name}){f', login {username}' if username else ''}"
            for mobile, pid, name, username in connection.execute(CLASHES)]


def upgrade():
    lines = clash_lines(op.get_bind())
    if lines:
        message = ("mobile numbers shared with a person who has a login (they sign in with it); "
                   "give each a number of their own:\n  " + "\n  ".join(lines))
        log.warning(message)
        print(message)


def downgrade():
    pass
