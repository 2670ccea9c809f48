"""The editable content files: one Markdown file per article, one YAML file per page.

Layout under `content/YYYY-MM-DD/`:
  `NN-KK-slug.md`  article KK of page NN (or `A01-KK-slug.md`: pages are labelled `NN` or a
                   letter and `NN`, see `sitegen.text.labels`): YAML front matter + paragraphs
                   as Markdown, intertitles as `##` headings
  `page-NN.yaml`    page NN: its name, extras (weather box, notices, ads), unassigned
                    bylines, continuations of stories jumped from another page, source
  `edition.yaml`    the edition number

Front matter is read with python-frontmatter (YAML, with libyaml's C loader when PyYAML
has it: a year of the paper is 20,000 files and the pure-Python loader is most of the time
of reading them). Reading validates every field and reports the file and line of a
problem, because an editor may have typed anything: text fields must be YAML strings (an
unquoted `title: yes` is a boolean, `.nan` a float: printed, they would read "True" and
"nan"), titles, roles and names must not be blank, no text may hold a character HTML or the
feed's XML cannot carry, two articles of a page cannot share an order, an edition must
have an article, and a file over `MAX_FILE_BYTES` is refused before it is parsed.

Besides the full `Edition`, reading gives an `EditionMeta`: the same edition without the
article bodies (only the opening of each, for teasers). Listings that span the archive
(reporters, towns, archive, feeds) are built from these, so a build never needs every body
of a ten-year archive in memory at once; see `cache.py` for how both are kept between builds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import YAMLHandler

from sitegen.content.markdown_text import body_to_markdown, markdown_to_body
from sitegen.content.model import (
    KINDS,
    Article,
    Byline,
    ContinuationRef,
    Dropped,
    Edition,
    EditionPage,
    Extra,
    Heading,
    Quote,
    StoredArticle,
    StoredPage,
)
from sitegen.content.names import ARTICLE_FILE, EDITION_FILE, PAGE_FILE, parse_date_dir
from sitegen.errors import SitegenError
from sitegen.safepath import require_entries_inside, require_inside
from sitegen.text.labels import is_label, sort_key
from sitegen.text.rawtext import UNPRINTABLE

MAX_FILE_BYTES = 512 * 1024
"""The largest content file read: an article is a few KB and a whole page's text 20-30 KB."""

_FRONT_MATTER_KEYS = (
    "kind", "kicker", "title", "subtitle", "dateline", "agency", "date", "page", "pages",
    "page_name", "column", "order", "bylines", "towns", "captions", "video", "lead",
    "editor_note", "quotes", "continued_from", "continued_to", "verse", "source",
    "source_lines",
)
"""In the order they are written. `source` is the raw file the article was imported from;
the wire agency a story is from (the parse's `source`) is written `agency`."""
OPTIONAL_KEYS = ("agency", "pages", "column", "lead", "editor_note", "quotes",
                 "continued_from", "continued_to", "verse")
"""Written only when set, so a plain story's file stays as short as it always was."""


YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader (about 10x faster) when PyYAML was built with it; same results."""


class _FastYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler, loading with `YAML_LOADER` what this process
    has not just written (`_JustWritten`)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        # (`fm` is what follows the opening `---`: its line break, then the YAML; loaded
        # whole, so an error's line counts from the file's first)
        return _load(fm, written=fm[1:] if fm.startswith("\n") else fm)


_FRONT_MATTER = _FastYAMLHandler()


_C_DUMPER = getattr(yaml, "CSafeDumper", None)
_C_SAFE_TEXT = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")
"""Text that libyaml's emitter writes byte for byte as PyYAML's Python emitter does. Outside
it (characters beyond U+FFFF such as CJK Extension B names or emoji, the U+0085/U+2028/U+2029
line breaks, a BOM, control characters) libyaml escapes differently, so such data goes
through the Python emitter and the files stay the same whichever is installed."""


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings(value)


def _yaml_dump(data: Any) -> str:
    """YAML for the files an editor reads. libyaml (`CSafeDumper`) when the text allows it:
    the Python emitter takes a third of the time of a year's import."""
    if _C_DUMPER is not None and all(_C_SAFE_TEXT.fullmatch(s) for s in _strings(data)):
        text = yaml.dump(data, Dumper=_C_DUMPER, allow_unicode=True, sort_keys=False,
                         width=1000)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    _JUST_WRITTEN.remember(text, data)
    return text


