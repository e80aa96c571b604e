"""Portal HTML page → Document.

One walk over the page with lxml: block elements become paragraph lines, data tables become
row lines (cells in order, blank cells kept), layout tables are descended into. Lines inside the
article container are `in_body`; the rest of the page is kept only for metadata (索引号 blocks often
sit outside the article). The article container is found from known CMS containers and, failing
that, as the smallest element holding the report's section headings (portals.md §c3).
"""
from __future__ import annotations

import codecs
import re

import lxml.html
from lxml import etree

from ..document import ConversionError, Document, Line
from .text import FOOTER_RE

_SKIP = {"script", "style", "noscript", "iframe", "object", "select", "option", "button", "input",
         "textarea", "svg", "template", "head", "map", "embed", "audio", "video", "canvas"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "header", "footer", "nav", "aside", "main", "dd", "dt", "dl", "blockquote", "pre", "form",
          "center", "hr", "address", "figure", "figcaption", "caption", "tbody", "thead", "tfoot", "body"}
_CONTAINER_IDS = {"zoom", "Zoom", "ivs_content", "webeditorview", "td_DocContent", "UCAP-CONTENT", "content",
                  "article", "js_content", "mainText"}
_CONTAINER_CLASS = re.compile(
    r"\bTRS_Editor\b|trs_editor_view|Custom_UnionStyle|article-content|articleCont|detail-content|xxgk_content"
    r"|zw-content|g-detailbox|news-info|zfxxgk_zw_content|TRS_UEDITOR|article_con|content_text|pages_content")

