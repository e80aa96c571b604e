"""HELD-OUT damage variants. Do not tune the parser against this module: it measures how the
parser generalises to damage it was not shaped on (benchmarks/layout_bench.py reports both).

Same families as variants.TRAIN, other parameters and combinations.
"""
from __future__ import annotations

from . import damage, render
from .variants import Variant, _html, _text

def _one_line(built):
    """The whole document on one line (crawlers that keep only the article's text content)."""
    data, url, truth, link = built
    return " ".join(data.decode("utf-8").split("\n")).encode("utf-8"), url, truth, link


HELDOUT: tuple[Variant, ...] = (
    Variant("html", "html_chrome", lambda r, g: _html(damage.chrome(r, g), g)),
    Variant("flat", "flat_glued_all", lambda r, g: _text(r, g, render.flat(g, glue=1.0))),
    Variant("flat", "flat_one_line", lambda r, g: _text(r, g, render.flat(g, one_line=True))),
    Variant("pdftext", "pdf_wrap9_last_vertical2", lambda r, g: _text(r, g, render.pdftext(g, wrap=9, values_at="last",
                                                                                           vertical=2))),
    Variant("pdftext", "pdf_wrap18_vertical3", lambda r, g: _text(r, g, render.pdftext(g, wrap=18, vertical=3,
                                                                                      page_no=7))),
    Variant("flat", "flat_whole_document_one_line", lambda r, g: _one_line(_text(r, g, render.flat(g)))),
    Variant("pdftext", "pdf_narrow_headers_no_repeat", lambda r, g: _text(r, g, render.pdftext(
        g, wrap=12, values_at="last", head_wrap=2, repeat_header=False))),
    Variant("markdown", "md_row_split_by_page_break", lambda r, g: _text(r, g, render.markdown(
        g, value_next_line=0.0, split_row_at_break=True))),
    Variant("typo", "typo_merged_flat_glued", lambda r, g: _text(damage.merged_cells(damage.label_typos(r, g, 0.3), g, 0.1),
                                                                 g, render.flat(g, glue=0.5))),
    Variant("typo", "fullwidth_digits_pdf", lambda r, g: _text(damage.fullwidth_digits(r, g, 0.5), g, render.pdftext(g))),
    Variant("typo", "fullwidth_digits_flat", lambda r, g: _text(damage.fullwidth_digits(r, g, 1.0), g, render.flat(g))),
    Variant("blank", "blank_cells_pdf", lambda r, g: _text(damage.blank_cells(r, g, 0.1), g, render.pdftext(g))),
    Variant("blank", "blank_cells_md", lambda r, g: _text(damage.blank_cells(r, g, 0.1), g, render.markdown(g))),
    Variant("blank", "blank_cells_flat", lambda r, g: _text(damage.blank_cells(r, g, 0.05), g, render.flat(g))),
    Variant("blank", "blank_cells_html", lambda r, g: _html(damage.blank_cells(r, g, 0.1), g)),
    Variant("markdown", "md_ragged_next_line", lambda r, g: _text(r, g, render.markdown(g, value_next_line=1.0,
                                                                                        ragged=True, wrap=10))),
    Variant("markdown", "md_group_in_label_next", lambda r, g: _text(r, g, render.markdown(g, group_in_label=True,
                                                                                           value_next_line=0.5))),
    Variant("typo", "typo_flat_all_ops", lambda r, g: _text(damage.label_typos(r, g, 0.4), g, render.flat(g, glue=0.3))),
    Variant("typo", "typo_pdf_vertical2", lambda r, g: _text(damage.label_typos(r, g, 0.4), g,
                                                             render.pdftext(g, wrap=10, vertical=2))),
    Variant("merged", "merged_flat_md_ragged", lambda r, g: _text(damage.merged_cells(r, g, 0.25), g,
                                                                  render.markdown(g, ragged=True, value_next_line=0.3))),
    Variant("merged", "merged_t4_pdf", lambda r, g: _text(damage.merged_cells(r, g, 1.0, ("table4", "table2")), g,
                                                          render.pdftext(g, wrap=11))),
    Variant("meta", "meta_split_title_md", lambda r, g: _text(damage.chrome(r, g), g,
                                                              render.markdown(g), split_title=True)),
    Variant("meta", "meta_link_only_spaced_nosig_html", lambda r, g: _html(damage.metadata(
        damage.chrome(r, g), g, ("link_only", "spaced_labels", "no_signature")), g)),
    Variant("meta", "meta_split_spaced_title_row_pdf", lambda r, g: _text(damage.metadata(
        r, g, ("title_spaces", "meta_row", "no_signature")), g, render.pdftext(g), split_title=True)),
    Variant("meta", "meta_site_title_only_html", lambda r, g: _html(damage.metadata(r, g, ("site_title_only",)), g)),
    Variant("meta", "meta_title_no_organ_md", lambda r, g: _text(damage.metadata(r, g, ("title_no_organ", "meta_row")), g,
                                                                 render.markdown(g))),
    Variant("meta", "meta_chrome_flat", lambda r, g: _text(damage.chrome(r, g), g, render.flat(g, glue=0.2))),
)
