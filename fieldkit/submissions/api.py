"""The JSON API under /api/v1: forms and submissions (README, "Forms and records"; errors in the one
shape of fieldkit/errors.py).

Writes need the session, the header `X-Requested-With: fieldkit` and a same-origin request
(Origin, Sec-Fetch-Site). That replaces the CSRF token, which would have expired by the time
an offline record is sent.
"""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from ..auth.access import current_scope, login_required
from ..auth.scope import resolve_commune
from ..db import get_db
from ..errors import error_body, json_error
from ..formspec import registry
from ..formspec.resolve import as_json
from ..i18n import current_language
from ..instance import site_id
from ..rosters.groups import list_groups
from . import media, records

bp = Blueprint("submissions_api", __name__, url_prefix="/api/v1")

STATUS = {"created": 201, "unchanged": 200, "conflict": 409}
MAX_LIMIT = 500
# A record is text and numbers; photos travel separately (POST /api/v1/media).
MAX_RECORD_BYTES = 1024 * 1024


def require_same_origin():
    """403 unless a write carries the fieldkit header and comes from this server's own pages."""
    if request.headers.get("X-Requested-With") != "fieldkit":
        raise Forbidden()
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        raise Forbidden()
    origin = request.headers.get("Origin")
    if origin is not None:
        parts = urlsplit(origin)
        if (parts.scheme, parts.netloc) != (request.scheme, request.host):
            raise Forbidden()


@bp.before_request
def check_writes():
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        require_same_origin()


@bp.get("/forms")
@login_required
def list_forms():
    forms = registry()
    lang = current_language()
    return jsonify(
        [
            {
                "id": d.id,
                "version": d.data["version"],
                "title": as_json(d, forms.shared_lists, [], lang)["title"],
                "sha256": d.sha256,
            }
            for d in forms.all_current()
        ]
    )


@bp.get("/forms/<form_id>")
@login_required
def form_definition(form_id):
    """The current definition with its choices resolved for the user's commune."""
    forms = registry()
    definition = forms.current(form_id)
    if definition is None:
        return json_error(404, _("Không có biểu mẫu này."))
    scope = current_scope()
    # A user of several communes who names none gets the definition without the groups of any.
    commune = resolve_commune(get_db(), scope, request.args.get("commune"))
    groups = list_groups(get_db(), scope, commune["code"]) if commune else []
    body = as_json(definition, forms.shared_lists, groups, current_language())
    body["commune"] = commune["code"] if commune else None
    return jsonify(body)


@bp.get("/submissions")
@login_required
def list_submissions():
    """Current versions of the user's records: {"total": n, "items": [...]}, paged."""
    args = request.args
    errors = {}
    limit = _int_arg(args.get("limit"), 50, 1, MAX_LIMIT, "limit", errors)
    offset = _int_arg(args.get("offset"), 0, 0, 10**9, "offset", errors)
    since = args.get("since") or None
    if since and not records.is_iso_time(since):
        errors["since"] = _("Tham số since phải là thời điểm ISO 8601.")
    if errors:
        return json_error(422, fields=errors)
    total, rows = records.search(
        get_db(), current_scope(), form_id=args.get("form") or None, since=since, limit=limit, offset=offset
    )
    return jsonify(total=total, limit=limit, offset=offset, items=[records.as_api_item(r) for r in rows])


@bp.get("/submissions/<record_uuid>")
@login_required
def get_submission(record_uuid):
    """One stored version by its uuid, when the user holds its commune (so a phone can check it arrived)."""
    rows = list(current_scope().rows(get_db()["submissions"], "uuid = ?", [record_uuid.strip().lower()], limit=1))
    if not rows:
        return json_error(404, _("Không tìm thấy bản ghi."))
    return jsonify(records.as_api_item(rows[0]))


def _int_arg(raw, default, low, high, name, errors):
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = _("Tham số %(name)s phải là số nguyên từ %(low)s đến %(high)s.", name=name, low=low, high=high)
        return default
    return int(raw)


@bp.post("/submissions")
@login_required
def post_submission():
    """Receive one record: 201 new, 200 same, 409 conflict, 422 invalid, 403 not your commune."""
    if (request.content_length or 0) > MAX_RECORD_BYTES:
        return json_error(413, fields={"body": _("Bản ghi quá lớn.")})
    request.max_content_length = MAX_RECORD_BYTES
    payload = _read_json()
    db = get_db()
    try:
        # Messages in the language the user chose (Vietnamese unless English was chosen).
        outcome = records.receive(db, current_scope(), site_id(current_app), registry(), payload, current_language())
    except records.Invalid as invalid:
        return json_error(422, fields=invalid.errors)
    body = {"status": outcome.status, "uuid": payload["uuid"].strip().lower()}
    if outcome.status == "conflict":
        body.update(
            error_body(409, _("Bản ghi này đã có với nội dung khác; bản gửi lên được giữ lại để quản trị xã xem xét."))
        )
        body["conflict"] = outcome.conflict["uuid"] if outcome.conflict else None
    else:
        body["record"] = records.as_api_item(outcome.row)
    if outcome.warnings:
        body["warnings"] = {k: str(v) for k, v in outcome.warnings.items()}
    return jsonify(body), STATUS[outcome.status]


def _read_json():
    """The body as JSON, or None when it is not JSON (or nested past what Python can read)."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        return None


@bp.post("/media")
@login_required
def post_media():
    """Attach a photo (JPEG, PNG, WebP) to a submission the user holds: 201 new, 200 known."""
    limit = current_app.config["MEDIA_MAX_BYTES"]
    if request.content_length is None or request.content_length > limit + 64 * 1024:
        return json_error(413, fields={"file": media.MESSAGES["too_big"]})
    upload = request.files.get("file")
    try:
        row, created = media.attach(
            get_db(),
            current_scope(),
            site_id(current_app),
            media.media_dir(current_app),
            request.form.get("submission_uuid"),
            request.form.get("field"),
            upload.read(limit + 1) if upload else None,
            limit,
        )
    except media.Rejected as rejected:
        return json_error(422, fields=rejected.errors)
    return jsonify(media.as_api_item(row)), 201 if created else 200
