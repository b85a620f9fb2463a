"""The one-pass needle index admits exactly the patterns whose own prefilter would."""

import pickle
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.engine.needles import NeedleIndex
from cleaner.engine.rx import Rx, any_of, matching_view
from cleaner.samples import find_samples


def _bundled_patterns(cleaner) -> list[Rx]:
    rxs = []
    for pack in cleaner.book.packs.values():
        rxs += [*pack.fingerprints, *pack.title_strip, *(m.pattern for m in pack.meta)]
        for rule in pack.text:
            rxs += [r for r in (rule.pattern, rule.start, rule.end) if r is not None]
    return rxs


def _plain(patterns: list[Rx], text: str) -> list[int]:
    return [i for i, rx in enumerate(patterns) if rx.may_match(text)]


def test_bundled_patterns_on_the_samples(cleaner):
    patterns = _bundled_patterns(cleaner)
    index = NeedleIndex(patterns)
    assert len(index.needles) > 200
    for sample in find_samples():
        text = matching_view(sample.input.read_bytes().decode("utf-8", "replace"))
        assert index.candidates(text) == _plain(patterns, text), sample.name
        for cut in (len(text) // 3, len(text) // 2):  # needles cut in two at the edges
            assert index.candidates(text[cut:]) == _plain(patterns, text[cut:])
            assert index.candidates(text[:cut]) == _plain(patterns, text[:cut])


PATTERNS = [
    Rx(r"^[ \t]*(?:相关文档|猜你喜欢)$"),
    Rx(r"文档评论\(\d+\)"),
    Rx(r"\d+"),  # no needles: always a candidate
    Rx(r"下载|下载文档"),  # one needle inside another
    Rx(r"Download now|now"),
    Rx("a\U0001f600b"),  # outside the BMP: four bytes of UTF-8
]
FRAGMENTS = ["相关", "文档", "猜你喜欢", "评论(", "下载", "Download", " now", "a\U0001f600", "b"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.text("文档下载ab \n\ud800\U0001f600", max_size=4)),
        max_size=12,
    )
)
def test_random_texts(parts):
    text = "".join(parts)
    assert NeedleIndex(PATTERNS).candidates(text) == _plain(PATTERNS, text)


def test_an_index_without_needles_admits_the_patterns_that_always_scan():
    assert NeedleIndex([]).candidates("下载") == []
    assert NeedleIndex([Rx(r"\d+"), Rx(r"\s")]).candidates("") == [0, 1]
    assert NeedleIndex([Rx("下载")]).candidates("") == []


def test_pickled_index_and_threads_agree():
    index = pickle.loads(pickle.dumps(NeedleIndex(PATTERNS)))
    texts = ["相关文档", "文档评论(3) 下载 a\U0001f600b", "Download now", "nothing", ""]
    want = [_plain(PATTERNS, t) for t in texts]
    results: list[bool] = []

    def work():  # each thread scans with scratch space of its own
        results.append([index.candidates(t) for t in texts * 200] == want * 200)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


def test_needles_hyperscan_cannot_take_leave_their_pattern_always_scanning():
    long, nul = "长" * 2000, "a\x00b"
    patterns = [Rx(long), Rx(nul), Rx(f"{long}|下载"), Rx("下载")]
    index = NeedleIndex(patterns)
    assert index.needles == ("下载",)
    assert index.candidates("无关") == [0, 1, 2]
    assert index.candidates("下载") == [0, 1, 2, 3]


GATED = [
    Rx(r"(?i)[ \t]*vip$"),  # always scans: (?i) gives no needles
    Rx(r"\d+[ \t]*页$"),
    Rx(r"(?i)^free essay"),
    Rx(r"文档评论\(\d+\)"),
    None,  # a rule without a pattern: no gate for such an index
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["VIP", "vip", " ", "12", "页", "Free Essay", "文档评论(3)", "\n"]),
            st.text("ab页 \n", max_size=3),
        ),
        max_size=8,
    )
)
def test_a_gate_leaves_out_only_the_always_patterns_that_cannot_match(parts):
    text = "".join(parts)
    patterns = GATED[:4]
    plain = NeedleIndex(patterns).candidates(text)
    matching = {i for i, rx in enumerate(patterns) if rx.regex.search(text)}
    gated = NeedleIndex(patterns, gate=True).candidates(text)
    assert matching <= set(gated) <= set(plain)
    assert NeedleIndex(GATED, gate=True).candidates(text) == NeedleIndex(GATED).candidates(text)


def test_patterns_that_change_meaning_in_an_alternation_get_no_gate():
    assert any_of([Rx(r"(?i)vip$"), Rx(r"^(\w+) \1$")]) is None  # a back reference
    assert any_of([Rx(r"(?i)vip$"), Rx(r"(?P<n>x)")]) is None  # a named group
    assert any_of([Rx(r"(?i)vip$"), Rx(r"(?s)a.b")]) is not None
    gate = any_of([Rx(r"(?i)vip$"), Rx(r"^Essay")])
    assert gate.search("word VIP") and gate.search("x\nEssay") and not gate.search("essay")
