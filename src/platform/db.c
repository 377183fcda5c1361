/* See db.h. */
#include "platform/db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/arena.h"
#include "platform/err.h"
#include "platform/log.h"

extern const char *const yw_migrations[];
extern const int yw_migration_count;

#define STMT_CACHE 256 /* open addressing on the SQL pointer; ample for our statement count */

struct db {
	sqlite3 *h;
	bool group; /* inside the writer's group transaction: begin/commit/rollback are savepoints */
	int depth;  /* open savepoints of db_begin within the group */
	const char *keys[STMT_CACHE];
	sqlite3_stmt *stmts[STMT_CACHE];
};

static char *default_path;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static void thread_db_free(void *p)
{
	db_close(p);
}

static void thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_db_free);
}

sqlite3 *db_handle(db_t *db)
{
	return db->h;
}

static int configure(db_t *db)
{
	sqlite3_busy_timeout(db->h, 10000);
	static const char *const pragmas = "PRAGMA journal_mode=WAL;"
					   "PRAGMA synchronous=FULL;"
					   "PRAGMA foreign_keys=ON;"
					   "PRAGMA temp_store=MEMORY;"
					   "PRAGMA cache_size=-16000;";
	char *err = NULL;
	if (sqlite3_exec(db->h, pragmas, NULL, NULL, &err) != SQLITE_OK) {
		log_error("db: %s", err ? err : "pragma failed");
		sqlite3_free(err);
		return YW_EDB;
	}
	return 0;
}

/* Process-wide SQLite settings, before the first connection: every connection belongs to one
 * thread (SQLITE_OPEN_NOMUTEX), and memory statistics, which would take a global mutex on every
 * allocation of every thread, are off. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

static int open_common(const char *path, int flags, db_t **out)
{
	pthread_once(&sqlite_once, sqlite_setup);
	db_t *db = xcalloc(1, sizeof *db);
	if (sqlite3_open_v2(path, &db->h, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_error("db: cannot open %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return YW_EDB;
	}
	sqlite3_extended_result_codes(db->h, 1);
	if (configure(db) != 0) {
		db_close(db);
		return YW_EDB;
	}
	*out = db;
	return 0;
}

static int migrate(db_t *db)
{
	int64_t have = 0;
	sqlite3_stmt *st = db_prepare(db, "PRAGMA user_version");
	if (sqlite3_step(st) == SQLITE_ROW)
		have = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (have > yw_migration_count) {
		log_error("db: database schema %lld is newer than this program (%d)", (long long)have,
			  yw_migration_count);
		return YW_EDB;
	}
	for (int v = (int)have; v < yw_migration_count; v++) {
		if (db_begin(db) != 0)
			return YW_EDB;
		/* A second process may have migrated between our check and our lock. */
		int64_t now = 0;
		st = db_prepare(db, "PRAGMA user_version");
		if (sqlite3_step(st) == SQLITE_ROW)
			now = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (now > v) {
			db_rollback(db);
			continue;
		}
		char pragma[48];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d", v + 1);
		if (db_exec(db, yw_migrations[v]) != 0 || db_exec(db, pragma) != 0) {
			db_rollback(db);
			log_error("db: migration %d failed", v + 1);
			return YW_EDB;
		}
		if (db_commit(db) != 0)
			return YW_EDB;
	}
	return 0;
}

int db_open(const char *path, db_t **out)
{
	db_t *db;
	int rc = open_common(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db);
	if (rc)
		return rc;
	if ((rc = migrate(db)) != 0) {
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

int db_open_existing(const char *path, db_t **out)
{
	return open_common(path, SQLITE_OPEN_READWRITE, out);
}

void db_close(db_t *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(db->stmts[i]);
	sqlite3_close(db->h);
	free(db);
}

void db_set_default_path(const char *path)
{
	pthread_once(&thread_once, thread_key_init);
	free(default_path);
	default_path = xstrdup(path);
}

const char *db_default_path(void)
{
	return default_path;
}

db_t *db_thread(void)
{
	pthread_once(&thread_once, thread_key_init);
	db_t *db = pthread_getspecific(thread_key);
	if (!db) {
		if (!default_path || open_common(default_path, SQLITE_OPEN_READWRITE, &db) != 0) {
			log_error("db: no database for worker thread");
			abort();
		}
		pthread_setspecific(thread_key, db);
	}
	return db;
}

static void check_param_names(sqlite3_stmt *st, const char *sql)
{
	int n = sqlite3_bind_parameter_count(st);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		char want[16];
		snprintf(want, sizeof want, "$%d", i);
		if (!name || strcmp(name, want) != 0) {
			log_error("db: parameters must be $1..$n in order of first use: %s", sql);
			abort();
		}
	}
}

sqlite3_stmt *db_prepare(db_t *db, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;
	for (size_t i = 0; i < STMT_CACHE; i++) {
		size_t k = (h + i) % STMT_CACHE;
		if (db->keys[k] == sql) {
			sqlite3_reset(db->stmts[k]);
			sqlite3_clear_bindings(db->stmts[k]);
			return db->stmts[k];
		}
		if (!db->keys[k]) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
				log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(db->h), sql);
				abort();
			}
			check_param_names(st, sql);
			db->keys[k] = sql;
			db->stmts[k] = st;
			return st;
		}
	}
	log_error("db: statement cache full");
	abort();
}

