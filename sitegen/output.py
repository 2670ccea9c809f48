"""Where a build writes: a fresh folder, with unchanged files taken from the previous build.

A build always writes into a new staging folder that is swapped in atomically, so a failed
build never leaves a half-written site. Re-rendering 20,000 unchanged pages into that folder
would make every rebuild a full build; instead a writer that knows an output's inputs have
not changed calls `reuse(rel)`, which hard-links the previous build's file (same file
system, no copy, no bytes read). Writers that only know the new bytes use `write_bytes`,
which also links when the previous file has the same content.

The fingerprints that tell a writer "unchanged" live in the build cache (`cache.py`), not
here: this module only moves files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class BuildOutput:
    """The staging folder of one build and, optionally, the previous build to reuse from."""

    def __init__(self, root: Path, previous: Path | None = None) -> None:
        self.root = root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.written = 0
        self.reused = 0
        self._dirs: set[Path] = set()

    def _target(self, rel: str) -> Path:
        target = self.root / rel
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        return target

    def reuse(self, rel: str) -> bool:
        """Link `rel` from the previous build; False when there is no such file to reuse."""
        if self.previous is None:
            return False
        source = self.previous / rel
        if not source.is_file():
            return False
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        self.reused += 1
        return True

    def write_bytes(self, rel: str, data: bytes) -> None:
        if self.previous is not None:
            source = self.previous / rel
            try:
                same = source.stat().st_size == len(data) and source.read_bytes() == data
            except OSError:
                same = False
            if same and self.reuse(rel):
                return
        self._target(rel).write_bytes(data)
        self.written += 1

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def copy_file(self, rel: str, source: Path) -> None:
        self.write_bytes(rel, source.read_bytes())
