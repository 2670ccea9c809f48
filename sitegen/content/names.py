"""The names of the content folder's files and folders: an edition's folder, its page and
edition files, its articles. Apart from `files.py` (the formats) because finding out what
changed (the import's stale check, the build's "nothing changed") needs the names only, and
the formats bring YAML and front matter with them.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from sitegen.errors import SitegenError

DATE_DIR = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
ARTICLE_FILE = re.compile(r"^(?P<page>[A-Z]?[0-9]{2})-[0-9]{2}(-[a-z0-9-]+)?\.md\Z", re.ASCII)
PAGE_FILE = re.compile(r"^page-(?P<label>[A-Z]?[0-9]{2})\.yaml\Z", re.ASCII)
"""ASCII digits and `\\Z`: `\\d` also takes `٠١` and `$` a name ending in a line break."""
EDITION_FILE = "edition.yaml"


def parse_date_dir(name: str, path: Path) -> date:
    """`YYYY-MM-DD` folder name to a date; anything else is an error naming the folder."""
    if not DATE_DIR.match(name):
        raise SitegenError("edition folder must be named YYYY-MM-DD", path)
    try:
        return date.fromisoformat(name)
    except ValueError as exc:
        raise SitegenError(f"not a real date: {exc}", path) from exc
