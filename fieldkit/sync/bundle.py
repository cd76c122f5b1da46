"""The bundle: a zip of a signed manifest, JSON Lines per table, a meta part and media files.

Layout (`.fkb` on disk, the body of `POST /api/v1/sync/bundles` over HTTP):

    manifest.json   {"format", "schema_version", "direction", "site_id", "site_name", "created_at",
                     "seq_after", "seq_upto", "members": [{"name", "sha256", "size", "rows"}]}
    manifest.sig    Ed25519 signature of manifest.json by the sender's key (64 bytes)
    meta.json       what is not a table row (household counts; public address and scan counts down)
    tables/NAME.jsonl
    media/SHA256

`open_bundle` checks the structure before anything is parsed: member names, count, sizes and
compression ratios, then the manifest, then each member's size and SHA-256. The signature is the
caller's to check, with the key it trusts for `manifest["site_id"]`.
"""

import hashlib
import io
import json
import re
import stat
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

from ..errors import UserFacingError
from .signing import sign

FORMAT = "fieldkit-bundle"
SCHEMA_VERSION = 1
MANIFEST, SIGNATURE, META = "manifest.json", "manifest.sig", "meta.json"
MEMBER_NAME = re.compile(r"^(meta\.json|tables/[a-z][a-z0-9_]{0,62}\.jsonl|media/[0-9a-f]{64})$")
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_MANIFEST_BYTES = 8 * 1024 * 1024
# JSON Lines of similar rows compress well, but not a thousandfold: beyond this it is a zip bomb.
MAX_RATIO = 200


class Refused(UserFacingError):
    """A bundle refused whole; the message is the Vietnamese reason shown to the user."""


@dataclass
class Bundle:
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    members: dict  # name -> bytes
    sha256: str


def write_bundle(private_key, direction, site_id, site_name, created_at, seq_after, seq_upto, tables, meta, media=()):
    """Bytes of a signed bundle. `tables` maps a table name to its rows (dicts); media: (sha256, bytes)."""
    parts = {META: _json_bytes(meta)}
    counts = {}
    for name, rows in tables.items():
        parts[f"tables/{name}.jsonl"] = b"".join(_json_bytes(row) + b"\n" for row in rows)
        counts[f"tables/{name}.jsonl"] = len(rows)
    for sha, content in media:
        parts[f"media/{sha}"] = content
    manifest = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "direction": direction,
        "site_id": site_id,
        "site_name": site_name,
        "created_at": created_at,
        "seq_after": seq_after,
        "seq_upto": seq_upto,
        "members": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "rows": counts.get(name)}
            for name, data in parts.items()
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(SIGNATURE, sign(private_key, manifest_bytes))
        for name, data in parts.items():
            stored = name.startswith("media/")  # photos are compressed already
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _json_bytes(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def open_bundle(data):
    """Check a bundle's structure and every member's hash; return a Bundle or raise Refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise Refused(_("Tệp không phải gói dữ liệu fieldkit (.fkb) hoặc đã bị hỏng.")) from None
    _check_entries(infos)
    with archive:
        manifest_bytes = _read(archive, MANIFEST, MAX_MANIFEST_BYTES)
        signature = _read(archive, SIGNATURE, 128)
        manifest = _parse_manifest(manifest_bytes)
        listed = {m["name"]: m for m in manifest["members"]}
        present = {info.filename for info in infos} - {MANIFEST, SIGNATURE}
        if present != set(listed):
            raise Refused(_("Danh sách thành phần của gói không khớp với bản kê khai."))
        members = {}
        for name, entry in listed.items():
            content = _read(archive, name, entry["size"])
            if len(content) != entry["size"] or hashlib.sha256(content).hexdigest() != entry["sha256"]:
                raise Refused(_("Thành phần %(name)s đã bị thay đổi (mã băm không khớp).", name=name))
            members[name] = content
    return Bundle(manifest, manifest_bytes, signature, members, hashlib.sha256(data).hexdigest())


def _check_entries(infos):
    if len(infos) > MAX_MEMBERS + 2:
        raise Refused(_("Gói có quá nhiều thành phần."))
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise Refused(_("Gói có thành phần trùng tên."))
    if MANIFEST not in names or SIGNATURE not in names:
        raise Refused(_("Gói thiếu bản kê khai hoặc chữ ký."))
    total = 0
    for info in infos:
        name = info.filename
        if name not in (MANIFEST, SIGNATURE) and not MEMBER_NAME.match(name):
            # Absolute paths, "..", backslashes and folders all fail this one pattern.
            raise Refused(_("Tên thành phần không hợp lệ: %(name)s", name=name[:80]))
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode) or info.is_dir():
            raise Refused(_("Gói chứa liên kết hoặc thư mục: %(name)s", name=name[:80]))
        if info.file_size > MAX_MEMBER_BYTES:
            raise Refused(_("Thành phần %(name)s quá lớn.", name=name))
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise Refused(_("Thành phần %(name)s có tỉ lệ nén bất thường.", name=name))
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused(_("Gói quá lớn."))


def _read(archive, name, limit):
    try:
        with archive.open(name) as member:
            content = member.read(limit + 1)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
        raise Refused(_("Thành phần %(name)s đã bị hỏng.", name=name)) from None
    if len(content) > limit:
        raise Refused(_("Thành phần %(name)s lớn hơn kích thước đã kê khai.", name=name))
    return content


def _parse_manifest(content):
    try:
        manifest = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise Refused(_("Bản kê khai của gói không đọc được.")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Refused(_("Bản kê khai của gói không đọc được."))
    if manifest.get("schema_version") != SCHEMA_VERSION:
        raise Refused(
            _(
                "Gói được tạo bởi phiên bản fieldkit khác (lược đồ %(found)s, cần %(wanted)s).",
                found=manifest.get("schema_version"),
                wanted=SCHEMA_VERSION,
            )
        )
    checks = {
        "direction": lambda v: v in ("up", "down"),
        "site_id": lambda v: isinstance(v, str) and 0 < len(v) <= 100,
        "site_name": lambda v: isinstance(v, str) and len(v) <= 200,
        "created_at": lambda v: isinstance(v, str) and len(v) <= 40,
        "seq_after": _is_count,
        "seq_upto": _is_count,
        "members": lambda v: isinstance(v, list) and len(v) <= MAX_MEMBERS,
    }
    for key, ok in checks.items():
        if not ok(manifest.get(key)):
            raise Refused(_("Bản kê khai của gói không hợp lệ (%(key)s).", key=key))
    for entry in manifest["members"]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and MEMBER_NAME.match(entry["name"])
            and isinstance(entry.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])
            and _is_count(entry.get("size"))
            and entry["size"] <= MAX_MEMBER_BYTES
        ):
            raise Refused(_("Bản kê khai của gói không hợp lệ (%(key)s).", key="members"))
    return manifest


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
