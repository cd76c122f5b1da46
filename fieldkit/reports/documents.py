"""Implementation documents (central only): which bodies were to issue one, which did, and when.

Lào Cai's plan 166/KH-UBND (22/3/2023) and directive 10/CT-UBND (5/8/2023) asked every agency
and commune to issue its own implementing document; on 26/9/2023 Sở Nội vụ (1214/SNV-CCHC&VTLT)
noted that by 30/9/2023 only three bodies had. `status_on(day)` gives that count for any day.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..changes import new_uuid
from ..errors import UserFacingError
from ..text import fold, nfc

INSTRUMENTS = (
    ("plan_166", _l("Kế hoạch số 166/KH-UBND ngày 22/3/2023 của UBND tỉnh Lào Cai")),
    ("directive_10", _l("Chỉ thị số 10/CT-UBND ngày 5/8/2023 của UBND tỉnh Lào Cai")),
)
KINDS = (
    ("department", _l("Sở, ban, ngành tỉnh")),
    ("district", _l("Huyện, thành phố, thị xã")),
    ("commune", _l("Xã, phường, thị trấn")),
)
# What an attached file may be: a scanned or exported document, checked by its first bytes.
FILE_TYPES = {".pdf": b"%PDF-", ".docx": b"PK\x03\x04"}
MAX_FILE_BYTES = 20 * 1024 * 1024


class DocumentError(UserFacingError):
    """Bad input; `errors` maps each field to a Vietnamese message."""

    def __init__(self, errors):
        super().__init__(fields=errors)
        self.errors = errors


@dataclass
class Status:
    """Where things stood on a day: who had issued a document by then, who had not."""

    day: str
    issued: list
    missing: list

    @property
    def expected(self):
        return len(self.issued) + len(self.missing)

    def sentence(self):
        """'By 30/09/2023 only 3 of 11 bodies had issued …', in the interface language."""
        when = date.fromisoformat(self.day).strftime("%d/%m/%Y")
        names = ", ".join(body["name"] for body in self.issued)
        if not self.issued:
            return _(
                "Tính đến ngày %(day)s, chưa cơ quan, đơn vị nào trong số %(expected)s cơ quan, đơn vị"
                " ban hành văn bản triển khai.",
                day=when,
                expected=self.expected,
            )
        return _(
            "Tính đến ngày %(day)s, mới có %(count)s/%(expected)s cơ quan, đơn vị ban hành văn bản triển khai"
            " (%(names)s); %(missing)s cơ quan, đơn vị chưa ban hành.",
            day=when,
            count=len(self.issued),
            expected=self.expected,
            names=names,
            missing=len(self.missing),
        )


def add_body(db, scope, name, kind, unit_code=None):
    """Add a body expected to issue a document (one per unit code, or per name); return its row."""
    name = nfc(name or "")
    if not name or len(name) > 200:
        raise DocumentError({"name": _("Hãy nhập tên cơ quan, đơn vị (không quá 200 ký tự).")})
    if kind not in dict(KINDS):
        raise DocumentError({"kind": _("Hãy chọn loại cơ quan, đơn vị.")})
    if unit_code:
        found = db.execute("SELECT id FROM implementation_bodies WHERE unit_code = ?", [unit_code]).fetchone()
    else:
        found = db.execute(
            "SELECT id FROM implementation_bodies WHERE name_key = ? AND unit_code IS NULL", [fold(name)]
        ).fetchone()
    if found:
        return db["implementation_bodies"].get(found[0])
    row = {"name": name, "name_key": fold(name), "kind": kind, "unit_code": unit_code, "created_at": audit.utc_now()}
    with db.atomic():
        pk = db["implementation_bodies"].insert(row).last_pk
        audit.record(db, scope, "document_body.create", "implementation_bodies", str(pk), unit_code, {"name": name})
    return db["implementation_bodies"].get(pk)


def add_units_as_bodies(db, scope, era="2023"):
    """Expect a document from every district and commune of the era; return how many were added."""
    before = db["implementation_bodies"].count
    for code, name, level, parent in db.execute(
        "SELECT u.code, u.name, u.level, p.name FROM units u"
        " LEFT JOIN units p ON p.era = u.era AND p.code = u.parent_code"
        " WHERE u.era = ? AND u.level IN ('district', 'commune') ORDER BY u.code",
        [era],
    ).fetchall():
        # Communes of the same name in two districts are told apart by their district.
        add_body(db, scope, f"{name} ({parent})" if level == "commune" and parent else name, level, code)
    return db["implementation_bodies"].count - before


def _check_file(file_name, content):
    suffix = Path(file_name or "").suffix.lower()
    magic = FILE_TYPES.get(suffix)
    if magic is None or not content.startswith(magic):
        raise DocumentError({"file": _("Tệp đính kèm phải là văn bản PDF hoặc DOCX.")})
    if len(content) > MAX_FILE_BYTES:
        raise DocumentError({"file": _("Tệp đính kèm không quá 20 MB.")})
    return suffix


def add_document(db, scope, files_dir, body_id, number, issued_on, title, implements, file_name=None, content=b""):
    """Record a body's implementing document (and keep its file); return the row."""
    errors = {}
    number = nfc(number or "")
    title = nfc(title or "")
    if not db.execute("SELECT 1 FROM implementation_bodies WHERE id = ?", [body_id]).fetchone():
        errors["body_id"] = _("Hãy chọn cơ quan, đơn vị ban hành.")
    if not number or len(number) > 60:
        errors["number"] = _("Hãy nhập số, ký hiệu văn bản, ví dụ 1214/SNV-CCHC&VTLT.")
    if not title or len(title) > 500:
        errors["title"] = _("Hãy nhập trích yếu văn bản (không quá 500 ký tự).")
    if implements not in dict(INSTRUMENTS):
        errors["implements"] = _("Hãy chọn văn bản của tỉnh được triển khai.")
    if not issued_on:
        errors["issued_on"] = _("Hãy nhập ngày ban hành (ngày/tháng/năm).")
    suffix = None
    if content:
        try:
            suffix = _check_file(file_name, content)
        except DocumentError as error:
            errors.update(error.errors)
    if errors:
        raise DocumentError(errors)
    digest = hashlib.sha256(content).hexdigest() if content else None
    row = {
        "uuid": new_uuid(),
        "body_id": body_id,
        "number": number,
        "issued_on": issued_on,
        "title": title,
        "implements": implements,
        "file_name": f"{digest}{suffix}" if digest else None,
        "file_sha256": digest,
        "created_at": audit.utc_now(),
        "created_by": scope.username,
    }
    if digest:
        folder = Path(files_dir)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / row["file_name"]
        if not target.exists():
            partial = target.with_suffix(".part")
            partial.write_bytes(content)
            partial.replace(target)
    with db.atomic():
        db["implementation_documents"].insert(row)
        audit.record(db, scope, "document.create", "implementation_documents", row["uuid"], None, {"number": number})
    return row


