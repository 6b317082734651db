"""Pages of the red flags: the districts that have gone quiet, and the office's setting."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import aliased

from tracker import policy
from tracker.core.form_views import form_page
from tracker.core.pagination import Page, requested_page
from tracker.directory.models import Unit, UnitLevel
from tracker.extensions import db
from tracker.flags import operations as ops
from tracker.flags import queries as q
from tracker.flags.forms import QuietPeriodForm
from tracker.i18n import _
from tracker.timeutil import today_local

bp = Blueprint("flags", __name__, url_prefix="/flags")

PER_PAGE = 50


@bp.route("/")
@login_required
def index():
    policy.require(current_user, "flags.view")
    division_id = request.args.get("division", type=int)
    number = max(requested_page(), 1)
    found = q.flagged_districts(current_user, today_local(), division_id=division_id, limit=PER_PAGE,
                                offset=(number - 1) * PER_PAGE)
    page = Page(found.flags, number, PER_PAGE, found.total)
    page.linked("flags.index", **request.args.to_dict())
    division = aliased(Unit)
    divisions = db.session.scalars(
        sa.select(division).where(division.id.in_(
            sa.select(Unit.parent_id).where(Unit.level == UnitLevel.DISTRICT, policy.flag_districts_clause(current_user))))
        .order_by(division.name_en)).all()
    return render_template("flags/index.html", page=page, divisions=divisions, division_id=division_id,
                           quiet_days=q.quiet_days(),
                           can_set=policy.can(current_user, "flags.settings"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    policy.require(current_user, "flags.settings")
    form = QuietPeriodForm(data={"quiet_days": q.quiet_days()} if request.method == "GET" else None)
    return form_page(form, "flags/settings.html", lambda: ops.set_quiet_days(form.quiet_days.data),
                     target=url_for("flags.index"), message=_("Saved. Districts are now flagged after this many "
                                                              "days without a programme report."))
