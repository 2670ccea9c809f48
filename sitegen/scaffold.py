"""`sitegen init`: a new, empty site for another paper, ready for its first raw pages.

The site is a repository a paper can push as is: its configuration, an editor's README,
a `.gitignore` that keeps build output and caches out, and a GitHub Actions workflow that
installs the same sitegen version, builds incrementally (the last build and the cache are
restored between runs), checks and publishes with GitHub's official Pages actions."""

from __future__ import annotations

from pathlib import Path

from sitegen import __version__
from sitegen.config import CONFIG_NAME
from sitegen.errors import SitegenError

CONFIG_TEMPLATE = """\
# sitegen site configuration for {name}.
# Every command reads this file; run them in this folder or pass --site PATH.

[site]
# The paper's name, shown in the masthead, titles and the feed.
name = "{name}"
# Where the site is published. Absolute URLs (feed, sitemap, canonical links) start with it;
# links between pages are relative, so the site also works from disk and under a sub-path.
base_url = "https://example.github.io/{slug}/"
# Language of the content (the <html lang> of every page).
language = "zh-CN"
# One line describing the site, for search engines and the feed.
description = "{name}数字报"
# Articles a reporter's or town's page lists; one with more also gets a page per month.
# list_size = 50
# Entries in the Atom feed.
# feed_size = 50

# The town gazetteer: which towns the per-town pages list. One [[towns]] table per town:
#   name     the canonical name, as the town page is titled
#   aliases  other names the paper uses for it (a former town merged into it, a short form)
#   exclude  strings that contain an alias but mean something else
# Example (remove the leading # to use it):
# [[towns]]
# name = "乍浦镇"
# aliases = ["乍浦"]
# exclude = []
"""

EDITOR_README = """\
# {name}: the digital edition

This repository is {name}'s digital edition, made with [sitegen](https://pypi.org/project/sitegen/)
{version}. Every push to `main` builds the site and publishes it on GitHub Pages
(`.github/workflows/pages.yml`).

## Once

1. Install sitegen (Python 3.11 or newer): `pip install "sitegen=={version}"`.
2. Push this folder to a GitHub repository. In its Settings → Pages, set "Source" to
   "GitHub Actions".
3. Set `base_url` in `sitegen.toml` to the address Pages shows there
   (`https://<owner>.github.io/<repository>/`); `sitegen check` warns until you do.

## Every day

1. Put the day's raw page texts in `content/raw/YYYY-MM-DD/` as `01.txt`, `02.txt`, ...
   Optionally add `content/raw/YYYY-MM-DD/edition.toml` naming the pages and the number:

       number = 1234
       01 = "要闻"
       02 = "综合"

2. `sitegen serve` imports them into Markdown under `content/YYYY-MM-DD/`, builds the site
   and shows it at http://127.0.0.1:8000/; it prints what needs a human look (bylines it
   could not assign, articles without a byline, dropped text).
3. Correct the Markdown files by hand; the open page reloads whenever you save. A page that
   arrives late, or a corrected raw page, is imported when you add it; a file you changed
   is never overwritten.
4. `sitegen check` lists what still needs review and fails on errors (a broken link, an
   empty article). Commit `content/` (raw pages and Markdown) and push: the workflow
   checks, builds and publishes. It keeps sitegen's cache and the last build between
   runs, so a day's publish only makes what changed.

`build/`, `.sitegen-cache/` and the build's temporary folders are not committed
(`.gitignore`): they are made again from `content/`.
"""

GITIGNORE = """\
# sitegen: the built site, the folders a build stages it in, and sitegen's cache; all of it
# is made again from content/ by `sitegen build`
/build/
/.build-*/
/.sitegen-cache/
"""

PUBLISH_SETTINGS = """\
on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One publish at a time; a newer push waits instead of cancelling a deployment under way.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # The sitegen this site was made with, as pip installs it. Change it here to upgrade (or
  # to install sitegen from elsewhere, e.g. a wheel's URL).
  SITEGEN: sitegen=={version}
"""
"""When both workflows run, what they may do, and the sitegen they install."""

UPLOAD_STEPS = """\
      - uses: actions/configure-pages@v5

      # build/ has a .nojekyll file, which the artifact keeps only with hidden files on.
      - uses: actions/upload-pages-artifact@v5
        with:
          path: build
          include-hidden-files: true
"""
"""The last steps of the job that builds the site: build/ as the Pages artifact."""

