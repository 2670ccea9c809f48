"""`sitegen build` reads each edition it imports into the build's content cache, in the
import's workers, right after writing it; the build then only loads the summaries. The
site it makes is byte for byte the site of a build that reads the content itself."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from sitegen import cli
from sitegen.builder import content_reader
from sitegen.config import load_config
from sitegen.content.cache import ContentCache
from sitegen.content.files import edition_dirs
from sitegen.ingest.importer import JOBS_ENV
from sitegen.safepath import site_roots


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def raw_site(root: Path) -> Path:
    """A site of raw pages only: the demo's two editions and the fixture edition."""
    (root / "content").mkdir(parents=True)
    shutil.copy2(REPO / "sitegen.toml", root / "sitegen.toml")
    shutil.copytree(REPO / "content" / "raw", root / "content" / "raw")
    shutil.copytree(REPO / "tests" / "fixtures" / "edition" / "2024-03-12",
                    root / "content" / "raw" / "2024-03-12")
    return root


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_imported_editions_are_read_for_the_build_and_build_as_read(
        tmp_path: Path, jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JOBS_ENV, jobs)  # in this process, and in import workers
    root = raw_site(tmp_path / "site")
    config = load_config(root)
    cli._run_import(config, [], force=False, quiet=True)
    cache = ContentCache(config.cache_dir / "content", None, site_roots(config))
    folders = edition_dirs(config.content_dir, site_roots(config))
    assert [f.name for f in folders] == ["2023-09-19", "2024-02-03", "2024-03-12"]
    assert all(cache.load_meta(folder) is not None for folder in folders)
    assert cli.main(["build", "--site", str(root)]) == 0
    built = snapshot(root / "build")

    # the same content, built by a build that reads every edition itself
    other = tmp_path / "other"
    shutil.copytree(root / "content", other / "content")
    shutil.copy2(root / "sitegen.toml", other / "sitegen.toml")
    assert cli.main(["build", "--site", str(other)]) == 0
    assert snapshot(other / "build") == built


def test_an_edition_that_does_not_read_is_left_to_the_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Reading for the build never fails an import: the build reports what it cannot read,
    naming the file, as it always did."""
    root = raw_site(tmp_path / "site")
    config = load_config(root)
    cli._run_import(config, ["2023-09-19"], force=False, quiet=True)
    article = sorted((config.content_dir / "2023-09-19").glob("*.md"))[0]
    article.write_text(article.read_text("utf-8").replace("title:", "title: [", 1), "utf-8")
    shutil.rmtree(config.cache_dir / "content")
    content_reader(config)(article.parent)  # as an import worker calls it: no error
    assert not (config.cache_dir / "content" / "2023-09-19.meta").exists()
    cli._run_import(config, [], force=False, quiet=True)  # the other two, read for the build
    assert cli.main(["build", "--site", str(root)]) == 1
    assert f"{article.name}:" in capsys.readouterr().err
