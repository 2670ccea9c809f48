"""Site configuration (`sitegen.toml`) and per-edition metadata (`edition.toml`).

Both are TOML because editors hand-edit them and TOML has no indentation traps; the
standard library's `tomllib` reads it.

`sitegen.toml` is validated by one declarative schema (`_ConfigFile`, msgspec structs):
types are strict (`feed_size = "abc"`, `list_size = 1.5` and `towns = 5` are errors, not
coerced or crashed on), ranges and patterns are part of the field types, and an unknown key
is an error (a misspelt `feed_sise` would otherwise be ignored without a word). A wrong
value is reported with the file, the line of its key and what was expected, before
anything reads the site. The schema feeds the frozen `SiteConfig` the rest of sitegen uses.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta

from sitegen.errors import SitegenError
from sitegen.resources import builtin_themes_dir
from sitegen.text.labels import is_label

CONFIG_NAME = "sitegen.toml"
CACHE_DIR_NAME = ".sitegen-cache"


@dataclass(frozen=True)
class Town:
    """A gazetteer entry: the canonical name, what else the paper calls it, and strings in
    which an alias occurs but does not mean the town."""

    name: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class SiteConfig:
    name: str
    base_url: str
    language: str = "zh-CN"
    description: str = ""
    theme: str = "default"
    towns: tuple[Town, ...] = ()
    feed_size: int = 50
    list_size: int = 50
    root: Path = field(default=Path("."), compare=False)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def raw_dir(self) -> Path:
        return self.root / "content" / "raw"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def cache_dir(self) -> Path:
        """The site's private cache (build and import); safe to delete, never published."""
        return self.root / CACHE_DIR_NAME

    @property
    def theme_dirs(self) -> list[Path]:
        """Site overrides first, then the built-in theme: a site can replace any file.

        The built-in themes are package data of an installed sitegen, or a checkout's
        top-level `themes/` (`resources.builtin_themes_dir`); the only place a theme's
        folders are decided, so templates, static files and the watcher agree."""
        builtin = builtin_themes_dir() / self.theme
        local = self.root / "themes" / self.theme
        dirs = [local] if local.resolve() != builtin.resolve() and local.is_dir() else []
        return [*dirs, builtin]


def _toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise SitegenError("not found", path) from exc
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(found.group(1)) if found else None
        raise SitegenError(f"invalid TOML: {exc}", path, line) from exc


# ------------------------------------------------------------------------------ schema

_TEXT = r"^[^\x00-\x1f\x7f]*$"
"""No control characters: they are not allowed in the HTML and XML a value ends up in."""
_Name = Annotated[str, Meta(min_length=1, max_length=60,
                            pattern=r"^[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$")]
"""A non-blank single-line name (the paper, a town, an alias)."""
_Size = Annotated[int, Meta(ge=1, le=1000)]
"""A list length: at least one entry; over a thousand makes pages and feeds of megabytes."""

BASE_URL = r"^https?://[^\s/?#\\\"'<>`]+(/[^\s?#\\\"'<>`]*)?$"
"""An absolute http(s) URL without query or fragment: it starts every absolute link
(`javascript:` or a relative URL there would end up in the `href`s of the 404 page)."""

HINTS = {
    "base_url": "an http:// or https:// address such as https://example.github.io/paper/",
    "theme": "a theme name: letters, digits, - and _ (a folder under themes/, not a path)",
    "language": "a language tag such as zh-CN",
    "description": "one line of text of at most 500 characters",
    "feed_size": "a whole number from 1 to 1000",
    "list_size": "a whole number from 1 to 1000",
    "name": "a non-blank name on one line, at most 60 characters",
    "aliases": "a list of non-blank names",
    "exclude": "a list of non-blank names",
    "towns": "a list of [[towns]] tables",
    "site": "a [site] table",
}
"""What a field must be, in the words of the error message."""


class _TownEntry(msgspec.Struct, forbid_unknown_fields=True):
    name: _Name
    aliases: list[_Name] = []
    exclude: list[_Name] = []


