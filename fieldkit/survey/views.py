"""Survey pages: a commune's sampled groups, the province's, a visit, the survey year; calendar and notice."""

import io

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from ..auth.access import current_scope, login_required, page_commune, role_required
from ..auth.scope import resolve_commune
from ..db import get_db
from ..errors import json_error
from ..i18n import current_language
from ..instance import site_id
from ..sync.public_url import is_public
from ..units.units import commune_by_code
from .documents import commune_calendar, commune_notices
from .readiness import load_settings, settings_of
from .status import survey_status, urgency
from .visits import EDITORS, STATUS_LABELS, STATUSES, save_visit, visit_of
from .years import (
    SurveyError,
    add_samples,
    get_sample,
    get_year,
    group_of,
    list_samples,
    parse_group_spec,
    remove_sample,
    save_year,
)

bp = Blueprint("survey", __name__, url_prefix="/survey")


def _year_arg():
    year = request.values.get("year", "")
    return int(year) if year.isdigit() else None


@bp.route("/")
@login_required
def index():
    """A commune's sampled groups, each with its visit, days to go and readiness."""
    db, scope = get_db(), current_scope()
    # Sở Nội vụ's own survey page is the province's; it opens a commune's by naming it.
    if scope.is_central and not request.args.get("commune"):
        return redirect(url_for("survey.province"))
    code = page_commune()["code"]
    year_row = get_year(db, _year_arg())
    entries = []
    if year_row:
        _, entries = survey_status(db, scope, code, year_row["year"], lang=current_language())
        entries.sort(key=urgency)
    return render_template(
        "survey/commune.html",
        commune=commune_by_code(db, code),
        year=year_row,
        entries=entries,
        statuses=STATUS_LABELS,
        can_edit=scope.can(*EDITORS),
        public_ok=is_public(current_app.config["PUBLIC_BASE_URL"]),
    )


@bp.route("/province")
@role_required("central_admin")
def province():
    """Every sampled group of the province, nearest visit and least ready first."""
    db, scope = get_db(), current_scope()
    year_row = get_year(db, _year_arg())
    entries = []
    if year_row:
        _, entries = survey_status(db, scope, None, year_row["year"], lang=current_language())
        entries.sort(key=urgency)
    return render_template("survey/province.html", year=year_row, entries=entries, statuses=STATUS_LABELS)


@bp.route("/status.json")
@login_required
def status_json():
    """The commune's readiness as `fieldkit survey status --json` prints it."""
    db, scope = get_db(), current_scope()
    # None (a user of several communes who names none): every commune the user holds.
    commune = resolve_commune(db, scope, request.args.get("commune"))
    try:
        _, entries = survey_status(db, scope, commune and commune["code"], _year_arg(), lang=current_language())
    except SurveyError as error:
        return json_error(404, error.message)
    return jsonify(entries)


@bp.route("/visits/<sample_uuid>", methods=["GET", "POST"])
@login_required
def visit(sample_uuid):
    """One sampled group's visit: admins edit it, officers read it."""
    db, scope = get_db(), current_scope()
    sample = get_sample(db, scope, sample_uuid)
    if sample is None:
        abort(404)
    can_edit = scope.can(*EDITORS)
    if request.method == "POST":
        if not can_edit:
            abort(403)
        form = request.form
        try:
            save_visit(
                db,
                scope,
                site_id(current_app),
                sample,
                form.get("start_date", ""),
                form.get("end_date", ""),
                form.get("status", ""),
                place=form.get("place", ""),
                team_contact=form.get("team_contact", ""),
                guide=form.get("guide", ""),
                note=form.get("note", ""),
            )
        except SurveyError as error:
            flash(str(error), "error")
            return render_template("survey/visit.html", **_visit_context(db, sample, can_edit), form=form), 422
        flash(_("Đã lưu lịch khảo sát."), "success")
        return redirect(url_for("survey.index", commune=sample["commune_code"]))
    return render_template("survey/visit.html", **_visit_context(db, sample, can_edit), form=None)


