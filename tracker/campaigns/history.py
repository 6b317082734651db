"""How the History sections name a campaign (tracker.audit.fields)."""

from __future__ import annotations

from tracker.audit.fields import Ref
from tracker.campaigns.models import Campaign
from tracker.i18n import _l, localized

CAMPAIGN = Ref(Campaign, localized, _l("deleted campaign #%(id)s"))
