"""The builder: content -> a complete static site in `build/`, incrementally and atomically.

`steps.py` is the list of steps (`build_site`); `index.py` the first of them (summaries ->
site model), `plan.py` what to make again (fingerprints), `searchplan.py` the same for
search data, `tasks.py` what the workers do, `publish.py` the swap into `build/`,
`state.py` the typed records kept between builds. Importing it stays light (no search
engine, no segmenter): the "nothing changed" answer needs none of them.
"""

from sitegen.builder.index import content_reader
from sitegen.builder.publish import empty_trash
from sitegen.builder.steps import BuildResult, build_site

__all__ = ["BuildResult", "build_site", "content_reader", "empty_trash"]
