"""Load rule packs (TOML), validate every key, compile every regex once, run the packs' examples."""

from __future__ import annotations

import difflib
import hashlib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import regex

from ..engine.dom import compile_selector
from ..engine.rx import Rx
from ..engine.text import apply_rule
from ..errors import PackError
from .types import (
    HTML_KINDS,
    META_FIELDS,
    META_FORMATS,
    META_SOURCES,
    TEXT_KINDS,
    HtmlRule,
    MetaRule,
    Pack,
    RuleBook,
    TextRule,
)

_PACK_KEYS = {"site", "title", "region", "meta", "text", "html"}
_REGION_KEYS = {"enabled", "threshold"}
_SITE_KEYS = {
    *("id", "name", "domains", "fingerprints", "inherit", "always", "language"),
    *("learned", "extends"),
}
_TITLE_KEYS = {"strip", "decorations", "glued"}
_COMMON_TEXT_KEYS = {"id", "kind", "why", "examples", "keeps", "flag"}
_TEXT_KEYS_BY_KIND = {
    "drop_line": {"pattern", "join"},
    "drop_block": {"start", "end", "max_lines"},
    "drop_repeat": {"within", "max_lines"},
    "cut_before": {"pattern", "within"},
    "cut_after": {"pattern", "within"},
    "strip": {"pattern", "join"},
    "linebreak": {"pattern"},
    "flag": {"pattern"},
}
_META_KEYS = {"field", "pattern", "value", "why", "examples", "source", "format"}
_HTML_KEYS = {"id", "kind", "css", "xpath", "why"}
_ID = regex.compile(r"^[a-z0-9][a-z0-9_.-]*$")
# the packs shipped with cleaner: rules/ of a checkout (editable install), or the copy a wheel
# installs as cleaner/rules
_PACKAGE = Path(__file__).resolve().parent.parent
BUNDLED_RULES = next(
    (p for p in (_PACKAGE.parent / "rules", _PACKAGE / "rules") if (p / "generic.toml").is_file()),
    _PACKAGE.parent / "rules",
)


def load_rulebook(
    extra: Iterable[str | Path] = (),
    *,
    bundled: bool = True,
    site_packs: bool = True,
) -> RuleBook:
    """Load the bundled packs (`site_packs=False`: only the always-packs among them), then
    each user folder or file in `extra`, in order."""
    book = RuleBook()
    if bundled:
        for path in _pack_files(BUNDLED_RULES):
            pack = load_pack(path)
            if site_packs or pack.always:
                book.add(pack)
    for source in extra:
        for path in _pack_files(Path(source)):
            book.add(load_pack(path))
    check_inherits(book)
    return book


def check_inherits(book: RuleBook) -> None:
    """Every pack a pack inherits must be loaded."""
    for pack in book.packs.values():
        for parent in pack.inherit:
            if parent not in book.packs:
                raise PackError(
                    pack.path,
                    f"[site] inherit names pack '{parent}', which is not loaded",
                    fix="add that pack or remove the name from inherit",
                )


def _pack_files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if source.is_dir():
        return sorted(p for p in source.glob("*.toml") if not p.name.startswith("_"))
    raise PackError(str(source), "no such rule file or folder")


def load_pack(path: str | Path) -> Pack:
    """Read, validate and compile one pack file; every problem is a `PackError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise PackError(str(path), f"cannot read the file: {e.strerror or e}") from None
    return pack_from_bytes(raw, str(path))


def pack_from_bytes(raw: bytes, where: str) -> Pack:
    """Validate and compile a pack given as the bytes of its TOML file; `where` names it."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(where, "the file is not UTF-8", fix="save it as UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise PackError(where, f"not valid TOML: {e}") from None
    return compile_pack(data, where, hashlib.sha256(raw).hexdigest())


