"""Demo data for `fieldkit init --demo`, clearly marked as such.

A site's demo is Xã Bảo Hà (02989, Bảo Yên, 2023 era). Each area adds its own demo rows
with `add_demo_loader`; loaders run in order and get the database, the app and the role.
"""

DEMO_COMMUNE = "02989"
# On a central, demo data of a few sites' communes, Bảo Hà among them.
CENTRAL_DEMO_COMMUNES = ("02989", "02905", "02947", "02647")


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
