"""Worker processes for a batch: chunks of pages in, results out in input order.

Each worker unpickles the `Cleaner` once, then cleans the chunks sent to it. The parent keeps a
bounded window of chunks in flight, so memory stays flat however long the input. A worker that
dies or hangs (a page that ignores the per-page alarm) is replaced; the pages of the chunk it
held are retried one by one, and the page that kills or hangs a worker again becomes an error
result. Everything else in the chunk is cleaned as usual.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

# a chunk of work: (sequence number, offset of its first item, items)
Task = tuple[int, int, list[Any]]
CleanFn = Callable[[Any, Any, float | None], Any]


def _context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["cleaner.batch"])
        return ctx
    return mp.get_context("spawn")


def _worker(blob: bytes, tasks: Any, results: Connection) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    cleaner, fn, timeout = pickle.loads(blob)
    while True:
        task = tasks.get()
        if task is None:
            break
        seq, offset, items = task
        results.send((seq, offset, [fn(cleaner, item, timeout) for item in items]))


@dataclass
class _Worker:
    process: Any
    tasks: Any
    results: Connection
    pending: deque = field(default_factory=deque)  # Tasks sent, oldest first
    since: float = 0.0  # when the oldest pending task started (about)


class Pool:
    """`Pool(cleaner, fn, n, timeout).map(chunks)` yields each chunk's results, in order.

    `fn(cleaner, item, timeout)` runs in the worker for each item and must not raise;
    `on_failure(item, why)` builds the result of an item that killed or hung a worker twice.
    """

    def __init__(
        self,
        cleaner: Any,
        fn: CleanFn,
        workers: int,
        timeout: float | None,
        on_failure: Callable[[Any, str], Any],
        window: int | None = None,
    ):
        self.ctx = _context()
        self.blob = pickle.dumps((cleaner, fn, timeout))
        self.n = workers
        self.timeout = timeout
        self.on_failure = on_failure
        self.window = window or 4 * workers
        self.workers: list[_Worker] = []
        self.replaced = 0

    def _start(self) -> _Worker:
        tasks = self.ctx.Queue()
        receive, send = self.ctx.Pipe(duplex=False)
        p = self.ctx.Process(target=_worker, args=(self.blob, tasks, send), daemon=True)
        p.start()
        send.close()
        return _Worker(p, tasks, receive)

    def _deadline(self, w: _Worker) -> float:
        """When the oldest task of `w` counts as hung: its pages' alarms plus a margin."""
        _, _, items = w.pending[0]
        per_page = (self.timeout or 60.0) + 5.0
        return w.since + len(items) * per_page + 10.0

    def map(self, chunks: Iterable[list[Any]]) -> Iterator[list[Any]]:
        self.workers = [self._start() for _ in range(self.n)]
        try:
            yield from self._map(iter(chunks))
        finally:
            self.close()

    def _map(self, chunks: Iterator[list[Any]]) -> Iterator[list[Any]]:
        done: dict[int, list[Any]] = {}  # seq -> results (None where not back yet)
        missing: dict[int, int] = {}
        retry: deque[Task] = deque()  # single pages to run again on a fresh worker
        solo: set[tuple[int, int]] = set()
        next_seq = 0  # next chunk to read
        next_out = 0  # next chunk to yield
        exhausted = False
        while True:
            # feed: retries first, then new chunks while the window allows
            for w in sorted(self.workers, key=lambda w: len(w.pending)):
                if len(w.pending) >= 2:
                    continue
                if retry:
                    task = retry.popleft()
                elif not exhausted and next_seq - next_out < self.window:
                    items = next(chunks, None)
                    if items is None:
                        exhausted = True
                        continue
                    task = (next_seq, 0, items)
                    done[next_seq] = [None] * len(items)
                    missing[next_seq] = len(items)
                    next_seq += 1
                else:
                    continue
                if not w.pending:
                    w.since = time.monotonic()
                w.pending.append(task)
                w.tasks.put(task)
            while next_out in missing and missing[next_out] == 0:
                del missing[next_out]
                yield done.pop(next_out)
                next_out += 1
            if exhausted and not retry and next_out == next_seq:
                return
            busy = [w for w in self.workers if w.pending]
            if not busy:
                continue
            conns = [w.results for w in busy] + [w.process.sentinel for w in busy]
            ready = wait(conns, timeout=1.0)
            now = time.monotonic()
            for w in list(busy):
                failed = None
                if w.results in ready:
                    try:
                        seq, offset, results = w.results.recv()
                    except (EOFError, OSError):
                        failed = "the worker process died"
                    else:
                        w.pending.popleft()
                        w.since = now
                        solo.discard((seq, offset))
                        slots = done[seq]
                        for i, r in enumerate(results):
                            slots[offset + i] = r
                        missing[seq] -= len(results)
                        continue
                if w.process.sentinel in ready and not w.process.is_alive():
                    failed = f"the worker process died (exit code {w.process.exitcode})"
                elif failed is None and now > self._deadline(w):
                    failed = "the page ran past --page-timeout and did not stop"
                if failed:
                    self._replace(w, failed, retry, solo, done, missing)

    def _replace(self, w, why, retry, solo, done, missing) -> None:
        """Kill `w`, start a new worker, and put its pending tasks back to be run again."""
        self.replaced += 1
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.results.close()
        self.workers[self.workers.index(w)] = self._start()
        first = True
        for seq, offset, items in w.pending:
            if first and (seq, offset) in solo:  # the page failed alone: it is the culprit
                solo.discard((seq, offset))
                done[seq][offset] = self.on_failure(items[0], why)
                missing[seq] -= 1
            elif first:  # one of these pages is the culprit: run each alone
                for i, item in enumerate(items):
                    solo.add((seq, offset + i))
                    retry.append((seq, offset + i, [item]))
            else:
                retry.append((seq, offset, items))
            first = False

    def close(self) -> None:
        for w in self.workers:
            if w.process.is_alive():
                with contextlib.suppress(OSError, ValueError):
                    w.tasks.put(None)
        for w in self.workers:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
            w.tasks.close()
            w.tasks.cancel_join_thread()
            w.results.close()
        self.workers = []
