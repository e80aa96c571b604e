"""Evidence for every number: what the crawl fetched, kept in standard WARC files.

- crawler/archive/warc.py: writing (warcio, rotated by size) and reading WARC files;
- crawler/archive/capture.py: the downloader middleware and item pipelines that archive responses
  and give each record its ``evidence`` (WARC file, record id, sha256 of the parsed bytes);
- crawler/archive/verify.py: ``python -m crawler.archive verify ARCHIVE FEED.jsonl`` checks a feed
  against an archive (non-zero exit, one line per missing or mismatching piece of evidence);
- crawler/archive/diff.py: which records' cells a re-parse (crawler/reparse.py) changed.

pywb and ReplayWeb.page open the files as they are (gzip WARC 1.1, request/response pairs).
"""