class _SiteTable(msgspec.Struct, forbid_unknown_fields=True):
    name: _Name
    base_url: Annotated[str, Meta(pattern=BASE_URL, max_length=500)] = "https://example.org/"
    language: Annotated[str, Meta(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")] = "zh-CN"
    description: Annotated[str, Meta(pattern=_TEXT, max_length=500)] = ""
    theme: Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")] = "default"
    feed_size: _Size = 50
    list_size: _Size = 50


class _ConfigFile(msgspec.Struct, forbid_unknown_fields=True):
    """`sitegen.toml`: the whole schema, types and ranges in the field annotations."""

    site: _SiteTable
    towns: list[_TownEntry] = []


_AT = re.compile(r"^(?P<what>.*?)(?: - at `\$(?P<where>[^`]*)`)?$", re.DOTALL)
_STEP = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]")


def _schema_error(exc: msgspec.ValidationError, data: object, text: str, path: Path
                  ) -> SitegenError:
    """msgspec's `Expected int, got str - at $.site.feed_size` as `path:line: site.feed_size
    must be …: expected int, got str`, at the line of the key (or of its table)."""
    found = _AT.match(str(exc))
    what = found.group("what") if found else str(exc)
    where = (found.group("where") or "") if found else ""
    steps: list[str | int] = [m.group(1) if m.group(1) is not None else int(m.group(2))
                              for m in _STEP.finditer(where)]
    unknown = re.match(r"Object contains unknown field `([^`]*)`", what)
    missing = re.match(r"Object missing required field `([^`]*)`", what)
    if unknown:
        steps.append(unknown.group(1))
        message = f"unknown setting {_dotted(steps)}"
    elif missing:
        steps.append(missing.group(1))
        message = f"{_dotted(steps)} is missing"
    else:
        key = next((s for s in reversed(steps) if isinstance(s, str)), "")
        hint = HINTS.get(key)
        got = what[:1].lower() + what[1:]
        if "matching regex" in got:  # the pattern says less than the value and the hint
            got = f"got {_value_at(data, steps)!r:.80}"
        message = f"{_dotted(steps)} must be {hint} ({got})" if hint else \
            f"{_dotted(steps)}: {got}"
    return SitegenError(message, path, _line_of(text, steps))


def _value_at(data: object, steps: list[str | int]) -> object:
    for step in steps:
        try:
            data = data[step]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _dotted(steps: list[str | int]) -> str:
    out = ""
    for step in steps:
        out += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out or "the file"


def _line_of(text: str, steps: list[str | int]) -> int | None:
    """1-based line of the key `steps` names (`site.feed_size`, `towns[2].aliases`): under
    the `[table]` or n-th `[[table]]` header, or a top-level `key =`. None if not found."""
    if not steps or not isinstance(steps[0], str):
        return None
    lines = text.split("\n")
    table, rest = steps[0], list(steps[1:])
    index = rest.pop(0) if rest and isinstance(rest[0], int) else 0
    header = re.compile(rf"^\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
    headers = [i for i, line in enumerate(lines) if header.match(line)]
    if index >= len(headers):  # a top-level key (`towns = 5`), before any table
        for i, line in enumerate(lines):
            if line.lstrip().startswith("["):
                break
            if re.match(rf"^\s*{re.escape(table)}\s*=", line):
                return i + 1
        return None
    start = headers[index]
    key = next((s for s in rest if isinstance(s, str)), None)
    if key is not None:
        for i in range(start + 1, len(lines)):
            if lines[i].lstrip().startswith("["):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
                return i + 1
    return start + 1


def load_config(root: Path) -> SiteConfig:
    """`root/sitegen.toml`, validated against the schema (errors name the file and line)."""
    path = root / CONFIG_NAME
    if not path.exists():
        raise SitegenError(
            f"no {CONFIG_NAME} here: not a sitegen site (run `sitegen init` or pass --site)", path
        )
    data = _toml(path)
    try:
        valid = msgspec.convert(data, _ConfigFile)
    except msgspec.ValidationError as exc:
        raise _schema_error(exc, data, path.read_text("utf-8", "replace"), path) from exc
    site = valid.site
    return SiteConfig(
        name=site.name,
        base_url=site.base_url if site.base_url.endswith("/") else site.base_url + "/",
        language=site.language,
        description=site.description,
        theme=site.theme,
        towns=tuple(Town(t.name, tuple(t.aliases), tuple(t.exclude)) for t in valid.towns),
        feed_size=site.feed_size,
        list_size=site.list_size,
        root=root,
    )


@dataclass(frozen=True)
class EditionMeta:
    """`content/raw/YYYY-MM-DD/edition.toml`: the edition number and page names."""

    number: int | None = None
    page_names: dict[str, str] = field(default_factory=dict)
    """Page label → the page's name (`A01 = "要闻"`)."""


def load_edition_meta(folder: Path) -> EditionMeta:
    path = folder / "edition.toml"
    if not path.exists():
        return EditionMeta()
    data = _toml(path)
    number = data.get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)
                               or number < 1):
        raise SitegenError("number must be a positive whole number (the edition number, 期号)",
                           path, _line_of(path.read_text("utf-8", "replace"), ["number"]))
    pages_table = data.get("pages", data)
    names: dict[str, str] = {}
    for key, value in pages_table.items():
        if key in ("number", "pages"):
            continue
        label = f"{int(key):02d}" if key.isascii() and key.isdigit() and len(key) <= 2 else key
        if not is_label(label):
            raise SitegenError(f"unknown key {key!r}: page keys are page labels like 01 "
                               "or A01", path)
        if not isinstance(value, str):
            raise SitegenError(f"page {key} name must be a string", path)
        names[label] = value
    return EditionMeta(number=number, page_names=names)
