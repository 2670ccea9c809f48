"""What a build must make, and what it can take from the previous build: a fingerprint per
output, compared with the last good build's record.

Why a module of its own: this is the decision an incremental build rests on ("equal
fingerprint, same bytes"), and it is a function of the site model, the fingerprint inputs
and the previous record alone, so it is testable without rendering anything. Archive-wide
pages are planned first (their work starts while the editions are planned), then each
edition: an edition whose key (everything its pages depend on) is unchanged is taken
whole, without planning a page.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2

from sitegen.builder.fingerprint import Fingerprinter, code_digest
from sitegen.builder.index import Index
from sitegen.builder.searchplan import SearchPlan
from sitegen.builder.state import EditionKeys, OutputRecord
from sitegen.builder.tasks import EditionTask, SharedTask, Task, chunks, weight
from sitegen.config import SiteConfig
from sitegen.render.pages import STYLESHEET
from sitegen.render.plans import (
    PagePlan,
    page_fingerprint,
    plan_edition,
    plan_front,
    plan_shared,
    template_digests,
)
from sitegen.resources import lunr_js_path
from sitegen.site import urls
from sitegen.site.model import site_info
from sitegen.site.views import Site

EDITION_TEMPLATES = ("edition.html", "page.html", "article.html")


def config_data(config: SiteConfig) -> list[object]:
    """What of the configuration an output may depend on (not where the site is)."""
    return [getattr(config, f.name) for f in dataclasses.fields(config) if f.compare]


def digest_bytes(items: Iterable[tuple[str, bytes]]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for name, data in items:
        h.update(name.encode() + b"\0" + hashlib.blake2b(data, digest_size=16).digest())
    return h.hexdigest()


@dataclass
class Inputs:
    """The parts of every fingerprint that do not depend on the page: code, configuration,
    templates, the stylesheet, lunr.js, and the segmenter."""

    fp: Fingerprinter
    base: str  # code, configuration, the site's info
    templates: dict[str, str]  # template name -> digest of its transitive source
    style: str
    lunr: str
    offline_base: str  # what every offline copy depends on besides its edition
    cut: str  # the segmenter's identity

    @classmethod
    def of(cls, config: SiteConfig, site: Site, env: jinja2.Environment,
           statics: dict[str, bytes], project_root: Path | None, cut: str) -> Inputs:
        fp = Fingerprinter()
        templates = template_digests(env)
        lunr = digest_bytes([("lunr.js", lunr_js_path(project_root).read_bytes())])
        return cls(
            fp=fp,
            base=fp.digest(code_digest(), config_data(config), site.info),
            templates=templates,
            style=digest_bytes([(STYLESHEET, statics.get(STYLESHEET, b""))]),
            lunr=lunr,
            offline_base=fp.digest(code_digest(), config_data(config),
                                   site_info(config, offline=True), sorted(templates.items()),
                                   digest_bytes(statics.items()), lunr, cut),
            cut=cut,
        )

    def page(self, plan: PagePlan) -> str:
        return page_fingerprint(plan, self.fp.digest, self.base, self.templates, self.style)


@dataclass
class OutputPlan:
    """Every output's fingerprint, and which of them the previous build's files serve."""

    previous: OutputRecord | None
    reusable: bool  # whether the previous build's files can be linked at all
    outputs: dict[str, str] = field(default_factory=dict)
    reuse: list[str] = field(default_factory=list)
    html_pages: int = 0
    shared_plans: list[PagePlan] = field(default_factory=list)  # every archive-wide page
    shared: list[PagePlan] = field(default_factory=list)  # those to render
    editions: EditionKeys = field(default_factory=dict)
    edition_work: dict[date, tuple[list[str], bool]] = field(default_factory=dict)

    def keep(self, rel: str, digest: str) -> bool:
        """Record `rel`'s fingerprint; True if the previous build's file can be reused
        (it is linked later, while the workers render)."""
        self.outputs[rel] = digest
        old = self.previous.outputs if self.previous is not None else {}
        if self.reusable and old.get(rel) == digest:
            self.reuse.append(rel)
            return True
        return False


def plan_archive_wide(plan: OutputPlan, site: Site, inputs: Inputs) -> None:
    """The front page and every archive-wide page (indexes, reporters, towns, archive):
    fingerprinted, those changed listed in `plan.shared`."""
    plan.shared_plans = [plan_front(site), *plan_shared(site)]
    for page in plan.shared_plans:
        plan.html_pages += 1
        if not plan.keep(page.url, inputs.page(page)):
            plan.shared.append(page)
        # An archive page's objects are its own (made for it: months, credits), and an
        # article is listed on few of them: kept across ten years of pages, the memo held
        # 370 MB when the editions' planning began, and left the parent 310 MB larger.
        inputs.fp.forget()


def shared_tasks(plan: OutputPlan, site: Site, n: int) -> list[SharedTask]:
    """The archive-wide pages to make, in tasks of similar cost for `n` workers, the
    biggest first."""
    return sorted((SharedTask(site.info, chunk) for chunk in chunks(plan.shared, n)),
                  key=lambda t: -sum(map(weight, t.plans)))


def plan_editions(plan: OutputPlan, index: Index, inputs: Inputs,
                  in_scope: Callable[[date], bool] | None = None) -> None:
    """Each edition's pages and offline copy: fingerprinted, those to make in
    `plan.edition_work`; `in_scope` (a partitioned build's step): only the editions of the
    days it accepts."""
    site = index.site
    old = plan.previous.outputs if plan.previous is not None else {}
    old_editions = plan.previous.editions if plan.previous is not None else {}
    fp = inputs.fp
    edition_templates = [inputs.templates.get(n) for n in EDITION_TEMPLATES]
    for ed in site.editions:
        if in_scope is not None and not in_scope(ed.date):
            continue
        links = index.links[ed.date]
        digest = index.digest(ed.date)
        # the copy's edition pages are the site's, less what only the site has: in the
        # site's section, which is the front page's for the latest edition
        zipped = not plan.keep(urls.download_url(ed.date),
                               fp.digest(inputs.offline_base, digest, links,
                                         ed.date == index.latest))
        # Everything an edition's own pages depend on: if it is as last time, so are their
        # fingerprints, and a year of unchanged editions is linked without planning a page.
        key = fp.digest(inputs.base, edition_templates, inputs.style, digest, links, ed.older,
                        ed.newer, ed.same_day, ed.date == index.latest)
        known = old_editions.get(ed.iso)
        if known is not None and known[0] == key and all(rel in old for rel in known[1]):
            plan.html_pages += len(known[1])
            render = [rel for rel in known[1] if not plan.keep(rel, old[rel])]
            plan.editions[ed.iso] = known
        else:
            render = []
            rels = []
            for page in plan_edition(site.info, ed, ed.date == index.latest,
                                     index.editions[ed.date].articles):
                plan.html_pages += 1
                rels.append(page.url)
                if not plan.keep(page.url, inputs.page(page)):
                    render.append(page.url)
            plan.editions[ed.iso] = (key, rels)
            fp.forget()  # this edition's views are not shown on any other edition's pages
        if render or zipped:
            plan.edition_work[ed.date] = (render, zipped)


def _edition_task(index: Index, day: date, render: Iterable[str], zipped: bool
                  ) -> EditionTask:
    ed = index.views[day]
    return EditionTask(index.folder(day), index.digest(day), ed.older, ed.newer,
                       day == index.latest, index.site.info,
                       index.slugs, frozenset(render), zipped, ed.same_day)


def edition_tasks(plan: OutputPlan, index: Index) -> list[EditionTask]:
    """One task per edition with work: its pages and its offline copy are one task, as
    they are rendered once for both."""
    return [_edition_task(index, day, render, zipped)
            for day, (render, zipped) in sorted(plan.edition_work.items())]


def lost_tasks(lost: list[str], plan: OutputPlan, index: Index, search: SearchPlan
               ) -> list[Task]:
    """Tasks that make `lost` (outputs expected in the previous build but missing there)."""
    by_url = {p.url: p for p in plan.shared_plans}
    pages: dict[date, set[str]] = {}
    zips: set[date] = set()
    redo_search = search.redo([rel for rel in lost if rel.startswith(urls.ASSETS_DIR + "/")])
    for rel in lost:
        if rel in by_url or rel.startswith(urls.ASSETS_DIR + "/"):
            continue
        if rel.startswith("downloads/"):
            zips.add(date.fromisoformat(rel.removeprefix("downloads/").removesuffix(".zip")))
        else:
            pages.setdefault(date.fromisoformat(rel[:10]), set()).add(rel)
    tasks: list[Task] = [
        *redo_search,
        SharedTask(index.site.info, [by_url[rel] for rel in lost if rel in by_url])]
    tasks += [_edition_task(index, day, pages.get(day, ()), day in zips)
              for day in sorted(set(pages) | zips)]
    return tasks
