"""Sync in one process: every check a bundle must pass, results per record, pages, public QR scans."""

import hashlib
import io
import json
import zipfile

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group, get_group_by_uuid, update_group
from fieldkit.sync import bundle as bundle_module
from fieldkit.sync.bundle import Refused, open_bundle
from fieldkit.sync.public_url import is_public
from fieldkit.sync.signing import public_pem
from fieldkit.sync.sites import add_site, enrol
from fieldkit.testing import BAO_HA, PASSWORD, PHO_LU, make_app

from .sync_bundles import central_rows, export, members_of, receive, refused_with, resign, signed_zip, zipped


def test_a_bundle_imports_once_and_replays_as_unchanged(pair):
    central, site = pair
    data = export(site)
    first = receive(central, data)
    assert first["counts"]["created"] == 1 and len(first["records"]["residential_groups"]["created"]) == 1
    again = receive(central, data)
    assert again["counts"] == {"created": 0, "unchanged": 1, "updated": 0, "conflict": 0}
    assert len(central_rows(central, "residential_groups")) == 1


def test_household_lists_stay_home_and_only_counts_travel(pair):
    central, site = pair
    with site.app_context():
        group = list(get_db()["residential_groups"].rows)[0]
        household = {"uuid": "h1", "group_id": group["id"], "commune_code": BAO_HA, "head_name": "Lò Văn Páo"}
        get_db()["households"].insert({**household, "match_key": "lo van pao", "phone": "0912345678"})
    data = export(site)
    assert b"0912345678" not in b"".join(members_of(data).values())
    assert "L\u00f2 V\u0103n P\u00e1o".encode() not in b"".join(members_of(data).values())
    receive(central, data)
    counts = central_rows(central, "sync_household_counts")
    assert [(c["households"], c["reached"]) for c in counts] == [(1, 0)]
    assert central_rows(central, "households") == []


def test_a_different_copy_is_a_conflict_kept_for_review(pair):
    central, site = pair
    receive(central, export(site))

    def rename(tables):
        tables["residential_groups"][0]["notes"] = "đã sửa ở nơi khác"
        tables["residential_groups"][0]["origin_site"] = "another-site"

    result = receive(central, resign(site, export(site), member_change=rename))
    assert result["counts"]["conflict"] == 1
    assert central_rows(central, "residential_groups")[0]["notes"] is None
    kept = central_rows(central, "sync_conflicts")
    assert len(kept) == 1 and "đã sửa ở nơi khác" in kept[0]["row"]
    with central.app_context():
        from fieldkit.cli import instance_stats

        assert instance_stats(get_db())["conflicts"] == 1


def test_an_edit_on_the_site_updates_and_an_older_replay_does_not_undo_it(pair):
    central, site = pair
    old = export(site)
    receive(central, old)
    with site.app_context():
        db = get_db()
        group = list(db["residential_groups"].rows)[0]
        update_group(db, SYSTEM, get_group_by_uuid(db, SYSTEM, group["uuid"]), {"households": 55})
    edited = receive(central, export(site))
    assert edited["counts"]["updated"] == 1 and edited["records"]["residential_groups"]["updated"] == [group["uuid"]]
    replayed = receive(central, old)
    assert replayed["counts"] == {"created": 0, "unchanged": 1, "updated": 0, "conflict": 0}
    assert replayed["records"]["residential_groups"]["unchanged"] == [group["uuid"]]
    assert central_rows(central, "residential_groups")[0]["households"] == 55


def test_a_newer_edit_that_hands_the_row_to_another_site_is_a_conflict(pair):
    """A site may update its own rows, never give one away: a newer version naming another origin is kept
    for review, and the row stays as it was, still the site's."""
    central, site = pair
    receive(central, export(site))
    with site.app_context():
        db = get_db()
        group = list(db["residential_groups"].rows)[0]
        update_group(db, SYSTEM, get_group_by_uuid(db, SYSTEM, group["uuid"]), {"households": 55})

    def hand_over(tables):
        tables["residential_groups"][0]["origin_site"] = "another-site"

    result = receive(central, resign(site, export(site), member_change=hand_over))
    assert result["counts"]["conflict"] == 1 and result["counts"]["updated"] == 0
    held = central_rows(central, "residential_groups")[0]
    assert held["households"] == 40 and held["origin_site"] == site.config["SITE_ID"]
    assert len(central_rows(central, "sync_conflicts")) == 1


