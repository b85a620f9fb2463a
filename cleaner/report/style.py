"""How a report looks: its style sheet, and a colour for each rule that is the same in the rule
table, the bar chart and every page of one report."""

from __future__ import annotations

from collections.abc import Iterable

CSS = """
:root{--fg:#1d232b;--mute:#5d6876;--line:#d9dee5;--soft:#f4f6f9;--accent:#2456a6}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1500px;padding:16px 24px 64px;color:var(--fg);
 font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC",
 "WenQuanYi Micro Hei","Microsoft YaHei",sans-serif}
h1{font-size:22px;margin:8px 0 2px}h2{font-size:18px;margin:28px 0 8px;
 border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:0}
.sub,.note,.why{color:var(--mute)}.note{margin:4px 0 8px}
code{font:12px ui-monospace,monospace;background:var(--soft);padding:0 3px;border-radius:3px}
a{color:var(--accent)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:12px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:120px}
.card b{display:block;font-size:20px}.card span{color:var(--mute);font-size:12px}
.card.bad b{color:#b3261e}
.warn{border-left:4px solid #e0a100;background:#fff8e1;padding:6px 10px;margin:8px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:0 28px}
table{border-collapse:collapse;width:100%;margin:4px 0 12px}
th,td{text-align:left;padding:3px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:var(--soft)}td.n,th.n{text-align:right;
 font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{max-height:390px;overflow:auto;border-bottom:1px solid var(--line);margin-bottom:12px}
.scroll table{margin:0}.scroll thead th{position:sticky;top:0;z-index:1}
@media print{.scroll{max-height:none}}
svg.bar{display:block}svg.bar rect{fill:var(--d);fill-opacity:.7}
svg.bar rect.bg{fill:var(--soft);fill-opacity:1}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;background:var(--c);
 border:1px solid var(--d);margin-right:6px;vertical-align:-1px}
.flag{display:inline-block;background:#fdecea;color:#8c1d18;border-radius:3px;padding:0 5px;
 margin:0 3px 2px 0;font-size:12px}
.toggle{position:sticky;top:0;background:#fff;padding:6px 0;z-index:2;
 border-bottom:1px solid var(--line)}
.page{border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:12px 14px}
.page h3 a{color:inherit;text-decoration:none}
.cols{display:grid;grid-template-columns:minmax(0,1fr) 360px;gap:16px;margin-top:8px}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
pre.src{white-space:pre-wrap;overflow-wrap:anywhere;margin:0;font-size:13px;line-height:1.6;font-family:inherit;
 background:#fcfcfd;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
del{text-decoration:line-through 1.5px;text-decoration-color:var(--d);background:var(--c);
 color:#3b3f45;border-radius:2px}
.ws{--c:#e6e8ec;--d:#a7adb6}del.ws{text-decoration:none}
.gap{background:var(--c);border:1px solid var(--d);border-radius:3px;font-size:11px;
 padding:0 3px;margin:0 1px;color:#3b3f45;white-space:nowrap}
.gap.ws{display:inline-block;width:3px;height:1em;padding:0;margin:0;vertical-align:-2px}
aside.meta{font-size:12.5px}aside.meta table{margin:0 0 10px}
aside.meta td{overflow-wrap:anywhere}aside.meta td:first-child{color:var(--mute);
 white-space:nowrap;overflow-wrap:normal}
aside.meta ul{margin:2px 0;padding-left:16px}
body:has(#hide:checked) del:not(.ws),body:has(#hide:checked) .gap:not(.ws){display:none}
.kx{--c:#e3e3e3;--d:#777}
"""


WHITE_SPACE = "normalize/space"


class Palette:
    """A colour class for each rule (`k0`, `k1`…) in the order given, most removing first;
    white-space normalisation is grey (`ws`), any rule not given a neutral `kx`."""

    def __init__(self, rules: Iterable[str]):
        self._index: dict[str, int] = {}
        for rule in rules:
            if rule != WHITE_SPACE and rule not in self._index:
                self._index[rule] = len(self._index)

    def cls(self, rule: str) -> str:
        if rule == WHITE_SPACE:
            return "ws"
        i = self._index.get(rule)
        return "kx" if i is None else f"k{i}"

    def css(self) -> str:
        """The colour of each class: a light fill and a darker line of one hue; hues step by
        the golden angle, so neighbours in the table differ."""
        rules = []
        for i in self._index.values():
            hue = round((i * 137.508 + 25) % 360)
            rules.append(f".k{i}{{--c:hsl({hue} 80% 84%);--d:hsl({hue} 60% 38%)}}")
        return "\n".join(rules)
