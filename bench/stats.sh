#!/usr/bin/env bash
# Statistics on a generated city-year (issue 3): `yiwang gen-cases` writes N cases (600,000 by
# default; seed 003 reports 572,300 a year) into a fresh demo city, then each dashboard query and
# the monthly report is timed through HTTP as the supervisor jiandu01: cold (the first request
# after the server starts, facts loaded from SQLite) and warm (median and max of RUNS more). The
# baseline measured in the same run is raw SQLite answering the monthly trend alone with one
# GROUP BY over the same cases table (sqlite3 CLI). Printed as Markdown; called by bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=bench/out
CASES=${BENCH_CASES:-600000}
YEAR=${BENCH_YEAR:-2025}
RUNS=${BENCH_RUNS:-9}
PORT=18483
mkdir -p "$OUT"
db="$OUT/stats-$CASES.db"
spid=
cleanup() { [ -z "$spid" ] || kill "$spid" 2>/dev/null || true; }
trap cleanup EXIT

rm -f "$db" "$db"-wal "$db"-shm
"$BIN" --db "$db" demo --no-history >/dev/null
gen=$("$BIN" --db "$db" gen-cases --cases "$CASES" --year "$YEAR")
gen_s=$(echo "$gen" | awk '/^in / {print $2}')
counts=$(echo "$gen" | head -1)
integrity=$(sqlite3 "$db" 'PRAGMA integrity_check')
size_mb=$(($(stat -c %s "$db") / 1048576))

base="http://127.0.0.1:$PORT"
start() {
	"$BIN" --db "$db" serve --port $PORT --quiet >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 1 400); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.025; done
	curl -sf -c "$OUT/stats.cookies" -H 'Content-Type: application/json' \
		-d '{"username":"jiandu01","password":"yiwang2026"}' "$base/api/v1/auth/login" >/dev/null
}
stop() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=; }
ms() { curl -s -o /dev/null -b "$OUT/stats.cookies" -w '%{http_code} %{time_total}\n' "$base$1" |
	awk '$1 != 200 {print "HTTP " $1 > "/dev/stderr"; exit 1} {printf "%.1f\n", $2 * 1000}'; }
# "median max" of RUNS warm runs
warm() {
	for _ in $(seq 1 "$RUNS"); do ms "$1"; done | sort -n |
		awk '{v[NR] = $1} END {printf "%s %s\n", v[int((NR + 1) / 2)], v[NR]}'
}

queries=(
	"dashboard, year|/api/v1/stats/dashboard?year=$YEAR|100"
	"dashboard, one month|/api/v1/stats/dashboard?year=$YEAR&month=11|100"
	"summary by month|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=month|100"
	"summary by day|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=day|100"
	"summary by department|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=dept|100"
	"summary by item|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=item|100"
	"summary by window|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=window|100"
	"summary by staff|/api/v1/stats/summary?from=$YEAR-01-01&to=$YEAR-12-31&by=staff|100"
	"monthly report|/api/v1/stats/report?month=$YEAR-11|1000"
	"XLSX export by department|/api/v1/stats/export.xlsx?from=$YEAR-01-01&to=$YEAR-12-31&by=dept|1000"
)
rows=()
for q in "${queries[@]}"; do
	IFS='|' read -r name url target <<<"$q"
	start
	cold=$(ms "$url")
	read -r med max < <(warm "$url")
	stop
	rows+=("| $name | $cold | $med | $max | < $target |")
done
start
rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$spid/status)
stop

# Baseline: raw SQLite, the monthly trend alone (received per month), best of three.
sql="SELECT substr(submitted_day, 1, 7), COUNT(*) FROM cases WHERE state != 0 AND submitted_day BETWEEN '$YEAR-01-01' AND '$YEAR-12-31' GROUP BY 1"
raw=$(for _ in 1 2 3; do
	t0=$(date +%s%N)
	sqlite3 "$db" "$sql" >/dev/null
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 100000))
done | sort -n | head -1 | awk '{printf "%.1f", $1 / 10}')
dash_med=$(echo "${rows[0]}" | awk -F'|' '{print $4}')
ratio=$(awk -v a="$raw" -v b="$dash_med" 'BEGIN {printf "%.1f", a / b}')

echo "## Statistics on a generated city-year ($CASES cases, $YEAR)"
echo
echo "\`yiwang gen-cases --cases $CASES --year $YEAR\`: $counts in **$gen_s s**;"
echo "database $size_mb MB, PRAGMA integrity_check: $integrity."
echo
echo "| query (as jiandu01) | cold ms | warm median ms | warm max ms | target ms |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Baseline in the same run: raw SQLite (sqlite3 CLI) computing only the monthly received counts"
echo "with one GROUP BY over the cases table: $raw ms; the whole year dashboard (KPIs, monthly trend,"
echo "departments, top items, signals) warm: $dash_med ms, **$ratio x** faster than that one GROUP BY."
echo "Resident memory of the server with the facts loaded: $((rss_kb / 1024)) MB."
