#!/usr/bin/env bash
# Durable ticket issuance (取号): kiosk tickets per second through the group-commit writer (each
# 201 is sent only after its ticket and audit record are on disk) against the disk's fsync rate
# measured in the same run. The demo city's three halls get a queue for every letter, so the run
# stays within each queue's 999 numbers a day. Then the waiting estimate over a simulated day of
# a 30-window hall (bench/hall_sim.c).
# Usage: bench/tickets.sh [DB_DIR]; prints a Markdown section.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=${1:-bench/out}
DUR=${TICKETS_SECONDS:-5}
CONN=${TICKETS_CONNECTIONS:-128}
PORT=18484
mkdir -p "$OUT"
. bench/durable.sh
db="$OUT/tickets.db"
durable_start "$db" $PORT
# every letter in every hall, as the centre administrator
QUEUES=$(node -e '
const base = process.argv[1];
(async () => {
  const login = await fetch(base + "/api/v1/auth/login", { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: "center_admin", password: "yiwang2026" }) });
  const { csrf_token } = await login.json();
  const h = { "Content-Type": "application/json", Cookie: login.headers.get("set-cookie").split(";")[0], "X-CSRF-Token": csrf_token };
  for (const hall of [1, 2, 3]) {
    const have = new Set((await (await fetch(`${base}/api/v1/hall/queues?hall_id=${hall}`)).json()).items.map((q) => q.letter));
    for (let c = 65; c <= 90; c++) {
      const letter = String.fromCharCode(c);
      if (!have.has(letter))
        await fetch(base + "/api/v1/hall/queues", { method: "POST", headers: h, body: JSON.stringify({ hall_id: hall, letter, name: "压测" + letter }) });
    }
  }
  // the queues of each hall with the token of a kiosk paired in that hall: tickets come only from
  // registered kiosks (docs/operations.md)
  const { pairDevice } = await import(process.cwd() + "/bench/pair.mjs");
  const token = {};
  for (const hall of [1, 2, 3]) token[hall] = await pairDevice(base, hall, "kiosk");
  const all = (await (await fetch(base + "/api/v1/hall/queues")).json()).items;
  console.log(all.map((q) => `${q.id}:${token[q.hall_id]}`).join(","));
})();' "$base")
nq=$(echo "$QUEUES" | tr ',' '\n' | wc -l)
QUEUES=$QUEUES durable_wrk "$OUT/tickets-wrk.txt" -t2 -c"$CONN" -d"${DUR}s" --latency -s bench/tickets.lua \
	"$base/api/v1/hall/tickets"
stored=$(sqlite3 "$db" "SELECT count(*) FROM hall_tickets")
dups=$(sqlite3 "$db" "SELECT count(*) FROM (SELECT 1 FROM hall_tickets GROUP BY issued_queue_id, day, seq HAVING count(*) > 1)")
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
ratio=$(durable_ratio)
echo "## Durable ticket issuance (取号, group commit)"
echo "| measure | value |"
echo "|---|---|"
echo "| disk fsync rate (4 KiB append + fdatasync, same folder) | $fsync_rate /s |"
echo "| POST /api/v1/hall/tickets answered 201, $CONN connections, $nq queues | $rps /s (p99 $p99) |"
echo "| non-2xx answers | ${errs:-0} |"
echo "| tickets answered by wrk / stored in the database | $answered / $stored |"
echo "| ticket numbers given twice | $dups |"
echo "| integrity_check after shutdown | $integrity |"
echo
echo "tickets / fsync rate = **$ratio** (above 1: commits are shared; target >= 5,000 tickets/s)"
echo
"$(dirname "$BIN")/bench_hall_sim" 30
