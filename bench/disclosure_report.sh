#!/usr/bin/env bash
# The annual report on government information disclosure over a generated year (issue 12: "the
# report over a generated year of 100,000 requests answers in under 1 s"): N requests (100,000 by
# default) spread over the 29 demo organs, received over the report's year (a few in last December),
# every applicant type and result, one in twenty still open, plus remedies; then
# GET /api/v1/disclosure/report timed through HTTP, cold (first request after the server starts) and
# warm (median and max of RUNS more): the whole government as the centre (center_admin), one organ as
# its officer (gongkai01), and the XLSX. With PG_URL set (a database URL of a throwaway cluster,
# scripts/pg-cluster.sh) the same on PostgreSQL. Printed as Markdown.
#   bash bench/disclosure_report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${YW_BIN:-build/yiwang}
OUT=bench/out
N=${BENCH_REQUESTS:-100000}
YEAR=${BENCH_YEAR:-2025}
RUNS=${BENCH_RUNS:-9}
PORT=18487
mkdir -p "$OUT"
spid=
cleanup() { [ -z "$spid" ] || kill "$spid" 2>/dev/null || true; }
trap cleanup EXIT

# One statement both engines run: the generated rows. Days as text from a day number (SQLite date(),
# PostgreSQL date arithmetic), written per engine below.
codes="VALUES (0,'public'),(1,'partial'),(2,'deny_state_secret'),(3,'deny_law'),(4,'deny_safety'),
 (5,'deny_third_party'),(6,'deny_internal'),(7,'deny_process'),(8,'deny_enforcement'),(9,'deny_inquiry'),
 (10,'unable_not_held'),(11,'unable_need_create'),(12,'unable_unclear'),(13,'reject_petition'),
 (14,'reject_repeat'),(15,'reject_publication'),(16,'reject_mass'),(17,'reject_confirm'),
 (18,'other_no_correction'),(19,'other_no_fee'),(20,'other')"
applicant="CASE WHEN i % 3 = 0 THEN 'person' ELSE (CASE (i / 3) % 6 WHEN 0 THEN 'person' WHEN 1 THEN 'company'
 WHEN 2 THEN 'research' WHEN 3 THEN 'nonprofit' WHEN 4 THEN 'legal' ELSE 'other_org' END) END"
# received: day (i * 7919) % 365 of the year, one in forty 20 days earlier (some carried in from last
# December); replied 0-44 days later (some carried into next year); one in twenty still open
sqlite_gen="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N),
 codes(k, code) AS ($codes), d AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM departments),
 nd AS (SELECT COUNT(*) AS c FROM departments),
 g AS (SELECT i, date('$YEAR-01-01', ((i * 7919) % 365 - CASE WHEN i % 40 = 0 THEN 20 ELSE 0 END) || ' days') AS rec,
   CASE WHEN i % 20 = 0 THEN NULL ELSE (i * 31) % 45 END AS lag FROM n)
 INSERT INTO disclosure_requests(request_no, dept_id, channel, applicant_type, applicant_name, applicant_no,
  content, received_date, state, clock_start, due_date, result, reply_date, created_at, updated_at)
 SELECT 'BENCH' || g.i, d.id, 'online', $applicant, '申请人', 'X', '内容', g.rec,
  CASE WHEN g.lag IS NULL THEN 'processing' ELSE 'replied' END, g.rec, date(g.rec, '+28 days'),
  CASE WHEN g.lag IS NULL THEN NULL ELSE codes.code END,
  CASE WHEN g.lag IS NULL THEN NULL ELSE date(g.rec, '+' || g.lag || ' days') END, 0, 0
 FROM g, nd JOIN d ON d.k = g.i % nd.c JOIN codes ON codes.k = g.i % 21;"
