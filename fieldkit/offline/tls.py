"""A local certificate authority and the laptop's server certificate, for HTTPS on the LAN.

Phones need HTTPS for offline forms (service workers and IndexedDB-safe crypto only exist in a
secure context). There is no public name for a commune laptop, so fieldkit makes its own CA once;
each phone installs the CA certificate once, and the server certificate can then be re-issued
whenever the laptop's addresses change without touching the phones again.
"""

import ipaddress
import os
import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..serve import TLS_DIR  # fieldkit.serve reads server.crt and server.key from this folder

CA_DAYS = 3650
# Browsers and iOS refuse longer-lived server certificates (CA/Browser Forum limit).
SERVER_DAYS = 397
RENEW_BEFORE = timedelta(days=30)
# Start a little in the past: a phone whose clock runs slow would otherwise reject a fresh certificate.
BACKDATE = timedelta(hours=1)
# Connecting a UDP socket sends nothing; it only asks the kernel which local address routes there.
# One address in each private range, plus the usual hotspot networks (Windows 192.168.137.0/24,
# Android 192.168.43.0/24, iPhone 172.20.10.0/28), so a laptop on two networks shows both.
PROBE_TARGETS = (
    "10.254.254.254",
    "172.31.254.254",
    "192.168.254.254",
    "192.168.137.254",
    "192.168.43.254",
    "172.20.10.14",
)
HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$"
)


@dataclass(frozen=True)
class TlsFiles:
    """Where the CA and the server certificate live inside an instance's tls/ folder."""

    folder: Path

    @property
    def ca_cert(self):
        return self.folder / "ca.crt"

    @property
    def ca_key(self):
        return self.folder / "ca.key"

    @property
    def server_cert(self):
        return self.folder / "server.crt"

    @property
    def server_key(self):
        return self.folder / "server.key"

    @property
    def extra_names(self):
        return self.folder / "extra-names.txt"


@dataclass(frozen=True)
class Outcome:
    """What `ensure_certificates` did, for the command to report."""

    ca_created: bool
    server_issued: bool
    reason: str  # "new", "ca", "key", "names", "expiry", or "" when nothing changed
    ca_fingerprint: str
    dns_names: tuple
    ip_addresses: tuple
    not_after: datetime


def _now():
    return datetime.now(UTC)


def lan_ipv4_addresses():
    """Every non-loopback IPv4 address of this machine, found without sending a packet."""
    found = set()
    try:
        import psutil  # optional: lists every interface, including ones without a route
    except ImportError:
        psutil = None
    if psutil is not None:
        for addresses in psutil.net_if_addrs().values():
            found.update(a.address for a in addresses if a.family == socket.AF_INET)
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    for target in PROBE_TARGETS:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect((target, 9))
                found.add(probe.getsockname()[0])
            except OSError:
                continue  # no route to that range: not on such a network
    usable = {ipaddress.IPv4Address(a) for a in found}
    return sorted(str(a) for a in usable if not a.is_loopback and not a.is_unspecified)


def is_host_name(name):
    """True for an ASCII DNS name a certificate can carry (letters, digits, '-', '_', dots)."""
    return bool(HOST_NAME.match(name))


def host_names():
    """The laptop's own names: its host name, the same with .local (mDNS), and localhost."""
    names = ["localhost"]
    host = socket.gethostname().strip().lower()
    if is_host_name(host) and host != "localhost":
        names.append(host)
        if "." not in host:
            names.append(f"{host}.local")
    return names


def wanted_names(extra_hosts=(), extra_ips=()):
    """(DNS names, IP addresses) the server certificate should carry, each sorted and unique."""
    dns = sorted({n.strip().lower().rstrip(".") for n in [*host_names(), *extra_hosts] if n.strip()})
    ips = {"127.0.0.1", *lan_ipv4_addresses(), *(str(ipaddress.ip_address(a.strip())) for a in extra_ips)}
    return tuple(dns), tuple(sorted(ips, key=ipaddress.ip_address))


def fingerprint(cert):
    """SHA-256 of the certificate, as phones show it: colon-separated upper-case hex."""
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def common_name(cert):
    """The certificate's CN, the name phones list it under."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else cert.subject.rfc4514_string()


def certificate_names(cert):
    """(DNS names, IP addresses) in a certificate's subjectAltName."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return (), ()
    dns = tuple(sorted(san.get_values_for_type(x509.DNSName)))
    ips = tuple(sorted((str(a) for a in san.get_values_for_type(x509.IPAddress)), key=ipaddress.ip_address))
    return dns, ips


def lan_addresses_of(cert):
    """The IP addresses a phone on the LAN can reach the server at: the certificate's, less loopback."""
    if cert is None:
        return []
    return [a for a in certificate_names(cert)[1] if not ipaddress.ip_address(a).is_loopback]


