"""Making and receiving bundles: up from a site (push or .fkb file), down from Sở Nội vụ (pull).

Receiving checks everything before writing (structure and hashes in `bundle.open_bundle`, then the
sender's signature and enrolment, then every row's shape and commune), then stores it all in one
transaction. A refused bundle raises `Refused` with a Vietnamese reason and writes nothing.
"""

import hashlib
import json
import re

from flask_babel import gettext as _

from ..auth import audit
from ..changes import current_seq
from ..instance import site_id
from ..submissions.media import FORMATS_BY_MIME, media_dir, save_file, store
from . import transfer
from .bundle import META, Refused, open_bundle, write_bundle
from .registry import rules
from .signing import private_key, verify
from .sites import enrolled_site

# Rows per bundle when pushing over HTTP; a dropped connection loses one batch at most.
BATCH_ROWS = 5000
CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
EXTENSION = re.compile(r"^[a-z0-9]{1,5}$")


def pending_seqs(db, app, after):
    """The change sequence of every row waiting to go up, in order."""
    seqs = []
    for rule in rules(app, "up"):
        if rule.snapshot or not db[rule.table].exists():
            continue
        sql = f"SELECT seq FROM [{rule.table}] WHERE seq > ?"
        params = [after]
        if rule.down:
            sql += " AND origin_site = ?"
            params.append(site_id(app))
        seqs += [row[0] for row in db.execute(sql, params)]
    return sorted(seqs)


def batches(db, app, after, batch_rows=None):
    """(after, upto) ranges of at most `batch_rows` rows each, covering everything pending."""
    batch_rows = batch_rows or BATCH_ROWS
    seqs, upto = pending_seqs(db, app, after), current_seq(db)
    if not seqs:
        return [(after, upto)]
    ranges, start = [], after
    for index in range(batch_rows - 1, len(seqs), batch_rows):
        ranges.append((start, seqs[index]))
        start = seqs[index]
    if start < upto:
        ranges.append((start, upto))
    return ranges


def make_up_bundle(db, app, after, upto=None):
    """A site's bundle of every travelling row with seq in (after, upto], signed by the site."""
    upto = current_seq(db) if upto is None else upto
    config = app.config
    tables = {}
    media = []
    for rule in rules(app, "up"):
        if not db[rule.table].exists():
            continue
        rows = transfer.collect(db, rule, config, after, upto, own_site=site_id(app))
        if rows:
            tables[rule.table] = rows
        if _files_travel(rule, config):
            media += _media_files(app, rule, rows)
    meta = {"household_counts": _household_counts(db)}
    data = write_bundle(
        private_key(app.instance_path),
        "up",
        site_id(app),
        config["SITE_NAME"],
        audit.utc_now(),
        after,
        upto,
        tables,
        meta,
        media,
    )
    return data, sum(len(rows) for rows in tables.values())


def _household_counts(db):
    from ..auth.scope import SYSTEM
    from ..rosters.households import household_counts

    communes = dict(db.execute("SELECT uuid, commune_code FROM residential_groups"))
    return [
        {"group_uuid": uuid, "commune_code": communes.get(uuid), **counts}
        for uuid, counts in sorted(household_counts(db, SYSTEM).items())
    ]


def _files_travel(rule, config):
    return bool(rule.media) and (rule.media_setting is None or bool(config.get(rule.media_setting)))


def _media_files(app, rule, rows):
    """(sha256, bytes) of the files the rows name, from the media store."""
    folder = media_dir(app)
    found = []
    for sha in sorted({row[rule.media] for row in rows if row.get(rule.media)}):
        for path in sorted((folder / sha[:2]).glob(f"{sha}.*")):
            if path.suffix != ".part":
                found.append((sha, path.read_bytes()))
                break
    return found


