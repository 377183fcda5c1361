/* See db.h. The engine-neutral half: choosing the driver from the URL, one connection per thread,
 * the statement cache, binding by name, the transaction and savepoint discipline of the group
 * writer, migrations and the small conveniences. Everything engine-specific is in the driver. */
#include "platform/db.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform/arena.h"
#include "platform/db_driver.h"
#include "platform/err.h"
#include "platform/log.h"

#define STMT_CACHE 512 /* open addressing on the SQL pointer; ample for our statement count */

struct db {
	const db_driver_t *drv;
	void *conn;
	bool group; /* inside the writer's group transaction: begin/commit/rollback are savepoints */
	int depth;  /* open savepoints of db_begin within the group */
	uint64_t epoch; /* db_group_epoch: bumped at the group's start and end and at every rollback */
	bool bumped;    /* db_bump_generation ran in the open transaction */
	bool reader; /* made read-only by db_thread_reader() */
	char *log_path; /* db_defer_sync: the log db_log_sync syncs, through log_fd */
	int log_fd;
	const char *keys[STMT_CACHE];
	db_stmt_t *stmts[STMT_CACHE];
};

static char *default_url;
static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;

static __thread bool t_reader; /* db_thread_reader() */

static void thread_db_free(void *p)
{
	db_close(p);
}

static void thread_key_init(void)
{
	pthread_key_create(&thread_key, thread_db_free);
}

/* ---- choosing the engine ---- */

db_engine_t db_url_engine(const char *url)
{
	if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11))
		return DB_POSTGRES;
	return DB_SQLITE;
}

/* The driver for url and the target it is given: the URL itself for PostgreSQL, the path
 * without "sqlite:" for SQLite. */
static const db_driver_t *driver_for(const char *url, const char **target)
{
	if (db_url_engine(url) == DB_POSTGRES) {
		*target = url;
		return &db_pg_driver;
	}
	*target = !strncmp(url, "sqlite:", 7) ? url + 7 : url;
	return &db_sqlite_driver;
}

db_engine_t db_engine(const db_t *db)
{
	return db->drv->engine;
}

/* ---- connections and migrations ---- */

static int open_common(const char *url, bool create, db_t **out)
{
	const char *target;
	const db_driver_t *drv = driver_for(url, &target);
	if (!drv) {
		log_error("db: this build has no %s driver", "PostgreSQL");
		return YW_EDB;
	}
	db_t *db = xcalloc(1, sizeof *db);
	db->drv = drv;
	if (drv->open(target, create, &db->conn) != 0) {
		free(db);
		return YW_EDB;
	}
	*out = db;
	return 0;
}

static int migrate(db_t *db)
{
	const db_driver_t *d = db->drv;
	for (;;) {
		if (db_begin(db) != 0)
			return YW_EDB;
		/* Read inside the transaction: another process may have migrated since we looked. */
		int64_t have = 0;
		if (d->schema_version(db->conn, &have) != 0)
			goto fail;
		if (have > *d->migration_count) {
			log_error("db: database schema %lld is newer than this program (%d)", (long long)have,
				  *d->migration_count);
			goto fail;
		}
		if (have == *d->migration_count) {
			/* the engine's own tuning of what the migrations made (db_driver.h) */
			bool changed = false;
			if (d->tune_schema && d->tune_schema(db->conn, &changed) == 0 && changed)
				return db_commit(db);
			db_rollback(db);
			return 0;
		}
		if (db_exec(db, d->migrations[have]) != 0 || d->set_schema_version(db->conn, have + 1) != 0) {
			log_error("db: migration %lld failed", (long long)have + 1);
			goto fail;
		}
		if (db_commit(db) != 0)
			return YW_EDB;
	}
fail:
	db_rollback(db);
	return YW_EDB;
}

