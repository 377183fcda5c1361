#!/usr/bin/env bash
# make bench: every figure is a ratio measured in the same run.
#  1. a guide's JSON from yiwang against nginx serving the same bytes as a static file;
#  2. search over a 30,000-item city with 2-, 3- and 6-character Chinese queries and the judged
#     citizen queries, whose success@3 and MRR it prints beside (bench/search.sh);
#  3. resident memory after the search run, and cold start on that database;
#  4. durable case submissions through group commit against the disk's fsync rate (commit.sh);
#  5. statistics on a generated city-year of 600,000 cases (stats.sh), and the hotline rankings,
#     bulletin and dashboard on a generated year of 1,000,000 orders with durable hotline intake
#     against the fsync rate (hotline_stats.sh);
#  6. the electronic supervision job on 10,000 open cases (supervision_tick.c), and the 12345
#     dispatch suggestion: held-out accuracy on hand-written orders, training and answer time
#     (hotline_suggest.c);
#  7. 500 display boards on Server-Sent Events receiving announcements (sse.mjs);
#  8. a clerk's latency while 10,000 slow or idle connections and 5,000 event streams are held
#     (flood.mjs), and memory under 100 anonymous 19 MiB uploads (upload_flood.mjs);
#  9. durable submissions, guide reads and search on PostgreSQL with one node and two, beside
#     SQLite and the disk's fsync rate (pg.sh).
# Results are printed and written to bench/out/latest.md; docs/benchmarks.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=bench/out
mkdir -p "$OUT"
DUR=${BENCH_SECONDS:-10}
CONN=${BENCH_CONNECTIONS:-64}
SCALE=${BENCH_SCALE:-30000}
PORT_Y=18481
PORT_N=18482
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_up() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done; return 1; }
# wrk output → "rps p99_ms"
wrk_run() {
	local url=$1
	shift
	wrk -t2 -c"$CONN" -d"${DUR}s" --latency "$@" "$url" >"$OUT/wrk.txt"
	local rps p99
	rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk.txt")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$OUT/wrk.txt")
	local errs
	errs=$(awk '/Non-2xx/ {print $5}' "$OUT/wrk.txt")
	[ -z "$errs" ] || { echo "non-2xx responses: $errs" >&2; cat "$OUT/wrk.txt" >&2; }
	echo "$rps $p99"
}

# ---- 1. guide JSON vs nginx ----
rm -f "$OUT/demo.db"*
"$BIN" --db "$OUT/demo.db" demo --no-history >/dev/null
"$BIN" --db "$OUT/demo.db" serve --port $PORT_Y --quiet >/dev/null 2>&1 &
pids+=($!)
wait_up "http://127.0.0.1:$PORT_Y/api/v1/health"
# The guide whose JSON is closest to 5 KB.
code=$(curl -s "http://127.0.0.1:$PORT_Y/api/v1/items?page_size=200" | node -e '
let s="";process.stdin.on("data",d=>s+=d).on("end",async()=>{const items=JSON.parse(s).items;let best=null;
for(const it of items){const r=await fetch("http://127.0.0.1:'$PORT_Y'/api/v1/items/"+it.code);const n=(await r.text()).length;
if(!best||Math.abs(n-5000)<Math.abs(best[1]-5000))best=[it.code,n];}console.log(best[0]);});')
mkdir -p "$OUT/www"
curl -s "http://127.0.0.1:$PORT_Y/api/v1/items/$code" >"$OUT/www/guide.json"
size=$(stat -c %s "$OUT/www/guide.json")
cat >"$OUT/nginx.conf" <<NGINX
worker_processes 2;
pid $PWD/$OUT/nginx.pid;
error_log $PWD/$OUT/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  types { application/json json; }
  server {
    listen 127.0.0.1:$PORT_N;
    root $PWD/$OUT/www;
    location / { add_header Cache-Control no-cache; }
  }
}
NGINX
nginx -c "$PWD/$OUT/nginx.conf" -g 'daemon off;' &
pids+=($!)
wait_up "http://127.0.0.1:$PORT_N/guide.json"
read -r n_rps n_p99 < <(wrk_run "http://127.0.0.1:$PORT_N/guide.json")
read -r y_rps y_p99 < <(wrk_run "http://127.0.0.1:$PORT_Y/api/v1/items/$code")
guide_ratio=$(awk -v a="$y_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
cleanup
pids=()

# ---- 2-3. search over the scale city, memory, cold start (bench/search.sh) ----
search_md=$(bash bench/search.sh "$OUT")

# ---- 4. group commit ----
commit_md=$(bench/commit.sh "$OUT")

{
	echo "# make bench, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c$CONN -d${DUR}s"
	echo
	echo "## Guide JSON ($size bytes, item $code) against nginx serving the same bytes"
	echo "| server | requests/s | p99 ms |"
	echo "|---|---|---|"
	echo "| nginx (static file, 2 workers) | $n_rps | $n_p99 |"
	echo "| yiwang GET /api/v1/items/{code} | $y_rps | $y_p99 |"
	echo
	echo "yiwang / nginx = **$guide_ratio** (target >= 0.70)"
	echo
	echo "$search_md"
	echo
	echo "$commit_md"
} | tee "$OUT/latest.md"
bash bench/stats.sh | tee -a "$OUT/latest.md"
bash bench/hotline_stats.sh "$OUT" | tee -a "$OUT/latest.md"
bash bench/tickets.sh "$OUT" | tee -a "$OUT/latest.md"

# ---- 6. the electronic supervision job on 10,000 open cases ----
{
	echo
	echo "## Electronic supervision background job (bench/supervision_tick.c)"
	echo '```'
	"$(dirname "$BIN")/bench_supervision_tick" 10000 50000
	echo '```'
} | tee -a "$OUT/latest.md"

# ---- 6b. 12345 dispatch suggestion: held-out accuracy on hand-written orders, training and answer time ----
{
	echo
	echo "## 12345 dispatch suggestion (bench/hotline_suggest.c)"
	"$(dirname "$BIN")/bench_hotline_suggest" tests/data/hotline --all
} | tee -a "$OUT/latest.md"

# ---- 7. 500 display boards on Server-Sent Events ----
node bench/sse.mjs "$BIN" "$OUT" | tee -a "$OUT/latest.md"

# ---- 8. connections and request bodies under attack ----
node bench/flood.mjs "$BIN" "$OUT" | tee -a "$OUT/latest.md"
node bench/upload_flood.mjs "$BIN" "$OUT" | tee -a "$OUT/latest.md"

# ---- 9. PostgreSQL beside SQLite: submissions, guide reads and search, one node and two ----
bash bench/pg.sh "$OUT" | tee -a "$OUT/latest.md"
