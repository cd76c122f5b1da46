"""Recording in the browser on a 360 px phone: microphone → level meter → play-back → saved WebM; then listening."""

import subprocess

import pytest

from fieldkit.db import get_db
from fieldkit.testing import CHROMIUM, CHROMIUM_ARGS, sign_in

pytestmark = pytest.mark.browser
WAIT = 30_000


@pytest.fixture(scope="module")
def speech(tmp_path_factory):
    """A spoken sentence Chromium's fake microphone plays in a loop."""
    wav = tmp_path_factory.mktemp("mic") / "loi-noi.wav"
    sentence = "Xin chào bà con. Khảo sát PAPI hỏi ý kiến người dân."
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(wav), sentence], check=True, capture_output=True)
    return wav


@pytest.fixture(scope="module")
def microphone_browser(playwright_instance, speech):
    fake = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *fake, f"--use-file-for-fake-audio-capture={speech}"]
    )
    yield browser
    browser.close()


def open_as(context, server, username, path):
    """A page of the live server, logged in as `username`."""
    page = context.new_page()
    sign_in(page, server.url, username)
    page.goto(server.url(path))
    return page


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_admin_records_in_the_browser_and_residents_listen(live_app, live_server, microphone_browser):
    context = microphone_browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, locale="vi-VN"
    )
    try:
        page = open_as(context, live_server, "admin", "/explain/manage/audio/page/what-is-papi?lang=hmn")
        recorder = page.locator("#recorder")
        recorder.wait_for(state="visible", timeout=WAIT)
        page.get_by_role("button", name="Bắt đầu ghi").click()
        page.wait_for_selector("#recorder[data-state=recording]", timeout=WAIT)
        # The meter moves with the voice, and the clock runs.
        page.wait_for_function("() => document.querySelector('[data-level]').value > 0.05", timeout=WAIT)
        page.wait_for_function("() => document.querySelector('[data-clock]').textContent >= '0:03'", timeout=WAIT)
        page.screenshot(path="/tmp/audio-recording-360.png", full_page=True)
        page.get_by_role("button", name="Dừng").click()
        page.wait_for_selector("#recorder[data-state=ready]", timeout=WAIT)
        assert page.locator("[data-preview]").is_visible()
        assert page.evaluate("document.querySelector('#file').files[0].type") == "audio/webm"
        assert fits(page)
        page.screenshot(path="/tmp/audio-recorded-360.png", full_page=True)
        # The upload is a plain form post; on a loaded two-core machine it may take a while.
        with page.expect_navigation(timeout=3 * WAIT):
            page.get_by_role("button", name="Lưu bản ghi âm").click()
        flash = page.wait_for_selector(".flash", timeout=WAIT)
        assert "hmn-what-is-papi-v1" in flash.inner_text() and "flash-success" in flash.get_attribute("class")
        assert fits(page)
        page.screenshot(path="/tmp/audio-saved-360.png", full_page=True)
        with live_app.app_context():
            [row] = get_db()["recordings"].rows
        # Chromium writes WebM with no duration: the length comes from the blocks' times.
        assert row["mime"] == "audio/webm" and 2.5 < row["seconds"] < 30 and row["speaker"] == "admin"

        page.goto(live_server.url("/explain/what-is-papi?lang=hmn"))
        player = page.locator("audio")
        assert player.count() == 1 and player.get_attribute("preload") == "none"
        assert page.locator(".explainer-langs a", has_text="Hmoob").count() == 1
        duration = page.evaluate(
            """() => new Promise((done, fail) => {
                const audio = document.querySelector('audio');
                audio.addEventListener('canplay', () => done(audio.paused), { once: true });
                audio.addEventListener('error', () => fail(audio.error && audio.error.code), { once: true });
                audio.load();
            })"""
        )
        assert duration is True  # loads and waits to be played: never autoplay
        assert fits(page)
        page.screenshot(path="/tmp/audio-public-360.png", full_page=True)
        page.goto(live_server.url("/explain/listen?lang=hmn"))
        assert page.locator("audio").count() == 1 and fits(page)
        page.screenshot(path="/tmp/audio-listen-360.png", full_page=True)
        page.goto(live_server.url("/posters/scripts"))
        assert fits(page)
        page.screenshot(path="/tmp/audio-scripts-360.png", full_page=True)
    finally:
        context.close()


def test_translation_editor_shows_the_vietnamese_beside_the_draft_at_360px(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, locale="vi-VN")
    try:
        page = open_as(context, live_server, "central", "/explain/manage/hmn/what-is-papi")
        assert page.locator(".source-text h3").inner_text() == "PAPI là gì?"
        page.fill("#title", "PAPI yog dab tsi?")
        page.get_by_role("button", name="Lưu bản nháp mới").click()
        page.wait_for_selector(".flash-success", timeout=WAIT)
        assert "Chờ người khác kiểm tra" in page.locator("table.versions").inner_text()
        assert fits(page)
        page.screenshot(path="/tmp/audio-translation-editor-360.png", full_page=True)
    finally:
        context.close()
