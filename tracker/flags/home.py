"""Where the red flags show: the office's and the in-charges' home pages, the morning digest, the campaign's
progress page, a district's page in the directory and its one-to-one review."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from tracker import policy
from tracker.core.links import PanelItem, PanelItems, register_page_panel, register_panel
from tracker.directory.models import UnitLevel
from tracker.flags import queries as q
from tracker.i18n import _l, localized
from tracker.reminders.digest_parts import register_digest_part
from tracker.timeutil import today_local

PANEL_SIZE = 5
PROGRESS_SIZE = 10


def flagged_panel(user) -> PanelItems:
    """The most flagged districts the user may see, each leading to its page in the directory."""
    found = q.flagged_districts(user, today_local(), limit=PANEL_SIZE)
    return PanelItems([PanelItem(localized(f.district), url_for("directory.unit", unit_id=f.district.id), f.summary)
                       for f in found.flags], found.total)


def _digest_fetch(day, now):
    return q.flagged_districts(None, day).flags


def _digest_render(flags) -> str:
    return render_template("flags/digest_part.txt", flags=flags).strip()


def progress_panel(campaign) -> dict | None:
    """The campaign's progress page lists the flagged districts of the division shown (or all)."""
    if not policy.can(current_user, "flags.view"):
        return None
    return {"flagged": q.flagged_districts(current_user, today_local(), limit=PROGRESS_SIZE,
                                           division_id=request.args.get("division", type=int))}


def unit_panel(unit) -> dict:
    return {"flag": q.flag_of(unit, today_local())}


def note_panel(note) -> dict | None:
    """A one-to-one review shows the district's flags today, so that the in-charge prepares from facts."""
    if note.district is None or not policy.can(current_user, "flags.view", note.district):
        return None
    return {"flag": q.flag_of(note.district, today_local())}


def register() -> None:
    register_panel("flags-quiet", _l("Districts with red flags"), "flags.view", flagged_panel,
                   more_endpoint="flags.index", more_label=_l("All red flags"), order=12, attention=True)
    register_digest_part("flags", _digest_fetch, _digest_render, count=len, order=50)
    register_page_panel("reviews.progress", "flags/_progress.html", progress_panel)
    register_page_panel("directory.unit", "flags/_unit.html", unit_panel, action="flags.view",
                        when=lambda unit: unit.level == UnitLevel.DISTRICT, order=50)
    register_page_panel("reviews.note", "flags/_note.html", note_panel, order=10)
