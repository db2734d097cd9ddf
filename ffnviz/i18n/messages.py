"""What the engine says of a bad value (a link's, a spec's), in the reader's language.

The engine (specs/, flat.py, checks.py) writes its messages in English, one fixed form each, and
composes them ("the defaults of link version 2: lr must be in …"); the page translates them here
by their form, the keys and values in code font in both languages (they are what a person types
in the URL). A form not listed stays as the engine wrote it."""

from __future__ import annotations

import re

_KEY = r"(?P<name>[^\s:]+)"
_TEXT = r"(?P<text>.+?)"

# (the English form, its key below); tried in order, the whole message first.
FORMS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p + "$"), k) for p, k in (
    (r"v: (?P<text>.+) is not a link version this ffnviz knows \(1\.\.(?P<version>\d+)\); read against today's defaults",
     "msg_bad_version"),
    (_KEY + ": " + _TEXT + r" is not a whole number", "msg_not_whole"),
    (_KEY + ": " + _TEXT + r" is not a number", "msg_not_number"),
    (_KEY + ": " + _TEXT + r" is not true or false", "msg_not_bool"),
    (_KEY + ": " + _TEXT + r" is not a comma-separated list of whole numbers \(e\.g\. (?P<example>[-\d,]+)\)",
     "msg_not_ints"),
    (_KEY + ": " + _TEXT + r" is not a comma-separated list of numbers", "msg_not_floats"),
    (_KEY + ": " + _TEXT + r" is not two numbers x,y \(e\.g\. (?P<example>[-\d.,]+)\)", "msg_not_point"),
    (_KEY + r" must be a whole number in (?P<allowed>\S+), got (?P<got>[^;]+)", "msg_whole_in"),
    (_KEY + r" must be a number in (?P<allowed>\S+), got (?P<got>[^;]+)", "msg_number_in"),
    (_KEY + r" must be in (?P<allowed>\S+), got (?P<got>[^;]+)", "msg_in"),
    (_KEY + r" must be one of (?P<choices>.+); got (?P<got>[^;]+)", "msg_one_of"),
    (_KEY + r" must be true or false, got (?P<got>[^;]+)", "msg_bool"),
    # the gated page's races (specs/gated.py)
    (_KEY + r" must be in (?P<allowed>\S+) on this page, got (?P<got>[^;]+)", "msg_in_on_this_page"),
    (_KEY + r" must be one of (?P<choices>.+) on this page, got (?P<got>[^;]+)", "msg_one_of_on_this_page"),
    (_KEY + r": (?P<member>\S+) races already; each races once", "msg_races_already"),
    (r"race\.contestants: this page races (?P<allowed>\S+) different ones \((?P<options>.+)\), got (?P<got>\d+); "
     r"kept (?P<kept>.+)", "msg_race_contestants"),
    (_KEY + r": not adjustable on this page; it uses (?P<uses>.+)", "msg_not_adjustable_uses"),
    (_KEY + r": not adjustable on this page; left out", "msg_not_adjustable_left_out"),
    (r"seeds must list (?P<count>\S+) training seeds, got (?P<got>[^;]+)", "msg_seeds_count"),
    (r"seeds must differ from each other, got (?P<got>[^;]+)", "msg_seeds_differ"),
))

# (an English frame around another message, its key): the inner message is translated too.
FRAMES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p + "$"), k) for p, k in (
    (r"the defaults of link version (?P<version>\d+): (?P<inner>.+)", "msg_old_defaults"),
    (r"(?P<inner>.+); kept the race as it was", "msg_kept_race"),
    (r"(?P<inner>.+); kept the layers as they were", "msg_kept_layers"),
    (r"(?P<inner>.+); kept the run as it was", "msg_kept_run"),
    (r"(?P<inner>.+); kept (?P<seeds>[\d,]+)", "msg_kept_seeds"),
    (_KEY + r": (?P<inner>.+)", "msg_keyed"),
))

