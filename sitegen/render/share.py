"""What an article page offers for sharing and citing: its QR code, its GB/T 7714 citation,
its `NewsArticle` structured data and Open Graph tags. All made at build time from the
article's view (so a page's fingerprint covers them), all text escaped where it is printed.

**Citation.** GB/T 7714—2015 (信息与文献 参考文献著录规则), 4.4 and 8.1: a newspaper article
is a 析出文献 of a 连续出版物, type 标识 `[N]`: `主要责任者. 题名[N]. 报纸名, 出版日期(版次).`
— the standard's own example is `丁文祥. 数字革命与竞争国际化[N]. 中国青年报, 2000-11-20(15).`
The 副题 is 其他题名信息, which the standard leaves to the citer; it is left out, as the
standard's examples and the usual databases do. Authors are written in full, separated by
`, `; more than three are cut to the first three and `, 等`. The 版次 is the page as
printed: `(15)` for a page numbered `15` (leading zeros dropped, as the standard writes page
numbers), `(A02)` for one with a section letter. The print form is cited (the digital
edition reproduces the printed page); the online form `[N/OL]` would also need the date
the reader looked at it.

**Authors.** The people credited for the text (记者, 通讯员, 作者, …); photographers (摄影,
图) only when no one else is credited (a photo story); wire copy without names is the
agency's. A brief without a title is cited by the title lists give it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

from markupsafe import Markup, escape

from sitegen.site import urls
from sitegen.site.views import ArticleView, EditionHead, PageHead, SiteInfo

PICTURE_ROLES = frozenset({"摄影", "图"})
AUTHORS_SHOWN = 3
"""GB/T 7714: up to three authors, then `等`."""


def authors(article: ArticleView) -> list[str]:
    """Who wrote the article, in byline order, each once (see the module docstring)."""
    writers = [p.name for g in article.bylines if g.role not in PICTURE_ROLES for p in g.people]
    names = writers or [p.name for g in article.bylines for p in g.people]
    return list(dict.fromkeys(names))


def page_number(label: str) -> str:
    """The 版次 as GB/T 7714 writes it: `01` is `1`, `A02` stays `A02`."""
    return str(int(label)) if label.isdigit() else label


def citation(article: ArticleView, paper: str) -> str:
    """The article as a GB/T 7714 reference: `朱晓雯, 钱蕾, 金佳豪. 一餐热饭里的幸福滋味[N].
    平湖日报, 2024-03-12(A02).`"""
    names = authors(article)
    if not names and article.agency:
        names = [article.agency]
    who = ", ".join(names[:AUTHORS_SHOWN]) + (", 等" if len(names) > AUTHORS_SHOWN else "")
    head = f"{who}. " if who else ""
    return (f"{head}{article.title}[N]. {paper}, {article.date.isoformat()}"
            f"({page_number(article.page)}).")


def citation_html(article: ArticleView, paper: str) -> Markup:
    """`citation`, escaped, with its date and 版次 kept on one line (`2024-03-` would
    otherwise end a line at its hyphen)."""
    text = citation(article, paper)
    tail = f"{article.date.isoformat()}({page_number(article.page)})."
    head = text[: -len(tail)]
    return Markup(f'{escape(head)}<span class="nowrap">{escape(tail)}</span>')


def news_article(info: SiteInfo, article: ArticleView, page: PageHead, edition: EditionHead
                 ) -> dict[str, object]:
    """schema.org `NewsArticle` of the article (JSON-LD), from its real fields: headline,
    dates, authors (with their pages here), the 版 as section and page, the paper."""
    url = urls.absolute_url(info.base_url, article.url)
    people = {p.name: p.url for g in article.bylines for p in g.people}
    names = authors(article)
    author: list[dict[str, object]] = []
    for name in names:
        person: dict[str, object] = {"@type": "Person", "name": name}
        if people.get(name):
            person["url"] = urls.absolute_url(info.base_url, people[name] or "")
        author.append(person)
    if not author and article.agency:
        author.append({"@type": "Organization", "name": article.agency})
    paper = {"@type": "Organization", "name": info.name,
             "url": urls.absolute_url(info.base_url, urls.FRONT)}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.date.isoformat(),
        "inLanguage": info.language,
        "articleSection": page.name or page.label,
        "printSection": page.name or page.label,
        "printPage": article.page,
        "publisher": paper,
        "isPartOf": {
            "@type": "PublicationIssue",
            "datePublished": edition.date.isoformat(),
            "url": urls.absolute_url(info.base_url, edition.url),
            **({"issueNumber": str(edition.number)} if edition.number else {}),
            "isPartOf": {"@type": "Periodical", "name": info.name},
        },
    }
    if author:
        data["author"] = author
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    if article.lede:
        data["description"] = article.lede
    return data


def json_ld(data: object) -> Markup:
    """`data` as the text of a `<script type="application/ld+json">`: `<`, `>` and `&` as
    JSON escapes, so no `</script>` in an article's text can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def open_graph(info: SiteInfo, article: ArticleView, page: PageHead
               ) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the article's Open Graph and Twitter card tags: a
    shared link shows the headline, the opening words and the paper, without an image."""
    url = urls.absolute_url(info.base_url, article.url)
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", info.name),
        ("property", "og:title", article.title),
        ("property", "og:url", url),
        ("property", "og:locale", info.language.replace("-", "_")),
        ("property", "article:published_time", article.date.isoformat()),
        ("property", "article:section", page.name or page.label),
    ]
    if article.lede:
        tags.append(("property", "og:description", article.lede))
    tags += [("name", "twitter:card", "summary"), ("name", "twitter:title", article.title)]
    if article.lede:
        tags.append(("name", "twitter:description", article.lede))
    return tags


QR_QUIET = 4
"""Modules of white border around a QR code: the standard's quiet zone."""


