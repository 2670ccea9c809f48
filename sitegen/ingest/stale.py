"""Which raw editions `sitegen import` (and `build`, `serve`) would import without being
told dates: the new ones and those whose raw files changed since their import.

Apart from the importer because a build asks it every time, and the answer is mostly "none":
it needs the raw folder's names and stamps and each edition's manifest, not the parser.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from sitegen import wording
from sitegen.config import SiteConfig
from sitegen.content.names import PAGE_FILE
from sitegen.ingest.raw import RawEdition, raw_digest, raw_editions, raw_entries
from sitegen.text.labels import label_of_file

MANIFEST = ".imported.json"
"""In each imported edition's content folder: its files' hashes and its raw files' hashes."""
IMPORT_CACHE = "import"
"""Under the site's cache folder (`config.cache_dir`): one `YYYY-MM-DD.json` per imported
edition (`source_fingerprint`, the manifest's file hashes and the page reports), and
RAW_STAMPS."""
RAW_STAMPS = "raw-stamps.json"
"""In the import cache: `DATE/NAME` -> [size, mtime_ns, sha-256] of raw files hashed before."""
SETTLED_NS = 2_000_000_000
"""A file modified this recently may change again within the file system's timestamp
resolution without its mtime moving, so its hash is not remembered (git's "racy clean")."""


class _RawStamps:
    """Raw file hashes remembered by (size, mtime_ns) in `.sitegen-cache/import/`; a
    cache: unreadable or missing means hashing again."""

    def __init__(self, config: SiteConfig) -> None:
        self.path = config.cache_dir / IMPORT_CACHE / RAW_STAMPS
        self.root = config.raw_dir
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.known: dict[str, list] = data if isinstance(data, dict) else {}
        self.seen: dict[str, list] = {}

    def digests(self, folder: Path) -> dict[str, str]:
        """Each raw entry's sha-256 (`raw.raw_digests`), from the stamps where its size and
        mtime are as remembered (a build asks for every edition's, every time)."""
        out = {}
        now = time.time_ns()
        for entry in raw_entries(folder):
            key = f"{folder.name}/{entry.name}"
            st = entry.stat()
            known = self.known.get(key)
            if isinstance(known, list) and known[:2] == [st.st_size, st.st_mtime_ns]:
                digest = str(known[2])
            else:
                digest = raw_digest(entry)
            if now - st.st_mtime_ns > SETTLED_NS:
                self.seen[key] = [st.st_size, st.st_mtime_ns, digest]
            out[entry.name] = digest
        return out

    def save(self) -> None:
        if self.seen == self.known:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(self.seen, sort_keys=True) + "\n")
        except OSError:
            pass  # only a cache


def _names(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


def _raw_change(recorded: object, now: dict[str, str], files: object) -> str | None:
    """What changed in an edition's raw folder since its import, or None. `recorded`: the
    manifest's raw hashes; a manifest written before they were recorded has only its
    `files`, from which the page numbers imported are known (pages added or removed)."""
    if isinstance(recorded, dict):
        added = now.keys() - recorded.keys()
        removed = recorded.keys() - now.keys()
        changed = {n for n in now.keys() & recorded.keys() if now[n] != recorded[n]}
        parts = [f"{_names(names)} {what}" for names, what in
                 ((added, "added"), (changed, "changed"), (removed, "removed")) if names]
        return "; ".join(parts) or None
    imported = {m["label"] for name in (files if isinstance(files, dict) else {})
                if (m := PAGE_FILE.match(name))}
    present = {label for name in now if (label := label_of_file(name))}
    parts = [f"{_names(f'{n}.txt' for n in pages)} {what}" for pages, what in
             ((present - imported, "added"), (imported - present, "removed")) if pages]
    return "; ".join(parts) or None


def stale_editions(config: SiteConfig) -> list[tuple[RawEdition, str]]:
    """Raw editions to import when no dates are named, oldest first, each with why: never
    imported ("new"), or imported from raw files that have changed since (a page added,
    replaced or removed; edition.toml edited). Edited content files stay protected: the
    import that follows keeps them, as any re-import does."""
    stamps = _RawStamps(config)
    out = []
    for edition in raw_editions(config):
        manifest = find_manifest(config.content_dir / edition.date.isoformat())
        if manifest is None:
            out.append((edition, "new"))
            continue
        why = _raw_change(manifest.get("raw"), stamps.digests(edition.folder),
                          manifest.get("files"))
        if why is not None:
            out.append((edition, why))
    stamps.save()
    return out


def describe_stale(stale: Sequence[tuple[RawEdition, str]]) -> list[str]:
    """One line for the new editions, one per changed edition: what `build` says before
    it imports."""
    new = [e.date.isoformat() for e, why in stale if why == "new"]
    lines = []
    if new:
        shown = ", ".join(new) if len(new) <= 3 else f"{new[0]} … {new[-1]}"
        lines.append(f"importing {wording.count(len(new), 'new edition')}: {shown}")
    lines += [f"importing {e.date.isoformat()} again: raw {why}"
              for e, why in stale if why != "new"]
    return lines


def write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def find_manifest(folder: Path) -> dict | None:
    """An imported edition's manifest (`MANIFEST`); None when the edition was never
    imported."""
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def read_manifest(folder: Path) -> dict:
    """`find_manifest`, empty for an edition never imported."""
    found = find_manifest(folder)
    return {} if found is None else found
