"""Guards of access, each written against a bug planted by hand (issue 18): a scope with no communes
holds nothing, production password hashes cost what OWASP asks, a scope carries who the user is.
"""

import pytest

from fieldkit.auth.scope import Scope, scope_for
from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, HEADERS, PHO_LU, post_record, record_for


class TestScopeWithoutCommunes:
    """An officer whose communes were all taken away holds nothing, not everything."""

    def test_it_allows_no_commune(self):
        scope = Scope(7, "mo", "officer", frozenset())
        assert not scope.allows(BAO_HA)
        assert scope.where() == ("0 = 1", [])

    def test_it_reads_no_rows(self, app, create_group):
        create_group("Thôn Bảo Vinh")
        create_group("Tổ 1", commune=PHO_LU)
        with app.app_context():
            db = get_db()
            user = db["users"].rows_where("username = ?", ["officer"]).__next__()
            scope = scope_for(user, [])
            assert list(scope.rows(db["residential_groups"])) == []
            assert scope.count(db["residential_groups"]) == 0

    def test_through_the_api(self, app, client, auth, session_form):
        assert post_record(client, record_for(session_form)).status_code == 201
        with app.app_context():
            db = get_db()
            officer = db["users"].rows_where("username = ?", ["officer"]).__next__()
            db.execute("DELETE FROM user_communes WHERE user_id = ?", [officer["id"]])
            db.conn.commit()
        auth.login()
        listed = client.get("/api/v1/submissions", headers=HEADERS)
        assert listed.status_code == 200
        assert listed.get_json()["total"] == 0


def _argon2_parameters(encoded):
    """{"m": KiB, "t": passes, "p": lanes} from an encoded Argon2 hash."""
    variant, _version, params = encoded.split("$")[1:4]
    assert variant == "argon2id"
    return {key: int(value) for key, value in (part.split("=") for part in params.split(","))}


def test_production_password_hashes_cost_what_owasp_asks(tmp_path):
    """Tests hash fast; a real instance must not (OWASP: Argon2id, at least 19 MiB and 2 passes)."""
    from fieldkit.testing import make_app

    app = make_app(tmp_path, FAST_PASSWORD_HASH=False)
    params = _argon2_parameters(app.extensions["fieldkit.hasher"].hash("mot-mat-khau-dai"))
    assert params["m"] >= 19 * 1024 and params["t"] >= 2
    with app.app_context():
        stored = next(get_db()["users"].rows_where("username = 'officer'"))["password_hash"]
    assert _argon2_parameters(stored) == params


@pytest.mark.parametrize(
    "display_name, shown", [("Hoàng Thị Lan", "Hoàng Thị Lan"), (None, "officer"), ("", "officer")]
)
def test_a_scope_carries_who_the_user_is(display_name, shown):
    user = {"id": 41, "username": "officer", "role": "officer", "display_name": display_name}
    scope = scope_for(user, [BAO_HA])
    assert (scope.user_id, scope.username, scope.role, scope.display_name) == (41, "officer", "officer", shown)
    assert scope.communes == frozenset({BAO_HA})
    central = scope_for({**user, "role": "central_admin"}, [BAO_HA])
    assert central.communes is None and central.allows(PHO_LU)
