"""Demo implementation documents on a central: the three bodies the 26/9/2023 notice named as having
issued one by 30/9/2023 (Sở Kế hoạch và Đầu tư, Sở Nội vụ, Si Ma Cai district), others later or not
at all. Numbers, dates and titles are invented and marked as demo; only who issued by 30/9/2023 is
from the notice (Sở Nội vụ's document 1214/SNV-CCHC&VTLT of 26/9/2023)."""

from ..auth.scope import SYSTEM
from . import documents

DEPARTMENTS = ("Sở Kế hoạch và Đầu tư", "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính")
# body name, number, ISO date, instrument
DEMO_DOCUMENTS = (
    ("Sở Kế hoạch và Đầu tư", "DEMO-01/KH-SKHĐT", "2023-04-20", "plan_166"),
    ("Sở Nội vụ", "DEMO-02/KH-SNV", "2023-04-28", "plan_166"),
    ("Huyện Si Ma Cai", "DEMO-03/KH-UBND", "2023-09-12", "directive_10"),
    ("Huyện Bảo Yên", "DEMO-04/KH-UBND", "2023-10-16", "directive_10"),
    ("Thành phố Lào Cai", "DEMO-05/KH-UBND", "2023-11-02", "directive_10"),
)


def demo_documents(db, app, role):
    """Expected bodies (departments and the 2023 districts) and a few marked demo documents."""
    if role != "central":
        return
    for name in DEPARTMENTS:
        documents.add_body(db, SYSTEM, name, "department")
    ids = {}
    for code, name in db.execute("SELECT code, name FROM units WHERE era = '2023' AND level = 'district'").fetchall():
        ids[name] = documents.add_body(db, SYSTEM, name, "district", code)["id"]
    for body in documents.bodies(db):
        ids[body["name"]] = body["id"]
    for name, number, day, instrument in DEMO_DOCUMENTS:
        documents.add_document(
            db,
            SYSTEM,
            None,
            ids[name],
            number,
            day,
            f"Kế hoạch triển khai nâng cao Chỉ số PAPI (DỮ LIỆU MẪU) - {name}",
            instrument,
        )
