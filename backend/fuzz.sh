#!/usr/bin/env bash
# `make fuzz`: schemathesis sends generated requests (valid and invalid) to every operation in
# /api/openapi.json and checks every answer: no 5xx, only documented status codes, bodies that
# match the documented schemas. It runs against the real app (serve.py, a throwaway SQLite
# database, the demo accounts) with the demo user's token, so protected routes are reached too.
#
#   FUZZ_EXAMPLES=200 (cases per operation, per phase)   FUZZ_SEED=... (replay a run)
set -euo pipefail
cd "$(dirname "$0")"
BIN="$PWD/.venv/bin"
EXAMPLES="${FUZZ_EXAMPLES:-200}"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"

# Set every setting here, so a developer's .env cannot change the run.
export APP_ENV=development
export DATABASE_URL="sqlite:///$work/fuzz.db"
export JWT_SECRET_KEY="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export DEMO_MODE=1
export ACCESS_TOKEN_TTL=3600
export SPA_DIST="$work/no-spa"
# The fuzzer sends thousands of failed logins and signups from one address: with the limits on,
# most answers would be 429 (documented, so "passing") and the handlers behind them untested.
# The limits have their own tests (tests/test_rate_limits.py).
export RATELIMIT_ENABLED=0

"$BIN/flask" --app app db upgrade >"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
"$BIN/flask" --app app seed-demo >>"$work/setup.log" 2>&1 || { cat "$work/setup.log"; exit 1; }
WEB_THREADS=4 "$BIN/python" serve.py --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 100); do
  if "$BIN/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "$base/api/health" 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || { echo "the server died:"; cat "$work/server.log"; exit 1; }
  sleep 0.2
done

# Two logins as the demo user: the first session's access token for every request; the second
# session's refresh cookie + CSRF value, so POST /api/token/refresh is reached with a real one
# (the first refresh succeeds, later ones are reuse and revoke that second session only).
read -r token refresh csrf < <("$BIN/python" - "$base" <<'PY'
import http.cookiejar, json, sys, urllib.request

def login():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(
        sys.argv[1] + "/api/token",
        data=json.dumps({"username": "demo", "password": "demo1234"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    token = json.load(opener.open(request, timeout=10))["token"]
    return token, {cookie.name: cookie.value for cookie in jar}

token, _ = login()
_, cookies = login()
print(token, cookies["refresh_token_cookie"], cookies["csrf_refresh_token"])
PY
)

seed_args=()
if [ -n "${FUZZ_SEED:-}" ]; then seed_args=(--seed "$FUZZ_SEED"); fi

fuzz() {
  # From the temp dir: schemathesis and Hypothesis keep caches in the current directory.
  # --generation-database none: replaying stored examples made later runs generate far fewer
  # new cases; --workers 1: with 2, some operations got far fewer than --max-examples cases.
  (cd "$work" && "$BIN/schemathesis" run "$base/api/openapi.json" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" \
    --header "Authorization: Bearer $token" \
    --header "Cookie: refresh_token_cookie=$refresh; csrf_refresh_token=$csrf" \
    --header "X-CSRF-TOKEN: $csrf" \
    --workers 1 \
    --request-timeout 10 \
    --generation-database none \
    "${seed_args[@]}" "$@")
}

status=0
# Every operation but two, with generated credentials too (missing, garbage: all must be 401).
fuzz --exclude-path /api/logout --exclude-path /api/token/refresh || status=$?
# The refresh route with the real cookie and CSRF header only (generated ones are always 401).
fuzz --include-path /api/token/refresh --generation-with-security-parameters false || status=$?
# Logging out revokes the demo token, after which every protected route could only answer 401:
# so it goes last, on its own.
fuzz --include-path /api/logout || status=$?

# The evidence that every operation was exercised (an operation without inputs, such as
# GET /api/health, has only a few distinct cases to generate).
# serve.py's access lines (development): ADDRESS "METHOD PATH" STATUS TIME
echo "requests per operation:"
sed -n 's/^[^"]*"\([A-Z]* [^"]*\)".*/\1/p' "$work/server.log" | sort | uniq -c
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 60 lines) ---"
  tail -n 60 "$work/server.log"
fi
exit "$status"
