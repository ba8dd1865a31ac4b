#!/usr/bin/env bash
# The service's throughput next to PostgreSQL's own, in one run, at one concurrency, after a warm-up:
#   GET /api/users/{id} and POST /api/users (wrk: requests/s and p99),
#   pgbench running the same SELECT by primary key (simple and prepared protocol) and the same INSERT.
# Each figure is the median of the rounds; each ratio is the median of the rounds' own ratios, since both sides of a
# round met the same machine (it is noisy).
# Needs wrk, pgbench and curl; a migrated database (mvn -pl db liquibase:update); the packaged service
# (mvn -pl apps/backend -am package -DskipTests), which this starts on port 8080 unless one already answers there.
# Usage: bash bench/throughput.sh [connections=8] [seconds=15] [rounds=3] [warmup-seconds=120]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-8}; seconds=${2:-15}; rounds=${3:-3}; warmup=${4:-120}
for tool in wrk pgbench curl; do
  command -v "$tool" > /dev/null || { echo "throughput.sh needs $tool; install it (Debian or Ubuntu: apt-get install wrk postgresql-client curl)" >&2; exit 1; }
done
# Keel's lookup order: a variable already set outranks .env, which outranks the defaults.
env_file=.env; [ -f "$env_file" ] || env_file=.env.example
while IFS='=' read -r key value || [ -n "$key" ]; do
  key=${key#export }
  [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
  value=${value%\"}; value=${value#\"}; value=${value%\'}; value=${value#\'}
  [ -n "${!key+set}" ] || export "$key=$value"
done < "$env_file"
: "${DB_HOST:=localhost}" "${DB_PORT:=5432}" "${DB_NAME:=keel}" "${DB_USERNAME:=postgres}" "${DB_PASSWORD:=}"
export PGPASSWORD=$DB_PASSWORD
base=http://localhost:8080
work=$(mktemp -d); trap 'rm -rf "$work"; [ -n "${service:-}" ] && kill "$service" 2>/dev/null || true' EXIT

if ! curl -sf "$base/actuator/health/readiness" > /dev/null; then
  java -jar apps/backend/target/backend-0.1.0-SNAPSHOT-exec.jar > "$work/service.log" 2>&1 & service=$!
  until curl -sf "$base/actuator/health/readiness" > /dev/null; do
    kill -0 "$service" 2>/dev/null || { cat "$work/service.log"; exit 1; }; sleep 0.2
  done
fi

id=$(curl -sf -X POST "$base/api/users" -H 'Content-Type: application/json' \
  -d "{\"email\":\"bench-$(date +%s%N)@example.com\",\"displayName\":\"Bench\"}" | sed -E 's/.*"id":([0-9]+).*/\1/')
echo "SELECT id, created_at, display_name, email, updated_at, version FROM users WHERE id = $id;" > "$work/select.sql"
echo "INSERT INTO users (created_at, display_name, email, updated_at, version)
  VALUES (now(), 'Load', gen_random_uuid() || '@example.com', now(), 0) RETURNING id;" > "$work/insert.sql"

rps() { awk '/Requests\/sec/ {print $2}'; }
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }'; }
tps() { awk '/^tps/ {print $3}'; }
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "Warm-up: ${warmup}s of GET and POST"
wrk -t2 -c"$connections" -d"${warmup}s" "$base/api/users/$id" > /dev/null
wrk -t2 -c"$connections" -d"$((warmup / 3 + 1))s" -s bench/post-user.lua "$base" > /dev/null

for round in $(seq 1 "$rounds"); do
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/api/users/$id" > "$work/get.$round"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s bench/post-user.lua "$base" > "$work/post.$round"
  pgbench -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USERNAME" -n -c "$connections" -j 2 -T "$seconds" -M simple -f "$work/select.sql" "$DB_NAME" > "$work/simple.$round" 2>&1
  pgbench -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USERNAME" -n -c "$connections" -j 2 -T "$seconds" -M prepared -f "$work/select.sql" "$DB_NAME" > "$work/prepared.$round" 2>&1
  pgbench -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USERNAME" -n -c "$connections" -j 2 -T "$seconds" -M prepared -f "$work/insert.sql" "$DB_NAME" > "$work/insert.$round" 2>&1
  grep -h "Non-2xx" "$work/get.$round" "$work/post.$round" || true
  echo "round $round: GET $(rps < "$work/get.$round") req/s, POST $(rps < "$work/post.$round") req/s, pgbench SELECT simple $(tps < "$work/simple.$round")," \
    "prepared $(tps < "$work/prepared.$round"), INSERT $(tps < "$work/insert.$round") tps"
done

get=$(cat "$work"/get.* | rps | median); post=$(cat "$work"/post.* | rps | median)
get99=$(cat "$work"/get.* | p99 | median); post99=$(cat "$work"/post.* | p99 | median)
simple=$(cat "$work"/simple.* | tps | median); prepared=$(cat "$work"/prepared.* | tps | median); insert=$(cat "$work"/insert.* | tps | median)
echo
echo "Medians of $rounds rounds, $connections connections, ${seconds}s each, on $(nproc) cores:"
printf '  GET  /api/users/{id}   %9.0f req/s   p99 %6.2f ms\n' "$get" "$get99"
printf '  POST /api/users        %9.0f req/s   p99 %6.2f ms\n' "$post" "$post99"
printf '  pgbench SELECT simple  %9.0f tps\n' "$simple"
printf '  pgbench SELECT prepared%9.0f tps\n' "$prepared"
printf '  pgbench INSERT         %9.0f tps\n' "$insert"
# A ratio is taken within each round, where both sides met the same machine, then the median of the rounds.
ratio() { for round in $(seq 1 "$rounds"); do
  awk -v a="$("$1" < "$work/$2.$round")" -v b="$("$3" < "$work/$4.$round")" 'BEGIN { print a / b }'; done | median; }
printf '  GET / pgbench simple   %.2fx (target 0.25x, stretch 0.35x)\n' "$(ratio rps get tps simple)"
printf '  GET / pgbench prepared %.2fx\n' "$(ratio rps get tps prepared)"
printf '  POST / pgbench INSERT  %.2fx (target 0.25x)\n' "$(ratio rps post tps insert)"
