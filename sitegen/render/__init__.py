"""Rendering: page plans (template + data per URL) and what turns them into bytes.

`pages.py` plans every page and fingerprints it, and renders plans with Jinja2 (bodies
printed as literal text in one pass, one render for a page and its offline copy);
`feeds.py` the Atom feed, sitemap and robots.txt; `offline.py` an edition's reproducible
zip; `share.py` an article's QR code, citation and structured data; `charts.py` the
archive's SVG charts.
"""
