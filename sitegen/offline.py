"""Offline copies: one edition as a zip that works when unpacked and opened from disk.

The copy is not a subset of `build/` (whose reporter, town and archive pages link to every
edition) but a complete small site: the same site model restricted to one edition and
rendered by the same code into a scratch folder, then zipped. Because every link in a
built site is relative and names a file, the unpacked folder works from `file://`.

Zips are byte-for-byte reproducible: entries sorted, every timestamp the edition's date,
fixed permissions and host system, fixed compression level.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sitegen.slugs import slugify

ZIP_MIN_YEAR = 1980  # the zip format cannot store earlier dates


def folder_name(site_name: str, day: date) -> str:
    """The top folder inside the zip, e.g. `ping-hu-ri-bao-2024-02-02`: unpacking several
    editions side by side never mixes them."""
    return f"{slugify(site_name, fallback='edition')}-{day.isoformat()}"


def zip_folder(folder: Path, zip_path: Path, prefix: str, stamp: date) -> None:
    """Write every file under `folder` into `zip_path` below `prefix/`, reproducibly."""
    files = sorted(
        (p for p in folder.rglob("*") if p.is_file()),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    when = (max(stamp.year, ZIP_MIN_YEAR), stamp.month, stamp.day, 0, 0, 0)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w") as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{prefix}/{path.relative_to(folder).as_posix()}", when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine is
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes(), compresslevel=9)


def write_offline_zip(
    write_site: Callable[[Path], None],
    zip_path: Path,
    prefix: str,
    stamp: date,
    scratch: Path,
) -> None:
    """Render a mini-site with `write_site` into `scratch` (an empty folder), zip it."""
    scratch.mkdir(parents=True, exist_ok=False)
    write_site(scratch)
    zip_folder(scratch, zip_path, prefix, stamp)
