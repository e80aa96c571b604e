"""Report metadata (report-format.md §6): title, report year, organ and level, 索引号, publisher, dates.
The label/value fields of metadata blocks are read in labels.py."""
from __future__ import annotations

import itertools
import re

from .document import Line
from .labels import _FIELD_BEFORE_TITLE, _LABEL_RE, _PLACEHOLDER, iso_date, label_line
from .normalize import compact, to_simplified
from .titles import TITLE_RE, title_kind

# ------------------------------------------------------------------ title
# '…政府信息公开工作年度报告(2023年度)': the year printed after the report phrase
_TRAILING_YEAR_TITLE = re.compile(
    r"(?P<pre>.{0,60}?)(?P<mid>)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)"
    r"[(\[]?(?P<year>(?:19|20)\d{2})年?度?[)\]]?")
# '清溪县石门乡政府信息公开工作年度报告': no year printed at all (the year comes from the body)
_NO_YEAR_TITLE = re.compile(
    r"^(?P<pre>[^0-9]{2,40}?)(?P<mid>)(?P<year>)(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:报告|年报)$")
_SENTENCE = re.compile(r"[，。；;！？]|根据|按照|现将|如下")
_PHRASE_HINT = re.compile(r"信\s*息\s*公\s*[开開]")
_TITLE_HINT = re.compile(r"报\s*告|年\s*报|報\s*告|年\s*報")
_IN_BOOK_TITLE = re.compile(r"[^《》]{0,30}》")
_LABEL_PREFIX = re.compile(r"^(?:名称|标题|题名|信息名称|文章标题)[:：]")


def _title_match(text: str):
    # substring tests first: most lines carry neither 报 nor 報, and the regexes are ~10× slower
    if not text or ("报" not in text and "報" not in text) or not _TITLE_HINT.search(text):
        return "", None
    m = _PHRASE_HINT.search(text)
    if m and ("：" in text[:m.start()] or ":" in text[:m.start()]):
        cut = 0
        for field in _FIELD_BEFORE_TITLE.finditer(text, 0, m.start()):
            cut = field.end()
        if cut:
            text = text[cut:]
            m = _PHRASE_HINT.search(text)
    if not m or any(p in text[:m.start()] for p in "。，；"):
        return "", None  # no report phrase, or a sentence leading up to it: not a title
    comp = to_simplified(compact(text[:300]))
    comp = re.split(r"[>»]|(?:名称|标题|题名|信息名称|文章标题|位置)[:：]", comp)[-1]
    # lazily: the other two forms are scanned only when the common one gave no title
    for m in itertools.chain(TITLE_RE.finditer(comp), _TRAILING_YEAR_TITLE.finditer(comp), _NO_YEAR_TITLE.finditer(comp)):
        pre = m.group("pre")
        # not a title: a phrase inside 《…》 (the format notice's name) or followed by 格式/解读/的通知
        if comp[m.end():m.end() + 2] in ("格式", "》格", "解读") or pre.count("《") > pre.count("》"):
            continue
        if "》" in pre or _IN_BOOK_TITLE.match(comp, m.end()):
            continue  # a phrase inside or after a cited 《…》 (a notice's name) is part of a sentence
        if _SENTENCE.search(pre) or _SENTENCE.search(m.group("mid")):
            continue  # '根据《条例》要求，现将我街道2022年度…报告如下。' is a sentence, not a title
        if title_kind(m.group(0)) == "column":
            continue  # '政府信息公开年报', '政府信息公开工作年度报告' with no organ or year: a column name
        if not m.group("year") and not organ_level(finalize_organ(re.sub(r"^(?:关于|印发)|(?:关于|的)$", "", pre))):
            continue  # no year and no issuer: '当前位置:政府信息公开年报', '法定主动公开内容政府信息公开年报'
        return comp, m
    return comp, None


