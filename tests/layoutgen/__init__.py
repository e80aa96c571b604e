"""Damaged-layout generator: real seeds → documents damaged the way real extractors damage them,
each with its truth (see tests/layoutgen/README.md for the families and the train/held-out split).

    from tests.layoutgen import cases
    for case in cases(variants.TRAIN, prefixes=("001",), draws=(None, 0, 1)):
        rec = parse_document(case.data, case.url, link_text=case.link_text); score(rec, case.truth)
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from .model import SEED_PREFIXES, Report, report_from_seed  # noqa: F401
from .score import score  # noqa: F401
from .variants import TRAIN, Variant  # noqa: F401


@dataclass
class Case:
    family: str
    variant: str
    report: str  # seed prefix / draw
    data: bytes
    url: str
    truth: dict
    link_text: str | None = None  # pass as parse_document(..., link_text=case.link_text)


def cases(variants, prefixes=SEED_PREFIXES, draws=(None, 0, 1), salt: str = ""):
    """Every (seed report, variant) combination; damage drawn under a seed derived from both names."""
    for prefix in prefixes:
        for draw in draws:
            yield from _damaged(report_from_seed(prefix, draw), variants, salt)


def html_cases(variants, salt: str = "", rotate: bool = False):
    """Every (HTML-fixture report, variant) combination (tests/layoutgen/htmlsrc.py); with `rotate`,
    one variant per family for each report, taking the family's variants in turn (fast tests)."""
    from .htmlsrc import html_reports
    families: dict[str, list] = {}
    for v in variants:
        families.setdefault(v.family, []).append(v)
    for k, rep in enumerate(html_reports()):
        chosen = [vs[k % len(vs)] for vs in families.values()] if rotate else variants
        yield from _damaged(rep, chosen, salt)


def _damaged(rep: Report, variants, salt: str):
    for v in variants:
        rng = random.Random(f"{salt}|{rep.name}|{v.name}")
        data, url, truth, link_text = v.build(rep, rng)
        yield Case(v.family, v.name, rep.name, data, url, truth, link_text)
