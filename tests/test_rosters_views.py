"""Roster pages as commune officers and admins use them."""

import unicodedata

import pytest

from fieldkit.db import get_db
from fieldkit.testing import BAO_HA, PHO_LU

from .roster_files import bad_roster, commune_roster, upload


def names_in(html):
    import re

    return re.findall(r'<span class="group-name">([^<]+)</span>', html)


@pytest.mark.parametrize(
    "query", ["bao vinh", "BẢO VINH", unicodedata.normalize("NFD", "Bảo Vinh"), "  bao   vinh ", "nguyen van an"]
)
def test_search_ignores_case_diacritics_and_decomposed_input(client, auth, villages, query):
    auth.login()
    html = client.get("/rosters/", query_string={"q": query}).get_data(as_text=True)
    assert names_in(html) == ["Thôn Bảo Vinh"]


def test_list_filters_and_puts_sampled_villages_first(client, auth, villages):
    auth.login()
    html = client.get("/rosters/").get_data(as_text=True)
    assert names_in(html) == ["Thôn Bảo Vinh", "Bản Nặm Rịa", "Thôn Khe Bá"]
    assert "Khảo sát PAPI 2023" in html
    assert names_in(client.get("/rosters/?kind=ban").get_data(as_text=True)) == ["Bản Nặm Rịa"]
    assert names_in(client.get("/rosters/?papi=1").get_data(as_text=True)) == ["Thôn Bảo Vinh"]
    assert names_in(client.get("/rosters/?papi=0").get_data(as_text=True)) == ["Bản Nặm Rịa", "Thôn Khe Bá"]


def test_officers_read_but_do_not_edit(client, auth, villages):
    auth.login("officer")
    uuid = villages["vinh"]["uuid"]
    html = client.get(f"/rosters/groups/{uuid}").get_data(as_text=True)
    assert "Thôn Bảo Vinh" in html and "Khảo sát PAPI 2023" in html and "Kinh, Tày" in html
    assert "/edit" not in html
    assert client.get(f"/rosters/groups/{uuid}/edit").status_code == 403
    assert client.post(f"/rosters/groups/{uuid}/active", data={"active": "0"}).status_code == 403
    assert client.get("/rosters/new").status_code == 403
    assert client.get("/rosters/import").status_code == 403


def test_another_communes_groups_are_out_of_reach(client, auth, villages, create_group):
    other = create_group("Tổ dân phố 1", commune=PHO_LU, kind="to_dan_pho")
    auth.login("admin")
    assert client.get(f"/rosters/groups/{other['uuid']}").status_code == 404
    assert client.get(f"/rosters/groups/{other['uuid']}/edit").status_code == 404
    assert client.get(f"/rosters/?commune={PHO_LU}").status_code == 403
    assert client.get(f"/rosters/export?commune={PHO_LU}").status_code == 403
    auth.logout()
    auth.login("central")
    assert client.get(f"/rosters/groups/{other['uuid']}").status_code == 200
    assert "Chọn xã" in client.get("/rosters/").get_data(as_text=True)


def test_create_with_vietnamese_validation_then_edit_and_see_history(client, auth, app):
    auth.login("admin")
    bad = client.post(
        "/rosters/new",
        data={
            "name": "",
            "kind": "thon",
            "head_phone": "123",
            "households": "khoảng 80",
            "gps": "104.45, 22.23",
            "papi_years": "năm ngoái",
        },
    )
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    for message in (
        "Hãy nhập tên thôn, tổ dân phố.",
        "Số điện thoại “123” không hợp lệ",
        "“khoảng 80” không phải là số",
        "nằm ngoài Việt Nam",
        "Năm khảo sát PAPI “năm ngoái” không hợp lệ",
    ):
        assert message in html
    response = client.post(
        "/rosters/new",
        data={
            "name": unicodedata.normalize("NFD", "Thôn Bảo Vinh"),
            "kind": "thon",
            "head_phone": "+84 912 345 678",
            "households": "1.204",
            "gps": "22.2031, 104.3458",
            "papi_years": "2023",
            "ethnic_groups": ["01", "09"],
            "languages": ["vi", "dao"],
        },
    )
    assert response.status_code == 302
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thôn Bảo Vinh" in detail and "0912345678" in detail and "1204" in detail and "Kinh, Dao" in detail
    assert "Tiếng Việt, Tiếng Dao" in detail and "22.2031, 104.3458" in detail
    uuid = response.headers["Location"].rsplit("/", 1)[1]
    duplicate = client.post("/rosters/new", data={"name": "thon bao vinh", "kind": "thon"})
    assert "Xã đã có thôn, tổ dân phố tên “Thôn Bảo Vinh”." in duplicate.get_data(as_text=True)
    edit_page = client.get(f"/rosters/groups/{uuid}/edit").get_data(as_text=True)
    assert 'value="1204"' in edit_page and 'value="22.2031, 104.3458"' in edit_page
    client.post(
        f"/rosters/groups/{uuid}/edit",
        data={
            "name": "Thôn Bảo Vinh",
            "kind": "thon",
            "households": "1210",
            "gps": "22.2031, 104.3458",
            "papi_years": "2023",
        },
    )
    history = client.get(f"/rosters/groups/{uuid}/history").get_data(as_text=True)
    assert "Sửa" in history and "Tạo mới" in history and "1204" in history and "1210" in history and "admin" in history