_PLACE_LINE = re.compile(r"(?:省|市|州|盟|县|区|旗)$")  # a line ending in a place above the county (not '…政府')
_ORGAN_LINE = re.compile(r"(?:人民政府|政府|办事处|办公室|局|委员会|中心|街道|镇|乡|苏木|县|区|市|旗)$")


def _organ_line(text: str) -> bool:
    """A short line that is only an organ name (the first half of a title printed over two lines);
    never a metadata block ('索引号 … 发布机构 政府办公室': digits, Latin letters, labels)."""
    t = compact(text)
    return (2 < len(t) <= 40 and not re.search(r"[，。；：:、>»|/0-9A-Za-z]", t) and bool(_ORGAN_LINE.search(t))
            and not _LABEL_RE.search(t))


def _line_titles(lines: list[Line]) -> list[tuple[bool, str]]:
    """(standalone, title) for lines matching the title pattern; joins a title split over two lines."""
    texts = [" ".join(c for c in ln.cells if c.strip()) if ln.is_row else (ln.cells[0] if ln.cells else "")
             for ln in lines]
    singles = [_title_match(t) for t in texts]
    out = []
    for i, (comp, m) in enumerate(singles):
        nxt = singles[i + 1][1] if i + 1 < len(texts) else None
        if (m is None and i + 1 < len(texts) and nxt is None and 0 < len(texts[i]) <= 60
                and 0 < len(texts[i + 1]) <= 40 and (_PHRASE_HINT.search(texts[i] + texts[i + 1]))
                and not label_line(texts[i])):  # '<dt>信息类别</dt><dd>信息公开工作报告</dd>' is a field
            comp, m = _title_match(texts[i] + texts[i + 1])  # Q24: a title split over two lines
            if m is None and i + 2 < len(texts) and singles[i + 2][1] is None and 0 < len(texts[i + 2]) <= 30:
                comp, m = _title_match(texts[i] + texts[i + 1] + texts[i + 2])  # … or three
        elif m is None and nxt is not None and _organ_line(texts[i]) and (
                not re.sub(r"^(?:关于|印发)", "", nxt.group("pre"))
                or (nxt.start() == 0 and _PLACE_LINE.search(compact(texts[i])))):
            # 'XX县XX镇' + '2023年...报告', or a title wrapped inside the organ: 'XX市XX县' + 'XX镇2023年...报告'
            joined = _title_match(texts[i] + texts[i + 1])
            if joined[1] is not None:
                comp, m = joined
                singles[i + 1] = ("", None)
        if m:
            out.append((len(m.group(0)) >= 0.6 * len(comp) and len(comp) <= 80, m.group(0)))
    return out


def title_from(body: list[Line], chrome: list[Line], labelled: list[str | None],
               hints: list[str | None], link_text: str | None = None) -> tuple[str | None, re.Match | None]:
    """The report title and its TITLE_RE match (on compact simplified text).

    Order: a labelled title (ArticleTitle meta, 名称/标题 field); a standalone title line in the
    article; the page's h1/<title>; the text of the link the crawler followed; a standalone line in
    the page chrome (never a sidebar that lists other reports, when the article has its own); a
    title-like phrase inside a sentence.
    """
    cands: list[tuple[int, str]] = []
    for h in labelled:
        _c, m = _title_match(h or "")
        if m:
            cands.append((0, m.group(0)))
    for standalone, t in _line_titles(body[:40]):
        cands.append((1 if standalone else 4, t))
    for h in hints:
        _c, m = _title_match(h or "")
        if m:
            cands.append((2, m.group(0)))
    _c, m = _title_match(link_text or "")
    if m:
        cands.append((3, m.group(0)))
    for standalone, t in _line_titles(chrome[-40:]):
        cands.append((3 if standalone else 5, t))
    if not cands:
        return None, None
    cands.sort(key=lambda c: (c[0], not re.search(r"(?:19|20)\d{2}|[〇零一二三四五六七八九]{4}", c[1])))
    title = cands[0][1]
    return title, TITLE_RE.search(title) or _TRAILING_YEAR_TITLE.search(title) or _NO_YEAR_TITLE.search(title)


