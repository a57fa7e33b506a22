"""Webhook signatures: HMAC-SHA256 over ``"<timestamp>.<body>"`` (the scheme receivers verify).

Headers of every delivery::

    X-HM-Timestamp: 1764745200            (Unix seconds when this attempt was signed)
    X-HM-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>
    Idempotency-Key: <event id>           (the same on every retry: drop duplicates by it)

A receiver recomputes the HMAC over the raw body, compares in constant time, and refuses a
timestamp older than its tolerance (default 5 minutes) — a captured delivery cannot be
replayed later, and a retried one is recognised by its ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TOLERANCE_S = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={mac.hexdigest()}"


def verify(
    secret: str,
    timestamp: str,
    sent_signature: str,
    body: bytes,
    *,
    tolerance_s: int = TOLERANCE_S,
    now: float | None = None,
) -> bool:
    """True when the signature is ours over this body and the timestamp is fresh."""
    try:
        ts = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance_s:
        return False
    return hmac.compare_digest(signature(secret, ts, body), sent_signature)
