"""Guards that keep data and access right, each checked by what it produces.

Every test here was written against a bug planted by hand in a copy of the code (issue 18) and
fails with that bug: a scope with no communes, an Origin compared by host only, a record's identity
without its commune, a replay of a stored copy refused, a roster import outside its transaction,
a CA fingerprint that is not the certificate's.
"""

import hashlib
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from fieldkit.auth.scope import Scope, scope_for
from fieldkit.db import get_db
from fieldkit.offline import tls
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


@pytest.mark.parametrize(
    "origin",
    ["https://localhost", "http://localhost:8443", "http://localhost.evil.example", "http://evil.example"],
    ids=["other-scheme", "other-port", "longer-host", "other-host"],
)
def test_an_origin_must_match_scheme_host_and_port(client, session_form, origin):
    response = post_record(client, record_for(session_form), {**HEADERS, "Origin": origin})
    assert response.status_code == 403


def test_the_same_uuid_for_another_commune_is_a_conflict(app, client, auth, create_group):
    """A record is its commune too: the same data under the same uuid for another commune is not "the same"."""
    from fieldkit.auth.users import create_user

    create_group("Thôn Bảo Vinh")
    create_group("Tổ 1", commune=PHO_LU)
    with app.app_context():
        create_user(
            get_db(), app.extensions["fieldkit.hasher"], "haixa", "mot-ma-rieng-2026", "officer", [BAO_HA, PHO_LU]
        )
    auth.login("haixa", "mot-ma-rieng-2026")
    form = client.get("/api/v1/forms/broadcast").get_json()
    record = record_for(form)
    # A record valid in either commune: no residential group (optional in this form).
    group_fields = {f["name"] for f in form["fields"] if f["type"] == "residential_group"}
    assert not any(f["required"] for f in form["fields"] if f["name"] in group_fields)
    record["data"] = {k: v for k, v in record["data"].items() if k not in group_fields}
    first = post_record(client, record)
    assert first.status_code == 201, first.get_json()
    again = post_record(client, {**record, "commune": PHO_LU})
    assert again.status_code == 409, again.get_json()
    with app.app_context():
        rows = list(get_db()["submissions"].rows_where("uuid = ?", [record["uuid"]]))
    assert [r["commune_code"] for r in rows] == [BAO_HA]


def test_a_stored_copy_sent_again_is_acknowledged_even_when_it_no_longer_validates(app, client, session_form):
    """The phone resends what the server already holds; a group closed since must not turn that into an error."""
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    group_field = next(f for f in session_form["fields"] if f["type"] == "residential_group")
    with app.app_context():
        db = get_db()
        db.execute(
            "UPDATE residential_groups SET active = 0 WHERE uuid = ?",
            [record["data"][group_field["name"]]],
        )
        db.conn.commit()
    # The same copy again: "already have it", not 422.
    again = post_record(client, record)
    assert again.status_code == 200, again.get_json()
    # A new record naming the closed group is refused: the branch is for stored copies only.
    fresh = post_record(client, {**record, "uuid": str(uuid.uuid4())})
    assert fresh.status_code == 422


def test_a_failed_roster_import_writes_nothing(app):
    """Row 2 failing while it is written leaves row 1 unwritten: the import is one transaction."""
    from fieldkit.auth.scope import SYSTEM
    from fieldkit.rosters.roster_import import import_roster

    csv = "Tên thôn,Số hộ\nThôn Đầu,40\nThôn Hỏng,50\n".encode()
    with app.app_context():
        db = get_db()
        db.execute(
            "CREATE TRIGGER refuse_second BEFORE INSERT ON residential_groups"
            " WHEN NEW.name = 'Thôn Hỏng' BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(Exception, match="disk full"):
            import_roster(db, SYSTEM, app.config["SITE_ID"], BAO_HA, csv, "thon.csv")
        assert db["residential_groups"].count == 0
        assert db.execute("SELECT count(*) FROM audit_log WHERE action = 'roster.import'").fetchone()[0] == 0


def test_the_ca_fingerprint_is_the_sha256_of_the_certificate(tmp_path):
    outcome = tls.ensure_certificates(tmp_path, ["laptop.local"], ["192.168.1.10"])
    der = tls.load_certificate(tls.TlsFiles(tmp_path).ca_cert).public_bytes(Encoding.DER)
    expected = hashlib.sha256(der).hexdigest().upper()
    assert outcome.ca_fingerprint.replace(":", "") == expected
    # Another CA has another fingerprint.
    other = tls.ensure_certificates(tmp_path / "other", ["laptop.local"], ["192.168.1.10"])
    assert other.ca_fingerprint != outcome.ca_fingerprint


def test_tls_show_prints_the_certificates_own_fingerprint(app, runner):
    runner.invoke(args=["tls", "init", "--host", "laptop.local"])
    files = tls.TlsFiles(Path(app.instance_path) / "tls")
    der = tls.load_certificate(files.ca_cert).public_bytes(Encoding.DER)
    expected = hashlib.sha256(der).hexdigest().upper()
    shown = runner.invoke(args=["tls", "show"])
    assert shown.exit_code == 0, shown.output
    assert expected in shown.output.replace(":", "")


@pytest.fixture
def session_form(client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    create_group("Thôn Khuổi Phường")
    auth.login()
    return client.get("/api/v1/forms/session").get_json()


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


def test_a_write_is_audited_under_the_users_id(app, client, session_form):
    record = record_for(session_form)
    assert post_record(client, record).status_code == 201
    with app.app_context():
        db = get_db()
        officer_id = next(db["users"].rows_where("username = 'officer'"))["id"]
        entry = next(db["audit_log"].rows_where("entity_id = ?", [record["uuid"]]))
    assert (entry["user_id"], entry["username"], entry["commune_code"]) == (officer_id, "officer", BAO_HA)