def compile_pack(data: dict[str, Any], where: str, sha256: str = "") -> Pack:
    """Validate a parsed pack and compile it; `where` names it in errors."""
    v = _Validator(where)
    v.keys(data, _PACK_KEYS, None, "the pack")
    site = data.get("site")
    if not isinstance(site, dict):
        raise PackError(where, "missing the [site] table", fix='add [site] with at least id = "…"')
    v.keys(site, _SITE_KEYS, None, "[site]")
    pack_id = v.string(site, "id", None, required=True)
    if not _ID.match(pack_id):
        raise PackError(where, f"[site] id '{pack_id}' must be lowercase letters, digits, - _ .")
    always = v.boolean(site, "always", None)
    domains = tuple(d.lower().strip(".") for d in v.strings(site, "domains", None))
    fingerprints = tuple(
        v.regex(p, None, f"[site] fingerprints[{i}]")
        for i, p in enumerate(v.strings(site, "fingerprints", None))
    )
    if always and (domains or fingerprints):
        raise PackError(
            where,
            "an always-pack applies to every page: it takes no domains or fingerprints",
            fix="remove always = true or the domains/fingerprints",
        )
    extends = v.string(site, "extends", None)
    if extends is not None and (always or extends == pack_id):
        raise PackError(
            where,
            "[site] extends names the site pack this pack adds rules to: not itself, and an"
            " always-pack applies to every page already",
            fix="remove extends",
        )

    title = data.get("title", {})
    if not isinstance(title, dict):
        raise PackError(where, "[title] must be a table", fix='write [title] then strip = ["…"]')
    v.keys(title, _TITLE_KEYS, None, "[title]")
    title_strip, decorations = (
        tuple(
            v.regex(p, None, f"[title] {key}[{i}]")
            for i, p in enumerate(v.strings(title, key, None))
        )
        for key in ("strip", "decorations")
    )

    region = data.get("region", {})
    if not isinstance(region, dict):
        raise PackError(where, "[region] must be a table", fix="write [region] then enabled = …")
    v.keys(region, _REGION_KEYS, None, "[region]")
    threshold = region.get("threshold")
    if threshold is not None and not (
        isinstance(threshold, int | float) and not isinstance(threshold, bool) and 0 < threshold < 1
    ):
        raise PackError(where, "[region] threshold must be a number in (0, 1)", fix="e.g. 0.7")

    seen: set[str] = set()
    text = tuple(_text_rule(v, pack_id, r, seen) for r in v.tables(data, "text"))
    meta = tuple(_meta_rule(v, pack_id, i, r) for i, r in enumerate(v.tables(data, "meta")))
    html = tuple(_html_rule(v, pack_id, r, seen) for r in v.tables(data, "html"))
    return Pack(
        id=pack_id,
        path=where,
        sha256=sha256,
        name=v.string(site, "name", None),
        domains=domains,
        fingerprints=fingerprints,
        inherit=tuple(v.strings(site, "inherit", None)),
        always=always,
        language=v.string(site, "language", None),
        text=text,
        meta=meta,
        html=html,
        title_strip=title_strip,
        title_decorations=decorations,
        region_enabled=v.boolean(region, "enabled", None) if "enabled" in region else None,
        region_threshold=float(threshold) if threshold is not None else None,
        title_glued=v.boolean(title, "glued", None),
        learned=v.boolean(site, "learned", None),
        extends=extends,
    )