TABLE: dict[str, tuple[str, str]] = {
    "msg_bad_version": ("`v`: `{text}` is not a link version this ffnviz knows (1..{version}); read against today's defaults",
                        "`v`：`{text}` 不是本版 ffnviz 认识的链接版本（1..{version}），已按当前默认值读取"),
    "msg_not_whole": ("`{name}`: `{text}` is not a whole number", "`{name}`：`{text}` 不是整数"),
    "msg_not_number": ("`{name}`: `{text}` is not a number", "`{name}`：`{text}` 不是数字"),
    "msg_not_bool": ("`{name}`: `{text}` is not `true` or `false`", "`{name}`：`{text}` 不是 `true` 或 `false`"),
    "msg_not_ints": ("`{name}`: `{text}` is not a comma-separated list of whole numbers (e.g. `{example}`)",
                     "`{name}`：`{text}` 不是用逗号分隔的整数列表（例如 `{example}`）"),
    "msg_not_floats": ("`{name}`: `{text}` is not a comma-separated list of numbers", "`{name}`：`{text}` 不是用逗号分隔的数字列表"),
    "msg_not_point": ("`{name}`: `{text}` is not two numbers x,y (e.g. `{example}`)", "`{name}`：`{text}` 不是两个数 x,y（例如 `{example}`）"),
    "msg_whole_in": ("`{name}` must be a whole number in `{allowed}`, got `{got}`", "`{name}` 应为 `{allowed}` 之间的整数，实际为 `{got}`"),
    "msg_number_in": ("`{name}` must be a number in `{allowed}`, got `{got}`", "`{name}` 应为 `{allowed}` 之间的数，实际为 `{got}`"),
    "msg_in": ("`{name}` must be in `{allowed}`, got `{got}`", "`{name}` 应在 `{allowed}` 之间，实际为 `{got}`"),
    "msg_one_of": ("`{name}` must be one of `{choices}`; got `{got}`", "`{name}` 只能取 `{choices}` 之一，实际为 `{got}`"),
    "msg_bool": ("`{name}` must be `true` or `false`, got `{got}`", "`{name}` 应为 `true` 或 `false`，实际为 `{got}`"),
    "msg_seeds_count": ("`seeds` must list {count} training seeds, got `{got}`", "`seeds` 应列出 {count} 个训练种子，实际为 `{got}`"),
    "msg_seeds_differ": ("`seeds` must differ from each other, got `{got}`", "`seeds` 中的种子应各不相同，实际为 `{got}`"),
    "msg_in_on_this_page": ("`{name}` must be in `{allowed}` on this page, got `{got}`",
                            "本页上 `{name}` 应在 `{allowed}` 之间，实际为 `{got}`"),
    "msg_one_of_on_this_page": ("`{name}` must be one of `{choices}` on this page, got `{got}`",
                                "本页上 `{name}` 只能取 `{choices}` 之一，实际为 `{got}`"),
    "msg_races_already": ("`{name}`: `{member}` races already; each races once", "`{name}`：`{member}` 已经参赛；每个只能参赛一次"),
    "msg_race_contestants": ("`race.contestants`: this page races {allowed} different ones ({options}), got {got}; kept "
                             "{kept}", "`race.contestants`：本页的竞赛需要 {allowed} 个不同的参赛者（{options}），实际为 {got} 个；"
                                       "保留 {kept}"),
    "msg_not_adjustable_uses": ("`{name}`: not adjustable on this page; it uses `{uses}`", "`{name}`：本页不可调，固定使用 `{uses}`"),
    "msg_not_adjustable_left_out": ("`{name}`: not adjustable on this page; left out", "`{name}`：本页不可调，已略去"),
    "msg_old_defaults": ("the defaults of link version {version}: {inner}", "第 {version} 版链接的默认值：{inner}"),
    "msg_kept_race": ("{inner}; kept the race as it was", "{inner}；竞赛保持原样"),
    "msg_kept_layers": ("{inner}; kept the layers as they were", "{inner}；各层保持原样"),
    "msg_kept_run": ("{inner}; kept the run as it was", "{inner}；本次运行保持原样"),
    "msg_kept_seeds": ("{inner}; kept `{seeds}`", "{inner}；保留原来的种子 `{seeds}`"),
    "msg_keyed": ("`{name}`: {inner}", "`{name}`：{inner}"),
}


def translate_message(text: str, translate, lang: str) -> str:
    """`text` (an engine message) in `lang`, through `translate(key, lang, **args)`; several
    messages joined by "; " each on its own; a form not known stays as it is."""
    for pattern, key in FORMS:
        found = pattern.match(text)
        if found:
            return translate(key, lang, **found.groupdict())
    for pattern, key in FRAMES:
        found = pattern.match(text)
        if found:
            inner = translate_message(found["inner"], translate, lang)
            if inner != found["inner"] or key != "msg_keyed":  # "a: b" alone is not a frame we know
                return translate(key, lang, **{**found.groupdict(), "inner": inner})
    parts = text.split("; ")
    if len(parts) > 1:
        return ("；" if lang == "zh" else "; ").join(translate_message(p, translate, lang) for p in parts)
    return text
