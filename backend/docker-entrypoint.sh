#!/bin/sh
# Start of every API container: bring the database schema up to date, then run the server.
#
# With `docker compose up --scale api=3` three containers start at once and all run
# `flask db upgrade`. Alembic takes no lock: two may create the same table at the same moment and
# one fails. On PostgreSQL the whole upgrade is one transaction, so the loser changes nothing; it
# waits and tries again, and by then the schema is at the newest revision and there is nothing
# left to do.
set -eu

attempt=1
until flask db upgrade; do
    if [ "$attempt" -ge 5 ]; then
        echo "entrypoint: flask db upgrade failed $attempt times, giving up" >&2
        exit 1
    fi
    echo "entrypoint: flask db upgrade failed (attempt $attempt), retrying in 3 s" >&2
    attempt=$((attempt + 1))
    sleep 3
done

exec python serve.py
