"""The editable content files: one Markdown file per article, one YAML file per page.

Layout under `content/YYYY-MM-DD/`:
  `NN-KK-slug.md`  article KK of page NN: YAML front matter + paragraphs as Markdown
  `page-NN.yaml`    page NN: its name, extras (weather box), unassigned bylines, source
  `edition.yaml`    the edition number

Front matter is read with python-frontmatter (YAML). Reading validates every field and
reports the file and line of a problem, because an editor may have typed anything.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from sitegen.errors import SitegenError
from sitegen.markdown_text import markdown_to_paragraphs, paragraphs_to_markdown
from sitegen.model import (
    KINDS,
    Article,
    Byline,
    Edition,
    EditionPage,
    Extra,
    StoredArticle,
    StoredPage,
)

DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ARTICLE_FILE = re.compile(r"^\d{2}-\d{2}(-[a-z0-9-]+)?\.md$")
PAGE_FILE = re.compile(r"^page-(\d{2})\.yaml$")
EDITION_FILE = "edition.yaml"

_FRONT_MATTER_KEYS = (
    "kind", "kicker", "title", "subtitle", "dateline", "date", "page", "page_name", "order",
    "bylines", "towns", "captions", "video", "source", "source_lines",
)


def parse_date_dir(name: str, path: Path) -> date:
    """`YYYY-MM-DD` folder name to a date; anything else is an error naming the folder."""
    if not DATE_DIR.match(name):
        raise SitegenError("edition folder must be named YYYY-MM-DD", path)
    try:
        return date.fromisoformat(name)
    except ValueError as exc:
        raise SitegenError(f"not a real date: {exc}", path) from exc


def _yaml_dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


# ------------------------------------------------------------------------------- writing


def article_file_name(page: int, order: int, slug: str) -> str:
    return f"{page:02d}-{order:02d}-{slug}.md"


def article_to_markdown(
    article: Article, *, day: date, page: int, page_name: str, order: int, source: str
) -> str:
    meta: dict[str, Any] = {
        "kind": article.kind,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "dateline": article.dateline,
        "date": day,
        "page": page,
        "page_name": page_name,
        "order": order,
        "bylines": [b.to_dict() for b in article.bylines],
        "towns": list(article.towns),
        "captions": list(article.captions),
        "video": article.video,
        "source": source,
        "source_lines": list(article.source_lines),
    }
    return "---\n" + _yaml_dump(meta) + "---\n\n" + paragraphs_to_markdown(article.paragraphs)


def page_to_yaml(page: StoredPage) -> str:
    data = {
        "page": page.number,
        "name": page.name,
        "source": page.source,
        "extras": [e.to_dict() for e in page.extras],
        "unassigned_bylines": [[b.to_dict() for b in g] for g in page.unassigned_bylines],
    }
    return _yaml_dump(data)


def edition_to_yaml(number: int | None) -> str:
    return _yaml_dump({"number": number})


# ------------------------------------------------------------------------------- reading


def _key_line(text: str, key: str) -> int:
    """1-based line of `key:` in the front matter, so errors point at the right place."""
    for i, line in enumerate(text.split("\n"), start=1):
        if line.startswith(f"{key}:"):
            return i
    return 1


def _load_front_matter(path: Path) -> tuple[dict[str, Any], str, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SitegenError("not UTF-8 text", path) from exc
    if not text.startswith("---"):
        raise SitegenError("missing front matter (the file must start with ---)", path, 1)
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SitegenError(f"broken front matter: {problem}", path, line) from exc
    if not isinstance(post.metadata, dict) or not post.metadata:
        raise SitegenError("broken front matter: expected key: value pairs", path, 1)
    return post.metadata, post.content, text


def _opt_str(meta: dict, key: str, path: Path, text: str) -> str | None:
    value = meta.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str | int | float):
        raise SitegenError(f"{key} must be text", path, _key_line(text, key))
    return str(value)


def _str_list(meta: dict, key: str, path: Path, text: str) -> list[str]:
    value = meta.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SitegenError(f"{key} must be a list of text", path, _key_line(text, key))
    return list(value)


def _bylines(value: Any, key: str, path: Path, line: int) -> list[Byline]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SitegenError(f"{key} must be a list of role/name pairs", path, line)
    out = []
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("role"), str)
                and isinstance(item.get("name"), str) and item["name"]):
            raise SitegenError(f"{key}: every entry needs a role and a name", path, line)
        out.append(Byline(item["role"], item["name"]))
    return out


def _int(meta: dict, key: str, path: Path, text: str) -> int:
    value = meta.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SitegenError(f"{key} must be a positive whole number", path, _key_line(text, key))
    return value


def read_article(path: Path, edition_date: date) -> StoredArticle:
    meta, body, text = _load_front_matter(path)
    unknown = sorted(set(meta) - set(_FRONT_MATTER_KEYS))
    if unknown:
        raise SitegenError(f"unknown front matter key {unknown[0]!r}", path,
                           _key_line(text, unknown[0]))
    title = _opt_str(meta, "title", path, text)
    if not title:
        raise SitegenError("missing title", path, _key_line(text, "title"))
    kind = meta.get("kind", "news")
    if kind not in KINDS:
        raise SitegenError(f"kind must be one of {', '.join(KINDS)}", path, _key_line(text, "kind"))
    day = meta.get("date", edition_date)
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            day = None
    if day != edition_date:
        raise SitegenError(f"date must be {edition_date.isoformat()} (the edition folder)",
                           path, _key_line(text, "date"))
    lines = meta.get("source_lines") or [0, 0]
    if not (isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines)):
        raise SitegenError("source_lines must be [first, last]", path,
                           _key_line(text, "source_lines"))
    video = meta.get("video", False)
    if not isinstance(video, bool):
        raise SitegenError("video must be true or false", path, _key_line(text, "video"))
    article = Article(
        kind=kind,
        kicker=_opt_str(meta, "kicker", path, text),
        title=title,
        subtitle=_opt_str(meta, "subtitle", path, text),
        dateline=_opt_str(meta, "dateline", path, text),
        bylines=_bylines(meta.get("bylines"), "bylines", path, _key_line(text, "bylines")),
        paragraphs=markdown_to_paragraphs(body),
        captions=_str_list(meta, "captions", path, text),
        video=video,
        towns=_str_list(meta, "towns", path, text),
        source_lines=(lines[0], lines[1]),
    )
    return StoredArticle(
        article=article,
        date=edition_date,
        page_number=_int(meta, "page", path, text),
        page_name=_opt_str(meta, "page_name", path, text) or "",
        order=_int(meta, "order", path, text),
        source=_opt_str(meta, "source", path, text) or "",
        path=path,
    )


def _load_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SitegenError(f"broken YAML: {getattr(exc, 'problem', exc)}", path,
                           mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise SitegenError("expected key: value pairs", path, 1)
    return data


def read_page_file(path: Path, edition_date: date) -> StoredPage:
    data = _load_yaml(path)
    text = path.read_text(encoding="utf-8-sig")
    number = _int(data, "page", path, text)
    extras = []
    for item in data.get("extras") or []:
        if not (isinstance(item, dict) and isinstance(item.get("kind"), str)
                and isinstance(item.get("text"), str)):
            raise SitegenError("extras: every entry needs kind and text", path,
                               _key_line(text, "extras"))
        extras.append(Extra(item["kind"], item["text"]))
    groups = data.get("unassigned_bylines") or []
    line = _key_line(text, "unassigned_bylines")
    if not isinstance(groups, list):
        raise SitegenError("unassigned_bylines must be a list of byline lists", path, line)
    return StoredPage(
        date=edition_date,
        number=number,
        name=str(data.get("name") or ""),
        extras=extras,
        unassigned_bylines=[_bylines(g, "unassigned_bylines", path, line) for g in groups],
        source=str(data.get("source") or ""),
    )


def read_edition(folder: Path) -> Edition:
    """Every article and page file of one edition folder, pages and articles in order."""
    day = parse_date_dir(folder.name, folder)
    number = None
    edition_file = folder / EDITION_FILE
    if edition_file.exists():
        raw_number = _load_yaml(edition_file).get("number")
        if raw_number is not None and not isinstance(raw_number, int):
            raise SitegenError("number must be a whole number", edition_file, 1)
        number = raw_number
    pages: dict[int, StoredPage] = {}
    for path in sorted(folder.glob("page-*.yaml")):
        if PAGE_FILE.match(path.name):
            page = read_page_file(path, day)
            pages[page.number] = page
    by_page: dict[int, list[StoredArticle]] = {}
    for path in sorted(folder.glob("*.md")):
        if not ARTICLE_FILE.match(path.name):
            raise SitegenError("article files are named NN-KK-slug.md (page, order)", path)
        stored = read_article(path, day)
        by_page.setdefault(stored.page_number, []).append(stored)
    for number_, articles in by_page.items():
        if number_ not in pages:
            if pages:
                raise SitegenError(
                    f"unknown page number {number_}: this edition has pages "
                    f"{', '.join(str(n) for n in sorted(pages))} (page-NN.yaml)",
                    articles[0].path, _key_line(articles[0].path.read_text("utf-8-sig"), "page"))
            pages[number_] = StoredPage(date=day, number=number_, name=articles[0].page_name)
    edition_pages = [
        EditionPage(meta=pages[n], articles=sorted(by_page.get(n, []), key=lambda a: a.order))
        for n in sorted(pages)
    ]
    return Edition(date=day, number=number, pages=edition_pages)


def edition_dirs(content_dir: Path) -> list[Path]:
    """Imported edition folders, oldest first (`raw/` and dot-folders are not editions)."""
    if not content_dir.is_dir():
        return []
    out = []
    for path in sorted(content_dir.iterdir()):
        if not path.is_dir() or path.name == "raw" or path.name.startswith((".", "_")):
            continue
        parse_date_dir(path.name, path)
        out.append(path)
    return out


def load_editions(content_dir: Path) -> list[Edition]:
    return [read_edition(folder) for folder in edition_dirs(content_dir)]
