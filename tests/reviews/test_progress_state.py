"""Campaign progress shows one state's districts (a state office's own), another state on request."""

from tests.factories import DEFAULT_PASSWORD, make_unit


def test_progress_is_scoped_to_one_state(world, client, auth):
    other_state = make_unit("state", code="rj", name_en="Rajasthan", name_hi="राजस्थान")
    other_division = make_unit("division", code="jaipur_div", parent=other_state, name_en="Jaipur")
    make_unit("district", code="jaipur", parent=other_division, name_en="Jaipur District")
    auth.login(world.users["admin"].username, DEFAULT_PASSWORD)
    url = f"/reviews/campaigns/{world.campaign.id}/progress"
    first = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Rajgarh" in first and "Jaipur District" not in first
    assert "Rajasthan" in first  # offered in the state selector
    second = client.get(f"{url}?state={other_state.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Jaipur District" in second and "Rajgarh" not in second
    csv = client.get(f"{url}.csv?state={other_state.id}").get_data(as_text=True)
    assert "jaipur" in csv and "rajgarh" not in csv
