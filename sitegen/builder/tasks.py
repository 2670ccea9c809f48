"""The build's work in the pool's processes: what a task is, and what a worker does with it.

Why apart: a task kind is a dataclass here and a function here, and nothing else in the
build knows how a worker renders an edition, a chunk of archive-wide pages, a month or a
pack of search data, or links unchanged files. Every worker reads the one `Setup` the pool
was forked with (`workers.context`), never a global of its own.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

import jinja2

from sitegen import workers
from sitegen.config import SiteConfig
from sitegen.content.cache import ContentCache
from sitegen.content.model import Article, Edition
from sitegen.content.summary import EditionMeta
from sitegen.output import BuildOutput, MemoryOutput
from sitegen.progress import Progress
from sitegen.render.offline import DeflatedMemo, folder_name, zip_bytes
from sitegen.render.pages import Renderer
from sitegen.render.plans import PagePlan, plan_edition, plan_pages
from sitegen.safepath import site_roots
from sitegen.site import urls
from sitegen.site.model import Slugs, build_site_model, edition_view
from sitegen.site.views import EditionLink, SiteInfo

if TYPE_CHECKING:
    import rjieba

    from sitegen.search import SearchDoc
    from sitegen.search.assets import SegmentResult
    from sitegen.search.tokenize import Cut

SHARED_CHUNK = 400
"""Work (in listed articles) per task of archive-wide pages: big enough to amortise a
task's overhead; a town's page lists thousands of articles, a reporter's a few dozen."""


@dataclass
class Setup:
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
    recycled: bool = False  # the staging folder is the site the last build replaced
    renderers: dict[SiteInfo, Renderer] = field(default_factory=dict)
    search_cuts: dict[tuple[str, ...], Cut] = field(default_factory=dict)
    dictionary: rjieba.Jieba | None = None  # loaded by `warm`, for the first search cut
    deflated: DeflatedMemo = field(default_factory=dict)  # the zips' common entries

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

    def output(self) -> BuildOutput:
        """An output into the staging folder, reusing from the previous build."""
        return BuildOutput(self.staging, self.previous, self.recycled)

    def warm(self) -> None:
        """In a worker as it starts: load jieba's dictionary now, while the parent reads
        the content and plans (in a build that adds an edition the workers wait for that
        about a second), not when the month of search data on the critical path asks."""
        if self.cut is None and self.dictionary is None:
            from sitegen.text.segment import load_dictionary

            self.dictionary = load_dictionary()

    def cut_for_search(self, words: tuple[str, ...]) -> Cut:
        """The caller's segmenter, or jieba with `words` (made once per worker, on the
        dictionary `warm` loaded if there is one)."""
        if self.cut is not None:
            return self.cut
        found = self.search_cuts.get(words)
        if found is None:
            from sitegen.text.segment import segmenter

            dictionary, self.dictionary = self.dictionary, None
            found = self.search_cuts[words] = segmenter(list(words), dictionary).cut_for_search
        return found


def _task_output() -> tuple[Setup, BuildOutput]:
    """In a worker task: the build's setup and an output into its staging folder."""
    setup: Setup = workers.context()
    return setup, setup.output()


@dataclass
class TaskResult:
    rendered: list[str]
    written: set[str]
    reused: set[str]
    count: int  # units of progress
    lost: list[str] = field(default_factory=list)
    segment: SegmentResult | None = None
    pack: tuple[str, list[str]] | None = None  # (pack, files written) of a pack task


@dataclass
class LinkTask:
    """Files to link from the previous build (unchanged fingerprints)."""

    rels: list[str]


