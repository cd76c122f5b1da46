"""Posters are printed, and their sheets read, only for a commune's own groups."""

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, PHO_LU


def _posters(app):
    with app.app_context():
        return [(row["commune_code"], row["group_uuid"]) for row in get_db()["posters"].rows]


def test_a_group_of_another_commune_is_not_printed_under_this_one(app, client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    elsewhere = create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    auth.login("central")
    response = client.post("/posters/print", data={"commune": BAO_HA, "group": elsewhere["uuid"], "size": "A4"})
    assert response.status_code == 404
    assert _posters(app) == []


def test_an_officer_cannot_print_a_group_of_another_commune(app, client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    elsewhere = create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    auth.login("officer")
    response = client.post("/posters/print", data={"commune": PHO_LU, "group": elsewhere["uuid"], "size": "A4"})
    assert response.status_code == 403
    response = client.post("/posters/print", data={"group": elsewhere["uuid"], "size": "A4"})
    assert response.status_code == 404
    assert _posters(app) == []


def test_a_group_printed_under_its_own_commune_is_registered_to_it(app, client, auth, create_group):
    group = create_group("Thôn Bảo Vinh")
    auth.login("central")
    response = client.post("/posters/print", data={"commune": BAO_HA, "group": group["uuid"], "size": "A4"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert _posters(app) == [(BAO_HA, group["uuid"])]
