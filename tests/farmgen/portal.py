"""One county portal drawn under a seed: home → disclosure area → report column, and a unit
directory → unit homes → their report columns; decoys, copies, template reports, attachments."""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from tests.farm import html as H

from . import content as C
from .families import FAMILIES
from .menus import directory, entry_shell
from .vocab import COUNTY_SUFFIXES, DEPARTMENTS, NAME_CHARS, PROVINCES, TOWN_SUFFIXES

O, O1 = "{{ORIGIN}}", "{{ORIGIN1}}"
SIBLING_HOST_FAMILIES = ("trs", "jcms", "jpaas")   # xxgk platforms often live on their own host (portals.md §a1)


@dataclass
class Ctx:
    fb: object
    rng: random.Random
    pools: dict
    slug: str
    site: str = ""
    nav: list = field(default_factory=list)

    def page(self, title, body):
        return H.chrome(self.site, title, body, nav=self.nav, crumbs=f"首页 &gt; {H.esc(title)}")


def name(rng, used: set, suffixes, n=2) -> str:
    while True:
        s = "".join(rng.choice(NAME_CHARS) for _ in range(n)) + rng.choice(suffixes)
        if s not in used:
            used.add(s)
            return s


def credit_code(rng) -> str:
    alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "11" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(rng.choice(alnum) for _ in range(10))


