"""Pages that answer but are not the page: anti-bot interstitials, soft 404s, blank 200s, and
JS/meta redirect shells (portals.md §e, §a2 traps). Pure functions on status + decoded text.
"""
from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urljoin

BLOCK_STATUSES = {412: "瑞数 412 challenge", 521: "加速乐 521 challenge", 512: "加速乐 512 challenge"}

# (cheap lowercase substrings, signature regex, reason); searched in the first bytes of the body.
_BLOCK_SIGNS = tuple((keys, re.compile(p, re.I), r) for keys, p, r in (
    (("__jsl",), r"__jsl_clearance|__jsluid", "加速乐 cookie challenge"),
    (("$_ts",), r"\$_ts\s*=|\$_ts\[", "瑞数 $_ts challenge"),
    (("acw_",), r"acw_sc__v2|acw_tc", "Aliyun WAF challenge"),
    (("safedog", "安全狗", "waf2.0"), r"safedog|安全狗|waf2\.0", "safedog WAF"),
    (("365cyd", "创宇盾"), r"365cyd\.(?:com|net)|创宇盾", "创宇盾 block page"),
    (("enable javascript", "开启javascript", "启用javascript"),
     r"Please enable JavaScript|请开启JavaScript|请启用JavaScript", "JavaScript verification page"),
    (("拦截", "防火墙", "拒绝", "access denied"), r"您的访问被拦截|网站防火墙|访问被拒绝|Access Denied", "WAF block page"),
    (("just a moment", "请稍候", "安全验证", "访问异常"),
     r"Just a moment\.\.\.|<title>\s*(?:请稍候|安全验证|访问异常)", "verification interstitial"),
))
_SOFT404_KEYS = ("不存在", "删除", "找不到", "未找到", "失效", "下线", "404")
_COOKIE_JS = re.compile(r"document\.cookie\s*=.{0,400}?location\.(?:href|replace|reload)", re.S | re.I)

_SOFT404 = re.compile(
    r"该信息已删除或不存在|信息已删除|信息不存在|文章不存在|内容不存在|页面不存在|网页不存在|"
    r"您访问的页面不存在|找不到(?:该|您要访问的)?页面|页面未找到|页面已失效|内容已下线|已被删除|"
    r"404\s*Not\s*Found|Error\s*404|HTTP\s*404|<title>\s*404"
)
_CONTENT = re.compile(r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请")  # a report mentioning deletion
# A JS app or list shell (gkmlpt, jpaas, datastore) has little text but is not a blank block page
_APP_SHELL = re.compile(r"_CONFIG|<datastore|queryData|<script[^>]+src=|<iframe|<frame", re.I)
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|<[^>]+>", re.S | re.I)
_WS = re.compile(r"\s+")

_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*['"]?([^"'>\s]+)""",
    re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']|"""
    r"""location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)""", re.I)


class Problem(NamedTuple):
    code: str     # "blocked" | "soft_404" | "blank" | "http_error"
    detail: str


def visible_text(html: str, limit: int = 200_000) -> str:
    return _WS.sub(" ", _TAGS.sub(" ", html[:limit])).strip()


def redirect_target(html: str, base_url: str) -> str | None:
    """Target of a JS/meta redirect *shell* (a page that is little more than the redirect)."""
    head = html[:20_000]
    target = None
    if "refresh" in head.lower():
        m = _META_REFRESH.search(head)
        target = m.group(1) if m else None
    if not target and len(html) < 30_000 and "location" in head:
        m = _JS_REDIRECT.search(head)
        if m and len(visible_text(html, 30_000)) < 400:
            target = m.group(1) or m.group(2)
    if not target or target.startswith(("javascript:", "#")) or "location.pathname" in target:
        return None
    return urljoin(base_url, target)


def detect_problem(status: int, html: str, *, n_links: int = -1) -> Problem | None:
    """Classify a response that must not be treated as content. None = looks like a real page."""
    if status in BLOCK_STATUSES:
        return Problem("blocked", f"HTTP {status}: {BLOCK_STATUSES[status]}")
    head = html[:6000]
    low = head.lower()
    for keys, rx, reason in _BLOCK_SIGNS:
        if any(k in low for k in keys) and rx.search(head):
            return Problem("blocked", f"HTTP {status}: {reason}")
    if "document.cookie" in low and _COOKIE_JS.search(head) and len(visible_text(head)) < 200:
        return Problem("blocked", f"HTTP {status}: cookie-setting JS challenge")
    if status >= 400:
        return Problem("http_error", f"HTTP {status}")
    top = html[:20_000]
    m = _SOFT404.search(top) if any(k in top for k in _SOFT404_KEYS) else None
    small = len(html) < 3_000
    if not m and not small:
        return None            # the common case: a normal page, no text extraction needed
    text = visible_text(html)
    if redirect_target(html, "http://x/") is not None:
        return None
    if m and len(text) < 3000 and not _CONTENT.search(text):
        return Problem("soft_404", f"HTTP {status}: {m.group(0)}")
    if len(text) < 20 and n_links <= 0 and not _APP_SHELL.search(html):
        return Problem("blank", f"HTTP {status}: blank page ({len(html)} bytes)")
    return None
