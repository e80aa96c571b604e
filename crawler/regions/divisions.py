"""The official division list (vendored, see data/README.md), indexed for name look-ups.

A unit is (code, name). Codes are hierarchical: province 2 digits, prefecture 4, county 6,
township 9 (the 12-digit statistical code is the 9 digits + "000"). Names are looked up by their
*stem* too (the name without its administrative suffix: 兴化县 and 兴化市 share the stem 兴化),
because portals and reports keep old forms after a 县→市 or 乡→镇 change.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

DATA_DIR = files("crawler.regions") / "data"  # a Traversable: also inside a zipped egg (scrapyd)

# Longest first: 自治县 before 县, 街道办事处 before 街道. Suffixes of county- and township-level names.
_COUNTY_SUFFIXES = ("自治县", "自治旗", "林区", "特区", "新区", "县", "市", "区", "旗")
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
_PREFECTURE_SUFFIXES = ("自治州", "地区", "市", "盟")
_TOWN_SUFFIXES = ("街道办事处", "办事处", "民族乡", "街道", "镇", "乡", "苏木")
# The 55 minority names (official closed list): "大雪山彝族拉祜族傣族乡" has the stem 大雪山.
_ETHNIC = re.compile("(?:(?:" + "|".join(sorted((
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺").split(), key=len, reverse=True)) + ")族)+$")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str

    @property
    def level(self) -> str:
        return level_of(self.code, self.name)

    @property
    def code12(self) -> str:
        return self.code + "000" if len(self.code) == 9 else self.code


def level_of(code: str, name: str) -> str:
    """province | prefecture | county | 街道 | 镇 | 乡 | other_township (类似乡级: farms, zones)."""
    if len(code) <= 2:
        return "province"
    if len(code) == 4:
        return "prefecture"
    if len(code) == 6:
        return "county"
    base = name[:-3] if name.endswith("办事处") else name
    if base.endswith("街道"):
        return "街道"
    if base.endswith("镇"):
        return "镇"
    if base.endswith(("乡", "苏木")):
        return "乡"
    return "other_township"


def stem(name: str, suffixes=_COUNTY_SUFFIXES + _TOWN_SUFFIXES) -> str:
    """The name without its administrative suffix and ethnic qualifier: 大雪山彝族拉祜族傣族乡 → 大雪山,
    兴化县 → 兴化. A stem shorter than two characters keeps the whole name (城区, 矿区)."""
    for suffix in suffixes:
        if name.endswith(suffix):
            base = _ETHNIC.sub("", name[: -len(suffix)])
            return base if len(base) >= 2 else name
    return name


@dataclass(frozen=True)
class Change:
    date: str
    old: tuple[str, ...]   # (province, city[, county]) as they were
    new: tuple[str, ...]


class Divisions:
    def __init__(self, rows: list[tuple[str, str]], changes: list[Change] = ()):
        self.by_code: dict[str, Unit] = {}
        self.children: dict[str, list[Unit]] = {}
        self.counties_by_name: dict[str, list[Unit]] = {}
        self.counties_by_stem: dict[str, list[Unit]] = {}
        self.towns_by_name: dict[str, list[Unit]] = {}
        self.memo: dict = {}   # results of pure look-ups on this list (crawler/regions/resolve.py)
        self._heads: tuple[frozenset, frozenset] | None = None
        self.changes = list(changes)
        self.changes_by_old: dict[str, list[Change]] = {}
        for ch in sorted(self.changes, key=lambda c: c.date, reverse=True):
            if len(ch.old) == 3:
                self.changes_by_old.setdefault(ch.old[2], []).append(ch)
        for code, name in rows:
            unit = Unit(code, name)
            self.by_code[code] = unit
            self.children.setdefault(code[: {2: 0, 4: 2, 6: 4, 9: 6}[len(code)]], []).append(unit)
            if len(code) == 6:
                self.counties_by_name.setdefault(name, []).append(unit)
                self.counties_by_stem.setdefault(stem(name), []).append(unit)
            elif len(code) == 9:
                self.towns_by_name.setdefault(name, []).append(unit)

    # ------------------------------------------------------------------ look-ups
    def name_heads(self) -> tuple[frozenset, frozenset]:
        """(first 2 characters of every township name, first 3 of every county name and former
        county name): a text position whose next characters are not among them starts no name, so
        the scans of resolve.py skip it without trying every length."""
        if self._heads is None:
            towns = frozenset(name[:2] for name in self.towns_by_name if len(name) >= 2)
            counties = frozenset(name[:3] for name in (*self.counties_by_name, *self.changes_by_old) if len(name) >= 3)
            self._heads = (towns, counties)
        return self._heads

    def unit(self, code: str | None) -> Unit | None:
        return self.by_code.get(code or "")

    def towns(self, county_code: str) -> list[Unit]:
        return list(self.children.get(county_code, ()))

    def path(self, code: str) -> list[Unit]:
        """Province → … → the unit itself."""
        out = [self.by_code[code[:n]] for n in (2, 4, 6, 9) if n <= len(code) and code[:n] in self.by_code]
        return out

    def within(self, units, prefix: str | None) -> list[Unit]:
        return [u for u in units if not prefix or u.code.startswith(prefix)]

    def counties_named(self, name: str, prefix: str | None = None) -> tuple[list[Unit], bool]:
        """Counties whose name is `name` (exact=True), else whose stem is its stem (exact=False)."""
        exact = self.within(self.counties_by_name.get(name, ()), prefix)
        if exact:
            return exact, True
        return self.within(self.counties_by_stem.get(stem(name), ()), prefix), False

    def renamed(self, old_name: str, prefix: str | None = None) -> list[tuple[Change, list[Unit]]]:
        """Counties that a renamed/merged county `old_name` became (changes.tsv), newest change first."""
        out = []
        for ch in self.changes_by_old.get(old_name, ()):
            if len(ch.new) == 3:
                prov = [u for u in self.counties_by_name.get(ch.new[2], ())
                        if self.path(u.code)[0].name == ch.new[0]]
                prov = self.within(prov, prefix)
                if prov:
                    out.append((ch, prov))
        return out

    def provinces_named(self, name: str) -> list[Unit]:
        key = stem(name, _PROVINCE_SUFFIXES)
        return [u for u in self.children.get("", ()) if u.name == name or stem(u.name, _PROVINCE_SUFFIXES) == key]

    def prefectures_named(self, name: str, prefix: str | None = None) -> list[Unit]:
        key = stem(name, _PREFECTURE_SUFFIXES)
        return [u for p in self.children.get("", ()) if not prefix or prefix.startswith(p.code) or p.code.startswith(prefix)
                for u in self.children.get(p.code, ()) if (not prefix or u.code.startswith(prefix))
                and (u.name == name or stem(u.name, _PREFECTURE_SUFFIXES) == key)]


def _read_changes(path: Path) -> list[Change]:
    out = []
    if not path.exists():
        return out
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            out.append(Change(parts[0], tuple(parts[1].split("/")), tuple(parts[2].split("/"))))
    return out


@lru_cache(maxsize=1)
def load(data_dir: str | None = None) -> Divisions:
    """The vendored list (loaded once per process, ~0.2 s)."""
    d = Path(data_dir) if data_dir else DATA_DIR
    with gzip.open((d / "divisions.tsv.gz").open("rb"), "rt", encoding="utf-8") as f:
        rows = [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]
    return Divisions(rows, _read_changes(d / "changes.tsv"))
