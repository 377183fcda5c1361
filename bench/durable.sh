# Shared by the durable-write benchmarks (commit.sh, tickets.sh): source it, then
#   durable_start DB PORT      a fresh demo city in DB served on PORT; sets $pid and $base, and
#                              measures the disk's fsync rate in DB's folder first ($fsync_rate)
#   durable_wrk OUT_FILE ...   wrk with these arguments, then stops the server; sets $rps, $p99,
#                              $errs, $answered from wrk's report
#   durable_ratio               $rps / $fsync_rate with one decimal
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true' EXIT

durable_start() {
	local db=$1 port=$2
	fsync_rate=$(node bench/fsync_rate.mjs "$(dirname "$db")/fsync.probe" 3)
	rm -f "$db"*
	"$BIN" --db "$db" demo --no-history >/dev/null
	# wrk is one address: the per-address limit of anonymous writes would answer 429
	echo "anon_write_burst = 0" >"$db.conf"
	"$BIN" --config "$db.conf" --db "$db" serve --port "$port" --quiet >/dev/null 2>&1 &
	pid=$!
	base="http://127.0.0.1:$port"
	for _ in $(seq 1 200); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.05; done
}

durable_wrk() {
	local out=$1
	shift
	wrk "$@" >"$out"
	kill "$pid"
	wait "$pid" || true
	pid=
	rps=$(awk '/Requests\/sec/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {print $2}' "$out")
	errs=$(awk '/Non-2xx/ {print $5}' "$out")
	answered=$(awk '/requests in/ {print $1}' "$out")
}

durable_ratio() { awk -v a="$rps" -v b="$fsync_rate" 'BEGIN {printf "%.1f", a / b}'; }
