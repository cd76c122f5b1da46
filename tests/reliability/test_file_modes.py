"""The instance folder is its owner's alone: database, keys, media and import previews."""

import stat

from fieldkit.testing import BAO_HA
from tests.roster_files import commune_roster

from .servers import Client, Server, add_user, run_fieldkit


def _readable_by_others(folder):
    """Paths under `folder` (itself included) that the group or other users may read, write or enter."""
    paths = [folder, *folder.rglob("*")]
    return [f"{oct(p.stat().st_mode & 0o777)} {p}" for p in paths if p.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO)]


def test_init_and_serve_leave_nothing_readable_by_other_users(tmp_path):
    instance = tmp_path / "instance"
    result = run_fieldkit(instance, "init", "--demo")
    assert result.returncode == 0, result.stderr
    assert (instance / "fieldkit.sqlite3").exists() and (instance / "keys").is_dir()
    assert _readable_by_others(instance) == []
    add_user(instance, "admin", "commune_admin", BAO_HA)
    with Server(instance) as server:
        admin = Client(server.port)
        admin.login("admin")
        boundary = "fieldkit-boundary"
        token = admin.csrf_token(f"/rosters/import?commune={BAO_HA}")
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="thon.xlsx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + commune_roster()
            + f"\r\n--{boundary}--\r\n".encode()
        )
        preview = admin.request(
            "POST",
            f"/rosters/import?commune={BAO_HA}",
            body=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert preview.status == 200 and "Xác nhận nhập" in preview.text
        assert list((instance / "uploads").rglob("*.upload")), "the preview is kept until confirmed"
        assert (instance / "fieldkit.sqlite3-wal").exists()
        assert _readable_by_others(instance) == []
