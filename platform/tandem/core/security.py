"""Password hashing (argon2id) and API token generation and digests."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's (RFC 9106 low-memory) parameters
# Verified against when the account does not exist, so a wrong email costs the same time.
_DUMMY_HASH = _hasher.hash("tandem-timing-equaliser")

TOKEN_PREFIX = "tdm_"
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough to make a leaked table useless.
    return hashlib.sha256(token.encode()).hexdigest()
