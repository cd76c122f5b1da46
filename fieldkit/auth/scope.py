"""The one place commune scoping is enforced.

Every query for commune data goes through a Scope: `scope.where()` gives the SQL condition
for the user's communes, `scope.rows()` runs a scoped query, and `scope.require()` refuses a
commune the user does not hold. A central admin holds every commune.

`resolve_commune()` is the one answer to "which commune is this page about": every page that works
on the user's commune asks it (through `access.page_commune()`), so they all behave alike.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..errors import Forbidden, NotFound
from ..units.units import ERAS, commune_by_code, list_communes

ROLES = ("officer", "commune_admin", "central_admin")


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    username: str
    role: str
    # None means every commune (central admin); otherwise the codes the user holds.
    communes: frozenset | None
    display_name: str = ""

    @property
    def is_central(self):
        return self.communes is None

    def allows(self, commune_code):
        """True when the user may read and write this commune's data."""
        return self.communes is None or commune_code in self.communes

    def require(self, commune_code):
        """Raise Forbidden (403) unless the user holds this commune."""
        if not self.allows(commune_code):
            raise Forbidden(_l("Tài khoản của bạn không được giao xã, phường này."))
        return commune_code

    def where(self, column="commune_code"):
        """Return (sql, params) limiting `column` to the user's communes."""
        if self.communes is None:
            return "1 = 1", []
        if not self.communes:
            return "0 = 1", []
        marks = ", ".join("?" for _ in self.communes)
        return f"[{column}] IN ({marks})", sorted(self.communes)

    def rows(self, table, where=None, params=(), column="commune_code", **kwargs):
        """Rows of a sqlite-utils table, limited to the user's communes, plus any condition."""
        scope_sql, scope_params = self.where(column)
        sql = scope_sql if not where else f"({scope_sql}) AND ({where})"
        return table.rows_where(sql, [*scope_params, *params], **kwargs)

    def count(self, table, where=None, params=(), column="commune_code"):
        """Count the rows `rows()` would give."""
        scope_sql, scope_params = self.where(column)
        sql = scope_sql if not where else f"({scope_sql}) AND ({where})"
        return table.count_where(sql, [*scope_params, *params])

    def get(self, table, pk, column="commune_code"):
        """One row by primary key, or NotFound (404) when it does not exist or is outside the scope.

        Answering 404 rather than 403 does not tell a guesser that the id exists.
        """
        pk_column = table.pks[0]
        found = list(self.rows(table, f"[{pk_column}] = ?", [pk], column=column, limit=1))
        if not found:
            raise NotFound()
        return found[0]

    def can(self, *roles):
        return self.role in roles


SYSTEM = Scope(user_id=None, username="system", role="central_admin", communes=None)


def scope_for(user, communes):
    """Build the Scope of a user row and the commune codes linked to it."""
    held = None if user["role"] == "central_admin" else frozenset(communes)
    return Scope(user["id"], user["username"], user["role"], held, user.get("display_name") or user["username"])


def resolve_commune(db, scope, requested=None):
    """The commune (its units row) a page works on, or None when the user must pick one.

    One behaviour for every page: a user holding one commune gets that one; a user holding several
    (or a central admin, who holds all) gets the one asked for, and None — the picker — when none was
    asked for; a user holding none is refused. A commune asked for that the user does not hold is
    refused (403) before it is looked up; a code that is no commune is NotFound.
    """
    if scope.communes is not None and not scope.communes:
        raise Forbidden(_l("Tài khoản của bạn chưa được giao xã, phường nào."))
    if not requested:
        if scope.communes is None or len(scope.communes) > 1:
            return None
        (requested,) = scope.communes
    scope.require(requested)
    commune = commune_by_code(db, requested)
    if commune is None:
        raise NotFound(_l("Không có xã, phường mã %(code)s.", code=requested))
    return commune


def commune_choices(db, scope):
    """The communes the picker offers: the user's own, or every commune of both eras for a central admin."""
    if scope.communes is None:
        return [commune for era in ERAS for commune in list_communes(db, era)]
    return [c for c in (commune_by_code(db, code) for code in sorted(scope.communes)) if c]
