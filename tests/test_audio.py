"""Recordings of explainer pages and loudspeaker scripts: upload, checks by content, listening, range requests."""

import io
import re
import subprocess

import pytest

from fieldkit.db import get_db
from fieldkit.explainer import audio
from fieldkit.testing import BAO_HA, make_app
from tests.pdftools import qr_codes_per_page

SPEECH = "Xin chào bà con. Đây là bài nói về khảo sát PAPI."


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    """Short spoken recordings made here: espeak-ng speaks, sox converts (Ogg Vorbis, a 70-second tone)."""
    folder = tmp_path_factory.mktemp("speech")
    wav, ogg, long_ogg = folder / "doc.wav", folder / "doc.ogg", folder / "dai.ogg"
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(wav), SPEECH], check=True, capture_output=True)
    subprocess.run(["sox", str(wav), str(ogg)], check=True, capture_output=True)
    subprocess.run(
        ["sox", "-n", "-r", "8000", "-c", "1", str(long_ogg), "synth", "70", "sine", "440"],
        check=True,
        capture_output=True,
    )
    return {"wav": wav.read_bytes(), "ogg": ogg.read_bytes(), "long": long_ogg.read_bytes()}


def upload(client, kind, slug, lang, data, name="doc.ogg", speaker=""):
    return client.post(
        f"/explain/manage/audio/{kind}/{slug}",
        data={"lang": lang, "speaker": speaker, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def stored(app):
    with app.app_context():
        rows = list(get_db()["recordings"].rows_where(order_by="id"))
    files = sorted(p for p in audio.store_dir(app).rglob("*") if p.is_file()) if audio.store_dir(app).exists() else []
    return rows, files


@pytest.mark.parametrize("kind", ["ogg", "wav"])
def test_inspect_reads_type_and_length_by_content(recordings, kind):
    mime, extension, seconds = audio.inspect(recordings[kind], 20 << 20, 900)
    assert (mime, extension) == {"ogg": ("audio/ogg", "ogg"), "wav": ("audio/wav", "wav")}[kind]
    assert 2 < seconds < 8


def test_upload_in_a_second_language_is_listed_with_a_player_and_served_by_range(app, client, auth, recordings):
    auth.login("central")
    response = upload(client, "page", "what-is-papi", "hmn", recordings["ogg"], speaker="Giàng A Páo")
    assert response.status_code == 302
    auth.logout()
    html = client.get("/explain/what-is-papi?lang=hmn").get_data(as_text=True)
    players = re.findall(r"<audio[^>]*>", html)
    assert len(players) == 1
    assert "autoplay" not in players[0] and 'preload="none"' in players[0] and "controls" in players[0]
    src = re.search(r'src="([^"]+)"', players[0])[1]
    # The language switch names the language in its own words.
    assert re.search(r'hreflang="hmn"[^>]*>Hmoob</a>', html)
    assert "Nghe đọc" in html

    whole = client.get(src)
    assert whole.status_code == 200 and whole.data == recordings["ogg"] and whole.mimetype == "audio/ogg"
    first = client.get(src, headers={"Range": "bytes=0-99"})
    assert first.status_code == 206
    assert first.data == recordings["ogg"][:100]
    assert first.headers["Content-Range"] == f"bytes 0-99/{len(recordings['ogg'])}"
    middle = client.get(src, headers={"Range": "bytes=1000-1099"})
    assert middle.status_code == 206 and middle.data == recordings["ogg"][1000:1100]

    listen = client.get("/explain/listen?lang=hmn").get_data(as_text=True)
    assert src in listen and "PAPI là gì?" in listen
    # Vietnamese readers see the recording too, under the language's own name, after their own.
    upload_as_central = client.post("/login", data={"username": "central", "password": "mat-khau-thu-nghiem"})
    assert upload_as_central.status_code == 302
    assert upload(client, "page", "what-is-papi", "vi", recordings["wav"], name="vi.wav").status_code == 302
    html_vi = client.get("/explain/what-is-papi?lang=vi").get_data(as_text=True)
    html_hmn = client.get("/explain/what-is-papi?lang=hmn").get_data(as_text=True)
    assert src in html_vi and html_vi.index(src) > html_vi.index("<audio")
    assert html_hmn.index(src) == html_hmn.index("<audio") + len('<audio controls preload="none" src="')


def test_text_renamed_mp3_is_refused_in_vietnamese_and_nothing_kept(app, client, auth):
    auth.login("central")
    text = "Đây là một tệp văn bản, không phải âm thanh.\n".encode() * 50
    response = upload(client, "page", "what-is-papi", "hmn", text, name="bai-doc.mp3")
    assert response.status_code == 422
    assert "Tệp này không phải là âm thanh" in response.get_data(as_text=True)
    assert stored(app) == ([], [])
    assert "<audio" not in client.get("/explain/what-is-papi?lang=hmn").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "Hãy chọn hoặc ghi một tệp âm thanh."),
        (b"ID3" + bytes(4000), "Tệp này không phải là âm thanh"),
        (b"OggS" + bytes(4000), "Tệp này không phải là âm thanh"),
        (b"RIFF\x00\x00\x00\x00WAVE" + bytes(100), "Tệp này không phải là âm thanh"),
        (b"\x1a\x45\xdf\xa3" + bytes(100), "Tệp này không phải là âm thanh"),
    ],
)
def test_files_that_only_look_like_audio_are_refused(app, client, auth, data, message):
    auth.login("central")
    response = upload(client, "page", "contact", "tay", data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert stored(app) == ([], [])


def test_size_and_length_limits(tmp_path, recordings):
    app = make_app(tmp_path, AUDIO_MAX_SECONDS=60, AUDIO_MAX_BYTES=len(recordings["wav"]) - 1)
    client = app.test_client()
    client.post("/login", data={"username": "central", "password": "mat-khau-thu-nghiem"})
    too_big = upload(client, "page", "contact", "dao", recordings["wav"], name="doc.wav")
    assert too_big.status_code == 422 and "Tệp âm thanh quá lớn" in too_big.get_data(as_text=True)
    too_long = upload(client, "page", "contact", "dao", recordings["long"], name="dai.ogg")
    assert too_long.status_code == 422 and "Bản ghi âm quá dài (tối đa 1 phút)" in too_long.get_data(as_text=True)
    assert stored(app) == ([], [])


def test_replacing_keeps_every_version_and_shows_who_and_how_long(app, client, auth, recordings):
    auth.login("admin")
    assert upload(client, "page", "contact", "tay", recordings["ogg"], speaker="Hoàng Thị Lan").status_code == 302
    assert upload(client, "page", "contact", "tay", recordings["wav"], name="moi.wav").status_code == 302
    rows, files = stored(app)
    assert [(r["lang"], r["version"], r["speaker"]) for r in rows] == [("tay", 1, "Hoàng Thị Lan"), ("tay", 2, "admin")]
    assert {r["commune_code"] for r in rows} == {BAO_HA}  # a site's recording travels up under its commune
    assert len(files) == 2 and {f.suffix for f in files} == {".ogg", ".wav"}
    page = client.get("/explain/manage/audio/page/contact?lang=tay").get_data(as_text=True)
    assert "tay-contact-v1" in page and "tay-contact-v2" in page and "Hoàng Thị Lan" in page
    assert audio.minutes_seconds(rows[0]["seconds"]) in page
    public = client.get("/explain/contact?lang=tay").get_data(as_text=True)
    assert rows[1]["uuid"] in public and rows[0]["uuid"] not in public


def test_recording_page_lets_the_microphone_in_and_only_admins_record(client, auth):
    auth.login("officer")
    assert client.get("/explain/manage/audio/page/contact").status_code == 403
    auth.login("admin")
    response = client.get("/explain/manage/audio/page/contact")
    assert response.status_code == 200 and "js/recorder.js" in response.get_data(as_text=True)
    assert "microphone=(self)" in response.headers["Permissions-Policy"]
    assert "media-src 'self' blob:" in response.headers["Content-Security-Policy"]
    assert "microphone=()" in client.get("/explain/manage/").headers["Permissions-Policy"]
    assert client.get("/explain/manage/audio/page/khong-co").status_code == 404
    assert client.get("/explain/manage/audio/video/contact").status_code == 404


def test_cli_adds_checks_by_content_and_numbers_versions(app, runner, recordings, tmp_path):
    recording = tmp_path / "doc-hmoob.ogg"
    recording.write_bytes(recordings["ogg"])
    add = ["explainer", "audio", "add", "what-is-papi", "--lang", "hmn", "--commune", BAO_HA]
    no_commune = runner.invoke(args=["explainer", "audio", "add", "what-is-papi", "--lang", "hmn", str(recording)])
    assert no_commune.exit_code != 0 and "--commune" in no_commune.output
    result = runner.invoke(args=[*add, str(recording)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("hmn-what-is-papi-v1\t0:0")
    again = runner.invoke(args=[*add, str(recording)])
    assert again.output.startswith("hmn-what-is-papi-v2")
    fake = tmp_path / "bai.mp3"
    fake.write_text("không phải âm thanh", encoding="utf-8")
    refused = runner.invoke(args=[*add, str(fake)])
    assert refused.exit_code != 0 and "không phải là âm thanh" in refused.output
    missing = runner.invoke(
        args=["explainer", "audio", "add", "khong-co", "--lang", "hmn", "--commune", BAO_HA, str(recording)]
    )
    assert missing.exit_code != 0 and "Không có bài này." in missing.output
    rows, files = stored(app)
    assert len(rows) == 2 and len(files) == 1  # the same bytes are kept once
    assert {row["commune_code"] for row in rows} == {BAO_HA}


def test_recordings_travel_both_ways_with_their_files_and_translations_change_status(app):
    from fieldkit.sync.registry import rules

    up = {rule.table: rule for rule in rules(app, "up")}
    down = {rule.table: rule for rule in rules(app, "down")}
    assert up["recordings"].media == "sha256" and "recordings" in down
    assert down["explainer_pages"].mutable


def test_scripts_page_plays_downloads_and_compares_with_the_slot(app, client, auth, recordings):
    auth.login("admin")
    assert upload(client, "script", "what-is-papi", "hmn", recordings["long"], name="dai.ogg").status_code == 302
    assert upload(client, "script", "honest-answers", "vi", recordings["ogg"]).status_code == 302
    rows, _ = stored(app)
    page = client.get(f"/posters/scripts?commune={BAO_HA}&slot=1").get_data(as_text=True)
    assert page.count("<audio") == 2 and 'preload="none"' in page
    assert "hmn-what-is-papi-v1" in page and "1:10" in page
    assert "dài hơn khung 1 phút" in page and "vừa khung 1 phút" in page
    assert f"/explain/audio/{rows[0]['uuid']}?download=1" in page
    download = client.get(f"/explain/audio/{rows[0]['uuid']}?download=1")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert "hmn-what-is-papi-v1.ogg" in download.headers["Content-Disposition"]
    # Script recordings are for officers; page recordings are public.
    auth.logout()
    assert client.get(f"/explain/audio/{rows[0]['uuid']}").status_code == 404


def test_broadcast_form_can_name_the_recording_played(client, auth):
    auth.login("officer")
    form = client.get("/api/v1/forms/broadcast", headers={"X-Requested-With": "fieldkit"}).get_json()
    assert str(form["version"]) == "2"
    field = next(f for f in form["fields"] if f["name"] == "recording")
    assert field["type"] == "text" and field["max"] == 80 and "hmn-what-is-papi-v2" in field["hint"]


def test_poster_can_carry_the_qr_of_a_languages_audio_page(app, client, auth, recordings, create_group, tmp_path):
    create_group("Bản Nậm Ỏn")
    auth.login("central")
    upload(client, "page", "what-is-papi", "hmn", recordings["ogg"])
    auth.login("admin")
    assert 'name="audio_lang"' in client.get(f"/posters/?commune={BAO_HA}").get_data(as_text=True)
    response = client.post("/posters/print", data={"commune": BAO_HA, "size": "A4", "audio_lang": "hmn"})
    assert response.status_code == 200
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.data)
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    [codes] = qr_codes_per_page(pdf, tmp_path)
    assert f"{base}/explain/listen?lang=hmn" in codes and any("/p/" in code for code in codes)
    plain = client.post("/posters/print", data={"commune": BAO_HA, "size": "A4"})
    pdf.write_bytes(plain.data)
    (tmp_path / "plain").mkdir()
    assert not any("listen" in code for code in qr_codes_per_page(pdf, tmp_path / "plain")[0])


def test_a_recording_from_another_installation_with_the_same_version_is_kept(app, client, auth, recordings):
    auth.login("central")
    upload(client, "page", "contact", "hmn", recordings["ogg"])
    [ours] = stored(app)[0]
    theirs = {**ours, "uuid": "7a0c4d8e-0000-4000-8000-000000000001", "origin_site": "site-bao-ha"}
    theirs.update(id=None, seq=None, created_at="2099-01-01T00:00:00Z", speaker="Lý Thị Mai")
    with app.app_context():
        get_db()["recordings"].insert(theirs)  # as sync imports it: same page, language and version
        [in_use] = audio.current(get_db(), "page", "contact")
    assert in_use["speaker"] == "Lý Thị Mai"
    assert upload(client, "page", "contact", "hmn", recordings["wav"], name="moi.wav").status_code == 302
    with app.app_context():
        assert audio.current(get_db(), "page", "contact")[0]["version"] == 2
