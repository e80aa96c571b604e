"""JS/meta redirect shells (portals.md §a2 traps) and the spider's view of pages that are not the
page (anti-bot, captcha, IP ban, soft 404, blank: signatures in crawler.parsing.pageprobe).
"""
from __future__ import annotations

import re
from urllib.parse import urljoin

# The block / captcha / IP-ban / soft-404 / blank signatures live in crawler.parsing.pageprobe (one
# home, read by the parser too); this module adds what only the spider needs: redirect shells.
from crawler.parsing.pageprobe import BLOCK_STATUSES, Problem, probe, visible_text  # noqa: F401,E402

_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?\s*\d*\s*;?\s*url\s*=\s*['"]?([^"'>\s]+)""",
    re.I)
_JS_REDIRECT = re.compile(
    r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']|"""
    r"""location\.(?:replace|assign)\(\s*["']([^"']+)["']\s*\)""", re.I)


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
    """Classify a response that must not be treated as content (crawler.parsing.pageprobe.probe);
    a JS/meta redirect shell is never a problem."""
    prob = probe(status, html, n_links=n_links)
    if prob is not None and prob.code in ("soft_404", "blank") and redirect_target(html, "http://x/") is not None:
        return None
    return prob
