"""Creating an installation: its config.toml, secret key, site key pair and database."""

import os
import secrets
import uuid
from pathlib import Path

import tomli_w
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from .config import CONFIG_FILE
from .errors import UserFacingError

KEY_DIR = "keys"
PRIVATE_KEY_FILE = "site_ed25519.pem"
PUBLIC_KEY_FILE = "site_ed25519.pub.pem"


def write_config(instance_dir, role, name):
    """Write config.toml with a new secret and site id; return the settings written.

    An existing config.toml is kept as it is: its secret and site id identify the installation.
    """
    path = Path(instance_dir) / CONFIG_FILE
    if path.exists():
        return None
    settings = {
        "role": role,
        "site_name": name,
        "site_id": str(uuid.uuid4()),
        "secret_key": secrets.token_hex(32),
        "public_base_url": "http://127.0.0.1:8080",
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.write(b"# fieldkit settings for this installation. Keep secret_key private.\n")
        tomli_w.dump(settings, f)
    _private(path)
    return settings


class NotInitialised(UserFacingError):
    """The installation has no site id yet: `fieldkit init` has not been run."""

    status = 500


def site_id(app):
    """This installation's id (config.toml's `site_id`, written once by `fieldkit init`).

    Every row the installation makes is stamped with it, whichever area makes it: there is no
    fallback, because a row stamped "local" on one laptop and "demo" on another could not be told
    apart at Sở Nội vụ.
    """
    value = app.config.get("SITE_ID")
    if not value:
        raise NotInitialised("Máy này chưa được khởi tạo: chạy `fieldkit init` trước. / Run `fieldkit init` first.")
    return value


def generate_site_keys(instance_dir):
    """Create the site's Ed25519 key pair unless it exists; return the public key PEM."""
    key_dir = Path(instance_dir) / KEY_DIR
    private_path, public_path = key_dir / PRIVATE_KEY_FILE, key_dir / PUBLIC_KEY_FILE
    if not private_path.exists():
        key_dir.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        _private(private_path)
        public_path.write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
    return public_path.read_bytes()


def load_private_key(instance_dir):
    data = (Path(instance_dir) / KEY_DIR / PRIVATE_KEY_FILE).read_bytes()
    return serialization.load_pem_private_key(data, password=None)


def protect_instance(instance_dir):
    """Keep the instance to its owner: files fieldkit creates from now on are 600 in 700 folders, and
    what is already there (an install from before, a restored backup) is tightened the same way.

    The folder holds password hashes, households' names and phones, photos and the site's private
    key; on a shared laptop another account must not read them.
    """
    os.umask(0o077)
    root = Path(instance_dir)
    if not root.is_dir():
        return
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            _private(path, 0o700 if path.is_dir() else 0o600)


def _private(path, mode=0o600):
    try:
        os.chmod(path, mode)
    except OSError:  # Windows keeps its own ACLs
        pass