def symlink_info():
    info = zipfile.ZipInfo("media/" + "a" * 64)
    info.external_attr = 0o120777 << 16
    return info


NAME = "Tên thành phần không hợp lệ"
REFUSALS = {
    "absolute path": (lambda parts: zipped({**parts, "/etc/passwd": b"x"}), NAME),
    "parent path": (lambda parts: zipped({**parts, "tables/../../x.jsonl": b"x"}), NAME),
    "backslash path": (lambda parts: zipped({**parts, "tables\\..\\x.jsonl": b"x"}), NAME),
    "symlink": (lambda parts: zipped(parts, [(symlink_info(), b"/etc/passwd")]), "liên kết"),
    "folder": (lambda parts: zipped({**parts, "tables/": b""}), NAME),
    "duplicate": (lambda parts: zipped(parts, [(zipfile.ZipInfo("meta.json"), b"{}")]), "trùng tên"),
    "missing signature": (lambda parts: zipped({k: v for k, v in parts.items() if k != "manifest.sig"}), "chữ ký"),
    "member not in manifest": (lambda parts: zipped({**parts, "tables/posters.jsonl": b"{}\n"}), "không khớp"),
    "not a zip": (lambda parts: b"PK\x03\x04 not really a zip", "không phải gói"),
    "zip bomb": (lambda parts: zipped({**parts, "media/" + "b" * 64: b"\0" * (8 * 1024 * 1024)}), "tỉ lệ nén"),
}


@pytest.mark.parametrize("kind", sorted(REFUSALS))
def test_structural_problems_are_refused_whole(pair, kind):
    central, site = pair
    build, reason = REFUSALS[kind]
    with pytest.raises(Refused, match=reason):
        receive(central, build(members_of(export(site))))
    assert central_rows(central, "residential_groups") == []


def test_too_many_members_is_refused(pair, monkeypatch):
    central, site = pair
    monkeypatch.setattr(bundle_module, "MAX_MEMBERS", 1)
    with pytest.raises(Refused):
        receive(central, export(site))


ROW = "Bảng residential_groups, dòng 1: "
NOT_TAKEN = "Gói chứa bảng {} không được nhận ở đây."
ROW_PROBLEMS = {
    "unknown column": (lambda t: t["residential_groups"][0].update(password="x"), ROW + "cột lạ password."),
    "wrong type": (
        lambda t: t["residential_groups"][0].update(households="bốn mươi"),
        ROW + "giá trị của cột households sai kiểu.",
    ),
    "boolean for a number": (
        lambda t: t["residential_groups"][0].update(households=True),
        ROW + "giá trị của cột households sai kiểu.",
    ),
    "missing uuid": (lambda t: t["residential_groups"][0].pop("uuid"), ROW + "thiếu uuid."),
    "another commune": (
        lambda t: t["residential_groups"][0].update(commune_code=PHO_LU),
        ROW + f"xã {PHO_LU} không thuộc máy đã gửi gói.",
    ),
    "a table that does not travel up": (lambda t: t.update(users=[{"username": "x"}]), NOT_TAKEN.format("users")),
    "household list": (
        lambda t: t.update(households=[{"uuid": "x", "head_name": "x"}]),
        NOT_TAKEN.format("households"),
    ),
}


@pytest.mark.parametrize("kind", sorted(ROW_PROBLEMS))
def test_rows_of_the_wrong_shape_are_refused_whole(pair, kind):
    central, site = pair
    with site.app_context():
        create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Hai", households=12)
    change, sentence = ROW_PROBLEMS[kind]
    data = resign(site, export(site), member_change=change)
    with refused_with(sentence):
        receive(central, data)
    assert central_rows(central, "residential_groups") == []


def test_another_schema_version_is_refused(pair):
    central, site = pair
    data = resign(site, export(site), manifest_change=lambda m: m.update(schema_version=99))
    with pytest.raises(Refused, match="lược đồ 99"):
        receive(central, data)


