"""sitegen as a new user gets it: the wheel, installed outside the repository, starts a paper.

The wheel and the sdist are built with `python -m build` (the wheel both from the source
tree and, as `python -m build` does by default, from the sdist, which has no node_modules:
the two must hold the same files). The wheel is installed into a fresh virtual environment
outside the repository, and everything after that runs with only that environment on PATH:
no `node`, no source tree. `sitegen init` makes a site, a raw page is added, the site is
built and checked, its search page finds the article in Chromium from `file://`; then a
second page of the same edition is dropped in and `build` imports it, while the site
overrides a file of the built-in theme. The workflow `init` wrote is valid YAML with the
steps the issue asks for.

Slow (building, creating an environment, installing the dependencies: a minute or two),
and still part of the normal run: it is the only test of what users install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright import sync_api
from test_scaffold import check_workflow
from test_search_browser import ARGS, CHROMIUM, SearchPage

from sitegen import __version__
from sitegen.resources import LUNR_VERSION
from sitegen.search.index import LUNR_FORMAT_VERSION

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "fixtures" / "pages"
FIRST_PAGE = PAGES / "002_855235c3d5b4990d.txt"  # 触“电”腾飞有真招, 我市首个国道下穿项目建成, …
SECOND_PAGE = PAGES / "000_945dd167e662ca43.txt"  # 推进“深根计划” 汇聚人才资源 (张立帆), …
THEME_FILES = sorted(p.relative_to(REPO / "themes").as_posix()
                     for p in (REPO / "themes").rglob("*") if p.is_file())

pytestmark = pytest.mark.slow


def _run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
         timeout: int = 600) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, check=False)
    assert result.returncode == 0, f"{cmd}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _wheel_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as zf:
        return {n for n in zf.namelist() if ".dist-info/" not in n}


def _built(tmp_path: Path) -> tuple[Path, Path]:
    """(wheel built from the source tree, sdist), after checking the wheel built from the
    sdist holds the same files."""
    _run([sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(REPO)])
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "direct"),
          str(REPO)])
    name = f"sitegen-{__version__}-py3-none-any.whl"
    wheel, from_sdist = tmp_path / "direct" / name, tmp_path / "dist" / name
    sdist = tmp_path / "dist" / f"sitegen-{__version__}.tar.gz"
    assert _wheel_names(wheel) == _wheel_names(from_sdist)
    return wheel, sdist


def test_the_wheel_installed_alone_starts_builds_and_grows_a_site(tmp_path: Path) -> None:
    wheel, sdist = _built(tmp_path)

    # -- what the wheel and the sdist hold
    names = _wheel_names(wheel)
    assert {f"sitegen/themes/{f}" for f in THEME_FILES} <= names
    assert {"sitegen/vendor/lunr.js", "sitegen/vendor/lunr.LICENSE",
            "sitegen/search/probe.mjs", "sitegen/resources.py"} <= names
    assert not any(n.startswith(("tests/", "content/", "node_modules/", "themes/"))
                   for n in names)
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("sitegen/vendor/lunr.js") == \
            (REPO / "node_modules" / "lunr" / "lunr.js").read_bytes()
    with tarfile.open(sdist) as tf:
        inside = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    assert {f"themes/{f}" for f in THEME_FILES} <= inside
    assert {"sitegen/vendor/lunr.js", "build_hooks.py", "package-lock.json"} <= inside
    assert LUNR_VERSION == LUNR_FORMAT_VERSION

    # -- a fresh environment outside the repository; from here on only it is on PATH
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PATH"] = str(venv / "bin")
    assert shutil.which("node", path=env["PATH"]) is None
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], env)
    work = tmp_path / "work"
    work.mkdir()

    def sitegen(*args: str) -> subprocess.CompletedProcess[str]:
        return _run(["sitegen", *args], env, cwd=work)

    assert sitegen("--version").stdout.strip() == f"sitegen {__version__}"
    where = _run(["python", "-c", "import sitegen.resources as r; "
                  "print(r.PACKAGE_DIR, r.source_checkout(), r.builtin_themes_dir())"],
                 env, cwd=work).stdout.split()
    assert where[0].startswith(str(venv)) and where[1] == "None"
    assert where[2] == f"{where[0]}/themes"

    # -- a new paper's site
    created = sitegen("init", "mypaper", "--name", "测试日报").stdout
    site = work / "mypaper"
    assert "created" in created and "base_url" in created
    raw = site / "content" / "raw" / "2024-02-02"
    raw.mkdir()
    shutil.copy(FIRST_PAGE, raw / "01.txt")
    built = sitegen("build", "--site", "mypaper").stdout
    assert "importing 1 new edition: 2024-02-02" in built
    assert "2024-02-02: 1 page, 7 articles" in built and "built " in built
    assert (site / "build" / "assets" / "lunr.js").read_bytes() == \
        (REPO / "node_modules" / "lunr" / "lunr.js").read_bytes()
    checked = sitegen("check", "--site", "mypaper").stdout
    assert "0 errors" in checked and "base_url is still the example address" in checked

    # -- its search page, from disk, in Chromium
    root = (site / "build").as_uri() + "/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = SearchPage(browser, root)
            page.type_query("国道")
            found = page.result_urls()
            assert len(found) == 1 and found[0].startswith("2024-02-02/")
            assert "我市首个国道下穿项目建成" in (site / "build" / found[0]).read_text("utf-8")
            page.type_query("张立帆")
            assert page.result_urls() == []
            assert page.errors == []

            # -- a second page of the same edition arrives: `build` imports it and says so;
            # and the site overrides one of the built-in theme's files
            shutil.copy(SECOND_PAGE, raw / "02.txt")
            override = site / "themes" / "default" / "static" / "site.js"
            override.parent.mkdir(parents=True)
            override.write_text("/* the paper's own */\n", encoding="utf-8")
            again = sitegen("build", "--site", "mypaper").stdout
            assert "importing 2024-02-02 again: raw 02.txt added" in again
            assert "2024-02-02: 2 pages, 14 articles" in again
            assert "built mypaper/build/: 1 edition, 14 articles" in again
            assert (site / "build" / "assets" / "site.js").read_bytes() == override.read_bytes()
            page.type_query("张立帆")
            found = page.result_urls()
            assert found and all(u.startswith("2024-02-02/02/") for u in found)
            assert page.errors == []
        finally:
            browser.close()
    assert "nothing changed (14 articles)" in sitegen("build", "--site", "mypaper").stdout

    # -- the repository `init` wrote
    ignored = (site / ".gitignore").read_text("utf-8").split()
    assert {"/build/", "/.build-*/", "/.sitegen-cache/"} <= set(ignored)
    assert "sitegen serve" in (site / "README.md").read_text("utf-8")
    workflow = yaml.safe_load((site / ".github" / "workflows" / "pages.yml").read_text("utf-8"))
    check_workflow(workflow, installs=f"sitegen=={__version__}")

