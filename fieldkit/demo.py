"""Demo data for `fieldkit init --demo`, clearly marked as such.

A site's demo is Xã Bảo Hà (02989, Bảo Yên, 2023 era). Each area adds its own demo rows
with `add_demo_loader`; loaders run in order and get the database, the app and the role.
"""

DEMO_COMMUNE = "02989"
DEMO_PASSWORD = "demo-baoha-2026"
# On a central, demo data of a few sites' communes, Bảo Hà among them.
CENTRAL_DEMO_COMMUNES = ("02989", "02905", "02947", "02647")

DEMO_USERS = (
    # username, role, display name, communes
    ("canbo.baoha", "officer", "Hoàng Thị Lan (DEMO)", (DEMO_COMMUNE,)),
    ("quantri.baoha", "commune_admin", "Nguyễn Văn Hùng (DEMO)", (DEMO_COMMUNE,)),
    ("sonoivu", "central_admin", "Sở Nội vụ (DEMO)", ()),
)


def add_demo_loader(app, loader, order=50):
    """Register `loader(db, app, role)` to run on `fieldkit init --demo`."""
    app.extensions.setdefault("fieldkit.demo", []).append((order, loader))


def load_demo(db, app, role):
    """Run every registered demo loader once; return False when demo data is already there."""
    if db.execute("SELECT 1 FROM meta WHERE key = 'demo_loaded'").fetchone():
        return False
    with db.atomic():
        for _, loader in sorted(app.extensions.get("fieldkit.demo", []), key=lambda item: item[0]):
            loader(db, app, role)
        db["meta"].upsert({"key": "demo_loaded", "value": role}, pk="key")
    return True


def demo_users(db, app, role):
    from .auth.users import create_user

    hasher = app.extensions["fieldkit.hasher"]
    for username, user_role, display_name, communes in DEMO_USERS:
        if role == "site" and user_role == "central_admin":
            continue
        create_user(db, hasher, username, DEMO_PASSWORD, user_role, communes, display_name)
