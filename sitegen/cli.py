"""The `sitegen` command line: parse, import, build.

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
from sitegen.errors import SitegenError
from sitegen.rawtext import read_page


def _page_parser(config: SiteConfig):
    """A `(text, file name) -> ParsedPage` bound to this site's gazetteer, sharing one
    segmenter across all pages (loading jieba's dictionary is the slow part)."""
    from sitegen.parse import page_parser

    return page_parser(config.towns)


def cmd_parse(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    path = Path(args.page)
    parsed = _page_parser(config)(read_page(path), path.name)
    json.dump(parsed.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _run_import(config: SiteConfig, dates: Sequence[str], force: bool, quiet: bool) -> None:
    from sitegen.importer import format_report, import_editions, select_editions

    editions = select_editions(config, dates)
    if not editions and quiet:
        return
    reports = import_editions(config, editions, _page_parser(config), force=force)
    print(format_report(reports))


def cmd_import(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    _run_import(config, args.dates, args.force, quiet=False)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from sitegen.build import build_site

    config = load_config(args.site)
    _run_import(config, [], force=False, quiet=True)
    result = build_site(config)
    print(result.summary())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.build import build_site
    from sitegen.serve import serve

    config = load_config(args.site)

    def build() -> str:
        _run_import(config, [], force=False, quiet=True)
        return build_site(config).summary()

    serve(config, build, host=args.host, port=args.port, log=lambda s: print(s, flush=True))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from sitegen.scaffold import init_site

    created = init_site(args.path.resolve(), args.name)
    for path in created:
        print(f"created {path}")
    print(f"next: put raw pages in {args.path}/content/raw/YYYY-MM-DD/01.txt, then "
          f"`sitegen import --site {args.path}`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from sitegen.check import build_findings, check_site_content, format_findings

    config = load_config(args.site)
    findings, _ = check_site_content(config)
    findings += build_findings(config)
    print(format_findings(findings))
    failing = {"error", "warning"} if args.strict else {"error"}
    return 1 if any(f.level in failing for f in findings) else 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen", description="Static digital edition of a daily newspaper."
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", type=Path, default=Path("."),
                        help="the site folder (holds sitegen.toml); default: current folder")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", parents=[common], help="print one raw page's parse as JSON")
    p.add_argument("page", help="a raw page text file")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("import", parents=[common],
                       help="parse raw pages into Markdown under content/")
    p.add_argument("dates", nargs="*", metavar="DATE",
                   help="editions (YYYY-MM-DD) to import; default: those not imported yet")
    p.add_argument("--force", action="store_true",
                   help="regenerate files even where an editor changed them")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("build", parents=[common], help="import new raw pages and build build/")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("serve", parents=[common],
                       help="build, serve on localhost, rebuild and reload on change")
    p.add_argument("--port", type=int, default=8000, help="port (0: any free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("init", help="start a new site for a paper")
    p.add_argument("path", type=Path, help="folder for the new site")
    p.add_argument("--name", required=True, help="the paper's name, e.g. 平湖日报")
    p.set_defaults(func=cmd_init, site=Path("."))

    p = sub.add_parser("check", parents=[common],
                       help="list what needs review; exit 1 on errors (CI publish gate)")
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


if __name__ == "__main__":
    sys.exit(main())
