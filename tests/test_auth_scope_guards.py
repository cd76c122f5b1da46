"""Guards of data and access written against mutants `make mutate` found alive (issue 18):
which rows a commune scope reads.

Every assertion is on what a user or an attacker would see.
"""

import pytest

from fieldkit.auth.scope import Scope
from fieldkit.errors import Forbidden, NotFound
from fieldkit.testing import BAC_HA, BAO_HA, PHO_LU
from fieldkit.testing import scope_of as officer


class TestScope:
    def test_get_gives_a_row_of_a_held_commune_and_404_otherwise(self, three_communes):
        db, made = three_communes
        table = db["residential_groups"]
        scope = officer(BAO_HA)
        mine = made[BAO_HA]
        assert scope.get(table, mine["id"])["uuid"] == mine["uuid"]
        with pytest.raises(NotFound):
            scope.get(table, made[PHO_LU]["id"])  # exists, but in another commune: no hint of that
        with pytest.raises(NotFound):
            scope.get(table, 10_000)

    def test_get_limits_by_the_column_it_is_given(self, three_communes):
        db, made = three_communes
        db["notes"].insert_all([{"id": 1, "xa": BAO_HA, "commune_code": PHO_LU}, {"id": 2, "xa": PHO_LU}], pk="id")
        scope = officer(BAO_HA)
        assert scope.get(db["notes"], 1, column="xa")["id"] == 1
        with pytest.raises(NotFound):
            scope.get(db["notes"], 2, column="xa")
        with pytest.raises(NotFound):
            scope.get(db["notes"], 1)  # by commune_code, row 1 is Phố Lu's

    def test_several_communes_read_exactly_those(self, three_communes):
        db, made = three_communes
        table = db["residential_groups"]
        scope = officer(PHO_LU, BAO_HA)
        assert {row["commune_code"] for row in scope.rows(table)} == {BAO_HA, PHO_LU}
        assert scope.count(table) == 2
        assert scope.allows(PHO_LU) and not scope.allows(BAC_HA)
        assert scope.require(BAO_HA) == BAO_HA
        with pytest.raises(Forbidden):
            scope.require(BAC_HA)

    def test_a_condition_narrows_the_scope_and_never_widens_it(self, three_communes):
        db, made = three_communes
        table = db["residential_groups"]
        scope = officer(BAO_HA)
        other = made[PHO_LU]["uuid"]
        assert list(scope.rows(table, "uuid = ?", [other])) == []
        assert scope.count(table, "uuid = ?", [other]) == 0
        assert scope.count(table, "uuid = ? OR 1 = 1", [other]) == 1
        mine = made[BAO_HA]["uuid"]
        assert [row["uuid"] for row in scope.rows(table, "uuid = ?", [mine])] == [mine]
        assert scope.count(table, "uuid = ?", [mine]) == 1

    def test_a_scope_on_another_column(self, three_communes):
        db, _ = three_communes
        db["notes"].insert_all([{"id": 1, "xa": BAO_HA, "commune_code": PHO_LU}, {"id": 2, "xa": PHO_LU}], pk="id")
        scope = officer(BAO_HA)
        assert [row["id"] for row in scope.rows(db["notes"], column="xa")] == [1]
        assert scope.count(db["notes"], column="xa") == 1
        assert scope.count(db["notes"], "id > ?", [1], column="xa") == 0

    def test_central_holds_every_commune(self, three_communes):
        db, _ = three_communes
        central = Scope(1, "so", "central_admin", None)
        assert central.is_central and not officer(BAO_HA).is_central
        assert central.count(db["residential_groups"]) == 3
        assert central.allows(BAC_HA)

    def test_roles(self):
        scope = officer(BAO_HA, role="commune_admin")
        assert scope.can("commune_admin", "central_admin")
        assert not scope.can("central_admin")


def test_a_foreign_commune_is_refused_in_words_the_officer_can_act_on(app, client, auth):
    """Not a bare 403: the officer reads that the commune is not one of theirs, in Vietnamese."""
    sentence = "Tài khoản của bạn không được giao xã, phường này."
    with app.test_request_context():
        with pytest.raises(Forbidden) as refused:
            officer(BAO_HA).require(PHO_LU)
        assert str(refused.value) == sentence
    auth.login()
    page = client.get(f"/rosters/?commune={PHO_LU}")
    assert page.status_code == 403 and sentence in page.get_data(as_text=True)
