from tests.factories import make_invitation, make_person, make_post, make_session, make_unit, make_user
from tests.querycount import count_queries
from tracker.auth.models import Role


def test_factories_build_a_small_world(client, auth):
    district = make_unit("district", code="bhopal_city", name_en="Bhopal City", name_hi="भोपाल शहर")
    person = make_person("Praveen Saxena", "प्रवीण सक्सेना")
    make_post(person, district)
    session = make_session()
    invitation = make_invitation(session, person, unit=district)
    assert invitation.id and district.parent.level.value == "division"
    make_user(Role.OFFICE, "asha")
    auth.login("asha")
    with count_queries() as counter:
        assert client.get("/home").status_code == 200
    assert 0 < counter.count < 12  # each domain's home panels for the office (one query or two each)
