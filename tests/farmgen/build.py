"""Generate a portal farm under a seed: `generate(root, seed, heldout=False) -> answer`.

    python -m tests.farmgen.build DIR --seed 7 [--heldout] [--portals 6]

Every farm has one portal of each of the six families (order and all choices drawn from the seed);
`_answer.json` holds the rows (one per distinct report, with every URL it may be found at), the
decoys (must never be exported), problem links and each portal's drawn plan.
"""
from __future__ import annotations

import argparse
import random

from . import heldout as heldout_pools
from . import vocab
from .builder import GenBuilder
from .families import FAMILIES
from .portal import PortalBuilder


def pools_for(heldout: bool, pin: dict | None = None, drop: dict | None = None) -> dict:
    """The variant pools of a farm: training or held-out; `pin` replaces pools (to build a farm of
    one exact variant), `drop` removes variants from them."""
    pools = {**vocab.POOLS, **(heldout_pools.POOLS if heldout else {}), **(pin or {})}
    for key, values in (drop or {}).items():
        pools[key] = tuple(v for v in pools[key] if v not in values)
        if not pools[key]:
            raise ValueError(f"dropping {values} leaves no {key}")
    return pools


def generate(root, seed: int, heldout: bool = False, portals: int = 6, *, families=None, small: bool = False,
             pin: dict | None = None, drop: dict | None = None, pdf: bool = False) -> dict:
    """pdf: some attachments become PDFs converted by LibreOffice (slow: benchmark farms only)."""
    fb = GenBuilder(root)
    fb.pdf = pdf
    rng = random.Random(f"farmgen:{seed}:{heldout}")
    fams = list(families or FAMILIES)
    rng.shuffle(fams)
    pools = pools_for(heldout, pin, drop)
    used: set = set()
    for i in range(portals):
        fam = fams[i % len(fams)]
        prng = random.Random(f"farmgen:{seed}:{heldout}:{i}")
        PortalBuilder(fb, prng, pools, fam, f"p{i}{fam}", used, template_seed=seed, small=small).build()
    return fb.finish_gen({"seed": seed, "heldout": heldout, "pin": pin or {}, "drop": drop or {}})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--heldout", action="store_true")
    ap.add_argument("--portals", type=int, default=6)
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--pdf", action="store_true", help="some attachments as PDF (needs LibreOffice)")
    a = ap.parse_args(argv)
    ans = generate(a.root, a.seed, a.heldout, a.portals, small=a.small, pdf=a.pdf)
    print(f"{len(ans['portals'])} portals, {ans['pages']} files, {len(ans['rows'])} report rows, "
          f"{len(ans['reports'])} report documents, {len(ans['decoys'])} decoys")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
