"""Guards of a sync bundle, each written against a mutant `make mutate` found alive (issue 18).

A bundle arrives from a machine that may be lost, stolen or forged. These tests build bundles by
hand (signed, so only the planted problem remains) and check what is refused, with which reason,
and that what must pass does pass, right at each limit.
"""

import hashlib
import io
import json
import random
import warnings
import zipfile
from fractions import Fraction

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.explainer.content import save_version
from fieldkit.rosters.groups import create_group
from fieldkit.sync import bundle as bundle_module
from fieldkit.sync.bundle import Refused, open_bundle, write_bundle
from fieldkit.sync.exchange import make_down_bundle, make_up_bundle, receive_down
from fieldkit.sync.registry import rules
from fieldkit.sync.signing import public_pem
from fieldkit.sync.transfer import parse_rows
from fieldkit.testing import BAO_HA, PHO_LU, make_app

from .sync_bundles import (
    add_recording,
    central_rows,
    dump,
    export,
    pull,
    receive,
    refused_with,
    resign,
    site_row,
    stored_files,
    with_meta,
)

KEY = Ed25519PrivateKey.generate()
META_REFUSED = "Phần thông tin chung (meta.json) của gói không hợp lệ."
ROW = {"uuid": "u-1", "origin_site": "s", "commune_code": "02989", "name": "Thôn Bảo Vinh"}


def manifest_for(parts, **changes):
    manifest = {
        "format": "fieldkit-bundle",
        "schema_version": 1,
        "direction": "up",
        "site_id": "site-1",
        "site_name": "UBND xã Bảo Hà",
        "created_at": "2026-12-02T10:00:00Z",
        "seq_after": 0,
        "seq_upto": 3,
        "members": [
            {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "rows": None}
            for name, data in parts.items()
        ],
    }
    manifest.update(changes)
    return manifest


def build(parts, manifest=None, signature=None, stored=()):
    """A zip of `parts` with its manifest (made from the parts unless given) and a signature of it."""
    manifest = manifest_for(parts) if manifest is None else manifest
    manifest_bytes = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_bytes)
        archive.writestr("manifest.sig", KEY.sign(manifest_bytes) if signature is None else signature)
        for name, data in parts.items():
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED if name in stored else None)
    return out.getvalue()


def lines(*rows):
    return b"\n".join(row if isinstance(row, bytes) else json.dumps(row).encode() for row in rows) + b"\n"


PARTS = {"meta.json": b"{}", "tables/residential_groups.jsonl": json.dumps(ROW).encode() + b"\n"}


def test_a_well_made_bundle_opens_with_every_member():
    data = build(PARTS)
    opened = open_bundle(data)
    assert opened.members == PARTS
    assert opened.manifest["site_id"] == "site-1"
    assert opened.sha256 == hashlib.sha256(data).hexdigest()  # what a replay is recognised by


def test_write_bundle_round_trips_rows_meta_media_and_signature():
    photo = b"\xff\xd8 a photo"
    sha = hashlib.sha256(photo).hexdigest()
    data = write_bundle(
        KEY,
        "up",
        "site-1",
        "UBND xã Bảo Hà",
        "2026-12-02T10:00:00Z",
        4,
        9,
        {"posters": [ROW, ROW]},
        {"n": 1},
        [(sha, photo)],
    )
    opened = open_bundle(data)
    manifest = opened.manifest
    assert (manifest["direction"], manifest["site_id"], manifest["site_name"]) == ("up", "site-1", "UBND xã Bảo Hà")
    assert (manifest["seq_after"], manifest["seq_upto"], manifest["created_at"]) == (4, 9, "2026-12-02T10:00:00Z")
    rows = {m["name"]: m["rows"] for m in manifest["members"]}
    assert rows == {"meta.json": None, "tables/posters.jsonl": 2, f"media/{sha}": None}
    assert [json.loads(line) for line in opened.members["tables/posters.jsonl"].splitlines()] == [ROW, ROW]
    assert json.loads(opened.members["meta.json"]) == {"n": 1}
    assert opened.members[f"media/{sha}"] == photo
    KEY.public_key().verify(opened.signature, opened.manifest_bytes)  # raises if not the key's signature
    assert "Bảo Hà" in opened.manifest_bytes.decode()  # readable UTF-8, not \\u escapes
    # The signed manifest in one readable form: keys sorted, one per line; rows and meta compact UTF-8.
    assert opened.manifest_bytes == json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode()
    assert (
        opened.members["tables/posters.jsonl"].splitlines()[0]
        == json.dumps(ROW, ensure_ascii=False, separators=(",", ":")).encode()
    )
    assert opened.members["meta.json"] == b'{"n":1}'
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kinds = {info.filename: info.compress_type for info in archive.infolist()}
    assert kinds[f"media/{sha}"] == zipfile.ZIP_STORED  # photos are compressed already
    assert kinds["tables/posters.jsonl"] == kinds["manifest.json"] == kinds["meta.json"] == zipfile.ZIP_DEFLATED


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04 not really a zip"], ids=["empty", "text", "torn"])
def test_a_file_that_is_not_a_bundle_is_refused_in_words(data):
    with refused_with("Tệp không phải gói dữ liệu fieldkit (.fkb) hoặc đã bị hỏng."):
        open_bundle(data)


MANIFEST_PROBLEMS = {
    "direction": ("sideways", "direction"),
    "site_id empty": ("", "site_id"),
    "site_id a number": (12, "site_id"),
    "site_id too long": ("s" * 101, "site_id"),
    "site_name a number": (5, "site_name"),
    "site_name too long": ("n" * 201, "site_name"),
    "created_at missing": (None, "created_at"),
    "created_at too long": ("2" * 41, "created_at"),
    "seq_after negative": (-1, "seq_after"),
    "seq_after boolean": (True, "seq_after"),
    "seq_after text": ("1", "seq_after"),
    "seq_upto negative": (-1, "seq_upto"),
    "members not a list": ("all", "members"),
    "members a number": (5, "members"),
    "members an object": ({}, "members"),
}
INVALID = "Bản kê khai của gói không hợp lệ ({key})."
UNREADABLE = "Bản kê khai của gói không đọc được."