pg_gen="WITH codes(k, code) AS ($codes), d AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM departments),
 nd AS (SELECT COUNT(*) AS c FROM departments),
 g AS (SELECT i, DATE '$YEAR-01-01' + (i * 7919) % 365 - CASE WHEN i % 40 = 0 THEN 20 ELSE 0 END AS rec,
   CASE WHEN i % 20 = 0 THEN NULL ELSE (i * 31) % 45 END AS lag FROM generate_series(1, $N) AS i)
 INSERT INTO disclosure_requests(request_no, dept_id, channel, applicant_type, applicant_name, applicant_no,
  content, received_date, state, clock_start, due_date, result, reply_date, created_at, updated_at)
 SELECT 'BENCH' || g.i, d.id, 'online', $applicant, '申请人', 'X', '内容', to_char(g.rec, 'YYYY-MM-DD'),
  CASE WHEN g.lag IS NULL THEN 'processing' ELSE 'replied' END, to_char(g.rec, 'YYYY-MM-DD'),
  to_char(g.rec + 28, 'YYYY-MM-DD'), CASE WHEN g.lag IS NULL THEN NULL ELSE codes.code END,
  CASE WHEN g.lag IS NULL THEN NULL ELSE to_char(g.rec + g.lag, 'YYYY-MM-DD') END, 0, 0
 FROM g CROSS JOIN nd JOIN d ON d.k = g.i % nd.c JOIN codes ON codes.k = g.i % 21;"
remedies="INSERT INTO disclosure_remedies(request_id, stage, result, filed_date, decided_date, created_at)
 SELECT id, CASE id % 3 WHEN 0 THEN 'reconsideration' WHEN 1 THEN 'suit_direct' ELSE 'suit_after' END,
  CASE id % 4 WHEN 0 THEN 'upheld' WHEN 1 THEN 'corrected' WHEN 2 THEN 'other' ELSE 'pending' END,
  reply_date, NULL, 0 FROM disclosure_requests WHERE reply_date IS NOT NULL AND id % 200 = 0;"

base="http://127.0.0.1:$PORT"
start() {
	"$BIN" --db "$1" serve --port $PORT --quiet >/dev/null 2>&1 &
	spid=$!
	for _ in $(seq 1 400); do curl -sf "$base/api/v1/health" >/dev/null && break; sleep 0.025; done
	for u in center_admin gongkai01; do
		curl -sf -c "$OUT/disclosure.$u.cookies" -H 'Content-Type: application/json' \
			-d "{\"username\":\"$u\",\"password\":\"yiwang2026\"}" "$base/api/v1/auth/login" >/dev/null
	done
}
stop() { kill "$spid"; wait "$spid" 2>/dev/null || true; spid=; }
ms() { curl -s -o /dev/null -b "$OUT/disclosure.$1.cookies" -w '%{http_code} %{time_total}\n' "$base$2" |
	awk '$1 != 200 {print "HTTP " $1 > "/dev/stderr"; exit 1} {printf "%.1f\n", $2 * 1000}'; }
warm() {
	for _ in $(seq 1 "$RUNS"); do ms "$1" "$2"; done | sort -n |
		awk '{v[NR] = $1} END {printf "%s | %s", v[int((NR + 1) / 2)], v[NR]}'
}

run() { # engine db
	start "$2"
	local rows=(
		"whole government (centre)|center_admin|/api/v1/disclosure/report?year=$YEAR"
		"one organ (its officer)|gongkai01|/api/v1/disclosure/report?year=$YEAR"
		"XLSX, whole government|center_admin|/api/v1/disclosure/report?year=$YEAR&format=xlsx"
	)
	for r in "${rows[@]}"; do
		IFS='|' read -r name user path <<<"$r"
		cold=$(ms "$user" "$path")
		echo "| $1 | $name | $cold | $(warm "$user" "$path") |"
	done
	stop
}

echo "| engine | report | cold ms | warm median ms | warm max ms |"
echo "|---|---|---|---|---|"
db="$OUT/disclosure-$N.db"
rm -f "$db" "$db"-wal "$db"-shm
"$BIN" --db "$db" demo --no-history >/dev/null
sqlite3 "$db" "$sqlite_gen $remedies"
run SQLite "$db"
if [ -n "${PG_URL:-}" ]; then
	"$BIN" --db "$PG_URL" demo --no-history >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d "$PG_URL" -c "$pg_gen" -c "$remedies" >/dev/null
	run PostgreSQL "$PG_URL"
fi
echo
echo "$N requests over $(sqlite3 "$db" 'SELECT COUNT(*) FROM departments') organs; $(sqlite3 "$db" \
	"SELECT COUNT(*) FROM disclosure_requests WHERE received_date BETWEEN '$YEAR-01-01' AND '$YEAR-12-31'") received in $YEAR;" \
	"$(sqlite3 "$db" 'SELECT COUNT(*) FROM disclosure_remedies') remedies."
