"""The intermediate form every input format is converted to before the report is read.

HTML pages, plain text, PDF, DOCX, DOC/WPS and OFD converters all produce a `Document`: a
sequence of `Line`s. A line is either a paragraph (one cell) or a table row (several cells,
`is_row=True`, where cell boundaries and blank cells are meaningful). The section finder, the
table reader and the metadata reader only ever see this form, so there is one table reader for
every format.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Line:
    cells: list[str]
    is_row: bool = False  # True: cells come from a real table row (HTML/DOCX/PDF grid) or a pipe/tab row
    in_body: bool = True  # False: page chrome outside the article (kept for metadata only)
    exact: bool = False  # True: a real grid row (HTML/DOCX/PDF cells), so trailing blank cells are real
    #                      blanks, not the ragged padding of pipe/tab text

    @property
    def text(self) -> str:
        return " | ".join(self.cells) if self.is_row else (self.cells[0] if self.cells else "")


@dataclass
class Document:
    lines: list[Line]
    document_type: str  # html | pdf | docx | doc | wps | ofd | text
    title_hint: str | None = None  # e.g. <meta name="ArticleTitle">, <h1>, <title>
    meta: dict[str, str] = field(default_factory=dict)  # metadata label -> value found structurally
    problems: list[dict] = field(default_factory=list)  # converter problems (severity, code, detail)

    def body_lines(self) -> list[Line]:
        return [ln for ln in self.lines if ln.in_body]


class ConversionError(Exception):
    """A document could not be read at all. `code` is the record problem code."""

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
