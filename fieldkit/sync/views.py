"""Sync pages and API: enrolment, bundles in, pull out (central); status, enrol, push, export (site)."""

import base64
import binascii
import io
import json
from datetime import UTC, datetime, timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from markupsafe import Markup

from ..auth import audit
from ..auth.access import current_scope, role_required
from ..db import get_db
from ..errors import json_error
from ..instance import site_id
from ..qr import qr_svg
from . import client, link
from .bundle import Refused
from .exchange import make_down_bundle, make_up_bundle, receive_up
from .signing import public_pem, verify
from .sites import add_site, enrol, enrolled_site, list_sites

bp = Blueprint("sync", __name__)
# A pull request older than this is refused, so a copied request cannot be replayed for long.
PULL_WINDOW = timedelta(minutes=15)


def _central():
    if current_app.config["ROLE"] != "central":
        abort(404)


def _refused(error, status=422):
    return json_error(status, str(error))


def _signed_call(has_credentials):
    """Sync calls are signed by a site's key (or carry its one-time code), not by a session.

    Like every API write they need the fieldkit header (403 without it); without credentials they
    answer 401; on a site, which receives no bundles, 404. Always in the API's one error shape.
    """
    if request.headers.get("X-Requested-With") != "fieldkit":
        return _refused(_("Thiếu tiêu đề X-Requested-With của fieldkit."), 403)
    if not has_credentials:
        return _refused(_("Yêu cầu không có chữ ký hoặc mã đăng ký của máy xã."), 401)
    if current_app.config["ROLE"] != "central":
        return _refused(_("Máy này không phải máy chủ của Sở Nội vụ."), 404)
    return None


# --- API (signed, no session) -----------------------------------------------------------


@bp.route("/api/v1/sync/enroll", methods=["POST"])
def api_enroll():
    """A site presents its one-time code and public key; the central answers with its own."""
    payload = request.get_json(silent=True)
    payload = payload if isinstance(payload, dict) else {}
    refused = _signed_call(bool(payload.get("code")))
    if refused:
        return refused
    db = get_db()
    try:
        site = enrol(
            db, payload.get("code"), payload.get("site_id"), payload.get("site_name"), payload.get("public_key")
        )
    except Refused as error:
        return _refused(error, 403)
    return jsonify(
        central_id=site_id(current_app),
        central_name=current_app.config["SITE_NAME"],
        central_public_key=public_pem(current_app.instance_path),
        public_base_url=current_app.config["PUBLIC_BASE_URL"],
        communes=site["communes"],
        site_name=site["name"],
    )


@bp.route("/api/v1/sync/bundles", methods=["POST"])
def api_bundles():
    """A site's signed bundle: checked whole, stored in one transaction, answered per record."""
    data = request.get_data(cache=False)
    # A zip begins "PK"; anything else carries no signature at all.
    refused = _signed_call(data.startswith(b"PK"))
    if refused:
        return refused
    try:
        result = receive_up(get_db(), current_app, data, "api")
    except Refused as error:
        current_app.logger.warning("sync bundle refused: %s", error)
        return _refused(error)
    return jsonify(result)


@bp.route("/api/v1/sync/pull", methods=["POST"])
def api_pull():
    """What a site receives: content, forms, units, the public address, its posters' scan counts."""
    refused = _signed_call(bool(request.headers.get("X-Fieldkit-Signature")))
    if refused:
        return refused
    body = request.get_data(cache=False)
    try:
        payload = json.loads(body)
        signature = base64.b64decode(request.headers.get("X-Fieldkit-Signature", ""), validate=True)
        at = datetime.fromisoformat(payload["at"])
        since = payload["since"]
        site = enrolled_site(get_db(), payload["site_id"])
    except (ValueError, TypeError, KeyError, binascii.Error):
        return _refused(_("Yêu cầu nhận dữ liệu không hợp lệ."), 400)
    if site is None or not verify(site["public_key"], body, signature):
        return _refused(_("Máy gửi yêu cầu chưa đăng ký với Sở Nội vụ."), 403)
    if abs(datetime.now(UTC) - at) > PULL_WINDOW or type(since) is not int or since < 0:
        return _refused(_("Yêu cầu nhận dữ liệu đã quá hạn; hãy kiểm tra đồng hồ của máy."), 403)
    db = get_db()
    data = make_down_bundle(db, current_app, site, since)
    with db.atomic():
        db["sites"].update(site["id"], {"last_sync_at": audit.utc_now()})
    return send_file(io.BytesIO(data), mimetype="application/octet-stream", download_name="down.fkb")


