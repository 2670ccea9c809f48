"""The one pool of worker processes sitegen forks, for the import and for the build.

Why one module: the import (one raw edition per task) and the build (editions, archive-wide
pages, search months, links) both fork workers that must inherit what the parent has
loaded (the parser's dictionary, the Jinja environment, the content cache) instead of
receiving it pickled. The state a worker reads is therefore the one `context` set before
the pool forks, never another module global; how many workers a run gets is the one rule
of `count`; and tasks reach the pool through `Feed`s, a few at a time, so a long task
queued later (a month of search data) never waits behind every short one.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Sequence
from multiprocessing.pool import AsyncResult
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_CONTEXT: Any = None
"""What every worker of the running pool needs, set before it forks (inherited, never
pickled) and cleared when it closes; in-process runs read it too."""


def context() -> Any:
    """The context of the running pool (in a worker, or in-process without workers)."""
    assert _CONTEXT is not None, "no worker pool is running"
    return _CONTEXT


def cpus() -> int:
    """The processors this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forking is safe here: not where `fork` is missing or discouraged (macOS),
    nor in a process with other threads (`sitegen serve`'s rebuilds), where another thread
    may hold a lock the child would inherit locked."""
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and threading.active_count() == 1)


def count(requested: int | None, tasks: int | None = None, *, env: str | None = None,
          small: int = 0, threaded_fork: bool = False) -> int:
    """How many processes to run `tasks` tasks with (None: not known yet): `requested`,
    else the environment variable `env` (a positive number), else one per processor; 1 for
    fewer than `small` tasks when nothing was asked for (starting workers costs more than
    they save); never more than the tasks; 1 where forking is unsafe (`can_fork`), unless
    `threaded_fork` lets a process with other threads fork anyway (the build, as
    `sitegen serve` runs it, always has: its workers only render what they inherited)."""
    if requested is None and env is not None:
        value = os.environ.get(env, "").strip()
        if value.isdigit() and int(value) > 0:
            requested = int(value)
    if requested is None:
        if tasks is not None and tasks < small:
            return 1
        requested = cpus()
    if not (can_fork() or (threaded_fork and "fork" in multiprocessing.get_all_start_methods())):
        return 1
    n = max(1, requested)
    return n if tasks is None else max(1, min(n, tasks))


def _ignore_interrupt() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it lets running tasks finish)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _starter(interruptible: bool, on_start: Callable[[], None] | None
             ) -> Callable[[], None] | None:
    """What each worker runs when it starts: Ctrl-C ignored (unless `interruptible`), then
    `on_start` (work done ahead while the parent prepares the first tasks). A failing
    `on_start` is ignored: a worker whose initializer raises dies and multiprocessing
    starts another, forever; the task that needed the work does it again and reports
    its error as any task does."""
    if interruptible and on_start is None:
        return None

    def start() -> None:
        if not interruptible:
            _ignore_interrupt()
        if on_start is not None:
            with contextlib.suppress(Exception):  # see above
                on_start()

    return start


_MALLOC_TRIM: Callable[[int], int] | None
try:
    import ctypes

    _MALLOC_TRIM = ctypes.CDLL("libc.so.6").malloc_trim
except (OSError, AttributeError):  # not glibc
    _MALLOC_TRIM = None


def give_back_memory() -> None:
    """Collect, and hand the memory a finished task freed back to the system (glibc keeps
    it otherwise).

    Measured on a year's search months made one after the other in one process: 460 MB
    resident between months without this, 200 MB with it; over a 10-year build a worker
    otherwise grew to 0.9 GB. Called only after big tasks: after every task it cost more in
    page faults than it saved (a year's cold build went from 62 s to 90 s)."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class Pool:
    """A fork pool of `size` processes that inherit `ctx` (see `context`); none when size
    is 1, and everything then runs in this process. `interruptible=False`: workers ignore
    Ctrl-C, so `close(ok=True)` after an interrupt lets them finish what they run (the
    import: an edition is written whole or not at all)."""

    def __init__(self, size: int, ctx: Any, *, interruptible: bool = True,
                 freeze: bool = False, on_start: Callable[[], None] | None = None) -> None:
        global _CONTEXT
        if _CONTEXT is not None:
            raise RuntimeError("a worker pool is already running")
        _CONTEXT = ctx
        self.size = size
        self.stopping = False
        self.frozen = freeze and size > 1
        if self.frozen:
            # the parent's objects out of the collector: collections in the workers then do
            # not write to (and so copy) the memory they share with the parent
            gc.collect()
            gc.freeze()
        if size > 1:
            # a child flushes the stdio buffers it inherited when it exits: print them now
            sys.stdout.flush()
            sys.stderr.flush()
        self.pool = (multiprocessing.get_context("fork").Pool(
            size, initializer=_starter(interruptible, on_start))
            if size > 1 else None)

    @property
    def parallel(self) -> bool:
        return self.pool is not None

    def map(self, fn: Callable[[Any], T], items: Sequence[Any]) -> Iterable[T]:
        """Results in the order of `items` (so the first failing item's error is raised)."""
        if self.pool is None or len(items) < 2:
            return map(fn, items)
        return self.pool.imap(fn, items, chunksize=max(1, min(8, len(items) // 32)))

    def submit(self, fn: Callable[[Any], T], item: Any, done: Callable[[T], None],
               failed: Callable[[BaseException], None] | None = None) -> Callable[[], Any]:
        """Start `fn(item)`; `done` gets the result when it is there (`failed` the error,
        if given). Returns a getter that waits for the result (and raises the task's
        error). Without a pool the task runs now (and raises its error here). Once the
        pool is closing (a task failed) nothing is started: a feed's callback asking for its
        next task then would meet a terminated pool."""
        if self.stopping:
            return lambda: None
        if self.pool is None:
            result = fn(item)
            done(result)
            return lambda: result
        try:
            handle: AsyncResult[T] = self.pool.apply_async(fn, (item,), callback=done,
                                                           error_callback=failed)
        except ValueError:  # "Pool not running": it was terminated since the check above
            if self.stopping:
                return lambda: None
            raise
        return handle.get

    def close(self, ok: bool) -> None:
        """Stop the pool: wait for the running tasks when `ok` (nothing new starts), else
        kill them."""
        global _CONTEXT
        self.stopping = True
        try:
            if self.pool is not None:
                if ok:
                    self.pool.close()
                else:
                    self.pool.terminate()
                self.pool.join()
                self.pool = None
        finally:
            if self.frozen:
                gc.unfreeze()
                self.frozen = False
            _CONTEXT = None

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        self.close(ok=True)


class Feed(Generic[T]):
    """Tasks handed to the pool a few at a time (`depth` in flight), results in task order.

    Several feeds share one pool (the build's: pages, search months, links). Were every
    page task queued at once, each next month would wait behind all of them and run alone
    at the end while the other workers sat idle (a year's build: 36 s of one core). Fed
    this way, a month waits behind at most a few short tasks. `make` turns an item into its
    task when it is started (so a month's documents exist only while it is being made),
    `run` is what a worker does with it, `done` sees each result (progress), and `follow`
    names the items a result lets start, which run next. Items `light` says are light run
    beside the `depth` others, up to one per worker: a month's packs are small and the
    month's last step, and run one at a time they were half a second of one idle core in
    every build that adds an edition."""

    def __init__(self, pool: Pool, items: Sequence[Any], run: Callable[[Any], T],
                 depth: int, *, make: Callable[[Any], Any] = lambda item: item,
                 done: Callable[[T], None] = lambda result: None,
                 follow: Callable[[Any, T], list[Any]] | None = None,
                 light: Callable[[Any], bool] = lambda item: False) -> None:
        self.pool = pool
        self.depth = depth
        self.light = light
        self.run = run
        self.make = make
        self.done = done
        self.follow = follow
        self.pending = list(enumerate(items))[::-1]  # popped from the end: first item first
        self.results: list[T | None] = [None] * len(items)
        self.errors: dict[int, BaseException] = {}
        self.lock = threading.Lock()
        self.finished = threading.Event()
        self.running = 0
        self.heavy_running = 0
        if not pool.parallel:  # no workers: everything runs here, now, in order
            while self.pending:
                n, item = self.pending.pop()
                result = self.results[n] = run(make(item))
                done(result)
                self._queue(item, result)
        with self.lock:
            self._start_ready()
            if self.running == 0:
                self.finished.set()

    def _queue(self, item: Any, result: T) -> None:
        """Queue the items `follow` says `item`'s result lets start, ahead of the rest."""
        if self.follow is None:
            return
        for new in reversed(self.follow(item, result)):
            self.pending.append((len(self.results), new))
            self.results.append(None)

    def _start_ready(self) -> None:
        """Start the next tasks, in order, while there is room (the caller holds the lock);
        none after a failure."""
        while self.pending and not self.errors and not self.pool.stopping:
            n, item = self.pending[-1]
            light = self.light(item)
            if (self.running >= max(self.depth, self.pool.size) if light
                    else self.heavy_running >= self.depth):
                return
            self.pending.pop()
            self.running += 1
            self.heavy_running += not light
            self._submit(n, item)

    def _submit(self, n: int, item: Any) -> None:
        self.pool.submit(self.run, self.make(item), lambda r: self._done(n, item, r),
                         lambda e: self._failed(n, item, e))

    def _done(self, n: int, item: Any, result: T) -> None:
        self.done(result)
        with self.lock:
            self.results[n] = result
            self._queue(item, result)
            self._finish_one(item)

    def _failed(self, n: int, item: Any, exc: BaseException) -> None:
        with self.lock:
            self.errors[n] = exc
            self._finish_one(item)

    def _finish_one(self, item: Any) -> None:
        self.running -= 1
        self.heavy_running -= not self.light(item)
        self._start_ready()
        if self.running == 0:
            self.finished.set()

    def wait(self) -> list[T]:
        """Every task's result, once all are done; raises the error of the first task (in
        task order) that failed, once the tasks still running have finished."""
        self.finished.wait()
        if self.errors:
            raise self.errors[min(self.errors)]
        return [r for r in self.results if r is not None]
