"""The real `reports` spider against the fixture portal farm (tests/farm), served over HTTP on
127.0.0.1: the exact set of report documents of the answer key, every problem candidate reported,
no decoy or mirror ever requested, per-portal stats, JOBDIR pause/resume."""
from __future__ import annotations

import json

import pytest

from crawler.samples_server import FarmServer
from tests.farm.build import build
from tests.farm.harness import found, portals_csv, problems, resolve, run_spider

NO_PIPELINES = ["ITEM_PIPELINES={}"]


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    root = tmp_path_factory.mktemp("farm")
    answer = build(root, unfamiliar_portals=True)
    srv = FarmServer(root, ports=2).start()
    csv = portals_csv(root, srv.origins, root.parent / "portals.csv")
    yield {"root": root, "answer": answer, "server": srv, "csv": csv,
           "r": lambda u: resolve(u, srv.origins)}
    srv.stop()


@pytest.fixture(scope="module")
def crawl(farm, tmp_path_factory):
    farm["server"].farm.hits.clear()
    res = run_spider(tmp_path_factory.mktemp("crawl"), farm["csv"], NO_PIPELINES)
    res["hits"] = dict(farm["server"].farm.hits)
    return res


def test_every_report_and_nothing_else(farm, crawl):
    want = {farm["r"](u) for u in farm["answer"]["reports"]}
    got = found(crawl)
    assert got - want == set(), "yielded documents that are not reports"
    assert want - got == set(), "reports missed"


def test_report_candidates_that_fail_are_reported_not_dropped(farm, crawl):
    want = {(code, farm["r"](u)) for code, urls in farm["answer"]["problems"].items() for u in urls}
    assert problems(crawl) == want


def test_decoys_mirrors_and_offsite_copies_are_never_requested(farm, crawl):
    requested = {k.split(" ", 1)[1] for k in crawl["hits"]}
    decoy_paths = {farm["r"](u).split("//", 1)[1] for u in farm["answer"]["decoys"]}
    assert decoy_paths and not (requested & decoy_paths)
    assert not [k for k in requested if k.startswith("localhost")], "followed a link to a mirror host"
    assert crawl["stats"].get("govreports/out_of_scope_links", 0) >= 2
    # a long non-report list (重点领域信息公开, createPageHTML(50, …)) is visited but not paged through
    assert any(k.endswith("/trs/zwgk/zdly/index.html") for k in requested)
    assert not [k for k in requested if "/trs/zwgk/zdly/index_" in k]
    # 更多>> into a column whose URL has no report slug (通知公告) is not followed
    assert not [k for k in requested if k.endswith("/vsb/tzgg.htm")]


def test_each_document_fetched_once(crawl):
    urls = [i["document_url"] for i in crawl["items"]]
    assert len(urls) == len(set(urls))


def test_item_fields(farm, crawl):
    portals = {farm["r"](u) for u in farm["answer"]["portals"]}
    by_doc = {i["document_url"]: i for i in crawl["items"]}
    for it in crawl["items"]:
        assert it["portal"] in portals
        assert it["fetched_at"].endswith("+00:00")
        assert it["portal_meta"]["name"].endswith("人民政府")
        assert it["portal_meta"]["region_code"].isdigit()
        if not it.get("fetch_problem"):
            assert it["body_len"] > 0 and it["http_status"] == 200
            assert it["found_on"]
    # a Hanweb downfile.jsp?filename=x.pdf attachment: fetched through the 302, credited to its page
    att = [d for d in by_doc if "/attach/0/" in d]
    assert att
    for d in att:
        it = by_doc[d]
        assert it["body_head"].startswith("%PDF") and "/art/" in it["url"] and it["url"] != d
    # the UTF-8 page whose <meta> claims gbk was recognised (its title only reads right when decoded right)
    assert any("水利局" in (i.get("link_text") or "") for i in crawl["items"] if not i.get("fetch_problem"))


def test_platform_paging_was_exercised(farm, crawl):
    hits = " ".join(crawl["hits"])
    assert "POST " in hits and "startrecord=" in hits               # Hanweb POST groups
    assert "dataproxy.jsp?page=3" in hits                             # Hanweb GET nextgroup chain
    assert "%22pageNo%22%3A3" in hits                                 # jpaas paramJson paging to the empty page
    assert "/gkmlpt/api/all/2001?page=2&sid=755041" in hits          # gkmlpt SID from window._CONFIG
    assert "/asp/InfoPublic.aspx?cid=1019&pid=971&page=4" in hits    # ?page=N beyond the pager window
    assert "/XxgkContent/showList/1/900/page_2.html" in hits          # Lonsun page_N
    assert "/trs/zwgk/zfxxgknb/2022n/index_2.html" in hits            # 1-based createPageHTML('paging')
    assert "/vsb/zfxxgknb/1.htm" in hits                              # VSB reverse-numbered /N.htm page


