"""The build's first step, the index: every edition's summary read (or taken from the
content cache), turned into the site model, and the few facts about each edition that
the later steps need.

Why a step of its own: everything an edition's pages depend on from the rest of the
archive (the slugs of its people and towns, its neighbours, whether it is the latest)
comes from here, from summaries only. A partitioned build would run this once and hand
its result to jobs that each make a year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitegen import workers
from sitegen.builder.state import SlugRecord
from sitegen.builder.tasks import article_digests, read_task
from sitegen.config import SiteConfig
from sitegen.content.cache import ContentCache
from sitegen.content.files import edition_dirs
from sitegen.content.summary import EditionMeta
from sitegen.errors import SitegenError
from sitegen.progress import Progress
from sitegen.safepath import site_roots
from sitegen.site.model import SiteBuilder, Slugs
from sitegen.site.views import EditionView, Site


@dataclass(frozen=True)
class EditionInfo:
    """What the parent keeps of an edition's summary once its views are made."""

    folder: Path
    digest: str
    articles: dict[tuple[str, int], str]  # article digests
    names: list[str]  # everyone named on it (bylines and unassigned bylines)
    towns: frozenset[str]  # towns its articles are tagged with


@dataclass(frozen=True)
class Index:
    """The site model and what the later steps need of each edition's summary."""

    site: Site
    slugs: Slugs
    words: tuple[str, ...]  # the search segmenter's user words (reporters, towns)
    editions: dict[date, EditionInfo]
    links: dict[date, list[object]]  # per edition: see `edition_links`
    views: dict[date, EditionView]  # the site model's editions by date
    latest: date | None  # the archive's latest edition (a partition's model may not hold it)

    def folder(self, day: date) -> Path:
        return self.editions[day].folder

    def digest(self, day: date) -> str:
        return self.editions[day].digest


def read_summaries(config: SiteConfig, content: ContentCache, pool: workers.Pool,
                   show: bool,
                   summaries: tuple[Sequence[date], Iterable[EditionMeta]] | None = None,
                   keep: Callable[[date], bool] | None = None,
                   ) -> tuple[SiteBuilder, dict[date, EditionInfo]]:
    """Every edition's summary, from the cache where the folder is unchanged, read (in the
    workers) where not, each turned into views as it arrives and then dropped: the parent
    never holds every summary of a large archive at once. Errors name the file and line,
    as `read_edition`'s; with several broken editions, the oldest one's. `summaries`: a
    partitioned build's index, its dates and its summaries in date order (nothing is
    read); `keep`: the editions whose views the step needs (`SiteBuilder`)."""
    if summaries is not None:
        days, metas = summaries
    else:
        folders = edition_dirs(config.content_dir, site_roots(config))
        days = [date.fromisoformat(f.name) for f in folders]
    builder = SiteBuilder(config, days, keep, SlugRecord.load_or_new(config.cache_dir).slugs)
    info: dict[date, EditionInfo] = {}

    def take(folder: Path, meta: EditionMeta) -> None:
        builder.add(meta)
        names = {b.name for a in meta.articles for b in a.bylines}
        names |= {b.name for p in meta.pages for g in p.unassigned_bylines for b in g}
        info[meta.date] = EditionInfo(folder, meta.digest, article_digests(meta),
                                      sorted(names),
                                      frozenset(t for a in meta.articles for t in a.towns))

    if summaries is not None:
        for meta in metas:
            take(config.content_dir / meta.date.isoformat(), meta)
        return builder, info
    stale = []
    for folder in folders:
        meta = content.load_meta(folder)
        if meta is None:
            stale.append(folder)
        else:
            take(folder, meta)
    with Progress(len(stale), "reading", show and len(stale) > 20, unit="edition") as bar:
        for folder, meta in zip(stale, pool.map(read_task, stale), strict=True):
            take(folder, meta)
            bar.update()
    return builder, info


def finish_index(builder: SiteBuilder, info: dict[date, EditionInfo], config: SiteConfig
                 ) -> Index:
    """The site model from the summaries read, with the slugs remembered across builds
    (a person's file name is theirs for good)."""
    from sitegen.search.documents import search_words

    known = len(builder.memo)
    site, slugs = builder.finish()
    if len(builder.memo) != known:
        SlugRecord(slugs=builder.memo).save(config.cache_dir)
    words = search_words(builder.people(), config)
    gazetteer = {t.name for t in config.towns}
    links = {day: edition_links(i, slugs, gazetteer) for day, i in info.items()}
    return Index(site, slugs, words, info, links, {e.date: e for e in site.editions},
                 max(info, default=None))


def edition_links(info: EditionInfo, slugs: Slugs, gazetteer: set[str]) -> list[object]:
    """The file names an edition's pages (and its offline copy) link to for the people and
    towns in it: the only thing they take from the rest of the archive besides neighbours."""
    towns = [(t, s) for t, s in slugs.towns.items() if t in info.towns or t in gazetteer]
    return [[(n, slugs.people.get(n)) for n in info.names], towns]


def content_reader(config: SiteConfig) -> Callable[[Path], None]:
    """Reads an edition folder into the build's content cache, unless the cache has it as
    it is (`sitegen build` calls it in the import's workers, on each edition they import:
    the build that follows then only loads the summaries, and the work of reading a year
    of editions is done while the import keeps both cores busy). A folder that does not
    read cleanly is left to the build, which reports it."""
    roots = site_roots(config)
    cache = ContentCache(config.cache_dir / "content", None, roots)

    def read(folder: Path) -> None:
        try:
            if cache.load_meta(folder) is None:
                cache.read(folder)
        except (SitegenError, OSError):
            pass

    return read
