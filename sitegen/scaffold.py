"""`sitegen init`: a new, empty site for another paper, ready for its first raw pages."""

from __future__ import annotations

from pathlib import Path

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

Daily work, in this folder:

1. Put the day's raw page texts in `content/raw/YYYY-MM-DD/` as `01.txt`, `02.txt`, ...
   Optionally add `content/raw/YYYY-MM-DD/edition.toml` naming the pages and the number:

       number = 1234
       01 = "要闻"
       02 = "综合"

2. `sitegen import` parses them into Markdown under `content/YYYY-MM-DD/` and prints what
   needs a human look (bylines it could not assign, articles without a byline, dropped text).
3. Correct the Markdown files by hand; `sitegen serve` shows the site and reloads the open
   page whenever you save. Re-importing never overwrites a file you changed.
4. `sitegen check` lists what still needs review and fails on errors; `sitegen build` writes
   the finished site to `build/`, ready to publish.
"""


def init_site(path: Path, name: str) -> list[Path]:
    """Create a site at `path`; refuse if one is already there, so nothing is overwritten."""
    if not name.strip():
        raise SitegenError("the paper needs a name (--name)", path)
    config = path / CONFIG_NAME
    if config.exists():
        raise SitegenError("a site already exists here; not overwriting it", config)
    if path.exists() and not path.is_dir():
        raise SitegenError("exists and is not a folder", path)
    if path.is_dir() and any(p.name in ("content", "README.md") for p in path.iterdir()):
        raise SitegenError("folder already has content/ or README.md; not overwriting", path)
    from sitegen.slugs import slugify

    raw = path / "content" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    values = {"name": name.strip(), "slug": slugify(name, fallback="paper")}
    config.write_text(CONFIG_TEMPLATE.format(**values), encoding="utf-8")
    readme = path / "README.md"
    readme.write_text(EDITOR_README.format(**values), encoding="utf-8")
    gitignore = path / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("/build/\n", encoding="utf-8")
    return [config, raw, readme, gitignore]
