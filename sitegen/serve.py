"""`sitegen serve`: build, serve `build/` on localhost, rebuild on change, reload the browser.

The preview server is the editor's loop: save a Markdown file, see the page. It keeps
serving the last good site when a rebuild fails and shows the error both in the terminal
and as an overlay in the open page (polled from `/__sitegen__/status`), so a typo in front
matter never leaves the editor staring at a blank tab. With no good build at all (a new
site whose first build fails) every page is an error page saying so, never a directory
listing of an empty folder; it reloads into the site once a build succeeds. The reload
script is injected into HTML responses only; nothing of it is written to `build/`.
"""

from __future__ import annotations

import html
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

from sitegen import wording
from sitegen.config import SiteConfig
from sitegen.errors import SitegenError, os_error

STATUS_PATH = "/__sitegen__/status"

RELOAD_SCRIPT = """<script>
(function () {
  var seen = null, box = null;
  function show(msg) {
    if (!box) {
      box = document.createElement("pre");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:9999;margin:0;" +
        "padding:1em;max-height:50vh;overflow:auto;background:#7f1d1d;color:#fff;" +
        "font:14px/1.5 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = msg;
  }
  function poll() {
    fetch("STATUS_PATH", {cache: "no-store"})
    .then(function (r) { return r.json(); })
    .then(function (s) {
      if (seen !== null && s.generation !== seen) { location.reload(); return; }
      seen = s.generation;
      if (s.error) {
        show("sitegen: build failed (" + (s.site ? "showing the last good site" :
          "no site built yet") + ")\n" + s.error);
      } else if (box) { box.remove(); box = null; }
    }).catch(function () {}).then(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>""".replace("STATUS_PATH", STATUS_PATH)


@dataclass
class ServerState:
    """What the browser polls: a generation that bumps on each good build, the last error."""

    generation: int = 0
    error: str | None = None
    site: bool = False
    """Whether `build/` holds a site (a good build, this session's or an earlier one's)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self) -> None:
        with self.lock:
            self.generation += 1
            self.error = None
            self.site = True

    def failed(self, message: str) -> None:
        with self.lock:
            self.error = message

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error,
                               "site": self.site}, ensure_ascii=False).encode("utf-8")


NO_SITE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sitegen: no site built yet</title></head>
<body><h1>No site built yet</h1>
<p>The build failed and there is no earlier good build to show. Fix the error below; this
page reloads when a build succeeds.</p>
<pre>ERROR</pre>
</body></html>
"""


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from build/, plus the status endpoint and the injected reload script."""

    def __init__(self, *args, state: ServerState, **kwargs) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == STATUS_PATH:
            self._send(200, "application/json; charset=utf-8", self.state.as_json())
            return
        if not self.state.site:
            with self.state.lock:
                error = self.state.error or "the first build has not finished"
            page = NO_SITE_PAGE.replace("ERROR", html.escape(error))
            page = page.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            self._send(503, "text/html; charset=utf-8", page.encode("utf-8"))
            return
        try:
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            text = path.read_text(encoding="utf-8") if (
                path.suffix == ".html" and path.is_file()) else None
            missing = text is None and not path.exists()
        except OSError:
            # a path the file system refuses (a name too long, say) is no file of the site:
            # the 404 page, not a dropped connection and a traceback in the log
            text, missing = None, True
        if text is not None:
            text = text.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
            self._send(200, "text/html; charset=utf-8", text.encode("utf-8"))
        elif missing and not self.path.startswith("/__"):
            self._not_found()
        else:
            super().do_GET()

    def _not_found(self) -> None:
        not_found = Path(self.directory) / "404.html"
        if not_found.is_file():
            self._send(404, "text/html; charset=utf-8", not_found.read_bytes())
        else:
            self.send_error(404)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """A folder without index.html is a missing page, not a file listing."""
        not_found = Path(self.directory) / "404.html"
        body = not_found.read_bytes() if not_found.is_file() else b"not found"
        self._send(404, "text/html; charset=utf-8", body)

    def _send(self, code: int, ctype: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal is for build results and errors."""


def watched_paths(config: SiteConfig) -> list[Path]:
    paths = [config.content_dir, config.root / "sitegen.toml", *config.theme_dirs]
    return [p for p in paths if p.exists()]


def _rebuild(build: Callable[[], str], state: ServerState, log: Callable[[str], None]) -> None:
    try:
        summary = build()
    except (SitegenError, OSError) as exc:
        message = str(os_error(exc, "stopped") if isinstance(exc, OSError) else exc)
        state.failed(message)
        log(f"sitegen: error: {message}")
        log("still serving the last good site" if state.site else
            "no good build to serve yet: the preview shows this error until a build succeeds")
        return
    state.succeeded()
    log(summary)


def serve(config: SiteConfig, build: Callable[[], str], host: str = "127.0.0.1",
          port: int = 8000, log: Callable[[str], None] = print) -> None:
    """Serve until Ctrl-C. `build` runs one (incremental) build and returns its summary."""
    state = ServerState(site=(config.build_dir / "index.html").is_file())
    _rebuild(build, state, log)
    config.build_dir.mkdir(parents=True, exist_ok=True)
    handler = partial(PreviewHandler, directory=str(config.build_dir), state=state)
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    stop = threading.Event()

    def watcher() -> None:
        ignore = config.build_dir.resolve()
        for changes in watch(*watched_paths(config), stop_event=stop, debounce=300,
                             raise_interrupt=False):
            if all(Path(p).resolve().is_relative_to(ignore) for _, p in changes):
                continue
            started = time.perf_counter()
            _rebuild(build, state, log)
            log(f"rebuilt after {wording.count(len(changes), 'change')} in "
                f"{time.perf_counter() - started:.2f} s")

    thread = threading.Thread(target=watcher, name="sitegen-watch", daemon=True)
    thread.start()
    log(f"serving {config.build_dir} at http://{host}:{server.server_address[1]}/ "
        f"(Ctrl-C to stop)")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        log("stopping")
    finally:
        stop.set()
        server.server_close()
        thread.join(timeout=2)
