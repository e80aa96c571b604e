"""Regions and coverage: county/township codes from the official division list (divisions.py,
resolve.py, pipeline.py), the expected units and the missing list (coverage.py), and the HTML
run report (html_report.py), written at spider close (extension.py) or rebuilt from a run's
feeds (`python -m crawler.report output/`)."""
