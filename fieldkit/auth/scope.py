"""The one place commune scoping is enforced.

Every query for commune data goes through a Scope: `scope.where()` gives the SQL condition
for the user's communes, `scope.rows()` runs a scoped query, and `scope.require()` refuses a
commune the user does not hold. A central admin holds every commune.
"""

from dataclasses import dataclass

from werkzeug.exceptions import Forbidden

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
        """Raise 403 unless the user holds this commune."""
        if not self.allows(commune_code):
            raise Forbidden()
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
        """One row by primary key, or 404 when it does not exist or is outside the scope.

        Answering 404 rather than 403 does not tell a guesser that the id exists.
        """
        from werkzeug.exceptions import NotFound

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
