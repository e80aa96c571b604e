"""The report gate: title + body, not the URL (portals.md §d robust positive test)."""
import re
from pathlib import Path

import pytest

from crawler.discovery.reportpage import judge
from tests.farm import html as H

SEEDS = sorted((Path(__file__).resolve().parent / "fixtures" / "seeds").glob("*.txt"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_reports_in_portal_chrome_pass(seed):
    title = "某某镇2023年政府信息公开工作年度报告"
    page = H.report_page("某县人民政府", title, seed.read_text("utf-8"), meta_cols=False)
    v = judge(page, "")
    assert v.is_report, v


def test_interpretation_that_names_all_six_sections_fails():
    t = "XX镇2023年政府信息公开工作年度报告"
    page = H.decoy_page("某县", "关于" + t + "的解读", "interpretation")
    assert not judge(page, t).is_report


def test_list_page_with_report_links_is_not_a_report():
    page = H.chrome("某县", "政府信息公开年报", H.list_ul([(f"/a{i}.html", f"某镇{2020 + i}年政府信息公开工作年度报告", "") for i in range(3)]))
    assert not judge(page, "政府信息公开年报", n_report_links=3).is_report


def test_attachment_only_report_passes_with_title():
    page = H.report_page("某县", "某县2023年政府信息公开工作年度报告", "", body_override="<p>详见附件。</p>")
    assert judge(page, "某县2023年政府信息公开工作年度报告", n_attachments=1).is_report


def test_decoy_titles_fail_even_with_report_body():
    seed = SEEDS[0].read_text("utf-8") if SEEDS else H._FALLBACK_SEED
    page = H.report_page("某县", "关于做好2023年政府信息公开工作年度报告编制发布工作的通知", seed, meta_cols=False)
    assert not judge(page, "").is_report


@pytest.mark.parametrize("chrome_title", [
    "某镇2023年政府信息公开工作年度报告_政府信息公开目录_某县人民政府",
    "某镇2023年政府信息公开工作年度报告-财政预决算-某县人民政府",
    "某镇2023年政府信息公开工作年度报告 | 工作总结 | 某县人民政府",
])
def test_column_names_in_the_title_chrome_do_not_override_the_article(chrome_title):
    seed = SEEDS[0].read_text("utf-8")
    page = H.report_page("某县", "某镇2023年政府信息公开工作年度报告", seed, meta_cols=False)
    page = re.sub(r"<title>.*?</title>", f"<title>{chrome_title}</title>", page, count=1, flags=re.S)
    assert f"<title>{chrome_title}</title>" in page
    assert judge(page, "某镇2023年政府信息公开工作年度报告").is_report


def test_article_heading_that_is_a_decoy_still_fails_whatever_the_title_chrome():
    seed = SEEDS[0].read_text("utf-8")
    page = H.report_page("某县", "某镇2023年政府信息公开工作年度报告解读", seed, meta_cols=False)
    assert not judge(page, "某镇2023年政府信息公开工作年度报告").is_report
