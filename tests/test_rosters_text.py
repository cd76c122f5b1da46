"""Roster names are stored composed (NFC), as typed on any keyboard, and found without diacritics."""

import unicodedata

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import update_group

NAME = "Thôn Bảo Vinh"
HEAD = "Nguyễn Thị Hường"


def nfd(text):
    return unicodedata.normalize("NFD", text)


def _row(app, uuid):
    with app.app_context():
        return dict(zip(*_columns(get_db(), uuid), strict=True))


def _columns(db, uuid):
    cursor = db.execute("SELECT name, head_name, name_key FROM residential_groups WHERE uuid = ?", [uuid])
    return [c[0] for c in cursor.description], cursor.fetchone()


def test_a_name_typed_decomposed_is_stored_composed(app, create_group):
    group = create_group(nfd(NAME), head_name=nfd(HEAD))
    row = _row(app, group["uuid"])
    assert row["name"] == NAME and unicodedata.is_normalized("NFC", row["name"])
    assert row["name_key"] == "thon bao vinh"


def test_an_edit_typed_decomposed_is_stored_composed(app, create_group):
    group = create_group("Thôn Khe Bá")
    with app.app_context():
        update_group(get_db(), SYSTEM, group, {"head_name": nfd(HEAD), "cultural_house_name": nfd("Nhà văn hóa")})
    row = _row(app, group["uuid"])
    assert row["head_name"] == HEAD


@pytest.mark.parametrize("query", ["bao vinh", "BẢO VINH", nfd("Bảo Vinh"), "huong", "thi huong"])
def test_the_roster_search_ignores_case_and_diacritics(client, auth, create_group, query):
    create_group(NAME, head_name=HEAD)
    create_group("Bản Nặm Rịa", kind="ban")
    auth.login("officer")
    page = client.get("/rosters/", query_string={"q": query}).get_data(as_text=True)
    assert NAME in page and "Bản Nặm Rịa" not in page


def test_the_same_name_typed_two_ways_is_one_group(app, create_group, client, auth):
    create_group(NAME)
    auth.login("admin")
    response = client.post("/rosters/new", data={"commune": "02989", "name": nfd(NAME), "kind": "thon"})
    assert response.status_code == 200 and "đã có" in response.get_data(as_text=True)
    with app.app_context():
        assert get_db()["residential_groups"].count == 1