@pytest.mark.parametrize("kind", sorted(MANIFEST_PROBLEMS))
def test_a_manifest_field_out_of_shape_is_named(kind):
    value, key = MANIFEST_PROBLEMS[kind]
    field = kind.split()[0]
    with refused_with(INVALID.format(key=key)):
        open_bundle(build(PARTS, manifest_for(PARTS, **{field: value})))


@pytest.mark.parametrize(
    "changes",
    [
        {"site_id": "s" * 100, "site_name": "n" * 200, "created_at": "2" * 40},
        {"site_id": "s", "site_name": "", "seq_after": 0, "seq_upto": 0},
        {"direction": "down"},
    ],
    ids=["longest", "shortest", "down"],
)
def test_a_manifest_at_its_limits_opens(changes):
    assert open_bundle(build(PARTS, manifest_for(PARTS, **changes))).manifest["site_name"] == changes.get(
        "site_name", "UBND xã Bảo Hà"
    )


def member_changed(**changes):
    manifest = manifest_for(PARTS)
    manifest["members"][0] = {**manifest["members"][0], **changes}
    return manifest


@pytest.mark.parametrize(
    "manifest",
    [
        pytest.param(member_changed(name=5), id="name not text"),
        pytest.param(member_changed(name="../meta.json"), id="name a path"),
        pytest.param(member_changed(sha256=5), id="hash not text"),
        pytest.param(member_changed(sha256="A" * 64), id="hash in capitals"),
        pytest.param(member_changed(sha256="a" * 63), id="hash too short"),
        pytest.param(member_changed(size=-1), id="negative size"),
        pytest.param(member_changed(size=True), id="boolean size"),
        pytest.param(member_changed(size=bundle_module.MAX_MEMBER_BYTES + 1), id="size over the limit"),
        pytest.param({**manifest_for(PARTS), "members": ["meta.json", "tables/residential_groups.jsonl"]}, id="text"),
    ],
)
def test_a_member_entry_out_of_shape_is_refused(manifest):
    with refused_with(INVALID.format(key="members")):
        open_bundle(build(PARTS, manifest))


def test_the_manifest_is_checked_before_its_members():
    with refused_with(UNREADABLE):
        open_bundle(build(PARTS, manifest={**manifest_for(PARTS), "format": "other"}))
    with refused_with(UNREADABLE):
        open_bundle(build(PARTS, manifest=[1, 2]))
    bare = io.BytesIO()
    with zipfile.ZipFile(bare, "w") as archive:
        archive.writestr("manifest.json", b"\xff not json")
        archive.writestr("manifest.sig", b"x")
    with refused_with(UNREADABLE):
        open_bundle(bare.getvalue())


def test_a_member_longer_or_shorter_than_listed_is_refused():
    longer = member_changed(size=len(PARTS["meta.json"]) - 1)
    with refused_with("Thành phần meta.json lớn hơn kích thước đã kê khai."):
        open_bundle(build(PARTS, longer))
    shorter = member_changed(size=len(PARTS["meta.json"]) + 1)
    with refused_with("Thành phần meta.json đã bị thay đổi (mã băm không khớp)."):
        open_bundle(build(PARTS, shorter))
    other = member_changed(sha256=hashlib.sha256(b"{ }").hexdigest())
    with refused_with("Thành phần meta.json đã bị thay đổi (mã băm không khớp)."):
        open_bundle(build(PARTS, other))


def test_a_listed_member_missing_from_the_zip_is_refused():
    manifest = manifest_for({**PARTS, "tables/posters.jsonl": b"{}\n"})
    with refused_with("Danh sách thành phần của gói không khớp với bản kê khai."):
        open_bundle(build(PARTS, manifest))


def test_member_count_limit_counts_the_manifest_and_signature_apart(monkeypatch):
    monkeypatch.setattr(bundle_module, "MAX_MEMBERS", len(PARTS))
    assert open_bundle(build(PARTS)).members == PARTS
    monkeypatch.setattr(bundle_module, "MAX_MEMBERS", len(PARTS) - 1)
    with refused_with("Gói có quá nhiều thành phần."):
        open_bundle(build(PARTS))


def test_member_and_total_size_limits(monkeypatch):
    # The manifest and the signature count too, in the biggest member and in the total.
    with zipfile.ZipFile(io.BytesIO(build(PARTS))) as archive:
        sizes = [info.file_size for info in archive.infolist()]
    monkeypatch.setattr(bundle_module, "MAX_MEMBER_BYTES", max(sizes))
    monkeypatch.setattr(bundle_module, "MAX_TOTAL_BYTES", sum(sizes))
    assert open_bundle(build(PARTS)).members == PARTS
    monkeypatch.setattr(bundle_module, "MAX_TOTAL_BYTES", sum(sizes) - 1)
    with refused_with("Gói quá lớn."):
        open_bundle(build(PARTS))
    monkeypatch.setattr(bundle_module, "MAX_TOTAL_BYTES", sum(sizes))
    monkeypatch.setattr(bundle_module, "MAX_MEMBER_BYTES", max(sizes) - 1)
    with refused_with("Thành phần manifest.json quá lớn."):
        open_bundle(build(PARTS))


