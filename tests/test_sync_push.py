"""Push over HTTP in batches: a dropped connection loses one batch at most, and the next push resumes."""

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.rosters.groups import create_group
from fieldkit.sync import client, exchange
from fieldkit.sync.link import status
from fieldkit.testing import BAO_HA, LiveServer, make_app


@pytest.fixture
def served_central(tmp_path):
    central = make_app(tmp_path / "central", role="central", PUBLIC_BASE_URL="https://papi.example.org")
    server = LiveServer(central)
    yield central, server
    server.stop()


def enrolled(tmp_path, central, server):
    from fieldkit.sync.sites import add_site

    site = make_app(tmp_path / "site", PUBLIC_BASE_URL="http://127.0.0.1:8080")
    with central.app_context():
        _, code = add_site(get_db(), SYSTEM, "UBND xã Bảo Hà", [BAO_HA])
    with site.app_context():
        client.enroll(get_db(), site, server.url("/"), code)
        for number in range(12):
            create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, f"Thôn {number}")
    return site


def test_push_resumes_after_a_dropped_connection_without_duplicates(tmp_path, served_central, monkeypatch):
    central, server = served_central
    site = enrolled(tmp_path, central, server)
    assert site.config["PUBLIC_BASE_URL"] == "https://papi.example.org"
    monkeypatch.setattr(exchange, "BATCH_ROWS", 5)
    real_post, sent = client._post, []

    def dropping(url, body, *args, **kwargs):
        if url.endswith("/bundles") and len(sent) == 1:
            raise client.SyncError("mất kết nối")
        sent.append(url)
        return real_post(url, body, *args, **kwargs)

    monkeypatch.setattr(client, "_post", dropping)
    with site.app_context(), pytest.raises(client.SyncError):
        client.push(get_db(), site)
    with site.app_context():
        state = status(get_db(), site)
    assert state["pending"] == 7 and state["last_ack"] > 0 and state["last_error"]
    monkeypatch.setattr(client, "_post", real_post)
    with site.app_context():
        totals = client.push(get_db(), site)
        assert status(get_db(), site)["pending"] == 0
    assert totals["created"] == 7 and totals["batches"] == 2
    with central.app_context():
        assert get_db()["residential_groups"].count == 12
        assert get_db().execute("SELECT last_sync_at IS NOT NULL, rows_received FROM sites").fetchone() == (1, 12)


def test_pull_brings_the_scan_counts_of_the_sites_posters(tmp_path, served_central):
    from fieldkit.posters.register import print_sheets

    central, server = served_central
    site = enrolled(tmp_path, central, server)
    with site.app_context():
        groups = list(get_db()["residential_groups"].rows)[:1]
        code = print_sheets(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, groups, "A4", "https://x.example")[0].code
        client.push(get_db(), site)
    phone = central.test_client()
    phone.get(f"/p/{code}")
    central.test_client().get(f"/p/{code}", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    with site.app_context():
        client.pull(get_db(), site)
        assert status(get_db(), site)["central_scans"] == 2
    admin = site.test_client()
    admin.post("/login", data={"username": "admin", "password": "mat-khau-thu-nghiem"})
    assert 'id="central-scans">2<' in admin.get("/sync/").get_data(as_text=True)
