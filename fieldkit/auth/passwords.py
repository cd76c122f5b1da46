"""Password hashing with Argon2id, a memory-hard function."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


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
