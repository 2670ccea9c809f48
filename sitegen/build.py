"""`sitegen build`: content Markdown -> a complete static site in `build/`.

The pipeline is load (content.py) -> model (site.py) -> write (render.py, feeds.py, search,
offline.py). Writing happens in a fresh folder next to `build/` (same file system), which
replaces `build/` with renames only once everything has been written. A build that fails
anywhere removes its folder and re-raises, so readers (and `sitegen serve`) keep seeing
the previous site, and `content/` is only ever read.

Same content, same bytes: nothing written depends on the clock, the machine, the order a
directory listing happens to return, or hash seeds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.content import load_editions
from sitegen.feeds import atom_feed, robots, sitemap
from sitegen.model import Edition
from sitegen.offline import folder_name, write_offline_zip
from sitegen.render import Renderer, make_env, static_files
from sitegen.search import SearchDoc, write_search_assets
from sitegen.search.tokenize import Cut
from sitegen.segment import segmenter
from sitegen.site import Site, build_site_model, site_slugs


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    editions: int
    articles: int
    html_pages: int
    files: int
    seconds: float

    def summary(self) -> str:
        return (
            f"built {self.out_dir}: {self.editions} editions, {self.articles} articles, "
            f"{self.html_pages} pages, {self.files} files in {self.seconds:.2f}s"
        )


def search_docs(site: Site) -> list[SearchDoc]:
    """One search document per article of `site`, oldest edition first, page order."""
    return [
        SearchDoc(
            url=art.url,
            title=art.title,
            kicker=art.kicker,
            subtitle=art.subtitle,
            body="\n".join(art.article.paragraphs),
            people=art.people,
            towns=list(art.article.towns),
            date=art.date.isoformat(),
            page=art.page_label,
            bylines=art.byline_text.replace("　", " "),
        )
        for art in site.articles
    ]


def default_cut(editions: Sequence[Edition], config: SiteConfig) -> Cut:
    """jieba's search-mode cut, knowing this site's reporter and town names as words."""
    words = [b.name for ed in editions for a in ed.articles for b in a.article.bylines]
    words += [t for town in config.towns for t in town.spellings]
    return segmenter(sorted(set(words))).cut_for_search


def write_site(site: Site, config: SiteConfig, out_dir: Path, project_root: Path,
               cut: Cut, env: jinja2.Environment | None = None) -> None:
    """Pages, assets and search of `site` into the empty folder `out_dir`.

    Used for the published site and, restricted to one edition, for each offline copy; only
    the published site gets the feed, sitemap, robots.txt and `.nojekyll`.
    """
    Renderer(site, config.theme_dirs, env).write_all(out_dir)
    for rel, source in static_files(config.theme_dirs).items():
        target = out_dir / urls.ASSETS_DIR / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    write_search_assets(out_dir, search_docs(site), cut, project_root)
    if site.offline:
        return
    (out_dir / urls.FEED).write_bytes(atom_feed(site, config.feed_size))
    (out_dir / urls.SITEMAP).write_bytes(sitemap(site))
    (out_dir / urls.ROBOTS).write_bytes(robots(site))
    (out_dir / urls.NOJEKYLL).write_bytes(b"")


def _swap_into_place(new: Path, target: Path) -> None:
    """Make `new` the folder at `target` with renames; the old one is removed afterwards.

    Two renames, not one (POSIX cannot exchange two non-empty folders portably): the window
    in which `target` is missing is a single system call long, and if the second rename
    fails the old site is put back.
    """
    if not target.exists():
        os.replace(new, target)
        return
    holder = Path(tempfile.mkdtemp(prefix=".build-old-", dir=target.parent))
    old = holder / target.name
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        shutil.rmtree(holder, ignore_errors=True)
        raise
    shutil.rmtree(holder, ignore_errors=True)


def build_site(config: SiteConfig, project_root: Path, cut: Cut | None = None) -> BuildResult:
    """Build the site of `config` into `config.build_dir`, atomically.

    `project_root` is the sitegen checkout (its `node_modules` holds lunr.js); `cut` is the
    word segmenter for the search index (default: jieba with the site's names).
    """
    started = time.perf_counter()
    editions = load_editions(config.content_dir)
    slugs = site_slugs(editions, config)
    site = build_site_model(editions, config, slugs=slugs)
    cut = cut or default_cut(editions, config)
    build_dir = config.build_dir
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-new-", dir=build_dir.parent))
    scratch = Path(tempfile.mkdtemp(prefix=".build-offline-", dir=build_dir.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a published folder must be readable
        env = make_env(config.theme_dirs)
        write_site(site, config, staging, project_root, cut, env)
        for ed in site.editions:
            mini = build_site_model(editions, config, only=ed.date, slugs=slugs)
            write_offline_zip(
                lambda out, mini=mini: write_site(mini, config, out, project_root, cut, env),
                staging / urls.download_url(ed.date),
                folder_name(config.name, ed.date),
                ed.date,
                scratch / ed.iso,
            )
        shutil.rmtree(scratch)
        files = sum(1 for p in staging.rglob("*") if p.is_file())
        _swap_into_place(staging, build_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return BuildResult(
        out_dir=build_dir,
        editions=len(site.editions),
        articles=len(site.articles),
        html_pages=len(site.html_pages()) + 1,
        files=files,
        seconds=time.perf_counter() - started,
    )
