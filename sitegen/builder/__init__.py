"""The builder: content -> a complete static site in `build/`, incrementally and atomically.

`steps.py` is the list of steps (`build_site`); `unchanged.py` the first of them (did
anything change?), `index.py` the next (summaries -> site model), `plan.py` what to make
again (fingerprints), `searchplan.py` the same for search data, `tasks.py` what the workers
do, `publish.py` the swap into `build/`, `trash.py` the deletion of old builds' folders,
`state.py` the typed records kept between builds.

Its names are imported when first used (PEP 562), so `sitegen.builder.unchanged` can answer
"nothing changed" without loading the steps, templates, search engine and segmenter.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitegen.builder.index import content_reader
    from sitegen.builder.steps import build_site
    from sitegen.builder.trash import empty_trash
    from sitegen.builder.unchanged import BuildResult

_WHERE = {"BuildResult": "unchanged", "build_site": "steps", "content_reader": "index",
          "empty_trash": "trash"}

__all__ = ["BuildResult", "build_site", "content_reader", "empty_trash"]


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"sitegen.builder.{_WHERE[name]}"), name)
