"""The site model: the plain view objects templates print, built from summaries.

`views.py` holds the views (frozen dataclasses: a page's data is its fingerprint), `model.py`
how they are assembled from `EditionMeta`s (slugs, neighbours, reporters, towns, the
archive), `urls.py` every output's path and the relative links between them.
"""