DEPLOY_JOB = """\
  deploy:
    needs: {needs}
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""
"""The last job of both workflows: GitHub's Pages deployment of the job `needs`' artifact."""

WORKFLOW = """\
# Build {name}'s digital edition with sitegen and publish it on GitHub Pages.
#
# Once: in the repository's Settings -> Pages, set "Source" to "GitHub Actions", and set
# base_url in sitegen.toml to the address Pages gives the site
# (https://<owner>.github.io/<repository>/). Every push to main then publishes.
#
# sitegen's cache (.sitegen-cache/) and the previous build (build/) are kept between runs,
# so a day's publish makes only what the new edition changed, not the whole archive again.
name: Publish to GitHub Pages

{settings}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
{setup}
{cache_step}
      - name: Import new raw pages and build the site into build/
        run: sitegen build

      # The publish gate: a broken link, an empty article or unreadable content fails the job.
      - name: Check the edition before publishing
        run: sitegen check

{trash_step}
{upload}
{deploy}"""

CACHE_STEP = """\
      # The last run's build/ and .sitegen-cache/, saved together at the end of each run
      # (a new key every run; the newest is restored): sitegen trusts that build/ and makes
      # only what changed since it.
      - name: Restore the previous build and sitegen's cache
        uses: actions/cache@v5
        with:
          path: |
            .sitegen-cache
            build
          key: sitegen-${{ runner.os }}-${{ github.run_id }}-${{ github.run_attempt }}
          restore-keys: sitegen-${{ runner.os }}-
"""
"""The step `WORKFLOW` and this repository's own `.github/workflows/pages.yml` share."""

TRASH_STEP = """\
      # A build keeps the site it replaces in .sitegen-cache/spare/ (to build into next
      # time) and killed builds' folders in .sitegen-cache/trash/: neither is worth its
      # room in the cache.
      - name: Leave the replaced site out of the cache
        run: rm -rf .sitegen-cache/spare .sitegen-cache/trash
"""

WORKFLOW_PATH = Path(".github") / "workflows" / "pages.yml"

SETUP_STEPS = """\
      - uses: actions/checkout@v7

      - uses: actions/setup-python@v7
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: .github/workflows/pages.yml

      - name: Install sitegen
        run: pip install "$SITEGEN"
"""

GET_INDEX = """\
      - uses: actions/download-artifact@v7
        with:
          name: index
          path: partitions

      # the Markdown the index job imported from new raw pages (content/ as it built it)
      - name: Take the editions the index job imported
        run: tar -xzf partitions/imported.tgz
"""

PARTITIONED_WORKFLOW = """\
# Build {name}'s digital edition with sitegen, a year per job, and publish it on GitHub Pages.
#
# Once: in the repository's Settings -> Pages, set "Source" to "GitHub Actions", and set
# base_url in sitegen.toml to the address Pages gives the site
# (https://<owner>.github.io/<repository>/). Every push to main then publishes.
#
# For an archive of many years (`sitegen partition`): an index job (new raw pages
# imported, every edition's summary), one job per year of the archive (a matrix made from
# the index: each year's pages, offline copies and search data, with that year's own
# cache), and a merge job (the archive-wide pages and the search manifest, the years' files
# put together, checked, published). The merged site is byte for byte what `sitegen build`
# makes; each year's cache means a day's publish rebuilds only the years that changed.
name: Publish to GitHub Pages (a job per year)

{settings}
jobs:
  index:
    runs-on: ubuntu-latest
    outputs:
      years: ${{{{ steps.index.outputs.years }}}}
    steps:
{setup}
      # the content cache: editions read before are not parsed again
      - name: Restore sitegen's content cache
        uses: actions/cache@v5
        with:
          path: |
            .sitegen-cache/content
            .sitegen-cache/import
          key: sitegen-index-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}
          restore-keys: sitegen-index-

      - name: Import new raw pages, then every edition's summary
        id: index
        run: |
          sitegen partition index --work partitions
          echo "years=$(sitegen partition years --work partitions)" >> "$GITHUB_OUTPUT"
          git ls-files --others --modified -z -- content \
            | tar --null -T - -czf partitions/imported.tgz

      - uses: actions/upload-artifact@v7
        with:
          name: index
          path: |
            partitions/index.pickle
            partitions/imported.tgz
          retention-days: 1

  part:
    needs: index
    runs-on: ubuntu-latest
    strategy:
      fail-fast: true
      matrix:
        year: ${{{{ fromJSON(needs.index.outputs.years) }}}}
    steps:
{setup}
{get_index}
      # this year's last output and cache: only what changed in the year is made again
      - name: Restore the year's previous part and cache
        uses: actions/cache@v5
        with:
          path: |
            partitions/cache/${{{{ matrix.year }}}}
            partitions/parts/${{{{ matrix.year }}}}
          key: part-${{{{ matrix.year }}}}-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}
          restore-keys: part-${{{{ matrix.year }}}}-

      - name: Build the year's editions and search data
        run: sitegen partition part ${{{{ matrix.year }}}} --work partitions

      - name: Leave the replaced part out of the cache
        run: rm -rf partitions/cache/${{{{ matrix.year }}}}/trash

      - uses: actions/upload-artifact@v7
        with:
          name: part-${{{{ matrix.year }}}}
          path: partitions/parts/${{{{ matrix.year }}}}/build
          retention-days: 1

  merge:
    needs: part
    runs-on: ubuntu-latest
    steps:
{setup}
{get_index}
      - uses: actions/download-artifact@v7
        with:
          pattern: part-*
          path: partitions/download

      - name: Put each year's part where the merge looks for it
        run: |
          for part in partitions/download/part-*; do
            year="${{part##*-}}"
            mkdir -p "partitions/parts/$year"
            mv "$part" "partitions/parts/$year/build"
          done

      - name: Restore the previous site and the merge's cache
        uses: actions/cache@v5
        with:
          path: |
            partitions/cache/merge
            build
          key: sitegen-merge-${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}
          restore-keys: sitegen-merge-

      - name: The archive-wide pages and search manifest, the years' files put together
        run: sitegen partition merge --work partitions

      # The publish gate: a broken link, an empty article or unreadable content fails the job.
      - name: Check the edition before publishing
        run: sitegen check

      - name: Leave the replaced site out of the cache
        run: rm -rf partitions/cache/merge/trash

{upload}
{deploy}"""
"""`sitegen init --partitioned`: the same publish as `WORKFLOW`, its build in three kinds
of jobs (`sitegen partition`). The matrix of years comes from the index job's output, so
the workflow never needs editing when a new year starts."""


