"""`fieldkit sites` (Sở Nội vụ) and `fieldkit sync` (both sides)."""

import json
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..auth.scope import SYSTEM
from ..cli import commune_option, output_option
from ..db import get_db
from . import client, link
from .bundle import MAX_TOTAL_BYTES, Refused
from .exchange import make_up_bundle, receive_down, receive_up
from .sites import add_site, list_sites
from .transfer import RESULTS


def _central_only():
    if current_app.config["ROLE"] != "central":
        raise click.ClickException("Lệnh này chỉ dùng trên máy của Sở Nội vụ (vai trò central). / Central only.")


@click.group("sites", help="Máy xã đăng ký với Sở Nội vụ (chỉ ở Sở Nội vụ). / Sites enrolled with the central.")
def sites_cli():
    pass


@sites_cli.command("add")
@click.argument("name")
@commune_option(multiple=True, help="A commune the site holds (repeatable).")
@with_appcontext
def sites_add(name, communes):
    """Enrol a site for its communes; print the one-time code alone on the last line.

    Example: fieldkit sites add "UBND xã Bảo Hà" --commune 02989
    """
    _central_only()
    try:
        site, code = add_site(get_db(), SYSTEM, name, communes)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Đã tạo máy xã «{site['name']}» cho xã {', '.join(json.loads(site['communes']))}.")
    click.echo(f"Mã dùng một lần, hết hạn {site['code_expires_at']}. Trên máy xã chạy: fieldkit sync enroll URL MÃ")
    click.echo(code)


@sites_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@with_appcontext
def sites_list(as_json):
    """List enrolled sites with their last sync, rows received and conflicts.

    Example: fieldkit sites list --json
    """
    _central_only()
    sites = list_sites(get_db())
    if as_json:
        fields = ("name", "communes", "site_id", "enrolled_at", "last_sync_at", "rows_received", "open_conflicts")
        click.echo(json.dumps([{k: s[k] for k in (*fields, "silent")} for s in sites], ensure_ascii=False))
        return
    for s in sites:
        state = s["last_sync_at"] or ("chưa gửi" if s["enrolled_at"] else "chưa đăng ký")
        click.echo(f"{s['name']}\t{','.join(s['communes'])}\t{state}\t{s['rows_received']}\t{s['open_conflicts']}")


@click.group("sync", help="Đồng bộ với Sở Nội vụ: đăng ký, gửi, nhận, xuất, nhập gói. / Sync with Sở Nội vụ.")
def sync_cli():
    pass


@sync_cli.command("enroll")
@click.argument("url")
@click.argument("code")
@with_appcontext
def sync_enroll(url, code):
    """Enrol this site with Sở Nội vụ using the one-time code it gave.

    Example: fieldkit sync enroll https://papi.laocai.gov.vn K7QX-M2PD-9RTA
    """
    found, answer = client.enroll(get_db(), current_app, url, code)
    click.echo(f"Đã đăng ký với {found['central_name']} ({found['central_url']}), xã {', '.join(found['communes'])}.")
    click.echo(f"Địa chỉ công khai in trên mã QR: {answer['public_base_url']}")


@sync_cli.command("push")
@with_appcontext
def sync_push():
    """Send what Sở Nội vụ has not acknowledged, in batches, then receive its updates.

    Example: fieldkit sync push
    """
    totals = client.push(get_db(), current_app)
    click.echo(
        f"Đã gửi {totals['batches']} gói: {totals['created']} mới, {totals['unchanged']} đã có, "
        f"{totals['updated']} cập nhật, {totals['conflict']} xung đột."
    )


@sync_cli.command("pull")
@with_appcontext
def sync_pull():
    """Receive explainer pages, forms, unit lists and scan counts from Sở Nội vụ.

    Example: fieldkit sync pull
    """
    results = client.pull(get_db(), current_app)
    created = sum(len(r["created"]) for r in results.values())
    click.echo(f"Đã nhận {created} dòng mới từ Sở Nội vụ.")


@sync_cli.command("export")
@output_option("Bundle file to write (.fkb).")
@click.option("--all", "everything", is_flag=True, help="Every row, not only those not yet acknowledged.")
@with_appcontext
def sync_export(output, everything):
    """Write a signed bundle (.fkb) to carry to Sở Nội vụ by USB or a chat app.

    Works before enrolment too; Sở Nội vụ imports it once the site is enrolled.

    Example: fieldkit sync export -o bao-ha.fkb
    """
    db = get_db()
    found = link.get_link(db)
    after = 0 if everything or found is None else found["last_ack"]
    data, rows = make_up_bundle(db, current_app, after)
    output.write_bytes(data)
    click.echo(f"Đã ghi {rows} dòng vào {output}. / Wrote {rows} rows.")


@sync_cli.command("import")
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result per record as JSON.")
@with_appcontext
def sync_import(bundle_file, as_json):
    """Import a bundle: a site's .fkb on Sở Nội vụ, or Sở Nội vụ's on a site.

    Nothing is written unless the whole bundle passes every check.

    Example: fieldkit sync import bao-ha.fkb
    """
    db = get_db()
    if bundle_file.stat().st_size > MAX_TOTAL_BYTES:
        raise click.ClickException("Gói quá lớn.")
    data = bundle_file.read_bytes()
    try:
        if current_app.config["ROLE"] == "central":
            result = receive_up(db, current_app, data, "cli")
        else:
            found = link.get_link(db)
            results, _meta, _manifest = receive_down(db, current_app, data, found and found["central_public_key"])
            result = {"status": "ok", "records": results}
            result["counts"] = {n: sum(len(r[n]) for r in results.values()) for n in RESULTS}
    except Refused as error:
        raise click.ClickException(f"Gói bị từ chối, không nhập gì: {error}") from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    counts = result["counts"]
    click.echo(
        f"Đã nhập: {counts['created']} mới, {counts['unchanged']} đã có, {counts['updated']} cập nhật, "
        f"{counts['conflict']} xung đột (giữ lại để xem xét)."
    )


@sync_cli.command("status")
@click.option("--json", "as_json", is_flag=True, help='Print {"pending", "last_ack", "last_success"}.')
@with_appcontext
def sync_status(as_json):
    """What waits to go to Sở Nội vụ, and when it last answered.

    Example: fieldkit sync status --json
    """
    state = link.status(get_db(), current_app)
    if as_json:
        click.echo(json.dumps({k: state[k] for k in ("pending", "last_ack", "last_success")}))
        return
    if state["enrolled"]:
        click.echo(f"Sở Nội vụ: {state['central_name']} ({state['central_url']})")
    else:
        click.echo("Chưa đăng ký với Sở Nội vụ.")
    click.echo(f"Chờ gửi: {state['pending']} dòng; đã xác nhận tới #{state['last_ack']}")
    click.echo(f"Lần gửi thành công gần nhất: {state['last_success'] or 'chưa có'}")
    if state["last_error"]:
        click.echo(f"Lỗi gần nhất: {state['last_error']}")