def test_manifest_and_signature_size_limits(monkeypatch):
    manifest_bytes = json.dumps(manifest_for(PARTS)).encode()
    monkeypatch.setattr(bundle_module, "MAX_MANIFEST_BYTES", len(manifest_bytes))
    assert open_bundle(build(PARTS)).manifest_bytes == manifest_bytes
    monkeypatch.setattr(bundle_module, "MAX_MANIFEST_BYTES", len(manifest_bytes) - 1)
    with refused_with("Thành phần manifest.json lớn hơn kích thước đã kê khai."):
        open_bundle(build(PARTS))
    monkeypatch.undo()
    assert len(open_bundle(build(PARTS, signature=b"s" * 128)).signature) == 128
    with refused_with("Thành phần manifest.sig lớn hơn kích thước đã kê khai."):
        open_bundle(build(PARTS, signature=b"s" * 129))


MIB = 1024 * 1024


@pytest.mark.parametrize(
    "size, refused",
    [(MIB, False), (MIB + 1, True)],
    ids=["one MiB of zeros passes", "past one MiB the ratio counts"],
)
def test_a_compression_ratio_counts_only_past_one_mebibyte(size, refused):
    parts = {**PARTS, "meta.json": b" " * (size - 2) + b"{}"}
    data = build(parts)
    if refused:
        with refused_with("Thành phần meta.json có tỉ lệ nén bất thường."):
            open_bundle(data)
    else:
        assert open_bundle(data).members["meta.json"].endswith(b"{}")


