"""Postings as a string of base64url digits: five bits a digit, most significant first,
the sixth bit (32) set on every digit of a number but its last (`1` is `B`, `40` is `hI`).

A part's postings were a JSON array of decimal numbers in a script. At ten years a query
reads megabytes of them, and Chromium parses an array literal far more slowly than it scans
a string, which the client then decodes in one loop into an `Int32Array` (client.js
`decodeInts`). Most numbers are small (a term frequency, the gap to the next document), so
they take one or two characters with no comma: the postings' text is about half as long,
and its gzip 6-11% smaller, than the decimal list's (measured on ten-year packs' light and
heavy files).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

LIMIT = 1 << 31
"""Numbers must be below this: the client decodes them into 32-bit integers."""

_CHUNK = 1 << 16
"""Numbers encoded at a time: a year's 100 million at once would make temporary arrays of
gigabytes (as `engine.ints_csv` found)."""


def ints_varint(values: np.ndarray | Sequence[int],
                at: np.ndarray | Sequence[int] | None = None
                ) -> tuple[bytes, np.ndarray]:
    """Non-negative integers as digits, and the offset just past each number (or just past
    the numbers whose indices are `at`, ascending), so a caller can cut the text into
    files at number boundaries."""
    v = np.asarray(values, dtype=np.int64)
    if not len(v):
        return b"", np.zeros(0, dtype=np.int64)
    if int(v.min()) < 0 or int(v.max()) >= LIMIT:
        raise ValueError(f"numbers must be in [0, {LIMIT}): {int(v.min())}..{int(v.max())}")
    wanted = None if at is None else np.asarray(at, dtype=np.int64)
    alphabet = np.frombuffer(B64, dtype=np.uint8)
    parts: list[bytes] = []
    ends: list[np.ndarray] = []
    offset = 0
    for i in range(0, len(v), _CHUNK):
        chunk = v[i:i + _CHUNK]
        digits = np.ones(len(chunk), dtype=np.int64)
        rest = chunk >> 5
        while rest.any():
            digits += rest > 0
            rest >>= 5
        chunk_ends = np.cumsum(digits)
        owner = np.repeat(np.arange(len(chunk)), digits)
        # each character's place from its number's last digit: 0 for the last
        place = chunk_ends[owner] - 1 - np.arange(int(chunk_ends[-1]))
        code = (chunk[owner] >> (5 * place)) & 31
        code |= (place > 0).astype(np.int64) << 5
        text = alphabet[code].tobytes()
        parts.append(text)
        if wanted is None:
            ends.append(chunk_ends + offset)
        else:
            lo, hi = np.searchsorted(wanted, [i, i + len(chunk)])
            ends.append(chunk_ends[wanted[lo:hi] - i] + offset)
        offset += len(text)
    return b"".join(parts), np.concatenate(ends)
