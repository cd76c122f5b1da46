"""`fieldkit backup` / `fieldkit restore`: everything an instance needs comes back, nothing is overwritten,
and a backup file cannot write outside the folder it is restored into."""

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from fieldkit.backup import MANIFEST, BackupError, restore_backup
from fieldkit.config import DATABASE_FILE
from fieldkit.submissions import media


def _photo():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _backup(app, runner, tmp_path):
    target = tmp_path / "usb" / "fieldkit.zip"
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target


def _users(database):
    conn = sqlite3.connect(database)
    try:
        return sorted(conn.execute("SELECT username, password_hash FROM users").fetchall())
    finally:
        conn.close()


def test_a_restored_backup_holds_the_photos_keys_settings_and_accounts(app, runner, tmp_path):
    instance = Path(app.instance_path)
    content = _photo()
    digest = media.store(media.media_dir(app), content, "jpg")
    target = _backup(app, runner, tmp_path)
    assert target.stat().st_mode & 0o777 == 0o600, "a backup holds password hashes and keys: owner only"

    restored = tmp_path / "restored"
    restore_backup(target, restored)
    assert media.stored_path(restored / "media", digest, "jpg").read_bytes() == content
    for key in sorted((instance / "keys").iterdir()):
        assert (restored / "keys" / key.name).read_bytes() == key.read_bytes()
    assert _users(restored / DATABASE_FILE) == _users(instance / DATABASE_FILE)


def test_restore_over_an_instance_that_has_data_is_refused_and_changes_nothing(app, runner, tmp_path):
    target = _backup(app, runner, tmp_path)
    database = Path(app.instance_path) / DATABASE_FILE
    before = database.read_bytes()
    result = runner.invoke(args=["restore", str(target)])
    assert result.exit_code != 0
    assert "đã có cơ sở dữ liệu" in result.output
    assert database.read_bytes() == before


@pytest.mark.parametrize("name", ["../ngoai-thu-muc.txt", "media/../../ngoai-thu-muc.txt", "/tmp/ngoai-thu-muc.txt"])
def test_a_backup_naming_a_path_outside_the_folder_is_refused(app, runner, tmp_path, name):
    genuine = _backup(app, runner, tmp_path)
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(genuine) as source, zipfile.ZipFile(forged, "w") as out:
        out.writestr(DATABASE_FILE, source.read(DATABASE_FILE))
        out.writestr(MANIFEST, json.dumps({"format": 1, "files": 2}))
        out.writestr(name, "không được ghi ra ngoài")
    restored = tmp_path / "a" / "restored"
    with pytest.raises(BackupError, match="Đường dẫn không hợp lệ"):
        restore_backup(forged, restored)
    assert not list(tmp_path.rglob("ngoai-thu-muc.txt"))
    assert not (restored / DATABASE_FILE).exists()
