/* The SQLite driver (see db_driver.h): the default engine, embedded, one file. WAL mode with
 * synchronous=FULL (an acknowledged write survives a power cut), except the group writer's
 * connection, which syncs the log itself (lite_defer_sync); foreign keys on, one connection per
 * thread (SQLITE_OPEN_NOMUTEX), statements prepared persistent. The schema version is
 * PRAGMA user_version; write transactions start IMMEDIATE so two writers never deadlock on a
 * lock upgrade. The only file that calls sqlite3_*. */
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/arena.h"
#include "platform/db_driver.h"
#include "platform/err.h"
#include "platform/log.h"

extern const char *const yw_migrations[];
extern const int yw_migration_count;

typedef struct {
	db_stmt_t head;
	sqlite3_stmt *st;
	int *index; /* index[i]: SQLite's 1-based index of names[i] */
	/* Prepared without its " RETURNING id" (returns_rowid): the row it returns is the one value
	 * rowid, after the insert, until the next step or reset. */
	bool by_rowid, rowid_row;
	int64_t rowid;
	char rowid_text[24];
} lite_stmt_t;

#define LITE(s) ((lite_stmt_t *)(s))

/* Process-wide settings, before the first connection: every connection belongs to one thread,
 * and memory statistics, which would take a global mutex on every allocation, are off. */
static pthread_once_t lite_once = PTHREAD_ONCE_INIT;

static void lite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

static int lite_exec(void *conn, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(conn, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_error("db: %s (%d): %.200s", err ? err : sqlite3_errmsg(conn), sqlite3_extended_errcode(conn), sql);
		sqlite3_free(err);
		return YW_EDB;
	}
	return 0;
}

