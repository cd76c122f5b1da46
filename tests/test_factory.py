import tomllib

from fieldkit import create_app
from fieldkit.db import get_db


def test_config_defaults_and_test_override(tmp_path):
    assert not create_app({"TESTING": False}, instance_path=tmp_path).testing
    assert create_app({"TESTING": True}, instance_path=tmp_path).testing


def test_instance_config_toml_overrides_defaults(tmp_path):
    (tmp_path / "config.toml").write_text(
        'role = "central"\nsite_name = "Sở Nội vụ"\nsecret_key = "x"\n', encoding="utf-8"
    )
    app = create_app(instance_path=tmp_path)
    assert app.config["ROLE"] == "central"
    assert app.config["SITE_NAME"] == "Sở Nội vụ"


def test_database_pragmas(app):
    with app.app_context():
        db = get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == app.config["BUSY_TIMEOUT_MS"] == 30000


def test_migrations_are_recorded_and_not_reapplied(app):
    from fieldkit.db import migrate

    with app.app_context():
        db = get_db()
        names = {row["name"] for row in db["_sqlite_migrations"].rows}
        assert "m001_users_and_audit" in names
        assert migrate(db) == []


def test_synced_table_gets_increasing_sequence(app):
    from fieldkit.changes import current_seq, new_uuid, synced_table

    with app.app_context():
        db = get_db()
        synced_table(db, "things", {"name": str})
        start = current_seq(db)
        db["things"].insert({"uuid": new_uuid(), "origin_site": "s", "name": "a"})
        db["things"].insert({"uuid": new_uuid(), "origin_site": "s", "name": "b"})
        first, second = list(db["things"].rows_where(order_by="id"))
        assert (first["seq"], second["seq"]) == (start + 1, start + 2)
        db["things"].update(first["id"], {"name": "a2"})
        assert db["things"].get(first["id"])["seq"] == start + 3
        assert current_seq(db) == start + 3


def test_init_writes_secret_and_keys_once(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from fieldkit.cli import main

    instance = tmp_path / "inst"
    result = CliRunner().invoke(main, ["--instance", str(instance), "init", "--role", "central", "--name", "SNV"])
    assert result.exit_code == 0, result.output
    config = tomllib.loads((instance / "config.toml").read_text(encoding="utf-8"))
    assert config["role"] == "central" and len(config["secret_key"]) == 64
    assert (instance / "keys" / "site_ed25519.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY")
    again = CliRunner().invoke(main, ["--instance", str(instance), "init"])
    assert again.exit_code == 0
    assert tomllib.loads((instance / "config.toml").read_text(encoding="utf-8"))["secret_key"] == config["secret_key"]
