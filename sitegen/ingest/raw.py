"""Raw editions: the folders under `content/raw/`, their page files in the paper's order,
and the digests of their bytes that tell an import what changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.content.names import parse_date_dir
from sitegen.errors import SitegenError
from sitegen.safepath import require_inside, site_roots
from sitegen.text.labels import label_of_file, sort_key


@dataclass(frozen=True)
class RawEdition:
    date: date
    folder: Path


def raw_editions(config: SiteConfig) -> list[RawEdition]:
    """Every `content/raw/YYYY-MM-DD/` folder, oldest first; a misnamed folder (a hidden one
    too: skipping it silently would leave an edition out without a word) is an error, and
    so is one that leads outside the site."""
    raw = config.raw_dir
    if not raw.is_dir():
        return []
    roots = site_roots(config)
    require_inside(raw, roots, "raw folder")
    out = []
    for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
        day = parse_date_dir(folder.name, folder)
        if folder.is_symlink():
            require_inside(folder, roots, "raw edition folder")
        out.append(RawEdition(day, folder))
    return out


def raw_entries(folder: Path) -> list[os.DirEntry]:
    """What an edition's raw folder holds (dot files aside), whatever it is, by name: a
    stray entry changes the edition too, and importing it then says what is wrong with it.
    Directory entries, whose stat is cheap: the stale check reads every edition's."""
    with os.scandir(folder) as found:
        return sorted((e for e in found if not e.name.startswith(".")), key=lambda e: e.name)


def raw_digest(entry: os.DirEntry) -> str:
    """sha-256 of a raw entry (a sub-folder hashes as empty)."""
    return hashlib.sha256(Path(entry.path).read_bytes() if entry.is_file() else b"").hexdigest()


def raw_digests(folder: Path) -> dict[str, str]:
    """sha-256 of each raw file of an edition folder."""
    return {e.name: raw_digest(e) for e in raw_entries(folder)}


def raw_page_files(folder: Path) -> list[tuple[str, Path]]:
    """The raw pages of an edition folder as (label, path), in page order; any other file
    (but `edition.toml` and hidden files) is an error naming it."""
    pages = []
    for path in folder.iterdir():
        if path.name == "edition.toml" or path.name.startswith("."):
            continue
        label = label_of_file(path.name)
        if label is None or not path.is_file():
            raise SitegenError("raw pages are named by their page label: NN.txt or a "
                               "letter and NN (01.txt, A01.txt)", path)
        pages.append((label, path))
    if not pages:
        raise SitegenError("no raw pages (NN.txt or A01.txt) in this edition folder", folder)
    return sorted(pages, key=lambda page: sort_key(page[0]))
