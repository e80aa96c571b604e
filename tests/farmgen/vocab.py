"""Training variants: the label and layout choices the crawler may have been tuned on.

Every list is a pool the generator draws from under a seed. The held-out pools (heldout.py) have
the same keys; nothing from heldout.py may appear in crawler/ (tests/test_spider_generalisation.py).
"""
from __future__ import annotations

NAME_CHARS = "青山河东西南北安平宁和兴隆丰泰华云龙凤石桥清水阳林新长永福乐康德盛宝金川峰岭湖溪源江海田庄集坪塘"
COUNTY_SUFFIXES = ("县", "区", "市", "县", "县")
TOWN_SUFFIXES = ("镇", "镇", "乡", "街道", "街道办事处", "镇人民政府", "乡人民政府")
DEPARTMENTS = ("教育局", "财政局", "民政局", "自然资源局", "卫生健康委员会", "市场监督管理局", "农业农村局", "交通运输局",
               "人力资源和社会保障局", "应急管理局", "司法局", "住房和城乡建设局", "发展和改革局", "水利局", "审计局")
PROVINCES = (("湖北省", "示例市"), ("浙江省", "温州市"), ("江苏省", "泰州市"), ("广东省", "汕尾市"), ("安徽省", "亳州市"),
             ("甘肃省", "天水市"), ("四川省", "攀枝花市"), ("河南省", "南阳市"))

POOLS = {
    # the 政府信息公开 area (nav label on the home page)
    "area_labels": ("政府信息公开", "政务公开", "信息公开", "政府信息公开专栏", "政务公开专栏", "法定主动公开内容"),
    # the county's annual-report column
    "column_labels": ("政府信息公开年报", "政府信息公开工作年度报告", "信息公开年报", "年度报告", "公开年报",
                      "政务信息公开年报", "政府信息公开年度报告"),
    # a town's own report column
    "town_column_labels": ("政府信息公开年报", "信息公开年报", "年度报告", "政府信息公开工作年度报告"),
    # the township / department directory
    "directory_labels": ("乡镇街道", "镇街信息公开", "乡镇信息公开", "各乡镇", "部门和乡镇", "镇街", "部门街镇",
                         "乡镇（街道）", "乡(镇)人民政府", "街镇"),
    # how the directory lists its units
    "directory_forms": ("ul", "table", "select", "script_units"),
    # how a unit home is reached from the directory
    "town_entries": ("direct", "direct", "js_shell", "meta_shell"),
    # detail page templates (metadata block, where the title is printed)
    "detail_templates": ("xxgk_table", "inline_meta", "byline", "chrome_title"),
    # column names printed in a detail page's <title>/breadcrumb next to the report title (some are decoy words)
    "chrome_words": ("政务公开", "政府信息公开", "法定主动公开内容", "财政预决算", "工作总结"),
    # report title forms: {o} organ, {y} year
    "title_forms": ("{o}{y}年政府信息公开工作年度报告", "{y}年{o}政府信息公开工作年度报告",
                    "{o}{y}年度政府信息公开工作年度报告", "{o}{y}年度政府信息公开工作报告",
                    "{o}{y}年信息公开工作年度报告"),
    # decoys placed in report lists: (kind for the page body, title form)
    "decoys": (("interpretation", "文字解读：{o}{y}年政府信息公开工作年度报告"),
               ("interpretation", "图解：{o}{y}年政府信息公开工作年度报告"),
               ("notice", "关于做好{y}年政府信息公开工作年度报告编制发布工作的通知"),
               ("stats", "关于集中报批{y}年统计年报和{y1}年定期统计报表制度的通知"),
               ("budget", "{o}{y}年部门决算公开"),
               ("summary", "{o}{y}年政务公开工作总结"),
               ("summary", "{o}{y1}年政务公开工作要点"),
               ("website", "{o}政府网站{y}年度工作报表"),
               ("notice", "{o}{y}年政府信息公开工作年度报告公布情况")),
    # how a plain site's list prints long titles
    "list_titles": ("full", "truncated_with_title"),
    # how the county's report column is reached
    "column_entries": ("area_list",),
    # what a township's report list prints as link text: the title, or only its year (2023年度报告)
    "town_list_texts": ("full",),
    # list pagers of the plain (VSB / ASP.NET / static) family
    "plain_pagers": ("query_page", "slash_n", "next_links", "vsb_reverse"),
}
