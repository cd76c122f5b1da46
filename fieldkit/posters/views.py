"""Poster pages: print (per group and per commune), attendance sheets, contacts, register, scripts, QR scans."""

from dataclasses import replace
from datetime import date, timedelta

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
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _

from ..auth.access import current_scope, login_required, page_commune, role_required
from ..auth.scope import resolve_commune
from ..db import get_db
from ..explainer import audio, scripts
from ..explainer.site import AUTONYMS
from ..instance import site_id
from ..rosters.groups import get_group_by_uuid, list_groups
from ..sync.public_url import NotPublic, is_public
from . import codes, contacts, photos, poster_form, register
from .render import SIZES, attendance_pdf, poster_pdf, script_pdf
from .throttle import scan_counts

bp = Blueprint("posters", __name__)


def _pdf(data, filename):
    import io

    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=filename)


@bp.route("/p/<code>")
def scan(code):
    """A QR scan: count it (time only), once per client and code in a while, then show the explainer."""
    if scan_counts(current_app, request.remote_addr, code):
        register.record_scan(
            get_db(), site_id(current_app), code, count_unknown=current_app.config["ROLE"] == "central"
        )
    return redirect(url_for("explainer.index"), code=302)


@bp.route("/posters/")
@login_required
def index():
    scope = current_scope()
    commune = page_commune()
    groups = list_groups(get_db(), scope, commune["code"])
    return render_template(
        "posters/index.html",
        commune=commune,
        groups=groups,
        sizes=SIZES,
        today=date.today().isoformat(),
        public_base_url=current_app.config["PUBLIC_BASE_URL"],
        public_ok=is_public(current_app.config["PUBLIC_BASE_URL"]),
        lan_only=bool(request.args.get("lan_only")),
        listen_langs=sorted(audio.languages(get_db(), "page")),
    )


@bp.route("/posters/print", methods=["POST"])
@login_required
def print_posters():
    """Register and download the sheets of one group or of the whole commune."""
    scope = current_scope()
    db = get_db()
    commune = page_commune()
    size = request.form.get("size", "A4").upper()
    if size not in SIZES:
        flash(_("Khổ giấy không hợp lệ."), "error")
        return redirect(url_for("posters.index", commune=commune["code"]))
    group_uuid = request.form.get("group")
    if group_uuid:
        group = get_group_by_uuid(db, scope, group_uuid)
        if group is None or group["commune_code"] != commune["code"]:
            abort(404)
        groups = [group]
    else:
        groups = list_groups(db, scope, commune["code"])
    if not groups:
        flash(_("Xã chưa có thôn, tổ dân phố nào trong danh sách."), "error")
        return redirect(url_for("posters.index", commune=commune["code"]))
    try:
        sheets = register.print_sheets(
            db,
            scope,
            site_id(current_app),
            commune["code"],
            groups,
            size,
            current_app.config["PUBLIC_BASE_URL"],
            lan_only=bool(request.form.get("lan_only")),
        )
    except NotPublic as error:
        flash(str(error), "error")
        return redirect(url_for("posters.index", commune=commune["code"]))
    audio_lang = request.form.get("audio_lang")
    if audio_lang in audio.languages(db, "page"):
        url = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/explain/listen?lang={audio_lang}"
        label = AUTONYMS.get(audio_lang, audio_lang)
        sheets = [replace(sheet, audio_url=url, audio_label=label) for sheet in sheets]
    suffix = f"-{groups[0]['name_key'].replace(' ', '-')}" if group_uuid else ""
    return _pdf(poster_pdf(sheets, size), f"papi-{commune['code']}{suffix}-{size}.pdf")


@bp.route("/posters/attendance/<group_uuid>.pdf")
@login_required
def attendance(group_uuid):
    """An attendance sheet for one group's session on a date, pre-filled from the roster."""
    scope = current_scope()
    db = get_db()
    group = get_group_by_uuid(db, scope, group_uuid)
    if group is None:
        abort(404)
    try:
        day = date.fromisoformat(request.args.get("date") or date.today().isoformat())
    except ValueError:
        flash(_("Ngày không hợp lệ (cần dạng ngày/tháng/năm)."), "error")
        return redirect(url_for("posters.index", commune=group["commune_code"]))
    topic = (request.args.get("topic") or "").strip()[:200]
    data = attendance_pdf(
        register.commune_name(db, group["commune_code"]),
        group["name"],
        group.get("cultural_house_name") or "",
        day.strftime("%d/%m/%Y"),
        topic,
    )
    return _pdf(data, f"diem-danh-{group['name_key'].replace(' ', '-')}-{day.isoformat()}.pdf")