def documents(db):
    """Every document with its body's name, newest first."""
    return [
        dict(zip(("uuid", "number", "issued_on", "title", "implements", "file_name", "body"), row, strict=True))
        for row in db.execute(
            "SELECT d.uuid, d.number, d.issued_on, d.title, d.implements, d.file_name, b.name"
            " FROM implementation_documents d JOIN implementation_bodies b ON b.id = d.body_id"
            " ORDER BY d.issued_on DESC, d.id DESC"
        )
    ]


def document_file(db, doc_uuid):
    """(stored file name, number) of a document's file, or None."""
    return db.execute(
        "SELECT file_name, number FROM implementation_documents WHERE uuid = ? AND file_name IS NOT NULL", [doc_uuid]
    ).fetchone()


def bodies(db):
    return [dict(row) for row in db["implementation_bodies"].rows_where(order_by="kind, name_key")]


def status_on(db, day):
    """Which expected bodies had issued a document on or before `day` (ISO), and which had not."""
    issued, missing = [], []
    for body_id, name, kind, first in db.execute(
        "SELECT b.id, b.name, b.kind, MIN(d.issued_on) FROM implementation_bodies b"
        " LEFT JOIN implementation_documents d ON d.body_id = b.id AND d.issued_on <= ?"
        " GROUP BY b.id ORDER BY MIN(d.issued_on), b.kind, b.name_key",
        [day],
    ):
        body = {"id": body_id, "name": name, "kind": kind, "first": first}
        (issued if first else missing).append(body)
    return Status(day, issued, missing)
