"""The literal prefilter never hides a match: every match contains one of the needles."""

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.rx import Rx, needles
from cleaner.samples import find_samples

ALPHABET = "ab文档 \n"
atoms = st.sampled_from([*"ab文档", r"\n", " ", ".", r"\d", r"\s", "[ab]", "[^a]", "^", "$"])
quantifiers = st.sampled_from(["", "", "", "?", "*", "+", "{2}", "{1,3}", "{0,2}", "+?", "*+"])


@st.composite
def patterns(draw, depth=2):
    items = []
    for _ in range(draw(st.integers(1, 4))):
        if depth and draw(st.booleans()):
            branches = draw(st.lists(patterns(depth=depth - 1), min_size=1, max_size=3))
            opener = draw(st.sampled_from(["(?:", "(", "(?=", "(?<=", "(?!", f"(?P<g{depth}>"]))
            if opener.startswith("(?<"):
                branches = ["a"]  # look-behinds need a fixed width
            items.append(opener + "|".join(branches) + ")")
        else:
            items.append(draw(atoms))
        items[-1] += draw(quantifiers)
    return "".join(items)


@settings(max_examples=600, deadline=None)
@given(patterns(), st.lists(st.text(ALPHABET, max_size=12), min_size=1, max_size=5))
def test_needles_are_necessary(pattern, texts):
    try:
        compiled = regex.compile(pattern, regex.MULTILINE)
    except regex.error:
        return
    found = needles(pattern)
    for text in texts:
        if compiled.search(text) and found is not None:
            assert any(n in text for n in found), (pattern, text, found)


def test_examples_of_needles():
    assert needles(r"^查看更多$") == ("查看更多",)
    assert needles(r"^[ \t]*(?:下载本文档|下载资源)$") == ("下载本文档", "下载资源")
    assert needles(r"a?bc") == ("bc",)
    assert needles(r"(?i)abc") is None
    assert needles(r"(?:x){e<=1}") is None
    assert needles(r"\d+") is None


def test_bundled_rules_see_every_match_on_the_samples(cleaner):
    texts = [s.input.read_bytes().decode("utf-8", "replace") for s in find_samples()]
    for pack in cleaner.book.packs.values():
        rxs = [*pack.fingerprints, *pack.title_strip, *(m.pattern for m in pack.meta)]
        for rule in pack.text:
            rxs += [r for r in (rule.pattern, rule.start, rule.end) if r is not None]
        for rx in rxs:
            assert isinstance(rx, Rx)
            for text in texts:
                if rx.regex.search(text):
                    assert rx.may_match(text), (pack.id, rx.pattern)


def test_rx_pickles_with_its_needles():
    import pickle

    rx = pickle.loads(pickle.dumps(Rx(r"^相关文档$")))
    assert rx.needles == ("相关文档",) and rx.search("a\n相关文档\nb")
