"""Where a build writes: a fresh folder, with unchanged files taken from the previous build.

A build always writes into a new staging folder that is swapped in atomically, so a failed
build never leaves a half-written site. Re-rendering 20,000 unchanged pages into that folder
would make every rebuild a full build; instead a writer that knows an output's inputs have
not changed calls `reuse(rel)`, which hard-links the previous build's file (same file
system, no copy, no bytes read). Writers that only know the new bytes use `write_bytes`,
which also links when the previous file has the same content.

The fingerprints that tell a writer "unchanged" live in the build's records
(`builder/fingerprint.py`, `builder/state.py`), not here: this module only moves files.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import naming


class BuildOutput:
    """The staging folder of one build and, optionally, the previous build to reuse from."""

    def __init__(self, root: Path, previous: Path | None = None) -> None:
        self.root = root
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.written = 0
        self.reused = 0
        self.written_paths: set[str] = set()
        """Files with new bytes: not in the previous build, or different there."""
        self.reused_paths: set[str] = set()
        """Files linked from the previous build (asked for, or written with equal bytes)."""
        self._dirs: set[str] = set()
        self._root = str(root)
        self._previous = str(self.previous) if self.previous is not None else None

    def _target(self, rel: str) -> Path:
        return Path(self._target_str(rel))

    def _target_str(self, rel: str) -> str:
        # plain strings, not Path objects: a rebuild links every unchanged file of the site
        # (25,000 a year), and pathlib's parsing was most of that time
        target = os.path.join(self._root, rel)
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        return target

    def reuse(self, rel: str) -> bool:
        """Link `rel` from the previous build; False when there is no such file to reuse."""
        if self._previous is None:
            return False
        source = os.path.join(self._previous, rel)
        target = self._target_str(rel)
        try:
            os.link(source, target)  # no stat first: a year's rebuild links 70,000 files
        except FileNotFoundError:
            if not os.path.exists(source):
                return False
            raise
        except FileExistsError:
            os.unlink(target)
            os.link(source, target)
        except OSError:
            if not os.path.isfile(source):
                return False
            shutil.copy2(source, target)
        self.reused += 1
        self.reused_paths.add(rel)
        self.written_paths.discard(rel)
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
        target = self._target(rel)
        try:
            fh = target.open("xb")
        except FileExistsError:
            # Never write into an existing file: it may be a hard link to the previous
            # build's file, which is still the published site until the swap.
            target.unlink()
            fh = target.open("xb")
        try:
            with fh:
                fh.write(data)
        except OSError as exc:
            raise naming(exc, target) from exc
        self.written += 1
        self.written_paths.add(rel)
        self.reused_paths.discard(rel)


class MemoryOutput(BuildOutput):
    """An output that keeps its files in memory (`files`), for what is zipped rather than
    published (an offline copy's search data): no folder to create, fill, read back and
    delete for each of a year's 365 copies. There is no previous build to reuse from."""

    def __init__(self) -> None:
        super().__init__(Path("."))
        self.files: dict[str, bytes] = {}

    def reuse(self, rel: str) -> bool:
        return False

    def write_bytes(self, rel: str, data: bytes) -> None:
        self.files[rel] = data
        self.written += 1
        self.written_paths.add(rel)
