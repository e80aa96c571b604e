"""RegionPipeline: adds county_code, county_name, township_name, township_code, region_match and
region_note to every record (reports and rejects), between parsing and deduplication."""
from __future__ import annotations

from crawler.regions.divisions import load
from crawler.regions.resolve import resolve


class RegionPipeline:
    def __init__(self, stats=None):
        self.stats = stats
        self.divisions = load()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, record):
        if not isinstance(record, dict) or "status" not in record:
            return record
        record.update(resolve(record, self.divisions))
        if self.stats is not None:
            self.stats.inc_value(f"govreports/region_match/{record['region_match']}")
        return record
