"""Whether an address can be reached by residents' phones: loopback, private ranges and .local cannot."""

import ipaddress
from urllib.parse import urlsplit

from ..errors import UserFacingError


def lan_only_reason(url):
    """None for a public http(s) address; otherwise a short English tag of why it is not one."""
    try:
        parts = urlsplit(url or "")
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return "invalid"
    if parts.scheme not in ("http", "https") or not host:
        return "invalid"
    if host == "localhost" or host.endswith((".local", ".localhost", ".lan", ".home.arpa", ".internal")):
        return "local-name"
    if "." not in host and ":" not in host:
        return "local-name"  # a bare machine name resolves on the LAN only
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified:
        return "private-address"
    if address.is_reserved or address.is_multicast or address in ipaddress.ip_network("100.64.0.0/10"):
        return "private-address"
    return None


def is_public(url):
    return lan_only_reason(url) is None


class NotPublic(UserFacingError, ValueError):
    """A QR code would point where residents' phones cannot go; the message says how to fix it."""


def require_public(url, lan_only=False):
    """Refuse to print a QR to a LAN-only address unless the user asked for a LAN-only poster."""
    if lan_only or is_public(url):
        return
    from flask_babel import gettext as _

    raise NotPublic(
        _(
            "Không in: mã QR sẽ trỏ tới %(url)s, địa chỉ trong mạng nội bộ mà điện thoại của người dân không mở"
            " được. Hãy đăng ký máy với Sở Nội vụ (mục Đồng bộ với Sở Nội vụ, hoặc lệnh fieldkit sync enroll) để"
            " nhận địa chỉ công khai, hoặc đặt public_base_url trong tệp instance/config.toml, ví dụ"
            ' public_base_url = "https://papi.laocai.gov.vn". Nếu áp phích chỉ dùng trong mạng nội bộ, chọn'
            " «Chỉ dùng trong mạng nội bộ» (lệnh: --lan-only).",
            url=url,
        )
    )