def _visit_context(db, sample, can_edit):
    group = group_of(db, sample)
    year_row = get_year(db, sample["year"])
    return {
        "sample": sample,
        "group": group,
        "visit": visit_of(db, sample),
        "year": year_row,
        "commune": commune_by_code(db, sample["commune_code"]),
        "statuses": STATUS_LABELS,
        "status_order": STATUSES,
        "can_edit": can_edit,
    }


@bp.route("/visits.ics")
@login_required
def calendar():
    """The commune's visits as an iCalendar file for the phone's calendar."""
    db, scope = get_db(), current_scope()
    code = page_commune()["code"]
    try:
        data = commune_calendar(db, scope, code, _year_arg())
    except SurveyError as error:
        flash(str(error), "error")
        return redirect(url_for("survey.index", commune=code))
    return send_file(io.BytesIO(data), mimetype="text/calendar", as_attachment=True, download_name=f"papi-{code}.ics")


@bp.route("/notice.pdf")
@login_required
def notice():
    """The A4 notice for the cultural house of each visited group (or of one group)."""
    db, scope = get_db(), current_scope()
    code = page_commune()["code"]
    group_name = None
    if request.args.get("sample"):
        sample = get_sample(db, scope, request.args["sample"]) or abort(404)
        group_name = sample["group_name"]
    try:
        data = commune_notices(
            db, scope, code, current_app.config["PUBLIC_BASE_URL"], _year_arg(), group_name, current_language()
        )
    except SurveyError as error:
        flash(str(error), "error")
        return redirect(url_for("survey.index", commune=code))
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=f"thong-bao-papi-{code}.pdf"
    )


@bp.route("/years", methods=["GET", "POST"])
@role_required("central_admin")
def years():
    """Sở Nội vụ: the survey year, its fieldwork window and its sampled groups."""
    db, scope = get_db(), current_scope()
    year_row = get_year(db, _year_arg())
    if request.method == "POST":
        form = request.form
        try:
            specs = [parse_group_spec(line) for line in form.get("groups", "").splitlines() if line.strip()]
            with db.atomic():
                existing = get_year(db, form.get("year"))
                settings = settings_of(existing) if existing else load_settings()
                year_row = save_year(
                    db,
                    scope,
                    site_id(current_app),
                    form.get("year"),
                    form.get("date_from"),
                    form.get("date_to"),
                    settings,
                )
                added = add_samples(db, scope, site_id(current_app), year_row["year"], specs)
        except SurveyError as error:
            flash(str(error), "error")
            return render_template(
                "survey/years.html", year=year_row, samples=_samples(db, scope, year_row), form=form
            ), 422
        flash(_("Đã lưu năm khảo sát %(year)s (%(n)s thôn mới).", year=year_row["year"], n=added), "success")
        return redirect(url_for("survey.years", year=year_row["year"]))
    return render_template("survey/years.html", year=year_row, samples=_samples(db, scope, year_row), form=None)


def _samples(db, scope, year_row):
    if not year_row:
        return []
    samples = list_samples(db, scope, year_row["year"])
    names = {}
    for sample in samples:
        code = sample["commune_code"]
        if code not in names:
            commune = commune_by_code(db, code)
            names[code] = commune["name"] if commune else code
        sample["commune_name"] = names[code]
    return samples


@bp.route("/samples/<sample_uuid>/remove", methods=["POST"])
@role_required("central_admin")
def remove(sample_uuid):
    """Take a group out of the sample."""
    db, scope = get_db(), current_scope()
    sample = get_sample(db, scope, sample_uuid) or abort(404)
    remove_sample(db, scope, sample)
    flash(_("Đã bỏ %(group)s khỏi danh sách khảo sát.", group=sample["group_name"]), "success")
    return redirect(url_for("survey.years", year=sample["year"]))


@bp.app_template_filter("days_to_go")
def days_to_go(days):
    """'còn 12 ngày', 'hôm nay', '3 ngày trước' for a visit."""
    if days is None:
        return ""
    if days == 0:
        return _("hôm nay")
    if days > 0:
        return _("còn %(n)s ngày", n=days)
    return _("%(n)s ngày trước", n=-days)
