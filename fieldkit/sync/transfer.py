"""Rows in and out of bundles: which rows a table sends, and how received rows are checked and stored.

Import is batched SQL: one query finds which received keys exist, one `executemany` inserts the
new rows; Python only compares tuples. Each row's result is created, unchanged, updated (a newer
version of a mutable row from its own site) or conflict (kept in sync_conflicts, never written over).
"""

import hashlib
import json

from flask_babel import gettext as _

from .bundle import Refused

RESULTS = ("created", "unchanged", "updated", "conflict")
TYPES = {str: (str,), int: (int,), float: (int, float)}


def column_types(db, rule):
    """{column: python type} of a registered table, as the database has it now."""
    columns = db[rule.table].columns_dict
    if not columns:
        raise Refused(_("Máy này chưa có bảng %(table)s; hãy cập nhật fieldkit.", table=rule.table))
    return columns


def sent_columns(db, rule, config):
    """The columns a table sends: all but the local id and what the rule keeps at home."""
    held_back = set(rule.exclude) | {col for col, key in rule.exclude_unless.items() if not config.get(key)}
    return [c for c in column_types(db, rule) if c not in held_back and not (c == "id" and "id" not in rule.key)]


def collect(db, rule, config, after, upto, own_site=None):
    """Rows of one table for a bundle: seq in (after, upto], or all of it for a snapshot."""
    columns = sent_columns(db, rule, config)
    where, params = [], []
    if not rule.snapshot:
        where.append("seq > ? AND seq <= ?")
        params += [after, upto]
    if own_site and rule.up and rule.down:
        # A table that travels both ways sends up only what this site made, not what came down.
        where.append("origin_site = ?")
        params.append(own_site)
    sql = f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{rule.table}]"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq" if not rule.snapshot else ""
    return [dict(zip(columns, row, strict=True)) for row in db.execute(sql, params)]


def parse_rows(db, rule, content, communes=None):
    """Decode and check one table's JSON Lines; raise Refused naming the first bad line."""
    types = column_types(db, rule)
    allowed = {c for c in types if c != "id" or "id" in rule.key}
    checks = {c: TYPES.get(t, (str, int, float)) for c, t in types.items()}
    required = set(rule.key) | ({"uuid", "origin_site"} & set(types))
    if communes is not None and rule.commune_column:
        required.add(rule.commune_column)
    rows, known_keys = [], None
    for number, line in enumerate(content.split(b"\n"), start=1):
        if not line:
            continue
        try:
            row = json.loads(line)
        except ValueError:
            raise Refused(_("Bảng %(table)s, dòng %(line)s: không phải JSON.", table=rule.table, line=number)) from None
        if type(row) is not dict:
            raise Refused(_("Bảng %(table)s, dòng %(line)s: không phải JSON.", table=rule.table, line=number))
        keys = row.keys()
        if keys != known_keys:
            unknown = keys - allowed
            if unknown:
                raise Refused(
                    _(
                        "Bảng %(table)s, dòng %(line)s: cột lạ %(column)s.",
                        table=rule.table,
                        line=number,
                        column=sorted(unknown)[0][:40],
                    )
                )
            known_keys = keys
        for column, value in row.items():
            if value is not None and (type(value) not in checks[column]):
                raise Refused(
                    _(
                        "Bảng %(table)s, dòng %(line)s: giá trị của cột %(column)s sai kiểu.",
                        table=rule.table,
                        line=number,
                        column=column,
                    )
                )
        for column in required:
            value = row.get(column)
            if value is None or value == "":
                raise Refused(
                    _("Bảng %(table)s, dòng %(line)s: thiếu %(column)s.", table=rule.table, line=number, column=column)
                )
        if communes is not None and rule.commune_column and row[rule.commune_column] not in communes:
            raise Refused(
                _(
                    "Bảng %(table)s, dòng %(line)s: xã %(commune)s không thuộc máy đã gửi gói.",
                    table=rule.table,
                    line=number,
                    commune=str(row[rule.commune_column])[:10],
                )
            )
        rows.append(row)
    return rows


