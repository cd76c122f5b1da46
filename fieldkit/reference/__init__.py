"""Shared reference lists: PAPI dimensions, outreach channels, ethnic groups, languages.

Labels are Vietnamese message ids (lazy), so they show in the user's language. Ids are stable:
records and form definitions store the id, never the label.
"""

import csv
from pathlib import Path

from flask_babel import lazy_gettext as _l

HERE = Path(__file__).parent

# The eight PAPI dimensions since 2018, in PAPI's order and with the Vietnamese names PAPI uses.
PAPI_DIMENSIONS = (
    ("participation", _l("Tham gia của người dân ở cấp cơ sở")),
    ("transparency", _l("Công khai, minh bạch trong việc ra quyết định ở địa phương")),
    ("accountability", _l("Trách nhiệm giải trình với người dân")),
    ("corruption", _l("Kiểm soát tham nhũng trong khu vực công")),
    ("procedures", _l("Thủ tục hành chính công")),
    ("services", _l("Cung ứng dịch vụ công")),
    ("environment", _l("Quản trị môi trường")),
    ("egovernance", _l("Quản trị điện tử")),
)

# The ways a commune reaches residents (the provincial instruction and Art. 12 of Law 10/2022/QH15).
OUTREACH_CHANNELS = (
    ("loudspeaker", _l("Loa truyền thanh")),
    ("village_meeting", _l("Họp thôn, tổ dân phố")),
    ("party_cell", _l("Sinh hoạt chi bộ")),
    ("cultural_house_posting", _l("Niêm yết tại nhà văn hóa")),
    ("public_place", _l("Nơi công cộng đông người")),
    ("commune_conference", _l("Hội nghị của xã")),
    ("social_network", _l("Mạng xã hội, nhóm Zalo")),
    ("door_to_door", _l("Đến từng hộ gia đình")),
)

# Languages used at sessions in the three districts; more can be added without a migration.
LANGUAGES = (
    ("vi", _l("Tiếng Việt")),
    ("hmn", _l("Tiếng Mông")),
    ("dao", _l("Tiếng Dao")),
    ("tay", _l("Tiếng Tày")),
    ("nung", _l("Tiếng Nùng")),
    ("giay", _l("Tiếng Giáy")),
    ("other", _l("Tiếng khác")),
)


def ethnic_groups():
    """The 54 ethnic groups as (code, name), from the official list (names are proper nouns)."""
    with open(HERE / "ethnic-groups.csv", encoding="utf-8", newline="") as f:
        return tuple((row["code"], row["name"]) for row in csv.DictReader(f))


def choice_lists():
    """Every shared list by name, as (value, label) pairs."""
    return {
        "papi_dimensions": PAPI_DIMENSIONS,
        "channels": OUTREACH_CHANNELS,
        "languages": LANGUAGES,
        "ethnic_groups": ethnic_groups(),
    }
