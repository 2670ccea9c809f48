"""Ingest: raw page texts -> the content files editors correct.

`parse/` reads one page's text (and an edition's pages together: jumped stories joined)
into the data model; `importer.py` writes an edition's Markdown and YAML, keeps files an
editor changed, reports what needs review and skips editions whose raw pages and code are
unchanged; `towns.py` matches the gazetteer. Nothing here is run by a build: its code is
not part of the build's fingerprints (see `codehash`).
"""
