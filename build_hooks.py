"""setuptools hooks that make sitegen's wheel and sdist complete (named in pyproject.toml).

Two things an installed sitegen needs do not live inside the `sitegen/` package of the
repository:

- the built-in themes, kept at the top level (`themes/`), beside the demo site's content,
  where a site's own `themes/<name>/` overrides them;
- lunr.js 2.3.9, the search page's engine, which comes from npm (package.json and
  package-lock.json pin it; `npm ci` puts it in node_modules/) and is never committed.

`BuildPy` copies both into the wheel's build folder as package data: `sitegen/themes/` and
`sitegen/vendor/lunr.js` (with lunr's licence), where `sitegen.resources` looks for them.
`Sdist` adds `sitegen/vendor/` to the sdist (which keeps `themes/` at the top, through
MANIFEST.in), so a wheel built from the sdist, as `python -m build` does, needs no
node_modules. Nothing is ever copied into the source tree: a checkout has no second, stale
copy of either, and sitegen run from a checkout reads `themes/` and `node_modules/` in
place. Editable installs copy nothing, so `pip install -e .` works before `npm ci`.

`Build` moves setuptools' scratch folder from `build/`, which is the site's output folder
in this repository (the demo site), to `.setuptools-build/`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from setuptools.command.build import build
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.errors import FileError

ROOT = Path(__file__).resolve().parent
THEMES = ROOT / "themes"
NODE_LUNR = ROOT / "node_modules" / "lunr"
VENDOR = Path("sitegen") / "vendor"
LUNR_FILES = {"lunr.js": "lunr.js", "LICENSE": "lunr.LICENSE"}
"""File in the npm package -> its name in `sitegen/vendor/`."""
SCRATCH = ".setuptools-build"


def _pinned_lunr() -> str:
    """The lunr version package.json pins (the lock file makes `npm ci` install exactly it)."""
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return str(manifest["dependencies"]["lunr"])


def lunr_sources() -> dict[str, Path]:
    """Name in `sitegen/vendor/` -> the file to copy there, or a FileError saying how to
    get lunr.js. From node_modules in a checkout; from the sdist's own copy when the
    build runs in an unpacked sdist (it has PKG-INFO and no node_modules)."""
    if (NODE_LUNR / "lunr.js").is_file():
        installed = json.loads((NODE_LUNR / "package.json").read_text(encoding="utf-8"))
        pinned = _pinned_lunr()
        if installed.get("version") != pinned:
            raise FileError(
                f"node_modules/lunr is version {installed.get('version')}, package.json pins "
                f"{pinned}: run `npm ci` in {ROOT}, then build again")
        return {target: NODE_LUNR / name for name, target in LUNR_FILES.items()}
    vendored = ROOT / VENDOR
    if (ROOT / "PKG-INFO").is_file() and all(
            (vendored / target).is_file() for target in LUNR_FILES.values()):
        return {target: vendored / target for target in LUNR_FILES.values()}
    raise FileError(
        f"lunr.js is missing ({NODE_LUNR / 'lunr.js'}): the wheel and sdist ship it for "
        f"the search page. Run `npm ci` in {ROOT} (it installs lunr {_pinned_lunr()} from "
        "package-lock.json into node_modules/), then build again")


def _copy(sources: dict[str, Path], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in sources.items():
        shutil.copyfile(source, folder / name)


class Build(build):
    """setuptools' `build`, with its scratch folder out of the site's `build/`."""

    def initialize_options(self) -> None:
        super().initialize_options()
        self.build_base = SCRATCH


class BuildPy(build_py):
    """`build_py` that adds the built-in themes and lunr.js to the package (not in
    editable mode: there the checkout's own folders are read)."""

    def run(self) -> None:
        if self.editable_mode:
            super().run()
            return
        lunr = lunr_sources()  # first: a missing lunr.js fails before any work
        if not (THEMES / "default" / "templates").is_dir():
            raise FileError(f"the built-in theme is missing: {THEMES / 'default'}")
        package = Path(self.build_lib) / "sitegen"
        if package.resolve() != ROOT / "sitegen":
            # the scratch folder persists between builds: a module deleted from the source
            # would otherwise still be packed into the next wheel
            shutil.rmtree(package, ignore_errors=True)
        super().run()
        themes = package / "themes"
        shutil.rmtree(themes, ignore_errors=True)
        shutil.copytree(THEMES, themes, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        _copy(lunr, package / "vendor")


class Sdist(sdist):
    """`sdist` that adds lunr.js (from node_modules) to the archive as `sitegen/vendor/`."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        lunr = lunr_sources()
        super().make_release_tree(base_dir, files)
        _copy(lunr, Path(base_dir) / VENDOR)
