"""A site talking to Sở Nội vụ over HTTP: enrol, push bundles in batches, pull content down."""

import base64
import json
import urllib.error
import urllib.request

from flask_babel import gettext as _

from ..auth import audit
from ..errors import UserFacingError
from ..instance import site_id
from .bundle import Refused
from .exchange import batches, make_up_bundle, receive_down
from .link import get_link, save_link, set_public_base_url, update_link
from .signing import private_key, public_pem, sign

TIMEOUT = 120
HEADERS = {"X-Requested-With": "fieldkit", "User-Agent": "fieldkit-sync"}


class SyncError(UserFacingError):
    """Sync could not be done; the message is the Vietnamese reason."""


def _post(url, body, content_type, headers=None):
    request = urllib.request.Request(
        url, data=body, method="POST", headers={**HEADERS, "Content-Type": content_type, **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        try:
            reason = json.loads(error.read()).get("message")
        except (ValueError, AttributeError):
            reason = None
        raise SyncError(reason or _("Sở Nội vụ trả lời lỗi %(status)s.", status=error.code)) from None
    except (urllib.error.URLError, OSError) as error:
        raise SyncError(
            _("Không kết nối được tới Sở Nội vụ (%(reason)s).", reason=getattr(error, "reason", error))
        ) from None


def enroll(db, app, central_url, code):
    """Exchange keys with Sở Nội vụ using its one-time code; receive its public address."""
    central_url = central_url.strip().rstrip("/")
    if not central_url.startswith(("http://", "https://")):
        raise SyncError(_("Địa chỉ Sở Nội vụ phải bắt đầu bằng http:// hoặc https://."))
    body = json.dumps(
        {
            "code": code,
            "site_id": site_id(app),
            "site_name": app.config["SITE_NAME"],
            "public_key": public_pem(app.instance_path),
        }
    ).encode()
    content, _type = _post(f"{central_url}/api/v1/sync/enroll", body, "application/json")
    answer = json.loads(content)
    link = save_link(db, central_url, answer)
    set_public_base_url(app, answer["public_base_url"])
    return link, answer


def _require_link(db):
    link = get_link(db)
    if link is None:
        raise SyncError(_("Máy này chưa đăng ký với Sở Nội vụ. Chạy `fieldkit sync enroll URL MÃ` trước."))
    return link


def push(db, app):
    """Send every pending row in batches (each acknowledged before the next), then pull; return totals."""
    link = _require_link(db)
    totals = {"created": 0, "unchanged": 0, "updated": 0, "conflict": 0, "batches": 0}
    try:
        for after, upto in batches(db, app, link["last_ack"]):
            data, _rows = make_up_bundle(db, app, after, upto)
            content, _type = _post(f"{link['central_url']}/api/v1/sync/bundles", data, "application/octet-stream")
            answer = json.loads(content)
            for name in ("created", "unchanged", "updated", "conflict"):
                totals[name] += answer["counts"][name]
            totals["batches"] += 1
            update_link(db, last_ack=max(link["last_ack"], answer["ack"]))
            link = get_link(db)
        pull(db, app)
    except (SyncError, Refused) as error:
        update_link(db, last_error=str(error))
        raise SyncError(str(error)) from None
    return totals


def pull(db, app):
    """Receive explainer pages, forms, unit lists, the public address and scan counts from Sở Nội vụ."""
    link = _require_link(db)
    body = json.dumps({"site_id": site_id(app), "since": link["last_pulled"], "at": audit.utc_now()}).encode()
    signature = base64.b64encode(sign(private_key(app.instance_path), body)).decode()
    data, _type = _post(
        f"{link['central_url']}/api/v1/sync/pull", body, "application/json", {"X-Fieldkit-Signature": signature}
    )
    results, meta, manifest = receive_down(db, app, data, link["central_public_key"])
    if isinstance(meta.get("public_base_url"), str):
        set_public_base_url(app, meta["public_base_url"])
    values = {"last_pulled": manifest["seq_upto"], "last_success": audit.utc_now(), "last_error": None}
    if type(meta.get("last_ack")) is int:
        values["last_ack"] = meta["last_ack"]
    update_link(db, **values)
    return results
