"""Deleting old builds: in a process of its own, at the lowest CPU priority.

What lands in `<cache>/trash`: a killed or failed build's folder, a spare the swap had to
displace, a partitioned build's replaced part (`publish.py`; a whole build's replaced
site is kept as the spare instead). A year's old site is 50,000 files, about a second of
CPU to unlink. Deleted by a thread of the next build, that second was spent on the
critical path: the thread took a core from the workers and the GIL from the parent while
it planned. A detached process at nice 19 runs when a core is idle, and it outlives the
build that started it.

One deleter at a time: it holds an exclusive `flock` on `trash/.deleting` and empties the
folder until nothing is left, so a build that finds the lock held leaves its old site to
the running deleter. (If that deleter had just seen the folder empty, the old site waits
for the next build's deleter: trash is never published, only kept a while longer.)

`python -m sitegen.builder.trash TRASH` is the deleter.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

LOCK = ".deleting"
NICE = 19


def old_builds(trash: Path) -> list[Path]:
    """What is waiting in `trash` to be deleted (its lock file aside)."""
    try:
        return sorted(p for p in trash.iterdir() if p.name != LOCK)
    except OSError:
        return []


def empty_trash(trash: Path) -> subprocess.Popen[bytes] | threading.Thread | None:
    """Empty `trash` in the background: the detached deleter process, or, where it cannot
    be started, a daemon thread of this process (what is not deleted when it ends is
    deleted next time). None when there is nothing to delete."""
    if not old_builds(trash):
        return None
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "sitegen.builder.trash", str(trash)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # not stopped by the terminal's Ctrl-C of the build
    except OSError:
        thread = threading.Thread(target=empty, args=(trash,), name="sitegen-trash",
                                  daemon=True)
        thread.start()
        return thread


def empty(trash: Path) -> bool:
    """Delete everything in `trash` until it stays empty (or a pass deletes nothing: what
    cannot be deleted is left, not retried forever); False if another deleter holds the
    lock (it does the same)."""
    try:
        lock = (trash / LOCK).open("a+b")
    except OSError:
        return False
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        seen: list[Path] = []
        while (paths := old_builds(trash)) and paths != seen:
            seen = paths
            for path in paths:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
    return True


def main(argv: list[str]) -> int:
    with contextlib.suppress(OSError):
        os.nice(NICE)
    for folder in argv:
        empty(Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
