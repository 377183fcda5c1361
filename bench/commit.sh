#!/usr/bin/env bash
# Group commit: durable case submissions per second (synchronous=FULL; each 201 is sent only after
# its transaction is on disk) against the disk's fsync rate measured in the same run, in the same
# folder. A ratio above 1 means concurrent submissions share commits.
# Usage: bench/commit.sh [DB_DIR]; prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
DUR=${BENCH_SECONDS:-10}
CONN=${COMMIT_CONNECTIONS:-128}
PORT=18483
mkdir -p "$OUT"
. bench/durable.sh
db="$OUT/commit.db"
durable_start "$db" $PORT
jar="$OUT/commit.cookies"
curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"username":"zhangsan","password":"yiwang2026"}' \
	"$base/api/v1/auth/login" >"$OUT/login.json"
csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$OUT/login.json")
TOKEN=$(curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	-d '{"name":"bench"}' "$base/api/v1/auth/tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
ITEM_CODE=$(curl -sf "$base/api/v1/items?target=1&q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF&page_size=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].code))')
before=$(sqlite3 "$db" "SELECT count(*) FROM cases")
TOKEN=$TOKEN ITEM_CODE=$ITEM_CODE durable_wrk "$OUT/commit-wrk.txt" -t2 -c"$CONN" -d"${DUR}s" --latency \
	-s bench/submit.lua "$base/api/v1/cases"
stored=$(($(sqlite3 "$db" "SELECT count(*) FROM cases") - before))
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
ratio=$(durable_ratio)
echo "## Durable case submissions (group commit)"
echo "| measure | value |"
echo "|---|---|"
echo "| disk fsync rate (4 KiB append + fdatasync, same folder) | $fsync_rate /s |"
echo "| POST /api/v1/cases answered 201, $CONN connections | $rps /s (p99 $p99) |"
echo "| non-2xx answers | ${errs:-0} |"
echo "| cases answered by wrk / stored in the database | $answered / $stored |"
echo "| integrity_check after shutdown | $integrity |"
echo
echo "submissions / fsync rate = **$ratio** (above 1: commits are shared; target >= 10,000 submissions/s)"
