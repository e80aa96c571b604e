"""Fixture portal farm: real-shaped pages of six platform families, generated into a directory,
served by crawler.samples_server, with its own answer key (see build.py)."""
