"""Which URLs belong to a portal (portals.md §a3, §d mirrors).

A portal is its start host's *site domain* (the host without a leading www./xxgk.-style label) and
every sub-host of it (xxgk., zwgk., hdzfxxgk. …). Portals addressed by a bare IP (tests, a few real
county servers such as 122.137.242.24) own that IP on any port. Mirrors and spam copies on other
domains are never in scope.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Second-level public suffixes seen on Chinese portals (enough for registrable-domain maths).
_SUFFIX2 = {"gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn", "ac.cn", "gov.hk", "gov.mo"}
_HOST_PREFIX = ("www.", "www1.", "www2.", "m.", "wap.")
ATTACHMENT_HOST_SUFFIXES = (".gov.cn",)  # attachments may sit on provincial OSS hosts (§b2)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def registrable_domain(host: str) -> str:
    """eTLD+1 with the suffixes above (hd.gov.cn for hdzfxxgk.hd.gov.cn)."""
    host = host.lower().strip(".")
    if is_ip(host):
        return host
    parts = host.split(".")
    if len(parts) >= 3 and ".".join(parts[-2:]) in _SUFFIX2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def site_domain(host: str) -> str:
    """The domain a portal owns: the host minus a www./m. prefix, never shorter than eTLD+1.

    www.jingdong.yn.gov.cn -> jingdong.yn.gov.cn (not the whole province yn.gov.cn).
    """
    host = host.lower().strip(".")
    if is_ip(host):
        return host
    reg = registrable_domain(host)
    for p in _HOST_PREFIX:
        if host.startswith(p) and host[len(p):].endswith(reg):
            host = host[len(p):]
            break
    return host if host.endswith(reg) else reg


class Scope:
    """Scope of one portal. `allowed(url)` is the only question the spider asks."""

    def __init__(self, start_url: str):
        self.start_url = start_url
        self.domains: set[str] = set()
        self.ips: set[str] = set()
        self.add_host(host_of(start_url))

    def add_host(self, host: str) -> None:
        if not host:
            return
        if is_ip(host):
            self.ips.add(host)
        else:
            self.domains.add(site_domain(host))

    def allowed(self, url: str) -> bool:
        if not url.lower().startswith(("http://", "https://")):
            return False
        host = host_of(url)
        if not host:
            return False
        if host in self.ips:
            return True
        return any(host == d or host.endswith("." + d) for d in self.domains)

    def sibling(self, url: str) -> bool:
        """An xxgk./zwgk. host under the same registrable domain (linked from the navigation)."""
        host = host_of(url)
        if not host or is_ip(host):
            return False
        first = host.split(".")[0]
        if not any(k in first for k in ("xxgk", "zwgk", "gk", "gov")):
            return False
        reg = registrable_domain(host)
        return any(registrable_domain(d) == reg for d in self.domains)

    def attachment_allowed(self, url: str) -> bool:
        """Attachments linked from an in-scope page may sit on a government OSS/file host."""
        if self.allowed(url):
            return True
        host = host_of(url)
        return bool(host) and host.endswith(ATTACHMENT_HOST_SUFFIXES)
