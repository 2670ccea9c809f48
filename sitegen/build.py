"""`sitegen build`: content Markdown -> a complete static site in `build/`, incrementally.

The pipeline is load (content.py, through the content cache) -> model (site.py, from
body-less summaries) -> plan and fingerprint every output (render.py, cache.py) -> render
only what changed, in parallel -> feeds, sitemap, search -> swap. A build writes into a fresh
folder next to `build/` (same file system) that replaces `build/` with renames only once
everything has been written. Outputs whose fingerprint is unchanged are hard links to the
previous build's files (`BuildOutput.reuse`), so a rebuild costs what changed, not the
archive's size. A build that fails anywhere removes its folder and re-raises, so readers
(and `sitegen serve`) keep seeing the previous site, the stored fingerprints keep
describing it, and `content/` is only ever read.

Before any of that, a stat walk of everything a build reads (content, `sitegen.toml`, the
theme, sitegen's own code, lunr.js) is compared with the last good build's: if nothing
changed the build answers "nothing changed" without touching `build/`.

Parallelism: a pool of forked worker processes is started before the content is loaded
(so each worker is small: the memory of the whole-site model is not duplicated into it).
Workers read and validate edition folders the cache does not have, then make the months
of search data whose articles changed (started first, while the parent plans the pages),
render one edition per task (its contents, pages, articles and offline zip, with that
edition's bodies loaded from the cache and dropped afterwards) and chunks of archive-wide
pages; they write into the staging folder directly. Meanwhile the parent writes the feed
and the sitemap, and the search manifest at the end. See ARCHITECTURE.md ("Scale") for
how this partitions a large archive by year.

Same content, same bytes: nothing written depends on the clock, the machine, the number of
workers, the order a directory listing happens to return, hash seeds, or whether the build
was cold or incremental (tests/test_incremental.py compares them byte for byte).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import gc
import hashlib
import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import jinja2

from sitegen import urls, wording
from sitegen.cache import (
    SCHEMA,
    ContentCache,
    Fingerprinter,
    FolderStats,
    build_sources,
    code_digest,
    content_schema,
    dir_identity,
    dump_pickle,
    folder_listing,
    listing_digest,
    load_pickle,
    racy_files_unchanged,
    stat_stamp,
)
from sitegen.config import SiteConfig
from sitegen.content import EditionMeta, edition_dirs
from sitegen.errors import SitegenError, os_error, os_reason
from sitegen.model import Article, Edition
from sitegen.offline import folder_name, zip_bytes
from sitegen.output import BuildOutput, MemoryOutput
from sitegen.progress import Progress
from sitegen.progress import wanted as progress_wanted
from sitegen.render import (
    STYLESHEET,
    PagePlan,
    Renderer,
    make_env,
    page_fingerprint,
    plan_edition,
    plan_front,
    plan_pages,
    plan_shared,
    static_files,
    template_digests,
)
from sitegen.resources import lunr_js_path
from sitegen.safepath import site_roots
from sitegen.site import (
    ArticleView,
    EditionLink,
    Site,
    SiteBuilder,
    SiteInfo,
    Slugs,
    build_site_model,
    edition_view,
    site_info,
)

if TYPE_CHECKING:
    from sitegen.partition import Scope
    from sitegen.search import SearchDoc
    from sitegen.search.assets import SegmentResult
    from sitegen.search.tokenize import Cut

def _preload() -> None:
    """Import what only a real build needs (segmenter, search, feeds: most of a second)
    now, before the workers fork, so they share it; the "nothing changed" answer never
    pays for it."""
    import pypinyin  # noqa: F401  (slugs: new people, offline copies' folder names)
    import rjieba  # noqa: F401  (the search months' segmenter)
    import zxingcpp  # noqa: F401  (articles' QR codes)

    import sitegen.feeds
    import sitegen.search
    import sitegen.segment  # noqa: F401
    from sitegen.search.variants import t2s

    t2s()  # the folding table, read from its package once, not by each worker


STATE_FILE = "state"
SLUG_MEMO = "slugs"
TRASH = "trash"
OUTPUTS_FILE = "outputs"
SEARCH_CACHE = "search"
SHARED_CHUNK = 400
"""Work (in listed articles) per task of archive-wide pages: big enough to amortise a
task's overhead; a town's page lists thousands of articles, a reporter's a few dozen."""


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
            f"built {_shown(self.out_dir)}/: {wording.count(self.editions, 'edition')}, "
            f"{wording.count(self.articles, 'article')}; "
            f"{wording.count(len(self.written), 'file')} written, "
            f"{len(self.reused)} reused; {self.seconds:.1f} s"
        )


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# ------------------------------------------------------------------------------ search


def search_doc(view: ArticleView, body: str = "") -> SearchDoc:
    """The search document of an article: its view's data and `body` (its paragraphs,
    one per line). The build makes them without bodies in the parent (enough to tell
    whether a month changed) and the workers add the bodies from the content cache."""
    from sitegen.search import SearchDoc

    return SearchDoc(
        url=view.url,
        title=view.title,
        kicker=view.kicker,
        subtitle=view.subtitle,
        body=body,
        people=view.people,
        towns=[t.label for t in view.towns],
        date=view.date.isoformat(),
        page=view.page_label,
        bylines=view.byline_text.replace("　", " "),
    )


def article_body(article: Article) -> str:
    """What search reads of an article besides its headline: the editor's note, the lead,
    the paragraphs with their intertitles, the pull quotes (one per line)."""
    body = list(article.paragraphs)
    for heading in sorted(article.headings, key=lambda h: h.before, reverse=True):
        body.insert(heading.before, heading.text)
    quotes = [f"{q.text} {q.source or ''}".rstrip() for q in article.quotes]
    return "\n".join(t for t in (article.editor_note, article.lead, *body, *quotes) if t)


def search_docs(site: Site, editions: Sequence[Edition]) -> list[SearchDoc]:
    """The search documents of `site` (bodies from `editions`), in reading order."""
    bodies = {(ed.date, a.page, a.order): article_body(a.article)
              for ed in editions for a in ed.articles}
    return [search_doc(view, bodies[(ed.date, *view.key)])
            for ed in sorted(site.editions, key=lambda e: e.date) for view in ed.articles]


def search_words(people: Iterable[str], config: SiteConfig) -> tuple[str, ...]:
    """The user words of the site's segmenter: reporter and town names."""
    words = set(people) | {t for town in config.towns for t in town.spellings}
    return tuple(sorted(words))


def no_words(text: str) -> list[str]:
    """The segmenter of an offline copy's search: none, so its index holds the n-grams
    that find articles and not the jieba words that only rank them. Words would cost a
    year's build a second jieba pass over every article (the site's words depend on every
    reporter name in the archive, so they cannot be shared with a copy that must not
    change when a new name appears elsewhere); within one day's paper, ranking by the
    n-grams alone is close enough."""
    return []


