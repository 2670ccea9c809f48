"""Shared fixtures: one real build of the demo site per test session.

Building takes a couple of seconds, so the build, HTML-validity, link and browser tests all
read the same `build/`. It is made in a temporary copy of the repository's site files
(`sitegen.toml`, `content/`, `themes/`), never in the repository's own `build/`, so tests
can run while someone previews the site and two test runs never share output.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sitegen.builder import BuildResult, build_site
from sitegen.config import SiteConfig, Town, load_config
from sitegen.text.segment import Segmenter, segmenter

REPO = Path(__file__).resolve().parent.parent
SITE_FILES = ("sitegen.toml", "content", "themes")


def interruptible() -> None:
    """`preexec_fn` of a command a test stops with SIGINT, as Ctrl-C stops it in a terminal:
    Ctrl-C's default action. A test run started in the background of a non-interactive
    shell (`cmd &`) inherits SIGINT ignored, and an ignored signal stays ignored across
    exec: `sitegen serve` then never saw the test's SIGINT and the test timed out."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def copy_site(dest: Path) -> Path:
    """A private copy of the demo site's editable files under `dest`; returns `dest`."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        else:
            shutil.copy2(source, dest / name)
    return dest


@dataclass(frozen=True)
class DemoBuild:
    root: Path
    config: SiteConfig
    result: BuildResult

    @property
    def out(self) -> Path:
        return self.result.out_dir

    def html_files(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def read(self, site_path: str) -> str:
        return (self.out / site_path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """The demo site, built once for the whole session."""
    root = copy_site(tmp_path_factory.mktemp("demo-site") / "site")
    config = load_config(root)
    result = build_site(config, REPO)
    return DemoBuild(root, config, result)


@pytest.fixture(scope="session", autouse=True)
def fold_table_for_node(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The traditional-to-simplified table client.js folds with, as the build writes it
    (`assets/search-fold.js`, never committed), for node scripts that load client.js
    without a built site (`tests/js/pipeline.mjs` reads SITEGEN_FOLD_JS)."""
    from sitegen.search.variants import fold_js

    path = tmp_path_factory.mktemp("fold") / "search-fold.js"
    path.write_bytes(fold_js())
    os.environ["SITEGEN_FOLD_JS"] = str(path)
    return path


EDITION_RAW = REPO / "tests" / "fixtures" / "edition" / "2024-03-12"


@pytest.fixture(scope="session")
def towns() -> tuple[Town, ...]:
    """The demo gazetteer, which every parse of the fixtures uses."""
    return load_config(REPO).towns


@pytest.fixture(scope="session")
def seg(towns: tuple[Town, ...]) -> Segmenter:
    """One segmenter for the session: loading jieba's dictionary is the slow part."""
    return segmenter([s for t in towns for s in t.spellings])


@pytest.fixture(scope="session")
def edition_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """The fixture edition (A01–A06: features, briefs, a jump, 副刊, wire copy, notices)
    imported and built into a site of its own, once per session."""
    root = tmp_path_factory.mktemp("edition-site") / "site"
    (root / "content" / "raw").mkdir(parents=True)
    shutil.copy2(REPO / "sitegen.toml", root / "sitegen.toml")
    shutil.copytree(EDITION_RAW, root / "content" / "raw" / EDITION_RAW.name)
    config = load_config(root)
    from sitegen.ingest.importer import import_editions
    from sitegen.ingest.parse import page_parser
    from sitegen.ingest.raw import raw_editions

    import_editions(config, raw_editions(config), page_parser(config.towns))
    return DemoBuild(root, config, build_site(config, REPO))


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def loopback_server(folder: Path, handler: Callable[..., http.server.BaseHTTPRequestHandler]
                    | None = None) -> Iterator[str]:
    """`folder` served over HTTP on a free loopback port (by `handler`, default: plain
    files, quietly) for the length of the block; yields the base URL, ending in `/`."""
    serve = handler or functools.partial(_QuietFiles, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), serve)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
