"""The parts of the build that are functions on their own: planning what to render, the
records kept between builds, which code each cache depends on, and the one worker pool."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_site

from sitegen import codehash, workers
from sitegen.builder import build_site
from sitegen.builder.index import Index, finish_index, read_summaries
from sitegen.builder.plan import Inputs, OutputPlan, plan_archive_wide, plan_editions
from sitegen.builder.state import BuildState, OutputRecord, Published
from sitegen.builder.steps import cut_identity
from sitegen.config import SiteConfig, load_config
from sitegen.content.cache import ContentCache
from sitegen.content.files import edition_dirs
from sitegen.render.pages import make_env, static_files
from sitegen.safepath import site_roots
from sitegen.site.model import SiteBuilder, build_site_model

PACKAGE = Path(codehash.__file__).parent


def _index(config: SiteConfig) -> Index:
    content = ContentCache(config.cache_dir / "content", None, site_roots(config))
    with workers.Pool(1, None) as pool:
        builder, info = read_summaries(config, content, pool, show=False)
    return finish_index(builder, info, config)


def _plan(config: SiteConfig, index: Index, previous: OutputRecord | None) -> OutputPlan:
    roots = site_roots(config)
    statics = {rel: p.read_bytes() for rel, p in static_files(config.theme_dirs, roots).items()}
    inputs = Inputs.of(config, index.site, make_env(config.theme_dirs, roots), statics, REPO,
                       cut_identity(str.split))
    plan = OutputPlan(previous, previous is not None)
    plan_archive_wide(plan, index.site, inputs)
    plan_editions(plan, index, inputs)
    return plan


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteConfig:
    root = copy_site(tmp_path_factory.mktemp("plan") / "site")
    config = load_config(root)
    build_site(config, REPO, cut=str.split, workers=1)
    return config


def test_planning_after_a_build_renders_nothing_and_reuses_every_output(
        built: SiteConfig) -> None:
    previous = OutputRecord.trusted(built.cache_dir, built.build_dir)
    assert previous is not None
    plan = _plan(built, _index(built), previous)
    assert plan.shared == [] and plan.edition_work == {}
    assert sorted(plan.reuse) == sorted(previous.outputs) == sorted(plan.outputs)


def test_planning_without_a_previous_build_renders_everything(built: SiteConfig) -> None:
    index = _index(built)
    plan = _plan(built, index, None)
    assert plan.shared == plan.shared_plans and plan.reuse == []
    assert set(plan.edition_work) == {e.date for e in index.site.editions}
    assert all(zipped for _, zipped in plan.edition_work.values())


def test_a_changed_edition_is_the_only_one_planned_again(built: SiteConfig) -> None:
    index = _index(built)
    day = index.site.editions[-1].date  # the oldest: no other edition shows its content
    changed = dict(index.editions)
    changed[day] = dataclasses.replace(changed[day], digest="changed")
    plan = _plan(built, dataclasses.replace(index, editions=changed),
                 OutputRecord.trusted(built.cache_dir, built.build_dir))
    assert set(plan.edition_work) == {day}
    assert plan.shared == []


def test_the_model_made_edition_by_edition_is_the_model_of_the_list(
        built: SiteConfig) -> None:
    """`SiteBuilder` makes views before it knows every name (draft links), then the final
    views as new objects: the same model `build_site_model` makes with the slugs first,
    older/newer carrying the neighbours' first and last 版."""
    content = ContentCache(built.cache_dir / "content", None, site_roots(built))
    metas = [content.read(f)[0] for f in edition_dirs(built.content_dir, site_roots(built))]
    streamed = _index(built).site
    assert streamed == build_site_model(metas, built)
    older, newer = streamed.editions[-1], streamed.editions[0]
    assert newer.older is not None and newer.older.last_page is not None
    assert newer.older.last_page.url == older.pages[-1].url
    assert older.newer is not None and older.newer.first_page is not None
    assert older.newer.first_page.url == newer.pages[0].url
    people = [p for a in streamed.articles for g in a.bylines for p in g.people]
    assert people and all(p.url for p in people if p.name in _index(built).slugs.people)