def _cut_identity(cut: Cut | None) -> str:
    """What the outputs depend on about a caller's segmenter (the default one is named by
    the words the build gives it, which are part of the fingerprinted content)."""
    if cut is None:
        return "default"
    code = getattr(cut, "__code__", None)
    body = hashlib.blake2b(code.co_code, digest_size=8).hexdigest() if code else ""
    return (f"{getattr(cut, '__module__', '')}.{getattr(cut, '__qualname__', type(cut).__name__)}"
            f":{body}")


# ------------------------------------------------------------------------------ workers


@dataclass
class _Setup:
    """What every worker needs, fixed before the pool forks (inherited, never pickled)."""

    config: SiteConfig
    project_root: Path | None
    staging: Path
    previous: Path | None
    content: ContentCache
    env: jinja2.Environment
    statics: dict[str, bytes]
    cut: Cut | None
    search_cache: Path
    renderers: dict[SiteInfo, Renderer] = field(default_factory=dict)
    search_cuts: dict[tuple[str, ...], Cut] = field(default_factory=dict)

    def renderer(self, info: SiteInfo) -> Renderer:
        found = self.renderers.get(info)
        if found is None:
            # the renderers of a process share one body cache: the offline copy prints the
            # bodies the published pages have just rendered
            first = next(iter(self.renderers.values()), None)
            found = Renderer(info, self.config.theme_dirs, self.env,
                             bodies=first.bodies if first else None,
                             roots=site_roots(self.config))
            self.renderers[info] = found
        return found

    def cut_for_search(self, words: tuple[str, ...]) -> Cut:
        """The caller's segmenter, or jieba with `words` (made once per worker)."""
        if self.cut is not None:
            return self.cut
        found = self.search_cuts.get(words)
        if found is None:
            from sitegen.segment import segmenter

            found = self.search_cuts[words] = segmenter(list(words)).cut_for_search
        return found


_SETUP: _Setup | None = None


def _task_output() -> tuple[_Setup, BuildOutput]:
    """In a worker task: the build's setup and an output into its staging folder."""
    assert _SETUP is not None
    return _SETUP, BuildOutput(_SETUP.staging, _SETUP.previous)


@dataclass
class _TaskResult:
    rendered: list[str]
    written: set[str]
    reused: set[str]
    count: int  # units of progress
    lost: list[str] = field(default_factory=list)
    segment: SegmentResult | None = None
    pack: tuple[str, list[str]] | None = None  # (pack, files written) of a pack task


@dataclass
class _LinkTask:
    """Files to link from the previous build (unchanged fingerprints)."""

    rels: list[str]


