"""One-to-one reviews: confidential notes, versions, checklists, action items and campaign progress."""

from __future__ import annotations


def init_app(app):
    from tracker.core.nav import register_nav
    from tracker.i18n import _l
    from tracker.reviews import models  # noqa: F401
    from tracker.reviews.cli import reviews_cli
    from tracker.reviews.history import register_fields
    from tracker.reviews.views import bp
    from tracker.timeutil import today_local

    app.register_blueprint(bp)
    register_fields()
    app.cli.add_command(reviews_cli)
    app.jinja_env.globals["reviews_today"] = today_local

    register_nav("reviews.index", _l("Reviews"), "review.list", order=50)
    register_nav("reviews.my_items", _l("My action items"), "action_items.mine", order=51)
    register_nav("reviews.overdue", _l("Overdue"), "action_items.overdue", order=52)
    register_nav("reviews.progress_default", _l("Campaign progress"), "campaign.progress", order=53)
    from tracker.reviews import home

    home.register()
