"""Fingerprints: what can change a build's output, as digests.

A fingerprint is a hash of everything that can change an output's bytes: the data its
template is given (`Fingerprinter` walks the view objects, so nothing a template can see is
left out), the sources of the templates it uses, the site configuration, and the code
(`code_digest`: the build package and every package it uses, and the versions of the
libraries that render). `stat_stamp` is the cheaper cousin the "nothing changed" answer
uses: names, sizes and mtimes of everything a build reads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen import __version__, codehash
from sitegen.content.cache import SCHEMA, SETTLE_SECONDS, FolderStats, stat_digest, versions
from sitegen.safepath import is_inside


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def build_sources() -> list[Path]:
    """The sitegen source files whose code can change what a build writes: the build
    package and every package it uses (`codehash`), never the parser, the importer or the
    other commands."""
    return codehash.sources("sitegen.builder")


@cache
def code_digest() -> str:
    """sitegen's build code, the libraries that shape output, and Python: any change to
    these may change any output, so it is part of every fingerprint."""
    return codehash.digest(build_sources(),
                           f"{SCHEMA};{__version__};{sys.version};{versions()}")


def _date(value: date) -> str:
    return "d" + value.isoformat()


def _markup(value: Markup) -> str:
    return "M" + repr(str(value))


_LEAVES: dict[type, Callable[[Any], str]] = {
    str: repr, int: repr, bool: repr, float: repr, type(None): repr, date: _date,
    Markup: _markup,
}
"""How each plain value is encoded: unambiguous, and the same in every process."""


class Fingerprinter:
    """Deterministic digests of view data: str, int, bool, None, float, date, Markup, lists,
    tuples, dicts and dataclasses of those. Anything else is a TypeError rather than a
    silently unstable digest (an object's default repr holds its memory address).

    Encodings of dataclass instances are memoised by identity, so an article shown on
    several pages of its edition (the edition, its page, its neighbours' pages) is encoded
    once. The memo keeps the objects alive, which keeps identities unique, until `forget`.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}
        self._getters: dict[type, Callable[[Any], tuple[Any, ...]]] = {}

    def digest(self, *values: object) -> str:
        return _hash(self._enc(values).encode("utf-8"))

    def forget(self) -> None:
        """Drop the memo (to bound memory once the objects in it will not be seen again)."""
        self._memo.clear()

    def _getter(self, kind: type) -> Callable[[Any], tuple[Any, ...]]:
        if not dataclasses.is_dataclass(kind):
            raise TypeError(f"cannot fingerprint a {kind.__name__}: use plain data in "
                            f"template contexts")
        names = [f.name for f in dataclasses.fields(kind)]
        if len(names) == 1:
            name = names[0]
            getter: Callable[[Any], tuple[Any, ...]] = lambda v: (getattr(v, name),)  # noqa: E731
        else:
            getter = attrgetter(*names)
        self._getters[kind] = getter
        return getter

    def _enc(self, value: object) -> str:
        leaf = _LEAVES.get(type(value))
        if leaf is not None:
            return leaf(value)
        kind = type(value)
        if kind is tuple or kind is list:
            return "(" + ",".join([
                _LEAVES[type(v)](v) if type(v) in _LEAVES else self._enc(v)
                for v in value  # type: ignore[attr-defined]
            ]) + ")"
        if kind is dict:
            return "{" + ",".join([self._enc(k) + ":" + self._enc(v)
                                   for k, v in value.items()]) + "}"  # type: ignore[attr-defined]
        memo = self._memo.get(id(value))
        if memo is not None:
            return memo[1]
        getter = self._getters.get(kind) or self._getter(kind)
        text = kind.__name__ + "(" + ",".join([
            _LEAVES[type(v)](v) if type(v) in _LEAVES else self._enc(v)
            for v in getter(value)
        ]) + ")"
        if len(text) > 160:
            text = "#" + _hash(text.encode("utf-8"))
        self._memo[id(value)] = (value, text)
        return text


# ------------------------------------------------------------------------------ stat stamps


def _walk(root: Path, out: list[str], now: float, skip: Callable[[str], bool],
          unsettled: list[Path], folders: FolderStats,
          allowed: Sequence[Path] | None = None) -> None:
    """Append `relpath size mtime` of every file under `root` to `out`, the files
    modified in the last `SETTLE_SECONDS` to `unsettled`, each folder's files to `folders`.

    A symlink is followed only where it stays inside `allowed` (when given) and only once
    (a loop is not walked forever); one leading out is recorded as such, not walked (the
    build refuses it when it reads it: `safepath`), and a broken one as missing."""
    stack = [(root, "")]
    followed: set[str | None] = set()  # where symlinked folders lead (only they make loops)
    while stack:
        folder, rel = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except FileNotFoundError:
            out.append(f"{rel}\0missing")
            continue
        except NotADirectoryError:
            st = folder.stat()
            out.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}")
            if now - st.st_mtime < SETTLE_SECONDS:
                unsettled.append(folder)
            continue
        out.append(f"{rel}/")
        files: list[tuple[str, int, int]] = []
        settled = True
        for entry in entries:
            name = f"{rel}/{entry.name}"
            if skip(name):
                continue
            link = entry.is_symlink()
            if link and allowed is not None and not is_inside(Path(entry.path), allowed):
                out.append(f"{name}\0outside\0{os.readlink(entry.path)}")
                continue
            try:
                if entry.is_dir(follow_symlinks=True):
                    real = os.path.realpath(entry.path) if link else None
                    if real in followed:
                        out.append(f"{name}\0loop")
                        continue
                    if real is not None:
                        followed.add(real)
                    stack.append((Path(entry.path), name))
                    continue
                st = entry.stat()
            except OSError:
                out.append(f"{name}\0missing")
                continue
            out.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}")
            if now - st.st_mtime < SETTLE_SECONDS:
                unsettled.append(Path(entry.path))
                settled = False
            if entry.is_file():
                files.append((entry.name, st.st_size, st.st_mtime_ns))
        folders[str(folder)] = (stat_digest(files), settled)