def workflow(name: str, partitioned: bool = False) -> str:
    """The GitHub Actions workflow of a new site: installs this sitegen version, restores
    the last build and cache, builds, checks, and deploys with GitHub's Pages actions
    (`partitioned`: the build as an index job, a job per year, and a merge job)."""
    settings = PUBLISH_SETTINGS.format(version=__version__)
    if partitioned:
        return PARTITIONED_WORKFLOW.format(name=name, settings=settings, setup=SETUP_STEPS,
                                           get_index=GET_INDEX, upload=UPLOAD_STEPS,
                                           deploy=DEPLOY_JOB.format(needs="merge"))
    return WORKFLOW.format(name=name, settings=settings, setup=SETUP_STEPS,
                           cache_step=CACHE_STEP, trash_step=TRASH_STEP, upload=UPLOAD_STEPS,
                           deploy=DEPLOY_JOB.format(needs="build"))


def init_site(path: Path, name: str, partitioned: bool = False) -> list[Path]:
    """Create a site at `path`: a repository a paper can push as is. Refuses if a site (or
    anything `init` would write but `.gitignore`) is there already, so nothing is
    overwritten; an existing `.gitignore` gets sitegen's lines added."""
    if not name.strip():
        raise SitegenError("the paper needs a name (--name)", path)
    config = path / CONFIG_NAME
    if config.exists():
        raise SitegenError("a site already exists here; not overwriting it", config)
    if path.exists() and not path.is_dir():
        raise SitegenError("exists and is not a folder", path)
    taken = [p for p in (path / "content", path / "README.md", path / WORKFLOW_PATH)
             if p.exists()]
    if taken:
        raise SitegenError(f"already has {', '.join(p.relative_to(path).as_posix() for p in taken)}"
                           "; not overwriting", path)
    from sitegen.text.slugs import slugify

    raw = path / "content" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    values = {"name": name.strip(), "slug": slugify(name, fallback="paper"),
              "version": __version__}
    config.write_text(CONFIG_TEMPLATE.format(**values), encoding="utf-8")
    readme = path / "README.md"
    readme.write_text(EDITOR_README.format(**values), encoding="utf-8")
    gitignore = path / ".gitignore"
    existing = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    if "/.sitegen-cache/" not in existing:
        gitignore.write_text(existing + ("\n" if existing and not existing.endswith("\n")
                                         else "") + GITIGNORE, encoding="utf-8")
    pages = path / WORKFLOW_PATH
    pages.parent.mkdir(parents=True, exist_ok=True)
    pages.write_text(workflow(values["name"], partitioned), encoding="utf-8")
    return [config, raw, readme, gitignore, pages]
