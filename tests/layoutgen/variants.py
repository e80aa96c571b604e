"""TRAINING damage variants: the parser may be tuned against these (held-out ones live in heldout.py).

A variant turns (Report, rng) into the bytes a crawler would hand the parser, plus a file name
whose extension tells the parser the content type. Families: html, flat, pdftext, markdown,
typo (label typos on top of pdftext/markdown), merged (two
neighbouring value cells printed as one), meta (title over two lines, breadcrumb + site name, title only in the link text,
索引号 block as a table row, spaces around the year).
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from . import damage, render
from .model import Report


@dataclass(frozen=True)
class Variant:
    family: str
    name: str
    build: Callable[[Report, random.Random], tuple[bytes, str, dict, str | None]]  # -> (data, url, truth, link text)


def _text(rep, rng, table_fmt, split_title=False):
    return (render.render_text(rep, table_fmt, split_title).encode("utf-8"), f"file:///{rep.name.replace('/', '_')}.txt",
            rep.truth, rep.link_text)


def _html(rep, rng, split_title=False):
    return (render.html(rep, split_title).encode("utf-8"), f"http://127.0.0.1/{rep.name.replace('/', '_')}.html",
            rep.truth, rep.link_text)


TRAIN: tuple[Variant, ...] = (
    Variant("html", "html", lambda r, g: _html(r, g)),
    Variant("flat", "flat_rows", lambda r, g: _text(r, g, render.flat(g))),
    Variant("flat", "flat_glued", lambda r, g: _text(r, g, render.flat(g, glue=0.5))),
    Variant("pdftext", "pdf_wrap14_vertical1", lambda r, g: _text(r, g, render.pdftext(g, wrap=14, vertical=1))),
    Variant("pdftext", "pdf_wrap12_first", lambda r, g: _text(r, g, render.pdftext(g, wrap=12, values_at="first",
                                                                                   repeat_header=False))),
    Variant("markdown", "md_next_line", lambda r, g: _text(r, g, render.markdown(g, value_next_line=0.6))),
    Variant("markdown", "md_group_in_label", lambda r, g: _text(r, g, render.markdown(g, group_in_label=True,
                                                                                      value_next_line=0.0))),
    Variant("typo", "typo_pdf", lambda r, g: _text(damage.label_typos(r, g, 0.3, ("drop", "space")), g,
                                                   render.pdftext(g, wrap=14))),
    Variant("typo", "typo_md", lambda r, g: _text(damage.label_typos(r, g, 0.3, ("lookalike", "swap")), g,
                                                  render.markdown(g, value_next_line=0.0, repeat_header=False))),
    Variant("merged", "merged_pdf", lambda r, g: _text(damage.merged_cells(r, g, 0.15), g, render.pdftext(g))),
    Variant("merged", "merged_t2_md", lambda r, g: _text(damage.merged_cells(r, g, 0.5, ("table2",)), g,
                                                         render.markdown(g, value_next_line=0.0))),
    Variant("meta", "meta_split_title_html", lambda r, g: _html(damage.chrome(r, g), g, split_title=True)),
    Variant("meta", "meta_link_only_row", lambda r, g: _text(damage.metadata(r, g, ("link_only", "meta_row")), g,
                                                             render.flat(g))),
    Variant("meta", "meta_spaced_title_html", lambda r, g: _html(damage.metadata(r, g, ("title_spaces",)), g)),
    # dt/dd metadata found by the portal generator's held-out template (tests/farmgen, dl_meta): tuned on
    Variant("meta", "meta_dt_dd_pairs_html", lambda r, g: _html(damage.metadata(r, g, ("meta_pairs",)), g)),
    Variant("meta", "meta_dt_dd_pairs_no_title", lambda r, g: _text(damage.metadata(r, g, ("meta_pairs", "link_only")),
                                                                    g, render.pdftext(g))),
    Variant("meta", "meta_title_wrapped_in_organ", lambda r, g: _text(r, g, render.flat(g), split_title="organ")),
    Variant("meta", "meta_split_title_text", lambda r, g: _text(damage.chrome(r, g), g,
                                                                render.pdftext(g), split_title=True)),
)