class PortalBuilder:
    def __init__(self, fb, rng: random.Random, pools: dict, family: str, slug: str, used: set, template_seed: int,
                 small: bool = False):
        self.fb, self.rng, self.pools = fb, rng, pools
        self.county = name(rng, used, COUNTY_SUFFIXES)
        self.site = f"{self.county}人民政府"
        self.ctx = Ctx(fb, rng, pools, slug, self.site)
        self.fam = FAMILIES[family](self.ctx)
        self.template_seed = template_seed
        pick = lambda k: rng.choice(pools[k])  # noqa: E731
        self.labels = {k: pick(k + "_labels") for k in ("area", "column", "town_column", "directory")}
        self.dir_form = pick("directory_forms")
        self.tpls = rng.sample(pools["detail_templates"], min(2, len(pools["detail_templates"])))
        self.title_form = pick("title_forms")
        y0 = rng.choice((2023, 2024))
        self.years = [y0 - i for i in range(2 if small else rng.randint(2, 3))]
        self.towns = [name(rng, used, TOWN_SUFFIXES) for _ in range(rng.randint(2, 3 if small else 4))]
        self.depts = rng.sample(DEPARTMENTS, rng.randint(1, 2 if small else 3))
        self.codes: dict[str, str] = {}
        self.json_details = family == "gkmlpt" and rng.random() < 0.35   # article only in window._CONFIG.DETAIL
        # the disclosure area on a sibling host: every page below it is reachable on both hosts
        self.origins = (O, O1) if family in SIBLING_HOST_FAMILIES and rng.random() < 0.35 else (O,)
        self.portal_url = O + self.fam.home_path()
        self.plan = {"family": family, "county": self.county, "labels": self.labels, "directory_form": self.dir_form,
                     "detail_templates": self.tpls, "title_form": self.title_form, "years": self.years,
                     "towns": self.towns, "pager": getattr(self.fam, "pager", getattr(self.fam, "mode", "")),
                     "noscript": bool(self.fam.noscript), "list_titles": getattr(self.fam, "titles", "full"),
                     "features": [], "portal": self.portal_url}

    # ------------------------------------------------------------------ pieces
    def urls(self, *paths) -> list[str]:
        return [o + p for p in paths for o in self.origins]

    def decoy(self, path, title, kind) -> None:
        self.fb.write(path, H.decoy_page(self.site, title, kind))
        self.fb.decoys.extend(self.urls(path))

    def title(self, organ, year):
        cn_year = "".join("〇一二三四五六七八九"[int(d)] for d in str(year))
        return self.title_form.format(o=organ, y=year, cy=cn_year)

    def index_no(self, organ, year):
        code = self.codes.setdefault(organ, credit_code(self.rng))
        return f"{code}/{year + 1}-{self.rng.randint(1, 99999):05d}"

    def report_page(self, unit, organ, year, *, template=False, body=None, extra=""):
        """Write one report page; returns (path, title, date, html)."""
        t = self.title(organ, year)
        date = f"{year + 1}-01-{self.rng.randint(10, 28)}"
        if body is None:
            rng = random.Random(f"template:{self.template_seed}:{year}") if template else self.rng
            body = C.parts_html(C.report_parts(rng, organ, year, template))
        tpl = self.rng.choice(self.tpls)
        idx = self.index_no(organ, year) if tpl != "byline" else None
        if self.json_details and self.rng.random() < 0.5:
            path = self.fam.detail_path(unit, year)
            self.fb.write(path, C.json_detail_page(self.site, title=t, organ=organ, idx=idx, date=date, body=body + extra,
                                                   nav=self.ctx.nav, sid=self.fam.sid))
            self.plan["features"].append("json_detail")
            return path, t, date, None
        html = C.detail_page(tpl, site=self.site, title=t, organ=organ, idx=idx, date=date, body=body, nav=self.ctx.nav,
                             crumbs=f"首页 &gt; {H.esc(self.labels['area'])}", extra=extra,
                             column=self.labels["column" if unit is None else "town_column"],
                             chrome=self.rng.choice(self.pools["chrome_words"]))
        path = self.fam.detail_path(unit, year)
        self.fb.write(path, html)
        return path, t, date, html

    def decoys(self, unit, organ, k):
        out = []
        for kind, form in self.rng.sample(self.pools["decoys"], k):
            y = self.rng.choice(self.years)
            t = form.format(o=organ, y=y, y1=y + 1)
            path = self.fam.detail_path(unit, y)
            self.decoy(path, t, kind)
            out.append((path, t, f"{y + 1}-02-01"))
        return out

    # ------------------------------------------------------------------ the portal
    def build(self):
        fb, rng, fam = self.fb, self.rng, self.fam
        area = fam.area_path()
        area_link = (self.origins[-1] + area) if len(self.origins) > 1 else area
        self.ctx.nav = [(fam.home_path(), "首页"), (area_link, self.labels["area"]), (f"/{self.ctx.slug}/xwzx/index.html", "新闻中心")]
        if len(self.origins) > 1:
            self.plan["features"].append("sibling_host")
        province, city = rng.choice(PROVINCES)
        fb.portal(self.portal_url, name=self.site, region_code=str(rng.randint(110000, 659999)), province=province,
                  city=city, county=self.county)
        units = [{"name": t, "abbr": f"u{fb.uid()}", "organ": f"{self.county}{t}"} for t in self.towns]
        if rng.random() < 0.5:   # a department with its own column in the directory (部门和乡镇)
            dept = rng.choice([d for d in DEPARTMENTS if d not in self.depts])
            units.append({"name": f"{self.county}{dept}", "abbr": f"u{fb.uid()}", "organ": f"{self.county}{dept}", "dept": True})
            self.plan["features"].append("department_unit")
        county_items, shared = self.county_reports()
        town_links, copies = [], []
        template_year = rng.choice(self.years) if len(self.towns) >= 2 and rng.random() < 0.75 else None
        if template_year:
            self.plan["features"].append(f"template_reports_{template_year}")
        year_only = rng.choice(self.pools["town_list_texts"]) == "year_only"
        self.plan["town_list_texts"] = "year_only" if year_only else "full"
        if year_only:
            self.plan["features"].append("town_lists_year_only")
        for ui, unit in enumerate(units):
            items = []
            for y in self.years:
                template = y == template_year and not unit.get("dept")
                path, t, d, html = self.report_page(unit, unit["organ"], y, template=template)
                items.append((path, f"{y}年度报告" if year_only else t, d))
                urls = [path]
                if ui == 0 and y == self.years[0] and rng.random() < 0.7:   # the county re-publishes a town report
                    cpath = fam.detail_path(None, y)
                    fb.write(cpath, html or (fb.root / path.lstrip("/")).read_text("utf-8"))
                    copies.append((cpath, t, d))
                    urls.append(cpath)
                    self.plan["features"].append("county_copy")
                fb.add_row(self.urls(*urls), title=t, organ=unit["organ"], year=y, portal=self.portal_url,
                           kind="template" if template else ("copied" if len(urls) > 1 else "dept_unit" if unit.get("dept") else "town"))
            items += self.decoys(unit, unit["organ"], 1)
            rng.shuffle(items)
            col = fam.write_column(unit, self.labels["town_column"], items)
            town_links.append((self.unit_entry(unit, col), unit["name"]))
        county_items += copies
        rng.shuffle(county_items)
        county_col = fam.write_column(None, self.labels["column"], county_items)
        self.area_and_home(area, county_col, town_links, shared)
        fb.portal_info.append(self.plan)

    def county_reports(self):
        fb, rng, fam = self.fb, self.rng, self.fam
        items = []
        organs = [self.site] + [f"{self.county}{d}" for d in self.depts]
        for y in self.years:
            for oi, organ in enumerate(organs):
                if oi and y != self.years[0] and rng.random() < 0.5:
                    continue
                extra, urls = "", []
                feature = rng.random()
                if oi and feature < 0.25:     # attachment-only report page (the report is the DOCX)
                    t = self.title(organ, y)
                    doc = fb.attachment(f"/{self.ctx.slug}/uploadfile/{y + 1}/P0{y + 1}0118{fb.uid():09d}",
                                        C.docx_bytes(t, C.report_parts(rng, organ, y, False)), rng)
                    body = C.attachment_only_body(t, doc, t + "." + doc.rsplit(".", 1)[1])
                    path, t, d, _ = self.report_page(None, organ, y, body=body)
                    urls = [path, doc]
                    self.plan["features"].append("attachment_only")
                elif oi and feature < 0.4:    # an HTML report with its DOCX twin
                    t = self.title(organ, y)
                    parts = C.report_parts(rng, organ, y, False)
                    doc = fb.attachment(f"/{self.ctx.slug}/uploadfile/{y + 1}/{fb.uid():032x}", C.docx_bytes(t, parts), rng)
                    extra = f'<div class="fj">附件：<a href="{doc}">{H.esc(t)}.{doc.rsplit(".", 1)[1]}</a></div>'
                    path, t, d, _ = self.report_page(None, organ, y, body=C.parts_html(parts), extra=extra)
                    urls = [path, doc]
                    self.plan["features"].append("html_with_docx")
                else:
                    path, t, d, _ = self.report_page(None, organ, y)
                    urls = [path]
                fb.add_row(self.urls(*urls), title=t, organ=organ, year=y, portal=self.portal_url, kind="county")
                items.append((path, t, d))
        items += self.decoys(None, self.site, rng.randint(2, 3))
        if rng.random() < 0.5:   # a 解读 page behind a link that reads like the report itself: fetched, never exported
            y = self.years[0]
            path = self.fam.detail_path(None, y)
            fb.write(path, H.decoy_page(self.site, f"《{self.title(self.site, y)}》解读", "interpretation"))
            fb.decoy_pages.extend(self.urls(path))
            items.append((path, self.title(self.site, y), f"{y + 1}-01-25"))
            self.plan["features"].append("disguised_decoy")
        if rng.random() < 0.5:   # a broken link with a report title
            y = self.years[0]
            path = self.fam.detail_path(None, y)
            t = self.title(f"{self.county}{rng.choice([d for d in DEPARTMENTS if d not in self.depts])}", y)
            for u in self.urls(path):
                fb.problem("http_error", u)
            items.append((path, t, f"{y + 1}-01-30"))
            self.plan["features"].append("broken_link")
        if rng.random() < 0.3:   # a deleted report answering 200 with a soft-404 page
            y = self.years[-1]
            path = self.fam.detail_path(None, y)
            t = self.title(f"{self.county}{rng.choice([d for d in DEPARTMENTS if d not in self.depts])}", y)
            fb.write(path, "<html><head><title>提示</title></head><body><div class='tip'>该信息已删除或不存在！</div>"
                           "<a href='/'>返回首页</a></body></html>")
            for u in self.urls(path):
                fb.problem("soft_404", u)
            items.append((path, t, f"{y + 1}-01-29"))
            self.plan["features"].append("soft_404")
        return items, items[0]

    def unit_entry(self, unit, col):
        """The directory's link to a unit: its home page (maybe behind a redirect shell) → its column."""
        fam, fb = self.fam, self.fb
        home = fam.unit_home(unit)
        if home != col and self.rng.random() < 0.35:   # a unit sub-site: home → its own disclosure area → column
            area = f"/{self.ctx.slug}/{unit['abbr']}/zwgk/index.html"
            fb.write(area, self.ctx.page(f"{unit['name']}{self.labels['area']}", H.list_ul([
                (f"/{self.ctx.slug}/guide/{unit['abbr']}.html", "政府信息公开指南", ""), (col, self.labels["town_column"], "")])))
            fb.write(home, self.ctx.page(unit["name"], '<div class="unit-nav">' + H.list_ul([
                (f"/{self.ctx.slug}/{unit['abbr']}/news.html", "工作动态", ""), (area, self.labels["area"], ""),
                (f"/{self.ctx.slug}/{unit['abbr']}/hd.html", "互动交流", "")]) + "</div>"))
            self.plan["features"].append("unit_subsite")
        elif home != col:   # gkmlpt: the unit's app is its home
            fb.write(home, self.ctx.page(unit["name"], H.list_ul([
                (f"/{self.ctx.slug}/guide/{unit['abbr']}.html", "政府信息公开指南", ""), (col, self.labels["town_column"], "")])))
        kind = self.rng.choice(self.pools["town_entries"])
        shell = entry_shell(kind, home)
        if shell is None:
            return home
        link = f"/{self.ctx.slug}/go/{unit['abbr']}/index.html"
        fb.write(link, shell)
        self.plan["features"].append(kind)
        return link

    def area_and_home(self, area, county_col, town_links, latest):
        fb, fam, s = self.fb, self.fam, self.ctx.slug
        dir_path = f"/{s}/dir/{fb.uid()}/index.html"
        fb.write(dir_path, self.ctx.page(self.labels["directory"],
                                         directory(self.dir_form, town_links, self.labels["directory"])))
        self.decoy(f"/{s}/guide/index.html", f"{self.site}政府信息公开指南", "guide")
        fb.write(f"/{s}/xwzx/index.html", self.ctx.page("新闻中心", H.list_ul([])))
        dir_link = (dir_path, self.labels["directory"], "")
        home_blocks, more_block = [], ""
        entry = self.rng.choice(self.pools["column_entries"])
        self.plan["column_entry"] = entry
        if fam.area_is_column:   # the area is the list app: the directory hangs from the home page
            home_blocks.append(dir_link)
        else:
            column_link = [(county_col, self.labels["column"], "")]
            if entry == "home_more_block":   # only a home-page block titled by the column, with a 更多>> link
                column_link = []
                more_block = (f'<div class="block"><h3>{H.esc(self.labels["column"])}</h3>'
                              f'<a class="more" href="{county_col}">更多&gt;&gt;</a></div>')
                self.plan["features"].append("column_only_via_more")
            fb.write(area, self.ctx.page(self.labels["area"], H.list_ul([
                (f"/{s}/guide/index.html", "政府信息公开指南", ""), (f"/{s}/zd/index.html", "政府信息公开制度", ""),
                (f"/{s}/fdzdgknr/index.html", "法定主动公开内容", "")] + column_link + [
                (f"/{s}/ysqgk/index.html", "依申请公开", ""), dir_link])))
            fb.write(f"/{s}/fdzdgknr/index.html", self.ctx.page("法定主动公开内容", H.list_ul([
                (f"/{s}/tzgg/index.html", "通知公告", ""), (f"/{s}/czyjs/index.html", "财政预决算", "")])))
            fb.write(f"/{s}/tzgg/index.html", self.ctx.page("通知公告", H.list_ul(
                [(f"/{s}/tzgg/{k}.html", f"{self.county}第{k}批重点项目公示", "") for k in range(4)])
                + '<script>createPageHTML(300, 0, "index", "html");</script>'))
        fb.write(fam.home_path(), self.ctx.page("首页", '<div class="zxgk"><h3>最新公开</h3>'
                                                + H.list_ul([latest] + home_blocks) + "</div>" + more_block))
