"""Meetings, sessions, agendas, the planner, "my agenda" and calendar feeds."""


def init_app(app):
    from tracker.meetings import models  # noqa: F401
