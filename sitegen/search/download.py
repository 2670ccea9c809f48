"""How much a reader downloads to answer a query: for the benchmark and its tests.

Measured, not modelled: `probe.mjs` runs the search client (`client.js`) itself in node
against the built files and records every file the page's loader asks for (shards,
heavy-term files, the shown results' data); the manifest, the folding table, lunr.js, the
client and the theme's page script are added, since a cold page loads them too. Needs node.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

PROBE = Path(__file__).with_name("probe.mjs")
PAGE_SCRIPTS = ("lunr.js", "search-fold.js", "search-index.js", "search-client.js", "search.js")


def probe(build_dir: Path, queries: Sequence[str]) -> list[dict]:
    """For each query: {q, loaded (paths under assets/), results, ms} from a cold cache."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("query_download needs node")
    proc = subprocess.run([node, str(PROBE), str(build_dir)], input=json.dumps(list(queries)),
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(proc.stdout)


def files_size(build_dir: Path, rels: Sequence[str]) -> tuple[int, int]:
    raw = gz = 0
    for rel in rels:
        data = (Path(build_dir) / "assets" / rel).read_bytes()
        raw += len(data)
        gz += len(gzip.compress(data, 6))
    return raw, gz


def query_download(build_dir: Path, query: str) -> tuple[int, int]:
    """(raw bytes, gzip bytes) of every file a cold browser loads to answer `query` and show
    its first page of results: lunr.js, the folding table, the manifest, the client, the
    page script, shards and article data."""
    loaded = probe(build_dir, [query])[0]["loaded"]
    return files_size(build_dir, [*PAGE_SCRIPTS, *loaded])
