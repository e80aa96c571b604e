"""List pagination found in a page's HTML/JS (portals.md §b1, §b3, §b5, §b7).

Every function returns the absolute URLs of the *other* pages of the list the page belongs to.
Pagers are usually `document.write`n by JS, so no <a> exists; we do the JS arithmetic here:

- TRS `createPageHTML(count, current, "index", "html")` (4 args, 0-based `index_N`);
- `createPageHTML('page_div', total, current, 'name', 'ext', records)` (6 args: `_1` or `_2` for
  page 2 depending on the site, so both are tried: `_1` … `_N`, duplicates are free);
- `createPageHTML('paging', N, …)` with `(page == 1 ? "" : "_" + page)` (1-based), stem from
  `id="pageParam" … url=`;
- `javascript:next(N)` / `goPage(N)` pagers over static `index_N` files;
- `共N页` / `var countPage = N` with a static page name;
- numbered anchors (`index_9.html`, `page_7.html`, `/12.html`, `?page=12`, `pageNo=`, `pageNum=`,
  `currPage=`, `currentPage=`, `PageIndex=`, `pn=`, `p=` …): the range up to the last page is
  filled in, since pagers show only a window of page numbers.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

MAX_PAGES = 300  # per list; a county column never has more (a guard against runaway pagers)

PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "currpage", "currentpage", "curpage", "pn", "p",
               "pageid_no", "page_no", "pagenumber", "cpage", "start_page")
_CPH = re.compile(r"createPageHTML\s*\(([^()]*)\)")
_VAR_INT = re.compile(r"\bvar\s+(\w+)\s*=\s*['\"]?(\d+)['\"]?")
_TOTAL_PAGES = re.compile(r"共\s*(\d{1,4})\s*页|countPage\s*[=:]\s*(\d+)|totalPage[s]?\s*[=:]\s*['\"]?(\d+)", re.I)
_JS_PAGER = re.compile(
    r"""(?:href\s*=\s*["']\s*javascript:|onclick\s*=\s*["'])[^"']{0,40}?\b"""
    r"""(?:next|goPage|gotoPage|turnPage|toPage|changePage|jumpPage|page)\s*\(\s*['"]?(\d{1,4})['"]?\s*\)""", re.I)
_PAGE_PARAM_ATTR = re.compile(r"""id\s*=\s*["']pageParam["'][^>]*?\burl\s*=\s*["']([^"']+)["']""", re.I)
_ONE_BASED_HINT = re.compile(r"""page\s*==\s*1\s*\?\s*["']{2}\s*:\s*["']_["']\s*\+\s*page""")
_NUMBERED_FILE = re.compile(
    r"^(?P<stem>.*/)?(?P<name>[A-Za-z][\w-]*?)(?P<sep>[_-])(?P<n>\d{1,4})\.(?P<ext>s?html?|jhtml|jsp|shtm)$")
_NUMBERED_DIRFILE = re.compile(r"^(?P<stem>.*/)(?P<n>\d{1,4})\.(?P<ext>s?html?)$")


def _args(argstr: str, html: str) -> list[str]:
    vars_ = {k: v for k, v in _VAR_INT.findall(html)}
    out = []
    for a in argstr.split(","):
        a = a.strip().strip("'\"")
        out.append(vars_.get(a, a))
    return out


def _as_int(s: str) -> int | None:
    return int(s) if s.isdigit() else None


def _page_dir(url: str) -> str:
    return urljoin(url, ".")


def _current_file(url: str) -> tuple[str, str]:
    """(name, ext) of the list page's file, index/html for a directory URL."""
    path = urlsplit(url).path
    fname = path.rsplit("/", 1)[-1]
    if "." not in fname:
        return "index", "html"
    name, ext = fname.rsplit(".", 1)
    name = re.sub(r"_\d{1,4}$", "", name)
    return name, ext


def _static_pages(base_dir: str, name: str, ext: str, first: int, last: int) -> list[str]:
    last = min(last, first + MAX_PAGES)
    return [urljoin(base_dir, f"{name}_{i}.{ext}") for i in range(first, last + 1)]


def create_page_html(html: str, url: str) -> list[str]:
    """Pages announced by TRS `createPageHTML(...)` calls."""
    out: list[str] = []
    for m in _CPH.finditer(html):
        args = _args(m.group(1), html)
        if len(args) < 2:
            continue
        base_dir = _page_dir(url)
        cur_name, cur_ext = _current_file(url)
        if _as_int(args[0]) is not None:  # 4-arg classic: count, current, name, ext (0-based index_N)
            count = _as_int(args[0]) or 0
            name = args[2] if len(args) > 2 and args[2] else cur_name
            ext = args[3] if len(args) > 3 and args[3] else cur_ext
            if count > 1:
                out += _static_pages(base_dir, name, ext, 1, count - 1)
            continue
        total = _as_int(args[1]) if len(args) > 1 else None
        if not total or total < 2:
            continue
        name = args[3] if len(args) > 3 and args[3] else cur_name
        ext = args[4] if len(args) > 4 and args[4] else cur_ext
        pm = _PAGE_PARAM_ATTR.search(html)
        if pm:  # stem from <div id="pageParam" url="./list">
            stem_url = urljoin(url, pm.group(1))
            base_dir = _page_dir(stem_url)
            sname, sext = _current_file(stem_url)
            name, ext = (sname, sext if "." in stem_url.rsplit("/", 1)[-1] else ext)
        if args[0] == "paging" or _ONE_BASED_HINT.search(html):
            out += _static_pages(base_dir, name, ext, 2, total)  # 1-based: page 2 = _2
        else:
            out += _static_pages(base_dir, name, ext, 1, total)  # _1 or _2 for page 2: try both
    return out


def js_pager(html: str, url: str) -> list[str]:
    """`javascript:next(N)`-style pagers over static files (Beijing and others)."""
    nums = [int(n) for n in _JS_PAGER.findall(html)]
    if not nums or "createPageHTML" in html:
        return []
    last = max(nums)
    tm = _TOTAL_PAGES.search(html)
    if tm:
        last = max(last, int(next(g for g in tm.groups() if g)))
    if last < 1:
        return []
    name, ext = _current_file(url)
    return _static_pages(_page_dir(url), name, ext, 1, last)  # next(N): index_N or index_{N-1}


def _query_template(url: str):
    parts = urlsplit(url)
    q = parse_qsl(parts.query, keep_blank_values=True)
    for i, (k, v) in enumerate(q):
        if k.lower() in PAGE_PARAMS and v.isdigit():
            key = tuple(q[:i]) + ((k, ""),) + tuple(q[i + 1:])
            return ("q", parts.scheme, parts.netloc, parts.path, key, i), int(v)
    return None


def _template(url: str):
    qt = _query_template(url)
    if qt:
        return qt
    parts = urlsplit(url)
    m = _NUMBERED_FILE.match(parts.path)
    if m:
        return (("f", parts.scheme, parts.netloc, m.group("stem") or "/", m.group("name") + m.group("sep"),
                 m.group("ext"), parts.query), int(m.group("n")))
    m = _NUMBERED_DIRFILE.match(parts.path)
    if m:
        return ("d", parts.scheme, parts.netloc, m.group("stem"), m.group("ext"), parts.query), int(m.group("n"))
    return None


def _render(t, n: int) -> str:
    if t[0] == "q":
        _, scheme, netloc, path, q, i = t
        q = list(q)
        q[i] = (q[i][0], str(n))
        return urlunsplit((scheme, netloc, path, urlencode(q), ""))
    if t[0] == "f":
        _, scheme, netloc, stem, name, ext, query = t
        return urlunsplit((scheme, netloc, f"{stem}{name}{n}.{ext}", query, ""))   # name keeps its _ or -
    _, scheme, netloc, stem, ext, query = t
    return urlunsplit((scheme, netloc, f"{stem}{n}.{ext}", query, ""))


def fill_numbered(pager_urls: list[str], current_url: str) -> list[str]:
    """Fill the page range announced by numbered pager links (1 2 3 … 9 尾页)."""
    groups: dict[tuple, set[int]] = {}
    for u in pager_urls + [current_url]:
        tn = _template(u)
        if tn:
            groups.setdefault(tn[0], set()).add(tn[1])
    out = []
    for t, nums in groups.items():
        lo, hi = min(nums), max(nums)
        if hi - lo > MAX_PAGES:
            hi = lo + MAX_PAGES
        out += [_render(t, n) for n in range(max(lo, 0), hi + 1)]
    return [u for u in out if u != current_url]


def list_pages(html: str, url: str, pager_urls: list[str]) -> list[str]:
    """All other pages of the list `url` belongs to (deduplicated, order kept)."""
    seen: dict[str, None] = {}
    for u in create_page_html(html, url) + js_pager(html, url) + fill_numbered(pager_urls, url):
        if u != url:
            seen.setdefault(u, None)
    return list(seen)
