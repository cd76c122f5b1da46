from fieldkit.auth.scope import Scope
from fieldkit.db import get_db
from fieldkit.rosters.groups import get_group_by_uuid, list_groups
from fieldkit.testing import BAO_HA, PHO_LU


def test_groups_travel_with_uuid_origin_and_seq(app, create_group):
    group = create_group("Thôn Bảo Vinh", papi_years=[2023])
    assert group["uuid"] and group["origin_site"] == "test-site" and group["seq"] > 0
    assert group["papi_years"] == [2023] and group["name_key"] == "thon bao vinh"


def test_groups_are_scoped_to_the_commune(app, create_group):
    create_group("Thôn Bảo Vinh")
    other = create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    officer = Scope(1, "officer", "officer", frozenset({BAO_HA}))
    with app.app_context():
        db = get_db()
        assert [g["name"] for g in list_groups(db, officer)] == ["Thôn Bảo Vinh"]
        assert get_group_by_uuid(db, officer, other["uuid"]) is None
