"""The search page: one box over units and people, live results with htmx (works without JS)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from flask_login import current_user, login_required

from tracker import policy
from tracker.directory.models import UnitLevel
from tracker.directory.search import PERSON, UNIT, search

bp = Blueprint("directory_search", __name__)

LIMIT = 20
MAX_QUERY = 200


@bp.route("/search")
@login_required
def search_page():
    policy.require(current_user, "directory.view")
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    hits = search(query, limit=LIMIT) if query else []
    context = {
        "query": query,
        "units": [h for h in hits if h.kind == UNIT],
        "people": [h for h in hits if h.kind == PERSON],
        "limit": LIMIT,
        "level_title": UnitLevel.title_of,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "search-results":
        return render_template("directory/search_results.html", **context)
    return render_template("directory/search.html", **context)


def init_app(app: Flask) -> None:
    from tracker.core.nav import register_nav
    from tracker.i18n import _l

    app.register_blueprint(bp)
    register_nav("directory_search.search_page", _l("Search"), "directory.view", order=21)
