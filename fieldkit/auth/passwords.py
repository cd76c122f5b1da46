"""Password hashing with Argon2id, a memory-hard function."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


def make_hasher(fast=False):
    """Return the hasher; `fast` only for tests, where thousands of hashes would crawl."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(hasher, password):
    return hasher.hash(password)


def verify_password(hasher, password_hash, password):
    """Return True when the password matches the stored hash."""
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
