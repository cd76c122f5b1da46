"""Demo residential groups of Xã Bảo Hà: names are illustrative, figures invented, all marked as demo."""

from ..auth.scope import SYSTEM
from ..demo import DEMO_COMMUNE
from ..instance import site_id
from .groups import add_group

DEMO_NOTE = "Dữ liệu mẫu (demo): tên thôn và số liệu chỉ để minh họa."

# name, kind, head, households, population, ethnic codes, languages, PAPI years, (lat, lon)
DEMO_GROUPS = (
    (
        "Thôn Bảo Vinh",
        "thon",
        "Nguyễn Văn Minh (mẫu)",
        182,
        731,
        ["01", "02"],
        ["vi", "tay"],
        [2023],
        (22.2031, 104.3458),
    ),
    ("Thôn Bảo Tân", "thon", "Hoàng Văn Tiến (mẫu)", 146, 598, ["02", "01"], ["vi", "tay"], [], (22.2093, 104.3384)),
    ("Thôn Bảo Ân", "thon", "Lý Thị Hoa (mẫu)", 121, 502, ["09", "02"], ["vi", "dao"], [2023], (22.1958, 104.3521)),
    ("Thôn Khe Bá", "thon", "Triệu Văn Sơn (mẫu)", 97, 433, ["09"], ["vi", "dao"], [], (22.2147, 104.3299)),
    ("Thôn Bản Lằn", "thon", "Giàng A Páo (mẫu)", 88, 412, ["08", "09"], ["vi", "hmn"], [], (22.2204, 104.3611)),
    ("Thôn Khe Ngàn", "thon", "Bàn Văn Quý (mẫu)", 73, 326, ["09", "02"], ["vi", "dao"], [], (22.1892, 104.3397)),
    ("Thôn Tân Thành", "thon", "Trần Thị Mai (mẫu)", 134, 541, ["01"], ["vi"], [], (22.2012, 104.3570)),
)


def demo_groups(db, app, role):
    """Add the demo groups to Bảo Hà, on a site and on a central alike."""
    site = site_id(app)
    for name, kind, head, households, population, ethnic, languages, years, (lat, lon) in DEMO_GROUPS:
        add_group(
            db,
            SYSTEM,
            site,
            DEMO_COMMUNE,
            {
                "name": name,
                "kind": kind,
                "head_name": head,
                "households": households,
                "population": population,
                "ethnic_groups": ethnic,
                "languages": languages,
                "papi_years": years,
                "cultural_house_name": f"Nhà văn hóa {name[0].lower()}{name[1:]}",
                "cultural_house_address": f"{name}, xã Bảo Hà",
                "cultural_house_lat": lat,
                "cultural_house_lon": lon,
                "notes": DEMO_NOTE,
            },
        )
