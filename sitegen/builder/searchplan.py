"""Which months and packs of search data a build makes again, and the work for them.

Why apart: the search data is the longest work of a build that adds or edits an article,
and the only one planned before the pages (so it starts first). A month's fingerprint is
known from the summaries alone; `plan_search` is a function of the site model and the
previous build's record, testable on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.builder.fingerprint import Fingerprinter, code_digest
from sitegen.builder.index import Index
from sitegen.builder.tasks import PackTask, SearchTask, Setup, TaskResult
from sitegen.output import BuildOutput
from sitegen.site.views import EditionView

if TYPE_CHECKING:
    from sitegen.search.assets import SegmentResult


class SearchPlan:
    """The months of search data and their packs: which the previous build's files still
    serve (their inputs' fingerprint is unchanged, and a month's parts are in the cache),
    and the work for the others. A pack's files are written once its months are made
    (`follow`), in `shares` tasks; `finish` writes the manifest once all is done."""

    def __init__(self, months: list[tuple[str, str]], stored: dict[str, tuple[str, Any]],
                 packs: dict[str, tuple[str, list[str]]], stored_packs: dict[str, list[str]],
                 make: Callable[[str], SearchTask], shares: int,
                 cache_dir: Path | None = None) -> None:
        self.months = months  # (key, fingerprint) in reading order
        self.cache_dir = cache_dir  # where the packs' directory entries wait
        self.stored = stored  # key -> (fingerprint, SegmentResult) of the months reused
        self.packs = packs  # pack -> (fingerprint, its months in order)
        self.stored_packs = stored_packs  # pack -> its files, for the packs reused
        self.make_month = make  # key -> the month's documents (without bodies)
        self.shares = shares
        self.made: dict[str, SegmentResult] = {}
        self.reused_files = [rel for _, seg in stored.values() for rel in seg.files] + [
            rel for files in stored_packs.values() for rel in files]
        self.todo = [key for key, _ in months if key not in stored]
        self.waiting = {pack: {m for m in members if m not in stored}
                        for pack, (_, members) in packs.items() if pack not in stored_packs}
        # packs whose months are all reused can be written at once
        self.todo += [item for pack in list(self.waiting) if not self.waiting[pack]
                      for item in self._pack_items(pack)]

    def _pack_items(self, pack: str) -> list[tuple[str, int]]:
        del self.waiting[pack]
        return [(pack, i) for i in range(self.shares)]

    def _pack_task(self, pack: str, share: tuple[int, int],
                   only: frozenset[str] | None = None) -> PackTask:
        """The task of `share` of `pack`'s files, from its months' parts as made or kept."""
        months = []
        for m in self.packs[pack][1]:
            seg = self.made[m] if m in self.made else self.stored[m][1]
            months.append((m, seg.digest))
        return PackTask(pack, months, share, only)

    def make(self, item: str | tuple[str, int]) -> SearchTask | PackTask:
        if isinstance(item, str):
            return self.make_month(item)
        pack, i = item
        return self._pack_task(pack, (i, self.shares))

    @staticmethod
    def is_pack(item: str | tuple[str, int]) -> bool:
        """A pack task's item (pack, share), not a month's (its key)."""
        return not isinstance(item, str)

    def follow(self, item: str | tuple[str, int], result: TaskResult) -> list[Any]:
        """The pack tasks a made month lets start (runs in the pool's result thread)."""
        if not isinstance(item, str) or result.segment is None:
            return []
        self.made[item] = result.segment
        ready = []
        for pack, missing in list(self.waiting.items()):
            missing.discard(item)
            if not missing:
                ready += self._pack_items(pack)
        return ready

    def redo(self, lost: list[str]) -> list[SearchTask | PackTask]:
        """Tasks for the reused months and packs that had a file in `lost` (gone from the
        previous build after it was checked)."""
        gone = set(lost)
        keys = sorted(key for key, (_, seg) in self.stored.items() if gone.intersection(seg.files))
        tasks: list[SearchTask | PackTask] = [self.make_month(key) for key in keys]
        for pack, files in self.stored_packs.items():
            missing = gone.intersection(files)
            if missing:
                tasks.append(self._pack_task(pack, (0, 1), frozenset(missing)))
        return tasks

    def finish(self, results: list[TaskResult], out: BuildOutput, project_root: Path | None,
               manifest: bool = True) -> dict[str, Any]:
        """Write lunr.js and the manifest (unless a partition's, whose merge writes it);
        returns what the next build compares with."""
        from sitegen.search.assets import write_manifest
        from sitegen.search.parts import PartsStore

        made = {r.segment.record["key"]: r.segment for r in results if r.segment is not None}
        kept: dict[str, tuple[str, SegmentResult]] = {}
        for key, digest in self.months:
            kept[key] = (digest, made[key] if key in made else self.stored[key][1])
        files: dict[str, list[str]] = {}
        for r in results:
            if r.pack is not None:
                files.setdefault(r.pack[0], []).extend(r.pack[1])
        packs = {pack: (digest, sorted(files[pack]) if pack in files and pack not in
                        self.stored_packs else self.stored_packs[pack])
                 for pack, (digest, _) in self.packs.items()}
        if manifest:
            write_manifest(out, project_root, [seg for _, seg in kept.values()],
                           store=PartsStore(self.cache_dir),
                           pack_files={pack: files for pack, (_, files) in packs.items()})
        return {"months": kept, "packs": packs}


def _months(editions: list[EditionView]) -> dict[str, list[EditionView]]:
    """The editions of each month of search data, in reading order."""
    from sitegen.search.shards import segment_key

    by_month: dict[str, list[EditionView]] = {}
    for ed in sorted(editions, key=lambda e: e.date):
        by_month.setdefault(segment_key(ed.iso), []).append(ed)
    return by_month


def _firsts(by_month: dict[str, list[EditionView]]) -> dict[str, tuple[int, int]]:
    """Each month's year and the number of its first document within that year."""
    firsts: dict[str, tuple[int, int]] = {}
    per_year: dict[int, int] = {}
    for key, editions in by_month.items():
        year = int(key[:4])
        first = per_year.get(year, 0)
        firsts[key] = (year, first)
        per_year[year] = first + sum(len(ed.articles) for ed in editions)
    return firsts


def _packs(months: list[tuple[str, str]], fp: Fingerprinter, base: str,
           pack_of: dict[str, str]) -> dict[str, tuple[str, list[str]]]:
    """Each pack's fingerprint and months (in order), from its months' fingerprints;
    `pack_of` names the pack of every month of the archive (the latest month decides)."""
    members: dict[str, list[str]] = {}
    for key, _ in months:
        members.setdefault(pack_of[key], []).append(key)
    fingerprint = dict(months)
    return {pack: (fp.digest(base, pack, [(m, fingerprint[m]) for m in keys]), keys)
            for pack, keys in members.items()}


def _reusable_months(months: list[tuple[str, str]], old_months: dict[str, Any],
                     store: Any) -> dict[str, tuple[str, Any]]:
    """The months whose fingerprint is the previous build's and whose parts are in the
    cache. Their files are not checked here (a year's are 20,000 stat calls before the
    first month can start): one gone from build/ since is reported by the task that links
    it, and the month is made again then (`SearchPlan.redo`). Their parts are: a pack may
    need them."""
    stored: dict[str, tuple[str, Any]] = {}
    for key, digest in months:
        known = old_months.get(key)
        if known is not None and known[0] == digest and store.digest(key) == known[1].digest:
            stored[key] = known
    return stored


def plan_search(index: Index, fp: Fingerprinter, previous: dict[str, Any] | None,
                inputs: list[object], words: tuple[str, ...], setup: Setup, shares: int,
                in_scope: Callable[[str], bool] | None = None) -> SearchPlan:
    """A month's search data depends on its articles (the edition digests cover their
    text, bylines, towns and pages; the URLs come from the slug memo), their numbering
    (`first`), the segmenter's words and `inputs` (search code, configuration, lunr.js);
    a pack's files on its months'. Unchanged months are reused without making a document
    or reading a body (their parts wait in the cache), unchanged packs are linked.
    `in_scope` (a partitioned build's step): only the months it accepts, and their packs."""
    from sitegen.search.documents import search_doc
    from sitegen.search.parts import PartsStore
    from sitegen.search.shards import pack_keys, segment_key

    old = previous or {}
    old_months = old.get("months", {}) if setup.previous is not None else {}
    old_packs = old.get("packs", {}) if setup.previous is not None else {}
    by_month = _months(index.site.editions)
    firsts = _firsts(by_month)
    base = fp.digest(code_digest(), inputs, words)
    months = [(key, fp.digest(base, key, firsts[key][1],
                              [(index.digest(ed.date), [v.url for v in ed.articles])
                               for ed in editions]))
              for key, editions in by_month.items()]
    # the archive's latest month decides (a partition's model holds only its year)
    latest = segment_key(index.latest.isoformat()) if index.latest is not None else None
    pack_of = pack_keys([key for key, _ in months], latest)
    if in_scope is not None:
        months = [(key, digest) for key, digest in months if in_scope(key)]
    stored = _reusable_months(months, old_months, PartsStore(setup.search_cache))
    packs = _packs(months, fp, base, pack_of)
    stored_packs = {pack: old_packs[pack][1] for pack, (digest, keys) in packs.items()
                    if pack in old_packs and old_packs[pack][0] == digest
                    and all(m in stored for m in keys)}

    def make(key: str) -> SearchTask:
        year, first = firsts[key]
        return SearchTask(key, year, first, [
            (index.folder(ed.date), index.digest(ed.date),
             [(view.key, search_doc(view)) for view in ed.articles]) for ed in by_month[key]],
            words)

    return SearchPlan(months, stored, packs, stored_packs, make, shares, setup.search_cache)
