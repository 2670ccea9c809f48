"""Offline copies: one edition as a zip that works when unpacked and opened from disk.

The copy is not a subset of `build/` (whose reporter, town and archive pages link to every
edition) but a complete small site: the same site model restricted to one edition and
rendered by the same code, then zipped (`builder/tasks.py` renders it in the worker that
renders the edition, reusing the article bodies it has just made). Because every link in a built
site is relative and names a file, the unpacked folder works from `file://`.

Zips are byte-for-byte reproducible: entries sorted, every timestamp the edition's date,
fixed permissions and host system, fixed compression level. A zip is made again only when
its edition, the names it links to, the theme, the configuration or the code changed (its
fingerprint, see `builder/plan.py`); otherwise the previous build's file is reused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Collection, Iterable
from datetime import date

ZIP_MIN_YEAR, ZIP_MAX_YEAR = 1980, 2107
"""The years a zip entry's timestamp can hold (MS-DOS dates); an edition outside them is
stamped with the nearest one (2108 or later raised `struct.error` in `zipfile`)."""


def folder_name(site_name: str, day: date) -> str:
    """The top folder inside the zip, e.g. `ping-hu-ri-bao-2024-02-02`: unpacking several
    editions side by side never mixes them."""
    from sitegen.text.slugs import slugify  # pypinyin: imported when first needed

    return f"{slugify(site_name, fallback='edition')}-{day.isoformat()}"


ZIP_LEVEL = 3
"""libdeflate's level. Measured on an edition's copy (2.1 MB of files not shared by every
copy): zlib's level 6 (its default) took 54 ms for 612 kB, zlib's level 3 27 ms for
670 kB; libdeflate's level 3 takes 17 ms for 660 kB, its level 1 11 ms for 735 kB. A
year's build makes 365 copies, so level 3 of libdeflate: a third less work than zlib's,
for a zip no bigger."""


DeflatedMemo = dict[tuple[int, int], tuple[bytes, bytes]]
"""(CRC, size) -> (data, deflated) of entries every copy holds (the theme's files, lunr.js,
the search client): compressed once per worker (its build setup owns one), not once per
edition."""


def _deflate(data: bytes) -> bytes:
    """Raw deflate, as a zip entry holds it: libdeflate's (the `deflate` package, pinned,
    so the bytes are the same on every machine)."""
    import deflate

    return deflate.deflate_compress(data, ZIP_LEVEL)


def zip_bytes(files: Iterable[tuple[str, bytes]], prefix: str, stamp: date,
              same: Collection[str] = (), memo: DeflatedMemo | None = None) -> bytes:
    """A zip of (relative path, bytes) entries below `prefix/`, sorted, reproducibly.

    The bytes are exactly those of `zipfile.ZipFile.writestr` with `_deflate` as its
    compressor (tested), each entry's header written once with its sizes and CRC rather
    than patched afterwards, and the entries named in `same` (files every copy holds
    unchanged) deflated once per `memo`."""
    if memo is None:
        memo = {}
    year = min(max(stamp.year, ZIP_MIN_YEAR), ZIP_MAX_YEAR)
    when = (year, stamp.month, stamp.day, 0, 0, 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for rel, data in sorted(files):
            info = zipfile.ZipInfo(f"{prefix}/{rel}", when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the building machine is
            info.external_attr = 0o644 << 16
            if len(data) * 1.05 > zipfile.ZIP64_LIMIT:  # never, for a day's paper
                zf.writestr(info, data, compresslevel=ZIP_LEVEL)  # (zlib's deflate)
                continue
            crc = zlib.crc32(data)
            known = memo.get((crc, len(data))) if rel in same else None
            if known is not None and known[0] == data:
                deflated = known[1]
            else:
                deflated = _deflate(data)
                if rel in same:
                    memo[(crc, len(data))] = (data, deflated)
            info.file_size, info.compress_size, info.CRC = len(data), len(deflated), crc
            info.flag_bits = 0
            info.header_offset = buffer.tell()
            buffer.write(info.FileHeader(False))
            buffer.write(deflated)
            # what `ZipFile.writestr` records of an entry, for the central directory
            zf.filelist.append(info)
            zf.NameToInfo[info.filename] = info
            zf.start_dir = buffer.tell()
            zf._didModify = True
    return buffer.getvalue()
