"""Time and peak memory of cleaning each hostile page once: the bounds the README quotes.

    .venv/bin/python benchmarks/hostile.py

Each page is cleaned in a fresh child process, so one page's peak memory does not hide
another's. A page either cleans or ends in a clear `PageError`; both are reported.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable

from cleaner import Cleaner, Page, PageError

MB = 1 << 20


def pages() -> dict[str, Callable[[], Page]]:
    body = "这是一段正文,用来测试很长的单行文本。"
    deep = 100_000
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)
        )
        + "]><html><body><p>&lol9;</p><p>正文。</p></body></html>"
    )
    return {
        "50 MB single line": lambda: Page(body * (50 * MB // len(body.encode()))),
        "100,000 short lines": lambda: Page("短行正文。\n" * 100_000),
        "NUL bytes (binary)": lambda: Page(b"\x00\x01\x02PK\x03\x04" * 10_000),
        "invalid UTF-8": lambda: Page(
            "正文第一段。\n".encode() * 100 + b"\xe6\xad" + "正文。".encode()
        ),
        "GBK labelled UTF-8": lambda: Page(
            ("正文第一段。\n" * 500).encode("gbk"), encoding="utf-8"
        ),
        "HTML nested 100,000 deep": lambda: Page(
            "<html><body>" + "<div>" * deep + "正文。" + "</div>" * deep + "</body></html>",
            kind="html",
        ),
        "billion laughs": lambda: Page(laughs, kind="html"),
        "empty file": lambda: Page(b""),
        "only chrome": lambda: Page(
            "已阅读5页,还剩12页未读 继续免费阅读\n下载本文档\n点击查看更多>>\n"
        ),
    }


def _run(name: str, queue: mp.Queue) -> None:
    page = pages()[name]()
    cleaner = Cleaner()
    start = time.perf_counter()
    try:
        res = cleaner.clean_page(page)
        outcome = f"cleaned, {res.provenance['chars_out']:,} chars, flags {res.provenance['flags']}"
    except PageError as e:
        outcome = f"error: {e}"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((seconds, peak, outcome))


def main() -> None:
    ctx = mp.get_context("spawn")
    print(f"{'page':28} {'seconds':>8} {'peak MB':>8}  outcome")
    for name in pages():
        queue = ctx.Queue()
        proc = ctx.Process(target=_run, args=(name, queue))
        proc.start()
        seconds, peak, outcome = queue.get()
        proc.join()
        print(f"{name:28} {seconds:8.2f} {peak:8.0f}  {outcome[:90]}")


if __name__ == "__main__":
    main()
