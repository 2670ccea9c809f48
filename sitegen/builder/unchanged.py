"""The first step of a build, light enough to stand alone: did anything a build reads
change since the last good build?

`sitegen build` asks here before it imports the rest of the builder (templates, search,
the segmenter): when nothing changed, the answer is a stat walk and one record, and
importing the steps it does not need was a third of its time. `BuildResult` lives here
because that answer is one.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import wording
from sitegen.builder.fingerprint import FolderStats, build_sources, dir_identity, stat_stamp
from sitegen.builder.state import BuildState
from sitegen.config import SiteConfig
from sitegen.content.cache import SCHEMA
from sitegen.resources import lunr_js_path
from sitegen.safepath import site_roots

if TYPE_CHECKING:
    from sitegen.search.tokenize import Cut

SourceStamp = tuple[str, dict[str, str], FolderStats]
"""`source_stamp`'s answer: the stamp, the racy files' hashes, the folders' stat digests."""


@dataclass(frozen=True)
class Changed:
    """`check`'s answer when something changed: the sources' stamp, and when the check
    began (the build that follows counts its time from there, and does not check again)."""

    stamp: SourceStamp
    started: float


@dataclass(frozen=True)
class BuildResult:
    """What a build did. `written`: files whose bytes are new (or differ from the previous
    build's); `reused`: files carried over from the previous build by hard link;
    `rendered`: pages and zips that had to be made again because their fingerprint changed
    (a rendered page whose bytes come out the same is reused, not written)."""

    out_dir: Path
    editions: int
    articles: int
    html_pages: int
    files: int
    seconds: float
    written: frozenset[str] = frozenset()
    reused: frozenset[str] = frozenset()
    rendered: frozenset[str] = frozenset()
    nothing_changed: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per phase (content, model, plan, parent, search, wait, swap) and the parent's
    resident memory after each (`<phase>_rss_mb`), for benchmarks."""
    warnings: tuple[str, ...] = ()
    """Problems after the site was published (`build/` holds the new site)."""

    def summary(self) -> str:
        if self.nothing_changed:
            return (f"nothing changed ({wording.count(self.articles, 'article')}) in "
                    f"{self.seconds:.1f} s")
        return (
            f"built {shown(self.out_dir)}/: {wording.count(self.editions, 'edition')}, "
            f"{wording.count(self.articles, 'article')}; "
            f"{wording.count(len(self.written), 'file')} written, "
            f"{len(self.reused)} reused; {self.seconds:.1f} s"
        )


def shown(path: Path) -> str:
    """`path` as a user reads it: relative to where they are, when it is below."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


def cut_identity(cut: Cut | None) -> str:
    """What the outputs depend on about a caller's segmenter (the default one is named by
    the words the build gives it, which are part of the fingerprinted content)."""
    if cut is None:
        return "default"
    code = getattr(cut, "__code__", None)
    body = hashlib.blake2b(code.co_code, digest_size=8).hexdigest() if code else ""
    return (f"{getattr(cut, '__module__', '')}.{getattr(cut, '__qualname__', type(cut).__name__)}"
            f":{body}")


def source_stamp(config: SiteConfig, project_root: Path | None, cut: Cut | None
                 ) -> SourceStamp:
    """Stat fingerprint of everything a build reads (see `fingerprint.stat_stamp`). Finding
    lunr.js here also makes a missing one the first error, before any work."""
    lunr = lunr_js_path(project_root)
    roots = [config.content_dir, config.root / "sitegen.toml", *config.theme_dirs,
             *build_sources(), lunr]
    extra = f"{SCHEMA};{sys.version};{cut_identity(cut)};{lunr};{config.build_dir}"

    def skip(rel: str) -> bool:
        # raw pages reach the build only through `sitegen import`, which writes content
        return rel == "/raw" or rel.endswith("/__pycache__") or rel.endswith(".pyc")

    return stat_stamp(roots, extra, skip, site_roots(config))


def nothing_changed(config: SiteConfig, stamp: str, started: float) -> BuildResult | None:
    """The answer "nothing changed" if the last good build read exactly what this one
    would, and its `build/` (or a copy of it) is there: `build/` is left untouched."""
    state: BuildState | None = BuildState.load(config.cache_dir)
    build_id = dir_identity(config.build_dir)
    if state is None or not state.unchanged(stamp, config.build_dir, build_id):
        return None
    if state.published.build_id != build_id:  # a copy: remember it, so as not to walk it again
        state.seen_at(build_id).save(config.cache_dir)
    return BuildResult(out_dir=config.build_dir, editions=state.editions,
                       articles=state.articles, html_pages=state.html_pages,
                       files=state.files, seconds=time.perf_counter() - started,
                       nothing_changed=True)


def check(config: SiteConfig, project_root: Path | None = None, cut: Cut | None = None
          ) -> BuildResult | Changed:
    """The "nothing changed" answer, or what a build needs to go on from here
    (`build_site(..., changed=...)`): the sources are walked once."""
    started = time.perf_counter()
    stamp = source_stamp(config, project_root, cut)
    return nothing_changed(config, stamp[0], started) or Changed(stamp, started)
