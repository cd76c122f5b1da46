"""Household lists of a residential group: personal data that stays on the commune laptop.

Only `household_counts` leaves it (through sync): totals and how many were reached, per group.
"""

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..auth import audit
from ..changes import new_uuid
from ..errors import NotFound
from ..reference import OUTREACH_CHANNELS, ethnic_groups
from ..text import fold, nfc
from .roster_file import ethnic_lookup, match_ethnic_group
from .spreadsheet import (
    CellError,
    Column,
    PlanOutcome,
    Problem,
    normalise_phone,
    parse_count,
    parse_date,
    read_cell,
    read_table,
    text,
    write_csv,
    write_xlsx,
)

HOUSEHOLD_COLUMNS = (
    Column("index", ("stt", "tt", "so tt", "so thu tu"), exact=True),
    Column("phone", ("so dien thoai", "dien thoai", "sdt", "dt", "so dt", "di dong")),
    Column("reached_on", ("ngay tuyen truyen", "ngay tiep can", "ngay", "da tuyen truyen")),
    Column("reached_channel", ("hinh thuc", "kenh")),
    Column("address", ("dia chi", "so nha", "xom", "cum")),
    Column("ethnic_group", ("dan toc",)),
    Column("members", ("nhan khau", "so khau", "khau", "so nguoi", "thanh vien")),
    Column("notes", ("ghi chu",)),
    Column("name", ("chu ho", "ho ten", "ho va ten", "ten")),
)
EXPORT_HEADERS = (
    "STT",
    "Họ tên chủ hộ",
    "Địa chỉ",
    "Số nhân khẩu",
    "Dân tộc",
    "Số điện thoại",
    "Ngày tuyên truyền",
    "Hình thức",
    "Ghi chú",
)
FIELDS = ("head_name", "address", "members", "ethnic_group", "phone", "reached_on", "reached_channel", "notes")


def match_key(head_name, address):
    """The key that tells households of a group apart on re-import."""
    return f"{fold(head_name)}|{fold(address)}"


def channel_names():
    """channel code -> Vietnamese name, whatever language the screen is in."""
    with force_locale("vi"):
        return {code: str(label) for code, label in OUTREACH_CHANNELS}


def parse_channel(value, lookup):
    """An outreach channel code from its Vietnamese name or its code."""
    raw = text(value)
    code = lookup.get(fold(raw))
    if code is None:
        raise CellError(_l("hình thức “%(value)s” không có trong danh mục", value=raw))
    return code


@dataclass
class HouseholdPlan(PlanOutcome):
    added: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (household, changes)
    unchanged: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    applied: bool = False


