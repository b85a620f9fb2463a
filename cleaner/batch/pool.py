"""Worker processes for a batch: chunks of pages in, results out in input order.

Each worker unpickles the `Cleaner` once, then cleans the chunks sent to it. The parent keeps a
bounded window of chunks in flight, so memory stays flat however long the input. A worker that
dies or hangs (a page that ignores the per-page alarm) is replaced: the worker tells which page
it has in hand, that page becomes an error result and the other pages it held are sent again.
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

from .entry import page_alarm

# a chunk of work: (sequence number, offset of its first item, items)
Task = tuple[int, int, list[Any]]
CleanFn = Callable[[Any, Any, float | None], Any]
# a page is hung when it runs this long past its time limit (its alarm did not stop it)
PAGE_GRACE = 5.0


def _context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["cleaner.batch.runner"])
        return ctx
    return mp.get_context("spawn")


def _worker(blob: bytes | tuple, tasks: Any, results: Connection, state: Any) -> None:
    """Clean the tasks from `tasks`; `state` tells the parent [start time, index] of the page
    in hand (start time 0 between tasks), so it can tell a hung page from a long task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    cleaner, fn, timeout = pickle.loads(blob) if isinstance(blob, bytes) else blob
    with page_alarm(timeout):  # the page time limit, for every page this worker cleans
        while True:
            task = tasks.get()
            if task is None:
                break
            seq, offset, items = task
            out = []
            for i, item in enumerate(items):
                state[1] = i
                state[0] = time.monotonic()
                out.append(fn(cleaner, item, timeout))
            state[0] = 0.0
            state[1] = -1
            results.send((seq, offset, out))


@dataclass
class _Worker:
    process: Any
    tasks: Any
    results: Connection
    state: Any  # shared [start time of the page in hand, its index in the oldest task]
    pending: deque = field(default_factory=deque)  # Tasks sent, oldest first


class Pool:
    """`Pool(cleaner, fn, n, timeout).map(chunks)` yields each chunk's results, in order.

    `fn(cleaner, item, timeout)` runs in the worker for each item and must not raise;
    `on_failure(item, why)` builds the result of an item that killed or hung a worker twice.
    `fork` starts the workers as forks of this process (no Cleaner to unpickle and warm up:
    a few ms, not half a second), for a pool started again and again (one per Spark task).
    """

    def __init__(
        self,
        cleaner: Any,
        fn: CleanFn,
        workers: int,
        timeout: float | None,
        on_failure: Callable[[Any, str], Any],
        window: int | None = None,
        fork: bool = False,
    ):
        if fork and "fork" in mp.get_all_start_methods():
            # the workers start as copies of this process: its Cleaner, warm, is theirs
            self.ctx, self.blob = mp.get_context("fork"), (cleaner, fn, timeout)
        else:
            self.ctx, self.blob = _context(), pickle.dumps((cleaner, fn, timeout))
        self.n = workers
        self.timeout = timeout
        self.on_failure = on_failure
        self.window = window or 4 * workers
        self.workers: list[_Worker] = []
        self.replaced = 0

    def _start(self) -> _Worker:
        tasks = self.ctx.Queue()
        receive, send = self.ctx.Pipe(duplex=False)
        state = self.ctx.RawArray("d", [0.0, -1.0])
        p = self.ctx.Process(target=_worker, args=(self.blob, tasks, send, state), daemon=True)
        p.start()
        send.close()
        return _Worker(p, tasks, receive, state)

    def _hung(self, w: _Worker, now: float) -> bool:
        """Whether the page in hand ran past its alarm and the margin without stopping."""
        started = w.state[0]
        return started > 0 and now - started > (self.timeout or 60.0) + PAGE_GRACE

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
            ready = wait(conns, timeout=min(1.0, PAGE_GRACE))
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
                        solo.discard((seq, offset))
                        slots = done[seq]
                        for i, r in enumerate(results):
                            slots[offset + i] = r
                        missing[seq] -= len(results)
                        continue
                if w.process.sentinel in ready and not w.process.is_alive():
                    failed = f"the worker process died (exit code {w.process.exitcode})"
                elif failed is None and self._hung(w, now):
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
        at = int(w.state[1]) if w.state[0] > 0 else -1  # the page in hand, if any
        for n, (seq, offset, items) in enumerate(w.pending):
            if n > 0:  # not started: run again as it is
                retry.append((seq, offset, items))
            elif 0 <= at < len(items) or (seq, offset) in solo:  # the culprit is known
                at = max(at, 0)
                solo.discard((seq, offset))
                done[seq][offset + at] = self.on_failure(items[at], why)
                missing[seq] -= 1
                if at:
                    retry.append((seq, offset, items[:at]))
                if at + 1 < len(items):
                    retry.append((seq, offset + at + 1, items[at + 1 :]))
            else:  # it died between pages: run each page alone to find the culprit
                for i, item in enumerate(items):
                    solo.add((seq, offset + i))
                    retry.append((seq, offset + i, [item]))

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