def create_ca(common_name, now=None):
    """A new CA key and self-signed certificate, valid about ten years, able only to sign certificates."""
    now = now or _now()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fieldkit"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue_server_certificate(ca_cert, ca_key, dns_names, ip_addresses, now=None):
    """A new server key and certificate for these names, signed by the CA, valid SERVER_DAYS."""
    now = now or _now()
    key = ec.generate_private_key(ec.SECP256R1())
    first = (list(dns_names) + list(ip_addresses))[0]
    alt_names = [x509.DNSName(n) for n in dns_names] + [x509.IPAddress(ipaddress.ip_address(a)) for a in ip_addresses]
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fieldkit"),
                    x509.NameAttribute(NameOID.COMMON_NAME, first),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def load_certificate(path):
    """The PEM certificate at `path`, or None if there is none."""
    try:
        return x509.load_pem_x509_certificate(Path(path).read_bytes())
    except FileNotFoundError:
        return None


def load_ca(files):
    """(CA certificate, CA key) from the instance, or (None, None)."""
    cert = load_certificate(files.ca_cert)
    if cert is None or not files.ca_key.exists():
        return None, None
    return cert, serialization.load_pem_private_key(files.ca_key.read_bytes(), password=None)


def _write_private_key(path, key):
    """Write a key readable by its owner only (0600), replacing any older file."""
    data = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _write_pair(cert_path, key_path, cert, key):
    # Key first, so a crash never leaves a certificate next to a key that does not match it.
    _write_private_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def signed_by(cert, ca_cert):
    """True if `cert` carries a valid signature by `ca_cert`."""
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (InvalidSignature, ValueError, TypeError):  # a forged signature, another issuer, another key type
        return False
    return True


def _key_matches(cert, key_path):
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except (FileNotFoundError, ValueError):
        return False
    return key.public_key() == cert.public_key()


def _reissue_reason(server, server_key_path, ca_cert, dns_names, ip_addresses, now):
    if server is None:
        return "new"
    if not signed_by(server, ca_cert):
        return "ca"
    if not _key_matches(server, server_key_path):
        return "key"  # e.g. a crash between writing the key and the certificate
    if certificate_names(server) != (tuple(sorted(dns_names)), tuple(sorted(ip_addresses, key=ipaddress.ip_address))):
        return "names"
    if server.not_valid_after_utc - now < RENEW_BEFORE:
        return "expiry"
    return ""


def ensure_certificates(folder, dns_names, ip_addresses, ca_name="fieldkit CA", now=None):
    """Create the CA if missing; (re)issue the server certificate if missing, stale or for other names."""
    now = now or _now()
    files = TlsFiles(Path(folder))
    files.folder.mkdir(parents=True, exist_ok=True)
    ca_cert, ca_key = load_ca(files)
    ca_created = ca_cert is None
    if ca_created:
        ca_cert, ca_key = create_ca(f"{ca_name} {now:%Y-%m-%d}", now)
        _write_pair(files.ca_cert, files.ca_key, ca_cert, ca_key)
    server = load_certificate(files.server_cert)
    reason = _reissue_reason(server, files.server_key, ca_cert, dns_names, ip_addresses, now)
    if reason:
        server, key = issue_server_certificate(ca_cert, ca_key, dns_names, ip_addresses, now)
        _write_pair(files.server_cert, files.server_key, server, key)
    dns, ips = certificate_names(server)
    return Outcome(ca_created, bool(reason), reason, fingerprint(ca_cert), dns, ips, server.not_valid_after_utc)


def read_extra_names(files):
    """Host names and addresses given earlier with --host/--ip, kept so a restart keeps them."""
    try:
        lines = files.extra_names.read_text(encoding="utf-8").split()
    except FileNotFoundError:
        return [], []
    hosts, ips = [], []
    for item in lines:
        try:
            ips.append(str(ipaddress.ip_address(item)))
        except ValueError:
            hosts.append(item)
    return hosts, ips


def write_extra_names(files, hosts, ips):
    files.folder.mkdir(parents=True, exist_ok=True)
    files.extra_names.write_text("".join(f"{n}\n" for n in [*hosts, *ips]), encoding="utf-8")


def ensure_for_instance(instance_path, extra_hosts=None, extra_ips=None, ca_name="fieldkit CA"):
    """Certificates for this laptop's current names; extras given now replace the stored ones."""
    files = TlsFiles(Path(instance_path) / TLS_DIR)
    if extra_hosts is None and extra_ips is None:
        extra_hosts, extra_ips = read_extra_names(files)
    else:
        extra_hosts, extra_ips = list(extra_hosts or ()), list(extra_ips or ())
        write_extra_names(files, extra_hosts, extra_ips)
    dns, ips = wanted_names(extra_hosts, extra_ips)
    return ensure_certificates(files.folder, dns, ips, ca_name)


def ca_certificate_der(folder):
    """The CA certificate as DER bytes (what phones install), or None if there is no CA yet."""
    cert = load_certificate(TlsFiles(Path(folder)).ca_cert)
    return None if cert is None else cert.public_bytes(serialization.Encoding.DER)