def parse_households(data, filename):
    """Read a household list into records (present columns only) and problems named by sheet row."""
    try:
        table = read_table(data, filename, HOUSEHOLD_COLUMNS, required_label=_l("Họ tên chủ hộ"))
    except CellError as error:
        return [], [Problem(None, error.message)]
    ethnic = ethnic_lookup()
    channels = {fold(name): code for code, name in channel_names().items()} | {
        code: code for code, _ in OUTREACH_CHANNELS
    }
    parsers = {
        "address": text,
        "notes": text,
        "members": parse_count,
        "phone": normalise_phone,
        "reached_on": parse_date,
        "ethnic_group": lambda v: None if text(v) is None else match_ethnic_group(text(v), ethnic),
        "reached_channel": lambda v: None if text(v) is None else parse_channel(v, channels),
    }
    records, problems, seen = [], [], {}
    for number, values in table.rows:
        record = {"row": number, "head_name": text(values.get("name"))}
        row_problems = [] if record["head_name"] else [Problem(number, _l("thiếu họ tên chủ hộ"))]
        for key, parse in parsers.items():
            read_cell(record, row_problems, number, values, key, parse, table.headers)
        if record.get("reached_channel") and not record.get("reached_on"):
            row_problems.append(Problem(number, _l("có hình thức tuyên truyền nhưng thiếu ngày")))
        problems += row_problems
        if row_problems:
            continue
        key = match_key(record["head_name"], record.get("address"))
        if key in seen:
            problems.append(
                Problem(
                    number,
                    _l(
                        "hộ “%(name)s” trùng với dòng %(other)s; hãy ghi thêm địa chỉ để phân biệt",
                        name=record["head_name"],
                        other=seen[key],
                    ),
                )
            )
            continue
        seen[key] = number
        records.append(record)
    if not records and not problems:
        problems.append(Problem(None, _l("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    return records, problems


def list_households(db, scope, group):
    """The households of a group the scope holds, by head's name."""
    scope.require(group["commune_code"])
    return list(db["households"].rows_where("group_id = ?", [group["id"]], order_by="match_key"))


def import_households(db, scope, group, data, filename, dry_run=False):
    """Import a household list into one group: all rows or none; re-importing updates in place."""
    scope.require(group["commune_code"])
    records, problems = parse_households(data, filename)
    plan = HouseholdPlan(problems=problems)
    with db.atomic():
        existing = {row["match_key"]: row for row in list_households(db, scope, group)}
        for record in records:
            values = {
                key: (nfc(value) if isinstance(value, str) else value) for key, value in record.items() if key != "row"
            }
            current = existing.get(match_key(record["head_name"], record.get("address")))
            if current is None:
                plan.added.append(values)
                continue
            changes = {key: value for key, value in values.items() if current.get(key) != value}
            (plan.updated.append((current, changes)) if changes else plan.unchanged.append(current))
        if dry_run or not plan.ok:
            return plan
        now = audit.utc_now()
        db["households"].insert_all(
            {
                "uuid": new_uuid(),
                "group_id": group["id"],
                "commune_code": group["commune_code"],
                "match_key": match_key(values["head_name"], values.get("address")),
                "created_at": now,
                "updated_at": now,
                **values,
            }
            for values in plan.added
        )
        for current, changes in plan.updated:
            db["households"].update(current["id"], {**changes, "updated_at": now})
        # The audit log travels nowhere but is read by others: counts only, no names.
        audit.record(
            db, scope, "households.import", "residential_groups", group["uuid"], group["commune_code"], plan.summary()
        )
        plan.applied = True
    return plan


def mark_reached(db, scope, household_uuid, reached_on, channel):
    """Record that a household was reached on a day through a channel; None clears it."""
    rows = list(scope.rows(db["households"], "uuid = ?", [household_uuid], limit=1))
    if not rows:
        raise NotFound()
    household = rows[0]
    with db.atomic():
        db["households"].update(
            household["id"],
            {
                "reached_on": reached_on,
                "reached_channel": channel if reached_on else None,
                "updated_at": audit.utc_now(),
            },
        )
        audit.record(
            db,
            scope,
            "household.reached",
            "households",
            household_uuid,
            household["commune_code"],
            {"reached_on": reached_on, "channel": channel},
        )
    return db["households"].get(household["id"])


def household_counts(db, scope, commune_code=None):
    """Per group uuid: {"households": total, "reached": reached}; the only household data that leaves the laptop."""
    scope_sql, params = scope.where()
    if commune_code:
        scope_sql += " AND commune_code = ?"
        params = [*params, commune_code]
    sql = (
        "SELECT g.uuid, count(h.id) AS households, count(h.reached_on) AS reached"
        f" FROM (SELECT id, uuid FROM residential_groups WHERE {scope_sql}) g"
        " JOIN households h ON h.group_id = g.id"
    )
    sql += " GROUP BY g.uuid"
    return {row[0]: {"households": row[1], "reached": row[2]} for row in db.execute(sql, params).fetchall()}


def export_households(households, filename):
    """A group's household list as .xlsx or .csv bytes, ready to import back."""
    ethnic_names = dict(ethnic_groups())
    channels = channel_names()
    rows = [
        [
            number,
            h["head_name"],
            h["address"],
            h["members"],
            ethnic_names.get(h["ethnic_group"]) if h["ethnic_group"] else None,
            h["phone"],
            _screen_date(h["reached_on"]),
            channels.get(h["reached_channel"]) if h["reached_channel"] else None,
            h["notes"],
        ]
        for number, h in enumerate(households, start=1)
    ]
    if filename.lower().endswith(".csv"):
        return write_csv(EXPORT_HEADERS, rows)
    return write_xlsx(
        EXPORT_HEADERS, rows, sheet_name="Hộ gia đình", text_columns=("Số điện thoại", "Ngày tuyên truyền")
    )


def _screen_date(iso):
    if not iso:
        return None
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
