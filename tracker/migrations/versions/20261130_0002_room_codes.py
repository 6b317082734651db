"""meetings: the planner's rooms stored as codes (hall, room_1, room_2 …), named only when shown

Sessions saved by the planner kept the room names of the language they were saved in ("सभागार",
"कक्ष 1" or "Hall", "Room 1"); re-planning in the other language then saw every room as changed.
This turns those names, in either language, into the codes the planner now uses; the pages
translate the codes. Any other room (typed by the office) is left as it is.

Revision ID: 0002_room_codes
Revises: 0009_roster_pass_codes
Create Date: 2026-11-30 21:00:00

"""
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002_room_codes'
down_revision = '0001_schema'
branch_labels = None
depends_on = None

# The names as the app wrote them when this migration was written (its English text and the Hindi
# catalog's translation of "Hall" and "Room %(number)s"), and the codes that replace them.
HALL_NAMES = {"hall", "सभागार"}
NUMBERED = re.compile(r"^(?:room|कक्ष)\s*(\d+)$", re.IGNORECASE)
HALL, ROOM_CODE = "hall", re.compile(r"^room_(\d+)$")

sessions = sa.table("meeting_sessions", sa.column("id", sa.Integer), sa.column("room", sa.String))


def code_of(name: str) -> str | None:
    """The code of a planner room's name in either language (any digits), or None."""
    text = " ".join(name.split())
    if text.casefold() in HALL_NAMES:
        return HALL
    match = NUMBERED.match(text)
    return f"room_{int(match.group(1))}" if match else None


def english_of(code: str) -> str | None:
    if code == HALL:
        return "Hall"
    match = ROOM_CODE.match(code)
    return f"Room {int(match.group(1))}" if match else None


def _convert(convert) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(sessions.c.id, sessions.c.room).where(sessions.c.room != "")).all()
    changed = [{"row_id": row_id, "new_room": new} for row_id, room in rows
               if (new := convert(room)) is not None and new != room]
    if changed:
        connection.execute(sessions.update().where(sessions.c.id == sa.bindparam("row_id"))
                           .values(room=sa.bindparam("new_room")), changed)


def upgrade():
    _convert(code_of)


def downgrade():
    _convert(english_of)
