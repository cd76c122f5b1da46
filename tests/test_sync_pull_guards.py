"""Guards of a pull, each written against a mutant `make mutate` found alive (issue 18).

What Sở Nội vụ's bundle carries down to a site (rows, files, the public address, the site's ack and its
posters' scan counts) and how the site stores it: Sở Nội vụ's newer version wins, an older or same
version sent again changes nothing, and every import and conflict says who sent it and when.
"""

import hashlib
import json
from datetime import UTC, datetime

from fieldkit.changes import synced_table
from fieldkit.db import get_db
from fieldkit.explainer.content import SEED_SITE
from fieldkit.submissions.media import media_dir, store
from fieldkit.sync.bundle import open_bundle
from fieldkit.sync.registry import travels
from fieldkit.testing import BAO_HA

from .sync_bundles import (
    add_recording,
    central_rows,
    down_bundle,
    export,
    pull,
    receive,
    resign,
    stored_files,
    take_down,
    with_meta,
)


def recent(text):
    """True for an ISO time within the last minute (what `audit.utc_now()` wrote just now)."""
    return abs(datetime.now(UTC) - datetime.fromisoformat(text)).total_seconds() < 60


def table_rows(data, table):
    content = open_bundle(data).members.get(f"tables/{table}.jsonl", b"")
    return [json.loads(line) for line in content.splitlines()]


def media_members(data):
    return sorted(name.removeprefix("media/") for name in open_bundle(data).members if name.startswith("media/"))


# --- what the bundle carries -------------------------------------------------------------------------


def test_a_pull_carries_the_public_address_the_sites_ack_and_its_scan_counts(pair):
    central, site = pair
    upto = receive(central, export(site))["ack"]
    assert upto > 0
    _, meta = pull(central, site)
    assert meta == {"public_base_url": central.config["PUBLIC_BASE_URL"], "last_ack": upto, "scan_counts": []}


def test_the_sites_own_rows_do_not_come_back_down_but_the_others_do_with_their_files(pair):
    central, site = pair
    own_sound, central_sound = b"OggS the site's voice", b"OggS the central's voice"
    own = add_recording(site, "cach-tra-loi", own_sound)
    assert receive(central, export(site))["records"]["recordings"]["created"] == [own]
    theirs = add_recording(central, "khao-sat-papi", central_sound)
    data = down_bundle(central)
    assert [row["uuid"] for row in table_rows(data, "recordings")] == [theirs]
    assert media_members(data) == [hashlib.sha256(central_sound).hexdigest()]
    results, _ = take_down(site, central, data)
    assert results["recordings"]["created"] == [theirs]
    assert f"{hashlib.sha256(central_sound).hexdigest()}.ogg" in stored_files(site)
    with site.app_context():
        assert get_db()["recordings"].count == 2


def register_handouts(app):
    """A table travelling down with a file that travels only when a setting allows, and a column held back."""
    travels(
        app,
        "handouts",
        down=True,
        commune_column=None,
        media="sha256",
        media_setting="SYNC_HANDOUTS",
        exclude_unless={"phone": "SYNC_HANDOUT_PHONES"},
        order=60,
    )
    with app.app_context():
        db = get_db()
        synced_table(db, "handouts", {"title": str, "phone": str, "sha256": str, "extension": str})
        db.conn.commit()


def test_settings_of_a_table_going_down_decide_its_files_and_held_back_columns(pair):
    central, site = pair
    for app in pair:
        register_handouts(app)
    sound, sheet = b"OggS a recording", b"%PDF a handout"
    add_recording(central, "khao-sat-papi", sound)
    with central.app_context():
        db = get_db()
        digest = store(media_dir(central), sheet, "pdf")
        row = {"uuid": "h-1", "origin_site": central.config["SITE_ID"], "title": "Tờ rơi PAPI", "phone": "0912345678"}
        db["handouts"].insert({**row, "sha256": digest, "extension": "pdf"})
        db.conn.commit()
    central.config.update(SYNC_HANDOUTS=True, SYNC_HANDOUT_PHONES=False)
    data = down_bundle(central)
    assert [(r["title"], "phone" in r) for r in table_rows(data, "handouts")] == [("Tờ rơi PAPI", False)]
    assert media_members(data) == sorted([hashlib.sha256(sound).hexdigest(), digest])
    take_down(site, central, data)
    assert {f"{digest}.pdf", f"{hashlib.sha256(sound).hexdigest()}.ogg"} <= set(stored_files(site))
    central.config.update(SYNC_HANDOUTS=False, SYNC_HANDOUT_PHONES=True)
    data = down_bundle(central)
    assert [r["phone"] for r in table_rows(data, "handouts")] == ["0912345678"]
    assert media_members(data) == [hashlib.sha256(sound).hexdigest()]


