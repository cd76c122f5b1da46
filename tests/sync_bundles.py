"""A central and an enrolled site in one process, and bundles made, changed and re-signed between them."""

import hashlib
import io
import json
import re
import zipfile

import pytest

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.instance import load_private_key
from fieldkit.rosters.groups import create_group
from fieldkit.submissions.media import media_dir, store
from fieldkit.sync.bundle import Refused, open_bundle, write_bundle
from fieldkit.sync.exchange import make_down_bundle, make_up_bundle, receive_down, receive_up
from fieldkit.sync.signing import public_pem
from fieldkit.sync.sites import add_site, enrol
from fieldkit.testing import BAO_HA, make_app


def enrolled_pair(tmp_path):
    """A central and a Bảo Hà site enrolled with it, the site holding one residential group."""
    central = make_app(tmp_path / "central", role="central")
    site = make_app(tmp_path / "site")
    with central.app_context():
        _, code = add_site(get_db(), SYSTEM, "UBND xã Bảo Hà", [BAO_HA])
        enrol(get_db(), code, site.config["SITE_ID"], "UBND xã Bảo Hà", public_pem(site.instance_path))
    with site.app_context():
        create_group(get_db(), SYSTEM, site.config["SITE_ID"], BAO_HA, "Thôn Bảo Vinh", households=40)
    return central, site


def export(site, after=0):
    with site.app_context():
        return make_up_bundle(get_db(), site, after)[0]


def receive(central, data):
    with central.app_context():
        return receive_up(get_db(), central, data)


def central_rows(central, table):
    with central.app_context():
        return list(get_db()[table].rows)


def resign(site, data, manifest_change=None, member_change=None, meta_change=None):
    """The bundle rebuilt and signed again by the site, so only the planted problem remains."""
    opened = open_bundle(data)
    manifest = opened.manifest
    tables = {
        name.removeprefix("tables/").removesuffix(".jsonl"): [json.loads(line) for line in content.splitlines()]
        for name, content in opened.members.items()
        if name.startswith("tables/")
    }
    if member_change:
        member_change(tables)
    meta = json.loads(opened.members["meta.json"])
    if meta_change:
        meta_change(meta)
    rebuilt = write_bundle(
        load_private_key(site.instance_path),
        manifest["direction"],
        manifest["site_id"],
        manifest["site_name"],
        manifest["created_at"],
        manifest["seq_after"],
        manifest["seq_upto"],
        tables,
        meta,
    )
    if manifest_change is None:
        return rebuilt
    parts = members_of(rebuilt)
    changed = json.loads(parts["manifest.json"])
    manifest_change(changed)
    parts["manifest.json"] = json.dumps(changed).encode()
    return signed_zip(site, parts)


def signed_zip(app, parts):
    """The parts zipped again, their manifest signed by `app`'s key."""
    parts["manifest.sig"] = load_private_key(app.instance_path).sign(parts["manifest.json"])
    return zipped(parts)


def zipped(parts, infos=()):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
        for info, content in infos:
            archive.writestr(info, content)
    return out.getvalue()


def members_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def site_row(central):
    """The central's row of the pair's enrolled site."""
    with central.app_context():
        return next(get_db()["sites"].rows_where("site_id IS NOT NULL"))


def dump(app):
    with app.app_context():
        return list(get_db().conn.iterdump())


def with_meta(app, data, meta):
    """The bundle with another meta.json (an object, or raw bytes), signed again by `app`'s key."""
    content = meta if isinstance(meta, bytes) else json.dumps(meta).encode()
    parts = members_of(data)
    parts["meta.json"] = content
    manifest = json.loads(parts["manifest.json"])
    for entry in manifest["members"]:
        if entry["name"] == "meta.json":
            entry.update(sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    parts["manifest.json"] = json.dumps(manifest).encode()
    return signed_zip(app, parts)


def down_bundle(central, since=0):
    """What Sở Nội vụ sends the pair's site on a pull from `since`."""
    with central.app_context():
        return make_down_bundle(get_db(), central, site_row(central), since)


def take_down(site, central, data):
    """The site receives Sở Nội vụ's bundle `data`; returns (results, meta)."""
    with site.app_context():
        results, meta, _manifest = receive_down(get_db(), site, data, public_pem(central.instance_path))
    return results, meta


def pull(central, site, since=0, meta=None):
    """Sở Nội vụ's bundle for the pair's site, received by the site; returns (results, meta)."""
    data = down_bundle(central, since)
    if meta is not None:
        data = with_meta(central, data, meta)
    return take_down(site, central, data)


def refused_with(sentence):
    """pytest.raises for a bundle Refused with exactly `sentence`, the reason the officer reads."""
    return pytest.raises(Refused, match=f"^{re.escape(sentence)}$")


def add_recording(app, slug, sound):
    """A recording row made on `app`, its file in the media store; returns the row's uuid."""
    with app.app_context():
        db = get_db()
        uuid = f"rec-{slug}"
        db["recordings"].insert(
            {
                "uuid": uuid,
                "origin_site": app.config["SITE_ID"],
                "kind": "page",
                "slug": slug,
                "lang": "vi",
                "version": 1,
                "commune_code": BAO_HA,
                "sha256": store(media_dir(app), sound, "ogg"),
                "mime": "audio/ogg",
                "extension": "ogg",
                "seconds": 1.5,
                "bytes": len(sound),
                "speaker": "Lò Thị Mai",
                "created_at": "2026-12-02T09:00:00+00:00",
                "created_by": "admin",
            }
        )
        db.conn.commit()
    return uuid


def stored_files(app):
    return sorted(path.name for path in media_dir(app).rglob("*") if path.is_file())
