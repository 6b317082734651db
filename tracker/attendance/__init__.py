"""Attendance at the venue: the coordinator's roster, QR check-in, walk-ins, locks and reports."""


def init_app(app):
    from tracker.attendance import (
        models,  # noqa: F401
        report_views,
        views,
    )

    views.init_app(app)
    report_views.init_app(app)
