"""`sitegen build`: content Markdown -> a complete static site in `build/`, incrementally.

`build_site` is the list of the build's steps; each is a function or a method below, named
for what it does:

1. *nothing changed?* a stat walk of everything a build reads (content, `sitegen.toml`,
   the theme, sitegen's build code, lunr.js) against the last good build's (`BuildState`);
2. *index* (`index.py`): every edition's summary (the content cache, or read in the
   workers), the site model, slugs;
3. *search* (`searchplan.py`): the months of search data whose articles changed, started
   first, since they are the longest tasks;
4. *archive-wide pages* (`plan.py`): fingerprinted, the changed ones started;
5. *editions* (`plan.py`): per edition, its pages and offline copy fingerprinted; the
   changed ones rendered in the workers (`tasks.py`), one edition per task;
6. *site files*: statics, feed, sitemap, robots.txt, written by the parent meanwhile;
7. *finish*: wait for the workers, remake what vanished from the previous build, write
   the search manifest;
8. *publish* (`publish.py`): delete from a recycled staging folder what the site no
   longer has (`output.prune`), swap it in (the site it replaced kept as the next build's
   spare), then save the records (`state.py`) the next build compares with.

A build writes into a folder next to `build/` (same file system) that replaces `build/`
with renames only once everything has been written: the site the last build replaced (the
spare, `publish.take_spare`), or a fresh one. Outputs whose fingerprint is unchanged are
hard links to the previous build's files (`BuildOutput.reuse`; in the spare most already
are), so a rebuild costs what changed, not the archive's size. A build that fails anywhere
moves its folder to the trash and re-raises, so readers (and `sitegen serve`) keep seeing
the previous site, the stored fingerprints keep describing it, and `content/` is only
ever read. See docs/scale.md ("Year partitions") for how steps 2, 5 and the rest partition
a large archive by year.

Same content, same bytes: nothing written depends on the clock, the machine, the number of
workers, the order a directory listing happens to return, hash seeds, or whether the build
was cold or incremental (tests/test_incremental.py compares them byte for byte).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from sitegen import workers
from sitegen.builder.fingerprint import FolderStats, dir_identity, listing_digest
from sitegen.builder.index import Index, finish_index, read_summaries
from sitegen.builder.plan import (
    Inputs,
    OutputPlan,
    config_data,
    edition_tasks,
    lost_tasks,
    plan_archive_wide,
    plan_editions,
    shared_tasks,
)
from sitegen.builder.publish import (
    SPARE,
    TRASH,
    SiteLock,
    clear_leftovers,
    discard,
    new_staging,
    published_path,
    swap_into_place,
    take_spare,
)
from sitegen.builder.searchplan import SearchPlan, plan_search
from sitegen.builder.state import BuildState, OutputRecord, Published
from sitegen.builder.tasks import (
    Setup,
    Tally,
    TaskResult,
    link_tasks,
    run_task,
)
from sitegen.builder.trash import empty_trash
from sitegen.builder.unchanged import (
    BuildResult,
    Changed,
    cut_identity,
    nothing_changed,
    shown,
    source_stamp,
)
from sitegen.config import SiteConfig
from sitegen.content.cache import ContentCache
from sitegen.errors import os_error, os_reason
from sitegen.output import BuildOutput, prune
from sitegen.progress import Progress
from sitegen.progress import wanted as progress_wanted
from sitegen.render.pages import make_env, static_files
from sitegen.safepath import site_roots
from sitegen.site import urls

if TYPE_CHECKING:
    from datetime import date

    from sitegen.content.summary import EditionMeta
    from sitegen.search.tokenize import Cut

SEARCH_CACHE = "search"


class Scope(Protocol):
    """What a build asks of one step of a partitioned build (`sitegen.partition.Scope` is
    the one there is): which editions and search months it makes, whether it makes the
    archive-wide files, and how it finishes the search data and the tree. The builder
    knows the protocol, not the partitions."""

    @property
    def shared(self) -> bool: ...

    def edition(self, day: date) -> bool: ...

    def month(self, key: str) -> bool: ...

    def summaries(self) -> tuple[list[date], Iterable[EditionMeta]]: ...

    def keeps(self, day: date) -> bool: ...

    def finish_search(self, plan: SearchPlan, results: list[TaskResult], out: BuildOutput,
                      project_root: Path | None) -> dict[str, Any]: ...

    def finish_tree(self, out: BuildOutput) -> set[str]: ...


def build_site(config: SiteConfig, project_root: Path | None = None, cut: Cut | None = None,
               *, progress: bool | None = None, workers: int | None = None,
               scope: Scope | None = None, changed: Changed | None = None
               ) -> BuildResult:
    """Build the site of `config` into `config.build_dir`, atomically and incrementally.

    `project_root` is a sitegen checkout whose `node_modules` holds the lunr.js to publish
    (the tests pass the repository); None, as the command line passes: this sitegen's own
    (`sitegen.resources.lunr_js_path`). `cut` is the word segmenter for the search index
    (default: jieba with the site's names). `progress`: draw a progress bar (default: when
    stderr is a terminal); `workers`: processes to render with (default: one per available
    core). `scope`: one step of a partitioned build (`sitegen.partition`): a year's part,
    or the merge of the parts; None, the whole site. `changed`: what `unchanged.check`
    found, when the caller asked it first (the sources are not walked, nor the "nothing
    changed" question asked, again; the build's time counts from the check).
    """
    show = progress_wanted() if progress is None else progress
    if changed is None:
        started = time.perf_counter()
        stamp, racy, folder_stats = source_stamp(config, project_root, cut)
        unchanged = None if scope is not None else nothing_changed(config, stamp, started)
        if unchanged is not None:
            return unchanged
    else:
        started = changed.started
        stamp, racy, folder_stats = changed.stamp
    _preload()
    with SiteLock(config.cache_dir):
        run = _Run(config, project_root, cut, show, started, (stamp, racy), scope)
        return run.locked(folder_stats, workers)


def _preload() -> None:
    """Import what only a real build needs (segmenter, search, feeds: most of a second)
    now, before the workers fork, so they share it; the "nothing changed" answer never
    pays for it."""
    import deflate  # noqa: F401  (offline copies' zips)
    import pypinyin  # noqa: F401  (slugs: new people, offline copies' folder names)
    import rjieba  # noqa: F401  (the search months' segmenter)
    import zxingcpp  # noqa: F401  (articles' QR codes)

    import sitegen.render.feeds
    import sitegen.search
    import sitegen.text.segment  # noqa: F401
    from sitegen.search.variants import t2s

    t2s()  # the folding table, read from its package once, not by each worker


def _rss_mb() -> float:
    """This process's resident memory now (Linux; 0 elsewhere), for `BuildResult.timings`."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class _Work:
    """The feeds of tasks running in the pool (by name), and their progress."""

    ORDER: ClassVar[tuple[str, ...]] = ("links", "shared", "pages", "search")
    """The order their results are collected in (and so whose error is raised first)."""

    tally: Tally = field(default_factory=Tally)
    feeds: dict[str, workers.Feed[TaskResult]] = field(default_factory=dict)

    def start(self, name: str, pool: workers.Pool, items: Sequence[object], depth: int,
              **options: Any) -> None:
        self.feeds[name] = workers.Feed(pool, items, run_task, depth, done=self.tally.add,
                                        **options)

    def wait(self) -> list[TaskResult]:
        """Every task's result, once all are done."""
        return [r for name in self.ORDER if name in self.feeds
                for r in self.feeds[name].wait()]


class _Run:
    """One build holding the site's lock: the steps, and what they hand each other."""

    def __init__(self, config: SiteConfig, project_root: Path | None, cut: Cut | None,
                 show: bool, started: float, stamp: tuple[str, dict[str, str]],
                 scope: Scope | None = None) -> None:
        self.config = config
        self.scope = scope
        self.project_root = project_root
        self.cut = cut
        self.show = show
        self.started = started
        self.stamp = stamp
        self.timings: dict[str, float] = {}
        self.clock = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.clock, 3)
        self.timings[f"{name}_rss_mb"] = _rss_mb()
        self.clock = now

    def locked(self, folder_stats: FolderStats, requested: int | None) -> BuildResult:
        """The build proper. Whatever fails before the swap removes the staging folder
        (the workers are stopped first: one still rendering would recreate folders in it)
        and leaves `build/` as it was; an `OSError` is reported by its cause (disk full,
        permission) with the path it would have had in `build/`."""
        build_dir = self.config.build_dir
        trash = self.config.cache_dir / TRASH
        staging: Path | None = None
        pool: workers.Pool | None = None
        ok = False
        try:
            clear_leftovers(build_dir, trash)
            # a partitioned build's steps merge into an empty folder: they never recycle
            recycled = (take_spare(build_dir, self.config.cache_dir / SPARE)
                        if self.scope is None else None)
            empty_trash(trash)
            staging = recycled or new_staging(build_dir)
            setup = self._setup(folder_stats, staging, recycled is not None)
            pool = workers.Pool(workers.count(requested, threaded_fork=True), setup,
                                on_start=setup.warm)
            result = self.build(pool, setup)
            ok = True
            return result
        except OSError as exc:
            raise os_error(exc, "the build stopped; the site in build/ is unchanged",
                           published_path(exc.filename, staging, build_dir)) from exc
        finally:
            if pool is not None:
                pool.close(ok)
            if not ok and staging is not None:
                discard(staging, trash)
                empty_trash(trash)

    def _setup(self, folder_stats: FolderStats, staging: Path, recycled: bool) -> Setup:
        """What every worker needs, made before the pool forks."""
        config = self.config
        roots = site_roots(config)
        env = make_env(config.theme_dirs, roots)
        statics = {rel: path.read_bytes()
                   for rel, path in static_files(config.theme_dirs, roots).items()}
        previous = config.build_dir if dir_identity(config.build_dir) else None
        content = ContentCache(config.cache_dir / "content", folder_stats, roots)
        return Setup(config, self.project_root, staging, previous, content, env, statics,
                     self.cut, config.cache_dir / SEARCH_CACHE, recycled)

    def build(self, pool: workers.Pool, setup: Setup) -> BuildResult:
        """The steps, in order (see the module's docstring)."""
        index = self.index(pool, setup)
        previous = OutputRecord.trusted(self.config.cache_dir, self.config.build_dir)
        inputs = Inputs.of(self.config, index.site, setup.env, setup.statics,
                           self.project_root, cut_identity(self.cut))
        work = _Work()
        search = self.start_search(index, inputs, previous, pool, setup, work)
        plan = OutputPlan(previous, setup.previous is not None)
        self.archive_wide(plan, index, inputs, pool, work)
        plan_editions(plan, index, inputs, None if self.scope is None else self.scope.edition)
        self.lap("plan")
        out = setup.output()
        total = _total(plan, search)
        with Progress(total, "rendering", self.show and total > 200) as bar:
            work.tally.attach(bar)
            self.editions(plan, index, pool, work)
            if self.scope is None or self.scope.shared:
                self.site_files(index, out, setup)
            results = self.finish(plan, index, search, pool, work)
            search_record = (search.finish(results, out, self.project_root)
                             if self.scope is None else
                             self.scope.finish_search(search, results, out, self.project_root))
            self.lap("search")
        return self.publish(plan, index, out, results, search_record, setup)

    def index(self, pool: workers.Pool, setup: Setup) -> Index:
        scope = self.scope
        builder, info = read_summaries(self.config, setup.content, pool, self.show,
                                       None if scope is None else scope.summaries(),
                                       None if scope is None else scope.keeps)
        self.lap("content")
        index = finish_index(builder, info, self.config)
        self.lap("model")
        return index

    def start_search(self, index: Index, inputs: Inputs, previous: OutputRecord | None,
                     pool: workers.Pool, setup: Setup, work: _Work) -> SearchPlan:
        """The months of search data to make are the longest tasks of a build that adds or
        edits an article: they start now, while the parent plans the pages (one month per
        two workers: a month's indexing peaks at about 0.35 GB). The unchanged months'
        files are known now too: linking them (a year's are 40,000) keeps the other
        workers busy meanwhile."""
        search = plan_search(index, inputs.fp, previous.search if previous else None,
                             [inputs.cut, config_data(self.config), inputs.lunr],
                             index.words if self.cut is None else (), setup,
                             2 * pool.size if pool.parallel else 1,
                             None if self.scope is None else self.scope.month)
        work.start("search", pool, search.todo, max(1, pool.size // 2), make=search.make,
                   follow=search.follow, light=search.is_pack)
        work.start("links", pool, link_tasks(search.reused_files, pool.size), pool.size)
        return search

    def archive_wide(self, plan: OutputPlan, index: Index, inputs: Inputs,
                     pool: workers.Pool, work: _Work) -> None:
        """The archive-wide pages to make are known before the editions are planned: they
        start now, on the worker the search months leave free (a cold build's other worker
        had nothing to do until every edition was planned). A year's part of a partitioned
        build has none: they are the merge's."""
        if self.scope is not None and not self.scope.shared:
            return
        plan_archive_wide(plan, index.site, inputs)
        work.start("shared", pool, shared_tasks(plan, index.site, pool.size),
                   max(1, pool.size - 1))

    def editions(self, plan: OutputPlan, index: Index, pool: workers.Pool, work: _Work
                 ) -> None:
        """Each edition with work, the big ones first (the zips, so no worker is left with
        a long one at the end), then the unchanged files, linked by the workers too (a
        year is 25,000 links)."""
        tasks = sorted(edition_tasks(plan, index), key=lambda t: -(len(t.render) + 60 * t.zip))
        work.start("pages", pool, [*tasks, *link_tasks(plan.reuse, pool.size)], pool.size + 1)

    def site_files(self, index: Index, out: BuildOutput, setup: Setup) -> None:
        """What the parent writes while the workers render: the theme's static files, the
        feed, the sitemap, robots.txt."""
        from sitegen.render.feeds import atom_feed, robots, sitemap

        for rel, data in setup.statics.items():
            out.write_bytes(f"{urls.ASSETS_DIR}/{rel}", data)
        out.write_bytes(urls.FEED, atom_feed(index.site, self.config.feed_size))
        out.write_bytes(urls.SITEMAP, sitemap(index.site))
        out.write_bytes(urls.ROBOTS, robots(index.site))
        out.write_bytes(urls.NOJEKYLL, b"")
        self.lap("parent")

    def finish(self, plan: OutputPlan, index: Index, search: SearchPlan,
               pool: workers.Pool, work: _Work) -> list[TaskResult]:
        """Every task's result; what the stored fingerprints promised but is gone from
        build/ is made again."""
        results = work.wait()
        lost = [rel for result in results for rel in result.lost]
        if lost:
            redo = lost_tasks(lost, plan, index, search)
            results += [pool.submit(run_task, t, lambda r: None)() for t in redo]
        self.lap("wait")
        return results

    def publish(self, plan: OutputPlan, index: Index, out: BuildOutput,
                results: list[TaskResult], search: dict[str, object], setup: Setup
                ) -> BuildResult:
        """Swap the new site in, then save what the next build compares with. Published:
        from here on a failure is not a failed build."""
        written = set(out.written_paths)
        reused = set(out.reused_paths)
        rendered: set[str] = set()
        for result in results:
            written |= result.written
            reused |= result.reused
            rendered.update(result.rendered)
        if self.scope is not None:
            written |= self.scope.finish_tree(out)
        site_files = written | reused
        files = len(site_files)
        config = self.config
        trash = config.cache_dir / TRASH
        if setup.recycled:
            prune(setup.staging, site_files)
        swap_into_place(setup.staging, config.build_dir, trash,
                        config.cache_dir / SPARE if self.scope is None else None)
        empty_trash(trash)  # whatever the swap put there, in the background
        site = index.site
        published = Published(dir_identity(config.build_dir), listing_digest(site_files))
        warnings = self._save(
            OutputRecord(published, plan.outputs, plan.editions, search),
            BuildState(self.stamp[0], self.stamp[1], published, len(site.editions),
                       len(site.articles), plan.html_pages, files))
        self.lap("swap")
        return BuildResult(
            out_dir=config.build_dir,
            editions=len(site.editions),
            articles=len(site.articles),
            html_pages=plan.html_pages,
            files=files,
            seconds=time.perf_counter() - self.started,
            written=frozenset(written - reused),
            reused=frozenset(reused),
            rendered=frozenset(rendered),
            timings=self.timings,
            warnings=tuple(warnings),
        )

    def _save(self, outputs: OutputRecord, state: BuildState) -> list[str]:
        """Save the records; if that fails, remove both (which takes no space): a stale
        one could match the new build/ by its file names and vouch for files this build
        changed."""
        cache_root = self.config.cache_dir
        try:
            outputs.save(cache_root)
            state.save(cache_root)
        except OSError as exc:
            OutputRecord.forget(cache_root)
            BuildState.forget(cache_root)
            return [f"site published in {shown(self.config.build_dir)}/, but its build "
                    f"cache was not saved ({os_reason(exc)}: {exc.filename}): the next "
                    f"build will be a full one"]
        return []


def _total(plan: OutputPlan, search: SearchPlan) -> int:
    """Units of progress: pages and zips to make, and months of search data."""
    total = sum(len(render) + zipped for render, zipped in plan.edition_work.values())
    return total + sum(isinstance(i, str) for i in search.todo) + len(plan.shared)