static int lite_open(const char *path, bool create, void **out)
{
	pthread_once(&lite_once, lite_setup);
	sqlite3 *h = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &h, flags, NULL) != SQLITE_OK) {
		log_error("db: cannot open %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
		sqlite3_close(h);
		return YW_EDB;
	}
	sqlite3_extended_result_codes(h, 1);
	sqlite3_busy_timeout(h, 10000);
	/* Switching a new file to WAL takes the exclusive lock without the busy handler, so servers
	 * (or threads) opening one new database together can see SQLITE_BUSY here: wait and retry,
	 * within the same 10 s the busy handler allows. */
	int rc;
	for (int waited = 0;
	     (rc = sqlite3_exec(h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL)) != SQLITE_OK &&
	     (rc & 0xff) == SQLITE_BUSY && waited < 10000;
	     waited += 5)
		sqlite3_sleep(5);
	if (rc != SQLITE_OK) {
		log_error("db: cannot use WAL on %s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return YW_EDB;
	}
	if (lite_exec(h, "PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;"
			 "PRAGMA temp_store=MEMORY;"
			 "PRAGMA cache_size=-16000;") != 0) {
		sqlite3_close(h);
		return YW_EDB;
	}
	*out = h;
	return 0;
}

static void lite_close(void *conn)
{
	sqlite3_close(conn);
}

/* SQLite (3.40) answers RETURNING through an ephemeral table it builds at every execution, which
 * for the usual `INSERT INTO t(...) VALUES (...) RETURNING id` of one row costs more than the
 * insert's own work on a small row. When id is t's rowid (INTEGER PRIMARY KEY of a rowid table)
 * the statement is prepared without the clause and its row is sqlite3_last_insert_rowid: the
 * same answer, one row when the row was inserted. The length of sql to prepare into *keep;
 * false for any other statement (upserts, INSERT ... SELECT, several rows, other columns),
 * which keep their RETURNING. */
static bool returns_rowid(sqlite3 *conn, const char *sql, size_t *keep)
{
	static const char head[] = "INSERT INTO ", tail[] = " RETURNING id";
	size_t len = strlen(sql), hl = sizeof head - 1, tl = sizeof tail - 1;
	if (len <= hl + tl || strncmp(sql, head, hl) != 0 || strcmp(sql + len - tl, tail) != 0)
		return false;
	/* one tuple of values, and nothing between it and RETURNING */
	const char *v = strstr(sql, " VALUES (");
	if (!v || strstr(sql, "SELECT"))
		return false;
	int depth = 0;
	const char *p = v + 8;
	for (; *p; p++) {
		if (*p == '\'') {
			while (*++p && (*p != '\'' || p[1] == '\''))
				p += *p == '\'';
			if (!*p)
				return false;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && --depth == 0) {
			break;
		}
	}
	if (!*p || (size_t)(p + 1 - sql) != len - tl)
		return false;
	char table[64];
	size_t n = strcspn(sql + hl, "( ");
	if (n == 0 || n >= sizeof table)
		return false;
	memcpy(table, sql + hl, n);
	table[n] = 0;
	/* id is the rowid: the table's one primary-key column, declared INTEGER, of a rowid table
	 * (not WITHOUT ROWID) */
	sqlite3_stmt *st;
	bool rowid = false;
	if (sqlite3_prepare_v2(conn,
			       "SELECT count(*) = 1 AND max(name = 'id' AND type = 'INTEGER') = 1"
			       " AND (SELECT NOT wr FROM pragma_table_list(?1) WHERE schema = 'main')"
			       " FROM pragma_table_info(?1) WHERE pk > 0",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		rowid = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 1;
	}
	sqlite3_finalize(st);
	*keep = len - tl;
	return rowid;
}

static db_stmt_t *lite_prepare(db_t *db, void *conn, const char *sql)
{
	sqlite3_stmt *raw;
	size_t keep = 0;
	bool by_rowid = returns_rowid(conn, sql, &keep);
	if (sqlite3_prepare_v3(conn, sql, by_rowid ? (int)keep : -1, SQLITE_PREPARE_PERSISTENT, &raw, NULL) != SQLITE_OK) {
		log_error("db: cannot prepare: %s: %s", sqlite3_errmsg(conn), sql);
		return NULL;
	}
	lite_stmt_t *s = xcalloc(1, sizeof *s);
	s->head.db = db;
	s->head.sql = sql;
	s->st = raw;
	s->by_rowid = by_rowid;
	int n = sqlite3_bind_parameter_count(raw);
	s->index = xcalloc((size_t)n + 1, sizeof *s->index);
	for (int i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(raw, i);
		if (!name || name[0] != ':') {
			log_error("db: parameters are named :name: %s", sql);
			sqlite3_finalize(raw);
			db_stmt_free_names(&s->head);
			free(s->index);
			free(s);
			return NULL;
		}
		/* SQLite gives a repeated name one index, so names and indexes pair one to one */
		s->index[db_stmt_add_name(&s->head, name + 1, strlen(name + 1))] = i;
	}
	return &s->head;
}

static void lite_finalize(db_stmt_t *st)
{
	sqlite3_finalize(LITE(st)->st);
	db_stmt_free_names(st);
	free(LITE(st)->index);
	free(st);
}

static void lite_clear(db_stmt_t *st)
{
	LITE(st)->rowid_row = false;
	sqlite3_reset(LITE(st)->st);
	sqlite3_clear_bindings(LITE(st)->st);
}

static void lite_bind_int(db_stmt_t *st, int i, int64_t v)
{
	sqlite3_bind_int64(LITE(st)->st, LITE(st)->index[i], v);
}

static void lite_bind_double(db_stmt_t *st, int i, double v)
{
	sqlite3_bind_double(LITE(st)->st, LITE(st)->index[i], v);
}

static void lite_bind_text(db_stmt_t *st, int i, const char *s, size_t len)
{
	sqlite3_bind_text64(LITE(st)->st, LITE(st)->index[i], s, len, SQLITE_TRANSIENT, SQLITE_UTF8);
}

static void lite_bind_blob(db_stmt_t *st, int i, const void *p, size_t len)
{
	sqlite3_bind_blob64(LITE(st)->st, LITE(st)->index[i], p, len, SQLITE_TRANSIENT);
}

static void lite_bind_null(db_stmt_t *st, int i)
{
	sqlite3_bind_null(LITE(st)->st, LITE(st)->index[i]);
}

static int lite_step(db_stmt_t *st)
{
	lite_stmt_t *l = LITE(st);
	sqlite3_stmt *s = l->st;
	if (l->rowid_row) { /* after the one row of an insert answered by its rowid */
		l->rowid_row = false;
		return DB_DONE;
	}
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		sqlite3 *h = sqlite3_db_handle(s);
		if (l->by_rowid && sqlite3_changes64(h) == 1) {
			l->rowid = sqlite3_last_insert_rowid(h);
			snprintf(l->rowid_text, sizeof l->rowid_text, "%lld", (long long)l->rowid);
			l->rowid_row = true;
			sqlite3_reset(s);
			return DB_ROW;
		}
		sqlite3_reset(s);
		return DB_DONE;
	}
	sqlite3 *h = sqlite3_db_handle(s);
	int status = (rc & 0xff) == SQLITE_CONSTRAINT ? YW_ECONFLICT : YW_EDB;
	if (status == YW_EDB)
		log_error("db: %s (%d): %s", sqlite3_errmsg(h), rc, st->sql);
	sqlite3_reset(s);
	return status;
}

static void lite_reset(db_stmt_t *st)
{
	LITE(st)->rowid_row = false;
	sqlite3_reset(LITE(st)->st);
}

static int64_t lite_changes(db_stmt_t *st)
{
	return sqlite3_changes64(sqlite3_db_handle(LITE(st)->st));
}

static int lite_col_count(db_stmt_t *st)
{
	if (LITE(st)->by_rowid)
		return 1;
	return sqlite3_column_count(LITE(st)->st);
}

static const char *lite_col_name(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return i == 0 ? "id" : NULL;
	return sqlite3_column_name(LITE(st)->st, i);
}

static db_type_t lite_col_type(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return DB_INT;
	switch (sqlite3_column_type(LITE(st)->st, i)) {
	case SQLITE_NULL: return DB_NULL;
	case SQLITE_INTEGER: return DB_INT;
	case SQLITE_FLOAT: return DB_FLOAT;
	case SQLITE_BLOB: return DB_BLOB;
	default: return DB_TEXT;
	}
}

static int64_t lite_col_int(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return LITE(st)->rowid;
	return sqlite3_column_int64(LITE(st)->st, i);
}

static double lite_col_double(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return (double)LITE(st)->rowid;
	return sqlite3_column_double(LITE(st)->st, i);
}

static const char *lite_col_text(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return LITE(st)->rowid_text;
	return (const char *)sqlite3_column_text(LITE(st)->st, i);
}

static size_t lite_col_bytes(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return strlen(LITE(st)->rowid_text);
	return (size_t)sqlite3_column_bytes(LITE(st)->st, i);
}

static const void *lite_col_blob(db_stmt_t *st, int i)
{
	if (LITE(st)->by_rowid)
		return LITE(st)->rowid_text;
	return sqlite3_column_blob(LITE(st)->st, i);
}

static bool lite_in_transaction(void *conn)
{
	return !sqlite3_get_autocommit(conn);
}

/* user_version is in the database header, written by the transaction that sets it, so a second
 * process that waited for our write lock reads the new value. */
static int lite_schema_version(void *conn, int64_t *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return YW_EDB;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : YW_EDB;
}

static int lite_set_schema_version(void *conn, int64_t v)
{
	char pragma[48];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version=%lld", (long long)v);
	return lite_exec(conn, pragma);
}

/* ---- CHECK constraints without ephemeral indexes ----
 *
 * SQLite (3.40) evaluates `x IN ('a', 'b', 'c')`, a list of more than two constants, by building
 * an ephemeral index of the list every time the expression runs: a CHECK constraint written so
 * costs an index build (about 3 µs) at every insert and update of its table, and hotline_orders
 * has four. `(x = 'a' OR x = 'b' OR x = 'c')` means the same (NULL too) and is evaluated by
 * comparisons. The migrations keep the readable IN lists, which PostgreSQL evaluates well; after
 * them the driver rewrites its tables' lists once, by SQLite's documented way of changing a
 * constraint (writable_schema and a new schema_version, https://sqlite.org/lang_altertable.html),
 * in the migration's transaction. Indexes and triggers are left as written: a partial index's
 * WHERE must match its queries' for the planner to use it. */

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The end of the SQL literal at p ('text' with '' for a quote, or an integer), or NULL. */
static const char *literal_end(const char *p)
{
	if (*p == '\'') {
		for (p++; *p; p++)
			if (*p == '\'' && *++p != '\'')
				return p;
		return NULL;
	}
	const char *q = p + (*p == '-');
	if (*q < '0' || *q > '9')
		return NULL;
	while (*q >= '0' && *q <= '9')
		q++;
	return q;
}

/* At p, "(lit, lit, ...)" of at least three literals: their spans into lits (up to max) and the
 * end after ')', or NULL. */
static const char *const_list(const char *p, const char **lits, size_t *lens, size_t max, size_t *n)
{
	*n = 0;
	if (*p++ != '(')
		return NULL;
	for (;;) {
		while (*p == ' ')
			p++;
		const char *e = literal_end(p);
		if (!e || *n == max)
			return NULL;
		lits[*n] = p;
		lens[(*n)++] = (size_t)(e - p);
		for (p = e; *p == ' ';)
			p++;
		if (*p == ')')
			return *n >= 3 ? p + 1 : NULL;
		if (*p++ != ',')
			return NULL;
	}
}

/* sql with every `column IN (constants)` of three or more written as an OR of equalities; NULL
 * when there is none. Quoted text is copied as it is. */
char *lite_or_chains(const char *sql)
{
	size_t cap = strlen(sql) * 3 + 64, o = 0;
	char *out = xmalloc(cap);
	bool changed = false;
	for (const char *p = sql; *p;) {
		if (*p == '\'' || *p == '"') {
			const char *e = p + 1;
			while (*e && (*e != *p || (e[1] == *p && e++)))
				e++;
			size_t n = (size_t)(e - p) + (*e != 0);
			memcpy(out + o, p, n);
			o += n;
			p += n;
			continue;
		}
		const char *lits[64];
		size_t lens[64], nlits;
		const char *end;
		if (strncmp(p, " IN (", 5) == 0 && o > 0 && ident_char(out[o - 1]) &&
		    (end = const_list(p + 4, lits, lens, 64, &nlits)) != NULL) {
			size_t w = o;
			while (w > 0 && ident_char(out[w - 1]))
				w--;
			char col[64];
			size_t cl = o - w;
			/* only a column that stands alone: after '(' or ',' (an operator before it, as in
			 * `a || b IN (...)`, would take b with it) */
			size_t b = w;
			while (b > 0 && out[b - 1] == ' ')
				b--;
			bool alone = b > 0 && (out[b - 1] == '(' || out[b - 1] == ',');
			if (alone && cl < sizeof col && !(out[w] >= '0' && out[w] <= '9')) {
				memcpy(col, out + w, cl);
				col[cl] = 0;
				size_t need = w + 2 + nlits * (cl + 8) + (size_t)(end - p);
				if (need + strlen(p) + 1 > cap) {
					cap = (need + strlen(p) + 1) * 2;
					out = xrealloc(out, cap);
				}
				o = w;
				out[o++] = '(';
				for (size_t i = 0; i < nlits; i++)
					o += (size_t)sprintf(out + o, "%s%s = %.*s", i ? " OR " : "", col, (int)lens[i], lits[i]);
				out[o++] = ')';
				p = end;
				changed = true;
				continue;
			}
		}
		if (o + 2 > cap)
			out = xrealloc(out, cap *= 2);
		out[o++] = *p++;
	}
	out[o] = 0;
	if (!changed) {
		free(out);
		return NULL;
	}
	return out;
}

/* Rewrites the tables' IN lists (lite_or_chains) inside the caller's write transaction. The new
 * definitions are read back before the caller commits; should SQLite refuse them, the status is
 * an error and the caller rolls back, keeping the lists (slower, never wrong). */
static int lite_tune_schema(void *conn, bool *changed)
{
	*changed = false;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(conn, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (%'", -1,
			       &st, NULL) != SQLITE_OK)
		return YW_EDB;
	int64_t version = 0;
	sqlite3_stmt *v;
	if (sqlite3_prepare_v2(conn, "PRAGMA schema_version", -1, &v, NULL) == SQLITE_OK && sqlite3_step(v) == SQLITE_ROW)
		version = sqlite3_column_int64(v, 0);
	sqlite3_finalize(v);
	int rc = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		char *sql = lite_or_chains((const char *)sqlite3_column_text(st, 1));
		if (!sql)
			continue;
		if (!*changed && lite_exec(conn, "PRAGMA writable_schema = ON") != 0) {
			free(sql);
			rc = YW_EDB;
			break;
		}
		*changed = true;
		sqlite3_stmt *up;
		if (sqlite3_prepare_v2(conn, "UPDATE sqlite_schema SET sql = ?1 WHERE type = 'table' AND name = ?2", -1, &up,
				       NULL) != SQLITE_OK) {
			rc = YW_EDB;
		} else {
			sqlite3_bind_text(up, 1, sql, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(up, 2, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
			rc = sqlite3_step(up) == SQLITE_DONE ? 0 : YW_EDB;
		}
		sqlite3_finalize(up);
		free(sql);
	}
	sqlite3_finalize(st);
	if (!*changed)
		return rc;
	char pragma[64];
	snprintf(pragma, sizeof pragma, "PRAGMA schema_version = %lld", (long long)version + 1);
	if (!rc)
		rc = lite_exec(conn, pragma);
	if (lite_exec(conn, "PRAGMA writable_schema = OFF") != 0)
		rc = YW_EDB;
	/* SQLite reads the schema again at the next statement: a definition it cannot parse fails here */
	if (!rc)
		rc = lite_exec(conn, "SELECT count(*) FROM sqlite_schema");
	if (rc)
		log_error("db: the CHECK constraints could not be rewritten; they stay as written");
	return rc;
}

static void *trim_heap(void *unused)
{
	(void)unused;
	malloc_trim(0);
	return NULL;
}

static void lite_release_memory(void *conn)
{
	sqlite3_db_release_memory(conn);
	/* and the heap gives the pages back to the system: on a thread of its own, since walking a
	 * large heap takes longer than the request that caused it should wait */
	pthread_t t;
	if (pthread_create(&t, NULL, trim_heap, NULL) == 0)
		pthread_detach(t);
}

static int lite_backup(void *conn, const char *dest_path)
{
	sqlite3 *dest;
	int rc = YW_EIO;
	if (sqlite3_open(dest_path, &dest) != SQLITE_OK)
		goto done;
	sqlite3_backup *b = sqlite3_backup_init(dest, "main", conn, "main");
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

/* WAL mode with synchronous=NORMAL: a commit appends its frames to the log without syncing it;
 * SQLite syncs the log before a checkpoint copies frames into the database and a restarted log's
 * header before its first frame, so a crash or power cut loses at most the commits after the last
 * sync, never earlier ones, and never corrupts (the log's checksums end recovery at the first frame
 * that did not reach the disk). The caller syncs the log (log_fd) before it acknowledges. All or
 * nothing: on failure the connection keeps synchronous=FULL. */
static int lite_defer_sync(void *conn, int *log_fd, char **log_path)
{
	/* a read opens the log (creating it if need be), so its file is there to open */
	if (lite_exec(conn, "SELECT count(*) FROM sqlite_schema") != 0)
		return YW_EDB;
	const char *wal = sqlite3_filename_wal(sqlite3_db_filename(conn, "main"));
	int fd = wal && *wal ? open(wal, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0) {
		log_error("db: cannot open the log %s to sync it", wal ? wal : "(none)");
		return YW_EIO;
	}
	if (lite_exec(conn, "PRAGMA synchronous=NORMAL") != 0) {
		close(fd);
		return YW_EDB;
	}
	*log_fd = fd;
	*log_path = xstrdup(wal);
	return 0;
}

static int lite_read_only(void *conn)
{
	return lite_exec(conn, "PRAGMA query_only = 1");
}

const db_driver_t db_sqlite_driver = {
	.engine = DB_SQLITE,
	.name = "SQLite",
	.open = lite_open,
	.close = lite_close,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.clear = lite_clear,
	.bind_int = lite_bind_int,
	.bind_double = lite_bind_double,
	.bind_text = lite_bind_text,
	.bind_blob = lite_bind_blob,
	.bind_null = lite_bind_null,
	.step = lite_step,
	.reset = lite_reset,
	.changes = lite_changes,
	.col_count = lite_col_count,
	.col_name = lite_col_name,
	.col_type = lite_col_type,
	.col_int = lite_col_int,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.col_bytes = lite_col_bytes,
	.col_blob = lite_col_blob,
	.read_only = lite_read_only,
	.in_transaction = lite_in_transaction,
	.begin_sql = "BEGIN IMMEDIATE",
	.schema_version = lite_schema_version,
	.set_schema_version = lite_set_schema_version,
	.migrations = yw_migrations,
	.migration_count = &yw_migration_count,
	.tune_schema = lite_tune_schema,
	.release_memory = lite_release_memory,
	.defer_sync = lite_defer_sync,
	.backup = lite_backup,
};
