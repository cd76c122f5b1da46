"""`fieldkit backup` and `fieldkit restore`: the whole installation in one file, taken while it serves.

The database is copied with SQLite's online backup API, which gives one consistent snapshot even
while officers keep posting (WAL lets the writers go on meanwhile). Media files are copied after
the snapshot: they are stored under their content hash before any row names them, so every file
the snapshot refers to is already on disk. The file is a zip, readable by its owner only, since it
holds what the instance holds: password hashes, households, photos, the secret and the site's keys.
"""

import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from .auth.audit import utc_now
from .config import DATABASE_FILE
from .errors import UserFacingError

MANIFEST = "fieldkit-backup.json"
FORMAT = 1
# Not carried: the live database files (the snapshot replaces them) and unconfirmed import previews.
_SKIPPED = {DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", f"{DATABASE_FILE}-journal"}
_SKIPPED_FOLDERS = {"uploads"}
MAX_UNPACKED_BYTES = 20 * 1024**3


class BackupError(UserFacingError):
    """A backup that cannot be made or restored; the message says why, in Vietnamese first."""


def make_backup(instance_dir, database_path, out_path):
    """Write the backup of an instance to `out_path`; return the number of files it holds."""
    instance_dir, out_path = Path(instance_dir), Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(out_path.name + ".partial")
    with tempfile.TemporaryDirectory(dir=out_path.parent) as scratch:
        snapshot = Path(scratch) / DATABASE_FILE
        _snapshot(database_path, snapshot)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        count = 1
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(snapshot, DATABASE_FILE)
            for path in sorted(instance_dir.rglob("*")):
                relative = path.relative_to(instance_dir)
                if not path.is_file() or path.is_symlink() or _skipped(relative) or path == out_path:
                    continue
                archive.write(path, relative.as_posix())
                count += 1
            manifest = {"format": FORMAT, "created_at": utc_now(), "files": count}
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False))
    os.chmod(partial, 0o600)
    os.replace(partial, out_path)
    return count


def _snapshot(database_path, target):
    """A consistent copy of the live database, taken in one step of the online backup API."""
    source = sqlite3.connect(database_path, timeout=30)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError("Bản sao cơ sở dữ liệu bị lỗi; hãy thử lại. / The database copy failed its check.")
    finally:
        copy.close()
        source.close()


def _skipped(relative):
    parts = relative.parts
    return parts[0] in _SKIPPED_FOLDERS or (len(parts) == 1 and parts[0] in _SKIPPED)


def restore_backup(backup_path, instance_dir):
    """Unpack a backup into an instance folder that holds no database yet; return the files restored."""
    instance_dir = Path(instance_dir)
    if (instance_dir / DATABASE_FILE).exists():
        raise BackupError(
            f"Thư mục {instance_dir} đã có cơ sở dữ liệu. Hãy khôi phục vào một thư mục mới "
            f"(fieldkit --instance THƯ_MỤC_MỚI restore …). / {instance_dir} already holds a database."
        )
    try:
        archive = zipfile.ZipFile(backup_path)
    except (zipfile.BadZipFile, OSError):
        raise BackupError("Tệp này không phải bản sao lưu của fieldkit. / Not a fieldkit backup.") from None
    with archive:
        members = _checked_members(archive)
        instance_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(instance_dir, 0o700)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=instance_dir))
        try:
            for member in members:
                target = staging / PurePosixPath(member.filename)
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(member) as source, open(target, "wb") as out:
                    shutil.copyfileobj(source, out)
            _check_database(staging / DATABASE_FILE)
            for item in staging.iterdir():
                destination = instance_dir / item.name
                if item.is_dir() and destination.is_dir():
                    shutil.copytree(item, destination, dirs_exist_ok=True)
                else:
                    os.replace(item, destination)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return len(members)


def _checked_members(archive):
    """The members to unpack, after checking the manifest, each path and the total size."""
    names = archive.namelist()
    if MANIFEST not in names or DATABASE_FILE not in names:
        raise BackupError("Tệp này không phải bản sao lưu của fieldkit. / Not a fieldkit backup.")
    manifest = json.loads(archive.read(MANIFEST))
    if manifest.get("format") != FORMAT:
        raise BackupError("Bản sao lưu do phiên bản fieldkit khác tạo. / Backup format not supported.")
    members = [m for m in archive.infolist() if m.filename != MANIFEST and not m.is_dir()]
    for member in members:
        path = PurePosixPath(member.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in member.filename or not path.parts:
            raise BackupError(f"Đường dẫn không hợp lệ trong bản sao lưu: {member.filename} / Unsafe path.")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise BackupError("Bản sao lưu quá lớn. / Backup too large.")
    return members


def _check_database(path):
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError:
        result = "not a database"
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu bị lỗi ({result}). / The backed-up database is damaged.")
