"""Records: receive a submission (idempotent by uuid), edit and delete as new versions, read them.

Nothing is overwritten. An edit is a new row naming the version it replaces; a deletion is a
tombstone row. The same uuid with the same content is "already have it"; with other content the
copy goes to `conflicts` for a commune admin to review.
"""

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from ..auth import audit
from ..changes import new_uuid
from ..db import insert_row
from ..errors import NotFound, UserFacingError
from ..formspec.definition import canonical_json, sha256_of, version_text
from ..formspec.resolve import resolved_choices
from ..formspec.types import summary_columns
from ..formspec.validate import validate
from ..rosters.groups import group_choices
from ..units.units import commune_by_code
from .hooks import hooks_for

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def is_iso_time(value):
    """True for an ISO 8601 date or date-time that exists on the calendar and the clock (not 2026-13-45T99:99)."""
    if not isinstance(value, str) or not ISO_TIME.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        return False
    return True


CURRENT = "NOT EXISTS (SELECT 1 FROM submissions AS later WHERE later.replaces_uuid = submissions.uuid)"

MESSAGES = {
    "uuid": "Mã bản ghi (uuid) không hợp lệ.",
    "form_id": "Không có biểu mẫu này.",
    "form_version": "Không có phiên bản này của biểu mẫu.",
    "commune": "Mã xã không hợp lệ.",
    "created_at": "Thời điểm tạo không đúng dạng ISO 8601.",
    "replaces": "Không tìm thấy bản ghi cần sửa.",
    "replaces_form": "Bản sửa phải cùng biểu mẫu và cùng xã với bản ghi cũ.",
    "deleted": "Bản ghi này đã bị xóa.",
    "body": "Dữ liệu gửi lên phải là một đối tượng JSON.",
}


class Invalid(UserFacingError):
    """The record cannot be accepted; `errors` maps each field to a Vietnamese message."""

    def __init__(self, errors):
        super().__init__(fields=errors)
        self.errors = errors


@dataclass
class Outcome:
    """What became of a received record: created, unchanged or conflict."""

    status: str
    row: dict
    conflict: dict | None = field(default=None)
    # {field: message} for what was stored but not as the officer may have meant (an unknown poster code).
    warnings: dict = field(default_factory=dict)


def content_hash(form_id, form_version, commune, data):
    """SHA-256 of the canonical content: what "same content" means."""
    return sha256_of({"form_id": form_id, "form_version": version_text(form_version), "commune": commune, "data": data})


def choices_for(db, scope, forms, definition, commune_code):
    """The definition's choices for one commune: shared lists and the commune's groups."""
    groups = group_choices(db, scope, commune_code)
    return resolved_choices(definition, forms.shared_lists, groups)


def check_data(db, scope, forms, definition, commune_code, data, lang="vi"):
    """Validate data for a commune; return (clean, errors). One validator for API and HTML."""
    return validate(definition, data, choices_for(db, scope, forms, definition, commune_code), lang)


