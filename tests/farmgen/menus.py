"""Menu forms of a unit directory, and the ways a unit home is entered (portals.md §a2)."""
from __future__ import annotations

import json

from tests.farm import html as H


def directory(form: str, links: list[tuple[str, str]], group: str = "乡镇") -> str:
    """links: (href, unit name). Every form is one real portals use."""
    if form == "ul":
        return H.list_ul([(u, t, "") for u, t in links])
    if form == "table":
        cells = [f'<td><a href="{H.esc(u)}" target="_blank">{H.esc(t)}</a></td>' for u, t in links]
        rows = ["<tr>" + "".join(cells[i:i + 3]) + "</tr>" for i in range(0, len(cells), 3)]
        return f'<table class="unit-grid" width="100%">{"".join(rows)}</table>'
    if form == "select":
        opts = "".join(f'<option value="{H.esc(u)}">{H.esc(t)}</option>' for u, t in links)
        return (f'<div class="jump">{H.esc(group)}：<select onchange="if(this.value)window.open(this.value)">'
                f'<option value="">--请选择--</option>{opts}</select></div>')
    if form == "script_units":
        data = json.dumps([{"name": t, "url": u} for u, t in links], ensure_ascii=False)
        return ('<ul id="unitList"></ul><script>var units = ' + data + ';'
                'for (var i = 0; i < units.length; i++) { document.getElementById("unitList").innerHTML += '
                '"<li><a href=\'" + units[i].url + "\'>" + units[i].name + "</a></li>"; }</script>')
    if form == "tree":   # zTree-style node data: {id, pId, name, url}
        nodes = [{"id": 1, "pId": 0, "name": group, "open": False}]
        nodes += [{"id": 10 + i, "pId": 1, "name": t, "url": u, "target": "_blank"} for i, (u, t) in enumerate(links)]
        return ('<div class="zTreeDemoBackground"><ul id="unitTree" class="ztree"></ul></div><script>var setting = {data: '
                '{simpleData: {enable: true}}};var zNodes = ' + json.dumps(nodes, ensure_ascii=False) +
                ';$(document).ready(function(){$.fn.zTree.init($("#unitTree"), setting, zNodes);});</script>')
    if form == "onclick_custom":   # a site script opens each unit: no href, a custom function name
        lis = "".join(f'<li><a href="javascript:void(0);" onclick="gotoSite(\'{H.esc(u)}\')">{H.esc(t)}</a></li>' for u, t in links)
        return (f'<ul class="site-list">{lis}</ul><script>function gotoSite(u) {{ window.open(u, "_blank"); }}</script>')
    if form == "dl_grid":
        dds = "".join(f'<dd><a href="{H.esc(u)}">{H.esc(t)}</a></dd>' for u, t in links)
        return f'<dl class="org-nav"><dt>{H.esc(group)}</dt>{dds}</dl>'
    raise ValueError(form)


def entry_shell(kind: str, target_rel: str) -> str | None:
    """A unit home that only redirects (None: the home is the page itself)."""
    if kind == "js_shell":
        return f"<html><head><script>window.location.href='{target_rel}';</script></head><body></body></html>"
    if kind == "meta_shell":
        return f'<html><head><meta http-equiv="refresh" content="0;url={target_rel}"></head><body>跳转中…</body></html>'
    return None
