"""Where sitegen finds the files it ships besides its code: the built-in themes and lunr.js.

An installed sitegen (a wheel) carries both as package data, put there by `build_hooks.py`
when the wheel is built: `sitegen/themes/<name>/` (the repository's top-level `themes/`)
and `sitegen/vendor/lunr.js` (lunr 2.3.9 from npm, never committed). A source checkout
(an editable install, the tests) has neither inside the package: it reads the checkout's
`themes/` and the `node_modules/lunr/` that `npm ci` made. These functions are the only
places that decide between the two, so a built site never needs the source tree or node,
and a checkout never needs a build step to run.

Kept free of heavy imports: the build's "nothing changed" check stats lunr.js.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SitegenError

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed `sitegen` package (in a checkout: the checkout's `sitegen/`)."""

LUNR_VERSION = "2.3.9"
"""The lunr.js the search index is written for (`sitegen.search.index.LUNR_FORMAT_VERSION`)."""

NODE_LUNR = Path("node_modules") / "lunr" / "lunr.js"
"""Where `npm ci` puts lunr.js, under a checkout (pinned in package.json and the lock file)."""

VENDORED_LUNR = PACKAGE_DIR / "vendor" / "lunr.js"
"""Where an installed sitegen has lunr.js (copied into the wheel from `NODE_LUNR`)."""


def source_checkout() -> Path | None:
    """The sitegen checkout this code runs from, or None for an installed sitegen.

    A checkout is recognised by its `pyproject.toml` beside the package; an installed
    package sits in site-packages, where nothing beside it is sitegen's to read."""
    root = PACKAGE_DIR.parent
    return root if (root / "pyproject.toml").is_file() else None


def builtin_themes_dir() -> Path:
    """The folder holding the built-in themes (`<name>/templates`, `<name>/static`): the
    package's own copy when installed, else the checkout's top-level `themes/`."""
    packaged = PACKAGE_DIR / "themes"
    if packaged.is_dir():
        return packaged
    checkout = source_checkout()
    return checkout / "themes" if checkout is not None else packaged


def lunr_js_candidates(project_root: Path | None = None) -> list[Path]:
    """Where lunr.js may be, in the order looked at. `project_root`: a checkout whose
    `node_modules` to use (the tests and benchmarks pass the repository); None: this
    sitegen's own (the checkout's `node_modules`, then the installed package's copy)."""
    if project_root is not None:
        return [Path(project_root) / NODE_LUNR]
    checkout = source_checkout()
    return ([checkout / NODE_LUNR] if checkout is not None else []) + [VENDORED_LUNR]


def lunr_js_path(project_root: Path | None = None) -> Path:
    """The lunr.js the site's search page gets, or a `SitegenError` that names every place
    looked in and how to fill one: `npm ci` in a checkout; an installed sitegen always has
    it, unless the installation is broken."""
    candidates = lunr_js_candidates(project_root)
    for path in candidates:
        if not path.is_file():
            continue
        head = path.read_text(encoding="utf-8", errors="replace")[:300]
        if f"not as bright - {LUNR_VERSION}" not in head:
            raise SitegenError(
                f"this lunr.js is not version {LUNR_VERSION}, which the search index is "
                "written for; run `npm ci` in the sitegen checkout", path)
        return path
    raise SitegenError(
        "lunr.js is missing (the search page needs it); looked in: "
        + ", ".join(str(p) for p in candidates)
        + ". In a sitegen checkout, run `npm ci` there; an installed sitegen carries it in "
        "its package, so reinstall sitegen", candidates[0])
