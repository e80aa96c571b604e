"""Only for scrapyd-deploy, which builds the egg with `python setup.py bdist_uberegg`.
Everything (metadata, packages, package data, the scrapy settings entry point) is in pyproject.toml."""
from setuptools import setup

setup()
