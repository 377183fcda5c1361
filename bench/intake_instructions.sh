#!/usr/bin/env bash
# Instructions per durable hotline order, counted by callgrind: a measure that does not move with
# the machine's load, for comparing builds where wrk's orders/s moves by 15% from run to run. The
# server runs under valgrind for DUR seconds of wrk (64 connections); only the writer's work is
# counted (the job, the group commit, the acknowledgements), or what TOGGLE names instead, e.g.
# TOGGLE="--toggle-collect=on_request" for the HTTP side. Valgrind hides the SHA instructions from
# nettle, so the audit chain's hashing counts more than it costs.
# Usage: bench/intake_instructions.sh [OUT_DIR]   (YW_BIN, DUR, TOGGLE from the environment)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
DUR=${DUR:-20}
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
curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"username":"rexian01","password":"yiwang2026"}' \
	"$base/api/v1/auth/login" >"$OUT/intake-cg-login.json"
csrf=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).csrf_token)' "$OUT/intake-cg-login.json")
TOKEN=$(curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d '{"name":"bench"}' \
	"$base/api/v1/auth/tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')
before=$(sqlite3 "$db" "SELECT count(*) FROM hotline_orders")
TOKEN=$TOKEN wrk -t1 -c64 -d"${DUR}s" --timeout 30s -s bench/hotline_intake.lua "$base/api/v1/hotline/orders" >"$OUT/intake-cg-wrk.txt"
sleep 2
kill $pid
wait $pid || true
orders=$(($(sqlite3 "$db" "SELECT count(*) FROM hotline_orders") - before))
total=$(callgrind_annotate "$OUT/intake.callgrind" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "orders $orders, instructions $total, per order $((total / orders))"
echo "(callgrind_annotate --inclusive=yes $OUT/intake.callgrind shows where)"
