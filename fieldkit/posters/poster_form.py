"""The poster form (`forms/poster.toml`) and the register as one path.

A record of the form names a printed sheet by its code, as typed or scanned. The record stores the
code as printed; a new record writes the register's event (posted, checked, removed) in the
record's own transaction, so the register and "cultural houses without a poster" follow what
officers record in the field. An unknown code is said back in Vietnamese but never loses the record
(a phone offline could not check it): the page can look a code up as it is typed (`/posters/lookup`).
"""

from flask_babel import gettext as _

from . import codes, register

FORM_ID = "poster"
CODE_FIELD = "poster_code"


def event_of(data):
    """(event, condition) for the register from the form's answers."""
    if data.get("action") == "posted":
        return "posted", ""
    status = data.get("status")
    if status == "removed":
        return "removed", ""
    return "checked", "damaged" if status == "damaged" else "ok"


def unknown_code_message(typed):
    """What an officer reads when a code is not in the register."""
    return _(
        "Sổ theo dõi của xã không có tờ áp phích mã %(code)s. Hãy đọc lại mã in dưới mã QR (chỉ có chữ số và "
        "chữ in hoa, không có chữ O, I, L) hoặc quét mã QR.",
        code=typed,
    )


def prepare(db, scope, commune, clean):
    """Store the code as printed; say so when the commune's register has no such sheet."""
    typed = clean.get(CODE_FIELD)
    if not typed:
        return {}
    poster = register.get_poster(db, scope, typed)
    if poster is None or poster["commune_code"] != commune:
        clean[CODE_FIELD] = codes.normalise(typed)
        return {CODE_FIELD: unknown_code_message(typed) + " " + _("Bản ghi vẫn được lưu; sửa mã trong bản ghi.")}
    clean[CODE_FIELD] = poster["code"]
    return {}


def stored(db, scope, site_id, row, clean):
    """Write the register's event for a new record of the poster form that names a sheet of the register."""
    poster = register.get_poster(db, scope, clean.get(CODE_FIELD))
    if poster is None or poster["commune_code"] != row["commune_code"]:
        return
    event, condition = event_of(clean)
    register.record_event(
        db,
        scope,
        site_id,
        poster,
        event,
        place=clean.get("place") or "",
        condition=condition,
        note=clean.get("notes") or "",
        submission_uuid=row["uuid"],
    )


def init_app(app):
    from ..submissions.hooks import RecordHook, add_record_hook

    add_record_hook(app, FORM_ID, RecordHook(prepare=prepare, stored=stored))
