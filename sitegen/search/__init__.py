"""Chinese full-text search for the static site: a prebuilt lunr.js index that works offline.

The build calls `write_search_assets(out_dir, docs, cut, project_root)` with one `SearchDoc`
per article. See `tokenize.py` for how Chinese becomes index terms without a segmenter in the
browser, `index.py` for the lunr index and its payload, and `themes/default/static/search.js`
for the query side.
"""

from sitegen.search.assets import write_search_assets
from sitegen.search.index import (
    SearchDoc,
    build_index,
    build_payload,
    parse_index_js,
    render_index_js,
)

__all__ = [
    "SearchDoc",
    "build_index",
    "build_payload",
    "parse_index_js",
    "render_index_js",
    "write_search_assets",
]