# --- pages ------------------------------------------------------------------------------


@bp.route("/sync/")
@role_required("commune_admin", "central_admin")
def status_page():
    """The site's link to Sở Nội vụ; on the central, the list of enrolled sites."""
    db = get_db()
    if current_app.config["ROLE"] == "central":
        if not current_scope().is_central:
            abort(403)
        days = request.args.get("silent", 7, type=int)
        return render_template("sync/sites.html", sites=list_sites(db, days), silent_days=days)
    return render_template(
        "sync/site_status.html",
        state=link.status(db, current_app),
        public_base_url=current_app.config["PUBLIC_BASE_URL"],
    )


@bp.route("/sync/sites/new", methods=["GET", "POST"])
@role_required("central_admin")
def new_site_page():
    """Enrol a site: its name and communes; the one-time code shown once, as text and QR."""
    _central()
    if request.method == "POST":
        communes = request.form.get("communes", "").replace(",", " ").split()
        try:
            site, code = add_site(get_db(), current_scope(), request.form.get("name", ""), communes)
        except ValueError as error:
            flash(str(error), "error")
        else:
            return render_template(
                "sync/site_code.html",
                site=site,
                communes=json.loads(site["communes"]),
                code=code,
                central_url=request.host_url.rstrip("/"),
                qr=Markup(qr_svg(code)),
            )
    return render_template("sync/site_new.html")


@bp.route("/sync/upload", methods=["GET", "POST"])
@role_required("central_admin")
def upload_page():
    """Import a .fkb a commune sent by USB or a chat app."""
    _central()
    result = None
    if request.method == "POST":
        upload = request.files.get("bundle")
        if upload is None or not upload.filename:
            flash(_("Hãy chọn tệp gói dữ liệu (.fkb)."), "error")
        else:
            try:
                result = receive_up(get_db(), current_app, upload.read(), current_scope().username)
            except Refused as error:
                flash(_("Gói bị từ chối, không nhập gì: %(reason)s", reason=error), "error")
    return render_template("sync/upload.html", result=result)


@bp.route("/sync/enroll", methods=["POST"])
@role_required("commune_admin")
def enroll_page():
    """The site's enrolment form: Sở Nội vụ's address and the one-time code."""
    _site()
    try:
        client.enroll(get_db(), current_app, request.form.get("url", ""), request.form.get("code", ""))
    except client.SyncError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã đăng ký với Sở Nội vụ."), "success")
    return redirect(url_for("sync.status_page"))


@bp.route("/sync/push", methods=["POST"])
@role_required("commune_admin")
def push_page():
    """The push button: send what is pending, then receive updates."""
    _site()
    try:
        totals = client.push(get_db(), current_app)
    except client.SyncError as error:
        flash(_("Chưa gửi được: %(reason)s", reason=error), "error")
    else:
        flash(
            _(
                "Đã gửi: %(created)s dòng mới, %(unchanged)s đã có, %(conflict)s xung đột.",
                created=totals["created"] + totals["updated"],
                unchanged=totals["unchanged"],
                conflict=totals["conflict"],
            ),
            "success",
        )
    return redirect(url_for("sync.status_page"))


@bp.route("/sync/export.fkb", methods=["POST"])
@role_required("commune_admin")
def export_page():
    """Download a bundle of everything not yet acknowledged, to carry by USB or a chat app."""
    _site()
    db = get_db()
    found = link.get_link(db)
    data, _rows = make_up_bundle(db, current_app, found["last_ack"] if found else 0)
    name = f"fieldkit-{site_id(current_app)[:8]}-{datetime.now(UTC):%Y%m%d-%H%M}.fkb"
    return send_file(io.BytesIO(data), mimetype="application/octet-stream", as_attachment=True, download_name=name)


def _site():
    if current_app.config["ROLE"] != "site":
        abort(404)
