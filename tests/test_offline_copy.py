"""Offline copies made from the site's own render of an edition's pages.

The build renders each page of an edition once, for the site and its offline copy together
(`Renderer.render_variants`). These tests compare every copy with the same copy made the
way it was made before: every page of it rendered on its own, as the copy's site (the
edition's pages in the section the site shows them in), byte for byte; and they check that
a theme telling the site and the copy apart without `site_only`/`offline_only` still gets
each copy's pages right.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import deflate
import pytest
from conftest import REPO, DemoBuild, copy_site

from sitegen.builder import build_site
from sitegen.builder.tasks import Setup as _Setup
from sitegen.builder.tasks import _offline_zip
from sitegen.builder.tasks import articles_of as _articles
from sitegen.config import SiteConfig, load_config
from sitegen.content.cache import ContentCache
from sitegen.content.files import edition_dirs
from sitegen.render.offline import ZIP_LEVEL, zip_bytes
from sitegen.render.pages import make_env, static_files
from sitegen.render.plans import plan_edition
from sitegen.safepath import site_roots
from sitegen.site.model import build_site_model, site_slugs


def reference_zips(config: SiteConfig, tmp: Path) -> dict[str, bytes]:
    """Each edition's offline copy, every page of it rendered on its own."""
    roots = site_roots(config)
    content = ContentCache(tmp / "content-cache", {}, roots)
    folders = edition_dirs(config.content_dir, roots)
    metas = [content.read(folder)[0] for folder in folders]
    slugs = site_slugs(metas, config)
    site = build_site_model(metas, config, slugs=slugs)
    latest = site.latest
    statics = {rel: p.read_bytes() for rel, p in static_files(config.theme_dirs, roots).items()}
    setup = _Setup(config, REPO, tmp, None, content, make_env(config.theme_dirs, roots), statics,
                   None, tmp / "search-cache")
    out = {}
    for folder, meta in zip(folders, metas, strict=True):
        view = next(e for e in site.editions if e.date == meta.date)
        pages = {plan.url: (plan.section, None)
                 for plan in plan_edition(site.info, view, view is latest)}
        articles = _articles(content.edition(folder, meta.digest))
        rel = f"downloads/{meta.date.isoformat()}.zip"
        out[rel] = _offline_zip(setup, meta, slugs, articles, pages)
    return out


def built_zips(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted((out / "downloads").glob("*.zip"))}


def test_offline_copies_equal_copies_rendered_page_by_page(
        demo: DemoBuild, edition_demo: DemoBuild, tmp_path: Path) -> None:
    for n, site in enumerate((demo, edition_demo)):
        assert built_zips(site.out) == reference_zips(site.config, tmp_path / str(n))


def zip_pages(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename.split("/", 1)[1]: zf.read(i).decode("utf-8")
                for i in zf.infolist() if i.filename.endswith(".html")}


def test_a_theme_without_the_site_only_parts_still_gets_its_copies_right(
        tmp_path: Path) -> None:
    """A site's own base.html telling the two apart by `site.offline` and `site.feed_url`
    (as themes did before `site_only`/`offline_only`): the copy's pages cannot come from
    the site's render, and are rendered on their own, with the same bytes as before."""
    root = copy_site(tmp_path / "site")
    base = root / "themes" / "default" / "templates" / "base.html"
    text = base.read_text(encoding="utf-8")
    for old, new in (("{% call offline_only() %}（离线版）{% endcall %}",
                      "{% if site.offline %}（离线版）{% endif %}"),
                     ("{% call site_only() %}\n", ""), ("{% endcall %}\n", "")):
        assert old in text
        text = text.replace(old, new)
    assert "site_only" not in text and "offline_only" not in text
    base.write_text(text, encoding="utf-8")
    config = load_config(root)
    build_site(config, REPO)
    assert built_zips(config.build_dir) == reference_zips(config, tmp_path / "reference")
    pages = zip_pages(config.build_dir / "downloads" / "2023-09-19.zip")
    article = next(text for rel, text in pages.items() if rel.startswith("2023-09-19/01/")
                   and not rel.endswith("index.html"))
    assert "（离线版）" in article and "feed.xml" not in article
    published = (config.build_dir / "2023-09-19" / "01" / "index.html").read_text("utf-8")
    assert "（离线版）" not in published and "feed.xml" in published


class _Libdeflate:
    """A compressor for `zipfile` whose stream is libdeflate's at `ZIP_LEVEL`."""

    def __init__(self) -> None:
        self.data = b""

    def compress(self, data: bytes) -> bytes:
        self.data += data
        return b""

    def flush(self) -> bytes:
        return deflate.deflate_compress(self.data, ZIP_LEVEL)


def writestr_zip(entries: list[tuple[str, bytes]], prefix: str, stamp: date,
                 monkeypatch: pytest.MonkeyPatch) -> bytes:
    """The zip as `zipfile.ZipFile.writestr` writes it, entry by entry, with libdeflate as
    its compressor."""
    monkeypatch.setattr(zipfile, "_get_compressor", lambda *args, **kwargs: _Libdeflate())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for rel, data in sorted(entries):
            info = zipfile.ZipInfo(f"{prefix}/{rel}", (stamp.year, stamp.month, stamp.day,
                                                       0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


def test_zips_are_the_bytes_zipfile_writes(demo: DemoBuild, edition_demo: DemoBuild,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for site in (demo, edition_demo):
        for path in sorted((site.out / "downloads").glob("*.zip")):
            with zipfile.ZipFile(path) as zf:
                names = [i.filename for i in zf.infolist()]
                prefix = names[0].split("/", 1)[0]
                entries = [(n.split("/", 1)[1], zf.read(n)) for n in names]
            stamp = date.fromisoformat(path.stem)
            with zipfile.ZipFile(path) as zf:
                assert zf.testzip() is None  # every entry inflates to its CRC
            assert path.read_bytes() == writestr_zip(entries, prefix, stamp, monkeypatch), (
                path.name)
            # and again with the files every copy holds deflated once, in another order
            same = {rel for rel, _ in entries if rel.startswith("assets/")}
            assert zip_bytes(entries[::-1], prefix, stamp, same) == path.read_bytes()
            assert zip_bytes(entries, prefix, stamp, same) == path.read_bytes()


def test_the_default_theme_renders_each_edition_page_once_for_both(
        demo: DemoBuild, edition_demo: DemoBuild, tmp_path: Path) -> None:
    """Every page of every edition of both demos gives its copy's bytes from the site's own
    render (`render_variants` returns them, not None): a template reading what the two
    differ by outside `site_only`/`offline_only` would silently double the copies' cost."""
    for n, site in enumerate((demo, edition_demo)):
        config = site.config
        roots = site_roots(config)
        content = ContentCache(tmp_path / f"cache-{n}", {}, roots)
        folders = edition_dirs(config.content_dir, roots)
        metas = [content.read(folder)[0] for folder in folders]
        model = build_site_model(metas, config, slugs=site_slugs(metas, config))
        renderer = _Setup(config, REPO, tmp_path, None, content,
                          make_env(config.theme_dirs, roots), {}, None,
                          tmp_path / "search").renderer(model.info)
        rendered = 0
        for folder, meta in zip(folders, metas, strict=True):
            view = next(e for e in model.editions if e.date == meta.date)
            articles = _articles(content.edition(folder, meta.digest))
            for plan in plan_edition(model.info, view, view is model.latest):
                article = articles.get(plan.body) if plan.body else None
                assert renderer.render_variants(plan, article)[1] is not None, plan.url
                rendered += 1
        assert rendered > 10
