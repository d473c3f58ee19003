"""Random tokens for links and sessions; only their SHA-256 is ever stored."""

import base64
import hashlib
import hmac
import secrets

from rxapp.settings import get_secret_key

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


def new_salt() -> str:
    """A random value stored beside a derived token (128 bits)."""
    return secrets.token_hex(16)


def derive_token(purpose: str, salt: str) -> str:
    """Rebuild a link token from the server secret and a stored salt.

    Used where a link must be shown again later (copy link, remind now) while the
    database keeps only its hash: without the secret the salt reveals nothing.
    """
    digest = hmac.new(get_secret_key(), f"{purpose}:{salt}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
