"""Sync's guards, each against a bundle or call that must be refused and leave the central unchanged:
a signature by another key under an enrolled site's name, a bundle going the wrong way, household
counts of a commune the site does not hold, a member changed after signing, a pull not signed by the site.
"""

import base64
import io
import json
import zipfile

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit.auth import audit
from fieldkit.db import get_db
from fieldkit.instance import load_private_key
from fieldkit.sync.bundle import Refused
from fieldkit.testing import BAO_HA, PHO_LU

from .sync_bundles import central_rows, export, members_of, receive, resign, zipped

TABLES = ("residential_groups", "sync_household_counts", "sync_imports")


def snapshot(central):
    return {table: central_rows(central, table) for table in TABLES}


def unchanged(central, before):
    return snapshot(central) == before


def test_the_good_bundle_imports(pair):
    """The control: what the other tests change is all that makes them refused."""
    central, site = pair
    assert receive(central, resign(site, export(site)))["counts"]["created"] == 1


def test_a_signature_by_another_key_in_an_enrolled_sites_name_is_refused(pair):
    central, site = pair
    before = snapshot(central)
    parts = members_of(export(site))
    parts["manifest.sig"] = Ed25519PrivateKey.generate().sign(parts["manifest.json"])
    with pytest.raises(Refused, match="Chữ ký"):
        receive(central, zipped(parts))
    assert unchanged(central, before)


def test_a_bundle_going_down_is_not_imported_as_one_going_up(pair):
    central, site = pair
    before = snapshot(central)
    with pytest.raises(Refused, match="gửi xuống"):
        receive(central, resign(site, export(site), manifest_change=lambda m: m.update(direction="down")))
    assert unchanged(central, before)


def test_household_counts_of_another_commune_are_refused(pair):
    central, site = pair
    before = snapshot(central)

    def foreign_counts(meta):
        meta["household_counts"] = [
            {"group_uuid": "0" * 32, "commune_code": BAO_HA, "households": 40, "reached": 3},
            {"group_uuid": "1" * 32, "commune_code": PHO_LU, "households": 12, "reached": 1},
        ]

    with pytest.raises(Refused, match=PHO_LU):
        receive(central, resign(site, export(site), meta_change=foreign_counts))
    assert unchanged(central, before)


def test_a_table_changed_after_signing_is_refused(pair):
    central, site = pair
    before = snapshot(central)
    parts = members_of(export(site))
    name = "tables/residential_groups.jsonl"
    signed = parts[name]
    parts[name] = signed.replace(b'"households":40', b'"households":90')  # the same size, other content
    assert parts[name] != signed
    with pytest.raises(Refused, match="mã băm"):
        receive(central, zipped(parts))
    assert unchanged(central, before)


def pull(central, site, key):
    body = json.dumps({"site_id": site.config["SITE_ID"], "since": 0, "at": audit.utc_now()}).encode()
    signature = base64.b64encode(key.sign(body)).decode()
    return central.test_client().post(
        "/api/v1/sync/pull",
        data=body,
        content_type="application/json",
        headers={"X-Requested-With": "fieldkit", "X-Fieldkit-Signature": signature},
    )


def test_a_pull_is_answered_only_when_signed_by_the_sites_own_key(pair):
    central, site = pair
    answered = pull(central, site, load_private_key(site.instance_path))
    assert answered.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answered.data)) as archive:
        assert "manifest.json" in archive.namelist()
    forged = pull(central, site, Ed25519PrivateKey.generate())
    assert forged.status_code == 403 and forged.get_json()["message"]
    with central.app_context():
        assert get_db()["sites"].count == 1
