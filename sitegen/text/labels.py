"""Page labels: `01`, or a section letter and a number (`A01`, `C02`), as papers print them.

One home for what a label is, how labels sort (letter, then number: `A01 < A02 < B01`,
and a plain `01` before any lettered page), how a jump line's printed label (`第2版`)
finds its page, and how a reader sees it (`第C01版`). Sites that number pages `01`, `02`
keep their file names and URLs: a label is the same two digits there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_LABEL = re.compile(r"(?P<letter>[A-Z]?)(?P<number>[0-9]{2})", re.ASCII)
RAW_PAGE = re.compile(r"(?P<label>[A-Z]?[0-9]{2})\.txt", re.ASCII)
"""A raw page file name: `01.txt`, `A01.txt` (ASCII digits and capital, nothing after)."""


def is_label(text: str) -> bool:
    match = _LABEL.fullmatch(text)
    return bool(match) and int(match["number"]) > 0


def label_of_file(name: str) -> str | None:
    """`A01.txt` → `A01`; None for any other name (`00.txt` included: pages count from 1)."""
    match = RAW_PAGE.fullmatch(name)
    return match["label"] if match and is_label(match["label"]) else None


def sort_key(label: str) -> tuple[str, int]:
    """Letter, then number."""
    match = _LABEL.fullmatch(label)
    if match is None:
        raise ValueError(f"not a page label: {label!r}")
    return match["letter"], int(match["number"])


def sorted_labels(labels: Iterable[str]) -> list[str]:
    return sorted(labels, key=sort_key)


def display(label: str) -> str:
    """`C01` → `第C01版`, as the paper prints a page's name."""
    return f"第{label}版"


def resolve_jump(printed: str, labels: Iterable[str], from_label: str) -> str | None:
    """The page a jump line means. `第A02版` names it exactly; `第2版` names a number, which
    on a lettered edition is the page of that number in the jumping page's own section
    (else the only page of that number)."""
    labels = list(labels)
    if printed in labels:
        return printed
    if not printed.isdigit():
        return None
    number = int(printed)
    same = [la for la in labels if sort_key(la)[1] == number]
    own = [la for la in same if sort_key(la)[0] == sort_key(from_label)[0]]
    if len(own) == 1:
        return own[0]
    return same[0] if len(same) == 1 else None