def receive(db, scope, site_id, forms, payload, lang="vi"):
    """Take one record as the API gets it; return an Outcome, or raise Invalid / Forbidden."""
    if not isinstance(payload, dict):
        raise Invalid({"body": MESSAGES["body"]})
    errors = {}
    record_uuid = payload.get("uuid")
    record_uuid = record_uuid.strip().lower() if isinstance(record_uuid, str) else None
    if not record_uuid or not UUID.match(record_uuid):
        errors["uuid"] = MESSAGES["uuid"]
    commune = payload.get("commune")
    if not isinstance(commune, str) or not commune.strip() or len(commune) > 20:
        errors["commune"] = MESSAGES["commune"]
    else:
        commune = commune.strip()
        scope.require(commune)
        if commune_by_code(db, commune) is None:
            errors["commune"] = MESSAGES["commune"]
    form_id, version = payload.get("form_id"), payload.get("form_version")
    definition = forms.get(db, form_id, version)
    if definition is None:
        known = isinstance(form_id, str) and forms.current(form_id) is not None
        errors["form_version" if known else "form_id"] = MESSAGES["form_version" if known else "form_id"]
    created_at = payload.get("created_at")
    if created_at is not None and not is_iso_time(created_at):
        errors["created_at"] = MESSAGES["created_at"]
    replaces = payload.get("replaces")
    if replaces is not None and not (isinstance(replaces, str) and UUID.match(replaces)):
        errors["replaces"] = MESSAGES["replaces"]
    if errors:
        raise Invalid(errors)
    data = payload.get("data")
    clean, data_errors = check_data(db, scope, forms, definition, commune, data, lang)
    existing = find(db, record_uuid)
    if existing is not None and not scope.allows(existing["commune_code"]):
        # Another commune's record: say no more than for a malformed uuid, and keep no conflict
        # nobody could resolve (its admin must not see this copy, this user cannot see the original).
        raise Invalid({"uuid": MESSAGES["uuid"]})
    if data_errors:
        # Invalid is invalid, even under a known uuid; but a copy sent again exactly as stored is
        # "already have it" even if it would not pass today (a group closed since, say).
        if (
            existing is not None
            and existing["data"] == _canonical_or_none(data)
            and existing["commune_code"] == commune
        ):
            return Outcome("unchanged", existing)
        raise Invalid(data_errors)
    # Another area's look-ups (a poster code in the register) may normalise values, so they come before
    # "same content?"; what they find wrong is said back (warnings) but never loses the record.
    hooks = hooks_for(definition.id) if not replaces else []
    warnings = {}
    for hook in hooks:
        warnings.update(hook.prepare(db, scope, commune, clean))
    if existing is not None:
        return _same_or_conflict(db, scope, site_id, existing, definition, commune, clean, created_at)
    previous = None
    if replaces:
        previous = _editable(db, scope, replaces, definition.id, commune)
        if previous is None:
            raise Invalid({"replaces": MESSAGES["replaces"]})
        if content_hash(definition.id, definition.version, commune, clean) == previous["content_sha256"]:
            # An edit that changes nothing makes no new version.
            return Outcome("unchanged", previous)
    outcome = store(db, scope, site_id, definition, commune, clean, record_uuid, created_at, previous, hooks=hooks)
    outcome.warnings = warnings
    return outcome


def _canonical_or_none(data):
    try:
        return canonical_json(data)
    except (TypeError, ValueError):
        return None


def store(
    db,
    scope,
    site_id,
    definition,
    commune,
    clean,
    record_uuid=None,
    created_at=None,
    previous=None,
    deleted=False,
    hooks=(),
):
    """Write one version (new record, edit or tombstone), its audit entry and what `hooks` add; return an Outcome."""
    record_uuid = record_uuid or new_uuid()
    now = audit.utc_now()
    row = {
        "uuid": record_uuid,
        "origin_site": site_id,
        "form_id": definition.id,
        "form_version": definition.version,
        "commune_code": commune,
        "data": canonical_json(clean),
        "content_sha256": content_hash(definition.id, definition.version, commune, clean),
        "client_created_at": created_at,
        "received_at": now,
        "submitted_by": scope.username,
        "submitted_by_id": scope.user_id,
        "replaces_uuid": previous["uuid"] if previous else None,
        "root_uuid": previous["root_uuid"] if previous else record_uuid,
        "deleted": 1 if deleted else 0,
        **summary_columns(definition, clean),
    }
    action = "submission.delete" if deleted else ("submission.edit" if previous else "submission.create")
    try:
        with db.atomic():
            rowid = insert_row(db, "submissions", row)
            audit.record(
                db,
                scope,
                action,
                "submissions",
                record_uuid,
                commune,
                {"form": definition.id, "root": row["root_uuid"]},
            )
            for hook in hooks:
                hook.stored(db, scope, site_id, row, clean)
    except sqlite3.IntegrityError:
        # Someone got there first: the same uuid arrived twice at once, or this version was edited.
        raced = find(db, record_uuid)
        if raced is not None:
            return _same_or_conflict(db, scope, site_id, raced, definition, commune, clean, created_at)
        return Outcome(
            "conflict",
            previous,
            _keep_conflict(db, scope, site_id, record_uuid, definition, commune, clean, created_at, "stale_edit"),
        )
    # The row as stored, without reading it back (its change sequence is the triggers' business).
    return Outcome("created", {"id": rowid, **row})


def _same_or_conflict(db, scope, site_id, existing, definition, commune, content, created_at):
    digest = content_hash(definition.id, definition.version, commune, content)
    if digest == existing["content_sha256"]:
        return Outcome("unchanged", existing)
    conflict = _keep_conflict(
        db, scope, site_id, existing["uuid"], definition, commune, content, created_at, "same_uuid_other_content"
    )
    return Outcome("conflict", existing, conflict)