def test_a_wrong_row_count_in_the_manifest_is_refused(pair):
    central, site = pair

    def miscount(manifest):
        for member in manifest["members"]:
            if member["name"] == "tables/residential_groups.jsonl":
                member["rows"] = 5

    with refused_with("Số dòng của bảng residential_groups không khớp với bản kê khai."):
        receive(central, resign(site, export(site), manifest_change=miscount))


def test_a_bundle_without_a_meta_part_is_taken(pair):
    central, site = pair
    parts = members_of(export(site))
    del parts["meta.json"]
    manifest = json.loads(parts["manifest.json"])
    manifest["members"] = [m for m in manifest["members"] if m["name"] != "meta.json"]
    parts["manifest.json"] = json.dumps(manifest).encode()
    assert receive(central, signed_zip(site, parts))["counts"]["created"] == 1
    assert central_rows(central, "sync_household_counts") == []


@pytest.mark.parametrize(
    "url, public",
    [
        ("http://127.0.0.1:8080", False),
        ("http://localhost:8080", False),
        ("http://192.168.1.10:8080", False),
        ("http://10.0.0.5", False),
        ("http://172.16.3.1", False),
        ("http://[::1]:8080", False),
        ("http://may-xa.local", False),
        ("http://laptop", False),
        ("ftp://papi.example.org", False),
        ("https://papi.laocai.gov.vn", True),
        ("http://203.113.130.10", True),
    ],
)
def test_which_addresses_phones_can_reach(url, public):
    assert is_public(url) is public


