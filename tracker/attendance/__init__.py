"""Attendance at the venue: the coordinator's roster, QR check-in, walk-ins, locks and reports."""


def init_app(app):
    from tracker.attendance import (
        hall_views,  # noqa: F401  (its routes are on the attendance blueprint: imported before it is registered)
        history,
        home,
        models,  # noqa: F401
        report_views,
        views,
    )

    views.init_app(app)
    history.register_fields()
    home.register()
    report_views.init_app(app)
    if app.config.get("BENCH_BARE"):
        from tracker.attendance import bench_bare

        bench_bare.init_app(app)
