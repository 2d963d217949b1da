#!/usr/bin/env bash
# Runs once when the dev container (or codespace) is created: Debian's Chromium for the
# end-to-end tests (the same browser CI uses), then every install `make` would do on first use,
# so `make run`, `make dev` and `make test` start at once.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo apt-get update -qq
sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
make install