@bp.route("/posters/contacts", methods=["GET", "POST"])
@role_required("commune_admin", "central_admin")
def contacts_page():
    """The officer to contact (per commune) and each group's meeting schedule, as printed on posters."""
    scope = current_scope()
    db = get_db()
    commune = page_commune()
    groups = list_groups(db, scope, commune["code"])
    if request.method == "POST":
        name = request.form.get("officer_name", "").strip()
        phone = request.form.get("officer_phone", "").strip()
        errors = []
        if len(name) > 80:
            errors.append(_("Họ tên cán bộ quá dài (tối đa 80 ký tự)."))
        if phone and not all(ch.isdigit() or ch in " .+-()" for ch in phone) or len(phone) > 20:
            errors.append(_("Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, dấu +."))
        schedules = {g["uuid"]: request.form.get(f"schedule-{g['uuid']}", "").strip() for g in groups}
        if any(len(text) > 120 for text in schedules.values()):
            errors.append(_("Lịch họp quá dài (tối đa 120 ký tự)."))
        if errors:
            for error in errors:
                flash(error, "error")
        else:
            with db.atomic():
                contacts.save_contact(db, scope, site_id(current_app), commune["code"], name, phone)
                for group in groups:
                    contacts.save_schedule(db, scope, site_id(current_app), group, schedules[group["uuid"]])
            flash(_("Đã lưu thông tin liên hệ và lịch họp."), "success")
            return redirect(url_for("posters.contacts_page", commune=commune["code"]))
    return render_template(
        "posters/contacts.html",
        commune=commune,
        groups=groups,
        contact=contacts.get_contact(db, scope, commune["code"]),
        schedules=contacts.schedules(db, scope, commune["code"]),
    )


@bp.route("/posters/register")
@login_required
def register_page():
    """Every printed sheet with its state and scan count; cultural houses with no poster up."""
    scope = current_scope()
    db = get_db()
    commune = page_commune()
    return render_template(
        "posters/register.html",
        commune=commune,
        posters=register.register(db, scope, commune["code"]),
        missing=register.houses_without_poster(db, scope, commune["code"]),
    )


@bp.route("/posters/sheet/<code>")
@login_required
def sheet(code):
    """One printed sheet: its history, and the poster form (the one path to record it) ready for its code."""
    scope = current_scope()
    db = get_db()
    poster = register.get_poster(db, scope, code)
    if poster is None:
        abort(404)
    group = get_group_by_uuid(db, scope, poster["group_uuid"])
    scans = db.execute("SELECT count(*) FROM poster_scans WHERE poster_code = ?", [poster["code"]]).fetchone()[0]
    record_url = url_for(
        "submissions.new_record",
        form_id=poster_form.FORM_ID,
        commune=poster["commune_code"],
        poster_code=poster["code"],
        group=poster["group_uuid"],
    )
    return render_template(
        "posters/sheet.html",
        poster=poster,
        group=group,
        scans=scans,
        events=register.events_of(db, scope, poster["code"]),
        record_url=record_url,
    )


@bp.route("/posters/lookup")
@login_required
def lookup():
    """The sheet a typed or scanned code stands for, for the poster form to say so beside the field."""
    scope = current_scope()
    db = get_db()
    typed = (request.args.get("code") or "").strip()[:80]
    poster = register.get_poster(db, scope, typed) if typed else None
    if poster is None:
        return jsonify(found=False, code=codes.normalise(typed), message=poster_form.unknown_code_message(typed))
    group = get_group_by_uuid(db, scope, poster["group_uuid"])
    return jsonify(
        found=True,
        code=poster["code"],
        commune=poster["commune_code"],
        group=poster["group_uuid"],
        message=_("Tờ in cho %(group)s.", group=group["name"] if group else "?"),
    )


@bp.route("/posters/photo/<path:name>")
@login_required
def photo(name):
    """A poster photo, for users who hold the commune of an event that refers to it."""
    scope = current_scope()
    if not list(scope.rows(get_db()["poster_events"], "photo = ?", [name], limit=1)):
        abort(404)
    return send_from_directory(photos.photo_dir(current_app.instance_path), name)


@bp.route("/posters/scripts")
@login_required
def scripts_page():
    """Loudspeaker scripts per topic and a plan of consecutive broadcast days."""
    scope = current_scope()
    # Scripts read well without a commune; only the printed copy names one.
    commune = resolve_commune(get_db(), scope, request.args.get("commune"))
    topics = scripts.list_scripts()
    slug = request.args.get("topic") or topics[0]["slug"]
    try:
        start = date.fromisoformat(request.args.get("start") or date.today().isoformat())
        days = int(request.args.get("days") or scripts.MIN_CONSECUTIVE_DAYS)
        if start.year > 9000:  # the plan's days would run past the last date there is
            raise ValueError(start)
    except ValueError:
        flash(_("Ngày bắt đầu hoặc số ngày không hợp lệ."), "error")
        start, days = date.today(), scripts.MIN_CONSECUTIVE_DAYS
    if days < scripts.MIN_CONSECUTIVE_DAYS:
        flash(_("Phát liên tục ít nhất 3 ngày (Điều 13 Luật Thực hiện dân chủ ở cơ sở)."), "error")
        days = scripts.MIN_CONSECUTIVE_DAYS
    days = min(days, 30)
    plan = [start + timedelta(days=i) for i in range(days)]
    slot = request.args.get("slot", "")
    slot = min(int(slot), 60) if slot.isdigit() and int(slot) > 0 else scripts.SLOT_MINUTES
    return render_template(
        "posters/scripts.html",
        commune=commune,
        topics=topics,
        slug=slug,
        start=start,
        days=days,
        plan=plan,
        slot=slot,
        recordings=audio.recordings_by_script(get_db()),
    )


@bp.route("/posters/scripts/<slug>.pdf")
@login_required
def script_download(slug):
    scope = current_scope()
    db = get_db()
    commune = page_commune()
    script = scripts.get_script(slug)
    if script is None:
        abort(404)
    contact = contacts.get_contact(db, scope, commune["code"])
    data = script_pdf(
        commune["name"], script["title"], script["paragraphs"], contact["officer_name"], contact["officer_phone"]
    )
    return _pdf(data, f"phat-thanh-{slug}.pdf")
