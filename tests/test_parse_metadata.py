"""Report metadata on real seeds with the damage real pages carry: a title printed over two lines,
breadcrumbs and column names above it, no title at all (the link text the crawler followed is
then the title), and absent fields that must be null WITH a problem saying so."""
import json
from pathlib import Path

import pytest

from crawler.parsing import parse_document
from crawler.parsing.metadata import finalize_organ, title_from
from crawler.parsing.document import Line

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
T004 = next(SEEDS.glob("004_*.txt")).read_text("utf-8")
TITLE_004 = "攀枝花市米易县得石镇 2023 年政府信息公开工作年度报告"  # as printed in the seed
T001 = next(SEEDS.glob("001_*.txt")).read_text("utf-8")


def parse(text: str, **kw) -> dict:
    return parse_document(text.encode("utf-8"), "file:///report.txt", **kw)


def codes(rec: dict) -> set[str]:
    return {p["code"] for p in rec["problems"]}


def test_seed_004_prints_its_title_once():
    assert T004.count(TITLE_004) == 1


@pytest.mark.parametrize("head", [
    "攀枝花市米易县得石镇\n2023 年政府信息公开工作年度报告",  # organ line, then year + report phrase
    "攀枝花市米易县得石镇2023年\n政府信息公开工作年度报告",  # cut after the year
    "首页 > 政府信息公开 > 政府信息公开年报\n攀枝花市米易县得石镇\n2023年政府信息公开工作年度报告",
    "米易县人民政府门户网站\n当前位置：首页 > 政务公开 > 政府信息公开工作年度报告\n攀枝花市米易县得石镇\n2023年政府信息公开工作年度报告",
])
def test_a_title_printed_over_two_lines_is_one_title(head):
    rec = parse(T004.replace(TITLE_004, head))
    assert rec["title"] == "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
    assert rec["organ"] == "攀枝花市米易县得石镇人民政府" and rec["organ_source"] == "title"
    assert rec["report_year"] == 2023 and rec["status"] == "complete"


@pytest.mark.parametrize("column", ["政府信息公开年报", "政府信息公开工作年度报告", "首页 > 信息公开 > 政府信息公开年报",
                                    "您当前的位置：首页>>信息公开>>政府信息公开年报>>年度报告目录",
                                    "当前位置：政府信息公开年报", "法定主动公开内容政府信息公开年报",
                                    "政府信息公开指南 政府信息公开年报"])
def test_a_column_name_or_breadcrumb_is_never_the_title(column):
    rec = parse(T004.replace(TITLE_004, column))
    assert rec["title"] is None and "title_missing" in codes(rec)
    # the organ then comes from the signature block, never from the column's '政府'
    assert rec["organ"] == "米易县得石镇人民政府" and rec["organ_source"] == "signature"
    assert rec["status"] == "complete"


def test_a_cited_notice_in_the_preface_is_not_the_title():
    # 004's preface cites 《…关于做好2023年度政府信息公开工作年度报告编制发布工作的通知》
    rec = parse(T004.replace(TITLE_004, ""))
    assert rec["title"] is None and rec["status"] == "complete"
    assert "通知" not in (rec["organ"] or "") and "关于" not in (rec["organ"] or "")


@pytest.mark.parametrize("name", ["政府", "人民政府", "本机关", "根据条例要求我镇", "现将我镇", "XX镇、XX乡",
                                  "编制发布工作的通知》(攀办便函〔2024〕2号)《米易县人民政府办公室关于做好"])
def test_an_organ_is_never_a_generic_word_or_a_sentence_fragment(name):
    assert finalize_organ(name) is None


@pytest.mark.parametrize("name, organ", [("米易县得石镇", "米易县得石镇人民政府"), ("山海关区人民政府办公室", "山海关区人民政府办公室"),
                                         ("平凉市崆峒区崆峒镇人民", "平凉市崆峒区崆峒镇人民政府")])
def test_organ_names_are_completed_not_rejected(name, organ):
    assert finalize_organ(name) == organ


def test_the_link_text_followed_is_the_title_when_the_page_prints_none():
    page = T004.replace(TITLE_004, "")
    rec = parse(page, link_text="攀枝花市米易县得石镇2023年政府信息公开工作年度报告")
    assert rec["title"] == "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
    assert rec["organ"] == "攀枝花市米易县得石镇人民政府" and "title_missing" not in codes(rec)
    # a navigation link text is no title; the printed title always wins over the link text
    assert parse(page, link_text="更多>>")["title"] is None
    assert parse(T004, link_text="米易县丙镇2023年政府信息公开工作年度报告")["title"] == \
        "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"


