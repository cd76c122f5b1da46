"""Where fieldkit's data folders are, in a checkout and in an installed copy."""

import os
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent


def resource_dir(name):
    """Return the folder `forms` or `static`: the checkout's, else the installed copy's."""
    in_checkout = CHECKOUT_DIR / name
    if in_checkout.is_dir() and (CHECKOUT_DIR / "setup.cfg").is_file():
        return in_checkout
    return Path(sys.prefix) / "share" / "fieldkit" / name


def default_instance_dir():
    """Return the instance folder: FIELDKIT_INSTANCE, else instance/ in the checkout or here."""
    chosen = os.environ.get("FIELDKIT_INSTANCE")
    if chosen:
        return Path(chosen).resolve()
    if (CHECKOUT_DIR / "setup.cfg").is_file():
        return CHECKOUT_DIR / "instance"
    return Path.cwd() / "instance"
