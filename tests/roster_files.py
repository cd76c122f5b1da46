"""Spreadsheets made the way communes make them, for the roster tests."""

import io
import unicodedata

from openpyxl import Workbook


def nfd(text):
    """Text as some keyboards and old files type it: decomposed Unicode."""
    return unicodedata.normalize("NFD", text)


def xlsx(rows, sheet_title="Sheet1"):
    """Bytes of an .xlsx whose first sheet holds `rows` from row 1."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def commune_roster():
    """A clean list as a commune office keeps it: title lines, a header in capitals, an STT column."""
    return xlsx(
        [
            ["UBND XÃ BẢO HÀ"],
            ["DANH SÁCH THÔN VÀ NHÀ VĂN HÓA NĂM 2025"],
            [],
            [
                "STT",
                "TÊN THÔN",
                "TRƯỞNG THÔN",
                "SỐ ĐIỆN THOẠI",
                "SỐ HỘ",
                "NHÂN KHẨU",
                "DÂN TỘC",
                "NHÀ VĂN HÓA",
                "TỌA ĐỘ GPS",
                "KHẢO SÁT PAPI",
            ],
            [
                1,
                "Thôn Bảo Vinh",
                "Nguyễn Văn An",
                "0912 345 678",
                182,
                731,
                "Kinh, Tày",
                "Nhà văn hóa thôn Bảo Vinh",
                "22.2031, 104.3458",
                "2023",
            ],
            [2, "Thôn Khe Bá", "Triệu Văn Sơn", "0987.654.321", 97, 433, "Dao", "Nhà văn hóa thôn Khe Bá", None, None],
            [3, "Bản Nặm Rịa", "Giàng A Páo", "+84 368 123 456", 88, 412, "Mông, Dao", None, None, "2021, 2023"],
        ]
    )


def messy_roster():
    """What a file really looks like after passing through several hands."""
    return xlsx(
        [
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            [None, "Danh sách thôn, tổ dân phố"],
            [],
            [
                None,
                nfd("stt"),
                nfd("Thôn/Tổ dân phố"),
                "truong thon",
                "SĐT",
                "Số hộ",
                "Số khẩu",
                nfd("Dân tộc"),
                "Ghi chú",
                "Cột tự thêm",
            ],
            [None, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
            [
                None,
                1,
                nfd("  Thôn   Bảo Vinh "),
                nfd("Nguyễn Văn An"),
                912345678,
                "1.204",
                "4,820",
                "kinh - tày",
                None,
                "x",
            ],
            [],
            [
                None,
                2,
                "TỔ DÂN PHỐ SỐ 1",
                "Lê Thị Bình",
                "0214 3 881 234",
                "1 050",
                "3.987 khẩu",
                "Kinh",
                nfd("Gần chợ"),
                None,
            ],
            [None, None, None, None, None, None, None, None, None],
            [None, 3, "Bản Khuổi Phường", "Hoàng Văn Chí", "84 98 765 4321", 95.0, 410, "Dao đỏ; H'Mông", None, None],
            [None, 4],
            [None, "Tổng cộng", None, None, None, 2349, 9217],
            [None, None, None, None, None, None, "Bảo Hà, ngày 3 tháng 4 năm 2025"],
            [None, None, None, None, None, None, "Người lập biểu"],
        ]
    )


def bad_roster():
    """Rows 6, 8 and 9 are wrong; row 5 is fine but must not be imported either."""
    return xlsx(
        [
            ["DANH SÁCH THÔN"],
            [],
            [],
            ["Tên thôn", "Trưởng thôn", "Số điện thoại", "Số hộ", "Dân tộc"],
            ["Thôn Bảo Vinh", "Nguyễn Văn An", "0912345678", 182, "Kinh"],
            [None, "Trần Văn B", "0912345679", 50, "Kinh"],
            ["Thôn Khe Bá", "Triệu Văn Sơn", "0987654321", 97, "Dao"],
            ["Thôn Bản Lằn", None, "12345", "khoảng 80", "Kinh"],
            ["thôn bảo vinh", None, None, None, "Người Sao Hỏa"],
        ]
    )


def upload(client, data, name="danh-sach.xlsx"):
    """Send a roster file to the import page, as the file picker does."""
    return client.post("/rosters/import", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
