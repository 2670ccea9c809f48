"""Chinese full-text search for the static site: a split lunr.js index that works offline.

The build calls `write_segment` for each month whose articles changed (in its workers, one
`SearchDoc` per article) and `write_manifest` once; `write_search_assets` does both for a
whole corpus (offline copies, tests, benchmarks). `tokenize.py` says how Chinese becomes
index terms without a segmenter in the browser, `engine.py` computes lunr's index math
quickly, `shards.py` splits it into small files a query loads a few of (`parts.py` keeps a
month's parts until they are packed), `assets.py` writes them (incrementally), and
`client.js` is the query side: the browser's engine, package data published beside the
index as `assets/search-client.js` (a theme's page script calls it).
"""

from sitegen.search.assets import SearchStats, parse_manifest, write_search_assets
from sitegen.search.index import SearchDoc, build_index, lunr_py_index

__all__ = [
    "SearchDoc",
    "SearchStats",
    "build_index",
    "lunr_py_index",
    "parse_manifest",
    "write_search_assets",
]
