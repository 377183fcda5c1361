#!/usr/bin/env bash
# Instructions per durable write, counted by callgrind: a measure that does not move with the
# machine's load, for comparing builds where wrk's figures move by 15% from run to run. The server
# runs under valgrind for DUR seconds of wrk (64 connections) taking hotline orders as rexian01
# (KIND=hotline, bench/hotline_intake.lua) or case submissions as zhangsan (KIND=cases,
# bench/submit.lua); only the writer's work is counted (the job, the group commit, the
# acknowledgements), or what TOGGLE names instead, e.g. TOGGLE="--toggle-collect=on_request" for
# the HTTP side. Valgrind hides the SHA instructions from nettle, so the audit chain's hashing
# counts more than it costs.
# Usage: bench/intake_instructions.sh [OUT_DIR]   (YW_BIN, KIND, DUR, TOGGLE from the environment)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
DUR=${DUR:-20}
KIND=${KIND:-hotline}
TOGGLE=${TOGGLE:---toggle-collect=create_in_group --toggle-collect=db_group_commit --toggle-collect=acknowledge}
PORT=18593
mkdir -p "$OUT"
db="$OUT/intake-cg.db"
rm -f "$db"*
"$BIN" --db "$db" demo --no-history >/dev/null
echo "anon_write_burst = 0" >"$db.conf"
# shellcheck disable=SC2086
valgrind --tool=callgrind --callgrind-out-file="$OUT/intake.callgrind" $TOGGLE \
	"$BIN" --config "$db.conf" --db "$db" serve --port $PORT --quiet >/dev/null 2>"$OUT/intake-valgrind.txt" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.2; done
jar="$OUT/intake-cg.cookies"
user=rexian01 table=hotline_orders script=bench/hotline_intake.lua path=/api/v1/hotline/orders
if [ "$KIND" = cases ]; then
	user=zhangsan table=cases script=bench/submit.lua path=/api/v1/cases
fi
curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"username":"'$user'","password":"yiwang2026"}' \
	"$base/api/v1/auth/login" >"$OUT/intake-cg-login.json"
csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$OUT/intake-cg-login.json")
TOKEN=$(curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d '{"name":"bench"}' \
	"$base/api/v1/auth/tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
ITEM_CODE=
[ "$KIND" = cases ] && ITEM_CODE=$(curl -sf "$base/api/v1/items?target=1&q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF&page_size=1" |
	node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].code))')
before=$(sqlite3 "$db" "SELECT count(*) FROM $table")
TOKEN=$TOKEN ITEM_CODE=$ITEM_CODE wrk -t1 -c64 -d"${DUR}s" --timeout 30s -s "$script" "$base$path" >"$OUT/intake-cg-wrk.txt"
sleep 2
kill $pid
wait $pid || true
orders=$(($(sqlite3 "$db" "SELECT count(*) FROM $table") - before))
total=$(callgrind_annotate "$OUT/intake.callgrind" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$KIND: $orders written, instructions $total, per write $((total / orders))"
echo "(callgrind_annotate --inclusive=yes $OUT/intake.callgrind shows where)"
