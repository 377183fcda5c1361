#!/usr/bin/env bash
# Hotline statistics on a generated year (issue 11, "Scale"): `yiwang gen-orders` writes N orders
# (1,000,000 by default; seed 000 reports about 977,000 a year) into a fresh demo city, then the
# monthly rankings, the bulletin and the dashboard are timed through HTTP as the supervisor
# jiandu01: cold (the first request after the server starts, facts loaded from SQLite) and warm
# (median and max of RUNS more). Then durable intake: operators' POST /api/v1/hotline/orders
# through the group commit (synchronous=FULL, each 201 sent after its commit) against the disk's
# fsync rate measured in the same run, in the same folder. Printed as Markdown; called by
# bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
ORDERS=${BENCH_ORDERS:-1000000}
YEAR=${BENCH_YEAR:-$(date -u +%Y)}
RUNS=${BENCH_RUNS:-9}
DUR=${BENCH_SECONDS:-10}
CONN=${COMMIT_CONNECTIONS:-128}
PORT=18487
mkdir -p "$OUT"
db="$OUT/hotline-$ORDERS.db"
spid=
cleanup() { [ -z "$spid" ] || kill "$spid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${BENCH_REUSE:-}" ] || [ ! -f "$db" ]; then
	rm -f "$db" "$db"-wal "$db"-shm
	"$BIN" --db "$db" demo --no-history >/dev/null
	gen=$("$BIN" --db "$db" gen-orders --orders "$ORDERS" --year "$YEAR")
else
	gen="(reused $db)
in - s"
fi
gen_s=$(echo "$gen" | awk '/^in / {print $2}')
counts=$(echo "$gen" | head -1)
size_mb=$(($(stat -c %s "$db") / 1048576))
last=$(sqlite3 "$db" "SELECT max(created_day) FROM hotline_orders")
month=${last:0:7}

base="http://127.0.0.1:$PORT"
start() {
	"$BIN" --db "$db" serve --port $PORT --quiet >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 1 400); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.025; done
	curl -sf -c "$OUT/hls.cookies" -H 'Content-Type: application/json' \
		-d '{"username":"jiandu01","password":"yiwang2026"}' "$base/api/v1/auth/login" >/dev/null
}
stop() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=; }
ms() { curl -s -o /dev/null -b "$OUT/hls.cookies" -w '%{http_code} %{time_total}\n' "$base$1" |
	awk '$1 != 200 {print "HTTP " $1 > "/dev/stderr"; exit 1} {printf "%.1f\n", $2 * 1000}'; }
warm() {
	for _ in $(seq 1 "$RUNS"); do ms "$1"; done | sort -n |
		awk '{v[NR] = $1} END {printf "%s %s\n", v[int((NR + 1) / 2)], v[NR]}'
}

queries=(
	"rankings, $month|/api/v1/hotline/rankings?month=$month|100"
	"rankings, $YEAR-03|/api/v1/hotline/rankings?month=$YEAR-03|100"
	"bulletin JSON|/api/v1/hotline/bulletin?month=$YEAR-03|100"
	"bulletin page (HTML)|/api/v1/hotline/bulletin.html?month=$YEAR-03|100"
	"dashboard, the year|/api/v1/hotline/dashboard?from=$YEAR-01-01&to=$last|100"
	"dashboard, one month|/api/v1/hotline/dashboard?from=$YEAR-03-01&to=$YEAR-03-31|100"
	"dashboard, last 30 days|/api/v1/hotline/dashboard?to=$last|100"
	"dashboard XLSX, the year|/api/v1/hotline/dashboard.xlsx?from=$YEAR-01-01&to=$last|1000"
)
rows=()
start
cold_load=$(ms "/api/v1/hotline/rankings?month=$month")
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$spid/status)
for q in "${queries[@]}"; do
	IFS='|' read -r name url target <<<"$q"
	read -r med max < <(warm "$url")
	rows+=("| $name | $med | $max | < $target |")
done
stop

# Baseline: raw SQLite counting the year's orders by channel with one GROUP BY (sqlite3 CLI).
sql="SELECT channel, COUNT(*) FROM hotline_orders WHERE created_day BETWEEN '$YEAR-01-01' AND '$last' GROUP BY 1"
raw=$(for _ in 1 2 3; do
	t0=$(date +%s%N)
	sqlite3 "$db" "$sql" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 100000))
done | sort -n | head -1 | awk '{printf "%.1f", $1 / 10}')

echo "## Hotline statistics on a generated year ($ORDERS orders, $YEAR)"
echo
echo "\`bench/hotline_stats.sh\` (\`yiwang gen-orders --orders $ORDERS --year $YEAR\`): $counts in **$gen_s s**;"
echo "database $size_mb MB. The first request after the server starts loads the facts: $cold_load ms;"
echo "server resident memory then $((rss_kb / 1024)) MB."
echo
echo "| query (as jiandu01), warm | median ms | max ms | target ms |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Baseline in the same run: raw SQLite (sqlite3 CLI) counting only the year's orders by channel with"
echo "one GROUP BY: $raw ms."
echo

# ---- durable intake through the group commit ----
. bench/durable.sh
idb="$OUT/hotline-intake.db"
durable_start "$idb" $((PORT + 1))
jar="$OUT/hls-intake.cookies"
curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"username":"rexian01","password":"yiwang2026"}' \
	"$base/api/v1/auth/login" >"$OUT/hls-login.json"
csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$OUT/hls-login.json")
TOKEN=$(curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	-d '{"name":"bench"}' "$base/api/v1/auth/tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
before=$(sqlite3 "$idb" "SELECT count(*) FROM hotline_orders")
TOKEN=$TOKEN durable_wrk "$OUT/hls-intake-wrk.txt" -t2 -c"$CONN" -d"${DUR}s" --latency \
	-s bench/hotline_intake.lua "$base/api/v1/hotline/orders"
stored=$(($(sqlite3 "$idb" "SELECT count(*) FROM hotline_orders") - before))
integrity=$(sqlite3 "$idb" "PRAGMA integrity_check")
ratio=$(durable_ratio)
echo "## Durable hotline intake (group commit)"
echo "| measure | value |"
echo "|---|---|"
echo "| disk fsync rate (4 KiB append + fdatasync, same folder) | $fsync_rate /s |"
echo "| POST /api/v1/hotline/orders (rexian01's token) answered 201, $CONN connections | $rps /s (p99 $p99) |"
echo "| non-2xx answers | ${errs:-0} |"
echo "| orders answered by wrk / stored in the database | $answered / $stored |"
echo "| integrity_check after shutdown | $integrity |"
echo
echo "orders / fsync rate = **$ratio** (target >= 2: commits are shared)"