def test_a_member_compressed_exactly_at_the_ratio_passes(monkeypatch):
    parts = {**PARTS, "meta.json": b" " * (2 * MIB) + b"{}"}
    data = build(parts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("meta.json")
    monkeypatch.setattr(bundle_module, "MAX_RATIO", Fraction(info.file_size, info.compress_size))
    assert open_bundle(data).members["meta.json"] == parts["meta.json"]


def test_a_member_listed_at_the_size_limit_passes(monkeypatch):
    parts = {**PARTS, "tables/residential_groups.jsonl": lines(*[{**ROW, "uuid": f"u-{n}"} for n in range(60)])}
    biggest = len(parts["tables/residential_groups.jsonl"])
    assert biggest > len(json.dumps(manifest_for(parts)))
    monkeypatch.setattr(bundle_module, "MAX_MEMBER_BYTES", biggest)
    assert open_bundle(build(parts)).members == parts


def zip_of(entries):
    """A zip of (ZipInfo or name, bytes) entries exactly as given, duplicates and all."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of a duplicate name
        for info, content in entries:
            archive.writestr(info, content)
    return out.getvalue()


def link(name):
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


SIGNED = [("manifest.json", json.dumps(manifest_for(PARTS)).encode()), ("manifest.sig", b"s" * 64)]
LONG_NAME = "tables/" + "X" * 100 + ".jsonl"
STRUCTURE = {
    "duplicate": (SIGNED + [("meta.json", b"{}"), ("meta.json", b"{}")], "Gói có thành phần trùng tên."),
    "no signature": (SIGNED[:1] + [("meta.json", b"{}")], "Gói thiếu bản kê khai hoặc chữ ký."),
    "no manifest": (SIGNED[1:] + [("meta.json", b"{}")], "Gói thiếu bản kê khai hoặc chữ ký."),
    "long bad name": (SIGNED + [(LONG_NAME, b"{}")], f"Tên thành phần không hợp lệ: {LONG_NAME[:80]}"),
    "link": (SIGNED + [(link("meta.json"), b"/etc/passwd")], "Gói chứa liên kết hoặc thư mục: meta.json"),
    "folder": (SIGNED + [(zipfile.ZipInfo("media/"), b"")], "Tên thành phần không hợp lệ: media/"),
}


@pytest.mark.parametrize("kind", sorted(STRUCTURE))
def test_a_zip_of_the_wrong_structure_is_refused_in_words(kind):
    entries, sentence = STRUCTURE[kind]
    with refused_with(sentence):
        open_bundle(zip_of(entries))


def test_a_bundle_of_another_schema_version_says_which(monkeypatch):
    with refused_with("Gói được tạo bởi phiên bản fieldkit khác (lược đồ 2, cần 1)."):
        open_bundle(build(PARTS, manifest_for(PARTS, schema_version=2)))


def test_a_large_member_that_does_not_compress_passes():
    noise = random.Random(18).randbytes(2 * MIB)
    name = "media/" + hashlib.sha256(noise).hexdigest()
    parts = {**PARTS, name: noise}
    assert open_bundle(build(parts, stored={name})).members[name] == noise
    # The same bytes deflated: random bytes do not compress, far from the ratio of a zip bomb.
    assert open_bundle(build(parts)).members[name] == noise


# --- receiving a site's bundle at Sở Nội vụ ------------------------------------------------------


def test_a_bundle_signed_by_another_key_or_an_unknown_site_is_refused_whole(pair, tmp_path):
    central, site = pair
    data = export(site)
    stranger = make_app(tmp_path / "stranger", SITE_ID=site.config["SITE_ID"])
    with stranger.app_context():
        create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Giả")
        forged = export(stranger)  # same site id, another machine's key
    unknown = resign(site, data, manifest_change=lambda m: m.update(site_id="not-enrolled"))
    before = dump(central)
    for bad in (forged, unknown):
        with pytest.raises(Refused, match="Chữ ký của gói không hợp lệ"):
            receive(central, bad)
    assert dump(central) == before
    assert receive(central, data)["counts"]["created"] == 1


def test_a_bundle_from_sở_nội_vụ_is_not_imported_as_a_sites(pair):
    central, site = pair
    down = resign(site, export(site), manifest_change=lambda m: m.update(direction="down"))
    before = dump(central)
    with pytest.raises(Refused, match="gửi xuống"):
        receive(central, down)
    assert dump(central) == before


def test_an_import_is_recorded_with_its_counts_and_advances_the_sites_ack(pair):
    central, site = pair
    data = export(site)
    upto = open_bundle(data).manifest["seq_upto"]
    result = receive(central, data)
    assert result["site"] == "UBND xã Bảo Hà" and result["ack"] == upto and result["status"] == "ok"
    row = site_row(central)
    assert (row["last_ack"], row["rows_received"], row["conflicts"]) == (upto, 1, 0)
    assert row["last_sync_at"]
    imports = central_rows(central, "sync_imports")
    assert len(imports) == 1
    entry = imports[0]
    assert entry["bundle_sha256"] == open_bundle(data).sha256
    assert (entry["from_site"], entry["direction"], entry["seq_after"], entry["seq_upto"]) == (
        site.config["SITE_ID"],
        "up",
        0,
        upto,
    )
    assert (entry["created"], entry["unchanged"], entry["updated"], entry["conflicts"]) == (1, 0, 0, 0)
    assert entry["imported_by"] == "system" and entry["imported_at"]
    with central.app_context():
        audit = list(get_db()["audit_log"].rows_where("action = 'sync.import_up'"))
    assert [(a["entity"], a["entity_id"], json.loads(a["detail"])) for a in audit] == [
        ("sync_imports", entry["bundle_sha256"], {"created": 1, "unchanged": 0, "updated": 0, "conflict": 0})
    ]


def test_a_replay_writes_nothing_not_even_the_time(pair):
    central, site = pair
    data = export(site)
    receive(central, data)
    before = dump(central)
    assert receive(central, data)["counts"] == {"created": 0, "unchanged": 1, "updated": 0, "conflict": 0}
    assert dump(central) == before


def test_the_same_rows_in_a_new_bundle_are_recorded_once_more_without_counting_them(pair):
    central, site = pair
    receive(central, export(site))
    received = site_row(central)["rows_received"]
    with site.app_context():
        later = make_up_bundle(get_db(), site, 0)[0]
    again = resign(site, later, manifest_change=lambda m: m.update(created_at="2099-01-01T00:00:00Z"))
    receive(central, again)
    assert site_row(central)["rows_received"] == received
    assert len(central_rows(central, "sync_imports")) == 2


def photo_bytes():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_files_arrive_under_their_extension_photos_with_a_thumbnail_and_counts_add_up_over_tables(pair):
    from fieldkit.submissions.media import media_dir, store

    central, site = pair
    site.config["SYNC_PHOTOS"] = True
    photo, lost, kept = photo_bytes(), b"OggS a file the site lost", b"OggS a file the site kept"
    with site.app_context():
        db = get_db()
        digest = store(media_dir(site), photo, "png")
        row = {"uuid": "m-1", "origin_site": site.config["SITE_ID"], "sha256": digest, "mime": "image/png"}
        db["media"].insert({**row, "commune_code": BAO_HA, "submission_uuid": "s-1"})
        db.conn.commit()
    add_recording(site, "cach-tra-loi", lost)
    add_recording(site, "khao-sat-papi", kept)
    lost_sha, kept_sha = hashlib.sha256(lost).hexdigest(), hashlib.sha256(kept).hexdigest()
    (media_dir(site) / lost_sha[:2] / f"{lost_sha}.ogg").unlink()
    data = export(site)
    counts = receive(central, data)["counts"]
    # A group, a photo and two recordings, in three tables.
    assert counts == {"created": 4, "unchanged": 0, "updated": 0, "conflict": 0}
    files = set(stored_files(central))
    assert {f"{digest}.png", f"{digest}.jpg", f"{kept_sha}.ogg"} <= files and not any(lost_sha in f for f in files)
    assert (media_dir(central) / "thumbs" / f"{digest}.jpg").exists()
    # Sent again, no row of any table is a conflict: each copy is the one held.
    assert receive(central, data)["counts"] == {"created": 0, "unchanged": 4, "updated": 0, "conflict": 0}


def test_the_same_row_twice_in_one_bundle_is_stored_and_counted_once(pair):
    central, site = pair

    def doubled(tables):
        tables["residential_groups"].append(tables["residential_groups"][0])

    counts = receive(central, resign(site, export(site), member_change=doubled))["counts"]
    assert counts == {"created": 1, "unchanged": 1, "updated": 0, "conflict": 0}
    with site.app_context():
        get_db().execute("UPDATE residential_groups SET households = 41")
        get_db().conn.commit()
    counts = receive(central, resign(site, export(site), member_change=doubled))["counts"]
    assert counts == {"created": 0, "unchanged": 1, "updated": 1, "conflict": 0}
    assert [row["households"] for row in central_rows(central, "residential_groups")] == [41]
    assert site_row(central)["rows_received"] == 2


def test_who_may_replace_a_mutable_row_and_what_is_kept_aside(app):
    from fieldkit.sync.transfer import apply_rows

    now = "2026-12-02T10:00:00+00:00"
    rule = next(rule for rule in rules(app, "up") if rule.table == "residential_groups")

    def apply(from_site, **changes):
        row = {"uuid": "g-1", "origin_site": from_site, "commune_code": BAO_HA, "name": "Thôn Bảo Vinh", **changes}
        results = apply_rows(get_db(), rule, [row], from_site, now)
        return next(name for name, keys in results.items() if keys == ["g-1"])

    def held():
        return get_db().execute("SELECT origin_site, name FROM residential_groups WHERE uuid = 'g-1'").fetchone()

    with app.app_context():
        # Made here (no version received): a site's copy of the same uuid, even its first change, is kept aside.
        create_group(get_db(), SYSTEM, "central", BAO_HA, "Thôn Bảo Vinh")
        get_db().execute("UPDATE residential_groups SET uuid = 'g-1'")
        assert apply("site-a", name="Thôn Bảo Vinh 1", seq=1) == "conflict"
        assert apply("site-a", name="Thôn Bảo Vinh 2") == "conflict"
        assert apply("site-a", name="Thôn Bảo Vinh 3", seq=-1) == "conflict"  # no version received: not older
        assert held() == ("central", "Thôn Bảo Vinh")
        get_db().execute("DELETE FROM residential_groups")
        # Received without a seq, a copy counts as the oldest: it never replaces the held one.
        assert apply("site-a") == "created"
        assert apply("site-a", name="Thôn khác") == "unchanged"
        # A newer copy from another site naming itself the origin is kept aside, not dropped.
        assert apply("site-a", name="Thôn Bảo Vinh A", seq=1) == "updated"
        assert apply("site-b", name="Thôn Bảo Vinh B", seq=9) == "conflict"
        assert held() == ("site-a", "Thôn Bảo Vinh A")
        kept = get_db().execute("SELECT from_site, row FROM sync_conflicts ORDER BY id").fetchall()
    assert [(site, json.loads(row)["name"]) for site, row in kept] == [
        ("site-a", "Thôn Bảo Vinh 1"),
        ("site-a", "Thôn Bảo Vinh 2"),
        ("site-a", "Thôn Bảo Vinh 3"),
        ("site-b", "Thôn Bảo Vinh B"),
    ]


def test_a_new_row_colliding_with_a_held_one_on_another_unique_column_is_a_conflict(pair):
    central, site = pair
    receive(central, export(site))
    # The same group under a new uuid (the site reinstalled): (commune, name) is taken at the central.
    again = resign(site, export(site), member_change=lambda t: t["residential_groups"][0].update(uuid="g-new"))
    result = receive(central, again)
    assert result["counts"] == {"created": 0, "unchanged": 0, "updated": 0, "conflict": 1}
    assert result["records"]["residential_groups"]["conflict"] == ["g-new"]
    assert [row["uuid"] for row in central_rows(central, "residential_groups")] != ["g-new"]
    assert [row["row_key"] for row in central_rows(central, "sync_conflicts")] == ["g-new"]


def test_a_mutable_table_keyed_by_two_columns_is_updated_in_place(app):
    from fieldkit.sync.registry import travels
    from fieldkit.sync.transfer import apply_rows

    rule = travels(app, "dated_notes", up=True, mutable=True, key=("era", "code"))
    now = "2026-12-02T10:00:00+00:00"
    with app.app_context():
        db = get_db()
        db.execute(
            "CREATE TABLE dated_notes (era TEXT, code TEXT, uuid TEXT, origin_site TEXT, seq INTEGER,"
            " commune_code TEXT, note TEXT, PRIMARY KEY (era, code))"
        )
        row = {"era": "2023", "code": BAO_HA, "origin_site": "site-1", "seq": 3, "commune_code": BAO_HA, "note": "Một"}
        # A table that has a uuid needs it in every row, whatever its key.
        with refused_with("Bảng dated_notes, dòng 1: thiếu uuid."):
            parse_rows(db, rule, lines(row), {BAO_HA})
        row["uuid"] = "n-2023"
        assert apply_rows(db, rule, [row], "site-1", now)["created"] == [f"2023/{BAO_HA}"]
        later = apply_rows(db, rule, [{**row, "seq": 5, "note": "Hai"}], "site-1", now)
        assert later["updated"] == [f"2023/{BAO_HA}"]
        assert db.execute("SELECT era, code, note FROM dated_notes").fetchall() == [("2023", BAO_HA, "Hai")]


def test_rows_keyed_by_a_number_are_named_by_it_and_unchanged_when_sent_again(app):
    from fieldkit.sync.registry import travels
    from fieldkit.sync.transfer import apply_rows

    rule = travels(app, "numbered", up=True, key=("id",))
    now = "2026-12-02T10:00:00+00:00"
    with app.app_context():
        db = get_db()
        db.execute("CREATE TABLE numbered (id INTEGER PRIMARY KEY, commune_code TEXT, name TEXT, extra BLOB)")
        row = {"id": 5, "commune_code": BAO_HA, "name": "Năm"}
        # The key's id travels; a column of another type (BLOB) takes text or a number.
        extras = [{**row, "extra": value} for value in ("x", 7, 1.5)]
        assert parse_rows(db, rule, lines(*extras), {BAO_HA}) == extras
        assert apply_rows(db, rule, [row], "site-1", now)["created"] == [5]
        again = apply_rows(db, rule, [row], "site-1", now)
        assert again["unchanged"] == [5] and again["conflict"] == []


def test_a_bundle_after_a_gap_does_not_advance_the_ack(pair):
    central, site = pair
    first = export(site)
    upto = open_bundle(first).manifest["seq_upto"]
    receive(central, first)
    with site.app_context():
        create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Sau", households=9)
    later = export(site, after=upto)
    gap = resign(site, later, manifest_change=lambda m: m.update(seq_after=upto + 1))
    result = receive(central, gap)
    assert result["counts"]["created"] == 1 and result["ack"] == upto
    assert site_row(central)["last_ack"] == upto
    joined = receive(central, later)
    assert joined["ack"] == open_bundle(later).manifest["seq_upto"] > upto
    assert site_row(central)["rows_received"] == 2
    # An older bundle replayed never moves the ack back.
    assert receive(central, first)["ack"] == joined["ack"]


def test_a_conflict_is_counted_on_the_site(pair):
    central, site = pair
    receive(central, export(site))
    elsewhere = {"notes": "khác", "origin_site": "another-site"}
    receive(central, resign(site, export(site), member_change=lambda t: t["residential_groups"][0].update(elsewhere)))
    row = site_row(central)
    assert row["conflicts"] == 1 and row["rows_received"] == 1
    [kept] = central_rows(central, "sync_conflicts")
    assert kept["from_site"] == site.config["SITE_ID"] and kept["received_at"] == row["last_sync_at"]


def test_bundles_arriving_out_of_order_advance_the_ack_once_the_gap_is_filled(pair):
    central, site = pair
    first = export(site)
    upto = open_bundle(first).manifest["seq_upto"]
    with site.app_context():
        create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Sau", households=9)
    later = export(site, after=upto)
    receive(central, later)  # a file carried by hand arrives before the push it follows
    assert site_row(central)["last_ack"] == 0
    receive(central, first)
    assert site_row(central)["last_ack"] == upto
    # The later bundle sent again (nothing new in it) now joins on and moves the ack to its end.
    again = receive(central, later)
    assert again["counts"]["unchanged"] == 1
    assert site_row(central)["last_ack"] == again["ack"] == open_bundle(later).manifest["seq_upto"]


@pytest.mark.parametrize(
    "counts",
    [
        pytest.param("many", id="not a list"),
        pytest.param(["x"], id="entry not an object"),
        pytest.param([{"group_uuid": "g", "commune_code": BAO_HA, "households": 3}], id="missing key"),
        pytest.param(
            [{"group_uuid": "g", "commune_code": BAO_HA, "households": "3", "reached": 1}], id="number as text"
        ),
        pytest.param(
            [{"group_uuid": "g", "commune_code": BAO_HA, "households": 3, "reached": 1, "extra": 1}], id="extra key"
        ),
        pytest.param([{"group_uuid": "g", "commune_code": PHO_LU, "households": 3, "reached": 1}], id="other commune"),
    ],
)
def test_household_counts_of_the_wrong_shape_or_commune_are_refused(pair, counts):
    central, site = pair
    data = with_meta(site, export(site), {"household_counts": counts})
    before = dump(central)
    foreign = PHO_LU in json.dumps(counts)
    sentence = f"Số hộ gửi kèm thuộc xã {PHO_LU}, không phải xã của máy đã gửi gói." if foreign else META_REFUSED
    with refused_with(sentence):
        receive(central, data)
    assert dump(central) == before


@pytest.mark.parametrize("meta", [b"[1]", b"not json"], ids=["a list", "not JSON"])
def test_a_meta_part_that_is_not_an_object_is_refused(pair, meta):
    central, site = pair
    with refused_with(META_REFUSED):
        receive(central, with_meta(site, export(site), meta))


def test_household_counts_arrive_and_a_later_bundle_replaces_them(pair):
    central, site = pair
    data = export(site)
    group = json.loads(open_bundle(data).members["tables/residential_groups.jsonl"])["uuid"]
    for households, reached in ((40, 12), (41, 20)):
        counts = {"group_uuid": group, "commune_code": BAO_HA, "households": households, "reached": reached}
        receive(central, with_meta(site, data, {"household_counts": [counts]}))
        held = central_rows(central, "sync_household_counts")
        assert [(c["group_uuid"], c["from_site"], c["commune_code"], c["households"], c["reached"]) for c in held] == [
            (group, site.config["SITE_ID"], BAO_HA, households, reached)
        ]


# --- a site receiving Sở Nội vụ's bundle (pull) --------------------------------------------------


def test_a_pull_brings_a_page_and_a_newer_version_replaces_it(pair):
    central, site = pair
    with central.app_context():
        save_version(get_db(), SYSTEM, central.config["SITE_ID"], "cach-tra-loi", "vi", "Cách trả lời", "Bản một")
    results, _ = pull(central, site)
    assert len(results["explainer_pages"]["created"]) == 1
    with central.app_context():
        db = get_db()
        db.execute("UPDATE explainer_pages SET body = 'Bản hai' WHERE slug = 'cach-tra-loi'")
        db.conn.commit()
    results, _ = pull(central, site)
    assert len(results["explainer_pages"]["updated"]) == 1
    with site.app_context():
        bodies = [r["body"] for r in get_db()["explainer_pages"].rows_where("slug = 'cach-tra-loi'")]
    assert bodies == ["Bản hai"]
    with site.app_context():
        pulled = list(get_db()["sync_imports"].rows_where("direction = 'down'"))
    assert len(pulled) == 2 and pulled[0]["imported_by"] == "system"


def test_scan_counts_arrive_and_only_well_formed_codes_are_kept(pair):
    central, site = pair
    scans = [{"poster_code": "02989-K7QX-4MZ2", "scans": 3}, {"poster_code": "không phải mã!", "scans": 9}]
    _, meta = pull(central, site, meta={"scan_counts": scans, "public_base_url": "https://papi.example.org"})
    assert meta["scan_counts"] == scans
    with site.app_context():
        kept = [(r["poster_code"], r["scans"]) for r in get_db()["sync_scan_counts"].rows]
    assert kept == [("02989-K7QX-4MZ2", 3)]
    pull(central, site, meta={"scan_counts": [{"poster_code": "02989-K7QX-4MZ2", "scans": 5}]})
    with site.app_context():
        assert [r["scans"] for r in get_db()["sync_scan_counts"].rows] == [5]


@pytest.mark.parametrize(
    "scans",
    [
        pytest.param("3", id="not a list"),
        pytest.param(["x"], id="entry not an object"),
        pytest.param([{"poster_code": 7, "scans": 1}], id="code not text"),
        pytest.param([{"poster_code": "02989-K7QX-4MZ2", "scans": "1"}], id="count as text"),
        pytest.param([{"poster_code": "02989-K7QX-4MZ2", "scans": True}], id="count a boolean"),
    ],
)
def test_scan_counts_of_the_wrong_shape_are_refused(pair, scans):
    central, site = pair
    before = dump(site)
    with refused_with(META_REFUSED):
        pull(central, site, meta={"scan_counts": scans})
    assert dump(site) == before


def test_a_site_refuses_a_bundle_not_signed_by_its_sở_nội_vụ(pair):
    central, site = pair
    with central.app_context():
        data = make_down_bundle(get_db(), central, site_row(central), 0)
    up = export(site)
    before = dump(site)
    with site.app_context():
        db = get_db()
        for key in (public_pem(site.instance_path), None, ""):
            with refused_with("Chữ ký của gói không phải của Sở Nội vụ mà máy này đã đăng ký."):
                receive_down(db, site, data, key)
        with refused_with("Đây là gói của xã gửi lên; chỉ Sở Nội vụ nhập được."):
            receive_down(db, site, up, public_pem(site.instance_path))
    assert dump(site) == before


# --- each row of a table ---------------------------------------------------------------------------


GROUP = {"uuid": "g-1", "origin_site": "site-1", "commune_code": BAO_HA, "name": "Thôn Bảo Vinh", "seq": 4}


@pytest.fixture
def groups_rule(app):
    with app.app_context():
        yield get_db(), next(rule for rule in rules(app, "up") if rule.table == "residential_groups")


def test_rows_of_the_right_shape_are_read_in_order(groups_rule):
    db, rule = groups_rule
    second = {**GROUP, "uuid": "g-2", "households": 40, "cultural_house_lat": 22, "head_name": None}
    third = {**GROUP, "uuid": "g-3", "cultural_house_lat": 22.25}
    assert parse_rows(db, rule, lines(GROUP, b"", second, third), {BAO_HA}) == [GROUP, second, third]
    # Down, no commune is asked for.
    assert parse_rows(db, rule, lines({"uuid": "g-4", "origin_site": "c"}), None) == [
        {"uuid": "g-4", "origin_site": "c"}
    ]


ROW_REFUSALS = {
    "not JSON": (b"{not json", "dòng 3: không phải JSON"),
    "a list": ([GROUP], "dòng 3: không phải JSON"),
    "a string": ("g-1", "dòng 3: không phải JSON"),
    "unknown column": ({**GROUP, "password": "x"}, "dòng 3: cột lạ password"),
    "local id": ({**GROUP, "id": 5}, "dòng 3: cột lạ id"),
    "text for a number": ({**GROUP, "households": "40"}, "dòng 3: giá trị của cột households sai kiểu"),
    "decimal for a whole number": ({**GROUP, "households": 4.5}, "dòng 3: giá trị của cột households sai kiểu"),
    "number for text": ({**GROUP, "name": 4}, "dòng 3: giá trị của cột name sai kiểu"),
    "list for text": ({**GROUP, "notes": ["x"]}, "dòng 3: giá trị của cột notes sai kiểu"),
    "empty uuid": ({**GROUP, "uuid": ""}, "dòng 3: thiếu uuid"),
    "null origin": ({**GROUP, "origin_site": None}, "dòng 3: thiếu origin_site"),
    "no commune": ({k: v for k, v in GROUP.items() if k != "commune_code"}, "dòng 3: thiếu commune_code"),
    "empty commune": ({**GROUP, "commune_code": ""}, "dòng 3: thiếu commune_code"),
    "other commune": ({**GROUP, "commune_code": PHO_LU}, "dòng 3: xã 02905 không thuộc máy đã gửi gói"),
    "long unknown column": ({**GROUP, "c" * 50: 1}, f"dòng 3: cột lạ {'c' * 40}"),
    "long commune": ({**GROUP, "commune_code": "9" * 20}, f"dòng 3: xã {'9' * 10} không thuộc máy đã gửi gói"),
}


@pytest.mark.parametrize("kind", sorted(ROW_REFUSALS))
def test_a_bad_row_is_named_by_its_line(groups_rule, kind):
    db, rule = groups_rule
    bad, reason = ROW_REFUSALS[kind]
    with refused_with(f"Bảng residential_groups, {reason}."):
        parse_rows(db, rule, lines(GROUP, {**GROUP, "uuid": "g-2"}, bad), {BAO_HA})


def test_an_unknown_column_after_rows_of_another_shape_is_still_refused(groups_rule):
    db, rule = groups_rule
    with pytest.raises(Refused, match="dòng 2: cột lạ password"):
        parse_rows(db, rule, lines(GROUP, {**GROUP, "password": "x"}), {BAO_HA})
    with pytest.raises(Refused, match="dòng 1: cột lạ password"):
        parse_rows(db, rule, lines({**GROUP, "password": "x"}), {BAO_HA})


# --- what a site sends -------------------------------------------------------------------------------


def test_batches_cover_everything_pending_in_ranges_of_at_most_n_rows(app):
    from fieldkit.changes import current_seq
    from fieldkit.sync.exchange import batches

    with app.app_context():
        db = get_db()
        assert batches(db, app, 0, batch_rows=5) == [(0, current_seq(db))]
        for number in range(12):
            create_group(db, SYSTEM, app.config["SITE_ID"], BAO_HA, f"Thôn {number}")
        ranges = batches(db, app, 0, batch_rows=5)
        assert ranges[0][0] == 0 and ranges[-1][1] == current_seq(db)
        assert all(ranges[i][1] == ranges[i + 1][0] for i in range(len(ranges) - 1))
        sent = [make_up_bundle(db, app, after, upto)[1] for after, upto in ranges]
        assert sent == [5, 5, 2]
        first_ten = ranges[1][1]
        assert batches(db, app, 0, batch_rows=10)[0][1] == first_ten
        assert [make_up_bundle(db, app, a, b)[1] for a, b in batches(db, app, ranges[0][1], batch_rows=7)] == [7]
        assert batches(db, app, current_seq(db), batch_rows=5) == [(current_seq(db), current_seq(db))]


def test_a_table_registered_but_not_made_on_this_machine_is_left_out_of_what_goes_up(app):
    from fieldkit.sync.exchange import pending_seqs
    from fieldkit.sync.registry import travels

    travels(app, "not_installed_here", up=True)
    with app.app_context():
        db = get_db()
        group = create_group(db, SYSTEM, app.config["SITE_ID"], BAO_HA, "Thôn Mới")
        seq = db.execute("SELECT seq FROM residential_groups WHERE uuid = ?", [group["uuid"]]).fetchone()[0]
        assert pending_seqs(db, app, 0) == [seq]
        data, count = make_up_bundle(db, app, 0)
    assert count == 1 and "tables/not_installed_here.jsonl" not in open_bundle(data).members


def test_a_mutable_table_without_an_origin_keeps_a_different_copy_as_a_conflict(app):
    from fieldkit.sync.registry import travels
    from fieldkit.sync.transfer import apply_rows

    rule = travels(app, "plain_notes", up=True, mutable=True)
    with app.app_context():
        db = get_db()
        db.execute("CREATE TABLE plain_notes (uuid TEXT PRIMARY KEY, commune_code TEXT, seq INTEGER, note TEXT)")
        held = {"uuid": "n-1", "commune_code": BAO_HA, "seq": 3, "note": "Bản đầu"}
        assert apply_rows(db, rule, [held], "site-1", "2026-12-02T10:00:00+00:00")["created"] == ["n-1"]
        later = apply_rows(db, rule, [{**held, "seq": 9, "note": "Bản sau"}], "site-1", "2026-12-02T10:00:00+00:00")
        # Without an origin no copy can be the row's own site's newer version: kept aside, never written over.
        assert later["conflict"] == ["n-1"] and later["updated"] == []
        assert db.execute("SELECT note FROM plain_notes").fetchall() == [("Bản đầu",)]
        assert db.execute("SELECT table_name, row_key FROM sync_conflicts").fetchall() == [("plain_notes", "n-1")]


def test_rows_that_came_down_do_not_go_back_up(app):
    from fieldkit.changes import current_seq
    from fieldkit.sync.exchange import pending_seqs
    from fieldkit.sync.registry import travels

    travels(app, "two_way", up=True, down=True, mutable=True)
    with app.app_context():
        db = get_db()
        db.execute("CREATE TABLE two_way (uuid TEXT, origin_site TEXT, seq INTEGER, commune_code TEXT)")
        db.execute(
            "INSERT INTO two_way VALUES ('a', ?, 7, ?), ('b', 'central', 8, ?)", [app.config["SITE_ID"], BAO_HA, BAO_HA]
        )
        assert pending_seqs(db, app, 0) == [7]
        assert pending_seqs(db, app, 7) == []
        data, count = make_up_bundle(db, app, 0, max(current_seq(db), 8))
        assert count == 1
        assert [
            json.loads(line)["uuid"] for line in open_bundle(data).members["tables/two_way.jsonl"].splitlines()
        ] == ["a"]


def test_reference_tables_pulled_again_are_unchanged_by_their_composite_keys(pair):
    central, site = pair
    results, _ = pull(central, site)
    units = results["units"]
    assert units["created"] == [] and units["conflict"] == [] and f"2023/{BAO_HA}" in units["unchanged"]
    again, _ = pull(central, site)
    assert again["units"]["unchanged"] == units["unchanged"]
    with central.app_context():
        db = get_db()
        db.execute("UPDATE units SET name = 'Xã Bảo Hà (mới)' WHERE era = '2023' AND code = ?", [BAO_HA])
        db.conn.commit()
    changed, _ = pull(central, site)
    assert changed["units"]["conflict"] == [f"2023/{BAO_HA}"]  # a reference row never changes in place
    with site.app_context():
        db = get_db()
        assert (
            db.execute("SELECT name FROM units WHERE era = '2023' AND code = ?", [BAO_HA]).fetchone()[0] == "Xã Bảo Hà"
        )
        kept = db.execute("SELECT table_name, row_key FROM sync_conflicts").fetchall()
    assert kept == [("units", f"2023/{BAO_HA}")]


def test_the_same_version_sent_again_with_other_content_changes_nothing(pair):
    central, site = pair
    receive(central, export(site))
    before = central_rows(central, "residential_groups")
    altered = resign(site, export(site), member_change=lambda t: t["residential_groups"][0].update(notes="sửa lén"))
    assert receive(central, altered)["counts"] == {"created": 0, "unchanged": 1, "updated": 0, "conflict": 0}
    assert central_rows(central, "residential_groups") == before


def test_a_renamed_group_and_a_new_one_taking_its_old_name_arrive_in_one_bundle(pair):
    from fieldkit.rosters.groups import get_group_by_uuid, update_group

    central, site = pair
    receive(central, export(site))
    with site.app_context():
        db = get_db()
        old = next(db["residential_groups"].rows)
        update_group(db, SYSTEM, get_group_by_uuid(db, SYSTEM, old["uuid"]), {"name": "Thôn Bảo Vinh cũ"})
        create_group(db, SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Bảo Vinh", households=12)
    result = receive(central, export(site, after=site_row(central)["last_ack"]))
    assert result["counts"] == {"created": 1, "unchanged": 0, "updated": 1, "conflict": 0}
    names = sorted(row["name"] for row in central_rows(central, "residential_groups"))
    assert names == ["Thôn Bảo Vinh", "Thôn Bảo Vinh cũ"]
    assert central_rows(central, "sync_conflicts") == []


def test_a_file_half_written_on_the_site_does_not_travel(pair):
    from fieldkit.submissions.media import media_dir

    central, site = pair
    sound = b"OggS a recording cut short"
    add_recording(site, "cach-tra-loi", sound)
    sha = hashlib.sha256(sound).hexdigest()
    whole = media_dir(site) / sha[:2] / f"{sha}.ogg"
    whole.rename(whole.with_suffix(".part"))  # the store crashed before renaming it into place
    whole.with_suffix(".part").write_bytes(sound[:6])
    data = export(site)
    assert f"media/{sha}" not in open_bundle(data).members
    assert receive(central, data)["counts"]["created"] == 2
