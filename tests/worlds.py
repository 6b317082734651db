"""The district world most tests stand in, built in one place: a state, its divisions, their districts,
each district's president (a person holding the ``district_president`` post) and whoever else holds a
post there, invited to a session as the test needs::

    region = make_region([RAJGARH, SEHORE], [{"name_en": "Priyavrat Singh"}, {"name_en": "Other President"}])
    reviewer = make_holder(region.division, "co_incharge", name_en="Sanjay Dutt", name_hi="संजय दत्त")
    region.invite(session)                       # every president, for their district
    db.session.commit()

Units are given as the fields of ``make_unit`` and people as those of ``make_person`` (dicts), so
that each suite keeps its own names and codes while the shape of the world is built the same way
everywhere. Nothing here commits: the caller commits once its world is whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tests.factories import make_invitation, make_person, make_post, make_unit

MADHYA_PRADESH = {"code": "mp", "name_en": "Madhya Pradesh", "name_hi": "मध्य प्रदेश"}
BHOPAL = {"code": "bhopal_div", "name_en": "Bhopal", "name_hi": "भोपाल"}
RAJGARH = {"code": "rajgarh", "name_en": "Rajgarh", "name_hi": "राजगढ़"}
SEHORE = {"code": "sehore", "name_en": "Sehore", "name_hi": "सीहोर"}


@dataclass
class Region:
    """A state with its divisions and districts; ``presidents[i]`` presides ``districts[i]``."""

    state: object
    divisions: list = field(default_factory=list)
    districts: list = field(default_factory=list)
    presidents: list = field(default_factory=list)

    @property
    def division(self):
        """The first (often the only) division."""
        return self.divisions[0]

    def invite(self, session, kind: str = "invitee") -> list:
        """Invite each president to ``session`` for their district; the invitations in district order."""
        return [make_invitation(session, person, kind, unit=district, commit=False)
                for person, district in zip(self.presidents, self.districts, strict=False)]


def make_searchable(person):
    """Give ``person`` the search key the directory's operations would (the factories leave it empty),
    so that the directory's search finds them; returns the person."""
    from tracker.directory.search import make_search_key

    person.search_key = make_search_key(person.name_hi, person.name_en)
    return person


def make_holder(unit, role_code: str, *, searchable: bool = False, **person):
    """A person (``make_person``'s fields) holding the post ``role_code`` of ``unit``; ``searchable``:
    see ``make_searchable``."""
    holder = make_person(commit=False, **person)
    if searchable:
        make_searchable(holder)
    make_post(holder, unit, role_code, commit=False)
    return holder


def make_region(districts: Sequence[dict], presidents: Sequence[dict] = (), *,
                divisions: Sequence[dict] = (BHOPAL,), state: dict = MADHYA_PRADESH,
                searchable: bool = False) -> Region:
    """Build ``state`` > ``divisions`` > ``districts`` and the districts' ``presidents``.

    A district lies in the first division unless its dict names another by index (``"division": 1``).
    There may be fewer presidents than districts (the last have none).
    ``searchable``: the presidents get search keys (see ``make_searchable``)."""
    region = Region(state=make_unit("state", commit=False, **state))
    region.divisions = [make_unit("division", parent=region.state, commit=False, **spec) for spec in divisions]
    for spec in districts:
        spec = dict(spec)
        parent = region.divisions[spec.pop("division", 0)]
        region.districts.append(make_unit("district", parent=parent, commit=False, **spec))
    region.presidents = [make_holder(district, "district_president", searchable=searchable, **person)
                         for person, district in zip(presidents, region.districts, strict=False)]
    return region