def _text_rule(v: _Validator, pack_id: str, r: dict[str, Any], seen: set[str]) -> TextRule:
    rid = _rule_id(v, r, seen, "[[text]]")
    kind = v.string(r, "kind", rid, required=True)
    if kind not in TEXT_KINDS:
        raise PackError(v.where, f"unknown kind '{kind}'", rid, _choices(kind, TEXT_KINDS))
    v.keys(r, _COMMON_TEXT_KEYS | _TEXT_KEYS_BY_KIND[kind], rid, f"a {kind} rule")
    why = v.string(r, "why", rid, required=True)
    examples = tuple(v.strings(r, "examples", rid))
    if not examples:
        raise PackError(
            v.where, "has no examples", rid, 'add examples = ["…a piece of the chrome it removes…"]'
        )
    flag = v.string(r, "flag", rid, required=kind == "flag")
    within = r.get("within")
    if within is not None and not (isinstance(within, int | float) and 0 < within <= 1):
        raise PackError(v.where, "within must be a number in (0, 1]", rid, "e.g. within = 0.3")
    max_lines = r.get("max_lines", 12 if kind == "drop_repeat" else 40)
    if not isinstance(max_lines, int) or isinstance(max_lines, bool) or max_lines < 0:
        raise PackError(v.where, "max_lines must be a whole number ≥ 0", rid, "e.g. max_lines = 12")
    if kind == "drop_block":
        start = v.regex(v.string(r, "start", rid, required=True), rid, "start")
        end = v.regex(v.string(r, "end", rid, required=True), rid, "end")
        pattern = None
    elif kind == "drop_repeat":
        if max_lines < 1:
            raise PackError(v.where, "max_lines must be at least 1", rid, "e.g. max_lines = 12")
        pattern = start = end = None
    else:
        pattern = v.regex(v.string(r, "pattern", rid, required=True), rid, "pattern")
        start = end = None
    rule = TextRule(
        id=f"{pack_id}/{rid}",
        kind=kind,
        why=why,
        pattern=pattern,
        start=start,
        end=end,
        flag=flag,
        join=v.boolean(r, "join", rid),
        within=float(within) if within is not None else None,
        max_lines=max_lines,
        examples=examples,
        keeps=tuple(v.strings(r, "keeps", rid)),
    )
    _check_examples(v.where, rid, rule)
    return rule


def example_failures(rule: TextRule) -> list[tuple[str, str]]:
    """(what is wrong, the fix) for each example the rule misses and each keep it fires on."""
    rule = replace(rule, within=None)  # an example is a piece of a page, not a whole page
    failures = [
        (f"does not fire on its example {_short(x)!r}", "correct the pattern or the example")
        for x in rule.examples
        if not apply_rule(rule, x, timeout=2.0).fired
    ]
    failures += [
        (f"fires on its keep {_short(x)!r}", "make the pattern more specific")
        for x in rule.keeps
        if apply_rule(rule, x, timeout=2.0).fired
    ]
    return failures


def _check_examples(where: str, rid: str, rule: TextRule) -> None:
    failures = example_failures(rule)
    if failures:
        message, fix = failures[0]
        raise PackError(where, message, rid, fix)


def _meta_rule(v: _Validator, pack_id: str, i: int, r: dict[str, Any]) -> MetaRule:
    name = f"meta #{i + 1}"
    v.keys(r, _META_KEYS, name, "a [[meta]] capture")
    fld = v.string(r, "field", name, required=True)
    if fld not in META_FIELDS:
        raise PackError(v.where, f"unknown field '{fld}'", name, _choices(fld, META_FIELDS))
    name = f"meta #{i + 1} ({fld})"
    pattern = v.regex(v.string(r, "pattern", name, required=True), name, "pattern")
    value = r.get("value")
    if value is None and "value" not in pattern.groupindex:
        raise PackError(
            v.where,
            "the pattern has no (?P<value>…) group and no constant value",
            name,
            "add a (?P<value>…) group or value = …",
        )
    if value is not None and not isinstance(value, META_FIELDS[fld]):
        raise PackError(v.where, f"value must be a {META_FIELDS[fld].__name__}", name)
    source = v.string(r, "source", name) or "page"
    if source not in META_SOURCES:
        raise PackError(v.where, f"unknown source '{source}'", name, _choices(source, META_SOURCES))
    fmt = v.string(r, "format", name)
    if fmt is not None and fmt not in META_FORMATS:
        raise PackError(v.where, f"unknown format '{fmt}'", name, _choices(fmt, META_FORMATS))
    if "add" in pattern.groupindex and META_FIELDS[fld] is not int:
        raise PackError(
            v.where, "an (?P<add>…) group only works for number fields", name, "remove the group"
        )
    examples = tuple(v.strings(r, "examples", name))
    for example in examples:
        if not pattern.search(example):
            raise PackError(
                v.where,
                f"does not match its example {_short(example)!r}",
                name,
                "correct the pattern or the example",
            )
    return MetaRule(f"{pack_id}/{name}", fld, pattern, value, source, examples, fmt)


