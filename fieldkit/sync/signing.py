"""Ed25519 signatures with the key pair `fieldkit init` writes (see fieldkit/instance.py)."""

from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..instance import KEY_DIR, PUBLIC_KEY_FILE, load_private_key


def sign(private_key, data):
    return private_key.sign(data)


def verify(public_pem, data, signature):
    """True when `signature` is the holder of `public_pem`'s signature of `data`."""
    try:
        key = serialization.load_pem_public_key(public_pem.encode() if isinstance(public_pem, str) else public_pem)
        if not isinstance(key, Ed25519PublicKey):
            return False
        key.verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def public_pem(instance_dir):
    """This installation's public key, PEM text."""
    return (Path(instance_dir) / KEY_DIR / PUBLIC_KEY_FILE).read_text()


def private_key(instance_dir):
    return load_private_key(instance_dir)


def is_public_key(text):
    """True for an Ed25519 public key in PEM."""
    try:
        return isinstance(serialization.load_pem_public_key(text.encode()), Ed25519PublicKey)
    except (ValueError, TypeError, AttributeError):
        return False
