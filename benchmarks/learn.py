"""Learning at scale: pages/s and peak memory of `cleaner learn` on a synthetic dump of many
hosts, to show that memory stays flat as the pages grow.

    .venv/bin/python benchmarks/learn.py                       # 10,000, 100,000, 300,000 pages
    .venv/bin/python benchmarks/learn.py --pages 1000000 --hosts 100

Each size runs in a child process of its own, which makes the pages as it goes (nothing is
held: host h prints its own chrome, with counters and the page's title in it, around body lines
made of random fragments, so that nearly every body line is new) and feeds them to the learner
in one pass. It reports pages/s, of the clock and of the process's CPU time (on a shared machine
the two differ; page making is included, about 2% of the time), the peak
RSS of the process, the candidates the bounded counters hold at the end, and how many hosts got
a pack that removes their chrome.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAN = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def fragments(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choices(HAN, k=rng.randint(4, 9))) for _ in range(n)]


def pages(n: int, hosts: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """(url, text) of `n` pages spread over `hosts` hosts."""
    fixed = random.Random(0)  # the hosts' words, the same for every run
    pool, words = fragments(fixed, 5000), fragments(fixed, 200)
    rng = random.Random(seed)
    for i in range(n):
        h = rng.randrange(hosts)
        title = "".join(rng.choices(words, k=2))
        body = ["".join(rng.choices(pool, k=rng.randint(3, 8))) + "。" for _ in range(12)]
        lines = [
            title,
            f"{words[h]}文库 > {words[h + 1]} > 资料",
            f"上传者:{rng.choice(words)}",
            f"阅读:{rng.randint(1, 99999)}次 页数:{rng.randint(1, 300)}",
            f"收藏《{title}》到{words[h + 2]}",
            f"{words[h + 3]}提示:本站资料均由用户上传{h}",
            "",
            f"{words[h + 4]}正文",
            *body,
            f"{words[h + 5]}推荐",
            *("".join(rng.choices(words, k=2)) for _ in range(3)),
            f"{words[h + 6]} | 关于我们 | 联系方式",
        ]
        yield f"https://www.wenku{h}.com.cn/doc/{i}.html", "\n".join(lines)


def child(n: int, hosts: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from cleaner import Cleaner, Page
    from cleaner.learn import Learner

    learner = Learner(Cleaner())
    t0, c0 = time.perf_counter(), time.process_time()
    for url, text in pages(n, hosts):
        learner.add(Page(text, url=url))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    held = sum(len(g.lines) + len(g.prefixes) + len(g.body) for g in learner.groups.values())
    report = learner.finish()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    learned = 0
    cleaner = learner.cleaner.with_packs(report.packs)
    for url, text in pages(hosts * 3, hosts, seed=2):  # new pages of every host
        res = cleaner.clean(text, url=url)
        learned += "正文" not in res.text and "关于我们" not in res.text
    return {
        "pages": n,
        "hosts": len(report.groups),
        "packs": len(report.packs),
        "pages_per_s": n / seconds,
        "pages_per_cpu_s": n / cpu,
        "rss_mb": rss,
        "held": held,
        "new_pages_clean": learned / (hosts * 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child(a.child, a.hosts)))
        return
    rows = []
    for n in a.pages:
        cmd = [sys.executable, __file__, "--child", str(n), "--hosts", str(a.hosts)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
        r = rows[-1]
        if not a.json:
            print(
                f"{r['pages']:>9,} pages, {r['hosts']} hosts: {r['pages_per_s']:7,.0f} pages/s"
                f" ({r['pages_per_cpu_s']:,.0f} a CPU second),"
                f" peak RSS {r['rss_mb']:5.0f} MB, {r['held']:,} candidates held,"
                f" {r['packs']} packs, new pages clean {r['new_pages_clean']:.0%}",
                flush=True,
            )
    if a.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
