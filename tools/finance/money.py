"""Money helpers: every amount is a ``Decimal`` in yuan, rounded to the fen (0.01) at the end."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0")


def to_fen(amount: Decimal) -> Decimal:
    """Round half-up to the fen, the way a bank statement shows it."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(amount: Decimal) -> str:
    """``Decimal("12794.2")`` -> ``"¥12,794.20"``."""
    return f"¥{to_fen(amount):,.2f}"


def format_percent(rate: Decimal, places: int = 2) -> str:
    """``Decimal("0.10898")`` -> ``"10.90%"``."""
    quantum = Decimal(1).scaleb(-places)
    return f"{(rate * 100).quantize(quantum, rounding=ROUND_HALF_UP)}%"
