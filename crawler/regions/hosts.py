"""County names in a portal's host name: www.tongshan.gov.cn → 通山县 (and 铜山区: same pinyin).

A host alone is weak evidence (homophones, abbreviations), so it only decides between the
candidates the text already gives (a town name found in several counties), never on its own.
"""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from crawler.regions.divisions import Divisions, Unit, stem

_GENERIC = {"www", "gov", "cn", "com", "net", "org", "xxgk", "zwgk", "gk", "zfxxgk", "wap", "m"}
_LEVEL_SYLLABLES = ("", "xian", "shi", "qu", "qi")


def host_labels(url: str | None) -> set[str]:
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return set()
    if not host or host.replace(".", "").isdigit() or host == "localhost":
        return set()
    return {label for label in host.split(".") if label and label not in _GENERIC and label.isalpha()}


@lru_cache(maxsize=4)
def _pinyin_index(div: Divisions) -> dict[str, list[Unit]]:
    from pypinyin import lazy_pinyin   # imported on first use: ~0.2 s to build the index
    index: dict[str, list[Unit]] = {}
    for units in div.counties_by_name.values():
        for u in units:
            key = "".join(lazy_pinyin(stem(u.name)))
            for tail in _LEVEL_SYLLABLES:
                index.setdefault(key + tail, []).append(u)
    return index


def host_counties(urls, div: Divisions, prefix: str | None = None) -> list[Unit]:
    """Counties (within `prefix`) whose name's pinyin is a label of one of the URLs' hosts."""
    index = None
    out: list[Unit] = []
    for url in urls:
        labels = host_labels(url)
        if not labels:
            continue
        index = index or _pinyin_index(div)
        for label in labels:
            out += [u for u in div.within(index.get(label, ()), prefix) if u not in out]
    return out
