"""What a build keeps between runs in `.sitegen-cache/`, as typed records.

Why typed: the incremental build rests on three small records (the stat stamp of the last
good build, the fingerprint of each of its outputs, the slug memo). Kept as pickled dicts,
their keys existed only inside the build function; as dataclasses each has its fields, its
file, a version, and one `load` that refuses a record from other code or another layout
(then the build is cold, never wrong) and one `save` that writes it atomically.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar

from sitegen.builder.fingerprint import (
    code_digest,
    dir_identity,
    folder_listing,
    listing_digest,
    racy_files_unchanged,
)
from sitegen.content.cache import content_schema, dump_pickle, load_pickle

STATE_FILE = "state"
OUTPUTS_FILE = "outputs"
SLUG_MEMO = "slugs"

BuildId = tuple[int, int]
"""A folder's identity: (device, inode)."""


def _version() -> str:
    """The version a record of the build code must carry: the build code itself."""
    return code_digest()


@dataclass(frozen=True)
class Published:
    """Which `build/` a record describes: its identity, and its file names' digest."""

    build_id: BuildId | None
    listing: str

    def describes(self, build_dir: Path, build_id: BuildId | None) -> bool:
        """Whether `build_dir` is the build this describes, so its files can be reused: the
        same folder (device and inode), or a copy of it, such as the one CI restores with
        the cache from the previous run (a new inode, the same files; checked by name,
        which costs a walk of the folder and happens only when the inode differs).
        Without this, a restored `build/` would be ignored and every CI publish would be
        a cold build."""
        if build_id is None:
            return False
        if self.build_id == build_id:
            return True
        return self.listing == listing_digest(folder_listing(build_dir))


class _Record:
    """Load and save of a record pickled in one file of the cache folder."""

    FILE: ClassVar[str]
    version: str

    @classmethod
    def load(cls, cache_root: Path) -> Any:
        """The record kept in `cache_root`, or None if it is missing, unreadable or was
        written by other code."""
        found = load_pickle(cache_root / cls.FILE)
        if isinstance(found, cls) and found.version == cls.current_version():
            return found
        return None

    @classmethod
    def current_version(cls) -> str:
        return _version()

    def save(self, cache_root: Path) -> None:
        dump_pickle(cache_root / self.FILE, self)

    @classmethod
    def forget(cls, cache_root: Path) -> None:
        """Remove the record (which takes no space: possible on a full disk)."""
        with contextlib.suppress(OSError):
            (cache_root / cls.FILE).unlink(missing_ok=True)


@dataclass(frozen=True)
class BuildState(_Record):
    """The last good build as the "nothing changed" answer needs it: the stat stamp of
    everything it read, the files hashed because their stat data was too fresh to trust
    ("racy"), the `build/` it wrote, and its counts."""

    FILE: ClassVar[str] = STATE_FILE
    stamp: str
    racy: dict[str, str]
    published: Published
    editions: int
    articles: int
    html_pages: int
    files: int
    version: str = field(default_factory=_version)

    def unchanged(self, stamp: str, build_dir: Path, build_id: BuildId | None) -> bool:
        """Whether a build now would read exactly what this one read and find its output."""
        return (self.stamp == stamp and self.published.describes(build_dir, build_id)
                and racy_files_unchanged(self.racy))

    def seen_at(self, build_id: BuildId | None) -> BuildState:
        """This state, for the copy of its `build/` at `build_id`."""
        return replace(self, published=replace(self.published, build_id=build_id))


EditionKeys = dict[str, tuple[str, list[str]]]
"""Per edition (ISO date): the key over everything its pages depend on, and their files."""


@dataclass(frozen=True)
class OutputRecord(_Record):
    """The fingerprint of every output of the last good build (file -> digest), each
    edition's key and files, and the search plan's months and packs, for the next build to
    compare with; valid only for the `build/` it describes."""

    FILE: ClassVar[str] = OUTPUTS_FILE
    published: Published
    outputs: dict[str, str]
    editions: EditionKeys
    search: dict[str, Any]
    version: str = field(default_factory=_version)

    @classmethod
    def trusted(cls, cache_root: Path, build_dir: Path) -> OutputRecord | None:
        """The record, if it describes the `build/` there now."""
        found: OutputRecord | None = cls.load(cache_root)
        if found is not None and found.published.describes(build_dir, dir_identity(build_dir)):
            return found
        return None


@dataclass
class SlugRecord(_Record):
    """The slugs given so far (a person's or town's file name is theirs for good), valid
    while the content code is: `slugs` is filled in by the site model as it assigns."""

    FILE: ClassVar[str] = SLUG_MEMO
    slugs: dict[str, Any] = field(default_factory=dict)
    version: str = field(default_factory=content_schema)

    @classmethod
    def current_version(cls) -> str:
        return content_schema()

    @classmethod
    def load_or_new(cls, cache_root: Path) -> SlugRecord:
        found: SlugRecord | None = cls.load(cache_root)
        return found if found is not None else cls()
