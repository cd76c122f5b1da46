"""Records a site sends by sync count on the central's dashboard; a site that stays silent is named."""

import random
import re
import uuid

from fieldkit.auth.scope import SYSTEM, Scope
from fieldkit.db import get_db
from fieldkit.formspec import registry
from fieldkit.reports import queries
from fieldkit.rosters.groups import list_groups
from fieldkit.submissions import records
from fieldkit.sync.exchange import make_up_bundle, receive_up
from fieldkit.sync.sites import add_site
from fieldkit.testing import BAO_HA, PASSWORD, session_data


def test_synced_records_count_and_silent_sites_are_named(pair):
    central, site = pair
    with central.app_context():
        add_site(get_db(), SYSTEM, "UBND thị trấn Phố Lu", ["02905"])
    rng = random.Random(1)
    with site.app_context():
        db = get_db()
        [group] = list_groups(db, SYSTEM, BAO_HA)
        officer = Scope(None, "canbo", "officer", frozenset({BAO_HA}))
        for day in ("2026-11-02", "2026-11-03"):
            payload = {"uuid": str(uuid.uuid4()), "form_id": "session", "form_version": 1, "commune": BAO_HA}
            payload["data"] = session_data(rng, group["uuid"], day)
            records.receive(db, officer, site.config["SITE_ID"], registry(site), payload)
        data = make_up_bundle(db, site, 0)[0]
        attendees = sum(row[0] for row in db.execute("SELECT json_extract(data, '$.attendees_total') FROM submissions"))
    with central.app_context():
        receive_up(get_db(), central, data)
        receive_up(get_db(), central, data)  # a replay changes nothing
        board = queries.dashboard(get_db(), SYSTEM, queries.Filters(), today="2026-11-30")
        assert [(row.name, row.sessions, row.attendees) for row in board.communes] == [("Xã Bảo Hà", 2, attendees)]
        assert [site["name"] for site in board.silent_sites] == ["UBND thị trấn Phố Lu"]
        later = queries.dashboard(get_db(), SYSTEM, queries.Filters(), today="2027-03-01")
        assert {site["name"] for site in later.silent_sites} == {"UBND xã Bảo Hà", "UBND thị trấn Phố Lu"}
    client = central.test_client()
    client.post("/login", data={"username": "central", "password": PASSWORD})
    page = client.get("/dashboard").get_data(as_text=True)
    assert re.search(r"UBND thị trấn Phố Lu: chưa gửi lần nào", page)
