"""Publishing a build: one build of a site at a time, the staging folder swapped in with
renames, the old site kept as the next build's staging folder (the spare), killed builds'
leftovers removed in the background.

Why apart from the steps: this is the only code that touches `build/` itself; everything
before it writes into a staging folder next to it, so readers (and `sitegen serve`) keep
seeing the previous site until the swap, and a failed build leaves no trace.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from sitegen.errors import os_error

TRASH = "trash"
SPARE = "spare"
"""`<cache>/spare/build`: the site the last build replaced, which the next build takes back
as its staging folder (`take_spare`): most of its files are the published ones' hard links
already (`output.BuildOutput`)."""
STAGING_PREFIX = ".build-new-"
"""A build's folder next to `build/` until it is swapped in (`.build-old-` holds the old
site during the swap): one left behind was a killed build's, removed by the next build."""
LEFTOVER_PREFIXES = (STAGING_PREFIX, ".build-old-")
LOCK_FILE = "lock"


class SiteLock:
    """One build of a site at a time (`sitegen serve` rebuilding while `sitegen build`
    runs): an exclusive `flock` on `<cache>/lock`, which the kernel releases when the
    process ends however it ends. Holding it, a build knows that any staging folder next
    to `build/` was left by a killed build and can be removed."""

    def __init__(self, cache_root: Path) -> None:
        self.path = cache_root / LOCK_FILE
        self.handle: Any = None

    def __enter__(self) -> SiteLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("a+b")
        except OSError as exc:
            raise os_error(exc, "cannot start a build", exc.filename) from exc
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("sitegen: waiting for another build of this site to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # closing the file releases the lock


def new_staging(build_dir: Path) -> Path:
    """A fresh folder next to `build/` (same file system) to build into."""
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=build_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a published folder must be readable
    return staging


def take_spare(build_dir: Path, spare: Path) -> Path | None:
    """The site the last build replaced, moved next to `build/` to be built into again;
    None when there is none (or it cannot be moved: another file system)."""
    old = spare / build_dir.name
    if not old.is_dir() or old.is_symlink():
        return None
    staging = new_staging(build_dir)
    try:
        os.replace(old, staging)  # onto the empty folder mkdtemp made
    except OSError:
        staging.rmdir()
        return None
    staging.chmod(0o755)
    return staging


def discard(path: Path, trash: Path) -> None:
    """Move `path` (a folder next to `build/`) into `trash`, to be deleted in the
    background; delete it where it is if that is another file system."""
    try:
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(path, tempfile.mkdtemp(prefix="leftover-", dir=trash))
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


def clear_leftovers(build_dir: Path, trash: Path) -> None:
    """Move the staging folders of killed builds (and an old site a failed swap left) into
    `trash`, which `empty_trash` empties in the background; delete them where they are if
    that is another file system. Only called with the site's lock held."""
    for path in build_dir.parent.iterdir():
        if (path.name.startswith(LEFTOVER_PREFIXES) and path.is_dir()
                and not path.is_symlink()):
            discard(path, trash)


def _holder(trash: Path, spare: Path | None) -> Path | None:
    """The folder the replaced site is moved into: `spare`, emptied, or a new one in
    `trash`; None if neither can be made."""
    try:
        trash.mkdir(parents=True, exist_ok=True)
        if spare is None:
            return Path(tempfile.mkdtemp(prefix="build-old-", dir=trash))
        if spare.exists():
            os.replace(spare, tempfile.mkdtemp(prefix="spare-", dir=trash))
        spare.mkdir(parents=True)
        return spare
    except OSError:
        return None


def published_path(name: object, staging: Path | None, build_dir: Path) -> object:
    """A path in the staging folder as the path it would have had in `build/`."""
    if isinstance(name, str) and staging is not None and Path(name).is_relative_to(staging):
        return build_dir / Path(name).relative_to(staging)
    return name


def swap_into_place(new: Path, target: Path, trash: Path | None = None,
                    spare: Path | None = None) -> None:
    """Make `new` the folder at `target` with renames; the old one is removed afterwards.

    Two renames, not one (POSIX cannot exchange two non-empty folders portably): the window
    in which `target` is missing is a single system call long, and if the second rename
    fails the old site is put back. With `trash` (a folder on the same file system) the old
    site is moved there instead of deleted: unlinking a year's 25,000 files takes most of a
    second, which `empty_trash` spends in a process of its own at the lowest priority.
    With `spare` too, the old site is kept there for the next build to build into
    (`take_spare`); what was still in `spare` goes to the trash.
    """
    if not target.exists():
        os.replace(new, target)
        return
    holder = None if trash is None else _holder(trash, spare)
    if holder is None:
        holder = Path(tempfile.mkdtemp(prefix=".build-old-", dir=target.parent))
    old = holder / target.name
    try:
        os.replace(target, old)
    except OSError as exc:
        shutil.rmtree(holder, ignore_errors=True)
        if exc.errno != errno.EXDEV or trash is None:
            raise  # build/ cannot be moved (permissions, immutable): it stays as it was
        # the trash is on another file system: swap next to build/, delete there
        holder = Path(tempfile.mkdtemp(prefix=".build-old-", dir=target.parent))
        old = holder / target.name
        try:
            os.replace(target, old)
        except BaseException:
            shutil.rmtree(holder, ignore_errors=True)
            raise
        trash = None
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        shutil.rmtree(holder, ignore_errors=True)
        raise
    if trash is None:
        shutil.rmtree(holder, ignore_errors=True)