def stat_stamp(roots: Iterable[Path], extra: str, skip: Callable[[str], bool] = lambda _: False,
               allowed: Sequence[Path] | None = None,
               ) -> tuple[str, dict[str, str], FolderStats]:
    """A digest of the names, sizes and mtimes of every file under `roots` (files or
    folders) plus `extra`; the content hash of each file modified in the last
    `SETTLE_SECONDS`, whose stat data alone cannot vouch for it (`racy_files_unchanged`);
    and the stat data of each folder walked (`ContentCache` reuses it). Symlinks are
    followed only inside `allowed` (when given).

    Only stat calls for the rest: 20,000 content files take a few tens of milliseconds."""
    now = time.time()
    lines = [extra]
    unsettled: list[Path] = []
    folders: FolderStats = {}
    for root in roots:
        lines.append(f"@{root}")
        _walk(root, lines, now, skip, unsettled, folders, allowed)
    return _hash("\n".join(lines).encode("utf-8")), _file_hashes(unsettled), folders


def _file_hashes(paths: Iterable[Path]) -> dict[str, str]:
    out = {}
    for path in paths:
        try:
            out[str(path)] = _hash(path.read_bytes())
        except OSError:
            out[str(path)] = "-"
    return out


def racy_files_unchanged(hashes: dict[str, str]) -> bool:
    """Whether the files that were too recent to trust by stat still have these hashes."""
    return _file_hashes(Path(p) for p in hashes) == hashes


def dir_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder: each build's folder is new, so this names one build."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def listing_digest(paths: Iterable[str]) -> str:
    """Digest of a set of relative file paths (`/`-separated): what a build wrote."""
    h = hashlib.blake2b(digest_size=16)
    for rel in sorted(paths):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def folder_listing(root: Path) -> list[str]:
    """Every file under `root`, as relative `/`-separated paths (names only, no stat)."""
    out: list[str] = []
    for folder, _, files in os.walk(root):
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        out.extend(prefix + name for name in files)
    return out
