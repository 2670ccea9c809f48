"""The `sitegen` command line: parse, import, build, serve, init, check.

Thin on purpose: it turns arguments into calls to the pipeline stages and turns a
`SitegenError` into one `path:line: message` line on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sitegen import __version__
from sitegen.config import SiteConfig, load_config
from sitegen.errors import SitegenError, os_error
from sitegen.text.rawtext import read_page


def _page_parser(config: SiteConfig):
    """A `(text, file name) -> ParsedPage` bound to this site's gazetteer, sharing one
    segmenter across all pages (loading jieba's dictionary is the slow part)."""
    from sitegen.ingest.parse import page_parser

    return page_parser(config.towns)


def cmd_parse(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    path = Path(args.page)
    if path.is_dir():
        from sitegen.content.names import parse_date_dir
        from sitegen.ingest.importer import parse_raw_pages
        from sitegen.ingest.parse.edition import join_jumps
        from sitegen.ingest.raw import raw_page_files

        try:
            day = parse_date_dir(path.name, path)
        except SitegenError:
            day = None  # a folder not named by its date still parses; `date` is null
        pages = parse_raw_pages(raw_page_files(path), _page_parser(config))
        edition = join_jumps(pages, config.towns, day)
        data = edition.to_dict()
        for jump in edition.unmatched:  # the JSON is the contract's shape; review on stderr
            mark = "下转" if jump.direction == "to" else "上接"
            print(f"review: {jump.label}: {jump.title or '(no title)'}: （{mark}第{jump.printed}"
                  "版） has no other part in this edition", file=sys.stderr)
    else:
        data = _page_parser(config)(read_page(path), path.name).to_dict()
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _run_import(config: SiteConfig, dates: Sequence[str], force: bool, quiet: bool) -> None:
    """Import `dates`, or with none every new or changed raw edition, saying which and why
    first. `quiet` (build, serve): print nothing when there is nothing to import, and read
    each imported edition into the build's content cache as soon as it is written (in the
    import's workers: the build that follows then finds it read)."""
    from sitegen.ingest.stale import describe_stale, stale_editions

    if dates:
        from sitegen.ingest.importer import select_editions

        editions = select_editions(config, dates)
    else:
        stale = stale_editions(config)
        editions = [edition for edition, _ in stale]
        for line in describe_stale(stale):
            print(line, flush=True)
    if not editions and quiet:
        return
    from sitegen.ingest.importer import import_editions  # the parser: only when it parses
    from sitegen.ingest.report import format_report

    after = None
    if quiet:
        from sitegen.builder import content_reader

        after = content_reader(config)
    reports = import_editions(config, editions, _page_parser(config), force=force, after=after)
    print(format_report(reports), flush=True)


def cmd_import(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    _run_import(config, args.dates, args.force, quiet=False)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from sitegen.builder.unchanged import Changed, check

    config = load_config(args.site)
    _run_import(config, [], force=False, quiet=True)
    result = check(config)
    if isinstance(result, Changed):  # only now load the builder's steps
        from sitegen.builder import build_site

        result = build_site(config, changed=result)
    print(result.summary())
    for warning in result.warnings:
        print(f"sitegen: warning: {warning}", file=sys.stderr)
    return 0


def cmd_partition(args: argparse.Namespace) -> int:
    from sitegen import partition

    config = load_config(args.site)
    work = (args.work if args.work is not None else config.cache_dir / "partitions").resolve()
    if args.step in ("index", "all"):
        _run_import(config, [], force=False, quiet=True)
    if args.step == "index":
        index = partition.make_index(config, work)
        print(f"index: {len(index.dates)} editions in {work / partition.INDEX_FILE}; "
              f"years {' '.join(map(str, index.years))}")
        return 0
    if args.step == "years":
        print(json.dumps(partition.load_index(work).years))
        return 0
    if args.step == "all":
        result = partition.run_all(config, work, jobs=args.jobs)
    elif args.step == "part":
        if args.year is None:
            raise SitegenError("which year? `sitegen partition part YEAR`")
        index = partition.load_index(work)
        result = partition.build_part(config, index, args.year,
                                      partition.part_folder(work / "parts", args.year),
                                      work / "cache" / str(args.year))
    else:
        index = partition.load_index(work)
        result = partition.merge_parts(
            config, index, [partition.part_folder(work / "parts", y) for y in index.years],
            cache=work / "cache" / "merge")
    print(result.summary())
    for warning in result.warnings:
        print(f"sitegen: warning: {warning}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.builder import build_site
    from sitegen.serve import serve

    config = load_config(args.site)

    def build() -> str:
        _run_import(config, [], force=False, quiet=True)
        result = build_site(config)
        return "\n".join([result.summary(), *(f"sitegen: warning: {w}" for w in result.warnings)])

    serve(config, build, host=args.host, port=args.port, log=lambda s: print(s, flush=True))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from sitegen.scaffold import init_site

    created = init_site(args.path.resolve(), args.name, partitioned=args.partitioned)
    for path in created:
        print(f"created {path}")
    site = args.path
    print("next:")
    print(f"  1. set base_url in {site}/sitegen.toml to the address the site will have")
    print(f"  2. put a day's raw pages in {site}/content/raw/YYYY-MM-DD/ as 01.txt, 02.txt, …")
    print(f"  3. sitegen serve --site {site}   (imports, builds, previews; see its README.md)")
    print('  4. push the folder to GitHub; in Settings → Pages set Source to "GitHub Actions"')
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from sitegen.check import (
        build_findings,
        check_site_content,
        format_findings,
        raw_findings,
        theme_findings,
    )

    config = load_config(args.site)
    findings = theme_findings(config)
    findings += check_site_content(config)[0]
    findings += raw_findings(config)
    findings += build_findings(config)
    print(format_findings(findings))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.level in failing for f in findings) else 0


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter,
                     argparse.RawDescriptionHelpFormatter):
    """Option help with its default; the description and examples printed as written.

    A default that says nothing (an off switch, no value) is left out, so `--help` shows
    the defaults a user can act on: the site folder, the port, the address."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or action.default == []:
            return action.help
        return super()._get_help_string(action)


EXAMPLES = {
    "sitegen": """examples:
  sitegen init mypaper --name 平湖日报     start a site for a paper
  sitegen serve --site mypaper             preview it while you correct the Markdown
  sitegen build && sitegen check           what the site's CI runs before publishing
run `sitegen COMMAND --help` for a command's options""",
    "parse": """examples:
  sitegen parse content/raw/2024-02-03/C01.txt > page.json
  sitegen parse content/raw/2024-02-03 > edition.json   every page, jumps (转版) joined""",
    "import": """New or changed raw pages are imported by `sitegen build` and `serve` too; import
by hand to read the review report first. Files an editor changed are never overwritten
(without --force).

examples:
  sitegen import                     every new or changed raw edition
  sitegen import 2024-02-03          that edition again (edited files are kept)
  sitegen import 2024-02-03 --force  regenerate it, edited files included""",
    "build": """Imports new or changed raw pages first (and says which), then builds; only what
changed is made again. "nothing changed" means build/ is already up to date.

example:
  sitegen build --site mypaper       then open mypaper/build/index.html in a browser""",
    "serve": """examples:
  sitegen serve                      http://127.0.0.1:8000/
  sitegen serve --port 0             any free port (printed when it starts)""",
    "init": """The new folder is a repository a paper can push as is: it has a GitHub Pages
workflow that builds and publishes the site on every push.

example:
  sitegen init mypaper --name 平湖日报""",
    "partition": """examples:
  sitegen partition all --jobs 2     index, every year's part (two at a time), merge
  sitegen partition index            step 1: import, then every edition's summary
  sitegen partition part 2024        step 2: the files of 2024 (a CI matrix job per year)
  sitegen partition merge            step 3: the rest of the site, the parts linked in,
                                     into build/ (the same bytes as `sitegen build`)""",
    "check": """examples:
  sitegen check                      exit 1 on errors (a broken link, an empty article)
  sitegen check --strict             exit 1 on warnings too""",
}


def _command(sub: argparse._SubParsersAction, name: str, help: str,
             parents: Sequence[argparse.ArgumentParser] = ()) -> argparse.ArgumentParser:
    return sub.add_parser(name, parents=list(parents), help=help, description=help,
                          epilog=EXAMPLES[name], formatter_class=_HelpFormatter)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Static digital edition of a daily newspaper.",
        epilog=EXAMPLES["sitegen"], formatter_class=_HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help="the site folder, which holds sitegen.toml (default: %(default)s, the "
                             "current folder)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _command(sub, "parse",
                 "print a raw page's parse (or a raw edition folder's) as JSON", [common])
    p.add_argument("page", help="a raw page text file, or a raw edition folder "
                                "(its pages parsed together, jumps joined)")
    p.set_defaults(func=cmd_parse)

    p = _command(sub, "import", "parse raw pages into Markdown under content/", [common])
    p.add_argument("dates", nargs="*", metavar="DATE",
                   help="editions (YYYY-MM-DD) to import; none: those new or changed since "
                        "their import")
    p.add_argument("--force", action="store_true",
                   help="regenerate files even where an editor changed them")
    p.set_defaults(func=cmd_import)

    p = _command(sub, "build", "import new or changed raw pages, then build the site into "
                 "build/", [common])
    p.set_defaults(func=cmd_build)

    p = _command(sub, "partition", "build a large archive in steps: an index, a part per "
                 "year (on separate machines if need be), a merge into build/", [common])
    p.add_argument("step", choices=["index", "years", "part", "merge", "all"],
                   help="index: every edition's summary; years: the index's years, as "
                        "JSON (a CI matrix); part YEAR: that year's files; merge: the rest "
                        "and the parts, into build/; all: the three here")
    p.add_argument("year", nargs="?", type=int, help="the year of `part`")
    p.add_argument("--work", type=Path, default=None,
                   help="folder of the index, the parts (parts/YEAR) and their caches "
                        "(cache/YEAR) (default: .sitegen-cache/partitions)")
    p.add_argument("--jobs", type=int, default=1, help="`all`: parts built at once")
    p.set_defaults(func=cmd_partition)

    p = _command(sub, "serve", "build, serve on localhost, rebuild and reload on change",
                 [common])
    p.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.set_defaults(func=cmd_serve)

    p = _command(sub, "init", "start a new site (a repository) for a paper")
    p.add_argument("path", type=Path, help="folder for the new site (created if missing)")
    p.add_argument("--name", required=True, help="the paper's name, e.g. 平湖日报")
    p.add_argument("--partitioned", action="store_true",
                   help="a workflow that builds a job per year of the archive (`sitegen "
                        "partition`), for archives of many years")
    p.set_defaults(func=cmd_init, site=Path("."))

    p = _command(sub, "check", "list what needs review; exit 1 on errors (the publish gate "
                 "CI runs)", [common])
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    p.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    args.site = args.site.resolve()
    try:
        return args.func(args)
    except SitegenError as exc:
        print(f"sitegen: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("sitegen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `sitegen parse … | head`: the reader has what it wanted
        sys.stderr.close()
        return 0
    except OSError as exc:  # a file operation outside the build (import, init): its cause
        print(f"sitegen: error: {os_error(exc, 'stopped')}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