def link_tasks(rels: list[str], n: int) -> list[LinkTask]:
    """`rels` in a few tasks per worker (`n` workers; a task links at least 500 files)."""
    step = max(500, len(rels) // (4 * n) + 1)
    return [LinkTask(rels[i:i + step]) for i in range(0, len(rels), step)]


def link_task(task: LinkTask) -> TaskResult:
    _, out = _task_output()
    lost = [rel for rel in task.rels if not out.reuse(rel)]
    return TaskResult([], set(), out.reused_paths, 0, lost)


@dataclass
class EditionTask:
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
class SharedTask:
    info: SiteInfo
    plans: list[PagePlan]


@dataclass
class SearchTask:
    """One month of the search data (see `_Feed`). Its documents come without
    bodies, per edition (folder, digest, [(article key, document)]); the worker adds the
    bodies from the content cache, so only one month's text is in memory at a time."""

    key: str
    year: int
    first: int
    editions: list[tuple[Path, str, list[tuple[tuple[str, int], SearchDoc]]]]
    words: tuple[str, ...]


@dataclass
class PackTask:
    """Share `share` (i of k) of the files of a pack of search months, made from the
    months' parts ((month, content hash), in order) waiting in the search cache; `only`
    (when given) lists the files wanted."""

    pack: str
    months: list[tuple[str, str]]
    share: tuple[int, int]
    only: frozenset[str] | None = None


Task: TypeAlias = "EditionTask | SharedTask | LinkTask | SearchTask | PackTask"
"""What a worker is given."""


def read_task(folder: Path) -> EditionMeta:
    setup: Setup = workers.context()
    return setup.content.read(folder)[0]


def articles_of(edition: Edition) -> dict[tuple[str, int], Article]:
    return {(a.page, a.order): a.article for a in edition.articles}


def article_digests(meta: EditionMeta) -> dict[tuple[str, int], str]:
    return {(a.page, a.order): a.digest for a in meta.articles}


def _offline_zip(setup: Setup, meta: EditionMeta, slugs: Slugs,
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
    from sitegen.search.assets import CLIENT_NAME
    from sitegen.search.documents import article_body, no_words, search_doc

    docs = [search_doc(v, article_body(articles[v.key])) for v in mini.articles]
    search = MemoryOutput()
    write_search_assets(search, docs, no_words, setup.project_root, buckets=1)
    for rel, data in search.files.items():
        files.setdefault(rel, data)
    same = {f"{urls.ASSETS_DIR}/{rel}" for rel in (*setup.statics, "lunr.js", CLIENT_NAME)}
    return zip_bytes(files.items(), folder_name(config.name, meta.date), meta.date, same,
                     setup.deflated)


def _edition_task(task: EditionTask) -> TaskResult:
    """Render what changed of one edition, and its offline zip if that changed. With the
    zip, every page of the edition is rendered once for both (`Renderer.render_variants`),
    the site's bytes written where they changed."""
    setup, out = _task_output()
    meta = setup.content.load_meta(task.folder)
    if meta is None or meta.digest != task.digest:
        meta = setup.content.read(task.folder)[0]
    view = edition_view(meta, task.slugs, False, task.older, task.newer,
                        same_day=task.same_day)
    plans = plan_edition(task.info, view, task.latest, article_digests(meta))
    if not task.zip:
        plans = [p for p in plans if p.url in task.render]
    articles: dict[tuple[str, int], Article] = {}
    if task.zip or any(p.body for p in plans):
        articles = articles_of(setup.content.edition(task.folder, meta.digest))
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
    return TaskResult(rendered, out.written_paths, out.reused_paths, len(rendered))


def _shared_task(task: SharedTask) -> TaskResult:
    setup, out = _task_output()
    rendered = []
    for url, data in setup.renderer(task.info).render_all(task.plans):
        out.write_bytes(url, data)
        rendered.append(url)
    return TaskResult(rendered, out.written_paths, out.reused_paths, len(rendered))


def weight(plan: PagePlan) -> int:
    """Rough cost of rendering `plan`: 1 + the number of articles it lists."""
    credits = plan.context.get("credits")
    return 1 + len(credits) if credits is not None else 20


def chunks(plans: list[PagePlan], n: int) -> list[list[PagePlan]]:
    """`plans` in tasks of similar cost, several per worker (of `n`) so they finish
    together."""
    total = sum(map(weight, plans))
    limit = max(SHARED_CHUNK, total // max(1, 4 * n))
    out: list[list[PagePlan]] = []
    current: list[PagePlan] = []
    cost = 0
    for plan in plans:
        size = weight(plan)
        if current and cost + size > limit:
            out.append(current)
            current, cost = [], 0
        current.append(plan)
        cost += size
    if current:
        out.append(current)
    return out


def _search_task(task: SearchTask) -> TaskResult:
    from sitegen.search.assets import write_segment
    from sitegen.search.documents import article_body

    setup, out = _task_output()
    docs = []
    for folder, digest, stubs in task.editions:
        articles = articles_of(setup.content.edition(folder, digest))
        docs += [dataclasses.replace(doc, body=article_body(articles[key]))
                 for key, doc in stubs]
    segment = write_segment(out, task.key, task.year, task.first, docs,
                            setup.cut_for_search(task.words), setup.search_cache)
    return TaskResult([], out.written_paths, out.reused_paths, 1, segment=segment)


def _pack_task(task: PackTask) -> TaskResult:
    from sitegen.search.assets import write_pack

    setup, out = _task_output()
    made = write_pack(out, task.pack, task.months, setup.search_cache, task.share, task.only)
    return TaskResult([], out.written_paths, out.reused_paths, 0,
                       pack=(task.pack, made.files))


def run_task(task: Task) -> TaskResult:
    if not isinstance(task, SearchTask):
        return _dispatch(task)
    # Only after a month of search data: giving memory back after every task cost more in
    # page faults when the next task took it again than it saved (a year's cold build
    # went from 62 s to 90 s).
    try:
        return _dispatch(task)
    finally:
        workers.give_back_memory()


def _dispatch(task: Task) -> TaskResult:
    if isinstance(task, EditionTask):
        return _edition_task(task)
    if isinstance(task, SearchTask):
        return _search_task(task)
    if isinstance(task, LinkTask):
        return link_task(task)
    if isinstance(task, PackTask):
        return _pack_task(task)
    return _shared_task(task)


class Tally:
    """Progress of tasks started before the progress bar exists (their callbacks run in the
    pool's result thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.bar: Progress | None = None
        self.early = 0

    def add(self, result: TaskResult) -> None:
        with self.lock:
            if self.bar is None:
                self.early += result.count
            else:
                self.bar.update(result.count)

    def attach(self, bar: Progress) -> None:
        with self.lock:
            self.bar = bar
            bar.update(self.early)
