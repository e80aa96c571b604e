"""Project commands (COMMANDS_MODULE): `scrapy crawl` with clear input errors and a meaningful exit code."""
