"""The directory's district page shows the district's open action items, to those who may see them."""

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.mark.parametrize("who, sees", [
    ("admin", True), ("office", True), ("reviewer", True), ("org", True), ("coordinator", False),
])
def test_district_page_lists_open_items(world, signed_note, client, auth, who, sees):
    auth.login(world.users[who].username, DEFAULT_PASSWORD)
    response = client.get(f"/directory/units/{world.district.id}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Open action items" in page
    assert ("Form booth committees" in page) is sees
    # Nothing of the note itself shows on the directory page.
    assert "secret-strategy" not in page and "private-remark" not in page


def test_other_district_page_has_none_of_these_items(world, signed_note, client, auth):
    auth.login(world.users["admin"].username, DEFAULT_PASSWORD)
    page = client.get(f"/directory/units/{world.other_district.id}").get_data(as_text=True)
    assert "Form booth committees" not in page
