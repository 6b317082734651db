"""Campaigns such as संगठन सृजन अभियान, which meetings and reviews belong to.

A domain of its own below meetings and reviews (both name a campaign; a campaign needs neither), so that
reviews need not reach into the meetings domain for it.
"""


def init_app(app):
    from tracker.campaigns import models  # noqa: F401  (the table must be known to the metadata)
