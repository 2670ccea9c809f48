"""Rendering the site model into files: Jinja2 templates, article bodies, theme assets.

Templates are looked up in `config.theme_dirs` order (the site's override folder first,
then the built-in theme), so a site can replace any single template or static file.
Autoescaping is on and undefined variables are errors: a typo in an override template
fails the build instead of silently publishing an empty headline. Theme files (templates
and static files) must resolve inside the site or the built-in theme (`safepath`): they
are printed or published as they are.

Article bodies are stored as plain paragraphs (the content files hold them as minimal
Markdown, `markdown_text.py`) and printed as exactly that text: `paragraph_html` escapes
`&`, `<` and `>`, so anything that looks like a tag or a link in the paper's text,
`<script>` included, is printed as text, in one pass over it.

Page plans (which template renders which URL with what data) are made here from the site
model; templates only print. A plan's `context` is all the page-specific data its template
sees, as plain view objects, which is what lets the build fingerprint a page without
rendering it (`page_fingerprint`); an article page also names the article whose body it
prints, and the body is handed to `Renderer.render` only when the page is rendered.

An edition's pages are rendered once for the site and its offline copy together
(`Renderer.render_variants`): the two differ only where a template prints what the copy
does not have (the feed, the download, the neighbouring editions) or says it is the copy,
and templates mark those parts `{% call site_only() %}…{% endcall %}` and
`{% call offline_only() %}…{% endcall %}`. A theme that tells the two apart some other way
(reading `site.offline`, `site.feed_url`, or an edition's `download_url`, `older`, `newer`,
`steps` or `same_day` outside those parts) still gets the copy's page right: it is then
rendered on its own.
"""

from __future__ import annotations

import html
import os
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from sitegen.content.model import Article
from sitegen.errors import SitegenError
from sitegen.render import share
from sitegen.render.plans import (
    PagePlan,
)
from sitegen.safepath import files_under, require_inside
from sitegen.site.model import urls
from sitegen.site.views import Site, SiteInfo, cn_date, cn_month, weekday

LINK_MEMO = 256
"""Links remembered per folder (see `Renderer._linker`)."""

STYLESHEET = "style.css"
"""The theme's main stylesheet under `static/` (served as `assets/style.css`)."""
BUILD_ASSETS = frozenset({"lunr.js", "search-index.js", "search-fold.js", "search-client.js"})
"""Files under `assets/` that the build writes itself (search), not the theme's `static/`."""

# ------------------------------------------------------------------------------ bodies


def paragraph_html(text: str) -> str:
    """One plain-text paragraph as `<p>…</p>`: its line breaks as spaces, outer white space
    stripped, `&`, `<` and `>` escaped; nothing else is markup.

    This is the contract the content files are written with (`escape_paragraph`: the text
    renders as exactly itself), which Python-Markdown was used to fulfil. Markdown costs
    time proportional to the text's length for each escaped character in it (its inline
    processor rebuilds the string per match), so a body of 100,000 `*` took 21 s; this is
    one pass. tests/test_incremental.py checks it gives Markdown's bytes on the demo
    paragraphs and on random text, except where Markdown strays from the contract (it
    turns `<http://…>` and `<a@b.c>` into links, expands tabs and leaves `&9b1;` as is)."""
    line = " ".join(text.split("\n")).strip()
    return f"<p>{html.escape(line, quote=False)}</p>" if line else ""


def stanza_html(text: str) -> str:
    """A poem's stanza: its lines kept, as printed (plain text, escaped)."""
    return "<p>" + "<br>\n".join(str(escape(line)) for line in text.split("\n")) + "</p>"


def render_paragraphs(paragraphs: Sequence[str], dateline: str | None = None,
                      verse: bool = False) -> list[Markup]:
    """Each plain-text paragraph as one HTML block (a stanza with its line breaks when
    `verse`); the dateline (本报讯) opens the first, as in print."""
    out: list[Markup] = []
    for i, text in enumerate(paragraphs):
        block = stanza_html(text) if verse else paragraph_html(text)
        if i == 0 and dateline:
            # an ideographic space after 本报讯, as in print: it also keeps the words apart
            # in copied text and for screen readers
            mark = f'<span class="dateline">{escape(dateline)}</span>\u3000'
            block = ("<p>" + mark + block[3:]) if block.startswith("<p>") else (
                f"<p>{mark}</p>\n{block}")
        out.append(Markup(block))
    return out


