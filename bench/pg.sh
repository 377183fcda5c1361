#!/usr/bin/env bash
# PostgreSQL beside SQLite, all in one run on this machine (issue 10's storage benchmarks):
#  1. durable case submissions per second: SQLite (synchronous=FULL), PostgreSQL with one node and
#     with two nodes on one database (synchronous_commit = on), beside the disk's fsync rate in the
#     same folder: group commit must still share commits on PostgreSQL (target: one node >= 2x
#     the fsync rate);
#  2. the guide read (GET /api/v1/items/{code}) and search over the 30,000-item city on SQLite and
#     on PostgreSQL with one node and with two (target: two nodes read >= 1.6x one).
# The PostgreSQL cluster is a throwaway one (scripts/pg-cluster.sh) in OUT, removed at the end.
# Usage: bench/pg.sh [OUT_DIR]; prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
DUR=${BENCH_SECONDS:-10}
CONN=${COMMIT_CONNECTIONS:-128}
RCONN=${BENCH_CONNECTIONS:-64}
SCALE=${BENCH_SCALE:-30000}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
pgdir="$OUT/pg-cluster"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
scripts/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
admin=$(scripts/pg-cluster.sh start "$pgdir")
# The nodes reach the database over its Unix socket (the cluster's folder), as a node on the
# database's own machine would; over TCP on 127.0.0.1 every statement's round trip costs more (one
# node's submissions were about 30% fewer).
url_of() { echo "$admin" | sed -E "s#@127\.0\.0\.1:([0-9]+)/[^/?]*#@/$1?host=$pgdir\&port=\1#"; }
psql_admin() { psql "$admin" -v ON_ERROR_STOP=1 -qAtc "$1"; }

wait_up() { for _ in $(seq 1 400); do curl -sf "$1/api/v1/health" >/dev/null && return 0; sleep 0.05; done; return 1; }
# serve NAME DB [CONF] -> starts a server, prints its base URL; the pid goes to $OUT/NAME.pid
serve() {
	local name=$1 db=$2 port
	port=$(node -e 'const s=require("net").createServer().listen(0,()=>{console.log(s.address().port);s.close()})')
	"$BIN" --config "$OUT/$name.conf" --db "$db" serve --port "$port" --quiet >"$OUT/$name.log" 2>&1 &
	echo $! >"$OUT/$name.pid"
	wait_up "http://127.0.0.1:$port" || { cat "$OUT/$name.log" >&2; exit 1; }
	echo "http://127.0.0.1:$port"
}
stop() { kill "$(cat "$OUT/$1.pid")" 2>/dev/null || true; wait "$(cat "$OUT/$1.pid")" 2>/dev/null || true; }
rps_of() { awk '/Requests\/sec/ {print $2}' "$1"; }
errs_of() { awk '/Non-2xx/ {print $5}' "$1"; }
# An applicant's API token and the item to apply for, on base.
login_token() {
	local base=$1 jar="$OUT/pg.cookies" csrf
	csrf=$(curl -sf -c "$jar" -H 'Content-Type: application/json' -d '{"username":"zhangsan","password":"yiwang2026"}' \
		"$base/api/v1/auth/login" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).csrf_token))')
	curl -sf -b "$jar" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d '{"name":"bench"}' \
		"$base/api/v1/auth/tokens" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))'
}
item_code() {
	curl -sf "$1/api/v1/items?target=1&q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5%E8%AE%B8%E5%8F%AF&page_size=1" |
		node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].code))'
}
# submit OUT_FILE CONNECTIONS BASE... -> wrk on each base at once; prints the summed requests/s
submit() {
	local out=$1 conn=$2
	shift 2
	local i=0 wpids=()
	for base in "$@"; do
		TOKEN=$TOKEN ITEM_CODE=$ITEM_CODE wrk -t1 -c"$conn" -d"${DUR}s" -s bench/submit.lua "$base/api/v1/cases" >"$out.$i" &
		wpids+=($!)
		i=$((i + 1))
	done
	wait "${wpids[@]}"
	local sum=0 e
	for ((k = 0; k < i; k++)); do
		sum=$(awk -v a="$sum" -v b="$(rps_of "$out.$k")" 'BEGIN {printf "%.0f", a + b}')
		e=$(errs_of "$out.$k")
		[ -z "$e" ] || echo "non-2xx answers: $e ($out.$k)" >&2
	done
	echo "$sum"
}
# read OUT_FILE SCRIPT_OR_PATH BASE... -> summed requests/s of GETs on every base at once
read_load() {
	local out=$1 what=$2
	shift 2
	local i=0 wpids=()
	for base in "$@"; do
		if [ -f "$what" ]; then
			QUERIES=$QUERIES wrk -t1 -c"$RCONN" -d"${DUR}s" -s "$what" "$base" >"$out.$i" &
		else
			wrk -t1 -c"$RCONN" -d"${DUR}s" "$base$what" >"$out.$i" &
		fi
		wpids+=($!)
		i=$((i + 1))
	done
	wait "${wpids[@]}"
	local sum=0
	for ((k = 0; k < i; k++)); do sum=$(awk -v a="$sum" -v b="$(rps_of "$out.$k")" 'BEGIN {printf "%.0f", a + b}'); done
	echo "$sum"
}
# wrk is one address: the per-address limit of anonymous writes would answer 429. The PostgreSQL
# nodes share one files_dir, as two real nodes share their uploads and the audit key.
printf 'anon_write_burst = 0\nfiles_dir = %s\n' "$OUT/files-lite" >"$OUT/lite.conf"
cp "$OUT/lite.conf" "$OUT/scale.conf"
for n in pg1 pg2a pg2b; do printf 'anon_write_burst = 0\nfiles_dir = %s\n' "$OUT/files-pg" >"$OUT/$n.conf"; done

