#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on the source tree (run by `make test`):
#   1. sqlite3_* only in the SQLite driver, PQ* only in the PostgreSQL driver;
#   2. platform/ includes no domain module;
#   3. SQL runs only in a module's store (X_store.c), its demo builder (X_demo.c) and the
#      storage layer (platform/db*.c), never in a handler or a rule file;
#   4. case states are named in SQL and in web/, never bare numbers;
#   5. a store writes only its module's tables and reads another's only through a read model.
# Prints each violation and exits 1 if there is any.
set -uo pipefail
cd "$(dirname "$0")/../.."
fail=0
violation() { echo "layering: $1"; fail=1; }

while IFS= read -r f; do violation "sqlite3 API outside the SQLite driver: $f"; done < <(
	grep -rlE 'sqlite3_[a-z0-9_]+\(|<sqlite3\.h>' src | grep -v '^src/platform/db_sqlite\.c$')
while IFS= read -r f; do violation "libpq API outside the PostgreSQL driver: $f"; done < <(
	grep -rlE '\bPQ[a-z]+\(|<libpq-fe\.h>' src | grep -v '^src/platform/db_pg\.c$')
while IFS= read -r l; do violation "platform/ includes a domain module: $l"; done < <(
	grep -rnE '#include "(cases|catalog|files|hall|org|reviews|supervision|stats|hotline|disclosure)/' src/platform)
# SQL runs only in the stores (issue 10: the debt list of files that still did is paid off).
while IFS= read -r l; do violation "SQL outside a store: $l"; done < <(
	grep -rnE '\bdb_(prepare|prepare_uncached|exec|begin|query_int)\(' src --include=*.c |
		grep -vE '^src/[a-z]+/[a-z_]+_(store|demo)\.c:|^src/platform/db[a-z_]*\.c:')
while IFS= read -r f; do violation "platform/db.h included outside a store: $f"; done < <(
	grep -rlE '#include "platform/db\.h"' src --include=*.c |
		grep -vE '^src/[a-z]+/[a-z_]+_(store|demo)\.c$|^src/platform/(db[a-z_]*|events|http|config)\.c$|^src/main\.c$')

# 5. Modules own their data (docs/architecture.md, "Who owns which tables"): the SQL of a store or
#    demo file of module X writes only X's tables and reads another module's only where a read
#    model below allows it. The SQL is every string literal of the file joined (statements are
#    literals concatenated over lines, each followed by a space); a table is named after FROM, JOIN,
#    INTO or UPDATE.
declare -A owner=()
own() { local m=$1; shift; for t in "$@"; do owner[$t]=$m; done; }
own platform meta login_failures sessions api_tokens known_devices audit calendar_years calendar_days schema_version
own org regions departments halls windows users
own catalog items item_versions
own cases cases case_events case_serials case_steps case_parallel bundles bundle_items
own files files uploads profiles
own supervision cards supervision_orders
own reviews reviews
own stats stats_changes
own hall hall_queues hall_windows hall_tickets hall_appointments hall_devices hall_device_codes hall_device_seen
own disclosure disclosure_reports disclosure_categories disclosure_organs disclosure_serials disclosure_documents disclosure_doc_versions \
	disclosure_doc_files disclosure_requests disclosure_request_events disclosure_corrections \
	disclosure_consultations disclosure_fees disclosure_remedies disclosure_figures disclosure_gov_reports disclosure_guides
own hotline hotline_stats_changes hotline_matters hotline_serials hotline_orders hotline_order_units hotline_steps hotline_returns \
	hotline_extensions hotline_callbacks hotline_consultations hotline_attachments hotline_clients hotline_call_events \
	hotline_history hotline_kb_articles hotline_kb_versions hotline_kb_uses
# Read models (docs/architecture.md, "Read models"): file pattern, then the foreign tables it reads.
org_names='regions departments halls windows users'
read_models=(
	"src/[a-z]+/[a-z_]+_demo\.c:* demo builders pick accounts, items and cards"
	"src/platform/audit_store\.c:* the audit snapshots and verifies every audited row"
	"src/platform/auth_store\.c:users"
	"src/cases/cases_[a-z_]*store\.c:$org_names items item_versions"
	"src/catalog/catalog_store\.c:$org_names"
	"src/org/org_store\.c:items item_versions"
	"src/files/files_store\.c:$org_names"
	"src/hall/hall_[a-z_]*store\.c:$org_names"
	"src/reviews/reviews_store\.c:$org_names items item_versions cases case_events"
	"src/supervision/supervision_[a-z_]*store\.c:$org_names items item_versions cases case_steps case_events case_parallel disclosure_requests"
	"src/stats/stats_store\.c:$org_names items item_versions cases reviews cards"
	"src/disclosure/disclosure_[a-z_]*store\.c:$org_names files uploads"
	"src/hotline/hotline_[a-z_]*store\.c:$org_names files uploads"
)
# (C character constants such as '"' are dropped first, so that they do not pair with a quote)
sql_of() { tr '\n' ' ' <"$1" | sed -E "s/'([^'\\\\]|\\\\.)'//g" | grep -oE '"([^"\\]|\\.)*"' | sed -E 's/^"//; s/"$/ /' | tr -d '\n'; }
for f in $(ls src/*/*_store.c src/*/*_demo.c 2>/dev/null); do
	mod=${f#src/}
	mod=${mod%%/*}
	allowed=' '
	for rm in "${read_models[@]}"; do
		[[ $f =~ ^${rm%%:*}$ ]] && allowed+="${rm#*:} "
	done
	sql=$(sql_of "$f")
	while read -r verb t; do
		o=${owner[$t]:-}
		[ -z "$o" ] || [ "$o" = "$mod" ] || violation "$f writes $o's table $t (${verb/_/ })"
	done < <(grep -oE '\b(INSERT +INTO|UPDATE|DELETE +FROM) +[a-z_]+' <<<"$sql" | sed -E 's/ +([a-z_]+)$/\t\1/; s/ +/_/' | tr '\t' ' ' | sort -u)
	while read -r t; do
		o=${owner[$t]:-}
		[ -z "$o" ] || [ "$o" = "$mod" ] || [[ $allowed == *" * "* || $allowed == *" $t "* ]] ||
			violation "$f reads $o's table $t outside a read model"
	done < <(grep -oE '\b(FROM|JOIN) +[a-z_]+' <<<"$sql" | awk '{print $2}' | sort -u)
done

while IFS= read -r l; do violation "bare case state in SQL: $l"; done < <(
	grep -rnE "state (IN \(|= |<> )[0-9]" src --include=*.c | grep -v '^src/platform/migrations')
while IFS= read -r l; do violation "bare case state in web/: $l"; done < <(
	grep -rnE 'state (===|!==|==|!=) [0-9]|\[[0-9]+(, *[0-9]+)+\]\.includes\([^)]*state' web/app --include=*.js)
exit $fail
