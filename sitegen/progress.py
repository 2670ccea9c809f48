"""A progress bar for long builds, on a terminal only.

A year of the paper is tens of thousands of pages; a cold build takes long enough that an
editor should see it moving. The bar goes to stderr and only when stderr is a terminal, so
logs, CI output, tests and `sitegen serve` stay quiet (they get the one summary line).
"""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm


def wanted(stream: TextIO | None = None) -> bool:
    """Whether to show a bar: `stream` (default stderr) is an interactive terminal."""
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """A counter that draws a tqdm bar when enabled and does nothing otherwise."""

    def __init__(self, total: int, desc: str, enabled: bool, unit: str = "page") -> None:
        self._bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                         dynamic_ncols=True, mininterval=0.2) if enabled and total else None

    def update(self, n: int = 1) -> None:
        if self._bar is not None and n:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