def test_deactivate_keeps_the_group_and_reactivates(client, auth, villages):
    auth.login("admin")
    uuid = villages["khe"]["uuid"]
    client.post(f"/rosters/groups/{uuid}/active", data={"active": "0"})
    assert "Thôn Khe Bá" not in names_in(client.get("/rosters/").get_data(as_text=True))
    assert names_in(client.get("/rosters/?active=0").get_data(as_text=True)) == ["Thôn Khe Bá"]
    assert "Ngừng hoạt động" in client.get(f"/rosters/groups/{uuid}/history").get_data(as_text=True)
    client.post(f"/rosters/groups/{uuid}/active", data={"active": "1"})
    assert "Thôn Khe Bá" in names_in(client.get("/rosters/").get_data(as_text=True))


def test_upload_previews_then_confirms(client, auth, app, villages):
    auth.login("admin")
    preview = upload(client, commune_roster())
    html = preview.get_data(as_text=True)
    assert "Xem trước: chưa lưu gì" in html and "Bản Nặm Rịa" in html and "Thôn Khe Bá" in html
    with app.app_context():
        assert get_db()["residential_groups"].count == 3  # nothing saved by the preview
    import re

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    confirmed = client.post("/rosters/import/confirm", data={"token": token}, follow_redirects=True)
    assert "Đã nhập: thêm 0, cập nhật 3, giữ nguyên 0." in confirmed.get_data(as_text=True)
    replay = client.post("/rosters/import/confirm", data={"token": token}, follow_redirects=True)
    assert "Phiên nhập tệp đã hết hạn" in replay.get_data(as_text=True)


def test_upload_with_bad_rows_lists_them_and_offers_no_confirm(client, auth, app):
    auth.login("admin")
    html = upload(client, bad_roster()).get_data(as_text=True)
    assert "Dòng 6: thiếu tên thôn" in html and "chưa nhập dòng nào" in html
    assert "Xác nhận nhập" not in html
    assert "Chỉ nhận tệp .xlsx hoặc .csv." in upload(client, b"%PDF", "danh-sach.pdf").get_data(as_text=True)


def test_export_download(client, auth, villages):
    auth.login("officer")
    response = client.get(f"/rosters/export?commune={BAO_HA}&format=csv")
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert "Thôn Bảo Vinh" in response.data.decode("utf-8-sig")
    xlsx = client.get(f"/rosters/export?commune={BAO_HA}")
    assert xlsx.data[:2] == b"PK" and "attachment" in xlsx.headers["Content-Disposition"]


def test_english_interface(client, auth, villages):
    auth.login("officer")
    client.post("/language", data={"lang": "en"})
    html = client.get("/rosters/").get_data(as_text=True)
    assert "Villages and residential groups" in html and "PAPI 2023 sample" in html


def test_a_new_group_in_a_town_is_a_to_dan_pho_by_default(client, auth):
    auth.login("central")
    html = client.get(f"/rosters/new?commune={PHO_LU}").get_data(as_text=True)
    assert '<option selected value="to_dan_pho">' in html or 'value="to_dan_pho" selected' in html