def test_draft_links_guessed_from_the_memo_are_final_where_right(built: SiteConfig) -> None:
    """Drafts take their links from the slugs of earlier builds; `finish` makes new views
    only where a guess was wrong (a name the memo lacks, a slug numbered after a
    collision) and shares the rest, with the same model either way."""
    content = ContentCache(built.cache_dir / "content", None, site_roots(built))
    metas = sorted((content.read(f)[0] for f in edition_dirs(built.content_dir,
                                                            site_roots(built))),
                   key=lambda m: m.date)
    expected = build_site_model(metas, built)
    days = [m.date for m in metas]

    def streamed(memo: dict) -> tuple[list, list]:
        builder = SiteBuilder(built, days, memo=memo)
        drafts = [a for m in metas for a in builder.add(m).articles]
        site, slugs = builder.finish()
        assert site == build_site_model(metas, built, slugs=slugs)
        return drafts, site.articles

    memo: dict = {}
    drafts, final = streamed(memo)  # nothing remembered: every credited article made again
    credited = {a.url for a in final if a.bylines or a.towns}
    remade = {a.url for a, b in zip(drafts, final, strict=True) if a is not b}
    assert credited and remade == credited
    drafts, final = streamed(dict(memo))  # what the first build remembered
    assert all(a is b for a, b in zip(drafts, final, strict=True))
    assert final == expected.articles
    # two names whose pinyin collides: the second one's slug is numbered (`-2`), not its
    # remembered pinyin
    first, name = list(dict.fromkeys(p.name for a in final for g in a.bylines
                                     for p in g.people))[:2]
    collided = {**memo, (name, "person"): memo[(first, "person")]}
    drafts, final = streamed(collided)
    remade = {a.url for a, b in zip(drafts, final, strict=True) if a is not b}
    assert remade == {a.url for a in final if any(p.name == name for g in a.bylines
                                                  for p in g.people)}


def test_a_partition_keeps_the_views_of_its_editions_and_the_names_of_all(
        built: SiteConfig) -> None:
    """A year's part keeps only its editions' views (a ten-year model is most of a part's
    memory otherwise), and they are the views of the whole archive's model: the same
    slugs, neighbours and 历史上的今天 links, the archive's latest edition."""
    whole = _index(built)
    day = whole.site.editions[-1].date
    content = ContentCache(built.cache_dir / "content", None, site_roots(built))
    with workers.Pool(1, None) as pool:
        builder, info = read_summaries(built, content, pool, False, keep=lambda d: d == day)
    part = finish_index(builder, info, built)
    assert [e.date for e in part.site.editions] == [day]
    assert part.views[day] == whole.views[day]
    assert part.slugs == whole.slugs and part.links == whole.links
    assert part.latest == whole.latest == whole.site.editions[0].date != day


def test_no_object_is_changed_after_it_is_frozen() -> None:
    """Frozen views and records are never patched (`object.__setattr__`): a view that
    changes after it was handed out would make fingerprints and renders disagree."""
    offenders = [str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py")
                 if "object.__setattr__(" in path.read_text("utf-8")]
    assert offenders == []


def test_build_records_round_trip_and_refuse_other_code(tmp_path: Path) -> None:
    state = BuildState("stamp", {}, Published((1, 2), "listing"), 1, 2, 3, 4)
    state.save(tmp_path)
    assert BuildState.load(tmp_path) == state
    assert OutputRecord.load(tmp_path) is None  # each record has its own file
    dataclasses.replace(state, version="other code").save(tmp_path)
    assert BuildState.load(tmp_path) is None
    BuildState.forget(tmp_path)
    assert not (tmp_path / BuildState.FILE).exists()


def _names(paths: list[Path]) -> set[str]:
    return {p.relative_to(PACKAGE).as_posix() for p in paths}


