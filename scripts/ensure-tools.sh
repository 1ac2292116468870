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
