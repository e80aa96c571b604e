"""Discovery generalises: the real spider with its pipelines, over real HTTP on 127.0.0.1, on
portal farms drawn by tests/farmgen under seeds it was never tuned on, with training and held-out
variants (labels, menu forms, page templates the crawler code has never seen).

For every farm: each report row of the answer key is exported exactly once (a county copy of a
town report, a page and its DOCX are one row), no two rows are merged (township template reports
with identical bodies but different organs/索引号 stay apart, also across portals), and nothing
but reports is exported (no decoy, no broken link). Held-out variant classes the crawler still fails are listed in
GAPS: crawled alone in small farms under a strict xfail naming the gap, and kept out of the other farms."""
from __future__ import annotations

import re
import tokenize
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.farm.harness import resolve
from tests.farmgen import content, heldout, vocab
from tests.farmgen.build import generate
from tests.farmgen.run import crawl_farm

REPO = Path(__file__).resolve().parents[1]

# name → (seed, held-out variants?, generate() options). Small farms: 6 portals, one per platform family.
CASES = {
    "train-11": (11, False, {}),
    "train-12": (12, False, {}),
    "heldout-21": (21, True, {}),
    "heldout-22": (22, True, {}),
    "train-203-full": (203, False, {"small": False}),   # full size: 2-3 years, up to 4 townships
}
# Held-out variant classes the crawler still fails. Each `variant` is dropped from the farms above and crawled in
# a farm of its own (the variant pinned, plus `also` pins that isolate it) whose failing tests are
# xfail(strict): the day the gap closes they XPASS and fail, and the entry must go. Entry:
#   name: dict(seed=N, variant={pool: (value,)}, also={pool: (value,)}, families=[...], tests=(…), reason="…")
GAPS: dict[str, dict] = {}  # none left: the __doPostBack "gap" was the generated farm answering POSTs with page 1


# Farms of CASES that still fail a test for a reason named here: strict xfail of those tests only.
KNOWN_FAILURES: dict[str, dict] = {}  # train-203-full's bureaux of two counties: fixed (县/区/旗 one level)


def _cases() -> dict:
    drop: dict[str, tuple] = {}
    for gap in GAPS.values():
        for pool, values in gap["variant"].items():
            drop[pool] = drop.get(pool, ()) + tuple(values)
    cases = {name: (seed, held, {**opts, **({"drop": drop} if held and drop else {})})
             for name, (seed, held, opts) in CASES.items()}
    for name, gap in GAPS.items():
        pin = {**gap.get("also", {}), **gap["variant"]}
        others = {pool: values for pool, values in drop.items() if pool not in pin}   # one gap per farm
        cases[name] = (gap["seed"], True, {"pin": pin, "drop": others, "families": gap["families"],
                                      "portals": len(gap["families"])})
    return cases


def _params(test: str) -> list:
    """The farms a test runs on, with the strict xfail of a known gap where it applies."""
    out = []
    for name in _cases():
        gap = GAPS.get(name) or KNOWN_FAILURES.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=gap["reason"])] if gap and test in gap["tests"] else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


@pytest.fixture(scope="module")
def farms(tmp_path_factory):
    """All farms crawled once, two at a time (each crawl is a subprocess; the farms are served here)."""
    base = tmp_path_factory.mktemp("farmgen")
    with ThreadPoolExecutor(2) as ex:
        futures = {name: ex.submit(crawl_farm, base / name, seed, held, **{"small": True, **opts})
                   for name, (seed, held, opts) in _cases().items()}
        out = {}
        for name, f in futures.items():   # a failed crawl fails its tests, without crawling again per test
            try:
                out[name] = f.result()
            except Exception as e:  # noqa: BLE001
                out[name] = e
        return out


@pytest.fixture
def farm(name, farms):
    res = farms[name]
    if isinstance(res, Exception):
        pytest.fail(f"crawl of {name} failed: {str(res)[-3000:]}")
    return res


def _titles(rows):
    return sorted(r["title"] + (f" -- {r['why']}" if "why" in r else "") for r in rows)


@pytest.mark.parametrize("name", _params("exported_once"))
def test_every_report_row_is_exported_exactly_once(farm):
    assert _titles(farm["missed"]) == [], "reports missed (-- where they were lost)"
    assert _titles(farm["duplicated"]) == [], "one report exported as several rows"
    assert farm["found"] == farm["rows"] == len(farm["answer"]["rows"])


@pytest.mark.parametrize("name", _params("not_merged"))
def test_no_two_reports_are_merged(farm):
    assert farm["false_merges"] == []
    if farm["answer"]["pin"] == {}:
        kinds = {r["kind"] for r in farm["answer"]["rows"]}
        assert "template" in kinds, "the farm must hold template reports for this test to mean anything"


@pytest.mark.parametrize("name", _params("nothing_else"))
def test_nothing_but_reports_is_exported(farm):
    assert farm["extra"] == []


@pytest.mark.parametrize("name", _params("decoys"))
def test_decoy_links_are_not_followed_and_notice_lists_not_paged(farm):
    """Training wordings of decoys (解读, 通知, 统计年报, 决算, 总结 …) are never fetched; on held-out farms a decoy
    may cost a request (benchmarks/discovery_bench.py counts them) but is never exported (test above). The
    通知公告 list under the area page announces 300 pages and is never paged through."""
    requested = {k.split(" ", 1)[1] for k in farm["hits"]}
    assert [k for k in requested if "/tzgg/index_" in k] == []
    if not farm["heldout"]:
        assert farm["decoys_requested"] == []


