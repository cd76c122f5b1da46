"""Photos: only to a record of the user's own commune, only whole JPEG, PNG or WebP images."""

import io
from pathlib import Path

import pytest
from PIL import Image

from fieldkit.db import get_db
from fieldkit.testing import HEADERS, post_record, record_for


def _image(kind="PNG", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(out, kind)
    return out.getvalue()


@pytest.fixture
def record_uuid(client, auth, create_group):
    create_group("Thôn Bảo Vinh")
    auth.login("officer")
    definition = client.get("/api/v1/forms/session").get_json()
    body = record_for(definition)
    assert post_record(client, body).status_code == 201
    auth.logout()
    return body["uuid"]


def _upload(client, record_uuid, content):
    return client.post(
        "/api/v1/media",
        data={"submission_uuid": record_uuid, "field": "photo", "file": (io.BytesIO(content), "anh.jpg")},
        headers=HEADERS,
    )


def _stored(app):
    with app.app_context():
        return get_db()["media"].count


def test_an_officer_of_another_commune_cannot_attach_a_photo(app, client, auth, record_uuid):
    auth.login("pholu")
    response = _upload(client, record_uuid, _image())
    assert response.status_code == 422
    assert response.get_json()["errors"]["submission_uuid"] == "Không tìm thấy bản ghi để gắn ảnh."
    assert _stored(app) == 0
    assert not list(Path(app.instance_path).glob("media/**/*.png"))


def test_the_officer_of_the_commune_can(app, client, auth, record_uuid):
    auth.login("officer")
    assert _upload(client, record_uuid, _image()).status_code == 201
    assert _stored(app) == 1


@pytest.mark.parametrize(
    "content",
    [
        _image()[: len(_image()) // 2],
        _image("JPEG", (400, 300))[:-400],
        _image("GIF"),
        _image("BMP"),
        _image("TIFF"),
        b"\x89PNG\r\n\x1a\n" + b"not really a png" * 20,
    ],
    ids=["half a png", "a cut jpeg", "gif", "bmp", "tiff", "png header only"],
)
def test_what_is_not_a_whole_jpeg_png_or_webp_is_refused(app, client, auth, record_uuid, content):
    auth.login("officer")
    response = _upload(client, record_uuid, content)
    assert response.status_code == 422
    assert response.get_json()["errors"]["file"] == "Chỉ nhận ảnh JPEG, PNG hoặc WebP."
    assert _stored(app) == 0
