"""Field-level encryption at rest (``cryptography`` Fernet / MultiFernet).

Patient message text and LangGraph checkpoints hold what the patient typed, identifiers
included; both are stored encrypted when ``HM_ENCRYPTION_KEYS`` is set. Stored values carry a
prefix, so rows written before encryption was switched on still read back.

Rotation: put a new key (``Fernet.generate_key()``) first in ``HM_ENCRYPTION_KEYS`` and keep the
old ones after it. New writes use the first key; every listed key decrypts. Drop an old key only
once no row written under it remains.

The cipher is process-wide (a column type cannot reach the container); ``configure`` only ever
adds keys, so apps of one process (tests) never lose the ability to read each other's rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.engine import Dialect
from sqlalchemy.types import Text, TypeDecorator

from core.errors import ConfigurationError

PREFIX = "enc1:"
_keys: list[bytes] = []
_cipher: MultiFernet | None = None


def configure(keys: Sequence[str]) -> None:
    """Use ``keys`` (the first encrypts) in this process, in addition to keys seen before."""
    global _cipher
    if not keys:
        return
    ordered = list(dict.fromkeys([k.encode() for k in keys] + _keys))
    try:
        cipher = MultiFernet([Fernet(k) for k in ordered])
    except ValueError as exc:
        raise ConfigurationError(
            "HM_ENCRYPTION_KEYS holds a value that is not a Fernet key", field="encryption_keys"
        ) from exc
    _keys[:] = ordered
    _cipher = cipher


def encrypt_bytes(data: bytes) -> bytes:
    return data if _cipher is None else PREFIX.encode() + _cipher.encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    if not data.startswith(PREFIX.encode()):
        return data
    if _cipher is None:
        raise ConfigurationError(
            "encrypted data but no HM_ENCRYPTION_KEYS", field="encryption_keys"
        )
    try:
        return _cipher.decrypt(data[len(PREFIX) :])
    except InvalidToken as exc:
        raise ConfigurationError(
            "encrypted data that no configured key decrypts", field="encryption_keys"
        ) from exc


class EncryptedText(TypeDecorator[str]):
    """Text stored encrypted (when keys are configured) and read back as plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or _cipher is None:
            return value
        return encrypt_bytes(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt_bytes(value.encode()).decode()
