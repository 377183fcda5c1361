/* TRANSITION ONLY: see db_legacy.h. */
#include "platform/db_legacy.h"

#include <stdint.h>
#include <stdlib.h>

#include "platform/arena.h"
#include "platform/db_driver.h"
#include "platform/log.h"

#define CACHE 256

typedef struct {
	const char *keys[CACHE];
	sqlite3_stmt *stmts[CACHE];
} legacy_t;

sqlite3 *dbl_handle(db_t *db)
{
	if (db_engine(db) != DB_SQLITE) {
		log_error("db: a module not yet moved to db.h ran on PostgreSQL");
		abort();
	}
	return db_conn(db);
}

void db_legacy_free(void *slot)
{
	legacy_t *l = slot;
	if (!l)
		return;
	for (int i = 0; i < CACHE; i++)
		sqlite3_finalize(l->stmts[i]);
	free(l);
}

sqlite3_stmt *dbl_prepare(db_t *db, const char *sql)
{
	void **slot = db_legacy_slot(db);
	if (!*slot)
		*slot = xcalloc(1, sizeof(legacy_t));
	legacy_t *l = *slot;
	size_t h = ((uintptr_t)sql >> 3) % CACHE;
	for (size_t i = 0; i < CACHE; i++) {
		size_t k = (h + i) % CACHE;
		if (l->keys[k] == sql) {
			sqlite3_reset(l->stmts[k]);
			sqlite3_clear_bindings(l->stmts[k]);
			return l->stmts[k];
		}
		if (!l->keys[k]) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v3(dbl_handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
				log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(dbl_handle(db)), sql);
				abort();
			}
			l->keys[k] = sql;
			l->stmts[k] = st;
			return st;
		}
	}
	log_error("db: statement cache full");
	abort();
}

void dbl_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void dbl_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

const char *dbl_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}
