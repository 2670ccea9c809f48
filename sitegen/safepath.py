"""Path containment: what a build reads must come from the site or the built-in themes.

A build publishes what it reads (theme static files are copied into `build/assets/`,
templates print their own text), so a theme name like `../../srv/x` or a symlink such as
`themes/default/static/leak.txt -> /etc/passwd` would publish a file from elsewhere on the
machine. Every path a build reads (theme folders, templates, static files, content and raw
pages) is therefore resolved, symlinks followed, and must land inside one of the allowed
roots: the site folder, or the folder of the built-in theme (`config.theme_dirs[-1]`,
wherever the installed package keeps it). A symlink that stays inside them is fine.

Resolving costs a few system calls per path, so callers check what they are about to read
once (a folder, then only the symlinks inside it: a plain entry of a folder that is
inside is inside too) rather than every file of a ten-year archive.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from sitegen.config import SiteConfig


def site_roots(config: SiteConfig) -> tuple[Path, ...]:
    """The folders a build of `config` may read from: the site and the built-in theme."""
    return (config.root.resolve(), config.theme_dirs[-1].resolve())


def is_inside(path: Path, roots: Iterable[Path]) -> bool:
    """Whether `path`, symlinks resolved, is one of `roots` or below one (roots resolved)."""
    resolved = Path(os.path.realpath(path))
    return any(resolved.is_relative_to(Path(os.path.realpath(root))) for root in roots)


def require_inside(path: Path, roots: Sequence[Path], what: str = "file") -> Path:
    """`path` resolved; a `SitegenError` naming `path` (and where it leads) if it leaves
    `roots`."""
    resolved = Path(os.path.realpath(path))
    if not any(resolved.is_relative_to(Path(os.path.realpath(r))) for r in roots):
        raise SitegenError(
            f"{what} leads outside the site ({resolved}): sitegen reads and publishes only "
            f"files inside the site folder and the built-in themes", path)
    return resolved


def require_entries_inside(folder: Path, roots: Sequence[Path], what: str = "file") -> None:
    """`folder` and every symlink directly in it must stay inside `roots` (plain entries of
    a folder that is inside are inside: only symlinks need resolving)."""
    require_inside(folder, roots, what)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # the caller's own reading reports a folder it cannot list
    for entry in entries:
        if entry.is_symlink():
            require_inside(Path(entry.path), roots, what)


def files_under(folder: Path, roots: Sequence[Path], what: str = "file") -> list[Path]:
    """Every file below `folder`, sorted, following symlinks that stay inside `roots` (a
    symlink leading out is an error naming it; a symlink loop is walked once)."""
    out: list[Path] = []
    seen: set[Path] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        real = require_inside(current, roots, what)
        if real in seen:
            continue
        seen.add(real)
        for entry in os.scandir(current):
            path = Path(entry.path)
            if entry.is_symlink():
                require_inside(path, roots, what)
            if entry.is_dir():
                stack.append(path)
            elif entry.is_file():
                out.append(path)
    return sorted(out)
