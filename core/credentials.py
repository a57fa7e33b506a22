"""Credential crypto, all through well-kept libraries: argon2 (pwdlib) and HS256 tokens (PyJWT).

- Tenant API keys look like ``hm_<prefix>_<secret>``: the prefix finds the row, the secret is
  256 random bits and only its SHA-256 is stored (compared in constant time).
- Patient tokens and console sessions are signed JWTs with an expiry, a type (``typ``) and an
  audience, so one kind can never be replayed as another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from pwdlib import PasswordHash

KEY_PREFIX = "hm_"
_PASSWORDS = PasswordHash.recommended()
_ALGORITHM = "HS256"
TokenKind = Literal["patient", "session"]


class InvalidToken(Exception):
    """A token that is malformed, expired, of another kind, or not signed by us."""


def hash_password(password: str) -> str:
    return _PASSWORDS.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return bool(_PASSWORDS.verify(password, password_hash))
    except Exception:  # a malformed stored hash never signs anyone in
        return False


@dataclass(frozen=True)
class NewApiKey:
    key: str
    prefix: str
    secret_hash: str


def new_api_key() -> NewApiKey:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewApiKey(
        key=f"{KEY_PREFIX}{prefix}_{secret}", prefix=prefix, secret_hash=_sha256(secret)
    )


def split_api_key(key: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    prefix, sep, secret = key[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 12 or not secret or len(secret) > 128:
        return None
    return prefix, secret


def api_key_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(_sha256(secret), secret_hash)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def sign_token(kind: TokenKind, secret: str, ttl_s: int, claims: dict[str, Any]) -> str:
    now = int(time.time())
    payload = {
        **claims,
        "typ": kind,
        "aud": f"hm:{kind}",
        "iat": now,
        "exp": now + ttl_s,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM)


def read_token(kind: TokenKind, secret: str, token: str) -> dict[str, Any]:
    """The claims of a valid token of ``kind``; ``InvalidToken`` otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            audience=f"hm:{kind}",
            options={"require": ["exp", "iat", "typ", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("typ") != kind:
        raise InvalidToken("wrong token type")
    return claims


def token_kind(token: str) -> str | None:
    """The ``typ`` a token claims, read WITHOUT verifying it (only to pick the verifier)."""
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    kind = claims.get("typ") if isinstance(claims, dict) else None
    return kind if isinstance(kind, str) else None


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def hmac_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
