"""SQL pieces every domain's queries use."""

from __future__ import annotations

import sqlalchemy as sa

ESCAPE = "\\"


def like(column, text: str):
    """``column`` contains ``text``, ignoring case and the spaces around it. ``%`` and ``_`` typed by
    a user match themselves, not "anything": they are escaped."""
    escaped = text.strip().lower().replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return sa.func.lower(column).like(f"%{escaped}%", escape=ESCAPE)
