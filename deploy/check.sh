#!/usr/bin/env bash
# Check the deployment files without a Docker engine (CI has none):
#   1. docker-compose.yml, with a real compose implementation (Debian's docker-compose);
#   2. backend/Dockerfile and frontend/Dockerfile, with hadolint.
# Usage: deploy/check.sh   (from anywhere; installs hadolint into backend/.venv if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

# The two required settings get throwaway values: `config` only reads the file, nothing starts.
JWT_SECRET_KEY=config-check-only POSTGRES_PASSWORD=config-check-only \
    docker-compose -f docker-compose.yml config -q
echo "docker-compose.yml: valid"

hadolint=backend/.venv/bin/hadolint
if [ ! -x "$hadolint" ]; then
    backend/.venv/bin/python -m pip install -q --disable-pip-version-check \
        -r deploy/requirements-lint.txt
fi
"$hadolint" backend/Dockerfile frontend/Dockerfile
echo "Dockerfiles: hadolint clean"