@dataclass(frozen=True)
class BodyBlock:
    """One block of an article's text as the article page prints it, in order."""

    kind: str
    """`paragraph`, `stanza` (a poem's, line breaks kept) or `heading` (an intertitle)."""
    html: Markup


def body_blocks(article: Article) -> list[BodyBlock]:
    """The article's paragraphs (or stanzas) with its intertitles in place."""
    kind = "stanza" if article.verse else "paragraph"
    blocks = [BodyBlock(kind, html) for html in
              render_paragraphs(article.paragraphs, article.dateline, article.verse)]
    for heading in sorted(article.headings, key=lambda h: h.before, reverse=True):
        blocks.insert(heading.before, BodyBlock("heading", escape(heading.text)))
    return blocks


# ------------------------------------------------------------------------------ environment


class _ContainedLoader(jinja2.FileSystemLoader):
    """A file system loader that refuses a template whose file, symlinks resolved, lies
    outside `roots` (a symlinked `404.html -> /etc/passwd` would print that file)."""

    def __init__(self, searchpath: Path, roots: Sequence[Path]) -> None:
        super().__init__(str(searchpath), encoding="utf-8")
        self.roots = list(roots)

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            candidate = os.path.join(folder, *split_template_path(template))
            if os.path.isfile(candidate):
                require_inside(Path(candidate), self.roots, "template")
                break
        return super().get_source(environment, template)


def make_env(theme_dirs: Sequence[Path], roots: Sequence[Path] | None = None
             ) -> jinja2.Environment:
    """The templates of `theme_dirs` (earlier folders win); a template file must resolve
    inside `roots` (default: the theme folders themselves). An environment serves one
    build, which fingerprinted the templates as it began: a template is read once, and
    not checked for changes at every page (a `stat` a page, half a second of a year's
    build)."""
    allowed = list(theme_dirs if roots is None else roots)
    loader = jinja2.ChoiceLoader([_ContainedLoader(d / "templates", allowed) for d in theme_dirs])
    env = jinja2.Environment(
        loader=loader,
        auto_reload=False,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["weekday"] = weekday
    env.globals["cn_month"] = cn_month
    env.globals["absolute_url"] = urls.absolute_url
    env.globals["citation"] = share.citation_html
    env.globals["qr_svg"] = share.qr_svg
    env.globals["news_article_ld"] = lambda info, art, page, ed: share.json_ld(
        share.news_article(info, art, page, ed))
    env.globals["open_graph_tags"] = lambda info, art, page: share.meta_tags(
        share.open_graph(info, art, page))
    return env


def static_files(theme_dirs: Sequence[Path], roots: Sequence[Path] | None = None
                 ) -> dict[str, Path]:
    """Relative path under `static/` -> the file to copy; earlier theme dirs win. Every
    file (and folder) must resolve inside `roots` (default: the theme folders themselves):
    these files are published as they are."""
    allowed = list(theme_dirs if roots is None else roots)
    found: dict[str, Path] = {}
    for theme in reversed(list(theme_dirs)):
        root = theme / "static"
        if not root.is_dir():
            continue
        for path in files_under(root, allowed, "theme file"):
            found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))




