"""Content: the data model and the content files, as the build reads them.

`model.py` is the one data model (`Article`, `Edition`, …) every stage shares; `files.py`
the content file formats (write, and a validated read whose errors name file and line) and
the body-less summaries (`EditionMeta`) archive-wide pages are made from;
`markdown_text.py` the escaping that makes text round-trip; `cache.py` the content cache
(each edition folder read once, kept as summary and bodies).
"""
