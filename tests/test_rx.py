"""The literal prefilter never hides a match, and the line twin finds exactly the same matches."""

import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleaner.engine.rx import Rx, line_twin, needles
from cleaner.samples import find_samples

ALPHABET = "ab文档 \t.\n"
SETS = ["[ab]", "[^a]", "[a文]", r"[ \t]", r"[\n ]", "[a-b]", r"[b\.]", "[]a]", r"[\da]"]
atoms = st.sampled_from([*"ab文档", r"\n", " ", ".", r"\d", r"\s", "^", "$", *SETS])
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


def test_a_set_of_a_few_plain_characters_gives_each_as_a_needle():
    assert needles(r"[页頁]数") == ("数",)  # a literal is the better needle
    assert needles(r"\d+[页頁]") == ("頁", "页")
    assert needles(r"\w+[ \t]+\w+") == ("\t", " ")
    for pattern in (
        r"x?[a-z]",
        r"x?[^ab]",
        r"x?[\d.]",
        r"x?[abcde]",
        r"x?[[:alpha:]]",
        r"x?[ab&&b]",
    ):
        assert needles(pattern) is None, pattern


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


def _spans(matches):
    return [(m.span(), m.groups()) for m in matches]


line_patterns = st.lists(
    st.tuples(st.sampled_from(["", "[ \\t]*", "\\s*"]), patterns(depth=1)), min_size=1, max_size=3
).map(lambda branches: "|".join(f"^{lead}{body}" for lead, body in branches))


@settings(max_examples=600, deadline=None)
@given(line_patterns, st.lists(st.text(ALPHABET, max_size=16), min_size=1, max_size=5))
def test_line_twin_finds_the_same_matches(pattern, texts):
    try:
        rx = Rx(pattern)
    except regex.error:
        return
    rx._lines = line_twin(pattern, regex.MULTILINE)  # whether or not it would pay
    assume(rx._lines is not None)
    for text in texts:
        assert _spans(rx.finditer(text)) == _spans(rx.regex.finditer(text)), (pattern, text)
        for pos in range(len(text) + 1):
            got, want = rx.search(text, pos), rx.regex.search(text, pos)
            assert (got and got.span()) == (want and want.span()), (pattern, text, pos)


def test_line_twin_is_made_only_where_it_pays():
    assert line_twin(r"^[ \t]*(?:举报|收藏)$|^[ \t]*分享$", 8) is not None
    assert line_twin(r"^[^\n]{1,200}_第\d+页$", 8) is None  # tried at every line start anyway
    assert line_twin(r"^a|b", 8) is None  # a branch that is not anchored
    assert Rx(r"^[ \t]*查看更多$")._lines is None  # one literal: the engine's own search


def test_bundled_line_twins_agree_on_the_samples(cleaner):
    texts = [s.input.read_bytes().decode("utf-8", "replace") for s in find_samples()]
    twins = [
        rx
        for pack in cleaner.book.packs.values()
        for rule in pack.text
        for rx in (rule.pattern, rule.start, rule.end)
        if rx is not None and rx._lines is not None
    ]
    assert twins
    for rx in twins:
        for text in texts:
            assert _spans(rx.finditer(text)) == _spans(rx.regex.finditer(text)), rx.pattern
