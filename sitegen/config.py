"""Site configuration (`sitegen.toml`) and per-edition metadata (`edition.toml`).

Both are TOML because editors hand-edit them and TOML has no indentation traps; the
standard library's `tomllib` reads it, so no dependency is needed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.labels import is_label
from sitegen.resources import builtin_themes_dir

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
        line = getattr(exc, "lineno", None)
        raise SitegenError(f"invalid TOML: {exc}", path, line) from exc


def _str_list(value: object, path: Path, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise SitegenError(f"{what} must be a list of non-empty strings", path)
    return tuple(value)


def load_config(root: Path) -> SiteConfig:
    path = root / CONFIG_NAME
    if not path.exists():
        raise SitegenError(
            f"no {CONFIG_NAME} here: not a sitegen site (run `sitegen init` or pass --site)", path
        )
    data = _toml(path)
    site = data.get("site", {})
    if not isinstance(site, dict) or not site.get("name"):
        raise SitegenError("[site] needs a name (the paper's name)", path)
    towns = []
    for i, entry in enumerate(data.get("towns", []) or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise SitegenError(f"[[towns]] entry {i + 1} needs a name", path)
        towns.append(
            Town(
                name=entry["name"],
                aliases=_str_list(entry.get("aliases"), path, f"towns.{entry['name']}.aliases"),
                exclude=_str_list(entry.get("exclude"), path, f"towns.{entry['name']}.exclude"),
            )
        )
    base_url = str(site.get("base_url", "https://example.org/"))
    if not base_url.endswith("/"):
        base_url += "/"
    return SiteConfig(
        name=str(site["name"]),
        base_url=base_url,
        language=str(site.get("language", "zh-CN")),
        description=str(site.get("description", "")),
        theme=str(site.get("theme", "default")),
        towns=tuple(towns),
        feed_size=int(site.get("feed_size", 50)),
        list_size=max(1, int(site.get("list_size", 50))),
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
    if number is not None and not isinstance(number, int):
        raise SitegenError("number must be an integer (the edition number, 期号)", path)
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
