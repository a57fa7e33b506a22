"""Field encryption: values round-trip, rotation keeps old rows readable, clear rows still load."""

from __future__ import annotations

from cryptography.fernet import Fernet

from core import crypto


def test_rotation_keeps_old_rows_readable_and_writes_with_the_new_key() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    crypto.configure([old])
    written_before = crypto.encrypt_bytes(b"patient text 13912345678")
    assert b"13912345678" not in written_before
    crypto.configure([new, old])  # rotation: the new key first, the old one kept
    assert crypto.decrypt_bytes(written_before) == b"patient text 13912345678"
    written_after = crypto.encrypt_bytes(b"later text")
    token = written_after[len(crypto.PREFIX) :]
    assert Fernet(new.encode()).decrypt(token) == b"later text"
    assert crypto.decrypt_bytes(b"written in clear") == b"written in clear"