def test_unfamiliar_portal_paths(farm, crawl):
    """tests/farm/unfamiliar.py: an opaque home-menu label, directories under unknown labels, a
    noscript datastore shell, a JSON detail, __doPostBack paging, a search-only portal."""
    r, st, hits = farm["r"], crawl["stats"], " ".join(crawl["hits"])
    assert "POST " in hits and "/unf/zs/nb/List.aspx" in hits              # ASP.NET postback pages
    assert st["govreports/aspnet_postbacks"] >= 2
    assert st[f"govreports/portal/{r('{{ORIGIN}}/srch/index.html')}/site_search"] == 1
    assert "searchWord=%E6%94%BF%E5%BA%9C" in hits                          # the search form, filled
    assert st[f"govreports/portal/{r('{{ORIGIN}}/unf/index.html')}/explored_links"] <= 12
    # the unit whose directory link led to a report travels with it (title/organ hint for the parser)
    by_doc = {i["document_url"]: i for i in crawl["items"]}
    hints = {r(u): unit for u, unit in farm["answer"]["unit_hints"].items()}
    assert hints and {u: by_doc[u].get("unit_hint") for u in hints} == hints
    assert any(i.get("list_context") and "2024-01-" in i["list_context"] for i in crawl["items"])
    # an app shell whose article is JSON in a script is yielded as the rebuilt article, not the empty shell
    shells = [r(u) for u in farm["answer"]["app_shell_details"]]
    assert shells and all(by_doc[u]["body_head"] == "<html><h" for u in shells)


def test_stats_per_portal(farm, crawl):
    st = crawl["stats"]
    r = farm["r"]
    for p in farm["answer"]["portals"]:
        assert st[f"govreports/portal/{r(p)}/pages_fetched"] > 3
        assert st[f"govreports/portal/{r(p)}/candidates_yielded"] > 3
    trs, asp, gd = r("{{ORIGIN}}/trs/index.html"), r("{{ORIGIN}}/asp/Default.aspx"), r("{{ORIGIN}}/gd/index.html")
    assert st[f"govreports/portal/{trs}/robots_disallowed"] == 1
    assert st[f"govreports/portal/{trs}/http_errors"] >= 1
    assert st[f"govreports/portal/{asp}/soft_404"] == 1
    assert st[f"govreports/portal/{asp}/blocked"] == 2      # blank 200 + 412 $_ts list page
    assert st[f"govreports/portal/{gd}/blocked"] == 1       # 加速乐 521


def test_jobdir_pause_and_resume_finds_everything(farm, tmp_path):
    """Requests are picklable: a crawl stopped half-way and resumed from JOBDIR ends complete."""
    jobdir = tmp_path / "job"
    first = run_spider(tmp_path / "w", farm["csv"], NO_PIPELINES + [f"JOBDIR={jobdir}", "CLOSESPIDER_PAGECOUNT=40"])
    assert first["stats"].get("finish_reason") == "closespider_pagecount"
    assert (jobdir / "requests.queue").exists()
    second = run_spider(tmp_path / "w", farm["csv"], NO_PIPELINES + [f"JOBDIR={jobdir}"])
    want = {farm["r"](u) for u in farm["answer"]["reports"]}
    assert found(first) | found(second) == want
    assert len(found(first)) < len(want)


def test_with_the_project_pipelines_records_keep_the_urls(farm, tmp_path):
    """End to end with the parse/dedup pipelines: exported records come from answer-key documents."""
    res = run_spider(tmp_path, farm["csv"])
    want = {farm["r"](u) for u in farm["answer"]["reports"]}
    recs = []
    for f in (tmp_path / "output").glob("*.jsonl"):
        recs += [json.loads(line) for line in f.read_text("utf-8").splitlines() if line.strip()]
    assert recs, res["stderr"][-2000:]
    reports = [r for r in recs if r.get("status") not in ("not_a_report", "failed")]
    assert reports and {r["document_url"] for r in reports} <= want
    rejected = {r["document_url"] for r in recs if r.get("status") == "failed"}
    for urls in farm["answer"]["problems"].values():
        assert {farm["r"](u) for u in urls} <= rejected


def test_per_portal_request_budget(farm, tmp_path):
    res = run_spider(tmp_path, farm["csv"], NO_PIPELINES + ["GOVREPORTS_MAX_REQUESTS_PER_PORTAL=12"])
    st = res["stats"]
    for p in farm["answer"]["portals"]:
        p = farm["r"](p)
        assert 0 < st[f"govreports/portal/{p}/pages_fetched"] <= 12
    assert any(k.endswith("/request_budget_exhausted") for k in st)
