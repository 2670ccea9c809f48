"""Write the search files into a build: the only part of `sitegen.search` that touches disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.search.index import LUNR_FORMAT_VERSION as LUNR_VERSION
from sitegen.search.index import SearchDoc, build_payload, render_index_js
from sitegen.search.tokenize import Cut

LUNR_SOURCE = Path("node_modules") / "lunr" / "lunr.js"
"""lunr.js comes from npm (pinned in package.json and package-lock.json), never from a CDN:
the site has to work offline, and the version has to match the index format."""


def lunr_js_path(project_root: Path) -> Path:
    """The installed lunr.js, or a SitegenError saying how to install it."""
    path = Path(project_root) / LUNR_SOURCE
    if not path.is_file():
        raise SitegenError(
            "lunr.js is not installed (needed for the search page); "
            "run `npm ci` in the project folder",
            path,
        )
    head = path.read_text(encoding="utf-8", errors="replace")[:300]
    if f"not as bright - {LUNR_VERSION}" not in head:
        raise SitegenError(
            f"node_modules has a different lunr.js than {LUNR_VERSION}; run `npm ci`", path
        )
    return path


def _write_if_changed(path: Path, data: bytes) -> None:
    """Leave unchanged files alone so their mtimes (and any rsync/watch) stay quiet."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.write_bytes(data)


def write_search_assets(
    out_dir: Path, docs: Sequence[SearchDoc], cut: Cut, project_root: Path
) -> None:
    """Write `assets/lunr.js` and `assets/search-index.js` under the build folder `out_dir`.

    `cut` segments Chinese text with the site's user dictionary (reporter and town names)
    loaded; jieba's `Tokenizer.cut_for_search` is the intended one, since its overlapping
    sub-words give the browser more whole words to recognise in a query. `search.js` itself
    is a theme static file, copied by the build like any other.
    """
    lunr_js = lunr_js_path(project_root)
    assets = Path(out_dir) / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    _write_if_changed(assets / "lunr.js", lunr_js.read_bytes())
    payload = build_payload(docs, cut)
    _write_if_changed(assets / "search-index.js", render_index_js(payload).encode("utf-8"))