def test_absent_fields_are_null_with_a_problem_each():
    rec = parse(T004)  # prints no 索引号, no 发布机构, no publication date; signed and dated
    assert (rec["index_no"], rec["publisher"], rec["published_date"]) == (None, None, None)
    assert rec["written_date"] == "2024-01-16"
    assert {"index_no_missing", "publisher_missing", "published_date_missing"} <= codes(rec)
    assert "written_date_missing" not in codes(rec)
    missing = {p["code"]: p for p in rec["problems"] if p["code"].endswith("_missing")}
    assert all(p["severity"] == "warning" and p["detail"] for p in missing.values())
    # tables read, so the three table sections hold no prose: null, and each says why
    for key in ("proactive", "requests", "review_litigation"):
        if rec["sections"][key] is None:
            assert f"section_{key}_table_only" in codes(rec)
    assert rec["status"] == "complete"  # warnings never change the status


def test_present_fields_carry_no_missing_problem():
    rec = parse(T001)
    truth = json.loads(next(SEEDS.glob("001_*.truth.json")).read_text("utf-8"))
    assert (rec["index_no"], rec["publisher"], rec["written_date"]) == (truth["index_no"], truth["publisher"],
                                                                       truth["written_date"])
    assert not {"index_no_missing", "publisher_missing", "written_date_missing", "title_missing",
                "organ_missing"} & codes(rec)


def test_title_from_prefers_the_article_over_the_link_text_and_chrome():
    body = [Line(["攀枝花市米易县得石镇"]), Line(["2023年政府信息公开工作年度报告"]), Line(["一、总体情况"])]
    chrome = [Line(["首页 > 政府信息公开 > 政府信息公开年报"], in_body=False)]
    title, m = title_from(body, chrome, [], [], "米易县丙镇2023年政府信息公开工作年度报告")
    assert title == "攀枝花市米易县得石镇2023年政府信息公开工作年度报告" and m.group("year") == "2023"
    title, _m = title_from([Line(["一、总体情况"])], chrome, [], [], "米易县丙镇2023年政府信息公开工作年度报告")
    assert title == "米易县丙镇2023年政府信息公开工作年度报告"


def test_a_metadata_row_above_a_title_without_organ_is_not_the_organ():
    # '| 索引号 | … | 发布机构 | 政府办公室 |' then '2023年政府信息公开工作年度报告': the row ends in 办公室 but is no organ line
    head = "| 索引号 | shg58/2024-1525 | 发布机构 | 政府办公室 |\n2023年政府信息公开工作年度报告"
    rec = parse(T004.replace(TITLE_004, head))
    assert rec["title"] == "2023年政府信息公开工作年度报告"
    assert rec["index_no"] == "shg58/2024-1525" and rec["publisher"] == "政府办公室"
    assert rec["organ"] == "米易县得石镇人民政府" and rec["organ_source"] == "signature"


def test_an_organ_printed_in_traditional_characters_is_given_in_one_spelling():
    assert finalize_organ("清溪縣竹林鎮") == "清溪县竹林镇人民政府"


@pytest.mark.parametrize("head, title", [
    ("攀枝花市米易县\n得石镇2023年政府信息公开工作年度报告", "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"),
    # a site header naming the county government above a township's title is not part of it
    ("米易县人民政府\n得石镇2023年政府信息公开工作年度报告", "得石镇2023年政府信息公开工作年度报告"),
])
def test_a_title_wrapped_inside_the_organ_name(head, title):
    rec = parse(T004.replace(TITLE_004, head))
    assert rec["title"] == title and rec["organ"].endswith("得石镇人民政府")


def test_a_document_flattened_onto_one_line_keeps_its_metadata():
    lines = [ln.strip() for ln in T001.split("\n") if ln.strip()]
    rec = parse(" ".join(lines))
    truth = json.loads(next(SEEDS.glob("001_*.truth.json")).read_text("utf-8"))
    for key in ("title", "organ", "index_no", "publisher", "written_date", "report_year"):
        assert rec[key] == truth[key], key