def _template_frame(exc: BaseException, theme_dirs: Sequence[Path]) -> tuple[str, int] | None:
    """The innermost template file and line in `exc`'s traceback, if any."""
    roots = [str(d) for d in theme_dirs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and any(frame.filename.startswith(r) for r in roots):
            return frame.filename, frame.lineno or 0
    return None


def searched(folders: Iterable[Path]) -> str:
    """The folders a file was looked for in, for an error message: a missing folder says so
    (a theme name misspelt in sitegen.toml, an installation without its theme)."""
    return ", ".join(f"{f}" if f.is_dir() else f"{f} (no such folder)" for f in folders)


VARIANT_ATTRS = frozenset({"offline", "feed_url", "download_url", "older", "newer", "steps",
                           "same_day"})
"""What a page of the site and the same page in an offline copy differ by: the site's
`offline` and `feed_url`, an edition's `download_url`, `older`, `newer`, the steps to
other editions' 版 and the editions of the same day in other years."""
_SITE_ONLY, _SITE_END, _OFFLINE_ONLY, _OFFLINE_END = "s", "S", "o", "O"
_MARK = "\x00"
"""Marks the parts of a page rendered for both (`render_variants`) that only one of them
prints: NUL, which no content or configuration text may hold (checked all the same)."""


class _Variants:
    """The state of one render made for the site and its offline copy at once."""

    def __init__(self) -> None:
        self.depth = 0  # inside a site_only/offline_only part
        self.offline = False  # which kind of part, when inside one
        self.parts = 0
        self.mixed = False  # read something the two differ by outside those parts


class MissingAsset(LookupError):
    """A template asked `asset()` for a file no theme folder has (raised inside the
    template, so the error can name the template and line that asked)."""


def _template_error(exc: Exception, theme_dirs: Sequence[Path]) -> SitegenError:
    """Point a template failure at the template file and line an editor has to fix; a
    missing template is named with every folder it was looked for in."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return SitegenError(f"template error: {exc.message}", exc.filename or exc.name,
                            exc.lineno)
    where = _template_frame(exc, theme_dirs)
    if isinstance(exc, jinja2.TemplateNotFound):
        names = ", ".join(str(n) for n in exc.templates) if exc.templates else str(exc.name)
        return SitegenError(f"template not found: {names}; looked in: "
                            + searched(d / "templates" for d in theme_dirs), *(where or ()))
    return SitegenError(f"template error: {exc}", *(where or ()))


class Renderer:
    """Renders page plans of one site with one Jinja2 environment."""

    def __init__(self, site: Site | SiteInfo, theme_dirs: Sequence[Path],
                 env: jinja2.Environment | None = None,
                 bodies: dict[int, tuple[Article, list[BodyBlock]]] | None = None,
                 roots: Sequence[Path] | None = None):
        """`env` may be shared between renderers of the same theme (the published site and
        its offline copies) so templates are compiled once per build, and so may `bodies`,
        the cache of rendered article bodies. Theme files must resolve inside `roots`
        (default: the theme folders)."""
        self.info = site.info if isinstance(site, Site) else site
        self.theme_dirs = list(theme_dirs)
        self.roots = list(self.theme_dirs if roots is None else roots)
        self.env = env or make_env(self.theme_dirs, self.roots)
        self.bodies: dict[int, tuple[Article, list[BodyBlock]]] = {} if bodies is None else bodies
        self._style: Markup | bool | None = False
        self._links: dict[str, dict[str, Markup]] = {}
        self._assets: frozenset[str] | None = None
        self._variants: _Variants | None = None

    def _linker(self, plan: PagePlan) -> Callable[[str], str | Markup]:
        if plan.absolute_links:
            return lambda target: urls.absolute_url(self.info.base_url, target)
        # Links depend only on the page's folder; pages in one folder share the site-wide
        # ones (navigation, footer, assets), so they are remembered per folder.
        folder = plan.url.rpartition("/")[0]
        known = self._links.get(folder)
        if known is None:
            if len(self._links) > 64:
                self._links.clear()
            known = self._links[folder] = {}
        page = plan.url

        def link(target: str) -> Markup:
            # escaped once here, so the template's autoescape has nothing left to do
            found = known.get(target)
            if found is None:
                found = escape(urls.relative_url(page, target))
                # the site-wide links come first on every page; a reporter's list of
                # thousands of articles must not make the memo grow with the archive
                if len(known) < LINK_MEMO:
                    known[target] = found
            return found

        return link

    def inline_style(self) -> Markup | None:
        """The theme stylesheet for a `<style>` element (None if it cannot be inlined)."""
        if self._style is False:
            source = static_files(self.theme_dirs, self.roots).get(STYLESHEET)
            css = source.read_text(encoding="utf-8") if source is not None else None
            self._style = None if css is None or "</style" in css.lower() else Markup(css)
        return self._style  # type: ignore[return-value]

    def body(self, article: Article) -> list[BodyBlock]:
        """The article's text as HTML blocks, remembered for the renderer's lifetime (the
        published page and the offline copy's page print the same body)."""
        known = self.bodies.get(id(article))
        if known is not None and known[0] is article:
            return known[1]
        blocks = body_blocks(article)
        self.bodies[id(article)] = (article, blocks)
        return blocks

    def forget_bodies(self) -> None:
        self.bodies.clear()

    def _part(self, caller: Callable[[], str], offline: bool) -> str:
        """A part of a page only the site (`offline` False) or only an offline copy prints."""
        state = self._variants
        if state is None:
            return caller() if self.info.offline == offline else Markup("")
        if state.depth:  # inside another such part, which decides
            return caller() if state.offline == offline else Markup("")
        state.depth, state.offline = 1, offline
        try:
            body = caller()
        finally:
            state.depth = 0
        state.parts += 1
        start, end = (_OFFLINE_ONLY, _OFFLINE_END) if offline else (_SITE_ONLY, _SITE_END)
        return Markup(f"{_MARK}{start}{body}{_MARK}{end}")

    def _site_only(self, caller: Callable[[], str]) -> str:
        return self._part(caller, offline=False)

    def _offline_only(self, caller: Callable[[], str]) -> str:
        return self._part(caller, offline=True)

    def render_variants(self, plan: PagePlan, article: Article | None = None
                        ) -> tuple[str, str | None]:
        """The page of `plan` as this (published) site prints it, and as an offline copy
        of its edition prints it, from one render: the copy's page leaves out the parts
        marked `site_only` and keeps those marked `offline_only`. The copy's page is None
        when the templates read what the two differ by (`VARIANT_ATTRS`) outside those
        parts: it must then be rendered on its own (as the copy's site)."""
        state = _Variants()
        env = self.env
        base = type(env)

        def getattr_(obj: Any, attribute: str) -> Any:
            if attribute in VARIANT_ATTRS and not state.depth:
                state.mixed = True
            return base.getattr(env, obj, attribute)

        def getitem_(obj: Any, argument: Any) -> Any:
            if isinstance(argument, str) and argument in VARIANT_ATTRS and not state.depth:
                state.mixed = True
            return base.getitem(env, obj, argument)

        # the compiled templates look these up on the environment at every use
        env.getattr, env.getitem = getattr_, getitem_  # type: ignore[method-assign]
        self._variants = state
        try:
            text = self.render(plan, article)
        finally:
            self._variants = None
            del env.getattr, env.getitem
        pieces = text.split(_MARK)
        site, offline = [pieces[0]], [pieces[0]]
        expect = None
        for piece in pieces[1:]:
            kind, rest = piece[:1], piece[1:]
            if expect is None and kind == _SITE_ONLY:
                site.append(rest)
                expect = _SITE_END
            elif expect is None and kind == _OFFLINE_ONLY:
                offline.append(rest)
                expect = _OFFLINE_END
            elif kind == expect:
                site.append(rest)
                offline.append(rest)
                expect = None
            else:  # a NUL that is not ours: render both on their own
                return self.render(plan, article), None
        if expect is not None or len(pieces) != 2 * state.parts + 1:
            return self.render(plan, article), None
        return "".join(site), None if state.mixed else "".join(offline)

    def render(self, plan: PagePlan, article: Article | None = None) -> str:
        """The page of `plan`; `article` is the full article for a page that prints a body."""
        link = self._linker(plan)
        context: dict[str, Any] = {
            "site": self.info,
            "plan": plan,
            "title": plan.title,
            "section": plan.section,
            "crumbs": plan.crumbs,
            "link": link,
            "asset": lambda name: link(self._asset_url(name)),
            "urls": urls,
            "canonical": urls.absolute_url(self.info.base_url, plan.url)
            if plan.canonical else None,
            "stylesheet": STYLESHEET,
            "inline_style": self.inline_style() if plan.inline_style else None,
            "site_only": self._site_only,
            "offline_only": self._offline_only,
            **plan.context,
        }
        if plan.body is not None:
            if article is None:
                raise ValueError(f"{plan.url} prints an article body: pass the article")
            context["body"] = self.body(article)
            context["story"] = article
        try:
            return self.env.get_template(plan.template).render(context)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, self.theme_dirs) from exc
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            raise _template_error(exc, self.theme_dirs) from exc
        except MissingAsset as exc:
            where = _template_frame(exc, self.theme_dirs)
            raise SitegenError(str(exc), *(where or ())) from exc

    def _asset_url(self, name: str) -> str:
        """The site path of the asset `name`; a name no theme folder has (and the build
        does not write) is an error naming the folders searched, not a dead link."""
        if self._assets is None:
            self._assets = frozenset(static_files(self.theme_dirs)) | BUILD_ASSETS
        if name not in self._assets:
            raise MissingAsset(f"asset not found: {name}; looked in: "
                               + searched(d / "static" for d in self.theme_dirs))
        return urls.asset_url(name)

    def render_all(self, plans: Iterable[PagePlan],
                   articles: dict[tuple[str, int], Article] | None = None
                   ) -> Iterable[tuple[str, bytes]]:
        """(site path, bytes) of each plan; `articles` holds the bodies article pages need."""
        for plan in plans:
            article = articles.get(plan.body) if articles is not None and plan.body else None
            yield plan.url, self.render(plan, article).encode("utf-8")
