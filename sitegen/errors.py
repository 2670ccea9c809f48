"""One error type for everything a user can get wrong, so the CLI can print it uniformly.

Every message names the file (and line where one is known) because the person fixing it
is an editor looking at a folder of text files, not a developer reading a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

_CONTROL = re.compile("[\x00-\x1f\x7f]")


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
            # a file name with a line break or other control character is shown escaped,
            # so the message stays one line and says what the name really is
            where = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(self.path))
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return f"{where}{self.message}"
