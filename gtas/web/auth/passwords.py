"""Password hashing (argon2id), the password policy, and generated passwords; nothing here knows Flask."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()  # argon2id with the RFC 9106 low-memory parameters of argon2-cffi
MAX_LENGTH = 256  # longer input is refused before hashing: a password that long is a mistake or an attack
GENERATED_BYTES = 15  # 20 URL-safe characters, 120 random bits


def hash_password(password: str) -> str:
    """The argon2id hash to store for the password."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash (a malformed hash matches nothing)."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's (it is replaced at the next sign-in)."""
    return HASHER.check_needs_rehash(password_hash)


def spend_verification_time(password: str) -> None:
    """Verify against a throw-away hash, so that an unknown username takes as long to refuse as a known one."""
    verify_password(_throwaway_hash(), password)


@cache
def _throwaway_hash() -> str:
    return HASHER.hash(secrets.token_urlsafe(GENERATED_BYTES))


def password_problems(password: str, username: str, min_length: int) -> list[str]:
    """What makes the password unacceptable under the policy; empty when it is acceptable."""
    problems = []
    if len(password) < min_length:
        problems.append(f"use at least {min_length} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"use at most {MAX_LENGTH} characters")
    if password.strip().casefold() == username.strip().casefold():
        problems.append("do not use your username as the password")
    if password and len(set(password)) == 1:
        problems.append("do not repeat a single character")
    return problems


def generate_password() -> str:
    """A random password to hand over once (the user changes it at first sign-in)."""
    return secrets.token_urlsafe(GENERATED_BYTES)