@pytest.mark.parametrize("name", _params("failed_rejected"))
def test_failed_candidates_are_rejected_with_a_reason(farm):
    """A broken link or a soft-404 page under a report title, once requested, ends in the rejects feed as
    `failed`, never in the reports (a link never reached shows up as missed reports above)."""
    requested = {k.split(" ", 1)[1] for k in farm["hits"]}
    broken = {resolve(u, farm["origins"]) for code in ("http_error", "soft_404") for u in farm["answer"]["problems"][code]}
    reached = {u for u in broken if u.split("//", 1)[1] in requested}
    rejected = {r["document_url"]: r.get("status") for r in farm["rejects"]}
    assert reached or farm["answer"]["pin"], "the farm must hold broken links for this test to mean anything"
    assert {u: rejected.get(u) for u in reached} == {u: "failed" for u in reached}
    assert not broken & {r["document_url"] for r in farm["reports"]}


# ---------------------------------------------------------------- the generator itself
def test_generator_is_deterministic_and_draws_every_family(tmp_path):
    a = generate(tmp_path / "a", 5, small=True)
    b = generate(tmp_path / "b", 5, small=True)
    assert a["rows"] == b["rows"] and a["decoys"] == b["decoys"]
    assert sorted(p["family"] for p in a["portal_plans"]) == sorted(["trs", "jcms", "jpaas", "gkmlpt", "lonsun", "plain"])
    assert a["rows"] != generate(tmp_path / "c", 6, small=True)["rows"]


def test_template_reports_have_identical_bodies_but_different_identities(tmp_path):
    ans = generate(tmp_path, 11, small=True)
    tpl = [r for r in ans["rows"] if r["kind"] == "template"]
    bodies = {}
    for r in tpl:
        html = (tmp_path / r["urls"][0].replace("{{ORIGIN}}", "").lstrip("/")).read_text("utf-8")
        body = re.search(r'<div id="zoom"[^>]*>(.*?)</div>', html, re.S).group(1)
        bodies.setdefault(r["year"], set()).add(body)
    assert len(tpl) >= 2 and all(len(b) == 1 for b in bodies.values())
    assert len({(r["organ"], r["year"]) for r in tpl}) == len(tpl)


def _string_literals(path: Path) -> str:
    with open(path, "rb") as f:
        return "\n".join(t.string for t in tokenize.tokenize(f.readline) if t.type == tokenize.STRING)


def test_held_out_variants_stay_out_of_the_crawler_code():
    """The held-out pools are a test set: no crawler module may import them or carry their labels."""
    files = list((REPO / "crawler").rglob("*.py"))
    assert [p.name for p in files if "farmgen" in p.read_text("utf-8")] == []
    literals = "\n".join(_string_literals(p) for p in files)   # vocabularies are strings; comments may cite
    labels = [w for key in ("area_labels", "column_labels", "town_column_labels", "directory_labels", "chrome_words")
              for w in heldout.POOLS[key]]
    assert [w for w in labels if w in literals] == []
    # and they really differ from the training pools (a few layouts are shared: held-out farms fill them with
    # held-out words, e.g. the chrome_title template with held-out column names)
    shared = {"direct", "js_shell", "query_page", "chrome_title", "full", "area_list"}  # noqa: E501
    for key, values in heldout.POOLS.items():
        assert not set(values) & set(vocab.POOLS[key]) - shared, key


def test_docx_attachment_is_the_report_text():
    import random

    from crawler.parsing import parse_document
    parts = content.report_parts(random.Random(3), "青山县教育局", 2023, False)
    rec = parse_document(content.docx_bytes("青山县教育局2023年政府信息公开工作年度报告", parts), url="http://127.0.0.1/a.docx")
    assert rec["status"] == "complete" and rec["report_year"] == 2023 and rec["organ"] == "青山县教育局"


def test_the_score_counts_what_it_claims():
    """The scorer itself: a report found twice, two reports in one record, a decoy exported, a miss."""
    from tests.farmgen.score import score
    o = ["http://127.0.0.1:1"]
    answer = {"rows": [{"urls": ["{{ORIGIN}}/a.html", "{{ORIGIN}}/a.docx"], "title": "A"},
                       {"urls": ["{{ORIGIN}}/b.html"], "title": "B"}, {"urls": ["{{ORIGIN}}/c.html"], "title": "C"},
                       {"urls": ["{{ORIGIN}}/d.html"], "title": "D"}],
              "decoys": ["{{ORIGIN}}/x.html"]}
    recs = [{"url": o[0] + "/a.html", "document_url": o[0] + "/a.html", "also_at": [o[0] + "/a.docx"]},
            {"url": o[0] + "/b.html", "document_url": o[0] + "/b.html", "also_at": [o[0] + "/c.html"]},
            {"url": o[0] + "/b.html", "document_url": o[0] + "/b.html"},
            {"url": o[0] + "/x.html", "document_url": o[0] + "/x.html"}]
    sc = score(answer, o, recs)
    assert [r["title"] for r in sc["missed"]] == ["D"]
    assert [r["title"] for r in sc["duplicated"]] == ["B"]
    assert [m["rows"] for m in sc["false_merges"]] == [["B", "C"]]
    assert [(e["url"], e["decoy"]) for e in sc["extra"]] == [(o[0] + "/x.html", True)]
    assert sc["found"] == 3
