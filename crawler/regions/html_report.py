"""The run report: one static HTML file (no script, no font or image from outside) a person opens by
double-click. Plain Python string building with html.escape: the page is a handful of tables and
one inline SVG chart, so a template engine or plotting library would only add a dependency.

Sections: totals; a status chart and a table per portal (pages, reports by status, rejects by
problem, alerts, unreachable pages); a coverage grid per county (units × years, coloured by
status, missing in its own colour); the slowest portals; the commonest failure reasons; the reports
edited or withdrawn since their last export; every report with a link to its source URL.
"""
from __future__ import annotations

from collections import Counter
from datetime import datetime
from html import escape

from crawler.regions.coverage import NOT_FOUND, PortalCoverage

REPORT_STATUSES = ("complete", "inconsistent", "partial")
CHANGES_SHOWN = 5  # changed fields listed per edited report (the feed has them all)
REJECT_STATUSES = ("not_a_report", "failed")
COLOURS = {"complete": "#2e7d32", "inconsistent": "#f9a825", "partial": "#ef6c00", "failed": "#c62828",
           NOT_FOUND: "#9e9e9e", "not_a_report": "#90a4ae"}
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:1.5em} h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc} h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0} th,td{border:1px solid #ccc;padding:3px 6px;font-size:.9em;text-align:left}
th{background:#f2f2f2} td.n{text-align:right} .alert{color:#c62828}
.grid td.cell{width:5.5em;text-align:center;color:#fff;font-size:.8em} .grid td.cell a{color:#fff}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;color:#fff;font-size:.85em}
.totals td{font-size:1em} .muted{color:#777;font-size:.85em}
"""


def _e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    if not url or not str(url).lower().startswith(("http://", "https://")):   # never a javascript: link
        return _e(text or url or "")
    return f'<a href="{_e(url)}">{_e(text or url)}</a>'


def _cell(status: str, url: str = "", title: str = "") -> str:
    label = {"complete": "✓ complete", NOT_FOUND: "missing"}.get(status, status)
    inner = _link(url, label) if url else _e(label)
    return (f'<td class="cell" style="background:{COLOURS.get(status, "#607d8b")}" '
            f'title="{_e(title or status)}" data-status="{_e(status)}">{inner}</td>')


def legend() -> str:
    return '<p class="legend">' + "".join(
        f'<span style="background:{c}">{_e("missing (not found)" if s == NOT_FOUND else s)}</span>'
        for s, c in COLOURS.items()) + "</p>"


# ---------------------------------------------------------------------- figures
def portal_rows(summary: dict, records: list[dict], portals: dict[str, dict]) -> list[dict]:
    """Per portal: name, counters from the run summary, statuses and reject problems from records."""
    out = []
    stats = summary.get("portals") or {}
    timing = summary.get("timing") or {}   # measured by the extension; a rebuild from feeds uses fetched_at
    for portal in sorted(set(portals) | set(stats) | {r.get("portal") for r in records if r.get("portal")}):
        recs = [r for r in records if r.get("portal") == portal]
        s = stats.get(portal) or {}
        statuses = Counter(r.get("status") for r in recs)
        problems = Counter(p.get("code") for r in recs if r.get("status") in REJECT_STATUSES
                           for p in (r.get("problems") or [])[:1] if isinstance(p, dict))
        times = sorted(r["fetched_at"] for r in recs if r.get("fetched_at"))
        out.append({
            "portal": portal, "name": (portals.get(portal) or {}).get("name") or _first(recs, "portal_name") or portal,
            "pages": s.get("pages_fetched", 0), "statuses": statuses, "reject_problems": problems,
            "alerts": list(s.get("alerts") or []),
            "unreachable": {k: s.get(k, 0) for k in ("blocked", "soft_404", "http_errors", "robots_disallowed") if s.get(k)},
            "seconds": (timing.get(portal) or {}).get("seconds", _span(times)),
            "latency": (timing.get(portal) or {}).get("mean_latency")})
    return out


def _first(records, key):
    return next((r.get(key) for r in records if r.get(key)), None)


def _span(times: list[str]) -> float | None:
    if len(times) < 2:
        return None
    try:
        return (datetime.fromisoformat(times[-1]) - datetime.fromisoformat(times[0])).total_seconds()
    except ValueError:
        return None


def status_chart(rows: list[dict]) -> str:
    """Horizontal stacked bars, one per portal: documents by status (inline SVG)."""
    order = REPORT_STATUSES + REJECT_STATUSES
    width, bar, gap, label_w = 900, 18, 8, 260
    top = max([sum(r["statuses"].get(s, 0) for s in order) for r in rows] + [1])
    height = len(rows) * (bar + gap) + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="documents by status per portal">']
    for i, r in enumerate(rows):
        y = 10 + i * (bar + gap)
        parts.append(f'<text x="0" y="{y + bar - 4}" font-size="12">{_e(r["name"][:24])}</text>')
        x = label_w
        for s in order:
            n = r["statuses"].get(s, 0)
            if n:
                w = (width - label_w - 40) * n / top
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{COLOURS[s]}">'
                             f'<title>{_e(s)}: {n}</title></rect>')
                x += w
        total = sum(r["statuses"].get(s, 0) for s in order)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + bar - 4}" font-size="12">{total}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------------- sections
def _totals(summary: dict, records: list[dict], cov: list[PortalCoverage]) -> str:
    statuses = Counter(r.get("status") for r in records)
    expected = [row for pc in cov for row in pc.rows if row["expected"] == "yes"]
    found = sum(1 for row in expected if row["status"] in REPORT_STATUSES)
    t = summary.get("totals") or {}
    cells = [("portals", len({*(summary.get("portals") or {}), *(p for pc in cov for p in pc.portal.split(";"))})),
             ("pages fetched", t.get("pages_fetched", "—")),
             *((s, statuses.get(s, 0)) for s in REPORT_STATUSES + REJECT_STATUSES),
             ("expected unit-years", len(expected)), ("with a report", found),
             ("missing (not found or failed)", len(expected) - found)]
    return ('<table class="totals"><tr>' + "".join(f"<th>{_e(k)}</th>" for k, _ in cells) + "</tr><tr>"
            + "".join(f'<td class="n">{_e(v)}</td>' for _, v in cells) + "</tr></table>")


def _early(summary: dict) -> str:
    reason = summary.get("finish_reason")
    if reason in (None, "finished"):
        return ""
    return (f'<p class="alert">The crawl ended early ({_e(reason)}): units it had not reached yet show as '
            "missing.</p>")


def _portal_table(rows: list[dict]) -> str:
    head = ("<tr><th>portal</th><th>pages</th>" + "".join(f"<th>{s}</th>" for s in REPORT_STATUSES + REJECT_STATUSES)
            + "<th>rejects by problem</th><th>unreachable</th><th>alerts</th></tr>")
    body = []
    for r in rows:
        probs = ", ".join(f"{_e(k)} ×{n}" for k, n in r["reject_problems"].most_common(6))
        unreach = ", ".join(f"{_e(k)} {n}" for k, n in r["unreachable"].items())
        alerts = "<br>".join(f'<span class="alert">{_e(a)}</span>' for a in r["alerts"])
        body.append(f'<tr data-portal="{_e(r["portal"])}"><td>{_link(r["portal"], r["name"])}</td>'
                    f'<td class="n">{_e(r["pages"])}</td>'
                    + "".join(f'<td class="n">{r["statuses"].get(s, 0)}</td>' for s in REPORT_STATUSES + REJECT_STATUSES)
                    + f"<td>{probs}</td><td>{unreach}</td><td>{alerts}</td></tr>")
    return "<table>" + head + "".join(body) + "</table>"


def _grid(pc: PortalCoverage, records: list[dict]) -> str:
    title = f"{pc.name or pc.portal} — {pc.county.name} ({pc.county.code})" if pc.county else (pc.name or pc.portal)
    if pc.county is None:
        return f"<h3>{_e(title)}</h3><p class='muted'>No coverage grid: {_e(pc.note)}</p>"
    if not pc.years:
        return f"<h3>{_e(title)}</h3><p class='muted'>No coverage grid: no report year found on this portal.</p>"
    units: dict[tuple[str, str, str, str], dict[int, dict]] = {}
    for row in pc.rows:
        units.setdefault((row["unit"], row["code"], row["level"], row["expected"]), {})[row["year"]] = row
    head = "<tr><th>unit</th><th>code</th><th>level</th>" + "".join(f"<th>{y}</th>" for y in pc.years) + "</tr>"
    body = []
    for (unit, code, level, expected), by_year in units.items():
        cells = "".join(_cell(by_year[y]["status"], by_year[y]["url"], f"{unit} {y}: {by_year[y]['status']}")
                        for y in pc.years)
        mark = "" if expected == "yes" else (' <span class="muted">(not in the division list)</span>' if not code
                                              else ' <span class="muted">(listed, not expected)</span>')
        body.append(f"<tr><td>{_e(unit)}{mark}</td><td>{_e(code)}</td><td>{_e(level)}</td>{cells}</tr>")
    note = f"<p class='muted'>{_e(pc.note)}</p>" if pc.note else ""
    return f'<h3>{_e(title)}</h3>{note}<table class="grid">{head}{"".join(body)}</table>{_unplaced(pc, records)}'


def _unplaced(pc: PortalCoverage, records: list[dict]) -> str:
    """Township reports found on the county's portals that no unit of the grid could take."""
    portals = set(pc.portal.split(";"))
    docs = [r for r in records if r.get("portal") in portals and r.get("status") in REPORT_STATUSES
            and r.get("organ_level") == "township" and not r.get("township_code")
            and not (r.get("township_name") and r.get("county_code") == pc.county.code)]
    if not docs:
        return ""
    items = "".join(f"<li>{_link(r.get('url') or r.get('document_url'), r.get('title') or r.get('url'))} "
                    f"<span class='muted'>{_e(r.get('region_note'))}</span></li>" for r in docs)
    return f"<p>{len(docs)} township report(s) on this portal could not be placed in the grid:</p><ul class='unplaced'>{items}</ul>"


def _slowest(rows: list[dict]) -> str:
    timed = sorted((r for r in rows if r["seconds"] is not None), key=lambda r: -r["seconds"])[:10]
    if not timed:
        return "<p class='muted'>Not enough timed documents.</p>"
    return ("<table><tr><th>portal</th><th>seconds from first to last response</th><th>pages</th>"
            "<th>mean download latency (s)</th></tr>"
            + "".join(f'<tr><td>{_link(r["portal"], r["name"])}</td><td class="n">{r["seconds"]:.0f}</td>'
                      f'<td class="n">{r["pages"]}</td>'
                      f'<td class="n">{"" if r["latency"] is None else format(r["latency"], ".2f")}</td></tr>'
                      for r in timed) + "</table>")


def _failure_reasons(records: list[dict]) -> str:
    reasons = Counter(p.get("code") for r in records if r.get("status") in REJECT_STATUSES + ("partial",)
                      for p in r.get("problems") or [] if isinstance(p, dict) and p.get("severity") == "error")
    if not reasons:
        return "<p class='muted'>No failure.</p>"
    return ("<table><tr><th>problem</th><th>documents</th></tr>"
            + "".join(f'<tr><td>{_e(k)}</td><td class="n">{n}</td></tr>' for k, n in reasons.most_common(15)) + "</table>")


def _report_list(records: list[dict]) -> str:
    reports = sorted((r for r in records if r.get("status") in REPORT_STATUSES),
                     key=lambda r: (str(r.get("portal") or ""), str(r.get("county_code") or ""),
                                    str(r.get("township_code") or ""), -(r.get("report_year") or 0)))
    head = "<tr><th>year</th><th>organ</th><th>county</th><th>township</th><th>match</th><th>status</th><th>source</th></tr>"
    body = "".join(
        f"<tr><td>{_e(r.get('report_year'))}</td><td>{_e(r.get('organ'))}</td>"
        f"<td>{_e(r.get('county_name'))} {_e(r.get('county_code'))}</td>"
        f"<td>{_e(r.get('township_name'))} {_e(r.get('township_code'))}</td><td>{_e(r.get('region_match'))}</td>"
        f"<td>{_e(r.get('status'))}</td><td>{_link(r.get('url') or r.get('document_url'), r.get('title') or r.get('url'))}</td></tr>"
        for r in reports)
    return f"<table>{head}{body}</table>"


def _changes(records: list[dict], shown: int = CHANGES_SHOWN) -> str:
    """Reports exported before whose document now says something else (`edited`: the first
    changed fields, old → new) or whose page is gone (`withdrawn`)."""
    changed = sorted((r for r in records if r.get("change") in ("edited", "withdrawn")),
                     key=lambda r: (str(r.get("change")), str(r.get("portal") or ""), -(r.get("report_year") or 0)))
    if not changed:
        return "<p class='muted'>No report was edited or withdrawn since it was last exported.</p>"
    body = []
    for r in changed:
        fields = [f for f in r.get("changed_fields") or [] if isinstance(f, dict)]
        total = r.get("changed_fields_total") or len(fields)
        what = "".join(f"<li><code>{_e(f.get('field'))}</code>: {_value(f.get('old'))} → {_value(f.get('new'))}</li>"
                       for f in fields[:shown])
        if total > shown:
            what += f"<li class='muted'>… {total - shown} more</li>"
        if r.get("change") == "withdrawn":
            what = "".join(f"<li>{_e(p.get('detail'))}</li>" for p in r.get("problems") or []
                           if isinstance(p, dict) and p.get("code") == "withdrawn")
        body.append(f'<tr data-change="{_e(r.get("change"))}"><td>{_e(r.get("change"))}</td>'
                    f"<td>{_e(r.get('report_year'))}</td><td>{_e(r.get('organ'))}</td>"
                    f"<td><ul>{what}</ul></td><td class='muted'>{_e(r.get('previous_sha256'))}</td>"
                    f"<td>{_link(r.get('url') or r.get('document_url'), r.get('title') or r.get('url'))}</td></tr>")
    head = ("<tr><th>change</th><th>year</th><th>organ</th><th>what changed (old → new)</th>"
            "<th>previous sha256</th><th>source</th></tr>")
    return f'<table class="changes">{head}{"".join(body)}</table>'


def _value(v) -> str:
    return "<i>null</i>" if v is None else _e(v)


def render(summary: dict, records: list[dict], portals: dict[str, dict], cov: list[PortalCoverage],
           run_time: str = "") -> str:
    rows = portal_rows(summary, records, portals)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Run report {_e(run_time)}</title><style>{_CSS}</style></head>
<body>
<h1>政府信息公开年报 — run report {_e(run_time)}</h1>
{_early(summary)}
{_totals(summary, records, cov)}
<h2>Portals</h2>
{status_chart(rows)}
{legend()}
{_portal_table(rows)}
<h2>Coverage: expected units × years</h2>
<p class="muted">Expected units: the county and the 街道/镇/乡 the official division list gives it
(crawler/regions/data). A report found anywhere counts for the unit it was issued by.</p>
{legend()}
{"".join(_grid(pc, records) for pc in cov)}
<h2>Slowest portals</h2>
{_slowest(rows)}
<h2>Commonest failure reasons (error problems of failed, rejected and partial documents)</h2>
{_failure_reasons(records)}
<h2>Edited and withdrawn reports</h2>
{_changes(records)}
<h2>Reports</h2>
{_report_list(records)}
</body></html>
"""