int db_open(const char *url, db_t **out)
{
	db_t *db;
	int rc = open_common(url, true, &db);
	if (rc)
		return rc;
	if ((rc = migrate(db)) != 0) {
		db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

int db_open_existing(const char *url, db_t **out)
{
	return open_common(url, false, out);
}

void db_close(db_t *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT_CACHE; i++)
		if (db->stmts[i])
			db->drv->finalize(db->stmts[i]);
	db->drv->close(db->conn);
	if (db->log_path)
		close(db->log_fd);
	free(db->log_path);
	free(db);
}

void db_set_default_url(const char *url)
{
	pthread_once(&thread_once, thread_key_init);
	free(default_url);
	default_url = xstrdup(url);
}

const char *db_default_url(void)
{
	return default_url;
}

/* The connection refuses writes from now on (db_thread_reader). */
static void reader_mode(db_t *db)
{
	if (db->reader)
		return;
	db->reader = true;
	if (db->drv->read_only(db->conn) != 0) {
		log_error("db: cannot make a reader thread's connection read-only");
		abort();
	}
}

db_t *db_thread(void)
{
	pthread_once(&thread_once, thread_key_init);
	db_t *db = pthread_getspecific(thread_key);
	if (!db) {
		if (!default_url || open_common(default_url, false, &db) != 0) {
			log_error("db: no database for worker thread");
			abort();
		}
		pthread_setspecific(thread_key, db);
		if (t_reader)
			reader_mode(db);
	}
	return db;
}

void db_thread_reader(void)
{
	if (t_reader)
		return;
	t_reader = true;
	db_thread(); /* opened now, read-only; or already open: made read-only here */
	reader_mode(pthread_getspecific(thread_key));
}

bool db_thread_is_reader(void)
{
	return t_reader;
}

/* ---- statements ---- */

int db_stmt_add_name(db_stmt_t *st, const char *name, size_t len)
{
	for (int i = 0; i < st->nparams; i++)
		if (strlen(st->names[i]) == len && !memcmp(st->names[i], name, len))
			return i;
	st->names = xrealloc(st->names, (size_t)(st->nparams + 1) * sizeof *st->names);
	char *copy = xmalloc(len + 1);
	memcpy(copy, name, len);
	copy[len] = 0;
	st->names[st->nparams] = copy;
	return st->nparams++;
}

void db_stmt_free_names(db_stmt_t *st)
{
	for (int i = 0; i < st->nparams; i++)
		free(st->names[i]);
	free(st->names);
	st->names = NULL;
	st->nparams = 0;
}

db_stmt_t *db_prepare(db_t *db, const char *sql)
{
	size_t h = ((uintptr_t)sql >> 3) % STMT_CACHE;
	for (size_t i = 0; i < STMT_CACHE; i++) {
		size_t k = (h + i) % STMT_CACHE;
		if (db->keys[k] == sql) {
			db->drv->clear(db->stmts[k]);
			return db->stmts[k];
		}
		if (!db->keys[k]) {
			db_stmt_t *st = db->drv->prepare(db, db->conn, sql);
			if (!st)
				abort(); /* logged by the driver: SQL that does not compile is a programming error */
			db->keys[k] = sql;
			db->stmts[k] = st;
			return st;
		}
	}
	log_error("db: statement cache full");
	abort();
}

db_stmt_t *db_prepare_uncached(db_t *db, const char *sql)
{
	return db->drv->prepare(db, db->conn, sql);
}

void db_finalize(db_stmt_t *st)
{
	if (st)
		st->db->drv->finalize(st);
}

static int param_index(db_stmt_t *st, const char *name)
{
	/* parameters are mostly bound in the order they appear: look after the last one first */
	for (int k = 0, i = st->next_param; k < st->nparams; k++, i = i + 1 < st->nparams ? i + 1 : 0)
		if (!strcmp(st->names[i], name)) {
			st->next_param = i + 1 < st->nparams ? i + 1 : 0;
			return i;
		}
	log_error("db: no parameter :%s in: %s", name, st->sql);
	abort();
}

void db_bind_int(db_stmt_t *st, const char *name, int64_t v)
{
	st->db->drv->bind_int(st, param_index(st, name), v);
}

void db_bind_double(db_stmt_t *st, const char *name, double v)
{
	st->db->drv->bind_double(st, param_index(st, name), v);
}

void db_bind_text(db_stmt_t *st, const char *name, const char *s)
{
	int i = param_index(st, name);
	if (s)
		st->db->drv->bind_text(st, i, s, strlen(s));
	else
		st->db->drv->bind_null(st, i);
}

void db_bind_text_n(db_stmt_t *st, const char *name, const char *s, size_t len)
{
	st->db->drv->bind_text(st, param_index(st, name), s, len);
}

void db_bind_blob(db_stmt_t *st, const char *name, const void *p, size_t len)
{
	st->db->drv->bind_blob(st, param_index(st, name), p, len);
}

void db_bind_null(db_stmt_t *st, const char *name)
{
	st->db->drv->bind_null(st, param_index(st, name));
}

void db_bind_id(db_stmt_t *st, const char *name, int64_t id)
{
	if (id > 0)
		db_bind_int(st, name, id);
	else
		db_bind_null(st, name);
}

int db_step(db_stmt_t *st)
{
	return st->db->drv->step(st);
}

void db_reset(db_stmt_t *st)
{
	st->db->drv->reset(st);
}

int db_run(db_stmt_t *st)
{
	int rc = db_step(st);
	if (rc == DB_ROW) {
		/* a RETURNING nobody reads, or a statement that was not meant to return rows */
		db_reset(st);
		return 0;
	}
	return rc;
}

int db_one(db_stmt_t *st)
{
	int rc = db_step(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? YW_ENOTFOUND : rc;
}

int64_t db_changes(db_stmt_t *st)
{
	return st->db->drv->changes(st);
}

int db_col_count(db_stmt_t *st)
{
	return st->db->drv->col_count(st);
}

const char *db_col_name(db_stmt_t *st, int i)
{
	return st->db->drv->col_name(st, i);
}

db_type_t db_col_type(db_stmt_t *st, int i)
{
	return st->db->drv->col_type(st, i);
}

bool db_col_null(db_stmt_t *st, int i)
{
	return st->db->drv->col_type(st, i) == DB_NULL;
}

int64_t db_col_int(db_stmt_t *st, int i)
{
	return st->db->drv->col_int(st, i);
}

double db_col_double(db_stmt_t *st, int i)
{
	return st->db->drv->col_double(st, i);
}

const char *db_col_text(db_stmt_t *st, int i)
{
	const char *s = st->db->drv->col_text(st, i);
	return s ? s : "";
}

const char *db_col_text_or_null(db_stmt_t *st, int i)
{
	return st->db->drv->col_text(st, i);
}

size_t db_col_bytes(db_stmt_t *st, int i)
{
	return st->db->drv->col_bytes(st, i);
}

const void *db_col_blob(db_stmt_t *st, int i)
{
	return st->db->drv->col_blob(st, i);
}

json_t *db_col_json(db_stmt_t *st, int i)
{
	switch (db_col_type(st, i)) {
	case DB_NULL: return json_null();
	case DB_INT: return json_integer(db_col_int(st, i));
	case DB_FLOAT: return json_real(db_col_double(st, i));
	default: return json_string(db_col_text(st, i));
	}
}

json_t *db_col_parse_json(db_stmt_t *st, int i)
{
	const char *s = st->db->drv->col_text(st, i);
	return s ? json_loads(s, 0, NULL) : NULL;
}

/* ---- transactions ---- */

int db_exec(db_t *db, const char *sql)
{
	return db->drv->exec(db->conn, sql);
}

/* A transaction-control statement (sql: a literal). SQLite runs it as a cached prepared statement:
 * the group writer opens and releases several savepoints per job, and parsing each one again cost
 * a measurable share of a durable submission. PostgreSQL runs it as a plain command. */
static int tx(db_t *db, const char *sql)
{
	return db->drv->engine == DB_SQLITE ? db_run(db_prepare(db, sql)) : db_exec(db, sql);
}

static void gen_forget(void);

/* After a commit: the generations it bumped are read afresh by every thread (db_generation). */
static void committed(db_t *db)
{
	if (db->bumped)
		gen_forget();
	db->bumped = false;
}

int db_begin(db_t *db)
{
	if (db->group) {
		if (tx(db, "SAVEPOINT tx") != 0)
			return YW_EDB;
		db->depth++;
		return 0;
	}
	if (t_reader) {
		log_error("db: a write transaction on a reader thread (HTTP worker or ticker): writes go through the "
			  "group-commit writer (platform/writer.h)");
		return YW_EDB;
	}
	return tx(db, db->drv->begin_sql);
}

int db_commit(db_t *db)
{
	if (db->group) {
		if (db->depth > 0) {
			db->depth--;
			return tx(db, "RELEASE SAVEPOINT tx");
		}
		return 0;
	}
	if (tx(db, "COMMIT") != 0) {
		db_rollback(db);
		return YW_EDB;
	}
	committed(db);
	return 0;
}

void db_rollback(db_t *db)
{
	if (db->group) {
		/* undo this job's own savepoint; the group itself is the writer's to end */
		if (db->depth > 0) {
			db->depth--;
			db->epoch++;
			tx(db, "ROLLBACK TO SAVEPOINT tx");
			tx(db, "RELEASE SAVEPOINT tx");
		}
		return;
	}
	db->bumped = false;
	if (db->drv->in_transaction(db->conn))
		db_exec(db, "ROLLBACK");
}

int db_group_begin(db_t *db)
{
	if (tx(db, db->drv->begin_sql) != 0)
		return YW_EDB;
	db->group = true;
	db->depth = 0;
	db->epoch++;
	return 0;
}

int db_group_job_begin(db_t *db)
{
	return tx(db, "SAVEPOINT job") == 0 ? 0 : YW_EDB;
}

int db_group_job_end(db_t *db, int status)
{
	if (db->depth) {
		/* the job left a savepoint of its own open: a programming error; undo all of it */
		log_error("db: a job left %d savepoint(s) open", db->depth);
		db->depth = 0;
		status = status ? status : YW_EDB;
	}
	if (status) {
		db->epoch++;
		tx(db, "ROLLBACK TO SAVEPOINT job");
	}
	tx(db, "RELEASE SAVEPOINT job");
	return status;
}

uint64_t db_group_epoch(db_t *db)
{
	return db->group ? db->epoch : 0;
}

int db_group_commit(db_t *db)
{
	db->group = false;
	db->epoch++;
	if (tx(db, "COMMIT") != 0) {
		db->bumped = false;
		if (db->drv->in_transaction(db->conn))
			db_exec(db, "ROLLBACK");
		return YW_EDB;
	}
	committed(db);
	return 0;
}

/* ---- conveniences ---- */

int db_bulk_load(db_t *db, bool on)
{
	if (db_engine(db) != DB_SQLITE)
		return 0;
	return db_exec(db, on ? "PRAGMA synchronous=OFF" : "PRAGMA synchronous=FULL");
}

int db_ping(db_t *db)
{
	int64_t one;
	return db_query_int(db, "SELECT 1", NULL, &one);
}

int db_transaction(db_t *db, int (*fn)(db_t *db, void *arg), void *arg)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	if ((rc = fn(db, arg)) != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int db_query_int(db_t *db, const char *sql, const char *text_arg, int64_t *out)
{
	db_stmt_t *st = db_prepare(db, sql);
	if (text_arg)
		db_bind_text(st, "arg", text_arg);
	int rc = db_one(st);
	if (rc == 0) {
		*out = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* ---- generations ----
 * On PostgreSQL every read of a generation is a round trip, and the search index and the calendar
 * ask on every request. So a server process keeps what it read for GEN_FRESH_MS: another node's
 * change reaches its caches within that (well inside the second docs/architecture.md promises),
 * and this process's own change at once: committing a bump forgets every kept value, and a read
 * that began before the forgetting does not keep its (possibly older) value. Inside a transaction
 * the value is read from the database (the transaction may have bumped it). SQLite reads its
 * meta row in-process for about what the bookkeeping costs, and other processes (the CLI) write
 * the same file, so it always reads. */
#define GEN_FRESH_MS 200
#define GEN_KEYS 8

static pthread_mutex_t gen_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char key[32];
	int64_t value;
	int64_t read_ms;
} gen_kept[GEN_KEYS];
static int gen_nkept;
static uint64_t gen_forgets; /* bumped by gen_forget: reads begun before it keep nothing */

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void gen_forget(void)
{
	pthread_mutex_lock(&gen_mu);
	gen_nkept = 0;
	gen_forgets++;
	pthread_mutex_unlock(&gen_mu);
}

static int gen_read(db_t *db, const char *key, int64_t *out)
{
	int rc = db_query_int(db, "SELECT value FROM meta WHERE key = :arg", key, out);
	if (rc == YW_ENOTFOUND) {
		*out = 0;
		return 0;
	}
	return rc;
}

int db_generation(db_t *db, const char *key, int64_t *out)
{
	if (db->drv->engine != DB_POSTGRES || db->drv->in_transaction(db->conn) || strlen(key) >= sizeof gen_kept[0].key)
		return gen_read(db, key, out);
	int64_t now = now_ms();
	pthread_mutex_lock(&gen_mu);
	for (int i = 0; i < gen_nkept; i++)
		if (strcmp(gen_kept[i].key, key) == 0 && now - gen_kept[i].read_ms < GEN_FRESH_MS) {
			*out = gen_kept[i].value;
			pthread_mutex_unlock(&gen_mu);
			return 0;
		}
	uint64_t forgets = gen_forgets;
	pthread_mutex_unlock(&gen_mu);
	int rc = gen_read(db, key, out);
	if (rc)
		return rc;
	pthread_mutex_lock(&gen_mu);
	if (gen_forgets == forgets) {
		int i = 0;
		while (i < gen_nkept && strcmp(gen_kept[i].key, key) != 0)
			i++;
		if (i < GEN_KEYS) {
			snprintf(gen_kept[i].key, sizeof gen_kept[i].key, "%s", key);
			gen_kept[i].value = *out;
			gen_kept[i].read_ms = now;
			if (i == gen_nkept)
				gen_nkept++;
		}
	}
	pthread_mutex_unlock(&gen_mu);
	return 0;
}

int db_bump_generation(db_t *db, const char *key)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO meta(key, value) VALUES (:key, 1) "
				       "ON CONFLICT(key) DO UPDATE SET value = meta.value + 1");
	db_bind_text(st, "key", key);
	int rc = db_run(st);
	if (rc == 0 && db->drv->in_transaction(db->conn))
		db->bumped = true; /* forgotten when the transaction commits */
	else if (rc == 0)
		gen_forget();
	return rc;
}

int db_defer_sync(db_t *db, bool *deferred)
{
	*deferred = false;
	if (!db->drv->defer_sync)
		return 0;
	int rc = db->drv->defer_sync(db->conn, &db->log_fd, &db->log_path);
	*deferred = rc == 0;
	return rc;
}

int db_log_sync(db_t *db)
{
	/* fdatasync syncs the file, not the descriptor. The engine keeps its log while it has it
	 * open, but should the file ever be replaced, the one at the path is synced. */
	struct stat now, ours;
	if (stat(db->log_path, &now) == 0 && fstat(db->log_fd, &ours) == 0 &&
	    (now.st_ino != ours.st_ino || now.st_dev != ours.st_dev)) {
		int fd = open(db->log_path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			close(db->log_fd);
			db->log_fd = fd;
		}
	}
	if (fdatasync(db->log_fd) != 0) {
		log_error("db: cannot sync the log %s", db->log_path);
		return YW_EIO;
	}
	return 0;
}

void db_release_memory(db_t *db)
{
	if (db->drv->release_memory)
		db->drv->release_memory(db->conn);
}

int db_backup(db_t *db, const char *dest_path)
{
	if (!db->drv->backup) {
		log_error("backup: the %s engine is backed up with its own tools (see docs/operations.md)",
			  db->drv->name);
		return YW_EINVAL;
	}
	return db->drv->backup(db->conn, dest_path);
}

/* ---- several servers ---- */

/* A channel is used as an identifier in LISTEN: letters, digits and underscores only. */
static bool channel_ok(const char *channel)
{
	if (!*channel || strlen(channel) > 63)
		return false;
	for (const char *p = channel; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

int db_notify(db_t *db, const char *channel, const char *payload)
{
	if (!db->drv->notify)
		return YW_EINVAL;
	if (!channel_ok(channel)) {
		log_error("db: bad channel name %s", channel);
		return YW_EINVAL;
	}
	if (strlen(payload) >= 8000) {
		log_error("db: notification of %zu bytes is too long for channel %s", strlen(payload), channel);
		return YW_EINVAL;
	}
	return db->drv->notify(db->conn, channel, payload);
}

int db_listen(db_t *db, const char *channel)
{
	if (!db->drv->listen)
		return YW_EINVAL;
	if (!channel_ok(channel)) {
		log_error("db: bad channel name %s", channel);
		return YW_EINVAL;
	}
	return db->drv->listen(db->conn, channel);
}

int db_listen_wait(db_t *db, int timeout_ms, char **payload)
{
	*payload = NULL;
	if (!db->drv->listen_wait)
		return YW_EINVAL;
	return db->drv->listen_wait(db->conn, timeout_ms, payload);
}

int db_try_lock(db_t *db, int64_t key, bool *got)
{
	if (!db->drv->try_lock) {
		*got = true;
		return 0;
	}
	return db->drv->try_lock(db->conn, key, got);
}
