"""The CA fingerprint is the certificate's own SHA-256, computed here independently (issue 18: a
constant fingerprint went unnoticed while tests compared fingerprint() with itself).
"""

import hashlib
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding

from fieldkit.offline import tls


def test_the_ca_fingerprint_is_the_sha256_of_the_certificate(tmp_path):
    outcome = tls.ensure_certificates(tmp_path, ["laptop.local"], ["192.168.1.10"])
    der = tls.load_certificate(tls.TlsFiles(tmp_path).ca_cert).public_bytes(Encoding.DER)
    expected = hashlib.sha256(der).hexdigest().upper()
    assert outcome.ca_fingerprint.replace(":", "") == expected
    # Another CA has another fingerprint.
    other = tls.ensure_certificates(tmp_path / "other", ["laptop.local"], ["192.168.1.10"])
    assert other.ca_fingerprint != outcome.ca_fingerprint


def test_tls_show_prints_the_certificates_own_fingerprint(app, runner):
    runner.invoke(args=["tls", "init", "--host", "laptop.local"])
    files = tls.TlsFiles(Path(app.instance_path) / "tls")
    der = tls.load_certificate(files.ca_cert).public_bytes(Encoding.DER)
    expected = hashlib.sha256(der).hexdigest().upper()
    shown = runner.invoke(args=["tls", "show"])
    assert shown.exit_code == 0, shown.output
    assert expected in shown.output.replace(":", "")
