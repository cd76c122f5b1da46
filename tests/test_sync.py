"""Sync between two real instances on 127.0.0.1: a central served by `fieldkit serve`, sites on the CLI."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path

import pytest

from fieldkit.testing import BAO_HA, PHO_LU

from .instances import FIELDKIT, PUBLIC, Instance, enrolled_site
from .pdftools import qr_codes_per_page


def public_key(instance):
    return (instance.path / "keys" / "site_ed25519.pub.pem").read_text()


def _config(instance):
    import tomllib

    return tomllib.loads((instance.path / "config.toml").read_text())


def test_enrol_export_import_replay_push_and_status(central, tmp_path):
    site = Instance(tmp_path / "instance", "site", "UBND xã Bảo Hà", demo=True)
    # Export works before enrolment: the file waits until the central knows the site.
    early = tmp_path / "early.fkb"
    site.run("sync", "export", "-o", str(early))
    assert "chưa đăng ký" in central.run("sync", "import", str(early), check=False).stderr

    added = central.run("sites", "add", "UBND xã Bảo Hà", "--commune", BAO_HA).stdout.strip().splitlines()
    code = added[-1]
    assert code.count("-") == 2 and " " not in code
    site.run("sync", "enroll", central.url, code)
    assert _config(site)["public_base_url"] == PUBLIC
    # The code works once.
    reuse = json.dumps({"code": code, "site_id": "another", "site_name": "x", "public_key": public_key(site)})
    request = urllib.request.Request(f"{central.url}/api/v1/sync/enroll", data=reuse.encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Requested-With", "fieldkit")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 403 and "Mã đăng ký" in json.loads(refused.value.read())["message"]

    site.instance_id = _config(site)["site_id"]
    before = central.json("stats", "--json")
    result = central.json("sync", "import", str(early), "--json")
    assert result["counts"]["conflict"] == 0 and result["counts"]["unchanged"] == 0
    after = central.json("stats", "--json")
    theirs = site.json("stats", "--json")
    for kind in ("groups", "submissions", "posters"):
        assert after[kind] - before[kind] == theirs[kind] > 0
    created = {table: set(records["created"]) for table, records in result["records"].items()}
    assert len(created["submissions"]) == theirs["submissions"]

    # Replaying the same bundle changes nothing and says so for every record.
    dump = central.dump()
    replay = central.json("sync", "import", str(early), "--json")
    assert replay["counts"]["created"] == replay["counts"]["conflict"] == 0
    assert replay["counts"]["unchanged"] == result["counts"]["created"]
    assert central.dump() == dump

    # Push sends what is new since, and nothing twice.
    site.run("sync", "push")
    assert central.json("stats", "--json")["submissions"] == after["submissions"]
    status = site.json("sync", "status", "--json")
    assert status["pending"] == 0 and status["last_ack"] > 0 and status["last_success"]
    rows = central.query("SELECT rows_received, last_sync_at FROM sites WHERE site_id = ?", [site.instance_id])
    assert rows[0][0] == result["counts"]["created"] and rows[0][1]

    # A new record on the site goes up on the next push, once.
    with sqlite3.connect(site.database) as conn:
        row = conn.execute("SELECT * FROM submissions LIMIT 1").fetchone()
        names = [d[0] for d in conn.execute("SELECT * FROM submissions LIMIT 1").description]
        fresh = dict(zip(names, row, strict=True))
        fresh.update(id=None, uuid=str(uuid.uuid4()), replaces_uuid=None, root_uuid=None)
        conn.execute(
            f"INSERT INTO submissions ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            list(fresh.values()),
        )
    assert site.json("sync", "status", "--json")["pending"] == 1
    site.run("sync", "push")
    site.run("sync", "push")
    assert central.json("stats", "--json")["submissions"] == after["submissions"] + 1
    assert site.json("sync", "status", "--json")["pending"] == 0


def rebuild(data, change):
    """A copy of a bundle's zip with `change(name, content)` giving each member's new (name, content)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            for name, content in change(info.filename, source.read(info.filename)):
                target.writestr(name, content)
    return out.getvalue()


def one_byte_changed(data):
    def change(name, content):
        if name == "tables/submissions.jsonl":
            content = content.replace(b'"', b"'", 1)
        yield name, content

    return rebuild(data, change)


def with_parent_member(data):
    def change(name, content):
        yield name, content
        if name == "meta.json":
            yield "../../evil.jsonl", b"{}\n"

    return rebuild(data, change)


