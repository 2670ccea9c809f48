"""Search build micro-benchmark: cold build, no-change build and one added edition.

Usage: python bench/search_bench.py SITE_DIR [--limit N] [--out DIR]

SITE_DIR is an imported site (`bench/generate.py` then `sitegen import`). Prints JSON with
time, peak RSS (ru_maxrss of this process, so run one size per process), files and bytes.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.config import load_config  # noqa: E402
from sitegen.content.files import load_editions  # noqa: E402
from sitegen.output import BuildOutput  # noqa: E402
from sitegen.search import write_search_assets  # noqa: E402
from sitegen.search.documents import search_docs  # noqa: E402
from sitegen.site.model import build_site_model, site_slugs  # noqa: E402
from sitegen.text.segment import segmenter  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="first N articles only")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--gzip", action="store_true", help="measure gzip bytes (slow)")
    args = ap.parse_args(argv)
    config = load_config(args.site)
    editions = load_editions(config.content_dir)
    site = build_site_model(editions, config, slugs=site_slugs(editions, config))
    docs = list(search_docs(site, editions))
    # The build's user dictionary: reporter names and the gazetteer's spellings.
    words = {p for d in docs for p in d.people} | {t for town in config.towns
                                                   for t in town.spellings}
    cut = segmenter(sorted(words)).cut_for_search
    if args.limit:
        docs = docs[: args.limit]
    last_date = docs[-1].date
    older = [d for d in docs if d.date != last_date]
    work = args.out or Path(tempfile.mkdtemp(prefix="search-bench-"))
    shutil.rmtree(work, ignore_errors=True)
    cache = work / "cache"
    base_rss = rss_mb()
    report: dict[str, object] = {"articles": len(docs), "rss_before_mb": round(base_rss)}

    def run(name: str, ds, prev: Path | None, gz: bool = False) -> Path:
        out = work / name
        t = time.perf_counter()
        stats = write_search_assets(BuildOutput(out, prev), ds, cut, ROOT, cache, measure_gzip=gz)
        report[name] = {"seconds": round(time.perf_counter() - t, 2),
                        "peak_rss_mb": round(rss_mb()),
                        "segments_rebuilt": stats.segments_rebuilt,
                        "shard_files": stats.shard_files, "doc_files": stats.doc_files,
                        "written": stats.files_written, "reused": stats.files_reused,
                        "bytes": stats.bytes, "gzip_bytes": stats.gzip_bytes,
                        "timings": {k: round(v, 2) for k, v in stats.timings.items()}}
        return out

    a = run("cold_minus_last_edition", older, None, gz="--gzip" in sys.argv)
    b = run("add_one_edition", docs, a)
    run("no_change", docs, b)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