def test_each_cache_depends_on_the_packages_its_code_imports() -> None:
    build = _names(codehash.sources("sitegen.builder"))
    content = _names(codehash.sources("sitegen.content"))
    ingest = _names(codehash.sources("sitegen.ingest"))
    every = _names(sorted(PACKAGE.rglob("*.py")))
    for package in ("builder", "content", "render", "search", "site", "text"):
        assert {n for n in every if n.startswith(f"{package}/")} <= build, package
    assert not {n for n in build if n.startswith("ingest/")}
    assert not {"cli.py", "serve.py", "check.py", "scaffold.py"} & build
    assert content <= build and content <= ingest
    assert not {n for n in content if n.startswith(("render/", "site/", "search/", "builder/"))}
    assert {n for n in every if n.startswith("ingest/")} <= ingest
    assert not {n for n in ingest if n.startswith(("render/", "site/", "search/", "builder/"))}


def _context_times(n: int) -> int:
    return workers.context() * n


def test_one_pool_runs_tasks_with_its_context_and_feeds_them_in_order() -> None:
    with workers.Pool(2, 10) as pool:
        feed = workers.Feed(pool, [1, 2, 3], _context_times, 1,
                            follow=lambda item, result: [4] if item == 1 else [])
        assert feed.wait() == [10, 20, 30, 40]  # a followed item runs next, listed last
        assert list(pool.map(_context_times, [5, 6])) == [50, 60]
    with pytest.raises(AssertionError):
        workers.context()  # cleared when the pool closes
    assert workers.count(3, tasks=2) == 2
    assert workers.count(None, tasks=1, small=3) == 1


def _span(item: object) -> tuple[float, float]:
    start = time.monotonic()
    time.sleep(0.3)
    return start, time.monotonic()


def test_a_feeds_light_items_run_beside_each_other() -> None:
    """Depth one holds back the heavy items (months), not the light ones a result lets start
    (its packs): those run side by side, one per worker."""
    with workers.Pool(2, 10) as pool:
        packs = {"month": ["pack 0", "pack 1"]}
        feed = workers.Feed(pool, ["month"], _span, 1, light=lambda item: item != "month",
                            follow=lambda item, result: packs.get(item, []))
        _, (start0, end0), (start1, end1) = feed.wait()
    assert start1 < end0 and start0 < end1  # they overlapped


def _mark_started() -> None:
    workers.context()["started in"] = os.getpid()


def _started_in(_: object) -> tuple[int | None, int]:
    return workers.context().get("started in"), os.getpid()


def test_each_worker_runs_on_start_before_its_tasks() -> None:
    """`on_start` (a build's workers load jieba's dictionary) runs in every worker, on its
    own copy of the context, before the worker takes a task."""
    context: dict[str, int] = {}
    with workers.Pool(2, context, on_start=_mark_started) as pool:
        seen = list(pool.map(_started_in, range(16)))
    assert all(started == pid for started, pid in seen)
    assert context == {}  # the parent's copy is not the workers'


def _fail_to_start() -> None:
    raise OSError("no dictionary")


def test_a_failing_on_start_leaves_the_workers_working() -> None:
    """Work done ahead that fails is left to the task that needs it: a worker whose start
    raised would be restarted by multiprocessing forever, and the build would hang."""
    with workers.Pool(2, 10, on_start=_fail_to_start) as pool:
        assert list(pool.map(_context_times, [1, 2, 3])) == [10, 20, 30]


def test_nothing_changed_is_answered_without_the_builders_machinery(tmp_path: Path) -> None:
    """`sitegen build` with nothing to do loads neither the parser, the templates, the
    search engine nor the content formats: importing them was half of that answer's time."""
    root = copy_site(tmp_path / "site")
    probe = ("import sys; from sitegen.cli import main;"
             " code = main(['build', '--site', sys.argv[1]]);"
             " heavy = ('jinja2', 'yaml', 'frontmatter', 'numpy', 'rjieba', 'pypinyin',"
             " 'sitegen.ingest.parse', 'sitegen.ingest.importer', 'sitegen.search',"
             " 'sitegen.render', 'sitegen.content.files', 'sitegen.builder.steps');"
             " print(code, sorted(m for m in sys.modules if m.startswith(heavy)))")
    first = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True,
                           text=True, check=True)
    assert "built " in first.stdout and "sitegen.builder.steps" in first.stdout
    again = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True,
                           text=True, check=True)
    assert again.stdout.splitlines() == [again.stdout.splitlines()[0], "0 []"], again.stdout
    assert again.stdout.startswith("nothing changed")