def login(client, username):
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def test_central_pages_enrol_a_site_and_import_an_upload(pair):
    central, site = pair
    client = central.test_client()
    login(client, "central")
    page = client.post("/sync/sites/new", data={"name": "UBND xã Phố Lu", "communes": PHO_LU}).get_data(as_text=True)
    assert 'id="enrol-code"' in page and "<svg" in page
    upload = client.post(
        "/sync/upload", data={"bundle": (io.BytesIO(export(site)), "bao-ha.fkb")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert 'id="import-result"' in upload and "1 dòng mới" in upload
    listing = client.get("/sync/").get_data(as_text=True)
    assert "UBND xã Bảo Hà" in listing and "UBND xã Phố Lu" in listing and "Chưa dùng mã đăng ký" in listing
    refused = client.post(
        "/sync/upload", data={"bundle": (io.BytesIO(b"rubbish"), "x.fkb")}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert "Gói bị từ chối, không nhập gì" in refused
    officer = central.test_client()
    login(officer, "admin")
    assert officer.get("/sync/sites/new").status_code == 403


def test_site_status_page_shows_pending_and_offers_enrolment_and_a_file(pair):
    _, site = pair
    client = site.test_client()
    login(client, "admin")
    page = client.get("/sync/").get_data(as_text=True)
    assert 'name="code"' in page and "1 dòng" in page
    download = client.post("/sync/export.fkb")
    assert download.status_code == 200 and open_bundle(download.data).manifest["direction"] == "up"


def test_print_page_refuses_a_loopback_address_unless_lan_only(tmp_path):
    app = make_app(tmp_path, PUBLIC_BASE_URL="http://127.0.0.1:8080")
    with app.app_context():
        create_group(get_db(), SYSTEM, app.config["SITE_ID"], BAO_HA, "Thôn Bảo Vinh")
    client = app.test_client()
    login(client, "admin")
    page = client.get(f"/posters/?commune={BAO_HA}").get_data(as_text=True)
    assert 'id="public-address-notice"' in page and "public_base_url" in page
    refused = client.post("/posters/print", data={"commune": BAO_HA, "size": "A4"}, follow_redirects=True)
    assert "public_base_url" in refused.get_data(as_text=True) and refused.mimetype == "text/html"
    with app.app_context():
        assert get_db()["posters"].count == 0
    assert 'name="lan_only"' in client.get(f"/posters/?commune={BAO_HA}&lan_only=1").get_data(as_text=True)
    printed = client.post("/posters/print", data={"commune": BAO_HA, "size": "A4", "lan_only": "1"})
    assert printed.mimetype == "application/pdf"


def test_central_counts_a_scan_before_the_poster_arrives_and_attaches_it_after(pair):
    central, site = pair
    from fieldkit.posters.register import print_sheets

    with site.app_context():
        groups = list(get_db()["residential_groups"].rows)
        code = print_sheets(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, groups, "A4", "https://x.example")[0].code
    scanner = central.test_client()
    assert scanner.get(f"/p/{code}").status_code == 302
    assert scanner.get(f"/p/{code}").status_code == 302  # the same phone again: counted once
    central.test_client().get(f"/p/{code}", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    scanner.get("/p/not%20a%20code!")
    scans = central_rows(central, "poster_scans")
    assert [(s["poster_code"], s["commune_code"]) for s in scans] == [(code, None), (code, None)]
    assert set(scans[0]) >= {"scanned_at"} and "10.1.2.3" not in json.dumps(scans)
    receive(central, export(site))
    assert {
        s["commune_code"] for s in central_rows(central, "poster_scans") if s["origin_site"] != site.config["SITE_ID"]
    } == {BAO_HA}


def test_a_site_does_not_count_codes_it_never_printed(tmp_path):
    app = make_app(tmp_path)
    app.test_client().get("/p/02989-K7QX-4MZ2")
    with app.app_context():
        assert get_db()["poster_scans"].count == 0


def test_sync_api_answers_in_the_one_error_shape(pair):
    from fieldkit.testing import assert_error_shape

    central, site = pair
    client = central.test_client()
    headers = {"X-Requested-With": "fieldkit"}
    assert_error_shape(client.post("/api/v1/sync/bundles", data=export(site)), 403)
    assert_error_shape(client.post("/api/v1/sync/bundles", data=b"", headers=headers), 401)
    body = assert_error_shape(client.post("/api/v1/sync/bundles", data=b"PK\x03\x04 broken", headers=headers), 422)
    assert "fkb" in body["message"]
    assert_error_shape(client.post("/api/v1/sync/enroll", json={"code": "0000-0000-0000"}, headers=headers), 403)
    assert_error_shape(client.post("/api/v1/sync/pull", data=b"{}", headers=headers), 401)
    assert client.post("/api/v1/sync/bundles", data=export(site), headers=headers).status_code == 200
    assert_error_shape(site.test_client().post("/api/v1/sync/bundles", data=export(site), headers=headers), 404)


def test_photos_and_a_heads_phone_travel_only_when_a_setting_allows(tmp_path):
    from fieldkit.submissions.media import media_dir, store

    central = make_app(tmp_path / "central", role="central")
    sites = {}
    for allowed in (False, True):
        site = make_app(
            tmp_path / f"site-{allowed}", SITE_ID=f"site-{allowed}", SYNC_PHOTOS=allowed, SYNC_HEAD_PHONE=allowed
        )
        with central.app_context():
            _, code = add_site(get_db(), SYSTEM, "UBND xã Bảo Hà", [BAO_HA])
            enrol(get_db(), code, site.config["SITE_ID"], "x", public_pem(site.instance_path))
        with site.app_context():
            db = get_db()
            create_group(db, SYSTEM, site.config["SITE_ID"], BAO_HA, f"Thôn {allowed}", head_phone="0912345678")
            photo = b"\x89PNG not really" + str(allowed).encode()
            digest = store(media_dir(site), photo, "png")
            db["media"].insert(
                {"uuid": f"m-{allowed}", "origin_site": site.config["SITE_ID"], "sha256": digest, "mime": "image/png"}
                | {"commune_code": BAO_HA, "submission_uuid": f"s-{allowed}"}
            )
        sites[allowed] = (site, digest)
    for allowed, (site, digest) in sites.items():
        data = export(site)
        assert (f"media/{digest}" in members_of(data)) is allowed
        assert (b"0912345678" in members_of(data)["tables/residential_groups.jsonl"]) is allowed
        receive(central, data)
        assert (media_dir(central) / digest[:2] / f"{digest}.png").exists() is allowed


def test_a_file_not_named_by_its_hash_is_refused(pair):
    central, site = pair
    parts = members_of(export(site))
    fake = "media/" + "c" * 64
    manifest = json.loads(parts["manifest.json"])
    manifest["members"].append({"name": fake, "sha256": hashlib.sha256(b"x").hexdigest(), "size": 1, "rows": None})
    parts["manifest.json"] = json.dumps(manifest).encode()
    parts[fake] = b"x"
    with refused_with(f"Thành phần {fake} đã bị thay đổi (mã băm không khớp)."):
        receive(central, signed_zip(site, parts))
