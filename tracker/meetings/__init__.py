"""Meetings, sessions, agendas, the planner, "my agenda" and calendar feeds."""


def init_app(app):
    from tracker.meetings import models  # noqa: F401
    from tracker.meetings.cli import init_app as init_cli

    init_cli(app)

    from tracker.meetings.views import init_app as init_views

    init_views(app)