def _link_tasks(rels: list[str], workers: int) -> list[_LinkTask]:
    """`rels` in a few tasks per worker (a task links at least 500 files)."""
    step = max(500, len(rels) // (4 * workers) + 1)
    return [_LinkTask(rels[i:i + step]) for i in range(0, len(rels), step)]


def _link_task(task: _LinkTask) -> _TaskResult:
    _, out = _task_output()
    lost = [rel for rel in task.rels if not out.reuse(rel)]
    return _TaskResult([], set(), out.reused_paths, 0, lost)


@dataclass
class _EditionTask:
    """One edition's pages to render (`render`) and/or its offline zip. The worker loads the
    edition's summary and bodies from the content cache itself."""

    folder: Path
    digest: str
    older: EditionLink | None
    newer: EditionLink | None
    latest: bool
    info: SiteInfo
    slugs: Slugs
    render: frozenset[str]
    zip: bool
    same_day: tuple[EditionLink, ...] = ()


@dataclass
class _SharedTask:
    info: SiteInfo
    plans: list[PagePlan]


@dataclass
class _SearchTask:
    """One month of the search data (see `_Feed`). Its documents come without
    bodies, per edition (folder, digest, [(article key, document)]); the worker adds the
    bodies from the content cache, so only one month's text is in memory at a time."""

    key: str
    year: int
    first: int
    editions: list[tuple[Path, str, list[tuple[tuple[str, int], SearchDoc]]]]
    words: tuple[str, ...]


@dataclass
class _PackTask:
    """Share `share` (i of k) of the files of a pack of search months, made from the
    months' parts ((month, content hash), in order) waiting in the search cache; `only`
    (when given) lists the files wanted."""

    pack: str
    months: list[tuple[str, str]]
    share: tuple[int, int]
    only: frozenset[str] | None = None


_Task: TypeAlias = "_EditionTask | _SharedTask | _LinkTask | _SearchTask | _PackTask"
"""What a worker is given."""


def _read_task(folder: Path) -> EditionMeta:
    assert _SETUP is not None
    return _SETUP.content.read(folder)[0]


def _articles(edition: Edition) -> dict[tuple[str, int], Article]:
    return {(a.page, a.order): a.article for a in edition.articles}


def _digests(meta: EditionMeta) -> dict[tuple[str, int], str]:
    return {(a.page, a.order): a.digest for a in meta.articles}


def _offline_zip(setup: _Setup, meta: EditionMeta, slugs: Slugs,
                 articles: dict[tuple[str, int], Article],
                 pages: dict[str, tuple[str, bytes | None]]) -> bytes:
    """The offline copy of one edition: the site model restricted to it, its own search
    data, zipped. `pages` holds the edition's own pages (url -> the section the site
    shows them in, and the copy's bytes where the site's render made them already,
    `Renderer.render_variants`); the rest (the copy's front, people, towns, archive and
    search pages, and an edition page whose bytes are None) is rendered here with the same
    templates, an edition page in the site's section."""
    config = setup.config
    mini = build_site_model([meta], config, only=meta.date, slugs=slugs)
    renderer = setup.renderer(mini.info)
    files: dict[str, bytes] = {}
    todo = []
    for plan in plan_pages(mini):
        known = pages.get(plan.url)
        if known is None:
            todo.append(plan)
        elif known[1] is not None:
            files[plan.url] = known[1]
        else:
            todo.append(dataclasses.replace(plan, section=known[0]))
    files.update(renderer.render_all(todo, articles))
    for rel, data in setup.statics.items():
        files[f"{urls.ASSETS_DIR}/{rel}"] = data
    from sitegen.search import write_search_assets

    docs = [search_doc(v, article_body(articles[v.key])) for v in mini.articles]
    search = MemoryOutput()
    write_search_assets(search, docs, no_words, setup.project_root, buckets=1)
    for rel, data in search.files.items():
        files.setdefault(rel, data)
    same = {f"{urls.ASSETS_DIR}/{rel}" for rel in setup.statics} | {f"{urls.ASSETS_DIR}/lunr.js"}
    return zip_bytes(files.items(), folder_name(config.name, meta.date), meta.date, same)


def _edition_task(task: _EditionTask) -> _TaskResult:
    """Render what changed of one edition, and its offline zip if that changed. With the
    zip, every page of the edition is rendered once for both (`Renderer.render_variants`),
    the site's bytes written where they changed."""
    setup, out = _task_output()
    meta = setup.content.load_meta(task.folder)
    if meta is None or meta.digest != task.digest:
        meta = setup.content.read(task.folder)[0]
    view = edition_view(meta, task.slugs, False, task.older, task.newer,
                        same_day=task.same_day)
    plans = plan_edition(task.info, view, task.latest, _digests(meta))
    if not task.zip:
        plans = [p for p in plans if p.url in task.render]
    articles: dict[tuple[str, int], Article] = {}
    if task.zip or any(p.body for p in plans):
        articles = _articles(setup.content.edition(task.folder, meta.digest))
    renderer = setup.renderer(task.info)
    rendered = []
    copy: dict[str, tuple[str, bytes | None]] = {}
    for plan in plans:
        article = articles.get(plan.body) if plan.body else None
        if task.zip:
            page, offline = renderer.render_variants(plan, article)
            copy[plan.url] = (plan.section, None if offline is None else offline.encode())
        else:
            page = renderer.render(plan, article)
        if plan.url in task.render:
            out.write_bytes(plan.url, page.encode())
            rendered.append(plan.url)
    if task.zip:
        rel = urls.download_url(meta.date)
        out.write_bytes(rel, _offline_zip(setup, meta, task.slugs, articles, copy))
        rendered.append(rel)
    renderer.forget_bodies()
    return _TaskResult(rendered, out.written_paths, out.reused_paths, len(rendered))


def _shared_task(task: _SharedTask) -> _TaskResult:
    setup, out = _task_output()
    rendered = []
    for url, data in setup.renderer(task.info).render_all(task.plans):
        out.write_bytes(url, data)
        rendered.append(url)
    return _TaskResult(rendered, out.written_paths, out.reused_paths, len(rendered))


def _lost_tasks(lost: list[str], shared_plans: list[PagePlan], site: Site,
                folder_of: dict[date, Path], digest_of: dict[date, str], slugs: Slugs,
                search: _SearchPlan) -> list[_Task]:
    """Tasks that make `lost` (outputs expected in the previous build but missing there)."""
    by_url = {p.url: p for p in shared_plans}
    pages: dict[date, set[str]] = {}
    zips: set[date] = set()
    redo_search = search.redo([rel for rel in lost if rel.startswith(urls.ASSETS_DIR + "/")])
    for rel in lost:
        if rel in by_url or rel.startswith(urls.ASSETS_DIR + "/"):
            continue
        if rel.startswith("downloads/"):
            zips.add(date.fromisoformat(rel.removeprefix("downloads/").removesuffix(".zip")))
        else:
            pages.setdefault(date.fromisoformat(rel[:10]), set()).add(rel)
    views = {e.date: e for e in site.editions}
    latest = site.latest.date if site.latest else None
    tasks: list[_Task] = [
        *redo_search, _SharedTask(site.info, [by_url[rel] for rel in lost if rel in by_url])]
    for day in sorted(set(pages) | zips):
        ed = views[day]
        tasks.append(_EditionTask(folder_of[day], digest_of[day], ed.older, ed.newer,
                                  day == latest, site.info, slugs,
                                  frozenset(pages.get(day, ())), day in zips, ed.same_day))
    return tasks


def _weight(plan: PagePlan) -> int:
    """Rough cost of rendering `plan`: 1 + the number of articles it lists."""
    credits = plan.context.get("credits")
    return 1 + len(credits) if credits is not None else 20


def _chunks(plans: list[PagePlan], workers: int) -> list[list[PagePlan]]:
    """`plans` in tasks of similar cost, several per worker so they finish together."""
    total = sum(map(_weight, plans))
    limit = max(SHARED_CHUNK, total // max(1, 4 * workers))
    out: list[list[PagePlan]] = []
    current: list[PagePlan] = []
    cost = 0
    for plan in plans:
        weight = _weight(plan)
        if current and cost + weight > limit:
            out.append(current)
            current, cost = [], 0
        current.append(plan)
        cost += weight
    if current:
        out.append(current)
    return out


def _search_task(task: _SearchTask) -> _TaskResult:
    from sitegen.search.assets import write_segment

    setup, out = _task_output()
    docs = []
    for folder, digest, stubs in task.editions:
        articles = _articles(setup.content.edition(folder, digest))
        docs += [dataclasses.replace(doc, body=article_body(articles[key]))
                 for key, doc in stubs]
    segment = write_segment(out, task.key, task.year, task.first, docs,
                            setup.cut_for_search(task.words), setup.search_cache)
    return _TaskResult([], out.written_paths, out.reused_paths, 1, segment=segment)


def _pack_task(task: _PackTask) -> _TaskResult:
    from sitegen.search.assets import write_pack

    setup, out = _task_output()
    made = write_pack(out, task.pack, task.months, setup.search_cache, task.share, task.only)
    return _TaskResult([], out.written_paths, out.reused_paths, 0,
                       pack=(task.pack, made.files))


def _libc_trim() -> Callable[[int], int] | None:
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # not glibc
        return None


_MALLOC_TRIM = _libc_trim()


def _give_back_memory() -> None:
    """Hand the memory a finished task freed back to the system (glibc keeps it otherwise).

    Measured on a year's search months made one after the other in one process: 460 MB
    resident between months without this, 200 MB with it; over a 10-year build a worker
    otherwise grew to 0.9 GB."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _run_task(task: _Task) -> _TaskResult:
    if not isinstance(task, _SearchTask):
        return _dispatch(task)
    # Only after a month of search data: giving memory back after every task cost more in
    # page faults when the next task took it again than it saved (a year's cold build
    # went from 62 s to 90 s).
    try:
        return _dispatch(task)
    finally:
        gc.collect()
        _give_back_memory()


def _dispatch(task: _Task) -> _TaskResult:
    if isinstance(task, _EditionTask):
        return _edition_task(task)
    if isinstance(task, _SearchTask):
        return _search_task(task)
    if isinstance(task, _LinkTask):
        return _link_task(task)
    if isinstance(task, _PackTask):
        return _pack_task(task)
    return _shared_task(task)


class _Tally:
    """Progress of tasks started before the progress bar exists (their callbacks run in the
    pool's result thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bar: Progress | None = None
        self.early = 0

    def add(self, result: _TaskResult) -> None:
        with self.lock:
            if self.bar is None:
                self.early += result.count
            else:
                self.bar.update(result.count)

    def attach(self, bar: Progress) -> None:
        with self.lock:
            self.bar = bar
            bar.update(self.early)


class _Workers:
    """A fork pool of `n` processes (none when n is 1: everything then runs in-process)."""

    def __init__(self, n: int) -> None:
        self.size = n
        self.pool = multiprocessing.get_context("fork").Pool(n) if n > 1 else None
        self.stopping = False

    def map(self, fn: Callable[[Any], Any], items: Sequence[Any]) -> Iterable[Any]:
        """Results in the order of `items` (so the first failing item's error is raised)."""
        if self.pool is None or len(items) < 2:
            return map(fn, items)
        return self.pool.imap(fn, items, chunksize=max(1, min(8, len(items) // 32)))

    def submit(self, fn: Callable[[Any], Any], item: Any, done: Callable[[Any], None],
               failed: Callable[[BaseException], None] | None = None) -> Callable[[], Any]:
        """Start `fn(item)`; `done` gets the result when it is there (`failed` the error,
        if given). Returns a getter that waits for the result (and raises the task's
        error). Without a pool the task runs now (and raises its error here). Once the
        pool is closing (a task failed) nothing is started: a feed's callback asking for its
        next task then would meet a terminated pool."""
        if self.stopping:
            return lambda: None
        if self.pool is None:
            result = fn(item)
            done(result)
            return lambda: result
        try:
            handle: AsyncResult = self.pool.apply_async(fn, (item,), callback=done,
                                                        error_callback=failed)
        except ValueError:  # "Pool not running": it was terminated since the check above
            if self.stopping:
                return lambda: None
            raise
        return handle.get

    def close(self, ok: bool) -> None:
        self.stopping = True
        if self.pool is None:
            return
        if ok:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()
        self.pool = None


def _rss_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere), for `BuildResult.timings`."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return 0.0


def _worker_count(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------------------ the build


def _swap_into_place(new: Path, target: Path, trash: Path | None = None) -> None:
    """Make `new` the folder at `target` with renames; the old one is removed afterwards.

    Two renames, not one (POSIX cannot exchange two non-empty folders portably): the window
    in which `target` is missing is a single system call long, and if the second rename
    fails the old site is put back. With `trash` (a folder on the same file system) the old
    site is moved there instead of deleted: unlinking a year's 25,000 files takes most of a
    second, which `empty_trash` spends in the background of the next build.
    """
    if not target.exists():
        os.replace(new, target)
        return
    holder = None
    if trash is not None:
        try:
            trash.mkdir(parents=True, exist_ok=True)
            holder = Path(tempfile.mkdtemp(prefix="build-old-", dir=trash))
        except OSError:
            holder = None
    if holder is None:
        holder = Path(tempfile.mkdtemp(prefix=".build-old-", dir=target.parent))
    old = holder / target.name
    try:
        os.replace(target, old)
    except OSError as exc:
        shutil.rmtree(holder, ignore_errors=True)
        if exc.errno != errno.EXDEV or trash is None:
            raise  # build/ cannot be moved (permissions, immutable): it stays as it was
        # the trash is on another file system: swap next to build/, delete there
        holder = Path(tempfile.mkdtemp(prefix=".build-old-", dir=target.parent))
        old = holder / target.name
        try:
            os.replace(target, old)
        except BaseException:
            shutil.rmtree(holder, ignore_errors=True)
            raise
        trash = None
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        shutil.rmtree(holder, ignore_errors=True)
        raise
    if trash is None:
        shutil.rmtree(holder, ignore_errors=True)


def empty_trash(trash: Path) -> threading.Thread | None:
    """Delete previous builds left in `trash`, in a daemon thread (the build goes on; what
    is not deleted when the process ends is deleted next time)."""
    old = list(trash.iterdir()) if trash.is_dir() else []
    if not old:
        return None

    def delete() -> None:
        for path in old:
            shutil.rmtree(path, ignore_errors=True)

    thread = threading.Thread(target=delete, name="sitegen-trash", daemon=True)
    thread.start()
    return thread


def _same_build(recorded: dict[str, Any], build_dir: Path,
                build_id: tuple[int, int] | None) -> bool:
    """Whether `build_dir` is the build that `recorded` (the state or the outputs of the
    last good build) describes, so its files can be reused: the same folder (device and
    inode), or a copy of it, such as the one CI restores with the cache from the previous
    run (a new inode, the same files; checked by name, which costs a walk of the folder
    and happens only when the inode differs). Without this, a restored `build/` would be
    ignored and every CI publish would be a cold build."""
    if build_id is None:
        return False
    if recorded.get("build_id") == build_id:
        return True
    listing = recorded.get("listing")
    return isinstance(listing, str) and listing == listing_digest(folder_listing(build_dir))


def _source_stamp(config: SiteConfig, project_root: Path | None, cut: Cut | None
                  ) -> tuple[str, dict[str, str], FolderStats]:
    """Stat fingerprint of everything a build reads (see `cache.stat_stamp`). Finding
    lunr.js here also makes a missing one the first error, before any work."""
    lunr = lunr_js_path(project_root)
    roots = [config.content_dir, config.root / "sitegen.toml", *config.theme_dirs,
             *build_sources(), lunr]
    extra = f"{SCHEMA};{sys.version};{_cut_identity(cut)};{lunr};{config.build_dir}"

    def skip(rel: str) -> bool:
        # raw pages reach the build only through `sitegen import`, which writes content
        return rel == "/raw" or rel.endswith("/__pycache__") or rel.endswith(".pyc")

    return stat_stamp(roots, extra, skip, site_roots(config))


@dataclass
class _EditionInfo:
    """What the parent keeps of an edition's summary once its views are made."""

    folder: Path
    digest: str
    articles: dict[tuple[str, int], str]  # article digests
    names: list[str]  # everyone named on it (bylines and unassigned bylines)
    towns: set[str]  # towns its articles are tagged with


def _load_content(config: SiteConfig, content: ContentCache, workers: _Workers,
                  show: bool, summaries: Iterable[EditionMeta] | None = None
                  ) -> tuple[SiteBuilder, dict[date, _EditionInfo]]:
    """Every edition's summary, from the cache where the folder is unchanged, read (in the
    workers) where not, each turned into views as it arrives and then dropped: the parent
    never holds every summary of a large archive at once. Errors name the file and line,
    as `read_edition`'s; with several broken editions, the oldest one's. `summaries`: a
    partitioned build's index, which has them all (nothing is read)."""
    folders = edition_dirs(config.content_dir, site_roots(config))
    from_index = summaries is not None
    if summaries is not None:
        metas: list[EditionMeta | None] = sorted(summaries, key=lambda m: m.date)
        del summaries
        folders = [config.content_dir / m.date.isoformat() for m in metas if m is not None]
    builder = SiteBuilder(config, [date.fromisoformat(f.name) for f in folders])
    info: dict[date, _EditionInfo] = {}

    def take(folder: Path, meta: EditionMeta) -> None:
        builder.add(meta)
        names = {b.name for a in meta.articles for b in a.bylines}
        names |= {b.name for p in meta.pages for g in p.unassigned_bylines for b in g}
        info[meta.date] = _EditionInfo(folder, meta.digest, _digests(meta), sorted(names),
                                       {t for a in meta.articles for t in a.towns})

    if from_index:
        for i, folder in enumerate(folders):
            meta, metas[i] = metas[i], None  # each summary dropped once it is a view
            assert meta is not None
            take(folder, meta)
        return builder, info
    stale = []
    for folder in folders:
        meta = content.load_meta(folder)
        if meta is None:
            stale.append(folder)
        else:
            take(folder, meta)
    with Progress(len(stale), "reading", show and len(stale) > 20, unit="edition") as bar:
        for folder, meta in zip(stale, workers.map(_read_task, stale), strict=True):
            take(folder, meta)
            bar.update()
    return builder, info


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


def _edition_links(info: _EditionInfo, slugs: Slugs, gazetteer: set[str]) -> list[object]:
    """The file names an edition's pages (and its offline copy) link to for the people and
    towns in it: the only thing they take from the rest of the archive besides neighbours."""
    towns = [(t, s) for t, s in slugs.towns.items() if t in info.towns or t in gazetteer]
    return [[(n, slugs.people.get(n)) for n in info.names], towns]


def _config_data(config: SiteConfig) -> list[object]:
    return [getattr(config, f.name) for f in dataclasses.fields(config) if f.compare]


def _digest_bytes(items: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for name, data in items:
        h.update(name.encode() + b"\0" + hashlib.blake2b(data, digest_size=16).digest())
    return h.hexdigest()


def build_site(config: SiteConfig, project_root: Path | None = None, cut: Cut | None = None,
               *, progress: bool | None = None, workers: int | None = None,
               scope: Scope | None = None) -> BuildResult:
    """Build the site of `config` into `config.build_dir`, atomically and incrementally.

    `project_root` is a sitegen checkout whose `node_modules` holds the lunr.js to publish
    (the tests pass the repository); None, as the command line passes: this sitegen's own
    (`sitegen.resources.lunr_js_path`). `cut` is the word segmenter for the search index
    (default: jieba with the site's names). `progress`: draw a progress bar (default: when
    stderr is a terminal); `workers`: processes to render with (default: one per available
    core). `scope`: one step of a partitioned build (`sitegen.partition`): a year's part,
    or the merge of the parts; None, the whole site.
    """
    started = time.perf_counter()
    show = progress_wanted() if progress is None else progress
    build_dir = config.build_dir
    cache_root = config.cache_dir
    stamp, racy, folder_stats = _source_stamp(config, project_root, cut)
    state = load_pickle(cache_root / STATE_FILE)
    if not (isinstance(state, dict) and state.get("schema") == code_digest()):
        state = None
    build_id = dir_identity(build_dir)
    if (state is not None and state.get("stamp") == stamp and scope is None
            and _same_build(state, build_dir, build_id)
            and racy_files_unchanged(state.get("racy") or {})):
        if state.get("build_id") != build_id:  # a copy: remember it, so as not to walk it again
            dump_pickle(cache_root / STATE_FILE, {**state, "build_id": build_id})
        return BuildResult(out_dir=build_dir, editions=state["editions"],
                           articles=state["articles"], html_pages=state["html_pages"],
                           files=state["files"], seconds=time.perf_counter() - started,
                           nothing_changed=True)

    _preload()
    with _SiteLock(cache_root):
        return _locked_build(config, project_root, cut, workers, (stamp, racy),
                             folder_stats, build_id, show, started, scope)


def _locked_build(config: SiteConfig, project_root: Path | None, cut: Cut | None,
                  requested: int | None, stamp: tuple[str, dict[str, str]],
                  folder_stats: FolderStats, build_id: tuple[int, int] | None, show: bool,
                  started: float, scope: Scope | None = None) -> BuildResult:
    """The build proper, holding the site's lock. Whatever fails before the swap removes
    the staging folder (the workers are stopped first: one still rendering would recreate
    folders in it) and leaves `build/` as it was; an `OSError` is reported by its cause
    (disk full, permission) with the path it would have had in `build/`."""
    global _SETUP
    build_dir = config.build_dir
    cache_root = config.cache_dir
    trash = cache_root / TRASH
    staging: Path | None = None
    workers: _Workers | None = None
    ok = False
    try:
        _clear_leftovers(build_dir, trash)
        empty_trash(trash)
        roots = site_roots(config)
        content = ContentCache(cache_root / "content", folder_stats, roots)
        env = make_env(config.theme_dirs, roots)
        statics = {rel: path.read_bytes()
                   for rel, path in static_files(config.theme_dirs, roots).items()}
        build_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=build_dir.parent))
        staging.chmod(0o755)  # mkdtemp makes it private; a published folder must be readable
        _SETUP = _Setup(config, project_root, staging, build_dir if build_id else None,
                        content, env, statics, cut, cache_root / SEARCH_CACHE)
        workers = _Workers(_worker_count(requested))
        result = _build(config, project_root, cut, workers, _SETUP, stamp, show, started,
                        scope)
        ok = True
        return result
    except OSError as exc:
        raise os_error(exc, "the build stopped; the site in build/ is unchanged",
                       _published_path(exc.filename, staging, build_dir)) from exc
    finally:
        if workers is not None:
            workers.close(ok)
        if not ok and staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        _SETUP = None


STAGING_PREFIX = ".build-new-"
"""A build's folder next to `build/` until it is swapped in (`.build-old-` holds the old
site during the swap): one left behind was a killed build's, removed by the next build."""
LEFTOVER_PREFIXES = (STAGING_PREFIX, ".build-old-")
LOCK_FILE = "lock"


class _SiteLock:
    """One build of a site at a time (`sitegen serve` rebuilding while `sitegen build`
    runs): an exclusive `flock` on `<cache>/lock`, which the kernel releases when the
    process ends however it ends. Holding it, a build knows that any staging folder next
    to `build/` was left by a killed build and can be removed."""

    def __init__(self, cache_root: Path) -> None:
        self.path = cache_root / LOCK_FILE
        self.handle: Any = None

    def __enter__(self) -> _SiteLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("a+b")
        except OSError as exc:
            raise os_error(exc, "cannot start a build", exc.filename) from exc
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("sitegen: waiting for another build of this site to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(self.handle, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()  # closing the file releases the lock


def _clear_leftovers(build_dir: Path, trash: Path) -> None:
    """Move the staging folders of killed builds (and an old site a failed swap left) into
    `trash`, which `empty_trash` empties in the background; delete them where they are if
    that is another file system. Only called with the site's lock held."""
    for path in build_dir.parent.iterdir():
        if not (path.name.startswith(LEFTOVER_PREFIXES) and path.is_dir()
                and not path.is_symlink()):
            continue
        try:
            trash.mkdir(parents=True, exist_ok=True)
            os.replace(path, tempfile.mkdtemp(prefix="leftover-", dir=trash))
        except OSError:
            shutil.rmtree(path, ignore_errors=True)


def _published_path(name: object, staging: Path | None, build_dir: Path) -> object:
    """A path in the staging folder as the path it would have had in `build/`."""
    if isinstance(name, str) and staging is not None and Path(name).is_relative_to(staging):
        return build_dir / Path(name).relative_to(staging)
    return name


def _build(config: SiteConfig, project_root: Path | None, cut: Cut | None, workers: _Workers,
           setup: _Setup, stamp: tuple[str, dict[str, str]], show: bool, started: float,
           scope: Scope | None = None) -> BuildResult:
    build_dir = config.build_dir
    cache_root = config.cache_dir
    timings: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        timings[name] = round(now - clock[0], 3)
        timings[f"{name}_rss_mb"] = _rss_mb()
        clock[0] = now

    builder, info = _load_content(config, setup.content, workers, show,
                                  None if scope is None else scope.take_summaries())
    lap("content")
    memo_path = cache_root / SLUG_MEMO
    memo = load_pickle(memo_path)
    if not (isinstance(memo, dict) and memo.get("schema") == content_schema()):
        memo = {"schema": content_schema(), "slugs": {}}
    known = len(memo["slugs"])
    site, slugs = builder.finish(memo["slugs"])
    if len(memo["slugs"]) != known:
        dump_pickle(memo_path, memo)
    words = search_words(builder.people(), config)
    del builder
    gazetteer = {t.name for t in config.towns}
    folder_of = {day: i.folder for day, i in info.items()}
    digest_of = {day: i.digest for day, i in info.items()}
    links_of = {day: _edition_links(i, slugs, gazetteer) for day, i in info.items()}
    lap("model")

    # -- fingerprints of every output; those unchanged since the last good build are reused
    previous = load_pickle(cache_root / OUTPUTS_FILE)
    build_id = dir_identity(build_dir)
    trusted = (isinstance(previous, dict) and previous.get("schema") == code_digest()
               and _same_build(previous, build_dir, build_id))
    old: dict[str, str] = previous["outputs"] if trusted else {}
    fp = Fingerprinter()
    templates = template_digests(setup.env)
    style = _digest_bytes([(STYLESHEET, setup.statics.get(STYLESHEET, b""))])
    base = fp.digest(code_digest(), _config_data(config), site.info)
    lunr_digest = _digest_bytes([("lunr.js", lunr_js_path(project_root).read_bytes())])
    offline_base = fp.digest(code_digest(), _config_data(config),
                             site_info(config, offline=True), sorted(templates.items()),
                             _digest_bytes(setup.statics.items()), lunr_digest,
                             _cut_identity(cut))
    # The months of search data to make are the longest tasks of a build that adds or edits
    # an article: they start now, while the parent plans the pages.
    search_plan = _plan_search(site, fp, previous.get("search") if trusted else None,
                               [_cut_identity(cut), _config_data(config), lunr_digest],
                               words if cut is None else (), folder_of, digest_of, setup,
                               2 * workers.size if workers.pool else 1,
                               None if scope is None else scope.month)
    tally = _Tally()
    search_runs = _Feed(workers, search_plan.todo, search_plan.make,
                        max(1, workers.size // 2), tally, search_plan.follow)
    outputs: dict[str, str] = {}
    shared: list[PagePlan] = []
    edition_work: dict[date, tuple[list[str], bool]] = {}
    html_pages = 0
    out = BuildOutput(setup.staging, setup.previous)

    # The unchanged months' files are known now: linking them (a year's are 40,000) keeps
    # the other workers busy while the parent plans the pages.
    early_links = _Feed(workers, _link_tasks(search_plan.reused_files, workers.size),
                        lambda t: t, workers.size, tally)
    reuse: list[str] = []

    def keep(rel: str, digest: str) -> bool:
        """Record `rel`'s fingerprint; True if the previous build's file can be reused
        (it is linked later, while the workers render)."""
        outputs[rel] = digest
        if setup.previous is not None and old.get(rel) == digest:
            reuse.append(rel)
            return True
        return False

    shared_plans = [plan_front(site), *plan_shared(site)] if scope is None or scope.shared \
        else []
    for plan in shared_plans:
        html_pages += 1
        if not keep(plan.url, page_fingerprint(plan, fp.digest, base, templates, style)):
            shared.append(plan)
        # An archive page's objects are its own (made for it: months, credits), and an
        # article is listed on few of them: kept across ten years of pages, the memo held
        # 370 MB when the editions' planning began, and left the parent 310 MB larger.
        fp.forget()
    # The archive-wide pages to make are known before the editions are planned: they start
    # now, on the worker the search months leave free (a cold build's other worker had
    # nothing to do until every edition was planned).
    shared_tasks = sorted((_SharedTask(site.info, chunk)
                           for chunk in _chunks(shared, workers.size)),
                          key=lambda t: -sum(map(_weight, t.plans)))
    shared_runs = _Feed(workers, shared_tasks, lambda t: t, max(1, workers.size - 1), tally)
    latest = site.latest
    old_editions: dict[str, tuple[str, list[str]]] = previous.get("editions", {}) if trusted \
        else {}
    editions: dict[str, tuple[str, list[str]]] = {}
    edition_templates = [templates.get(n) for n in ("edition.html", "page.html", "article.html")]
    for ed in site.editions:
        if scope is not None and not scope.edition(ed.date):
            continue
        links = links_of[ed.date]
        # the copy's edition pages are the site's, less what only the site has: in the
        # site's section, which is the front page's for the latest edition
        zipped = not keep(urls.download_url(ed.date),
                          fp.digest(offline_base, digest_of[ed.date], links, ed is latest))
        # Everything an edition's own pages depend on: if it is as last time, so are their
        # fingerprints, and a year of unchanged editions is linked without planning a page.
        key = fp.digest(base, edition_templates, style, digest_of[ed.date], links, ed.older,
                        ed.newer, ed.same_day, ed is latest)
        known = old_editions.get(ed.iso)
        if known is not None and known[0] == key and all(rel in old for rel in known[1]):
            html_pages += len(known[1])
            render = [rel for rel in known[1] if not keep(rel, old[rel])]
            editions[ed.iso] = known
        else:
            render = []
            rels = []
            for plan in plan_edition(site.info, ed, ed is latest, info[ed.date].articles):
                html_pages += 1
                rels.append(plan.url)
                if not keep(plan.url, page_fingerprint(plan, fp.digest, base, templates, style)):
                    render.append(plan.url)
            editions[ed.iso] = (key, rels)
            fp.forget()  # this edition's views are not shown on any other edition's pages
        if render or zipped:
            edition_work[ed.date] = (render, zipped)

    lap("plan")
    # -- render in the workers; meanwhile the parent writes the small files and search data
    tasks: list[_Task] = []
    links = {e.date: (e.older, e.newer) for e in site.editions}
    same_day = {e.date: e.same_day for e in site.editions}
    # an edition's pages and its offline copy are one task: they are rendered once for both
    for day, (render, zipped) in sorted(edition_work.items()):
        tasks.append(_EditionTask(folder_of[day], digest_of[day], *links[day],
                                  latest is not None and day == latest.date, site.info,
                                  slugs, frozenset(render), zipped, same_day[day]))
    # big editions' tasks first (the zips), so no worker is left with a long one at the end
    tasks.sort(key=lambda t: -(len(t.render) + 60 * t.zip) if isinstance(t, _EditionTask)
               else -sum(map(_weight, t.plans)))
    total = sum(len(t.render) + t.zip if isinstance(t, _EditionTask) else len(t.plans)
                for t in tasks) + sum(isinstance(i, str) for i in search_plan.todo) + sum(
        len(t.plans) for t in shared_tasks)
    # then the unchanged files, linked by the workers too (a year is 25,000 links)
    links_tasks = _link_tasks(reuse, workers.size)
    results: list[_TaskResult] = []
    bar = Progress(total, "rendering", show and total > 200)
    tally.attach(bar)
    pages = _Feed(workers, [*tasks, *links_tasks], lambda t: t, workers.size + 1, tally)
    try:
        if scope is None or scope.shared:
            for rel, data in setup.statics.items():
                out.write_bytes(f"{urls.ASSETS_DIR}/{rel}", data)
            from sitegen.feeds import atom_feed, robots, sitemap

            out.write_bytes(urls.FEED, atom_feed(site, config.feed_size))
            out.write_bytes(urls.SITEMAP, sitemap(site))
            out.write_bytes(urls.ROBOTS, robots(site))
            out.write_bytes(urls.NOJEKYLL, b"")
        lap("parent")
        results = early_links.wait()
        results += shared_runs.wait()
        results += pages.wait()
        results += search_runs.wait()
        lost = [rel for result in results for rel in result.lost]
        if lost:  # promised by the stored fingerprints, gone from build/: make them again
            redo = _lost_tasks(lost, shared_plans, site, folder_of, digest_of, slugs,
                               search_plan)
            results += [workers.submit(_run_task, t, lambda r: None)() for t in redo]
        lap("wait")
        search = (search_plan.finish(results, out, project_root) if scope is None
                  else scope.finish_search(search_plan, results, out, project_root))
        lap("search")
    finally:
        bar.close()

    written = set(out.written_paths)
    reused = set(out.reused_paths)
    rendered: set[str] = set()
    for result in results:
        written |= result.written
        reused |= result.reused
        rendered.update(result.rendered)
    if scope is not None:
        written |= scope.finish_tree(out)
    files = len(written | reused)
    _swap_into_place(setup.staging, build_dir, cache_root / TRASH)
    # Published: from here on a failure is not a failed build. The two files that describe
    # the last good build are then removed (which takes no space): a stale one could match
    # the new build/ by its file names and vouch for files this build changed.
    warnings = []
    try:
        new_id = dir_identity(build_dir)
        listing = listing_digest(written | reused)
        dump_pickle(cache_root / OUTPUTS_FILE, {"schema": code_digest(), "build_id": new_id,
                                                "listing": listing, "outputs": outputs,
                                                "editions": editions, "search": search})
        dump_pickle(cache_root / STATE_FILE, {
            "schema": code_digest(), "stamp": stamp[0], "racy": stamp[1], "build_id": new_id,
            "listing": listing,
            "editions": len(site.editions), "articles": len(site.articles),
            "html_pages": html_pages, "files": files})
    except OSError as exc:
        for name in (OUTPUTS_FILE, STATE_FILE):
            with contextlib.suppress(OSError):
                (cache_root / name).unlink(missing_ok=True)
        warnings.append(f"site published in {_shown(build_dir)}/, but its build cache was "
                        f"not saved ({os_reason(exc)}: {exc.filename}): the next build will "
                        f"be a full one")
    lap("swap")
    return BuildResult(
        out_dir=build_dir,
        editions=len(site.editions),
        articles=len(site.articles),
        html_pages=html_pages,
        files=files,
        seconds=time.perf_counter() - started,
        written=frozenset(written - reused),
        reused=frozenset(reused),
        rendered=frozenset(rendered),
        timings=timings,
        warnings=tuple(warnings),
    )


class _Feed:
    """Tasks handed to the pool a few at a time (`depth` in flight), results in task order.

    Two feeds share the pool: the pages, and the months of search data. Were every page
    task queued at once, each next month would wait behind all of them and run alone at
    the end while the other workers sat idle (a year's build: 36 s of one core). Fed this
    way, a month waits behind at most a few short tasks. The search feed keeps one month
    running per two workers: indexing a month peaks at about 0.35 GB, so a cold build of a
    large archive keeps its memory bound. `make` turns an item into its task when it is
    started, so a month's documents (without bodies) exist only while it is being made."""

    def __init__(self, workers: _Workers, items: Sequence[Any], make: Callable[[Any], _Task],
                 depth: int, tally: _Tally,
                 follow: Callable[[Any, _TaskResult], list[Any]] | None = None) -> None:
        self.workers = workers
        self.make = make
        self.tally = tally
        self.follow = follow  # item, its result -> items that can start now (run next)
        self.pending = list(enumerate(items))[::-1]  # popped from the end: first item first
        self.results: list[_TaskResult | None] = [None] * len(items)
        self.errors: dict[int, BaseException] = {}
        self.lock = threading.Lock()
        self.finished = threading.Event()
        self.running = 0
        if workers.pool is None:  # no workers: everything runs here, now, in order
            while self.pending:
                n, item = self.pending.pop()
                result = self.results[n] = _run_task(make(item))
                tally.add(result)
                self._queue(item, result)
        with self.lock:
            for _ in range(depth):
                self._start_next()
            if self.running == 0:
                self.finished.set()

    def _queue(self, item: Any, result: _TaskResult) -> None:
        """Queue the items `follow` says `item`'s result lets start, ahead of the rest."""
        if self.follow is None:
            return
        for new in reversed(self.follow(item, result)):
            self.pending.append((len(self.results), new))
            self.results.append(None)

    def _start_next(self) -> None:
        """Start the next task (the caller holds the lock); none after a failure."""
        if not self.pending or self.errors:
            return
        n, item = self.pending.pop()
        self.running += 1
        self.workers.submit(_run_task, self.make(item), lambda r: self._done(n, item, r),
                            lambda e: self._failed(n, e))

    def _done(self, n: int, item: Any, result: _TaskResult) -> None:
        self.tally.add(result)
        with self.lock:
            self.results[n] = result
            self._queue(item, result)
            self._finish_one()

    def _failed(self, n: int, exc: BaseException) -> None:
        with self.lock:
            self.errors[n] = exc
            self._finish_one()

    def _finish_one(self) -> None:
        self.running -= 1
        self._start_next()
        if self.running == 0:
            self.finished.set()

    def wait(self) -> list[_TaskResult]:
        """Every task's result, once all are done; raises the error of the first task (in
        task order) that failed, once the tasks still running have finished."""
        self.finished.wait()
        if self.errors:
            raise self.errors[min(self.errors)]
        return [r for r in self.results if r is not None]


class _SearchPlan:
    """The months of search data and their packs: which the previous build's files still
    serve (their inputs' fingerprint is unchanged, and a month's parts are in the cache),
    and the work for the others. A pack's files are written once its months are made
    (`follow`), in `shares` tasks; `finish` writes the manifest once all is done."""

    def __init__(self, months: list[tuple[str, str]], stored: dict[str, tuple[str, Any]],
                 packs: dict[str, tuple[str, list[str]]], stored_packs: dict[str, list[str]],
                 make: Callable[[str], _SearchTask], shares: int,
                 cache_dir: Path | None = None) -> None:
        self.months = months  # (key, fingerprint) in reading order
        self.cache_dir = cache_dir  # where the packs' directory entries wait
        self.stored = stored  # key -> (fingerprint, SegmentResult) of the months reused
        self.packs = packs  # pack -> (fingerprint, its months in order)
        self.stored_packs = stored_packs  # pack -> its files, for the packs reused
        self.make_month = make  # key -> the month's documents (without bodies)
        self.shares = shares
        self.made: dict[str, SegmentResult] = {}
        self.reused_files = [rel for _, seg in stored.values() for rel in seg.files] + [
            rel for files in stored_packs.values() for rel in files]
        self.todo = [key for key, _ in months if key not in stored]
        self.waiting = {pack: {m for m in members if m not in stored}
                        for pack, (_, members) in packs.items() if pack not in stored_packs}
        # packs whose months are all reused can be written at once
        self.todo += [item for pack in list(self.waiting) if not self.waiting[pack]
                      for item in self._pack_items(pack)]

    def _pack_items(self, pack: str) -> list[tuple[str, int]]:
        del self.waiting[pack]
        return [(pack, i) for i in range(self.shares)]

    def _pack_task(self, pack: str, share: tuple[int, int],
                   only: frozenset[str] | None = None) -> _PackTask:
        """The task of `share` of `pack`'s files, from its months' parts as made or kept."""
        months = []
        for m in self.packs[pack][1]:
            seg = self.made[m] if m in self.made else self.stored[m][1]
            months.append((m, seg.digest))
        return _PackTask(pack, months, share, only)

    def make(self, item: str | tuple[str, int]) -> _SearchTask | _PackTask:
        if isinstance(item, str):
            return self.make_month(item)
        pack, i = item
        return self._pack_task(pack, (i, self.shares))

    def follow(self, item: str | tuple[str, int], result: _TaskResult) -> list[Any]:
        """The pack tasks a made month lets start (runs in the pool's result thread)."""
        if not isinstance(item, str) or result.segment is None:
            return []
        self.made[item] = result.segment
        ready = []
        for pack, missing in list(self.waiting.items()):
            missing.discard(item)
            if not missing:
                ready += self._pack_items(pack)
        return ready

    def redo(self, lost: list[str]) -> list[_SearchTask | _PackTask]:
        """Tasks for the reused months and packs that had a file in `lost` (gone from the
        previous build after it was checked)."""
        gone = set(lost)
        keys = sorted(key for key, (_, seg) in self.stored.items() if gone.intersection(seg.files))
        tasks: list[_SearchTask | _PackTask] = [self.make_month(key) for key in keys]
        for pack, files in self.stored_packs.items():
            missing = gone.intersection(files)
            if missing:
                tasks.append(self._pack_task(pack, (0, 1), frozenset(missing)))
        return tasks

    def finish(self, results: list[_TaskResult], out: BuildOutput, project_root: Path | None,
               manifest: bool = True) -> dict[str, Any]:
        """Write lunr.js and the manifest (unless a partition's, whose merge writes it);
        returns what the next build compares with."""
        from sitegen.search.assets import write_manifest

        made = {r.segment.record["key"]: r.segment for r in results if r.segment is not None}
        kept: dict[str, tuple[str, SegmentResult]] = {}
        for key, digest in self.months:
            kept[key] = (digest, made[key] if key in made else self.stored[key][1])
        files: dict[str, list[str]] = {}
        for r in results:
            if r.pack is not None:
                files.setdefault(r.pack[0], []).extend(r.pack[1])
        packs = {pack: (digest, sorted(files[pack]) if pack in files and pack not in
                        self.stored_packs else self.stored_packs[pack])
                 for pack, (digest, _) in self.packs.items()}
        from sitegen.search.assets import PartsStore

        if manifest:
            write_manifest(out, project_root, [seg for _, seg in kept.values()],
                           store=PartsStore(self.cache_dir))
        return {"months": kept, "packs": packs}


def _plan_search(site: Site, fp: Fingerprinter, previous: object, inputs: list[object],
                 words: tuple[str, ...], folder_of: dict[date, Path],
                 digest_of: dict[date, str], setup: _Setup, shares: int,
                 in_scope: Callable[[str], bool] | None = None) -> _SearchPlan:
    """A month's search data depends on its articles (the edition digests cover their
    text, bylines, towns and pages; the URLs come from the slug memo), their numbering
    (`first`), the segmenter's words and `inputs` (search code, configuration, lunr.js);
    a pack's files on its months'. Unchanged months are reused without making a document
    or reading a body (their parts wait in the cache), unchanged packs are linked.
    `in_scope` (a partitioned build's step): only the months it accepts, and their packs."""
    from sitegen.search.assets import PartsStore
    from sitegen.search.shards import pack_keys, segment_key

    old = previous if isinstance(previous, dict) else {}
    old_months = old.get("months", {})
    old_packs = old.get("packs", {})
    by_month: dict[str, list[Edition]] = {}
    for ed in sorted(site.editions, key=lambda e: e.date):
        by_month.setdefault(segment_key(ed.iso), []).append(ed)
    base = fp.digest(code_digest(), inputs, words)
    store = PartsStore(setup.search_cache)
    months: list[tuple[str, str]] = []
    stored: dict[str, tuple[str, Any]] = {}
    firsts: dict[str, tuple[int, int]] = {}
    per_year: dict[int, int] = {}
    for key, editions in by_month.items():
        year = int(key[:4])
        first = per_year.get(year, 0)
        firsts[key] = (year, first)
        per_year[year] = first + sum(len(ed.articles) for ed in editions)
        digest = fp.digest(base, key, first, [(digest_of[ed.date], [v.url for v in ed.articles])
                                              for ed in editions])
        months.append((key, digest))
        known = old_months.get(key)
        # Its files are not checked here (a year's are 20,000 stat calls before the first
        # month can start): one gone from build/ since is reported by the task that links
        # it, and the month is made again then (`_SearchPlan.redo`). Its parts are: a
        # pack may need them.
        if (known is not None and known[0] == digest and setup.previous is not None
                and store.digest(key) == known[1].digest):
            stored[key] = known
    pack_of = pack_keys([key for key, _ in months])  # all months: the latest month decides
    if in_scope is not None:
        months = [(key, digest) for key, digest in months if in_scope(key)]
        stored = {key: known for key, known in stored.items() if in_scope(key)}
    members: dict[str, list[str]] = {}
    for key, _ in months:
        members.setdefault(pack_of[key], []).append(key)
    fingerprint = dict(months)
    packs = {pack: (fp.digest(base, pack, [(m, fingerprint[m]) for m in keys]), keys)
             for pack, keys in members.items()}
    stored_packs = {pack: old_packs[pack][1] for pack, (digest, keys) in packs.items()
                    if pack in old_packs and old_packs[pack][0] == digest
                    and setup.previous is not None and all(m in stored for m in keys)}

    def make(key: str) -> _SearchTask:
        year, first = firsts[key]
        return _SearchTask(key, year, first, [
            (folder_of[ed.date], digest_of[ed.date],
             [(view.key, search_doc(view)) for view in ed.articles]) for ed in by_month[key]],
            words)

    return _SearchPlan(months, stored, packs, stored_packs, make, shares, setup.search_cache)
