"""Text normalisation (report-format.md §7): NFKC, invisible characters, traditional → simplified.

`clean` is for output text (keeps the characters as printed, only fixes encoding noise);
`compact` and `label_key` are for matching only.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)
_WS = re.compile(r"\s+")
_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑❶❷❸❹❺❻❼❽❾❿¹²³⁰⁴⁵⁶⁷⁸⁹"
_FOOTNOTE_MARKS = re.compile(f"[{_MARKS}]")
_PROTECT = {ord(ch): 0xE000 + i for i, ch in enumerate(_MARKS)}  # private-use stand-ins survive NFKC
_RESTORE = {0xE000 + i: ch for i, ch in enumerate(_MARKS)}
_NEEDS_TRANSLATE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\xa0\u3000]")
# Pinyin ruby injected by mirror sites after characters: 數(shù)據(jù) -> 數據
_RUBY = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_QUOTES = dict.fromkeys(map(ord, "“”\"'‘’「」『』"), None)
# Known bad t2s conversions (report-format.md §7).
_T2S_FIXES = (("规范性档案", "规范性文件"), ("档案性文件", "规范性文件"))


def clean(text: str | None) -> str:
    """NFKC, drop invisible characters, NBSP → space, strip. Keeps line breaks."""
    if not text:
        return ""
    if unicodedata.is_normalized("NFKC", text):
        t = text
    elif _FOOTNOTE_MARKS.search(text):
        # NFKC folds ① and ¹ into the digit 1, which would glue a footnote onto a value (1520① → 15201)
        t = unicodedata.normalize("NFKC", text.translate(_PROTECT)).translate(_RESTORE)
    else:
        t = unicodedata.normalize("NFKC", text)
    if _NEEDS_TRANSLATE.search(t):
        t = t.translate(_INVISIBLE).replace("\xa0", " ").replace("\u3000", " ")
    return t.strip()


def one_line(text: str | None) -> str:
    """clean + collapse all whitespace runs to a single space."""
    return _WS.sub(" ", clean(text)).strip()


def compact(text: str | None) -> str:
    """clean + remove all whitespace (for matching)."""
    return _WS.sub("", clean(text))


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
        return opencc.OpenCC("t2s")
    except Exception:  # pragma: no cover - opencc is a declared dependency
        return None


def _convert(text: str) -> str:
    conv = _converter()
    if conv is None:
        return text
    out = conv.convert(text)
    for bad, good in _T2S_FIXES:
        out = out.replace(bad, good)
    return out


_convert_short = lru_cache(maxsize=65536)(_convert)  # labels repeat across documents


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC t2s) plus known bad-conversion fixes; for matching only."""
    if not text or text.isascii():
        return text
    return _convert_short(text) if len(text) < 200 else _convert(text)


def strip_ruby(text: str) -> str:
    return _RUBY.sub("", text)


def label_key(text: str | None) -> str:
    """Normalised label for keyword matching: compact, simplified, ASCII brackets, no quotes/ruby."""
    t = compact(text)
    if not t:
        return ""
    t = strip_ruby(t)
    t = to_simplified(t)
    return t.translate(_QUOTES).replace("〔", "(").replace("〕", ")").replace("【", "(").replace("】", ")")
