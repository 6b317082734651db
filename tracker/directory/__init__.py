"""Party directory: units, people, posts and terms."""


def init_app(app):
    from tracker.directory import models  # noqa: F401
