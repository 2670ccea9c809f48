"""Text: the Chinese text rules the other packages share.

Character widths and line joining (`cjk.py`), page labels (`labels.py`), pinyin slugs
(`slugs.py`), word segmentation with the site's words (`segment.py`), the decoding of raw
page bytes (`rawtext.py`).
"""
