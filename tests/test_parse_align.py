"""Rows are matched to the official row sequence by order and wording together (crawler/parsing/align.py).

Real documents print labels with typos, dropped characters, labels wrapped over two lines and group
labels set one character per line. Every case below starts from the pipe-table fixture (whose numbers
are known, tests/test_parse_text_layouts.py) and damages only labels: the numbers must not move.
"""
from __future__ import annotations

from pathlib import Path

from crawler.parsing import parse_document

FIX = Path(__file__).parent / "fixtures" / "text" / "pipe_ragged_2023.txt"


def _parse(text: str) -> dict:
    return parse_document(text.encode("utf-8"), "file:///align.txt")


def _text() -> str:
    return FIX.read_text(encoding="utf-8")


def _fuzzy(rec) -> dict[str, str]:
    return {p["detail"].split(":")[0]: p["detail"] for p in rec["problems"] if p["code"] == "row_label_fuzzy"}


CLEAN = _parse(_text())


def _same_numbers(rec) -> None:
    for t in ("table2", "table3", "table4"):
        assert rec[t]["rows"] == CLEAN[t]["rows"], t


def test_clean_fixture_is_complete_and_has_no_fuzzy_rows():
    assert CLEAN["status"] == "complete" and not _fuzzy(CLEAN)


def test_garbled_label_between_two_rows_is_the_row_between_them():
    # '4.保护第三方合法权益' with a dropped and a wrong character: no keyword survives
    text = _text().replace("4.保护第三方合法权益 |", "4.保护弟三合法权益 |")
    rec = _parse(text)
    _same_numbers(rec)
    fuzzy = _fuzzy(rec)
    assert list(fuzzy) == ["table3.rows.denied_third_party_rights"]
    assert "保护弟三合法权益" in fuzzy["table3.rows.denied_third_party_rights"]
    assert rec["status"] == "complete"  # a warning: the numbers were read as printed
    assert all(p["severity"] == "warning" for p in rec["problems"] if p["code"] == "row_label_fuzzy")


def test_garbled_table2_label_is_matched_by_its_place():
    rec = _parse(_text().replace("行政许可 | 120", "行正许可 | 120"))
    _same_numbers(rec)
    assert list(_fuzzy(rec)) == ["table2.rows.licensing"]


def test_unrelated_text_in_the_gap_is_not_taken_for_the_missing_row():
    # the row's label is replaced by words that share nothing with it: it is not guessed
    rec = _parse(_text().replace("4.保护第三方合法权益 | 1", "4.其它情况说明 | 1"))
    rows = rec["table3"]["rows"]
    assert all(v is None for v in rows["denied_third_party_rights"].values())
    assert rec["status"] != "complete"
    assert not _fuzzy(rec)


def test_rows_are_never_reordered():
    # two garbled neighbours keep their order: the first printed is the first official row
    text = (_text().replace("6.属于四类过程性信息 | 0 | 0 | 0 | 0 | 0 | 0 | 0", "6.属于四类过呈信息 | 4 | 0 | 0 | 0 | 0 | 0 | 4")
                   .replace("7.属于行政执法案卷 |", "7.属于行政执发案巻 |"))
    rec = _parse(text)
    rows = rec["table3"]["rows"]
    assert list(rows["denied_process_info"].values()) == [4, 0, 0, 0, 0, 0, 4]
    assert list(rows["denied_enforcement_file"].values()) == [0] * 7
    assert set(_fuzzy(rec)) == {"table3.rows.denied_process_info", "table3.rows.denied_enforcement_file"}


def test_label_wrapped_over_two_rows_is_joined_back():
    # a converter wrapped the label cell: the first half carries no values, the second the numbers
    text = _text().replace("一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 1 | 0 | 0 | 13 |||",
                           "一、本年新收政府信 | | | | | | | |||\n息公开申请数量 | 10 | 2 | 0 | 1 | 0 | 0 | 13 |||")
    rec = _parse(text)
    _same_numbers(rec)
    assert rec["status"] == "complete"


def test_blank_row_is_not_joined_with_the_next_row():
    # '规章' printed blank and the next row garbled: the blank row keeps its blanks, the next row is
    # matched by its place, never merged into 规章
    text = _text().replace("规章 | 0 | 0 | 0 |", "规章 | | | |").replace("行政规范性文件 | 2", "行政规范姓文 | 2")
    rec = _parse(text)
    assert rec["table2"]["rows"]["rules"] == {"issued": None, "repealed": None, "in_force": None}
    assert rec["table2"]["rows"]["normative_docs"] == {"issued": 2, "repealed": 1, "in_force": 15}


def test_previous_rows_wrapped_tail_does_not_name_the_next_row():
    # values printed on a label's first line; its tail ('另行制作') lands before the next row's
    # garbled label: the next row is not taken for 另行制作's row
    text = _text().replace("2.没有现成信息需要另行制作 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |||",
                           "2.没有现成信息需要 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |||\n另行制作 |")
    text = text.replace("3.补正后申请内容仍不明确 | 0", "3.补正申后请内容仍不明 | 0")
    rec = _parse(text)
    rows = rec["table3"]["rows"]
    assert list(rows["unavailable_needs_creation"].values()) == [0] * 7
    assert list(rows["unavailable_unclear"].values()) == [0] * 7
    assert "table3.rows.unavailable_unclear" in _fuzzy(rec)


def test_vertical_group_label_characters_do_not_move_rows():
    # '（四）无法提供' printed one character per line beside its three rows (PDF text)
    text = _text()
    for old, ch in (("（四）无法提供 | 1.本机关不掌握相关政府信息", "无"),
                    ("2.没有现成信息需要另行制作", "法"), ("3.补正后申请内容仍不明确", "提")):
        new = old.replace("（四）无法提供 | ", "")
        text = text.replace(old, f"{ch}\n{new}", 1)
    rec = _parse(text)
    _same_numbers(rec)