# ---- 1. durable submissions ----
fsync_rate=$(node bench/fsync_rate.mjs "$pgdir/fsync.probe" 3)
rm -f "$OUT/pg-lite.db"*
"$BIN" --db "$OUT/pg-lite.db" demo --no-history >/dev/null
base=$(serve lite "$OUT/pg-lite.db")
TOKEN=$(login_token "$base")
ITEM_CODE=$(item_code "$base")
lite_rps=$(submit "$OUT/pg-wrk-lite" "$CONN" "$base")
stop lite

psql_admin "DROP DATABASE IF EXISTS ywbench"
psql_admin "CREATE DATABASE ywbench"
pgurl=$(url_of ywbench)
rm -rf "$OUT/files-pg"
"$BIN" --config "$OUT/pg1.conf" --db "$pgurl" demo --no-history >/dev/null
base=$(serve pg1 "$pgurl")
TOKEN=$(login_token "$base")
ITEM_CODE=$(item_code "$base")
pg1_rps=$(submit "$OUT/pg-wrk-pg1" "$CONN" "$base")
stop pg1
a=$(serve pg2a "$pgurl")
b=$(serve pg2b "$pgurl")
pg2_rps=$(submit "$OUT/pg-wrk-pg2" $((CONN / 2)) "$a" "$b")
stop pg2a
stop pg2b
stored=$(psql "$pgurl" -qAtc "SELECT COUNT(*) FROM cases")

# ---- 2. reads on the 30,000-item city ----
scale_db="$OUT/scale-$SCALE-$(sha1sum data/demo/city.json | cut -c1-8).db"
if [ ! -f "$scale_db" ]; then
	"$BIN" --db "$scale_db.tmp" demo --no-history --scale "$SCALE" >/dev/null
	mv "$scale_db.tmp.auditkey" "$scale_db.auditkey"
	mv "$scale_db.tmp" "$scale_db"
fi
psql_admin "DROP DATABASE IF EXISTS ywscale"
psql_admin "CREATE DATABASE ywscale"
scaleurl=$(url_of ywscale)
rm -rf "$OUT/files-pg"
"$BIN" --config "$OUT/pg1.conf" --db "$scale_db" copy --to "$scaleurl" >/dev/null
enc() { node -e 'console.log(process.argv.slice(1).map(encodeURIComponent).join(","))' "$@"; }
QUERIES=$(enc 许可 身份证 营业执照 食品经营许可 社保 户口 公积金 不动产登记 出生医学证明 残疾人)
base=$(serve scale "$scale_db")
guide=/api/v1/items/$(item_code "$base")
lite_guide=$(read_load "$OUT/pg-wrk-rg" "$guide" "$base")
lite_search=$(read_load "$OUT/pg-wrk-rs" bench/queries.lua "$base")
stop scale
base=$(serve pg1 "$scaleurl")
pg1_guide=$(read_load "$OUT/pg-wrk-rg" "$guide" "$base")
pg1_search=$(read_load "$OUT/pg-wrk-rs" bench/queries.lua "$base")
stop pg1
a=$(serve pg2a "$scaleurl")
b=$(serve pg2b "$scaleurl")
pg2_guide=$(read_load "$OUT/pg-wrk-rg" "$guide" "$a" "$b")
pg2_search=$(read_load "$OUT/pg-wrk-rs" bench/queries.lua "$a" "$b")
stop pg2a
stop pg2b

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "## PostgreSQL beside SQLite (one machine, $(nproc) cores; PostgreSQL $(psql "$admin" -qAtc 'SHOW server_version'), synchronous_commit = $(psql "$admin" -qAtc 'SHOW synchronous_commit'))"
echo "| measure | SQLite | PostgreSQL, one node | PostgreSQL, two nodes |"
echo "|---|---|---|---|"
echo "| durable case submissions/s ($CONN connections) | $lite_rps | $pg1_rps | $pg2_rps |"
echo "| ... / disk fsync rate ($fsync_rate/s) | $(ratio "$lite_rps" "$fsync_rate") | $(ratio "$pg1_rps" "$fsync_rate") | $(ratio "$pg2_rps" "$fsync_rate") |"
echo "| guide read/s ($RCONN connections per node) | $lite_guide | $pg1_guide | $pg2_guide |"
echo "| search over $SCALE items, queries/s | $lite_search | $pg1_search | $pg2_search |"
echo
echo "cases stored on PostgreSQL after both runs: $stored. Two nodes / one node: guide $(ratio "$pg2_guide" "$pg1_guide"), search $(ratio "$pg2_search" "$pg1_search") (target >= 1.6); PostgreSQL one node / fsync rate $(ratio "$pg1_rps" "$fsync_rate") (target >= 2)."
