"""Pages that answer but are not the page: the one home of the block / captcha / IP-ban /
soft-404 / blank signatures, read by the spider (`probe`, on status + decoded HTML) and by the
parser (`blocked_reason`, `soft_404`, on bytes / article text). Pure; no crawler.* imports.

The rule (issue 9): a *block* is a page with a challenge and nothing else to read. A page that
carries a platform signature (list config, datastore, API hints) or real navigation links is read
as that platform, whatever its <noscript> asks for.

Codes: blocked, captcha, ip_banned, soft_404, blank, http_error; the spider adds
unrecognised_page (a fetched report candidate that the report gate did not accept).
"""
from __future__ import annotations

import re
from typing import NamedTuple

PAGE_CODES = ("blocked", "captcha", "ip_banned", "soft_404", "blank", "http_error", "unrecognised_page")

BLOCK_STATUSES = {412: "瑞数 412 challenge", 521: "加速乐 521 challenge", 512: "加速乐 512 challenge"}

# (code, cheap lowercase keys, signature regex, reason): searched in the first bytes of the page.
_CHALLENGES = tuple((code, keys, re.compile(p, re.I), r) for code, keys, p, r in (
    ("blocked", ("__jsl",), r"__jsl_clearance|__jsluid", "加速乐 cookie challenge"),
    ("blocked", ("$_ts",), r"\$_ts\s*=|\$_ts\[", "瑞数 $_ts challenge"),
    ("blocked", ("acw_",), r"acw_sc__v2|acw_tc", "Aliyun WAF challenge"),
    ("blocked", ("_guard",), r"_guard/auto\.js", "JS guard challenge"),
    ("blocked", ("yunsuo",), r"yunsuo_session_verify", "云锁 challenge"),
    ("blocked", ("safedog", "安全狗", "waf2.0"), r"safedog|安全狗|waf2\.0", "safedog WAF"),
    ("blocked", ("365cyd", "创宇盾"), r"365cyd\.(?:com|net)|创宇盾", "创宇盾 block page"),
    ("blocked", ("enable javascript", "开启javascript", "启用javascript", "打开javascript", "开启 javascript",
                 "启用 javascript", "打开 javascript"), r"(?:Please\s+)?enable\s+JavaScript|请(?:开启|启用|打开)\s*JavaScript",
     "JavaScript verification page"),
    ("blocked", ("拦截", "防火墙", "拒绝", "access denied"), r"您的访问被拦截|网站防火墙|访问被拒绝|Access Denied",
     "WAF block page"),
    ("blocked", ("just a moment", "请稍候", "安全验证", "访问异常"),
     r"Just a moment\.\.\.|<title>\s*(?:请稍候|安全验证|访问异常)", "verification interstitial"),
    ("captcha", ("验证码", "captcha", "滑块", "人机"),
     r"请输入(?:图形|图片|正确的)?验证码|输入验证码|验证码错误|滑动验证|拖动滑块|人机验证|captcha", "captcha page"),
    ("ip_banned", ("封禁", "封锁", "禁止访问", "限制访问", "屏蔽", "拉黑", "黑名单", "受限", "频繁", "频率", "too many requests"),
     r"IP(?:地址)?\s*(?:已|已经)?(?:被)?(?:封禁|封锁|禁止访问|限制访问|屏蔽|拉黑|加入黑名单)|"
     r"IP.{0,12}(?:禁止访问|访问受限|黑名单)|访问受限|访问(?:过于|太)频繁|访问频率过(?:高|快)|请求过于频繁|"
     r"Too Many Requests", "IP ban / rate-limit page"),
))
# Something a reader can use besides the challenge: a platform's list config, datastore or API hints
PLATFORM_SIGN = re.compile(
    r"window\._CONFIG|_CONFIG\s*=\s*\{|<datastore|queryData\s*=|\.jpage\s*\(|dataproxy\.jsp|/build/unit|"
    r"createPageHTML|__VIEWSTATE|/gkmlpt/", re.I)
