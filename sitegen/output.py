"""Where a build writes: a fresh folder, with unchanged files taken from the previous build.

A build always writes into a new staging folder that is swapped in atomically, so a failed
build never leaves a half-written site. Re-rendering 20,000 unchanged pages into that folder
would make every rebuild a full build; instead a writer that knows an output's inputs have
not changed calls `reuse(rel)`, which hard-links the previous build's file (same file
system, no copy, no bytes read). Writers that only know the new bytes use `write_bytes`,
which also links when the previous file has the same content.

A staging folder can also be a *recycled* one: the site the last build replaced, taken back
(`builder/publish.py`). Most of its files are hard links to the very files of `build/` (the
same inodes), so `reuse` has nothing to do for them: it compares inode numbers from one
`scandir` per folder instead of making 45,000 links (about 2 s of a year's incremental
build on this machine's disk). What differs is replaced, never written into (it may be a
link to the published site), and `prune` removes what the new site no longer has.

The fingerprints that tell a writer "unchanged" live in the build's records
(`builder/fingerprint.py`, `builder/state.py`), not here: this module only moves files.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path
from typing import BinaryIO

from sitegen.errors import naming


class BuildOutput:
    """The staging folder of one build and, optionally, the previous build to reuse from."""

    def __init__(self, root: Path, previous: Path | None = None,
                 recycled: bool = False) -> None:
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
        self._listings: dict[str, dict[str, int]] | None = {} if recycled else None
        """A recycled folder's (and the previous build's) folders as read: name → inode."""

    def _target(self, rel: str) -> Path:
        return Path(self._target_str(rel))

    def _target_str(self, rel: str) -> str:
        # plain strings, not Path objects: a rebuild links every unchanged file of the site
        # (25,000 a year), and pathlib's parsing was most of that time
        target = os.path.join(self._root, rel)
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            try:
                os.makedirs(parent, exist_ok=True)
            except (FileExistsError, NotADirectoryError):
                if self._listings is None:
                    raise
                _clear_files_on_the_way(self._root, parent)  # a file where a folder goes
                os.makedirs(parent, exist_ok=True)
            self._dirs.add(parent)
        return target

    def _listing(self, folder: str) -> dict[str, int]:
        assert self._listings is not None
        found = self._listings.get(folder)
        if found is None:
            try:
                with os.scandir(folder) as entries:
                    found = {entry.name: entry.inode() for entry in entries}
            except OSError:
                found = {}
            self._listings[folder] = found
        return found

    def _kept(self, source: str, target: str) -> bool:
        """Whether `target`, in a recycled folder, already is `source` (one inode)."""
        if self._listings is None:
            return False
        source_dir, source_name = os.path.split(source)
        target_dir, target_name = os.path.split(target)
        inode = self._listing(source_dir).get(source_name)
        return inode is not None and self._listing(target_dir).get(target_name) == inode

    def _changed(self, target: str) -> None:
        """Forget what was read of `target`: this output has just replaced it."""
        if self._listings is not None:
            folder, name = os.path.split(target)
            self._listings.get(folder, {}).pop(name, None)

    def reuse(self, rel: str) -> bool:
        """Link `rel` from the previous build; False when there is no such file to reuse."""
        if self._previous is None:
            return False
        source = os.path.join(self._previous, rel)
        target = self._target_str(rel)
        if self._kept(source, target):
            return self._reused(rel)
        try:
            os.link(source, target)  # no stat first: a year's rebuild links 70,000 files
        except FileNotFoundError:
            if not os.path.exists(source):
                return False
            raise
        except FileExistsError:
            _remove(target)
            os.link(source, target)
        except OSError:
            if not os.path.isfile(source):
                return False
            shutil.copy2(source, target)
        self._changed(target)
        return self._reused(rel)

    def _reused(self, rel: str) -> bool:
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
        overwrite = False
        try:
            fh = target.open("xb")
        except FileExistsError:
            # Never write into a file another folder shares: it may be a hard link to the
            # previous build's file, which is still the published site until the swap.
            fh = _unshared(target) if self._listings is not None else None
            overwrite = fh is not None
            if fh is None:
                _remove(str(target))
                fh = target.open("xb")
        self._changed(str(target))
        try:
            with fh:
                fh.write(data)
                if overwrite:
                    fh.truncate()  # what is left of the old bytes past the new ones
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


def _unshared(path: Path) -> BinaryIO | None:
    """`path` open for writing over its bytes if it is a file of a recycled folder that no
    other folder shares (one link: a file the last build wrote), else None. The caller
    writes from the start, then cuts what is left. Not truncating it first is the point:
    on ext4 a file truncated to zero and written again is flushed to disk when it is
    closed (`auto_da_alloc`), and with `discard` its freed blocks are trimmed. Writing over
    a file of about the same size measured 30 µs against 220 µs emptied first and 550 µs
    unlinked and created again (the latest month's 2,800 search files, rewritten by every
    build that adds an edition)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # a folder, a link
        return None
    info = os.fstat(fd)
    if info.st_nlink != 1 or not stat.S_ISREG(info.st_mode):
        os.close(fd)
        return None
    return os.fdopen(fd, "wb")


def _remove(path: str) -> None:
    """Make room for a file at `path`: a recycled folder may have a file there, or (the
    site's layout changed) a folder."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _clear_files_on_the_way(root: str, folder: str) -> None:
    """Remove the files (of a recycled folder) standing where `folder`'s parts must be
    folders."""
    path = root
    for part in os.path.relpath(folder, root).split(os.sep):
        path = os.path.join(path, part)
        if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
            os.unlink(path)


def prune(root: Path, keep: set[str]) -> int:
    """Delete what a recycled folder still holds that the new site does not (`keep`: the
    relative paths of its files), empty folders included; returns the files deleted. One
    `scandir` per folder and no stat: this walk of the whole site (a year's is 7,000
    folders, 50,000 files) runs between the last task and the swap."""
    return _prune(str(root), "", {os.path.normpath(rel) for rel in keep})[0]


def _prune(folder: str, prefix: str, wanted: set[str]) -> tuple[int, bool]:
    """(Files deleted under `folder`, whether it is empty now); `prefix` is its path
    relative to the root, with a trailing separator."""
    deleted = kept = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                gone, empty = _prune(entry.path, rel + os.sep, wanted)
                deleted += gone
                if empty:
                    os.rmdir(entry.path)
                else:
                    kept += 1
            elif rel in wanted:
                kept += 1
            else:
                os.unlink(entry.path)
                deleted += 1
    return deleted, kept == 0
