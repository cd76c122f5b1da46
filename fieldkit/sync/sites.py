"""Sở Nội vụ's side of enrolment: sites, their one-time codes, their communes and their sync state."""

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from ..auth import audit
from ..units.units import commune_by_code
from .bundle import Refused
from .signing import is_public_key

# Crockford's base32 without I, L, O, U: nothing to misread when the code is typed or read aloud.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_DAYS = 7


def new_code():
    """A one-time enrolment code, XXXX-XXXX-XXXX (60 random bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def code_hash(code):
    """The stored form of a code: SHA-256 of its letters, whatever the case, dashes or spaces."""
    letters = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    letters = letters.translate(str.maketrans("ILO", "110"))
    return hashlib.sha256(letters.encode()).hexdigest()


def add_site(db, scope, name, communes, days=CODE_DAYS):
    """Create a site for `communes`; return (site row, the one-time code shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise ValueError(_("Tên máy xã cần từ 1 đến 120 ký tự."))
    codes = sorted({c.strip() for c in communes if c.strip()})
    if not codes:
        raise ValueError(_("Cần ít nhất một mã xã."))
    unknown = [c for c in codes if commune_by_code(db, c) is None]
    if unknown:
        raise ValueError(_("Không có xã mã %(code)s.", code=", ".join(unknown)))
    code = new_code()
    now = datetime.now(UTC)
    row = {
        "name": name,
        "communes": json.dumps(codes),
        "code_sha256": code_hash(code),
        "code_expires_at": (now + timedelta(days=days)).isoformat(timespec="seconds"),
        "created_at": now.isoformat(timespec="seconds"),
        "created_by": scope.username,
    }
    with db.atomic():
        site_id = db["sites"].insert(row).last_pk
        audit.record(db, scope, "sync.site_add", "sites", site_id, None, {"name": name, "communes": codes})
    return db["sites"].get(site_id), code


def enrol(db, code, site_id, site_name, public_key):
    """Bind a site's id and public key to the enrolment its code names; the code then stops working."""
    if not isinstance(site_id, str) or not 0 < len(site_id) <= 100 or not is_public_key(public_key or ""):
        raise Refused(_("Yêu cầu đăng ký không hợp lệ."))
    now = audit.utc_now()
    with db.atomic():
        found = db.execute(
            "SELECT id, code_expires_at FROM sites WHERE code_sha256 = ? AND site_id IS NULL", [code_hash(code)]
        ).fetchone()
        if found is None or found[1] < now:
            raise Refused(_("Mã đăng ký không đúng, đã dùng hoặc đã hết hạn. Hãy xin Sở Nội vụ mã mới."))
        if db.execute("SELECT 1 FROM sites WHERE site_id = ?", [site_id]).fetchone():
            raise Refused(_("Máy này đã được đăng ký với Sở Nội vụ."))
        db["sites"].update(
            found[0], {"site_id": site_id, "public_key": public_key, "enrolled_at": now, "code_sha256": None}
        )
        audit.record(db, None, "sync.site_enrolled", "sites", found[0], None, {"site_id": site_id, "name": site_name})
    return site_row(db, found[0])


def site_row(db, pk):
    row = db["sites"].get(pk)
    return {**row, "communes": json.loads(row["communes"])}


def enrolled_site(db, site_id):
    """The enrolled site with this id, or None."""
    rows = list(db["sites"].rows_where("site_id = ? AND public_key IS NOT NULL", [site_id], limit=1))
    return {**rows[0], "communes": json.loads(rows[0]["communes"])} if rows else None


def list_sites(db, silent_days=7):
    """Every site with its sync state, and whether it has been silent for `silent_days` or more."""
    cutoff = (datetime.now(UTC) - timedelta(days=silent_days)).isoformat(timespec="seconds")
    sites = []
    for row in db.query(
        "SELECT s.*, (SELECT count(*) FROM sync_conflicts c WHERE c.from_site = s.site_id"
        " AND c.resolved_at IS NULL) AS open_conflicts FROM sites s ORDER BY s.name"
    ):
        row["communes"] = json.loads(row["communes"])
        row["silent"] = bool(row["enrolled_at"]) and (row["last_sync_at"] or row["enrolled_at"]) < cutoff
        sites.append(row)
    return sites
