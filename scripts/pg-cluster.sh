#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests (docs/operations.md, "PostgreSQL").
#   scripts/pg-cluster.sh start DIR   creates a cluster in DIR (which must not exist or be empty),
#                                     listening on 127.0.0.1 on a free port with its socket in DIR,
#                                     creates database yiwang and prints its URL on stdout:
#                                     postgresql://USER@127.0.0.1:PORT/yiwang
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR.
# Local connections are trusted (no password): it is for tests on this machine only. Encoding
# UTF8 and collation C, so text sorts byte by byte as on SQLite. Run as root, the cluster belongs
# to the postgres system user (the server refuses to run as root).
set -euo pipefail

usage() {
	echo "usage: $0 start|stop DIR" >&2
	exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

bindir=/usr/lib/postgresql/15/bin
if [ ! -x "$bindir/initdb" ]; then
	bindir=$(pg_config --bindir 2>/dev/null || true)
	if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
		echo "pg-cluster: PostgreSQL server binaries not found (install postgresql)" >&2
		exit 1
	fi
fi

if [ "$(id -u)" -eq 0 ]; then
	owner=postgres
	as_owner() { runuser -u postgres -- "$@"; }
else
	owner=$(id -un)
	as_owner() { "$@"; }
fi

case "$cmd" in
start)
	if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
		echo "pg-cluster: $dir exists and is not empty" >&2
		exit 1
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$owner" = postgres ]; then
		chown postgres: "$dir"
		if ! as_owner test -w "$dir"; then
			echo "pg-cluster: user postgres cannot reach $dir (choose a directory under /tmp)" >&2
			exit 1
		fi
	fi
	# the server's files are not synced by initdb (a throwaway cluster); the server runs with fsync on
	as_owner "$bindir/initdb" -D "$dir/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C \
		--no-sync >"$dir/initdb.log" 2>&1 || {
		echo "pg-cluster: initdb failed:" >&2
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# a free port: not accepting connections now; the server's own bind decides, so retry
	started=""
	for _ in $(seq 1 20); do
		port=$((20000 + RANDOM % 40000))
		if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			continue
		fi
		if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200" \
			start >/dev/null 2>&1; then
			started=1
			break
		fi
	done
	if [ -z "$started" ]; then
		echo "pg-cluster: the server did not start; see $dir/server.log" >&2
		exit 1
	fi
	as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$owner" yiwang
	echo "postgresql://$owner@127.0.0.1:$port/yiwang"
	;;
stop)
	if [ -d "$dir/data" ]; then
		as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	usage
	;;
esac