def _html_rule(v: _Validator, pack_id: str, r: dict[str, Any], seen: set[str]) -> HtmlRule:
    rid = _rule_id(v, r, seen, "[[html]]")
    v.keys(r, _HTML_KEYS, rid, "an [[html]] rule")
    kind = v.string(r, "kind", rid, required=True)
    if kind not in HTML_KINDS:
        raise PackError(v.where, f"unknown kind '{kind}'", rid, _choices(kind, HTML_KINDS))
    css, xpath = v.string(r, "css", rid), v.string(r, "xpath", rid)
    if (css is None) == (xpath is None):
        raise PackError(v.where, "needs exactly one of css or xpath", rid)
    try:  # compiled now, once: a selector that cannot compile fails the load, never a page
        selector = compile_selector(css, xpath)
    except ValueError as e:
        raise PackError(
            v.where, str(e), rid, "correct the selector (CSS 3, or XPath 1.0)"
        ) from None
    return HtmlRule(
        f"{pack_id}/{rid}", kind, v.string(r, "why", rid, required=True), css, xpath, selector
    )


def _rule_id(v: _Validator, r: dict[str, Any], seen: set[str], table: str) -> str:
    rid = r.get("id")
    if not isinstance(rid, str) or not rid:
        raise PackError(v.where, f"a {table} rule has no id", None, 'add id = "short-name"')
    if not _ID.match(rid):
        raise PackError(v.where, "ids are lowercase letters, digits, - _ .", rid)
    if rid in seen:
        raise PackError(v.where, "two rules have this id", rid, "rename one of them")
    seen.add(rid)
    return rid


class _Validator:
    """Typed reads from a parsed TOML table, raising `PackError`s that name file and rule."""

    def __init__(self, where: str):
        self.where = where

    def keys(self, table: dict[str, Any], allowed: set[str], rule: str | None, what: str) -> None:
        for key in table:
            if key not in allowed:
                raise PackError(
                    self.where,
                    f"unknown key '{key}' in {what}",
                    rule,
                    _choices(key, sorted(allowed)),
                )

    def string(self, t: dict[str, Any], key: str, rule: str | None, required: bool = False):
        value = t.get(key)
        if value is None:
            if required:
                raise PackError(self.where, f"missing '{key}'", rule, f'add {key} = "…"')
            return None
        if not isinstance(value, str):
            raise PackError(self.where, f"'{key}' must be a string", rule)
        return value

    def strings(self, t: dict[str, Any], key: str, rule: str | None) -> list[str]:
        value = t.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise PackError(
                self.where, f"'{key}' must be a list of strings", rule, f'write {key} = ["…", "…"]'
            )
        return value

    def boolean(self, t: dict[str, Any], key: str, rule: str | None) -> bool:
        value = t.get(key, False)
        if not isinstance(value, bool):
            raise PackError(self.where, f"'{key}' must be true or false", rule)
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
            raise PackError(
                self.where,
                f"'{key}' must be an array of tables",
                None,
                f"write each rule as [[{key}]]",
            )
        return value

    def regex(self, pattern: str, rule: str | None, what: str) -> Rx:
        try:
            return Rx(pattern)
        except regex.error as e:
            raise PackError(
                self.where,
                f"{what} is not a valid regex: {e}",
                rule,
                "escape special characters such as ( ) [ ] . ? * + with \\",
            ) from None


def _choices(word: str, options: Sequence[str] | dict[str, Any]) -> str:
    options = list(options)
    close = difflib.get_close_matches(word, options, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"{hint}allowed: {', '.join(options)}"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
