"""One error type for everything a user can get wrong, so the CLI can print it uniformly.

Every message names the file (and line where one is known) because the person fixing it
is an editor looking at a folder of text files, not a developer reading a traceback.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path

_CONTROL = re.compile("[\x00-\x1f\x7f]")


def shown_path(path: Path | str) -> str:
    """`path` for a message: a name with a line break or another control character is
    shown with it escaped, so the message stays one line and says what the name really is."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(path))


class SitegenError(Exception):
    """A problem with the user's input or site; printed as `path:line: message`, exit 1."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = shown_path(self.path)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"


_OS_REASONS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "not permitted (read-only, immutable or someone else's)",
    errno.EROFS: "read-only file system",
    errno.ENAMETOOLONG: "file name too long",
    errno.EMFILE: "too many open files",
    errno.ENFILE: "too many open files",
    errno.EIO: "input/output error (a failing disk?)",
}
"""The causes an editor can act on, named in plain words (the system's text follows)."""


def os_reason(exc: OSError) -> str:
    """`disk full (No space left on device)`: the cause in words, then the system's text."""
    reason = _OS_REASONS.get(exc.errno or 0)
    detail = exc.strerror or str(exc)
    return f"{reason} ({detail})" if reason else detail


def os_error(exc: OSError, consequence: str, path: object = None) -> SitegenError:
    """A `SitegenError` for a failed file operation: its cause (`os_reason`), what that
    means for the command, and the file (`path`, default the one the system named)."""
    where = path if path is not None else exc.filename
    return SitegenError(f"{os_reason(exc)}: {consequence}",
                        where if isinstance(where, str | Path) else None)


def naming(exc: OSError, path: Path | str) -> OSError:
    """`exc` with `path` as its file name where it has none: a failed `write` (disk full
    mid-file) does not say which file it was writing."""
    if exc.filename is not None:
        return exc
    named = type(exc)(exc.errno, exc.strerror or str(exc), str(path))
    named.__cause__ = exc
    return named
