"""One-to-one reviews: confidential notes, versions, checklists, action items and campaign progress."""


def init_app(app):
    from tracker.reviews import models  # noqa: F401
