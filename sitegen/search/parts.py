"""The parts store: where a month's search parts wait between being made and being packed.

A month is indexed once (`assets.write_segment`, in a worker); its parts (the light
buckets, the heavy terms' postings, the field lengths and the directory's vocabulary) are
kept here, under its content hash, so a later build re-packs the month without indexing it
again and a pack task (another worker, or another step of a partitioned build) reads only
its own share. Apart from `assets.py` because it is a storage format of its own.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from sitegen.errors import SitegenError, naming
from sitegen.search.shards import PackVocab, SegmentParts


class PartsStore:
    """Where made segments' parts wait to be packed: `<cache>/parts/<key>.bin` with the
    build's cache (a later build re-packs a month without indexing it again), else memory.

    A month is an index (its content hash, record, and each part's byte range) and the
    parts one after the other, so a pack task reads only its own share of each month. A
    file holds the index (marshal) after its length, then the parts."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.root = None if cache_dir is None else Path(cache_dir) / "parts"
        self.memory: dict[str, bytes] = {}  # key -> the parts, without a cache folder
        self.vocabs: dict[str, tuple[str, PackVocab]] = {}  # the same for packs' entries
        self._indexes: dict[str, tuple[dict, int] | None] = {}  # key -> (index, parts' offset)

    def save(self, key: str, digest: str, parts: SegmentParts) -> None:
        blobs: list[bytes] = []
        at = 0

        def place(data: bytes) -> tuple[int, int]:
            nonlocal at
            blobs.append(data)
            at += len(data)
            return at - len(data), len(data)

        index = {"digest": digest, "record": parts.record,
                 "light": [place(b) for b in parts.light],
                 "heavy": {t: place(b) for t, b in parts.heavy.items()},
                 "lengths": place(parts.lengths), "vocab": place(parts.vocab)}
        if self.root is None:
            self.memory[key] = b"".join(blobs)
            self._indexes[key] = (index, 0)
            return
        head = marshal.dumps(index)
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{key}.tmp"
        try:
            with tmp.open("wb") as fh:
                fh.write(len(head).to_bytes(8, "little"))
                fh.write(head)
                fh.writelines(blobs)
            tmp.replace(self.root / f"{key}.bin")
        except OSError as exc:  # disk full: no half file left, and the error names it
            tmp.unlink(missing_ok=True)
            raise naming(exc, tmp) from exc
        self._indexes[key] = (index, 8 + len(head))

    def _index(self, key: str) -> tuple[dict, int] | None:
        if key not in self._indexes and self.root is not None:
            found = None
            try:
                with (self.root / f"{key}.bin").open("rb") as fh:
                    size = int.from_bytes(fh.read(8), "little")
                    index = marshal.loads(fh.read(size))
                if isinstance(index, dict):
                    found = (index, 8 + size)
            except (OSError, ValueError, EOFError, TypeError):
                pass
            self._indexes[key] = found
        return self._indexes.get(key)

    def digest(self, key: str) -> str | None:
        """The content hash of the stored parts of `key`, None when there are none."""
        found = self._index(key)
        return found[0].get("digest") if found else None

    def _checked(self, key: str, digest: str | None = None) -> tuple[dict, int]:
        found = self._index(key)
        if found is None or (digest is not None and found[0].get("digest") != digest):
            raise SitegenError("search data changed during the build; build again",
                               self.root / f"{key}.bin" if self.root else None)
        return found

    def outline(self, key: str) -> tuple[dict, list[str]]:
        """The record and heavy terms of the stored parts of `key`."""
        index, _ = self._checked(key)
        return index["record"], list(index["heavy"])

    def load(self, key: str, digest: str, light: Callable[[int], bool] = lambda j: True,
             heavy: Callable[[str], bool] = lambda t: True) -> SegmentParts:
        """The parts of `key` (made from content `digest`), keeping only the light parts
        and heavy terms the filters accept (the others are left empty / out)."""
        index, base = self._checked(key, digest)
        if self.root is None:
            blob = self.memory[key]

            def read(span: tuple[int, int]) -> bytes:
                return blob[span[0]:span[0] + span[1]]

            return self._parts(index, read, light, heavy)
        with (self.root / f"{key}.bin").open("rb") as fh:
            def read_file(span: tuple[int, int]) -> bytes:
                return os.pread(fh.fileno(), span[1], base + span[0])

            return self._parts(index, read_file, light, heavy)

    def extra(self, key: str, digest: str, name: str) -> bytes:
        """The `lengths` or `vocab` blob of the stored parts of `key`."""
        index, base = self._checked(key, digest)
        span = index.get(name, (0, 0))
        if self.root is None:
            return self.memory[key][span[0]:span[0] + span[1]]
        with (self.root / f"{key}.bin").open("rb") as fh:
            return os.pread(fh.fileno(), span[1], base + span[0])

    def _vocab_path(self, pack: str) -> Path | None:
        return None if self.root is None else self.root.parent / "vocab" / f"{pack}.bin"

    def save_vocab(self, pack: str, digest: str, vocab: PackVocab) -> None:
        """Keep a pack's directory entries (`shards.pack_vocab`) for the manifest's writer,
        which may be another process: a digest line, then the keys and the codes."""
        keys, codes = vocab
        path = self._vocab_path(pack)
        if path is None:
            self.vocabs[pack] = (digest, vocab)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        try:
            tmp.write_bytes(digest.encode() + b"\n" + keys.astype("<u8").tobytes()
                            + codes.astype(np.uint8).tobytes())
            tmp.replace(path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise naming(exc, tmp) from exc

    def load_vocab(self, pack: str, digest: str) -> PackVocab | None:
        """A pack's directory entries as saved for `digest`, None when there are none."""
        path = self._vocab_path(pack)
        if path is None:
            found = self.vocabs.get(pack)
            return found[1] if found and found[0] == digest else None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        head, _, body = data.partition(b"\n")
        if head != digest.encode() or len(body) % 9:
            return None
        n = len(body) // 9
        return (np.frombuffer(body, dtype="<u8", count=n).astype(np.uint64),
                np.frombuffer(body, dtype=np.uint8, offset=8 * n).copy())

    @staticmethod
    def _parts(index: dict, read: Callable[[tuple[int, int]], bytes],
               light: Callable[[int], bool], heavy: Callable[[str], bool]) -> SegmentParts:
        return SegmentParts(
            record=index["record"],
            light=[read(span) if light(j) else b"" for j, span in enumerate(index["light"])],
            heavy={t: read(span) for t, span in index["heavy"].items() if heavy(t)})


def pack_digest(pack: str, months: Sequence[tuple[str, str]]) -> str:
    """What a pack's files depend on: its name and its months' content hashes."""
    return hashlib.sha256(json.dumps([pack, list(months)]).encode()).hexdigest()
