"""Document → report record. Pure code: knows nothing of Scrapy.

    from crawler.parsing import parse_document
    record = parse_document(data, url, content_type=None)

The record is the contract of docs/record.md.
"""
from .record import parse_document  # noqa: F401

__all__ = ["parse_document"]
