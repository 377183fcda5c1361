/* A follower of a change log (docs/architecture.md, "Cases, clocks and supervision"): facts a module keeps in
 * memory, loaded once per process and then kept current from a log table that triggers fill with a
 * sequence number (seq) on every insert or update of the rows the facts come from. A reader asks for
 * the log's newest and oldest sequence numbers (two index lookups); only when the newest moved are
 * the changed rows read again. When the log was trimmed past the point this process had seen, or
 * the module asks for it, the facts are loaded afresh. The case statistics (stats_changes) and the
 * hotline statistics (hotline_stats_changes) follow their logs with it.
 *
 * On PostgreSQL, where several servers write at once, a sequence number is taken when a row is
 * written, not when it commits: a transaction may commit change 10 after a reader saw change 11.
 * So each refresh also keeps the transactions its snapshot saw in progress (pending), each with a
 * floor: its changes are numbered above it, since it had no transaction id yet at the refresh
 * before, when the numbers up to the floor were all visible or in progress elsewhere. When one of
 * them has ended since, the changes above its floor are read again (reading a row again is
 * harmless; a long span is a full load instead). Changes of any transaction that began after the
 * snapshot are numbered above every number it saw, and are read as new ones. (The log rows' xmin
 * cannot name their transaction: a change made inside a savepoint, as every job of the writer's
 * group is, carries the savepoint's id.)
 *
 * The module gives its statements (string literals: the statement cache keys on their address) and
 * its callbacks; this file runs them and knows no module. */
#ifndef YW_CHANGELOG_H
#define YW_CHANGELOG_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "platform/db.h"

#define CHANGELOG_PENDING_MAX 1024

typedef struct changelog_ops {
	/* by engine ([DB_SQLITE], [DB_POSTGRES]): the log's newest seq, oldest seq (0 when empty) and, on
	 * PostgreSQL, CAST(pg_current_snapshot() AS TEXT) ('' on SQLite), in one row */
	const char *head_sql[DB_POSTGRES + 1];
	/* the changes to read again: rows with seq > :from AND seq <= :newest */
	const char *changes_sql;
	/* newest seq − oldest seq, and the trim: DELETE the rows with seq <= max(seq) − :keep */
	const char *spread_sql, *trim_sql;
	/* changes kept for processes that fall behind; changes already applied that a refresh reads
	 * again rather than loading everything afresh */
	int64_t keep, reread_max;
	/* Brings the facts up to date (the write lock held, inside the read snapshot): full, empty them
	 * and load everything (changes is NULL); otherwise apply each row of changes (bound, not yet
	 * stepped). want_full (may be NULL) asks for a full load for the module's own reasons: from is
	 * the change read from, newest the last. */
	int (*refresh)(db_t *db, void *arg, bool full, db_stmt_t *changes);
	bool (*want_full)(void *arg, int64_t from, int64_t newest);
	/* Empties the facts (after a failed refresh: loaded afresh next time). */
	void (*clear)(void *arg);
} changelog_ops_t;

typedef struct changelog {
	const changelog_ops_t *ops;
	pthread_rwlock_t lock;
	int64_t seen; /* last change applied; -1 before the first load */
	struct {
		int64_t xid, floor;
	} pending[CHANGELOG_PENDING_MAX];
	int npending;
} changelog_t;

/* The statements of a log table with a seq column (head_sql, spread_sql and trim_sql above), for an
 * ops initialiser: `CHANGELOG_LOG_SQL("stats_changes"), .changes_sql = ...`. Each is one string literal. */
#define CHANGELOG_LOG_SQL(table)                                                                          \
	.head_sql = {[DB_SQLITE] = "SELECT COALESCE((SELECT max(seq) FROM " table "), 0),"                  \
				   " COALESCE((SELECT min(seq) FROM " table "), 0), ''",                     \
		     [DB_POSTGRES] = "SELECT COALESCE((SELECT max(seq) FROM " table "), 0),"                \
				     " COALESCE((SELECT min(seq) FROM " table "), 0),"                       \
				     " CAST(pg_current_snapshot() AS TEXT)"},                                 \
	.spread_sql = "SELECT COALESCE((SELECT max(seq) FROM " table "), 0) - "                             \
		      "COALESCE((SELECT min(seq) FROM " table "), 0)",                                         \
	.trim_sql = "DELETE FROM " table " WHERE seq <= (SELECT max(seq) FROM " table ") - :keep"

#define CHANGELOG_INIT(ops_) {.ops = (ops_), .lock = PTHREAD_RWLOCK_INITIALIZER, .seen = -1}

/* Brings the facts up to the log's newest change in one read snapshot of db (its own transaction:
 * not inside another) and returns with the follower's read lock held: the facts stay as they are
 * until changelog_release. arg goes to the callbacks. 0 or an error (no lock held then). */
int changelog_acquire(changelog_t *cl, db_t *db, void *arg);
void changelog_release(changelog_t *cl);

/* The background job's part: brings the facts up to date, then trims the log when it holds more
 * than keep + 10% changes (through the group-commit writer on a reader thread, directly otherwise). */
int changelog_tick(changelog_t *cl, db_t *db, void *arg);

#endif
