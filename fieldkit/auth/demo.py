"""Demo logins for `fieldkit init --demo` (Xã Bảo Hà), printed by `init` and `serve` on a demo instance."""

from ..demo import DEMO_COMMUNE

DEMO_PASSWORD = "demo-baoha-2026"

DEMO_USERS = (
    # username, role, display name, communes
    ("canbo.baoha", "officer", "Hoàng Thị Lan (DEMO)", (DEMO_COMMUNE,)),
    ("quantri.baoha", "commune_admin", "Nguyễn Văn Hùng (DEMO)", (DEMO_COMMUNE,)),
    ("sonoivu", "central_admin", "Sở Nội vụ (DEMO)", ()),
)


def demo_users(db, app, role):
    """The demo accounts; a site has no central admin."""
    from .users import create_user

    hasher = app.extensions["fieldkit.hasher"]
    for username, user_role, display_name, communes in DEMO_USERS:
        if role == "site" and user_role == "central_admin":
            continue
        create_user(db, hasher, username, DEMO_PASSWORD, user_role, communes, display_name)


def demo_logins(role):
    """(username, password, role) of each demo account on an instance of `role`."""
    return [
        (username, DEMO_PASSWORD, user_role)
        for username, user_role, _, _ in DEMO_USERS
        if not (role == "site" and user_role == "central_admin")
    ]