def receive_up(db, app, data, username="system"):
    """Sở Nội vụ: check a site's bundle and store it in one transaction; return the result per record."""
    bundle = open_bundle(data)
    manifest = bundle.manifest
    if manifest["direction"] != "up":
        raise Refused(_("Đây là gói Sở Nội vụ gửi xuống xã, không nhập ở đây được."))
    site = enrolled_site(db, manifest["site_id"])
    if site is None or not verify(site["public_key"], bundle.manifest_bytes, bundle.signature):
        raise Refused(_("Chữ ký của gói không hợp lệ hoặc máy gửi chưa đăng ký với Sở Nội vụ. Gói không được nhập."))
    communes = set(site["communes"])
    parsed = _parse_tables(db, app, bundle, "up", communes)
    counts = _parse_household_counts(bundle, communes)
    _check_media(bundle)
    now = audit.utc_now()
    with db.atomic():
        results = {rule.table: transfer.apply_rows(db, rule, rows, site["site_id"], now) for rule, rows in parsed}
        db.conn.executemany(
            "INSERT INTO sync_household_counts (group_uuid, from_site, commune_code, households, reached, at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (group_uuid) DO UPDATE SET households = excluded.households,"
            " reached = excluded.reached, at = excluded.at",
            [(c["group_uuid"], site["site_id"], c["commune_code"], c["households"], c["reached"], now) for c in counts],
        )
        # Scans counted here before the poster's row arrived now find their commune.
        db.execute(
            "UPDATE poster_scans SET commune_code = (SELECT commune_code FROM posters WHERE code = poster_code)"
            " WHERE commune_code IS NULL AND poster_code IN (SELECT code FROM posters)"
        )
        totals = _totals(results)
        last_ack = site["last_ack"]
        if manifest["seq_after"] <= last_ack:
            last_ack = max(last_ack, manifest["seq_upto"])
        open_conflicts = db.execute(
            "SELECT count(*) FROM sync_conflicts WHERE from_site = ? AND resolved_at IS NULL", [site["site_id"]]
        ).fetchone()[0]
        changed = totals["created"] or totals["updated"] or open_conflicts != site["conflicts"]
        if changed or last_ack != site["last_ack"] or not _seen(db, bundle):
            # A replay of a bundle already imported writes nothing at all, not even the time.
            db["sites"].update(
                site["id"],
                {
                    "last_ack": last_ack,
                    "last_sync_at": now,
                    "rows_received": site["rows_received"] + totals["created"] + totals["updated"],
                    "conflicts": open_conflicts,
                },
            )
            _record_import(db, bundle, site["site_id"], totals, now, username)
    _store_media(app, parsed, bundle)
    return {"status": "ok", "site": site["name"], "ack": last_ack, "counts": totals, "records": results}


def _parse_tables(db, app, bundle, direction, communes):
    """[(rule, rows)] for every table in the bundle, each checked; Refused on the first problem."""
    known = {rule.table: rule for rule in rules(app, direction)}
    parsed = []
    for name, content in bundle.members.items():
        if not name.startswith("tables/"):
            continue
        table = name.removeprefix("tables/").removesuffix(".jsonl")
        rule = known.get(table)
        if rule is None or not db[table].exists():
            raise Refused(_("Gói chứa bảng %(table)s không được nhận ở đây.", table=table))
        parsed.append((rule, transfer.parse_rows(db, rule, content, communes)))
    listed = {m["name"]: m.get("rows") for m in bundle.manifest["members"]}
    for rule, rows in parsed:
        if listed.get(f"tables/{rule.table}.jsonl") not in (None, len(rows)):
            raise Refused(_("Số dòng của bảng %(table)s không khớp với bản kê khai.", table=rule.table))
    return sorted(parsed, key=lambda item: (item[0].order, item[0].table))


def _meta(bundle):
    try:
        meta = json.loads(bundle.members.get(META, b"{}"))
    except ValueError:
        meta = None
    if not isinstance(meta, dict):
        raise Refused(_("Phần thông tin chung (meta.json) của gói không hợp lệ."))
    return meta


def _parse_household_counts(bundle, communes):
    counts = _meta(bundle).get("household_counts", [])
    shape = {"group_uuid": str, "commune_code": str, "households": int, "reached": int}
    if not isinstance(counts, list):
        raise Refused(_("Phần thông tin chung (meta.json) của gói không hợp lệ."))
    for entry in counts:
        if not isinstance(entry, dict) or set(entry) != set(shape):
            raise Refused(_("Phần thông tin chung (meta.json) của gói không hợp lệ."))
        if any(type(entry[k]) is not t for k, t in shape.items()):
            raise Refused(_("Phần thông tin chung (meta.json) của gói không hợp lệ."))
        if entry["commune_code"] not in communes:
            raise Refused(
                _(
                    "Số hộ gửi kèm thuộc xã %(commune)s, không phải xã của máy đã gửi gói.",
                    commune=entry["commune_code"],
                )
            )
    return counts


def _totals(results):
    totals = dict.fromkeys(transfer.RESULTS, 0)
    for per_table in results.values():
        for name, keys in per_table.items():
            totals[name] += len(keys)
    return totals


def _seen(db, bundle):
    return db.execute("SELECT 1 FROM sync_imports WHERE bundle_sha256 = ?", [bundle.sha256]).fetchone() is not None


