"""Read side of campaigns: the lists that forms offer, and the campaign a page shows by default."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.campaigns.models import Campaign
from tracker.extensions import db


def campaigns() -> list[Campaign]:
    """Every campaign, the active ones first."""
    return list(db.session.scalars(sa.select(Campaign).order_by(Campaign.is_active.desc(), Campaign.name_en)))


def active_campaigns() -> list[Campaign]:
    """The campaigns a new meeting may belong to."""
    return list(db.session.scalars(sa.select(Campaign).where(Campaign.is_active.is_(True)).order_by(Campaign.name_en)))


def active_campaign() -> Campaign | None:
    """The campaign shown when none is chosen: the newest active one (else the newest)."""
    return db.session.scalar(sa.select(Campaign).order_by(Campaign.is_active.desc(), Campaign.id.desc()).limit(1))
