"""The poster form reads a sheet's QR code through the phone's camera (here Chromium's fake camera)."""

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect

from fieldkit.auth.scope import SYSTEM
from fieldkit.db import get_db
from fieldkit.posters import register
from fieldkit.rosters.groups import create_group
from fieldkit.testing import BAO_HA, CHROMIUM, CHROMIUM_ARGS, new_phone, sign_in

pytestmark = pytest.mark.browser


def camera_file(path, text, size=(640, 480), frames=10):
    """A Y4M video (what Chromium's fake camera plays) of a QR code holding `text`."""
    picture = qrcode.make(text, border=4).get_image().convert("L").resize((360, 360), Image.NEAREST)
    frame = Image.new("L", size, 255)
    frame.paste(picture, ((size[0] - 360) // 2, (size[1] - 360) // 2))
    chroma = bytes([128]) * (size[0] * size[1] // 4)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{size[0]} H{size[1]} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


def test_scanning_the_qr_fills_the_code_and_the_group(live_app, live_server, playwright_instance, tmp_path):
    with live_app.app_context():
        db = get_db()
        group = create_group(db, SYSTEM, "test-site", BAO_HA, "Bản Nậm Ỏn")
        [sheet] = register.print_sheets(db, SYSTEM, "test-site", BAO_HA, [group], "A4", "https://papi.example.vn")
    video = tmp_path / "qr.y4m"
    camera_file(video, sheet.url)
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = new_phone(playwright_instance, browser)
        context.grant_permissions(["camera"])
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in(page, live_server.url)
        page.goto(live_server.url("/forms/poster/new"))
        has_detector = page.evaluate("'BarcodeDetector' in window")
        page.click("text=Quét mã QR bằng camera")
        expect(page.locator("input[name=poster_code]")).to_have_value(sheet.code)
        expect(page.locator(".poster-code-status")).to_contain_text("Tờ in cho Bản Nậm Ỏn")
        assert page.input_value("select[name=residential_group]") == group["uuid"]
        expect(page.locator(".scanner")).to_be_hidden()
        if not has_detector:  # Linux Chromium has none: the vendored decoder read it
            assert page.evaluate("typeof window.jsQR") == "function"
    finally:
        browser.close()