def _as_loaded(data: Any) -> Any:
    """`data` as YAML reads it back: lists for tuples, fresh containers."""
    if isinstance(data, dict):
        return {key: _as_loaded(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_as_loaded(value) for value in data]
    return data


class _JustWritten:
    """The data of the YAML texts this process dumped last, by text, each given back once.

    `sitegen build` imports an edition and reads its files back at once, in the same
    worker (`content_reader`): loading the front matter it has just dumped was half the
    reading, about 2 of 5 s of one core a year (`bench/stages.py`). A text that is found
    here is exactly one `_yaml_dump` wrote, so its data is what loading it gives (the
    dumper's round trip, tested on every file of the fixture edition and on texts either
    emitter writes); any other text, an editor's edit for one, is loaded. A cache:
    bounded, and its answers never differ from loading."""

    SIZE = 512
    """Texts kept: an edition writes about fifty and reads them back before the next."""

    def __init__(self) -> None:
        self._data: dict[str, Any] = {}

    def remember(self, text: str, data: Any) -> None:
        self._data.pop(text, None)
        self._data[text] = _as_loaded(data)
        if len(self._data) > self.SIZE:
            del self._data[next(iter(self._data))]

    def take(self, text: str) -> Any:
        """The data `text` was dumped from (once), else None."""
        return self._data.pop(text, None)


_JUST_WRITTEN = _JustWritten()


def _load(text: str, written: str | None = None) -> Any:
    """`text` loaded as YAML (`YAML_LOADER`), unless this process has just dumped it (as
    `written`, when the YAML in `text` does not start at its start)."""
    known = _JUST_WRITTEN.take(text if written is None else written)
    return known if known is not None else yaml.load(text, Loader=YAML_LOADER)


# ------------------------------------------------------------------------------- writing


def label_value(label: str) -> str | int:
    """A page label as the files write it: a plain number (`page: 1`) as sites numbered
    their pages before labels had letters, so their files stay as they were; else the label
    (`page: C01`)."""
    return int(label) if label.isdigit() else label


def article_file_name(page: str, order: int, slug: str) -> str:
    return f"{page}-{order:02d}-{slug}.md"


def article_to_markdown(
    article: Article, *, day: date, page: str, page_name: str, order: int, source: str,
    pages: tuple[str, ...] = (),
) -> str:
    values: dict[str, Any] = {
        "kind": article.kind,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "dateline": article.dateline,
        "agency": article.source,
        "date": day,
        "page": label_value(page),
        "pages": [label_value(p) for p in pages] if len(pages) > 1 else None,
        "page_name": page_name,
        "column": article.column,
        "order": order,
        "bylines": [b.to_dict() for b in article.bylines],
        "towns": list(article.towns),
        "captions": list(article.captions),
        "video": article.video,
        "lead": article.lead,
        "editor_note": article.editor_note,
        "quotes": [q.to_dict() for q in article.quotes],
        "continued_from": article.continued_from,
        "continued_to": article.continued_to,
        "verse": article.verse,
        "source": source,
        "source_lines": list(article.source_lines),
    }
    meta = {key: value for key, value in values.items()
            if key not in OPTIONAL_KEYS or value not in (None, [], False)}
    body = body_to_markdown(article.paragraphs, article.headings, verse=article.verse)
    return "---\n" + _yaml_dump(meta) + "---\n\n" + body


def page_to_yaml(page: StoredPage) -> str:
    data: dict[str, Any] = {
        "page": label_value(page.label),
        "name": page.name,
        "source": page.source,
        "extras": [e.to_dict() for e in page.extras],
        "unassigned_bylines": [[b.to_dict() for b in g] for g in page.unassigned_bylines],
    }
    if page.continuations:
        data["continuations"] = [c.to_dict() for c in page.continuations]
    if page.dropped:
        data["dropped"] = [d.to_dict() for d in page.dropped]
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


def _decode(path: Path, data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise SitegenError(f"too large: {len(data):,} bytes (an article is a few KB; at most "
                           f"{MAX_FILE_BYTES:,} bytes are read)", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SitegenError("not UTF-8 text", path) from exc
    bad = UNPRINTABLE.search(text)
    if bad:
        raise SitegenError(f"control character U+{ord(bad.group()):04X}: not allowed in "
                           f"published text", path, text.count("\n", 0, bad.start()) + 1)
    return text


def _printable(data: dict, path: Path, text: str) -> None:
    """No string in `data` holds a character HTML or XML cannot carry (YAML's escapes,
    `"\\0"`, make them without one being in the file)."""
    for key, value in data.items():
        for s in _strings(value):
            bad = UNPRINTABLE.search(s)
            if bad:
                raise SitegenError(f"{key}: control character U+{ord(bad.group()):04X}: not "
                                   f"allowed in published text", path, _key_line(text, key))


def _load_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str, str]:
    if not text.startswith("---"):
        raise SitegenError("missing front matter (the file must start with ---)", path, 1)
    try:
        metadata, content = frontmatter.parse(text, handler=_FRONT_MATTER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise SitegenError(f"broken front matter: {problem}", path, line) from exc
    if not isinstance(metadata, dict) or not metadata:
        raise SitegenError("broken front matter: expected key: value pairs", path, 1)
    return metadata, content, text


def _opt_str(meta: dict, key: str, path: Path, text: str) -> str | None:
    """A text field: a YAML string, or nothing. Anything YAML types otherwise is refused
    rather than printed as Python spells it (`yes` → True, `.nan` → nan, `1_000` → 1000)."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SitegenError(f"{key} must be text (YAML read {_yaml_shown(value)}: put the text "
                           f"in quotes)", path, _key_line(text, key))
    return value


def _yaml_shown(value: Any) -> str:
    kind = {bool: "a true/false value", int: "a number", float: "a number"}.get(type(value))
    return kind or f"a {type(value).__name__}"


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
    for n, item in enumerate(value, start=1):
        if not (isinstance(item, dict) and isinstance(item.get("role"), str)
                and isinstance(item.get("name"), str)):
            raise SitegenError(f"{key}: every entry needs a role and a name (text)", path, line)
        for field in ("role", "name"):
            if not item[field].strip():
                raise SitegenError(f"{key}: entry {n} has an empty {field}", path, line)
        out.append(Byline(item["role"], item["name"]))
    return out


def _label(meta: dict, key: str, path: Path, text: str) -> str:
    """A page label: `A01`, `01`, or a number as older files wrote it (`page: 1`)."""
    value = meta.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100:
        return f"{value:02d}"
    if isinstance(value, str) and is_label(value):
        return value
    raise SitegenError(f"{key} must be a page label like 01 or A01", path, _key_line(text, key))


def _labels(meta: dict, key: str, path: Path, text: str) -> tuple[str, ...]:
    value = meta.get(key) or []
    if not isinstance(value, list):
        raise SitegenError(f"{key} must be a list of page labels", path, _key_line(text, key))
    return tuple(_label({key: v}, key, path, text) for v in value)


def _bool(meta: dict, key: str, path: Path, text: str) -> bool:
    value = meta.get(key, False)
    if not isinstance(value, bool):
        raise SitegenError(f"{key} must be true or false", path, _key_line(text, key))
    return value


def _quotes(meta: dict, path: Path, text: str) -> list[Quote]:
    value = meta.get("quotes") or []
    line = _key_line(text, "quotes")
    if not isinstance(value, list):
        raise SitegenError("quotes must be a list of text/source pairs", path, line)
    out = []
    for item in value:
        if not (isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"]
                and isinstance(item.get("source"), str | None)):
            raise SitegenError("quotes: every entry needs a text (and may name a source)",
                               path, line)
        out.append(Quote(item["text"], item.get("source")))
    return out


def _int(meta: dict, key: str, path: Path, text: str) -> int:
    value = meta.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SitegenError(f"{key} must be a positive whole number", path, _key_line(text, key))
    return value


def read_article(path: Path, edition_date: date) -> StoredArticle:
    return parse_article(path, path.read_bytes(), edition_date)


def _kind_and_title(meta: dict, path: Path, text: str) -> tuple[str, str | None]:
    """The kind, and a title every kind needs but a brief (which may be printed without)."""
    kind = meta.get("kind", "news")
    if kind not in KINDS:
        raise SitegenError(f"kind must be one of {', '.join(KINDS)}", path, _key_line(text, "kind"))
    title = _opt_str(meta, "title", path, text)
    if not title and kind != "brief":
        raise SitegenError("missing title", path, _key_line(text, "title"))
    if title is not None and not title.strip():
        raise SitegenError("blank title", path, _key_line(text, "title"))
    return kind, title


def _check_date(meta: dict, edition_date: date, path: Path, text: str) -> None:
    day = meta.get("date", edition_date)
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            day = None
    if day != edition_date:
        raise SitegenError(f"date must be {edition_date.isoformat()} (the edition folder)",
                           path, _key_line(text, "date"))


def _source_lines(meta: dict, path: Path, text: str) -> list[int]:
    lines = meta.get("source_lines") or [0, 0]
    if not (isinstance(lines, list) and len(lines) == 2 and all(isinstance(n, int) for n in lines)):
        raise SitegenError("source_lines must be [first, last]", path,
                           _key_line(text, "source_lines"))
    return lines


def parse_article(path: Path, data: bytes, edition_date: date) -> StoredArticle:
    """The article file `path` whose bytes are `data` (the cache hands in bytes it read)."""
    meta, body, text = _load_front_matter(path, _decode(path, data))
    unknown = sorted(set(meta) - set(_FRONT_MATTER_KEYS))
    if unknown:
        raise SitegenError(f"unknown front matter key {unknown[0]!r}", path,
                           _key_line(text, unknown[0]))
    _printable(meta, path, text)
    kind, title = _kind_and_title(meta, path, text)
    _check_date(meta, edition_date, path, text)
    lines = _source_lines(meta, path, text)
    verse = _bool(meta, "verse", path, text)
    paragraphs, headings = markdown_to_body(body, verse=verse)
    article = Article(
        kind=kind,
        kicker=_opt_str(meta, "kicker", path, text),
        title=title,
        subtitle=_opt_str(meta, "subtitle", path, text),
        dateline=_opt_str(meta, "dateline", path, text),
        bylines=_bylines(meta.get("bylines"), "bylines", path, _key_line(text, "bylines")),
        paragraphs=paragraphs,
        captions=_str_list(meta, "captions", path, text),
        video=_bool(meta, "video", path, text),
        towns=_str_list(meta, "towns", path, text),
        source_lines=(lines[0], lines[1]),
        lead=_opt_str(meta, "lead", path, text),
        editor_note=_opt_str(meta, "editor_note", path, text),
        column=_opt_str(meta, "column", path, text),
        source=_opt_str(meta, "agency", path, text),
        headings=[Heading(before, heading) for before, heading in headings],
        quotes=_quotes(meta, path, text),
        continued_to=_opt_str(meta, "continued_to", path, text),
        continued_from=_opt_str(meta, "continued_from", path, text),
        verse=verse,
    )
    page = _label(meta, "page", path, text)
    pages = _labels(meta, "pages", path, text)
    if pages and pages[0] != page:
        raise SitegenError(f"pages must start with the article's own page ({page})", path,
                           _key_line(text, "pages"))
    return StoredArticle(
        article=article,
        date=edition_date,
        page=page,
        page_name=_opt_str(meta, "page_name", path, text) or "",
        order=_int(meta, "order", path, text),
        source=_opt_str(meta, "source", path, text) or "",
        path=path,
        pages=pages if len(pages) > 1 else (),
    )


def _load_yaml(path: Path, text: str | None = None) -> dict[str, Any]:
    if text is None:
        text = _decode(path, path.read_bytes())
    try:
        data = _load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SitegenError(f"broken YAML: {getattr(exc, 'problem', exc)}", path,
                           mark.line + 1 if mark else None) from exc
    if not isinstance(data, dict):
        raise SitegenError("expected key: value pairs", path, 1)
    return data


def _continuations(data: dict, path: Path, text: str) -> list[ContinuationRef]:
    value = data.get("continuations") or []
    line = _key_line(text, "continuations")
    if not isinstance(value, list):
        raise SitegenError("continuations must be a list", path, line)
    out = []
    for item in value:
        lines = item.get("source_lines") if isinstance(item, dict) else None
        if not (isinstance(item, dict) and isinstance(item.get("continued_from"), str)
                and is_label(item["continued_from"]) and isinstance(item.get("article"), str)
                and ARTICLE_KEY.fullmatch(item["article"])
                and isinstance(item.get("title"), str | None)
                and isinstance(item.get("repeated_title"), str | None)
                and (lines is None or (isinstance(lines, list) and len(lines) == 2
                                       and all(isinstance(n, int) for n in lines)))):
            raise SitegenError("continuations: every entry needs continued_from (a page "
                               "label) and article (its key, like A01-03)", path, line)
        out.append(ContinuationRef(
            item["continued_from"], item["article"], item.get("title"),
            item.get("repeated_title"), tuple(lines) if lines else (0, 0)))  # type: ignore[arg-type]
    return out


def _dropped(data: dict, path: Path, text: str) -> list[Dropped]:
    value = data.get("dropped") or []
    if not isinstance(value, list) or not all(
            isinstance(d, dict) and isinstance(d.get("line"), int)
            and isinstance(d.get("text"), str) and isinstance(d.get("reason"), str)
            for d in value):
        raise SitegenError("dropped: every entry needs line, text and reason", path,
                           _key_line(text, "dropped"))
    return [Dropped(d["line"], d["text"], d["reason"]) for d in value]


ARTICLE_KEY = re.compile(r"[A-Z]?[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_page_file(path: Path, raw: bytes, edition_date: date) -> StoredPage:
    text = _decode(path, raw)
    data = _load_yaml(path, text)
    _printable(data, path, text)
    label = _label(data, "page", path, text)
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
        label=label,
        name=str(data.get("name") or ""),
        extras=extras,
        unassigned_bylines=[_bylines(g, "unassigned_bylines", path, line) for g in groups],
        source=str(data.get("source") or ""),
        continuations=_continuations(data, path, text),
        dropped=_dropped(data, path, text),
    )


def parse_edition_number(path: Path, raw: bytes) -> int | None:
    text = _decode(path, raw)
    number = _load_yaml(path, text).get("number")
    if number is not None and (not isinstance(number, int) or isinstance(number, bool)
                               or number < 1):
        raise SitegenError("number must be a positive whole number (the edition number, 期号)",
                           path, _key_line(text, "number"))
    return number


FileReader = Callable[[Path, Callable[[Path, bytes], Any]], Any]
"""`(path, parse) -> parse(path, bytes of path)`: how `read_edition` reads each file. The
content cache passes one that returns the previous result for a file that has not changed."""


def _read_plain(path: Path, parse: Callable[[Path, bytes], Any]) -> Any:
    return parse(path, path.read_bytes())


def read_edition(folder: Path, reader: FileReader | None = None,
                 roots: Sequence[Path] | None = None,
                 listing: Sequence[str] | None = None) -> Edition:
    """Every article and page file of one edition folder, pages and articles in order.

    `roots`: the folder and its symlinks must resolve inside them (`safepath`). `listing`:
    the folder's file names, when the files are not on disk yet (`reader` then serves
    them; `sitegen check` validates what an import would write this way)."""
    read = reader or _read_plain
    day = parse_date_dir(folder.name, folder)
    if roots is not None:
        require_entries_inside(folder, roots, "content file")
    names = sorted(listing if listing is not None else (p.name for p in folder.iterdir()))
    number = None
    if EDITION_FILE in names:
        number = read(folder / EDITION_FILE, parse_edition_number)
    pages: dict[str, StoredPage] = {}
    for name in names:
        match = PAGE_FILE.match(name)
        if match:
            path = folder / name
            page = read(path, lambda p, raw: parse_page_file(p, raw, day))
            if page.label != match["label"]:
                raise SitegenError(f"page must be {match['label']} (the file name)", path,
                                   _file_key_line(path, "page"))
            pages[page.label] = page
    by_page: dict[str, list[StoredArticle]] = {}
    for name in names:
        if not name.endswith(".md"):
            continue
        path = folder / name
        if not ARTICLE_FILE.match(name):
            raise SitegenError("article files are named NN-KK-slug.md or A01-KK-slug.md "
                               "(page label, order)", path)
        stored = read(path, lambda p, raw: parse_article(p, raw, day))
        by_page.setdefault(stored.page, []).append(stored)
    if not by_page:
        raise SitegenError("no articles in this edition: delete the folder to unpublish the "
                           "edition, or re-import it (`sitegen import DATE --force`)", folder)
    for label, articles in by_page.items():
        if label not in pages:
            if pages:
                raise SitegenError(
                    f"unknown page {label}: this edition has pages "
                    f"{', '.join(sorted(pages, key=sort_key))} (page-NN.yaml)",
                    articles[0].path, _file_key_line(articles[0].path, "page"))
            pages[label] = StoredPage(date=day, label=label, name=articles[0].page_name)
        taken: dict[int, StoredArticle] = {}
        for stored in articles:
            other = taken.setdefault(stored.order, stored)
            if other is not stored:
                raise SitegenError(
                    f"order {stored.order} is also the order of {other.path.name}: two "
                    f"articles cannot share a place on page {label}", stored.path,
                    _file_key_line(stored.path, "order"))
    edition_pages = [
        EditionPage(meta=pages[label],
                    articles=sorted(by_page.get(label, []), key=lambda a: a.order))
        for label in sorted(pages, key=sort_key)
    ]
    return Edition(date=day, number=number, pages=edition_pages)


def _file_key_line(path: Path, key: str) -> int | None:
    """The line of `key:` in the file at `path` (None if it cannot be read again)."""
    try:
        return _key_line(path.read_text("utf-8-sig"), key)
    except (OSError, UnicodeDecodeError):
        return None


def edition_dirs(content_dir: Path, roots: Sequence[Path] | None = None) -> list[Path]:
    """Imported edition folders, oldest first (`raw/` and dot-folders are not editions).
    With `roots`, a folder that is a symlink must resolve inside them (`safepath`)."""
    if not content_dir.is_dir():
        return []
    if roots is not None:
        require_inside(content_dir, roots, "content folder")
    out = []
    for path in sorted(content_dir.iterdir()):
        if not path.is_dir() or path.name == "raw" or path.name.startswith((".", "_")):
            continue
        parse_date_dir(path.name, path)
        if roots is not None and path.is_symlink():
            require_inside(path, roots, "edition folder")
        out.append(path)
    return out


def load_editions(content_dir: Path) -> list[Edition]:
    return [read_edition(folder) for folder in edition_dirs(content_dir)]