int db_exec(db_t *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("db: %s", err ? err : sqlite3_errmsg(db->h));
		sqlite3_free(err);
		return YW_EDB;
	}
	return 0;
}

int db_begin(db_t *db)
{
	if (db->group) {
		if (db_exec(db, "SAVEPOINT tx") != 0)
			return YW_EDB;
		db->depth++;
		return 0;
	}
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_commit(db_t *db)
{
	if (db->group) {
		if (db->depth > 0) {
			db->depth--;
			return db_exec(db, "RELEASE tx");
		}
		return 0;
	}
	if (db_exec(db, "COMMIT") != 0) {
		db_rollback(db);
		return YW_EDB;
	}
	return 0;
}

void db_rollback(db_t *db)
{
	if (db->group) {
		/* undo this job's own savepoint; the group itself is the writer's to end */
		if (db->depth > 0) {
			db->depth--;
			sqlite3_exec(db->h, "ROLLBACK TO tx; RELEASE tx", NULL, NULL, NULL);
		}
		return;
	}
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

int db_group_begin(db_t *db)
{
	if (db_exec(db, "BEGIN IMMEDIATE") != 0)
		return YW_EDB;
	db->group = true;
	db->depth = 0;
	return 0;
}

int db_group_job_begin(db_t *db)
{
	return db_exec(db, "SAVEPOINT job") == 0 ? 0 : YW_EDB;
}

int db_group_job_end(db_t *db, int status)
{
	if (db->depth) {
		/* the job left a savepoint of its own open: a programming error; undo all of it */
		log_error("db: a job left %d savepoint(s) open", db->depth);
		db->depth = 0;
		status = status ? status : YW_EDB;
	}
	if (status)
		sqlite3_exec(db->h, "ROLLBACK TO job", NULL, NULL, NULL);
	sqlite3_exec(db->h, "RELEASE job", NULL, NULL, NULL);
	return status;
}

int db_group_commit(db_t *db)
{
	db->group = false;
	if (db_exec(db, "COMMIT") != 0) {
		if (!sqlite3_get_autocommit(db->h))
			sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return YW_EDB;
	}
	return 0;
}

int db_query_int(db_t *db, const char *sql, const char *text_arg, int64_t *out)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	if (text_arg)
		db_bind_text(st, 1, text_arg);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int db_generation(db_t *db, const char *key, int64_t *out)
{
	int rc = db_query_int(db, "SELECT value FROM meta WHERE key = $1", key, out);
	if (rc == YW_ENOTFOUND) {
		*out = 0;
		return 0;
	}
	return rc;
}

int db_bump_generation(db_t *db, const char *key)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO meta(key, value) VALUES ($1, 1) "
					  "ON CONFLICT(key) DO UPDATE SET value = meta.value + 1");
	db_bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : YW_EDB;
}

int db_backup(db_t *db, const char *dest_path)
{
	sqlite3 *dest;
	int rc = YW_EIO;
	if (sqlite3_open(dest_path, &dest) != SQLITE_OK)
		goto done;
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", db->h, "main");
	if (!b)
		goto done;
	/* Copy in steps so writers are not shut out for the whole copy; restarts on change. */
	int step;
	while ((step = sqlite3_backup_step(b, 256)) == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED)
		sqlite3_sleep(5);
	sqlite3_backup_finish(b);
	rc = step == SQLITE_DONE ? 0 : YW_EDB;
done:
	if (rc)
		log_error("backup: %s", sqlite3_errmsg(dest));
	sqlite3_close(dest);
	return rc;
}

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void db_bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st, i, v);
}

const char *db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}
