#!/usr/bin/env bash
# Everything `make test` runs: the layering rules, unit tests, API tests against a real server (on SQLite, then on
# PostgreSQL in a throwaway local cluster), browser tests in headless Chromium, the fuzz targets,
# and the unit and API tests again under ASan + UBSan.
# Ends with one line "N passed, N failed" counting the suites.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()

suite() {
	local name=$1
	shift
	echo "=== $name"
	local t0=$SECONDS
	if "$@"; then
		passed=$((passed + 1))
		echo "=== $name: ok ($((SECONDS - t0)) s)"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "=== $name: FAILED ($((SECONDS - t0)) s)"
	fi
}

unit() { ctest --test-dir "$1" --output-on-failure; }
api() { YW_BIN="$1" node --test --test-concurrency=2 tests/api/; }

# The storage tests and the API suite on PostgreSQL: a cluster from scripts/pg-cluster.sh in a
# temporary folder, stopped and removed afterwards, also when the run fails or is interrupted.
pg_dir=""
pg_cleanup() {
	[ -n "$pg_dir" ] && scripts/pg-cluster.sh stop "$pg_dir"
	pg_dir=""
}
trap pg_cleanup EXIT
trap 'pg_cleanup; exit 130' INT TERM
pg_api() {
	local url rc
	pg_dir=$(mktemp -d -u /tmp/yw-pg-test-XXXXXX)
	url=$(scripts/pg-cluster.sh start "$pg_dir") || { pg_cleanup; return 1; }
	echo "--- PostgreSQL cluster $url"
	YW_TEST_PG_URL="$url" ./build/test_db && YW_TEST_PG_URL="$url" api "$PWD/build/yiwang"
	rc=$?
	pg_cleanup
	return $rc
}
e2e() { node --test --test-concurrency=1 tests/e2e/; }

fuzz() {
	CC=clang cmake -S . -B build-fuzz -DYW_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
		cmake --build build-fuzz -j2 >/dev/null || return 1
	local ok=0
	for f in build-fuzz/fuzz_*; do
		[ -x "$f" ] || continue
		local name corpus log
		name=$(basename "$f")
		corpus="tests/fuzz/corpus/$name"
		log="build-fuzz/$name.log"
		mkdir -p "build-fuzz/corpus-$name"
		if "$f" -max_total_time="${YW_FUZZ_SECONDS:-30}" -print_final_stats=1 -artifact_prefix=build-fuzz/ \
			"build-fuzz/corpus-$name" $([ -d "$corpus" ] && echo "$corpus") >"$log" 2>&1; then
			echo "--- $name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log")"
		else
			echo "--- $name: FAILED (input saved under build-fuzz/)"
			grep -v '^#' "$log" | tail -40
			ok=1
		fi
	done
	return $ok
}

asan() {
	cmake -S . -B build-asan -DYW_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null &&
		cmake --build build-asan -j2 >/dev/null || return 1
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	unit build-asan && api "$PWD/build-asan/yiwang"
}

suite "layering (docs/architecture.md)" bash tests/lint/layering.sh
suite "unit tests" unit build
suite "API tests" api "$PWD/build/yiwang"
suite "API tests on PostgreSQL" pg_api
suite "browser tests" e2e
suite "fuzz targets" fuzz
suite "sanitizer build (ASan + UBSan): unit and API tests" asan

echo
[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
