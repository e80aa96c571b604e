"""Build the fixture farm: `build(root, scale=1) -> answer` (also written to root/_answer.json).

    python -m tests.farm.build DIR            # the test farm
    python -m tests.farm.build DIR --scale 10 # bigger (benchmarks use crawl_bench.py)

The answer key lists, with server placeholders ({{ORIGIN}}, {{ORIGIN1}}): every report document
URL the spider must yield (pages and attachments, after redirects), the report candidates that
must come back as fetch problems (soft_404, blocked, http_error, robots_disallowed), and decoy
URLs that must never be requested.
"""
from __future__ import annotations

import argparse

from . import hanweb_family, other_families, trs_family, unfamiliar, vsb_family
from .builder import FarmBuilder


def build(root, scale: int = 1, unfamiliar_portals: bool = False) -> dict:
    """`unfamiliar_portals`: also the two portals of tests/farm/unfamiliar.py (labels no rule knows,
    a search-only portal); the bundled samples/portals are the farm without them."""
    fb = FarmBuilder(root)
    trs_family.build(fb)
    hanweb_family.build_jcms(fb)
    hanweb_family.build_jpaas(fb)
    other_families.build_gkmlpt(fb)
    other_families.build_lonsun(fb)
    other_families.build_aspx(fb)
    vsb_family.build(fb)
    if unfamiliar_portals:
        unfamiliar.build(fb)
        unfamiliar.build_search_only(fb)
    return fb.finish()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    args = ap.parse_args(argv)
    a = build(args.root)
    print(f"{len(a['portals'])} portals, {a['pages']} files, {len(a['reports'])} report documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