DL_META = ('<dl class="meta"><dt>索引号</dt><dd>11510421MB1534267X/2024-00011</dd><dt>发布单位</dt><dd>得石镇</dd>'
           '<dt>发布日期</dt><dd>2024-01-20</dd><dt>信息类别</dt><dd>信息公开工作报告</dd></dl>')


@pytest.mark.parametrize("title_html", ['<div class="doc-title">攀枝花市米易县得石镇2023年政府信息公开工作年度报告</div>', ""])
def test_dt_dd_metadata_is_read_and_never_the_title(title_html):
    """A portal template prints its metadata as <dl><dt>label</dt><dd>value</dd>…</dl>: each pair is a
    field ('信息类别' + '信息公开工作报告' is no title, '信息类别' no organ)."""
    body = "".join(f"<p>{ln}</p>" for ln in T004.replace(TITLE_004, "").split("\n") if ln.strip() and "\t" not in ln)
    page = f'<html><body><div class="article">{DL_META}{title_html}{body}</div></body></html>'
    rec = parse_document(page.encode("utf-8"), "http://127.0.0.1/a.html")
    assert rec["index_no"] == "11510421MB1534267X/2024-00011"
    assert rec["publisher"] == "得石镇" and rec["published_date"] == "2024-01-20"
    if title_html:
        assert rec["title"] == "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
        assert rec["organ"] == "攀枝花市米易县得石镇人民政府"
    else:
        assert rec["title"] is None and "title_missing" in codes(rec)
        assert rec["organ"] == "米易县得石镇人民政府" and rec["organ_source"] == "signature"


def test_a_page_title_made_of_column_names_does_not_veto_the_article():
    """<title>政府信息公开年报_政府信息公开目录_XX县人民政府</title> (column path; 公开目录 alone would read as a
    guide) above an article with its own report heading, sections and tables: a report."""
    body = "".join(f"<p>{ln}</p>" for ln in T004.split("\n") if ln.strip() and "\t" not in ln)
    page = ("<html><head><title>政府信息公开年报_政府信息公开目录_米易县人民政府</title></head>"
            f'<body><div class="article">{body}</div></body></html>')
    rec = parse_document(page.encode("utf-8"), "http://127.0.0.1/a.html")
    assert rec["status"] != "not_a_report" and rec["title"] == "攀枝花市米易县得石镇2023年政府信息公开工作年度报告"
    # the document's own name in the first segment still decides: a 解读 page stays a decoy
    decoy = page.replace("政府信息公开年报_政府信息公开目录", "《得石镇2023年政府信息公开工作年度报告》解读")
    assert parse_document(decoy.encode("utf-8"), "http://127.0.0.1/b.html")["status"] == "not_a_report"


@pytest.mark.parametrize("title, organ", [
    ("米易县残疾人联合会2023年政府信息公开工作年度报告", "米易县残疾人联合会"),
    ("米易县档案馆2023年政府信息公开工作年度报告", "米易县档案馆"),
    ("米易县供销合作社2023年政府信息公开工作年度报告", "米易县供销合作社"),
])
def test_organs_of_every_kind_are_kept_from_the_title(title, organ):
    rec = parse(T004.replace(TITLE_004, title))
    assert rec["title"] == title and rec["organ"] == organ and rec["organ_level"] == "department"


def test_an_organ_after_a_label_separator_is_the_name_alone():
    assert finalize_organ("文字解读:青山县") == "青山县人民政府"
    assert finalize_organ("一图读懂|清溪县人民政府") == "清溪县人民政府"


@pytest.mark.parametrize("head, title, organ", [
    ("攀枝花市米易县得石镇人民政府\n关于2023年度政府信息公开工作情况的报告",
     "攀枝花市米易县得石镇人民政府关于2023年度政府信息公开工作情况的报告", "攀枝花市米易县得石镇人民政府"),
    ("攀枝花市米易县得石镇2023年度\n政府信息公开\n工作年度报告", "攀枝花市米易县得石镇2023年度政府信息公开工作年度报告",
     "攀枝花市米易县得石镇人民政府"),
    ("【2023年度】攀枝花市米易县得石镇政府信息公开工作年度报告", "【2023年度】攀枝花市米易县得石镇政府信息公开工作年度报告",
     "攀枝花市米易县得石镇人民政府"),
])
def test_more_title_layouts(head, title, organ):
    rec = parse(T004.replace(TITLE_004, head))
    assert (rec["title"], rec["organ"], rec["report_year"]) == (title, organ, 2023)
