"""The campaigns domain's lists: what the meeting and review forms offer, and the default campaign."""

from __future__ import annotations

from tracker.campaigns import queries
from tracker.campaigns.models import Campaign
from tracker.extensions import db


def _campaign(code: str, name_en: str, is_active: bool) -> Campaign:
    campaign = Campaign(code=code, name_hi=name_en, name_en=name_en, is_active=is_active)
    db.session.add(campaign)
    db.session.flush()
    return campaign


def test_lists_and_the_default_campaign(app):
    assert queries.campaigns() == [] and queries.active_campaigns() == [] and queries.active_campaign() is None
    old = _campaign("old", "Membership drive", is_active=False)
    srijan = _campaign("srijan", "Sangathan Srijan", is_active=True)
    booth = _campaign("booth", "Booth committees", is_active=True)
    assert queries.campaigns() == [booth, srijan, old]  # the active ones first, by name
    assert queries.active_campaigns() == [booth, srijan]
    assert queries.active_campaign() == booth  # the newest active one
    booth.is_active = srijan.is_active = False
    assert queries.active_campaign() == booth  # none active: the newest
