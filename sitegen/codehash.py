"""Which of sitegen's own source files an output depends on, found from the imports.

Why: every cache sitegen keeps is valid only for the code that made it (the build's
outputs, the content cache, the import's parses). Hand-kept lists of "the modules that
matter" silently missed a module added later; here the code a cache depends on is the
package that makes it and every sitegen package it imports, at any depth and wherever the
import is written (inside a function too), read from the source. A module of a package
brings the whole package: a cache is invalidated by any change in a package it uses,
which is coarser than needed but can never miss a helper.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
SOURCE_SUFFIXES = frozenset({".py", ".js", ".mjs"})
_IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t]+(sitegen(?:\.\w+)*)"
    r"|from[ \t]+(sitegen(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*))",
    re.MULTILINE)


def _unit(name: str) -> str:
    """The unit of invalidation of module `name`: its top-level module or package below
    `sitegen` (`sitegen.search.tokenize` -> `search`; `sitegen` itself -> `__init__`)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


@cache
def _files(unit: str) -> tuple[Path, ...]:
    """The source files of a unit (a package: all of its modules, at any depth, and the
    scripts it ships as package data, such as the search package's browser client)."""
    folder = PACKAGE / unit
    if folder.is_dir():
        return tuple(sorted(p for p in folder.rglob("*") if p.suffix in SOURCE_SUFFIXES))
    path = PACKAGE / f"{unit}.py"
    return (path,) if path.is_file() else ()


def _imports(path: Path) -> set[str]:
    """The sitegen units `path` imports."""
    found = set()
    for match in _IMPORT.finditer(path.read_text("utf-8")):
        module = match.group(1) or match.group(2)
        found.add(_unit(module))
        if module == "sitegen" and match.group(3):  # `from sitegen import urls, search`
            for name in match.group(3).strip("()").split(","):
                name = name.split(" as ")[0].strip()
                if name:
                    found.add(name)
    return {unit for unit in found if _files(unit)}


@cache
def units_of(*roots: str) -> tuple[str, ...]:
    """The units the modules `roots` (`sitegen.builder`, `sitegen.content`) are made of and
    use, with the package's `__init__` (its version)."""
    todo = [_unit(root) for root in roots] + ["__init__"]
    seen: set[str] = set()
    while todo:
        unit = todo.pop()
        if unit in seen:
            continue
        seen.add(unit)
        for path in _files(unit):
            todo += _imports(path) - seen
    return tuple(sorted(seen))


def sources(*roots: str) -> list[Path]:
    """The source files of `units_of(*roots)`."""
    return [path for unit in units_of(*roots) for path in _files(unit)]


def digest(paths: Iterable[Path], extra: str = "") -> str:
    """A digest of `extra` and the files (named relative to the package, and their bytes)."""
    h = hashlib.blake2b(extra.encode(), digest_size=16)
    for path in paths:
        h.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()
