"""Password hashing with Argon2id, a memory-hard function; and which passwords are too easy to guess."""

import functools
import re
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..text import fold


class Passwords:
    """Hash and check passwords; `fast` only for tests, where many hashes would crawl."""

    def __init__(self, fast=False):
        self._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1) if fast else PasswordHasher()
        # Checked against when the user does not exist, so that takes as long as a wrong password.
        self._throwaway = self._hasher.hash("throwaway")

    def hash(self, password):
        return self._hasher.hash(password)

    def verify(self, password_hash, password):
        """True when the password matches the stored hash."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def spend_time(self, password):
        """Do the work of a verification that fails."""
        self.verify(self._throwaway, password)


_SEQUENCES = (
    "01234567890123456789",
    "98765432109876543210",
    "abcdefghijklmnopqrstuvwxyzabc",
    "zyxwvutsrqponmlkjihgfedcbazyx",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm",
    "1q2w3e4r5t6y7u8i9o0p",
)


@functools.cache
def common_passwords():
    """The folded passwords guessers try first (common-passwords.txt)."""
    lines = (Path(__file__).with_name("common-passwords.txt")).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _core(text):
    """Letters and digits only, folded: "Mật-khẩu 123!" -> "matkhau123"."""
    return re.sub(r"[^0-9a-z]", "", fold(text or ""))


def password_problem(password, username="", display_name=None):
    """Why a password would be easy to guess (a Vietnamese message), or None when it is acceptable."""
    from flask_babel import lazy_gettext as _l

    if not password.strip():
        return _l("Mật khẩu không được chỉ gồm dấu cách.")
    if len(password) < 8:
        return _l("Mật khẩu phải có ít nhất 8 ký tự.")
    core = _core(password)
    bare = core.strip("0123456789")
    whole_names = [name for name in (_core(username), _core(display_name)) if len(name) >= 3]
    words = {_core(word) for word in (display_name or "").split()}
    if any(name in core for name in whole_names) or (bare and bare in words):
        return _l("Mật khẩu không được chứa tên đăng nhập hoặc họ tên của người dùng.")
    if core in common_passwords() or (bare and bare in common_passwords()) or not bare and len(set(core)) < 6:
        return _l("Mật khẩu này thuộc loại hay dùng nhất, rất dễ bị đoán. Hãy chọn mật khẩu khác.")
    if len(set(fold(password))) < 4 or any(core in sequence for sequence in _SEQUENCES):
        return _l(
            "Mật khẩu quá đơn giản (lặp lại vài ký tự, hoặc theo thứ tự như 12345678, abcdefgh). "
            "Hãy chọn mật khẩu khó đoán hơn."
        )
    return None
