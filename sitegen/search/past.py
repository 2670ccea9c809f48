"""The completed years' packs joined: one file per heavy term, one per field's lengths.

A browser pays for every file it loads from disk, apart from its bytes: at ten years a
Chromium trace of `高质量发展` spent about 1.5 ms of the page's main thread on each of its 45
data files just to ask for it, and a common term's heavy postings come from every year's
pack. A completed year's pack never changes (only an edit to an old article remakes it),
so `search/past/h/<hex>.js` holds a heavy term's parts of every completed year (their
packs' `h/<hex>.js`, concatenated in pack order: each line names its month), and
`search/past/len-<f>.js` their lengths of field f. The client asks for those instead of a
file per year (`manifest.past`: the packs joined); the packs' own files stay, since the
packs are made (and partitions published) a year at a time, and the joined files are made
from them.

Joined only with two completed years or more: one would be its own copy.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence

from sitegen.output import BuildOutput

PAST_DIR = "assets/search/past"


def past_packs(years: Mapping[str, int], latest_year: int) -> list[str]:
    """The packs to join (`years`: each pack's year, in the manifest's pack order): those of
    the years before `latest_year`, when there are two or more."""
    past = [pack for pack, year in years.items() if year < latest_year]
    return past if len(past) >= 2 else []


def past_digest(packs: Sequence[tuple[str, str]]) -> str:
    """What the joined files depend on: the joined packs' names and digests, in order."""
    return hashlib.sha256(json.dumps(list(packs)).encode()).hexdigest() if packs else ""


def joined_files(past: Sequence[str], pack_files: Mapping[str, Sequence[str]]
                 ) -> dict[str, list[str]]:
    """Each joined file (relative to the output root) and the packs' files it is made of,
    in pack order: a heavy term's `h/<hex>.js` of every pack that has it, and every pack's
    `len-<f>.js`."""
    joined: dict[str, list[str]] = {}
    for pack in past:
        prefix = f"assets/search/{pack}/"
        for rel in pack_files[pack]:
            name = rel[len(prefix):]
            if name.startswith(("h/", "len-")):
                joined.setdefault(f"{PAST_DIR}/{name}", []).append(rel)
    return dict(sorted(joined.items()))


def write_past(output: BuildOutput, joined: Mapping[str, Sequence[str]], digest: str,
               previous_digest: str | None, read: Callable[[str], bytes]) -> None:
    """Write the joined files, or link the previous build's when it joined the same packs
    (`digest`, `previous_digest`): ten years' heavy postings are hundreds of megabytes, which
    a day's build must not read to find them unchanged. `read(rel)`: a pack's file."""
    if digest and digest == previous_digest and all(output.reuse(rel) for rel in joined):
        return
    for rel, parts in joined.items():
        output.write_bytes(rel, b"".join(read(part) for part in parts))
