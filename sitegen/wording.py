"""Counts in messages: "1 edition", "2 editions", never "1 editions" or "edition(s)"."""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun in the number it needs (`plural` for an irregular one)."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
