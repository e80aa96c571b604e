#!/usr/bin/env bash
# Sets up a fresh machine for this project: system packages (when run as root with apt-get),
# then a virtual environment in .venv with the project installed.
#   bash scripts/setup.sh          # runtime only
#   bash scripts/setup.sh --test   # runtime + test dependencies (hypothesis, scrapy-redis, redis)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# System packages: LibreOffice (DOC/WPS conversion, and building PDFs in tests), CJK fonts,
# antiword (fallback DOC reader), redis-server (distributed-mode tests), chromium (run-report test).
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  need=""
  command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
  command -v antiword >/dev/null 2>&1 || need="$need antiword"
  { command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto.*CJK"; } || need="$need fonts-noto-cjk"
  if [ "$want_test" = 1 ]; then
    command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
    # headless browser for the HTML run report test (tests/test_coverage_farm.py)
    { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } || need="$need chromium"
  fi
  if [ -n "$need" ]; then
    echo "setup: apt-get install$need"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $need >/dev/null
  fi
else
  echo "setup: not root or no apt-get; skipping system packages (DOC/WPS conversion and redis tests need them)" >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
echo "setup: ok (.venv)"