def _record_import(db, bundle, from_site, totals, now, username):
    manifest = bundle.manifest
    db["sync_imports"].insert(
        {
            "bundle_sha256": bundle.sha256,
            "from_site": from_site,
            "direction": manifest["direction"],
            "seq_after": manifest["seq_after"],
            "seq_upto": manifest["seq_upto"],
            "created": totals["created"],
            "unchanged": totals["unchanged"],
            "updated": totals["updated"],
            "conflicts": totals["conflict"],
            "imported_at": now,
            "imported_by": username,
        }
    )
    audit.record(db, None, f"sync.import_{manifest['direction']}", "sync_imports", bundle.sha256, None, totals)


def _check_media(bundle):
    """Every file is named by its own SHA-256, so a stored file can never be another's."""
    for name, content in bundle.members.items():
        if name.startswith("media/") and hashlib.sha256(content).hexdigest() != name.removeprefix("media/"):
            raise Refused(_("Thành phần %(name)s đã bị thay đổi (mã băm không khớp).", name=name))


def _store_media(app, parsed, bundle):
    """Files named by received rows, stored under their hash (content-addressed, so replays are harmless)."""
    folder = media_dir(app)
    for rule, rows in parsed:
        if not rule.media:
            continue
        for row in rows:
            sha = row.get(rule.media)
            content = bundle.members.get(f"media/{sha}")
            if content is None:
                continue
            extension = row.get("extension") or FORMATS_BY_MIME.get(row.get("mime")) or "bin"
            if not EXTENSION.match(str(extension)):
                extension = "bin"
            if row.get("mime") in FORMATS_BY_MIME:
                try:
                    save_file(folder, content, extension)  # a photo: with its thumbnail
                    continue
                except (OSError, ValueError, SyntaxError):
                    pass
            store(folder, content, extension)


def make_down_bundle(db, app, site, since):
    """Sở Nội vụ: what a site receives on pull, signed by the central."""
    upto = current_seq(db)
    tables, media = {}, []
    for rule in rules(app, "down"):
        if not db[rule.table].exists():
            continue
        rows = transfer.collect(db, rule, app.config, since, upto)
        if rule.up:
            rows = [row for row in rows if row.get("origin_site") != site["site_id"]]
        if rows:
            tables[rule.table] = rows
        if _files_travel(rule, app.config):
            media += _media_files(app, rule, rows)
    marks = ", ".join("?" for _ in site["communes"])
    scans = db.execute(
        "SELECT poster_code, count(*) FROM poster_scans WHERE poster_code IN"
        f" (SELECT code FROM posters WHERE commune_code IN ({marks})) GROUP BY poster_code ORDER BY poster_code",
        site["communes"],
    ).fetchall()
    meta = {
        "public_base_url": app.config["PUBLIC_BASE_URL"],
        "last_ack": site["last_ack"],
        "scan_counts": [{"poster_code": code, "scans": count} for code, count in scans],
    }
    data = write_bundle(
        private_key(app.instance_path),
        "down",
        site_id(app),
        app.config["SITE_NAME"],
        audit.utc_now(),
        since,
        upto,
        tables,
        meta,
        media,
    )
    return data


def receive_down(db, app, data, central_public_key):
    """A site: check Sở Nội vụ's bundle and store its content; return (results, meta)."""
    bundle = open_bundle(data)
    if bundle.manifest["direction"] != "down":
        raise Refused(_("Đây là gói của xã gửi lên; chỉ Sở Nội vụ nhập được."))
    if not central_public_key or not verify(central_public_key, bundle.manifest_bytes, bundle.signature):
        raise Refused(_("Chữ ký của gói không phải của Sở Nội vụ mà máy này đã đăng ký."))
    parsed = _parse_tables(db, app, bundle, "down", None)
    _check_media(bundle)
    meta = _meta(bundle)
    scans = meta.get("scan_counts", [])
    if not isinstance(scans, list) or not all(
        isinstance(s, dict) and isinstance(s.get("poster_code"), str) and type(s.get("scans")) is int for s in scans
    ):
        raise Refused(_("Phần thông tin chung (meta.json) của gói không hợp lệ."))
    now = audit.utc_now()
    with db.atomic():
        results = {
            rule.table: transfer.apply_rows(db, rule, rows, bundle.manifest["site_id"], now, authority=True)
            for rule, rows in parsed
        }
        db.conn.executemany(
            "INSERT INTO sync_scan_counts (poster_code, scans, at) VALUES (?, ?, ?) ON CONFLICT (poster_code)"
            " DO UPDATE SET scans = excluded.scans, at = excluded.at",
            [(s["poster_code"], s["scans"], now) for s in scans if CODE.match(s["poster_code"])],
        )
        if not _seen(db, bundle):
            _record_import(db, bundle, bundle.manifest["site_id"], _totals(results), now, "system")
    _store_media(app, parsed, bundle)
    return results, meta, bundle.manifest
