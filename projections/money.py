"""Money as the API shows it: a decimal string of yuan, never a float; events keep fen."""

from __future__ import annotations

from typing import Any


def yuan(amount_fen: int | None) -> str | None:
    if amount_fen is None:
        return None
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


def penalty_in_yuan(penalty: dict[str, Any]) -> dict[str, Any]:
    """A penalty as an event carries it (in fen), with its amount in yuan."""
    shown = {k: v for k, v in penalty.items() if k != "amount_fen"}
    return dict(shown, amount_yuan=yuan(penalty.get("amount_fen")))