@pytest.fixture(scope="module")
def tampering(central, tmp_path_factory):
    """An enrolled Bảo Hà site, its bundle, and the bundles the central must refuse."""
    folder = tmp_path_factory.mktemp("tamper")
    site = enrolled_site(central, folder / "baoha")
    good = folder / "good.fkb"
    site.run("sync", "export", "-o", str(good))
    # Same data, signed by a key the central has never seen (another installation's).
    stranger = Instance(folder / "stranger" / "instance", "site", "Máy lạ", demo=True)
    unknown_key = folder / "unknown-key.fkb"
    stranger.run("sync", "export", "-o", str(unknown_key))
    # A site enrolled for Phố Lu sending Bảo Hà's records.
    foreign = enrolled_site(central, folder / "pholu", communes=(PHO_LU,))
    other_commune = folder / "other-commune.fkb"
    foreign.run("sync", "export", "-o", str(other_commune))
    data = good.read_bytes()
    return {
        "one byte changed": one_byte_changed(data),
        "a ../ member": with_parent_member(data),
        "unknown key": unknown_key.read_bytes(),
        "site enrolled for another commune": other_commune.read_bytes(),
    }


@pytest.mark.parametrize(
    "kind", ["one byte changed", "a ../ member", "unknown key", "site enrolled for another commune"]
)
def test_refused_bundles_change_nothing(central, tampering, tmp_path, kind):
    data = tampering[kind]
    dump = central.dump()
    path = tmp_path / "bad.fkb"
    path.write_bytes(data)
    result = central.run("sync", "import", str(path), check=False)
    assert result.returncode != 0
    assert "Gói bị từ chối, không nhập gì" in result.stderr
    request = urllib.request.Request(
        f"{central.url}/api/v1/sync/bundles", data=data, method="POST", headers={"X-Requested-With": "fieldkit"}
    )
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=60)
    assert answer.value.code == 422
    assert json.loads(answer.value.read())["message"]
    assert central.dump() == dump


def test_poster_printed_by_an_enrolled_site_points_at_the_central(central, tmp_path):
    site = enrolled_site(central, tmp_path)
    pdf = tmp_path / "posters.pdf"
    site.run("posters", "--commune", BAO_HA, "-o", str(pdf))
    urls = [code for page in qr_codes_per_page(pdf, tmp_path) for code in page]
    assert urls and all(url.startswith(f"{PUBLIC}/p/") for url in urls)


def test_printing_with_the_loopback_default_is_refused(tmp_path):
    site = Instance(tmp_path / "instance", "site", "UBND xã Bảo Hà", demo=True)
    before = site.query("SELECT count(*) FROM posters")
    refused = site.run("posters", "--commune", BAO_HA, "-o", str(tmp_path / "p.pdf"), check=False)
    assert refused.returncode != 0
    assert "public_base_url" in refused.stderr and "127.0.0.1" in refused.stderr
    assert site.query("SELECT count(*) FROM posters") == before
    assert not (tmp_path / "p.pdf").exists()
    site.run("posters", "--commune", BAO_HA, "--lan-only", "-o", str(tmp_path / "lan.pdf"))
    assert (tmp_path / "lan.pdf").exists()


def add_submissions(site, count):
    """`count` more versions of the site's records, written as the app would (triggers give seq)."""
    with sqlite3.connect(site.database) as conn:
        names = [d[0] for d in conn.execute("SELECT * FROM submissions LIMIT 1").description]
        template = dict(zip(names, conn.execute("SELECT * FROM submissions LIMIT 1").fetchone(), strict=True))
        rows = []
        for _ in range(count):
            row = {**template, "id": None, "uuid": str(uuid.uuid4()), "replaces_uuid": None}
            row["root_uuid"] = row["uuid"]
            rows.append(list(row.values()))
        conn.executemany(f"INSERT INTO submissions ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})", rows)


def test_an_import_killed_part_way_leaves_the_database_sound_and_a_retry_completes(central, tmp_path):
    site = enrolled_site(central, tmp_path)
    add_submissions(site, 40_000)
    bundle = tmp_path / "big.fkb"
    site.run("sync", "export", "-o", str(bundle))
    before = central.json("stats", "--json")["submissions"]
    wal = Path(f"{central.database}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    process = subprocess.Popen(
        [FIELDKIT, "--instance", str(central.path), "sync", "import", str(bundle)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Kill it once the import's transaction has started writing pages to the write-ahead log.
    deadline = time.monotonic() + 120
    while not (wal.exists() and wal.stat().st_size > start + 512 * 1024):
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    assert central.query("PRAGMA integrity_check") == [("ok",)]
    assert central.json("stats", "--json")["submissions"] == before
    result = central.json("sync", "import", str(bundle), "--json")
    assert result["counts"]["created"] >= 40_000
    assert central.json("stats", "--json")["submissions"] == before + result["counts"]["created"] - sum(
        len(records["created"]) for table, records in result["records"].items() if table != "submissions"
    )
    assert central.query("PRAGMA integrity_check") == [("ok",)]