def apply_rows(db, rule, rows, from_site, now, authority=False):
    """Store checked rows inside the caller's transaction; return {result: [row keys]}.

    With `authority` (a site receiving from Sở Nội vụ) the sender's newer version of a mutable row
    replaces the one held whoever made it, as the central decides what content is current.
    """
    types = column_types(db, rule)
    columns = [c for c in types if c not in ("id", "seq") or c in rule.key]
    key_at = [columns.index(k) for k in rule.key]
    results = {name: [] for name in RESULTS}
    if not rows:
        return results

    def key_of(values):
        return values[key_at[0]] if len(key_at) == 1 else "/".join(str(values[i]) for i in key_at)

    compared = [i for i, c in enumerate(columns) if c not in rule.local]

    def same(held, values):
        return held == values or (len(compared) < len(columns) and all(held[i] == values[i] for i in compared))

    incoming = [tuple(map(row.get, columns)) for row in rows]
    existing = _existing(db, rule, columns, [key_of(values) for values in incoming])
    versions = _versions(db, rule) if rule.mutable else {}
    new, updated, conflicts, seen = [], [], [], {}
    for row, values in zip(rows, incoming, strict=True):
        key = key_of(values)
        held = seen.get(key) or existing.get(key)
        if held is None:
            new.append(values)
            seen[key] = values
            results["created"].append(key)
        elif same(held, values):
            results["unchanged"].append(key)
        elif rule.mutable and _newer(row, values, columns, held, versions.get(key), from_site, authority):
            updated.append((values, row.get("seq")))
            seen[key] = values
            results["updated"].append(key)
        elif (
            rule.mutable
            and (authority or row.get("origin_site") == from_site)
            and versions.get(key, -1) >= (row.get("seq") or 0)
        ):
            results["unchanged"].append(key)  # an older version replayed: the newer one stays
        else:
            conflicts.append((key, values))
            results["conflict"].append(key)
    # Updates first: a row renamed here frees its old name (a unique column) for a new row in the same bundle.
    if updated:
        assignments = ", ".join(f"[{c}] = ?" for c in columns)
        where = " AND ".join(f"[{k}] = ?" for k in rule.key)
        db.conn.executemany(
            f"UPDATE [{rule.table}] SET {assignments} WHERE {where}",
            [(*values, *(values[i] for i in key_at)) for values, _ in updated],
        )
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f"[{c}]" for c in columns)
    cursor = db.conn.executemany(f"INSERT OR IGNORE INTO [{rule.table}] ({names}) VALUES ({marks})", new)
    if cursor.rowcount != len(new):
        # Another unique constraint (an edit of a version already replaced here): those become conflicts.
        stored = _existing(db, rule, columns, [key_of(values) for values in new])
        for values in new:
            held = stored.get(key_of(values))
            if held is None or not same(held, values):
                results["created"].remove(key_of(values))
                results["conflict"].append(key_of(values))
                conflicts.append((key_of(values), values))
    if rule.mutable:
        fresh = [(rule.table, key_of(v), row.get("seq") or 0) for row, v in zip(rows, incoming, strict=True)]
        kept = set(results["created"]) | set(results["updated"])
        db.conn.executemany(
            "INSERT INTO sync_row_versions (table_name, row_key, origin_seq) VALUES (?, ?, ?)"
            " ON CONFLICT (table_name, row_key) DO UPDATE SET origin_seq = max(origin_seq, excluded.origin_seq)",
            [entry for entry in fresh if entry[1] in kept],
        )
    if conflicts:
        db.conn.executemany(
            "INSERT OR IGNORE INTO sync_conflicts (from_site, table_name, row_key, content_sha256, row, received_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(from_site, rule.table, str(key), *_content(columns, values), now) for key, values in conflicts],
        )
    return results


def _newer(row, values, columns, held, origin_seq, from_site, authority=False):
    """A mutable row's newer version from the site that made it (or from the authority)."""
    seq = row.get("seq")
    if authority:
        return isinstance(seq, int) and (origin_seq is None or seq > origin_seq)
    origin = values[columns.index("origin_site")] if "origin_site" in columns else None
    return (
        origin == from_site
        and held[columns.index("origin_site")] == from_site
        and isinstance(seq, int)
        and origin_seq is not None
        and seq > origin_seq
    )


def _existing(db, rule, columns, keys):
    names = ", ".join(f"[{c}]" for c in columns)
    if rule.key == ("uuid",):
        found = db.execute(
            f"SELECT {names} FROM [{rule.table}] WHERE uuid IN (SELECT value FROM json_each(?))", [json.dumps(keys)]
        )
        at = columns.index("uuid")
        return {values[at]: values for values in found}
    key_at = [columns.index(k) for k in rule.key]
    result = {}
    for values in db.execute(f"SELECT {names} FROM [{rule.table}]"):
        key = values[key_at[0]] if len(key_at) == 1 else "/".join(str(values[i]) for i in key_at)
        result[key] = values
    return result


def _versions(db, rule):
    return dict(db.execute("SELECT row_key, origin_seq FROM sync_row_versions WHERE table_name = ?", [rule.table]))


def _content(columns, values):
    text = json.dumps(dict(zip(columns, values, strict=True)), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest(), text