def _keep_conflict(db, scope, site_id, submission_uuid, definition, commune, content, created_at, reason):
    """Keep the other copy for review; the same copy sent again is kept once."""
    digest = content_hash(definition.id, definition.version, commune, content)
    found = list(
        db["conflicts"].rows_where("submission_uuid = ? AND content_sha256 = ?", [submission_uuid, digest], limit=1)
    )
    if found:
        return found[0]
    row = {
        "uuid": new_uuid(),
        "origin_site": site_id,
        "submission_uuid": submission_uuid,
        "form_id": definition.id,
        "form_version": definition.version,
        "commune_code": commune,
        "data": canonical_json(content),
        "content_sha256": digest,
        "client_created_at": created_at,
        "received_at": audit.utc_now(),
        "submitted_by": scope.username,
        "reason": reason,
    }
    with db.atomic():
        db["conflicts"].insert(row)
        audit.record(
            db,
            scope,
            "conflict.create",
            "conflicts",
            row["uuid"],
            commune,
            {"submission": submission_uuid, "reason": reason},
        )
    return row


def _editable(db, scope, version_uuid, form_id, commune):
    """The version an edit names, when the scope may edit it; None otherwise."""
    rows = list(scope.rows(db["submissions"], "uuid = ?", [version_uuid], limit=1))
    if not rows:
        return None
    row = rows[0]
    if row["form_id"] != form_id or row["commune_code"] != commune:
        raise Invalid({"replaces": MESSAGES["replaces_form"]})
    if row["deleted"]:
        raise Invalid({"replaces": MESSAGES["deleted"]})
    return row


def find(db, record_uuid):
    """One version by uuid, unscoped (for idempotency); None when absent."""
    rows = list(db["submissions"].rows_where("uuid = ?", [record_uuid], limit=1))
    return rows[0] if rows else None


def delete(db, scope, site_id, forms, root_uuid):
    """Delete a record by adding a tombstone version; return the Outcome."""
    current = current_version(db, scope, root_uuid)
    definition = forms.get(db, current["form_id"], current["form_version"])
    return store(db, scope, site_id, definition, current["commune_code"], {}, previous=current, deleted=True)


def current_version(db, scope, root_uuid):
    """The latest version of a record in the scope (a tombstone when deleted); 404 when none."""
    rows = list(scope.rows(db["submissions"], f"root_uuid = ? AND {CURRENT}", [root_uuid], limit=1))
    if not rows:
        raise NotFound()
    return rows[0]


def history(db, scope, root_uuid):
    """Every version of a record, oldest first."""
    return [decode(row) for row in scope.rows(db["submissions"], "root_uuid = ?", [root_uuid], order_by="id")]


def decode(row):
    """A submission row with its data as a dict."""
    row = dict(row)
    row["data"] = json.loads(row["data"]) if row.get("data") else {}
    return row


def search(
    db,
    scope,
    form_id=None,
    since=None,
    date_from=None,
    date_to=None,
    group_uuid=None,
    channel=None,
    limit=50,
    offset=0,
    include_deleted=False,
    communes=(),
):
    """Current versions of records in the scope, newest first, with filters; return (total, rows)."""
    where, params = [CURRENT], []
    if not include_deleted:
        where.append("deleted = 0")
    if communes:
        # The dashboard links a row to its records: a commune may span several codes (2023 and 2025).
        where.append(f"commune_code IN ({', '.join('?' for _ in communes)})")
        params += list(communes)
    for column, op, value in (
        ("form_id", "=", form_id),
        ("received_at", ">=", since),
        ("event_date", ">=", date_from),
        ("event_date", "<=", date_to),
        ("group_uuid", "=", group_uuid),
        ("channel", "=", channel),
    ):
        if value:
            where.append(f"[{column}] {op} ?")
            params.append(value)
    sql = " AND ".join(where)
    total = scope.count(db["submissions"], sql, params)
    rows = scope.rows(db["submissions"], sql, params, order_by="event_date desc, id desc", limit=limit, offset=offset)
    return total, [decode(row) for row in rows]


def as_api_item(row):
    """A record version as the API gives it."""
    version = row["form_version"]
    return {
        "uuid": row["uuid"],
        "root_uuid": row["root_uuid"],
        "replaces": row["replaces_uuid"],
        "form_id": row["form_id"],
        "form_version": int(version) if version.isdigit() else version,
        "commune": row["commune_code"],
        "data": row["data"] if isinstance(row["data"], dict) else json.loads(row["data"]),
        "content_sha256": row["content_sha256"],
        "created_at": row["client_created_at"],
        "received_at": row["received_at"],
        "submitted_by": row["submitted_by"],
        "deleted": bool(row["deleted"]),
    }
