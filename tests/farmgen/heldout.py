"""Held-out variants: labels and layouts the crawler must handle without ever having seen them.

NEVER import this module from crawler/ code and never copy its words into crawler vocabularies:
tests/test_spider_generalisation.py fails when a held-out label appears in crawler/. The pools
have the keys of vocab.POOLS; a held-out farm draws every pool listed here from these lists.
"""
from __future__ import annotations

POOLS = {
    "area_labels": ("政府信息公开目录", "阳光政务", "政府信息公开平台", "信息公开专区"),
    "column_labels": ("信息公开工作报告", "年度公开报告", "政府信息公开工作年报"),
    "town_column_labels": ("信息公开工作报告", "工作年报"),
    "directory_labels": ("基层政务公开", "机构导航", "区属单位", "镇（街道）政府信息公开", "单位导航", "下属单位"),
    "directory_forms": ("tree", "dl_grid", "onclick_custom"),
    "town_entries": ("direct", "js_shell"),
    "detail_templates": ("dl_meta", "breadcrumb_title", "meta_after_body", "table_meta_labels", "chrome_title"),
    "chrome_words": ("政府信息公开目录", "统计信息", "重点领域信息公开"),
    "title_forms": ("{o}关于{y}年度政府信息公开工作情况的报告", "{y}年度{o}信息公开工作年度报告",
                    "{o}{cy}年度政府信息公开工作年度报告"),
    "decoys": (("interpretation", "一图读懂{o}{y}年政府信息公开工作年度报告"),
               ("notice", "{o}召开{y}年度政府信息公开工作年度报告编制部署会"),
               ("summary", "{o}{y}年度法治政府建设工作情况报告"),
               ("budget", "{o}{y}年度部门整体支出绩效自评报告")),
    "column_entries": ("area_list", "home_more_block"),
    "plain_pagers": ("postback", "query_page"),
    "list_titles": ("truncated_no_title", "full"),
    "town_list_texts": ("full", "year_only"),
}