# ------------------------------------------------------------------ year
_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PERIOD = re.compile(r"统计(?:期限|时限|起止时间|时间|区间|周期|范围)?[^。]{0,20}?((?:19|20)\d{2})年0?1月0?1日")
_PERIOD2 = re.compile(r"((?:19|20)\d{2})年0?1月0?1日(?:起)?(?:至|到|—|-|~)(?:(?:19|20)\d{2}年)?12月31日")


def year_of(text: str) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    return None


def year_candidates(body_compact: str, title_match: re.Match | None, overview: str | None,
                    dates: list[str | None]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    m = _PERIOD.search(body_compact) or _PERIOD2.search(body_compact)
    if m:
        out.append(("statistics_period", int(m.group(1))))
    if title_match:
        y = year_of(title_match.group("year"))
        if y:
            out.append(("title", y))
    if overview:
        m = re.match(r"\s*((?:19|20)\d{2})年(?:度)?[,，以]", overview)
        if m:
            out.append(("overview_first_sentence", int(m.group(1))))
    for d in dates:
        if d and int(d[5:7]) <= 6:
            out.append(("date_minus_one", int(d[:4]) - 1))
            break
    return out


# ------------------------------------------------------------------ organ
_PLACE_END = re.compile(r"(?:镇|乡|苏木|县|区|市|旗|自治县|自治旗|林区|特区)$")
_OFFICE_TAIL = re.compile(r"(?:党政(?:综合)?办公室|党政办|综合办公室|综合办|办公室|政务公开办公室|政务服务中心)$")
_ORGAN_SUFFIX = re.compile(r"(?:人民政府|政府|办事处|办公室|办公厅|局|委员会|委|中心|署|办|所|站|院|队|管委会|管理委员会|街道|镇|乡|苏木|县|区|市|旗|集团|公司)$")


# an organ is a name: never a bare generic word, never a piece of a sentence
_GENERIC_ORGAN = re.compile(r"^(?:中华)?(?:人民)?(?:政府|政务|人民政府|本机关|本单位|我单位|我局|我办|我委|我镇|我乡|单位|机关)$")
_SENTENCE_WORDS = re.compile(r"根据|按照|现将|如下|开展|加强|推进|落实|进一步|公开了|主动公开|信息公开|年度报告|情况|以来|本年|全年"
                             r"|关于|做好|通知|[《》]")


def finalize_organ(name: str | None) -> str | None:
    if not name:
        return None
    n = re.split(r"[|｜:：】\]]", name)[-1]  # "文字解读:XX镇…", "【2023年度】XX镇": the name is after the separator
    n = to_simplified(re.sub(r"[\s\"“”'《》<>「」]+", "", n))  # one spelling: 縣/鎮 print as 县/镇
    n = re.sub(r"^(?:关于|印发|现将|我镇|我乡|本镇|本机关)", "", n)
    if len(n) < 2 or re.search(r"[,，。；;、!！?？]", n) or _SENTENCE_WORDS.search(n) or _GENERIC_ORGAN.match(n):
        return None
    if n.endswith("人民"):
        n += "政府"
    elif n.endswith("街道"):
        n += "办事处"
    elif _PLACE_END.search(n) and not n.endswith(("管委会",)):
        n += "人民政府"
    return n


def organ_level(organ: str | None) -> str | None:
    if not organ:
        return None
    o = re.sub(r"\s+", "", organ)
    if re.search(r"(?:人民政府|政府)(?:办公室|办公厅)$", o):
        return "government_office"
    base = re.sub(r"(?:人民政府|政府|办事处)$", "", o)
    if re.search(r"(?:镇|乡|街道|苏木|民族乡)$", base):
        return "township"
    if re.search(r"(?:县|区|市|旗)人民政府$", o) or (o != base and re.search(r"(?:县|区|市|旗)$", base)):
        return "county_government"
    if re.search(r"(?:局|委员会|委|中心|署|办|所|站|院|队|管委会|办公室|集团|公司|处|室|会|馆|联|学校|社|部|厅|台|场)$", o):
        return "department"
    return None


def organ_from_title(title_match: re.Match | None) -> str | None:
    if not title_match:
        return None
    pre = title_match.group("pre") or ""
    pre = re.sub(r"^(?:关于|印发)|(?:关于|的)$", "", pre)  # 'XX镇人民政府关于2023年度…的报告
    name = finalize_organ(pre) if len(pre) >= 2 else None
    if not name:
        mid = re.sub(r"^度", "", title_match.group("mid") or "")
        name = finalize_organ(mid) if len(mid) >= 2 else None
    # a name with no organ or place ending ('信息类别') is a label or a fragment, not the issuer
    return name if name and organ_level(name) else None


_SIGN_DATE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_CN_SIGN_DATE = re.compile(r"^\s*[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日\s*$")


def signature(lines: list[Line]) -> tuple[str | None, str | None]:
    """(organ, date) from a signature block: an organ line followed by a date line near the end."""
    texts = [ln.cells[0].strip() for ln in lines if not ln.is_row and ln.cells and ln.cells[0].strip()]
    tail = texts[-12:]
    for i in range(len(tail) - 1, -1, -1):
        t = tail[i]
        if _SIGN_DATE.match(t):
            date = iso_date(t)
            organ = None
            if i > 0 and len(compact(tail[i - 1])) <= 40 and _ORGAN_SUFFIX.search(compact(tail[i - 1])):
                organ = compact(tail[i - 1])
            return organ, date
    # a document flattened onto few lines: '… 山海关区人民政府办公室 2024年1月23日' ends its last line
    m = _INLINE_SIGNATURE.search(tail[-1]) if tail else None
    if m:
        organ = m.group(1) if _ORGAN_SUFFIX.search(m.group(1)) else None
        return organ, iso_date(m.group(2))
    return None, None


_INLINE_SIGNATURE = re.compile(r"(?:^|[\s。])([\u4e00-\u9fff（）()]{2,40}?)\s+((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$")


def organ_from_contact(text: str) -> str | None:
    """'请与XX党政办公室联系' / '由XX编制' give the responsible office; strip the office name."""
    m = re.search(r"(?:请与|由)([\u4e00-\u9fff]{4,40}?)(?:联系|编制)", text)
    if not m:
        return None
    name = _OFFICE_TAIL.sub("", m.group(1))
    return finalize_organ(name) if len(name) >= 3 and _ORGAN_SUFFIX.search(name) else None


# ------------------------------------------------------------------ 索引号
_INDEX_SHAPE = re.compile(r"^[0-9A-Za-z\-]{3,20}/(?:19|20)\d{2}(?:\d{2})?-\d{1,8}$")


def index_no_of(raw: str | None) -> str | None:
    if not raw:
        return None
    v = re.sub(r"\s+", "", raw)
    v = re.split(r"[|｜]", v)[0]
    return None if v in _PLACEHOLDER else v


def index_no_shape(v: str | None) -> str | None:
    """credit_code | org_code | site_code | junk | other (the dedup pipeline trusts only real shapes)."""
    if not v:
        return None
    code = v.split("/")[0]
    if not _INDEX_SHAPE.match(v):
        return "other"
    digits = re.sub(r"\D", "", code)
    if len(digits) >= 6 and (len(set(digits)) <= 2 or re.search(r"(\d{3,})\1{2,}", digits) or "123456" in digits):
        return "junk"
    if len(code) == 18:
        return "credit_code"
    if re.fullmatch(r"\d{8}-?[\dX]|\d{9,10}", code):
        return "org_code"
    return "site_code"