class _RunText(dict[int, str]):
    """The path text of one run of dark modules, by its key `(dx + 256) << 18 | dy << 9 | n`
    (a relative move, then a line of n modules): a code is ~300 runs of ~160 different
    shapes, and a dict lookup per run takes half the time of formatting three numbers per
    run (`qr_svg`'s Python side went from 86 to 52 µs a code)."""

    def __missing__(self, key: int) -> str:
        text = self[key] = f"m{(key >> 18) - 256} {(key >> 9) & 511}h{key & 511}"
        return text


_RUN_TEXT = _RunText()


@lru_cache(maxsize=512)
def qr_svg(text: str, label: str) -> Markup:
    """`text` as a QR code (error correction level M), an inline SVG image labelled `label`:
    one stroked path through the dark modules, row by row (relative moves keep it near
    3 kB), black on white in every colour scheme (scanners expect dark on light). Made by
    zxing-cpp's writer in about 0.3 ms: the pure-Python encoders took 10 ms, 200 s of a
    year's 20,000 articles. Remembered: an edition's worker prints the same article in the
    site and in the offline copy."""
    import numpy as np
    import zxingcpp

    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    dark = np.asarray(code.to_image(scale=1, add_quiet_zones=False)) < 128
    size = dark.shape[0]
    edges = np.zeros((size, size + 2), dtype=np.int8)
    edges[:, 1:-1] = dark
    rows, cols = np.nonzero(np.diff(edges, axis=1))  # run starts and ends, row by row
    rows, starts, ends = rows[0::2], cols[0::2], cols[1::2]
    # each run a relative move from the end of the one before (`m dx dy`), then its length
    # (`h n`); a QR code is at most 177 modules wide, so each number fits in nine bits
    dx = starts.astype(np.int64)
    dx[1:] -= ends[:-1]
    dy = rows.astype(np.int64)
    dy[1:] -= rows[:-1]
    keys = ((dx + 256) << 18) | (dy << 9) | (ends - starts)
    path = "".join(map(_RUN_TEXT.__getitem__, keys.tolist()))
    side = size + 2 * QR_QUIET
    first = f"M{QR_QUIET} {QR_QUIET + 0.5}"
    return Markup(
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path stroke="#000" d="{first}{path}"/></svg>')


def meta_tags(tags: Sequence[tuple[str, str, str]]) -> Markup:
    """The `<meta>` elements of `open_graph`'s tags, escaped."""
    return Markup("\n".join(f'<meta {a}="{escape(n)}" content="{escape(c)}">'
                            for a, n, c in tags))