# A JS app or list shell has little text but is not a blank page
_APP_SHELL = re.compile(r"_CONFIG|<datastore|queryData|<script[^>]+src=|<iframe|<frame", re.I)
_NAV_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']?(?!\s*(?:javascript:|#|["'>]))[^>]*>\s*(?:<[^<>]+>\s*)*[^<\s]""", re.I)
_COOKIE_JS = re.compile(r"document\.cookie\s*=.{0,400}?location\.(?:href|replace|reload)", re.S | re.I)

_SOFT404 = re.compile(
    r"(?:该|此)?(?:信息|文章|页面|网页|内容|稿件)(?:已(?:被)?删除|不存在|已下线|已撤销|已过期|已失效|未找到)|"
    r"已被删除|您访问的页面(?:不存在)?|找不到(?:该|您要访问的)?页面|内容已下线|"
    r"404\s*(?:Not\s*Found|错误)|Error\s*404|HTTP\s*404|<title>\s*404", re.I)
_SOFT404_KEYS = ("不存在", "删除", "找不到", "未找到", "失效", "下线", "过期", "撤销", "404", "您访问的页面")
_TITLE_404 = re.compile(r"<title>\s*404\b", re.I)
_REPORT_CONTENT = re.compile(r"总体情况|主动公开政府信息情况|收到和处理政府信息公开申请")

_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<noscript\b.*?</noscript>|<!--.*?-->|<[^>]+>",
                   re.S | re.I)
_WS = re.compile(r"\s+")
READABLE_TEXT = 500      # characters of visible text (outside script/style/noscript) that are content
READABLE_LINKS = 5       # real navigation links


class Problem(NamedTuple):
    code: str     # one of PAGE_CODES
    detail: str


def visible_text(html: str, limit: int = 200_000) -> str:
    """Text a reader sees (script, style and <noscript> removed)."""
    return _WS.sub(" ", _TAGS.sub(" ", html[:limit])).strip()


def nav_link_count(html: str, limit: int = 200_000) -> int:
    return len(_NAV_LINK.findall(html[:limit]))


def has_platform_signature(html: str) -> bool:
    return bool(PLATFORM_SIGN.search(html[:300_000]))


def something_to_read(html: str, n_links: int = -1) -> bool:
    """A platform shell, a page with navigation, or a page with text: not a bare challenge."""
    if has_platform_signature(html):
        return True
    if (n_links if n_links >= 0 else nav_link_count(html)) >= READABLE_LINKS:
        return True
    return len(visible_text(html, 60_000)) >= READABLE_TEXT


def challenge(head: str) -> tuple[str, str] | None:
    """(code, reason) of the first challenge signature in the start of a page."""
    low = head.lower()
    for code, keys, rx, reason in _CHALLENGES:
        if any(k in low for k in keys):
            m = rx.search(head)
            if m:
                return code, f"{reason} ('{m.group(0)[:40]}')"
    return None


def soft_404_match(text: str) -> str | None:
    """The deletion notice of a page whose visible/article text is short and not a report."""
    if len(text) >= 3000 or not any(k in text for k in _SOFT404_KEYS):
        return None
    m = _SOFT404.search(text)
    if m is None or _REPORT_CONTENT.search(text):
        return None
    return m.group(0)


def probe(status: int, html: str, *, n_links: int = -1) -> Problem | None:
    """Classify a response that must not be treated as content. None = looks like a real page."""
    if status in BLOCK_STATUSES:
        return Problem("blocked", f"HTTP {status}: {BLOCK_STATUSES[status]}")
    head = html[:8000]
    found = challenge(head)
    if found is None and "document.cookie" in head.lower() and _COOKIE_JS.search(head):
        found = ("blocked", "cookie-setting JS challenge")
    if found is not None and not something_to_read(html, n_links):
        return Problem(found[0], f"HTTP {status}: {found[1]}")
    if status >= 400:
        return Problem("http_error", f"HTTP {status}")
    top = html[:20_000]
    small = len(html) < 3_000
    if not small and not (any(k in top for k in _SOFT404_KEYS) and (_SOFT404.search(top) or _TITLE_404.search(top))):
        return None            # the common case: a normal page, no text extraction needed
    text = visible_text(html)
    m = soft_404_match(text)
    if m is None and _TITLE_404.search(top) and len(text) < 3000 and not _REPORT_CONTENT.search(text):
        m = "<title>404"
    if m:
        return Problem("soft_404", f"HTTP {status}: {m}")
    if len(text) < 20 and (n_links if n_links >= 0 else nav_link_count(html)) <= 0 and not _APP_SHELL.search(html):
        return Problem("blank", f"HTTP {status}: blank page ({len(html)} bytes)")
    return None


# ------------------------------------------------------------------ parser side (bytes / article text)
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def blocked_reason(data: bytes) -> str | None:
    """Challenge (anti-bot, captcha, IP ban) of a page with nothing else to read; None otherwise.
    The reason starts with the code ("captcha: …")."""
    if len(data) > 20000:
        return None
    html = _decode(data)
    found = challenge(html[:8000])
    if found is None and "document.cookie" in html[:8000].lower() and _COOKIE_JS.search(html[:8000]):
        found = ("blocked", "cookie-setting JS challenge")
    if found is None or something_to_read(html):
        return None
    return f"{found[0]}: {found[1]}"


def soft_404(body_compact: str) -> bool:
    """The article text of a deleted/missing page (the parser reads the article, not the chrome)."""
    return soft_404_match(body_compact) is not None