_HEADING_HINT = re.compile(r"(?:一|二|三|四|五|六)\s*[、.．]\s*(?:总\s*体\s*情\s*况|概\s*述|主\s*动\s*公\s*开|收\s*到\s*和|[^。]{0,16}行\s*政\s*复\s*议|[^。]{0,12}存\s*在|其\s*他\s*需)")
_WS = re.compile(r"\s+")
_LISTISH = {"ul", "ol", "nav", "dl", "select", "div", "table", "header", "footer", "aside"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w\-]+)""", re.I)
_SERVER_DEFAULTS = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252", "iso8859-1"}
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "gb231280", "cp936", "euc-cn"}


def _containers(tree):
    # Two attribute XPaths (C speed) and a regex: an XPath with many contains() costs more than
    # the whole lxml parse of the page.
    for el in tree.xpath("//*[@id]"):
        if el.get("id") in _CONTAINER_IDS:
            yield el
    for el in tree.xpath("//*[@class]"):
        if _CONTAINER_CLASS.search(el.get("class")) and el.get("id") not in _CONTAINER_IDS:
            yield el


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Bytes → (text, encoding). UTF-8 that decodes strictly wins over a lying <meta charset>."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = []
    m = re.search(r"charset=([\w\-]+)", content_type or "", re.I)
    if m and m.group(1).lower().replace("_", "-") not in _SERVER_DEFAULTS:
        declared.append(m.group(1))  # a Latin-1/ASCII label on high bytes is a server default, not a fact
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared.append(m.group(1).decode("ascii", "ignore"))
    for enc in declared + ["gb18030"]:
        enc = "gb18030" if enc.lower() in _GB_ALIASES else enc
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", "replace"), "gb18030"


def _cell_text(el) -> str:
    # text_content() joins inline runs without separators: '<span>1</span><span>2</span>' is 12;
    # <br> tails were given a newline up front, so '商业<br>企业' reads '商业 企业'.
    return _WS.sub(" ", el.text_content()).strip()


def _is_layout_table(table) -> bool:
    if table.find(".//table") is not None:
        return True
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    if len(rows) <= 1:
        cells = table.xpath("./tr/td|./tbody/tr/td|./tr/th|./tbody/tr/th")
        if len(cells) <= 1:
            return True
    for cell in table.xpath(".//td[count(.//p|.//div) > 3]|.//th[count(.//p|.//div) > 3]"):
        if len(cell.text_content()) > 300:
            return True
    return False


def _is_link_list(el) -> bool:
    """A navigation/related-articles list: many links and little else (skipped outside the article)."""
    anchors = el.findall(".//a")
    if len(anchors) < 5:
        return False
    total = len(el.text_content())
    return total > 0 and sum(len(a.text_content()) for a in anchors) >= 0.7 * total


class _Walker:
    def __init__(self, root_el):
        self.root_el = root_el
        self.root_path = set(root_el.iterancestors()) if root_el is not None else set()
        self.lines: list[Line] = []
        self.buf: list[str] = []
        self.in_body = root_el is None

    def flush(self):
        if self.buf:
            text = re.sub(r"[ \t\r\f\v\xa0\u3000]+", " ", "".join(self.buf)).strip()
            self.buf = []
            for piece in text.split("\n"):
                piece = piece.strip()
                if piece and not FOOTER_RE.match(piece):
                    self.lines.append(Line([piece], in_body=self.in_body))

    def walk(self, el):
        tag = el.tag if isinstance(el.tag, str) else None
        if tag is None:  # comments, processing instructions
            if el.tail:
                self.buf.append(el.tail)
            return
        tag = tag.lower()
        if tag in _SKIP or el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", ""):
            if el.tail:
                self.buf.append(el.tail)
            return
        if (not self.in_body and self.root_el is not None and tag in _LISTISH and el not in self.root_path
                and _is_link_list(el)):
            if el.tail:
                self.buf.append(el.tail)
            return
        entering_root = el is self.root_el
        if entering_root:
            self.flush()
            self.in_body = True
        if tag == "table" and not _is_layout_table(el):
            self.flush()
            for tr in el.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
                cells = [_cell_text(td) for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
                if any(cells):
                    self.lines.append(Line(cells, is_row=True, in_body=self.in_body, exact=True))
        else:
            block = tag in _BLOCK or tag in ("table", "tr", "td", "th", "br")
            if block:
                self.flush() if tag != "br" else self.buf.append("\n")
            if el.text:
                self.buf.append(el.text)
            for ch in el:
                self.walk(ch)
            if block and tag != "br":
                if tag in ("td", "th"):
                    self.buf.append(" ")
                self.flush()
        if entering_root:
            self.flush()
            self.in_body = False
        if el.tail:
            self.buf.append(el.tail)


def _choose_root(tree):
    best, best_score = None, 0
    for el in _containers(tree):
        text = el.text_content()
        score = len(set(m.group(0)[:1] for m in _HEADING_HINT.finditer(text))) * 10
        score += 3 * len(el.xpath(".//table"))
        if score > best_score or (score == best_score and best is not None and score and el in best.iterdescendants()):
            best, best_score = el, score
    if best is not None and best_score >= 10:
        return best
    # Smallest element holding the heading text nodes (LCA).
    holders = []
    for t in tree.xpath("//body//text()[contains(., '、')]"):
        if _HEADING_HINT.search(str(t)):
            parent = t.getparent()
            if parent is not None:
                holders.append(parent)
    if len(holders) >= 2:
        chains = [list(h.iterancestors())[::-1] + [h] for h in holders]
        lca = None
        for level in zip(*chains):
            if all(x is level[0] for x in level):
                lca = level[0]
            else:
                break
        if lca is not None and isinstance(lca.tag, str) and lca.tag.lower() not in ("html",):
            # include the tables that follow the headings inside the same container
            return lca
    return best


def _title_hint(tree) -> str | None:
    for xp in ("//meta[@name='ArticleTitle']/@content", "//meta[@property='og:title']/@content",
               "//h1", "//h2", "//title"):
        for v in tree.xpath(xp):
            text = v if isinstance(v, str) else v.text_content()
            text = re.sub(r"\s+", " ", text or "").strip()
            if len(text) >= 6:
                return text
    return None


def to_document(data: bytes, url: str, content_type: str | None = None) -> Document:
    text, _enc = decode_html(data, content_type)
    text = text.replace("\x00", "")
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ConversionError("html_unparseable", f"lxml could not parse the page: {exc}") from None
    meta = {}
    for m in tree.xpath("//meta[@name and @content]"):
        name = m.get("name")
        if name in ("ArticleTitle", "PubDate", "ContentSource", "ColumnName", "ColumnType", "Keywords", "Author"):
            meta[name] = m.get("content").strip()
    body = tree.find("body")
    if body is None:
        body = tree
    for br in tree.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for sup in tree.xpath("//td//sup|//th//sup"):
        # a superscript footnote must not glue onto the value: 1520<sup>1</sup> is 1520 with note 1
        if len(sup.text_content().strip()) <= 3:
            sup.text, sup[:] = f"(注{sup.text_content().strip().strip('()（）')})", []
    root = _choose_root(tree)
    walker = _Walker(root)
    walker.walk(body)
    walker.flush()
    doc = Document(lines=walker.lines, document_type="html", title_hint=_title_hint(tree), meta=meta)
    if not any(ln.in_body for ln in doc.lines):
        for ln in doc.lines:
            ln.in_body = True
    return doc