# --- how the site stores it ----------------------------------------------------------------------------


def seeded_page(app):
    """The shipped Vietnamese page every installation seeds (origin "fieldkit"): (uuid, body)."""
    with app.app_context():
        return (
            get_db()
            .execute(
                "SELECT uuid, body FROM explainer_pages WHERE origin_site = ? AND lang = 'vi' ORDER BY uuid LIMIT 1",
                [SEED_SITE],
            )
            .fetchone()
        )


def site_body(site, uuid):
    with site.app_context():
        return get_db().execute("SELECT body FROM explainer_pages WHERE uuid = ?", [uuid]).fetchone()[0]


def test_sở_nội_vụs_newer_version_replaces_the_sites_copy_and_nothing_older_or_equal_undoes_it(pair):
    central, site = pair
    uuid, shipped = seeded_page(site)
    assert seeded_page(central) == (uuid, shipped)
    with site.app_context():
        db = get_db()  # installed a month before Sở Nội vụ: created_at is each installation's own
        db.execute("UPDATE explainer_pages SET created_at = '2026-11-02T08:00:00+00:00' WHERE uuid = ?", [uuid])
        db.conn.commit()
    first = down_bundle(central)
    assert uuid in take_down(site, central, first)[0]["explainer_pages"]["unchanged"]
    with site.app_context():
        held = get_db().execute("SELECT created_at FROM explainer_pages WHERE uuid = ?", [uuid]).fetchone()[0]
    assert held == "2026-11-02T08:00:00+00:00"
    with central.app_context():
        db = get_db()
        db.execute("UPDATE explainer_pages SET body = 'Bản Sở Nội vụ sửa' WHERE uuid = ?", [uuid])
        db.conn.commit()
    # The site's copy was seeded there, not received: Sở Nội vụ's edit still wins.
    edited = down_bundle(central)
    assert take_down(site, central, edited)[0]["explainer_pages"]["updated"] == [uuid]
    assert site_body(site, uuid) == "Bản Sở Nội vụ sửa"

    def changed(content):
        def change(tables):
            for row in tables["explainer_pages"]:
                if row["uuid"] == uuid:
                    content(row)

        return resign(central, edited, member_change=change)

    same_version = changed(lambda row: row.update(body="Cùng phiên bản, nội dung khác"))
    without_seq = changed(lambda row: (row.update(body="Không có số thứ tự"), row.pop("seq")))
    for data in (first, same_version, without_seq):
        results, _ = take_down(site, central, data)
        assert uuid in results["explainer_pages"]["unchanged"] and results["explainer_pages"]["updated"] == []
        assert site_body(site, uuid) == "Bản Sở Nội vụ sửa"


def test_a_pull_records_who_sent_it_and_when_with_its_conflicts_and_scan_counts(pair):
    central, site = pair
    pull(central, site)
    with central.app_context():
        db = get_db()
        db.execute("UPDATE units SET name = 'Xã Bảo Hà (mới)' WHERE era = '2023' AND code = ?", [BAO_HA])
        db.conn.commit()
    pull(central, site, meta={"scan_counts": [{"poster_code": "02989-K7QX-4MZ2", "scans": 3}]})
    sender = central.config["SITE_ID"]
    imports = central_rows(site, "sync_imports")
    assert [(i["from_site"], i["direction"]) for i in imports] == [(sender, "down"), (sender, "down")]
    assert all(recent(i["imported_at"]) for i in imports)
    [conflict] = central_rows(site, "sync_conflicts")
    assert (conflict["from_site"], conflict["table_name"], conflict["row_key"]) == (sender, "units", f"2023/{BAO_HA}")
    assert recent(conflict["received_at"])
    [scans] = central_rows(site, "sync_scan_counts")
    assert (scans["poster_code"], scans["scans"]) == ("02989-K7QX-4MZ2", 3) and recent(scans["at"])


def test_a_bundle_without_scan_counts_or_household_counts_is_taken(pair):
    central, site = pair
    results, meta = pull(central, site, meta={"public_base_url": "https://papi.example.org"})
    assert "scan_counts" not in meta and "units" in results
    assert receive(central, with_meta(site, export(site), {}))["counts"]["created"] == 1
