#!/usr/bin/env bash
# Prints requests per second and p99 latency of the running service (GET /api/users/{id}, POST /api/users)
# next to pgbench's transactions per second for the same single-row SELECT by primary key, at the same
# concurrency, in the same run. Needs wrk and pgbench, a service on localhost:8080 and the .env database.
# Usage: bench/http-vs-pgbench.sh [connections] [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")"
connections=${1:-8}; seconds=${2:-15}; rounds=${3:-3}
db=${DB_NAME:-keel}; host=${DB_HOST:-127.0.0.1}; user=${DB_USERNAME:-postgres}
base=http://localhost:8080

id=$(curl -sf -X POST "$base/api/users" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-$(date +%s)@example.com\",\"displayName\":\"Bench\"}" | sed -E 's/.*"id":([0-9]+).*/\1/')
echo "SELECT id, email, display_name, created_at, updated_at, version FROM users WHERE id = $id;" > /tmp/keel-pk.sql
wrk -t2 -c"$connections" -d5s "$base/api/users/$id" > /dev/null # warm-up

for round in $(seq 1 "$rounds"); do
  echo "== round $round, $connections connections, ${seconds}s each"
  echo "GET /api/users/$id:";  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/api/users/$id" | grep -E "Requests/sec|  99%|Non-2xx"
  echo "POST /api/users:";      wrk -t2 -c"$connections" -d"${seconds}s" --latency -s post-user.lua "$base" | grep -E "Requests/sec|  99%|Non-2xx"
  echo "pgbench SELECT by pk:"; pgbench -h "$host" -U "$user" -n -c "$connections" -j 2 -T "$seconds" -f /tmp/keel-pk.sql "$db" 2>&1 | grep -E "^tps|latency average"
done
