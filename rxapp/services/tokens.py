"""Random tokens for links and sessions; only their SHA-256 is ever stored."""

import hashlib
import hmac
import secrets

# 32 random bytes = 256 bits, far above the 128 bits a guessing attack would need.
TOKEN_BYTES = 32


def new_token() -> tuple[str, str]:
    """Return a fresh URL-safe token and the hash to store for it."""
    raw = secrets.token_urlsafe(TOKEN_BYTES)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    """Return the hex SHA-256 of a token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Compare two hashes in constant time."""
    return hmac.compare_digest(a, b)
