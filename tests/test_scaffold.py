"""`sitegen init`: a repository a paper can push as is, and the workflow that publishes it.

The workflow is checked as data (parsed YAML): it installs this sitegen version, restores
the last build and the cache, builds, checks, and deploys with GitHub's Pages actions; the
demo repository's own workflow shares its cache. The wheel test (test_package.py) runs
the same checks on what an installed sitegen writes.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import REPO

from sitegen import __version__
from sitegen.cli import main
from sitegen.scaffold import CACHE_STEP, WORKFLOW_PATH


def test_init_writes_a_repository_to_push(tmp_path: Path) -> None:
    site = tmp_path / "paper"
    assert main(["init", str(site), "--name", "测试日报"]) == 0
    assert (site / "content" / "raw").is_dir()
    config = (site / "sitegen.toml").read_text("utf-8")
    assert 'name = "测试日报"' in config and config.count("\n# ") > 10  # commented
    readme = (site / "README.md").read_text("utf-8")
    assert f'pip install "sitegen=={__version__}"' in readme and "GitHub Actions" in readme
    assert set((site / ".gitignore").read_text("utf-8").split()) >= {
        "/build/", "/.build-*/", "/.sitegen-cache/"}
    check_workflow(yaml.safe_load((site / WORKFLOW_PATH).read_text("utf-8")),
                   installs=f"sitegen=={__version__}")


def test_init_never_overwrites_and_keeps_an_existing_gitignore(tmp_path: Path) -> None:
    site = tmp_path / "paper"
    (site / WORKFLOW_PATH).parent.mkdir(parents=True)
    (site / WORKFLOW_PATH).write_text("# mine\n", "utf-8")
    assert main(["init", str(site), "--name", "测试日报"]) == 1
    assert (site / WORKFLOW_PATH).read_text("utf-8") == "# mine\n"
    assert not (site / "sitegen.toml").exists()

    (site / WORKFLOW_PATH).unlink()
    (site / ".gitignore").write_text("*.pdf", "utf-8")
    assert main(["init", str(site), "--name", "测试日报"]) == 0
    lines = (site / ".gitignore").read_text("utf-8").splitlines()
    assert lines[0] == "*.pdf" and "/.sitegen-cache/" in lines


def test_the_demo_workflow_uses_the_same_cache() -> None:
    text = (REPO / WORKFLOW_PATH).read_text("utf-8")
    assert CACHE_STEP in text
    workflow = yaml.safe_load(text)
    check_workflow(workflow, installs=None)
    runs = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert "pip install -e . && npm ci" in runs  # the demo builds this checkout's sitegen


def check_workflow(workflow: dict, installs: str | None) -> None:
    """The Pages workflow: installs sitegen (`installs`: at that version), restores the
    cache and the last build, builds, checks, and deploys with GitHub's Pages actions."""
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as true
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    runs = [s.get("run", "") for s in steps]
    order = ["actions/checkout", "actions/setup-python", "actions/cache",
             "actions/configure-pages", "actions/upload-pages-artifact"]
    assert [u for u in uses if u in order] == order
    cache = steps[uses.index("actions/cache")]["with"]
    assert cache["path"].split() == [".sitegen-cache", "build"]
    assert cache["restore-keys"] == "sitegen-${{ runner.os }}-"
    assert cache["key"].startswith("sitegen-${{ runner.os }}-${{ github.run_id }}")
    build, check = runs.index("sitegen build"), runs.index("sitegen check")
    assert uses.index("actions/cache") < build < check < uses.index("actions/configure-pages")
    assert any("rm -rf .sitegen-cache/spare .sitegen-cache/trash" in r for r in runs[check:])
    upload = steps[uses.index("actions/upload-pages-artifact")]["with"]
    assert upload["path"] == "build" and upload["include-hidden-files"] is True
    if installs is not None:
        assert workflow["env"]["SITEGEN"] == installs
        assert 'pip install "$SITEGEN"' in runs[:build]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][-1]["uses"].startswith("actions/deploy-pages@")


def test_init_partitioned_writes_a_matrix_over_the_archives_years(tmp_path: Path) -> None:
    """`sitegen init --partitioned`: valid YAML whose year jobs are a matrix over what the
    index job outputs, which is the archive's years (checked on a synthetic archive of
    three years); every `sitegen partition` step it runs exists."""
    import json
    import re
    import subprocess
    import sys

    from archive import make_archive

    from sitegen.cli import make_parser

    site = tmp_path / "paper"
    assert main(["init", str(site), "--name", "测试日报", "--partitioned"]) == 0
    workflow = yaml.safe_load((site / WORKFLOW_PATH).read_text("utf-8"))
    jobs = workflow["jobs"]
    assert list(jobs) == ["index", "part", "merge", "deploy"]
    assert jobs["part"]["needs"] == "index" and jobs["merge"]["needs"] == "part"
    assert jobs["deploy"]["needs"] == "merge"
    assert jobs["index"]["outputs"]["years"] == "${{ steps.index.outputs.years }}"
    matrix = jobs["part"]["strategy"]["matrix"]
    assert matrix == {"year": "${{ fromJSON(needs.index.outputs.years) }}"}
    runs = {job: "\n".join(s.get("run", "") for s in spec["steps"]) for job, spec in jobs.items()}
    assert 'years=$(sitegen partition years --work partitions)' in runs["index"]
    assert "sitegen partition part ${{ matrix.year }} --work partitions" in runs["part"]
    assert "sitegen partition merge --work partitions" in runs["merge"]
    assert "sitegen check" in runs["merge"]
    steps = {a.dest: a for a in make_parser()._subparsers._group_actions[0]  # type: ignore[union-attr]
             .choices["partition"]._actions}["step"].choices
    used = set(re.findall(r"sitegen partition (\w+)", "\n".join(runs.values())))
    assert used <= set(steps), used
    uses = [s.get("uses", "") for spec in jobs.values() for s in spec["steps"]]
    for action in ("actions/upload-artifact@", "actions/download-artifact@",
                   "actions/cache@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    for spec in jobs.values():  # every job installs the site's sitegen version
        if spec is not jobs["deploy"]:
            assert any(s.get("run") == 'pip install "$SITEGEN"' for s in spec["steps"])
    assert workflow["env"]["SITEGEN"] == f"sitegen=={__version__}"

    # the matrix the index job hands over is the archive's years
    archive = tmp_path / "archive"
    make_archive(archive, per_year=1)
    work = tmp_path / "partitions"
    for args in (["index"], ["years"]):
        proc = subprocess.run([sys.executable, "-m", "sitegen.cli", "partition", *args,
                               "--site", str(archive), "--work", str(work)],
                              capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == [2022, 2023, 2024]
