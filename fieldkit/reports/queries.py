"""Dashboard and report figures, read from the rollup (see rollup.py), scoped to the user.

Everything here takes values (a Scope, filters, today's date) and returns plain data; the
views, the CLI and the exporters all read the same `Dashboard`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..reference import OUTREACH_CHANNELS, PAPI_DIMENSIONS
from ..text import fold
from .rollup import ALL, METRICS
from .units_map import UnitMap

PAGE_SIZE = 50
REACHED_DAYS = 30
# Art. 13 of Law 10/2022/QH15: some items go on the loudspeakers at least 3 consecutive days.
RUN_DAYS = 3
TREND_WEEKS = 26


@dataclass(frozen=True)
class Filters:
    """What the dashboard or a report covers: dates (ISO), era, district (era's code), communes."""

    date_from: str | None = None
    date_to: str | None = None
    era: str = "2023"
    district: str | None = None
    communes: tuple = ()

    def as_args(self):
        """The filters as query-string arguments (for links and download buttons)."""
        args = {"from": self.date_from, "to": self.date_to, "era": self.era, "district": self.district}
        return {k: v for k, v in args.items() if v} | ({"commune": list(self.communes)} if self.communes else {})


@dataclass
class Row:
    """Figures of one commune, district or residential group."""

    code: str
    name: str
    parent_code: str = ""
    parent_name: str = ""
    raw_codes: list = field(default_factory=list)
    sums: dict = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    last_session: str | None = None
    groups: int = 0
    groups_reached: int = 0
    posters_up: int = 0
    scans: int = 0
    broadcast_runs: int = 0
    topics: dict = field(default_factory=dict)
    sampled: bool = False
    commune_count: int = 0

    def __getattr__(self, name):
        # row.sessions, row.attendees…: the sums read as attributes in templates.
        sums = self.__dict__.get("sums", {})
        if name in sums:
            return sums[name]
        raise AttributeError(name)


@dataclass
class Dashboard:
    filters: Filters
    today: str
    total: Row
    communes: list
    page: int
    pages: int
    districts: list
    trend: list
    channels: list
    topics: list
    groups: list
    silent_sites: list | None
    commune_total: int = 0
    sampled_unreached: list = field(default_factory=list)
    # (code, name) of the era's districts (2023) or provinces (2025), for the filter.
    parents: list = field(default_factory=list)


# --- date ranges over the month (or week) table plus the day table at the ends ----------------


def _month_start(day):
    return day.replace(day=1)


def _next_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _week_start(day):
    return day - timedelta(days=day.weekday())


def _grain(name):
    if name == "month":
        return _month_start, _next_month, lambda d: d.isoformat()[:7]
    return _week_start, lambda d: _week_start(d) + timedelta(days=7), lambda d: d.isoformat()


def split_range(date_from, date_to, grain="month"):
    """((first, last) whole periods or None, [(day_from, day_to)…] left at the ends) for a range.

    With no dates every period is whole. Bounds may be None (open).
    """
    start_of, next_of, key = _grain(grain)
    lo = date.fromisoformat(date_from) if date_from else None
    hi = date.fromisoformat(date_to) if date_to else None
    first = None if lo is None else (lo if start_of(lo) == lo else next_of(lo))
    last_end = None if hi is None else (next_of(hi) if next_of(hi) - timedelta(days=1) == hi else start_of(hi))
    # Whole periods run from `first` (inclusive) to `last_end` (exclusive).
    if first is not None and last_end is not None and first >= last_end:
        return None, [(date_from, date_to)]
    days = []
    if lo is not None and lo < first:
        days.append((date_from, (first - timedelta(days=1)).isoformat()))
    if hi is not None and hi >= last_end:
        days.append((last_end.isoformat(), date_to))
    last = None if last_end is None else key(start_of(last_end - timedelta(days=1)))
    return (None if first is None else key(first), last), days


def _range_union(columns, where, params, date_from, date_to, coarse, fine, grain="m", weeks=False):
    """SQL and params of the rows a range covers: whole periods (grain rows of `coarse`), the ends from `fine`.

    `coarse` is a table with grain and period columns; `fine` is (table, day column, condition,
    bucket expression). With `weeks`, whole weeks at the ends come from the coarse table too, so at
    most six days at each end are read day by day. Without dates, the all-time rows (grain 'a').
    """
    if not date_from and not date_to:
        return f"SELECT '' AS bucket, {columns} FROM {coarse} WHERE grain = 'a' AND {where}", list(params)
    parts, values = [], []

    def whole(grain_name, first, last):
        conditions, args = [f"grain = '{grain_name}'", where], list(params)
        for op, bound in ((">=", first), ("<=", last)):
            if bound:
                conditions.append(f"period {op} ?")
                args.append(bound)
        parts.append(f"SELECT period AS bucket, {columns} FROM {coarse} WHERE {' AND '.join(conditions)}")
        values.extend(args)

    periods, days = split_range(date_from, date_to, "month" if grain == "m" else "week")
    if periods is not None:
        whole(grain, *periods)
    if weeks and grain == "m":
        ends, days = days, []
        for lo, hi in ends:
            inner, rest = split_range(lo, hi, "week")
            if inner is not None:
                whole("w", *inner)
            days += rest
    table, day_column, condition, bucket = fine
    for lo, hi in days:
        parts.append(
            f"SELECT {bucket} AS bucket, {columns} FROM {table}"
            f" WHERE {condition} AND {where} AND [{day_column}] BETWEEN ? AND ?"
        )
        values += [*params, lo, hi]
    return " UNION ALL ".join(parts), values


ACTIVITY_DAYS = ("report_days", "day", "1 = 1", "day")
TAG_DAYS = ("report_tags", "period", "grain = 'd'", "period")
WEEK_DAYS = ("report_days", "day", "1 = 1", "date(day, 'weekday 0', '-6 days')")


# --- the dashboard -------------------------------------------------------------------------


def _code_filter(scope, units, filters, db):
    """(sql, params, whole): commune_code limited to the scope and filters; `whole` when that is everything.

    Commune rows never include the '*' rows (the whole installation); `whole` says those may be
    read instead of summing every commune (a central admin with no district or commune filter).
    """
    scope_sql, scope_params = scope.where("commune_code")
    scope_sql = f"({scope_sql}) AND commune_code != '{ALL}'"
    if not filters.district and not filters.communes:
        return scope_sql, scope_params, scope.is_central
    codes = {row[0] for row in db.execute("SELECT DISTINCT commune_code FROM report_periods WHERE grain = 'a'")}
    if filters.communes:
        codes &= units.candidate_codes(filters.communes) | set(filters.communes)
    chosen = units.codes_for(sorted(codes - {ALL}), set(filters.communes) or None, filters.district)
    if not chosen:
        return "0 = 1", [], False
    marks = ", ".join("?" for _ in chosen)
    return f"{scope_sql} AND commune_code IN ({marks})", [*scope_params, *chosen], False


def _sum_sql():
    return ", ".join(f"SUM([{m}]) AS [{m}]" for m in METRICS)


def commune_sums(db, where, params, filters):
    """{record code: {metric: sum}} over the filters' dates."""
    columns = ", ".join(f"[{m}]" for m in METRICS) + ", commune_code"
    union, values = _range_union(
        columns, where, params, filters.date_from, filters.date_to, "report_periods", ACTIVITY_DAYS, weeks=True
    )
    sql = f"SELECT commune_code, {_sum_sql()} FROM ({union}) GROUP BY commune_code HAVING SUM(records) > 0"
    return {row[0]: dict(zip(METRICS, row[1:], strict=True)) for row in db.execute(sql, values)}


def tag_sums(db, where, params, filters):
    """{record code: {tag: records}} of channels and topics over the filters' dates."""
    union, values = _range_union(
        "commune_code, tag, records", where, params, filters.date_from, filters.date_to, "report_tags", TAG_DAYS
    )
    result = {}
    sql = f"SELECT commune_code, tag, SUM(records) FROM ({union}) GROUP BY commune_code, tag HAVING SUM(records) > 0"
    for code, tag, count in db.execute(sql, values):
        result.setdefault(code, {})[tag] = count
    return result


def weekly_trend(db, where, params, filters, today):
    """[(monday ISO, sessions, broadcasts, records)] for the last weeks of the range (or up to today)."""
    end = date.fromisoformat(filters.date_to or today)
    bounds = db.execute(
        f"SELECT MIN(period), MAX(period) FROM report_periods WHERE grain = 'w' AND {where} AND records > 0"
        + (" AND period <= ?" if filters.date_to else ""),
        [*params, *([filters.date_to] if filters.date_to else [])],
    ).fetchone()
    if bounds[1] and date.fromisoformat(bounds[1]) < _week_start(end) - timedelta(weeks=TREND_WEEKS - 1):
        # Nothing in the last weeks: show the last weeks that had records rather than an empty chart.
        end = date.fromisoformat(bounds[1]) + timedelta(days=6)
    start = _week_start(end) - timedelta(weeks=TREND_WEEKS - 1)
    if filters.date_from and date.fromisoformat(filters.date_from) > start:
        start = date.fromisoformat(filters.date_from)
    if bounds[0] and date.fromisoformat(bounds[0]) > start:
        # No empty weeks before the first record: the chart starts where the work did.
        start = date.fromisoformat(bounds[0])
    union, values = _range_union(
        "sessions, broadcasts, records",
        where,
        params,
        start.isoformat(),
        end.isoformat(),
        "report_periods",
        WEEK_DAYS,
        grain="w",
    )
    rows = {
        row[0]: row[1:]
        for row in db.execute(
            f"SELECT bucket, SUM(sessions), SUM(broadcasts), SUM(records) FROM ({union}) GROUP BY bucket", values
        )
    }
    weeks, monday = [], _week_start(start)
    while monday <= end:
        weeks.append((monday.isoformat(), *rows.get(monday.isoformat(), (0, 0, 0))))
        monday += timedelta(days=7)
    return weeks


def _merge(row, sums, raw_code):
    """Add another record code's figures to a reporting commune (codes of both eras)."""
    row.raw_codes.append(raw_code)
    for key, value in sums.items():
        row.sums[key] += value or 0


def _in(codes):
    return ", ".join("?" for _ in codes)


def _page_details(db, rows, filters, today):
    """Fill the costlier figures (last session, groups reached, posters, runs) for the rows shown."""
    by_code = {code: row for row in rows for code in row.raw_codes}
    if not by_code:
        return
    codes = list(by_code)
    marks = _in(codes)
    lo, hi = filters.date_from or "0000-00-00", filters.date_to or "9999-99-99"
    since = (date.fromisoformat(today) - timedelta(days=REACHED_DAYS)).isoformat()
    for code, last in db.execute(
        f"SELECT commune_code, MAX(day) FROM report_days WHERE commune_code IN ({marks}) AND sessions > 0"
        " AND day BETWEEN ? AND ? GROUP BY commune_code",
        [*codes, lo, hi],
    ):
        row = by_code[code]
        row.last_session = max(filter(None, (row.last_session, last)))
    for code, count in db.execute(
        f"SELECT commune_code, COUNT(DISTINCT group_uuid) FROM report_days WHERE commune_code IN ({marks})"
        " AND sessions > 0 AND group_uuid != '' AND day BETWEEN ? AND ? GROUP BY commune_code",
        [*codes, since, today],
    ):
        by_code[code].groups_reached += count
    for code, count in db.execute(
        f"SELECT commune_code, COUNT(*) FROM residential_groups WHERE active = 1 AND commune_code IN ({marks})"
        " GROUP BY commune_code",
        codes,
    ):
        by_code[code].groups += count
    for code, count in db.execute(
        f"SELECT commune_code, COUNT(*) FROM posters WHERE status = 'posted' AND commune_code IN ({marks})"
        " GROUP BY commune_code",
        codes,
    ):
        by_code[code].posters_up += count
    for code, count in db.execute(
        f"SELECT commune_code, COUNT(*) FROM poster_scans WHERE commune_code IN ({marks})"
        " AND substr(scanned_at, 1, 10) BETWEEN ? AND ? GROUP BY commune_code",
        [*codes, lo, hi],
    ):
        by_code[code].scans += count
    days = {}
    for code, day in db.execute(
        f"SELECT DISTINCT commune_code, day FROM report_days WHERE commune_code IN ({marks}) AND broadcasts > 0"
        " AND day BETWEEN ? AND ? ORDER BY commune_code, day",
        [*codes, lo, hi],
    ):
        days.setdefault(by_code[code].code, set()).add(day)
    for row in rows:
        row.broadcast_runs = count_runs(days.get(row.code, ()))


def count_runs(days, length=RUN_DAYS):
    """How many runs of at least `length` consecutive days the ISO days hold."""
    ordered = sorted(date.fromisoformat(d) for d in set(days))
    runs, current, previous = 0, 0, None
    for day in ordered:
        current = current + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        if current == length:
            runs += 1
        previous = day
    return runs


def group_rows(db, scope, commune_codes, filters, today):
    """Residential groups of the communes (all held codes): PAPI-sampled first, each with its figures."""
    codes = [c for c in commune_codes if scope.allows(c)]
    if not codes:
        return []
    marks = _in(codes)
    lo, hi = filters.date_from or "0000-00-00", filters.date_to or "9999-99-99"
    since = (date.fromisoformat(today) - timedelta(days=REACHED_DAYS)).isoformat()
    figures = {}
    for row in db.execute(
        f"SELECT group_uuid, {_sum_sql()}, MAX(CASE WHEN sessions > 0 THEN day END),"
        " MAX(CASE WHEN sessions > 0 AND day >= ? THEN 1 ELSE 0 END)"
        f" FROM report_days WHERE commune_code IN ({marks}) AND day BETWEEN ? AND ? GROUP BY group_uuid",
        [since, *codes, lo, hi],
    ):
        figures[row[0]] = row[1:]
    posters = dict(
        db.execute(
            f"SELECT group_uuid, COUNT(*) FROM posters WHERE status = 'posted' AND commune_code IN ({marks})"
            " GROUP BY group_uuid",
            codes,
        ).fetchall()
    )
    result = []
    for group in db.execute(
        f"SELECT g.uuid, g.name, g.commune_code, {sampled_sql(db)}, g.active FROM residential_groups AS g"
        f" WHERE g.commune_code IN ({marks}) ORDER BY g.name_key",
        codes,
    ):
        uuid, name, commune, sampled, active = group
        found = figures.get(uuid)
        if not active and not found:
            continue
        row = Row(uuid, name, commune)
        row.sampled = bool(sampled)
        if found:
            row.sums = dict(zip(METRICS, found[: len(METRICS)], strict=True))
            row.last_session = found[len(METRICS)]
            row.groups_reached = found[len(METRICS) + 1]
        row.posters_up = posters.get(uuid, 0)
        result.append(row)
    result.sort(key=lambda r: not r.sampled)
    return result


def sampled_sql(db):
    """SQL true for a group g in a PAPI sample: a year on its roster row, or in a survey year's sample."""
    roster = "COALESCE(g.papi_years, '[]') != '[]'"
    if "survey_samples" not in db.table_names():
        return f"({roster})"
    return (
        f"({roster} OR EXISTS (SELECT 1 FROM survey_samples AS ss WHERE ss.removed = 0"
        " AND ss.group_key = g.name_key AND g.commune_code IN (ss.commune_code, ss.commune_code_2025)))"
    )


def sampled_unreached(db, where, params, today, units):
    """PAPI-sampled groups in the scope with no session in the last 30 days: [(group, commune name, uuid)]."""
    since = (date.fromisoformat(today) - timedelta(days=REACHED_DAYS)).isoformat()
    rows = db.execute(
        "SELECT g.name, g.commune_code, g.uuid FROM residential_groups AS g"
        f" WHERE g.active = 1 AND {sampled_sql(db)} AND ({where})"
        " AND NOT EXISTS (SELECT 1 FROM report_days AS d WHERE d.commune_code = g.commune_code"
        " AND d.group_uuid = g.uuid AND d.sessions > 0 AND d.day BETWEEN ? AND ?)"
        " ORDER BY g.commune_code, g.name_key",
        [*params, since, today],
    ).fetchall()
    return [(name, units.target(code).name, uuid) for name, code, uuid in rows]


def silent_sites(db, today, days):
    """Sites (sync's `sites` table) not heard from in `days` days, never-heard first; None without that table."""
    if "sites" not in db.table_names():
        return None
    cutoff = (date.fromisoformat(today) - timedelta(days=days)).isoformat()
    return [
        {"name": row[0], "heard": row[1]}
        for row in db.execute(
            "SELECT name, last_sync_at FROM sites WHERE last_sync_at IS NULL OR substr(last_sync_at, 1, 10) < ?"
            " ORDER BY last_sync_at IS NOT NULL, last_sync_at, name",
            [cutoff],
        )
    ]


def dashboard(db, scope, filters, today=None, page=1, page_size=PAGE_SIZE, silent_days=14):
    """Every figure of the dashboard for a user: totals, a page of communes, charts, groups."""
    today = today or date.today().isoformat()
    units = UnitMap(db, filters.era)
    where, params, whole = _code_filter(scope, units, filters, db)
    rows = {}
    for raw_code, values in commune_sums(db, where, params, filters).items():
        unit = units.target(raw_code)
        row = rows.get(unit.code)
        if row is None:
            rows[unit.code] = Row(unit.code, unit.name, unit.parent_code, unit.parent_name, [raw_code], values)
        else:
            _merge(row, values, raw_code)
    communes = sorted(rows.values(), key=lambda r: units.sort_key(r.code))
    total = Row("", "")
    districts = {}
    for row in communes:
        district = districts.setdefault(row.parent_code, Row(row.parent_code, row.parent_name))
        district.commune_count += 1
        for key, value in row.sums.items():
            total.sums[key] += value
            district.sums[key] += value
    pages = max(1, -(-len(communes) // page_size))
    page = min(max(1, page), pages)
    shown = communes[(page - 1) * page_size : page * page_size]
    _page_details(db, shown, filters, today)
    # The whole installation's channels, topics and weeks are its '*' rows: a few rows, not every commune's.
    overall = (f"commune_code = '{ALL}'", []) if whole else (where, params)
    channel_totals, topic_totals = {}, {}
    for counts in tag_sums(db, *overall, filters).values():
        for tag, count in counts.items():
            kind, _, value = tag.partition(":")
            totals = channel_totals if kind == "channel" else topic_totals
            totals[value] = totals.get(value, 0) + count
    shown_by_raw = {code: row for row in shown for code in row.raw_codes}
    if shown_by_raw:
        page_where = f"commune_code IN ({_in(shown_by_raw)})"
        for raw_code, counts in tag_sums(db, page_where, list(shown_by_raw), filters).items():
            topics = shown_by_raw[raw_code].topics
            for tag, count in counts.items():
                if tag.startswith("topic:"):
                    topics[tag[6:]] = topics.get(tag[6:], 0) + count
    groups = []
    if len(communes) == 1:
        groups = group_rows(db, scope, communes[0].raw_codes, filters, today)
        total.last_session = communes[0].last_session
    return Dashboard(
        filters=filters,
        today=today,
        total=total,
        communes=shown,
        page=page,
        pages=pages,
        districts=sorted(districts.values(), key=lambda r: fold(r.name)),
        trend=weekly_trend(db, *overall, filters, today),
        channels=[(value, str(label), channel_totals.get(value, 0)) for value, label in OUTREACH_CHANNELS],
        topics=[(value, str(label), topic_totals.get(value, 0)) for value, label in topic_labels()],
        groups=groups,
        silent_sites=silent_sites(db, today, silent_days) if scope.is_central else None,
        commune_total=len(communes),
        sampled_unreached=sampled_unreached(db, where, params, today, units),
        parents=units.parents(),
    )


def topic_labels():
    """The eight PAPI dimensions, then the law and the survey itself, as (id, label)."""
    from flask_babel import lazy_gettext as _l

    extra = (
        ("grassroots_democracy_law", _l("Luật Thực hiện dân chủ ở cơ sở")),
        ("survey_participation", _l("Tham gia trả lời khảo sát PAPI")),
    )
    return (*PAPI_DIMENSIONS, *extra)
