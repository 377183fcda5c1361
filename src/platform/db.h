/* The one way to the database (docs/architecture.md, "Storage"). Two drivers sit behind it:
 * db_sqlite.c (the default: embedded, one file, WAL, synchronous=FULL) and db_pg.c (libpq, for a
 * city that runs several servers on one PostgreSQL). sqlite3_* appears only in the first and PQ*
 * only in the second.
 *
 * SQL is written once, in the subset both engines accept:
 *   - named parameters `:name` (letters, digits, underscore); a name may appear several times;
 *   - RETURNING, ON CONFLICT ... DO UPDATE/NOTHING, COALESCE, CASE, substr, length;
 *   - integer times (Unix seconds UTC) and money (fen); text and integer are never compared with
 *     each other;
 *   - no SQLite-only functions (strftime, IFNULL, GROUP_CONCAT, scalar MAX/MIN of two values,
 *     INSERT OR IGNORE/REPLACE, rowid) and no PostgreSQL-only ones.
 * Where the engines must differ, db_engine() tells which one runs and the two texts sit side by
 * side in the store, named; schema differences live in per-engine migrations.
 *
 * Statements are prepared once per connection and cached by the address of their SQL text, which
 * must therefore live for the whole program (a string literal). */
#ifndef YW_DB_H
#define YW_DB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct db db_t;
typedef struct db_stmt db_stmt_t;

typedef enum { DB_SQLITE = 1, DB_POSTGRES = 2 } db_engine_t;

/* What db_step() returns besides an error status (platform/err.h, always negative). */
enum { DB_DONE = 0, DB_ROW = 1 };

/* Column types as db_col_type() reports them. */
typedef enum { DB_NULL = 0, DB_INT, DB_FLOAT, DB_TEXT, DB_BLOB } db_type_t;

/* ---- connections ---- */

/* url: "postgresql://user:pass@host:port/db" (or "postgres://...") for PostgreSQL; "sqlite:PATH"
 * or a plain PATH for SQLite. Opens (creating an SQLite file if needed) and applies pending
 * migrations. *out is freed with db_close(). */
int db_open(const char *url, db_t **out);
/* Opens an existing database without migrating (audit verify, backup, copy's source). */
int db_open_existing(const char *url, db_t **out);
void db_close(db_t *db);
db_engine_t db_engine(const db_t *db);
/* Which engine a URL names, without connecting. */
db_engine_t db_url_engine(const char *url);

/* The calling thread's connection to the URL given to db_set_default_url(); opened on first use
 * and closed when the thread exits. Aborts if the database cannot be opened. */
void db_set_default_url(const char *url);
const char *db_default_url(void);
db_t *db_thread(void);

/* One write path (platform/writer.h): in a running server the HTTP worker threads and the ticker
 * only read on their own connections, and every write goes through the group-commit writer.
 * db_thread_reader() declares the calling thread such a reader: from then on its connection is
 * read-only (SQLite's query_only, PostgreSQL's READ ONLY session), and db_begin() outside the
 * writer's group is refused with YW_EDB and logged as the programming error it is, so a write
 * that bypasses the writer fails loudly in every test instead of going unnoticed. */
void db_thread_reader(void);
bool db_thread_is_reader(void);

/* ---- statements ---- */

/* A cached statement for sql, reset and with bindings cleared. Not freed by the caller. SQL that
 * does not compile is a programming error: logged and aborts. */
db_stmt_t *db_prepare(db_t *db, const char *sql);

/* For SQL built at run time from names the program itself read from the database's catalogue
 * (copy, maintenance), never from user input: compiled each time, not cached; freed with
 * db_finalize(). NULL (logged) when it does not compile. */
db_stmt_t *db_prepare_uncached(db_t *db, const char *sql);
void db_finalize(db_stmt_t *st);

/* Bind by name, without the colon: db_bind_int(st, "case_id", id) for `:case_id`. A name the
 * statement does not have is a programming error (aborts). Unbound parameters are NULL.
 * Text is copied; NULL text binds SQL NULL. */
void db_bind_int(db_stmt_t *st, const char *name, int64_t v);
void db_bind_double(db_stmt_t *st, const char *name, double v);
void db_bind_text(db_stmt_t *st, const char *name, const char *s);
void db_bind_text_n(db_stmt_t *st, const char *name, const char *s, size_t len);
void db_bind_blob(db_stmt_t *st, const char *name, const void *p, size_t len);
void db_bind_null(db_stmt_t *st, const char *name);
/* An id that is NULL when not positive (optional foreign keys). */
void db_bind_id(db_stmt_t *st, const char *name, int64_t id);

/* Runs or advances the statement: DB_ROW with a row to read, DB_DONE when there are no more,
 * or an error status, never confused with DB_DONE:
 *   YW_ECONFLICT  a constraint (unique, primary or foreign key, check, not null) was violated;
 *   YW_EDB        anything else (I/O, busy past the timeout, out of memory, ...), logged here with
 *                 the engine's message and the statement's SQL.
 * After DB_DONE or an error the statement is reset; a caller that stops reading before DB_DONE
 * calls db_reset(). */
int db_step(db_stmt_t *st);
void db_reset(db_stmt_t *st);
/* For a statement that returns no rows: steps it once; 0, or the error status. */
int db_run(db_stmt_t *st);
/* For a statement that returns at most one row: 0 with the row to read (call db_reset() after
 * reading), YW_ENOTFOUND when there is none, or the error status. */
int db_one(db_stmt_t *st);
/* Rows inserted, updated or deleted by the statement's last run. */
int64_t db_changes(db_stmt_t *st);

/* Column reads, by index in the SELECT list, valid until the next step or reset. */
int db_col_count(db_stmt_t *st);
const char *db_col_name(db_stmt_t *st, int i);
db_type_t db_col_type(db_stmt_t *st, int i);
bool db_col_null(db_stmt_t *st, int i);
int64_t db_col_int(db_stmt_t *st, int i);       /* 0 for NULL */
double db_col_double(db_stmt_t *st, int i);     /* 0 for NULL */
const char *db_col_text(db_stmt_t *st, int i);  /* "" for NULL */
const char *db_col_text_or_null(db_stmt_t *st, int i);
size_t db_col_bytes(db_stmt_t *st, int i);
const void *db_col_blob(db_stmt_t *st, int i);
/* The value as JSON: null, integer, real or string (new reference). */
json_t *db_col_json(db_stmt_t *st, int i);
/* Text column holding JSON, parsed (new reference); NULL when the column is NULL or not JSON. */
json_t *db_col_parse_json(db_stmt_t *st, int i);

/* ---- transactions ---- */

/* Write transactions take the write lock at once, so two writers never deadlock on an upgrade. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
/* A unit of work composed of store calls: runs fn(db, arg) between db_begin and db_commit, rolled
 * back when fn returns non-zero. fn's status, or the begin's or commit's error. For callers
 * outside the stores (a background job's batch) that must not open a transaction themselves. */
int db_transaction(db_t *db, int (*fn)(db_t *db, void *arg), void *arg);
/* Runs a script of statements without parameters (migrations, maintenance). */
int db_exec(db_t *db, const char *sql);
/* The writer's group transaction (platform/writer.c): between these two, db_begin, db_commit and
 * db_rollback on this connection open, release and roll back savepoints instead. */
int db_group_begin(db_t *db);
/* One job of the group: a savepoint; ending it with a non-zero status rolls the job back alone.
 * Returns the job's final status. */
int db_group_job_begin(db_t *db);
int db_group_job_end(db_t *db, int status);
int db_group_commit(db_t *db);
/* Non-zero only inside the writer's group transaction, and then the same number for as long as
 * nothing this connection wrote in it has been undone: a group's start, any rollback (a job's or
 * a savepoint's) and the group's end change it. Lets a writer keep what it learned from its own
 * writes (the audit chain's head) across the jobs of a group without reading it back. */
uint64_t db_group_epoch(db_t *db);

/* Durability apart from commit, for the group writer: from now on this connection's commits do
 * not wait for the disk, and db_log_sync makes everything it has committed so far durable. So the
 * writer commits one group and runs the next while the disk syncs the last (writer.c). *deferred
 * false (and nothing changed) on an engine whose commit is durable by itself (PostgreSQL).
 * db_log_sync may run on another thread while the connection goes on committing; YW_EIO when
 * the sync failed. */
int db_defer_sync(db_t *db, bool *deferred);
int db_log_sync(db_t *db);

/* ---- small conveniences ---- */

/* The first column of the first row of sql, with an optional text parameter :arg.
 * YW_ENOTFOUND when there is no row. */
int db_query_int(db_t *db, const char *sql, const char *text_arg, int64_t *out);

/* Monotonic counters in table meta, bumped in the writer's transaction so that caches in every
 * server process (catalogue search index, calendar) can tell that they are stale. */
int db_generation(db_t *db, const char *key, int64_t *out);
int db_bump_generation(db_t *db, const char *key);

/* ---- several servers on one database (PostgreSQL) ----
 * SQLite has one server process per database, so there the notifications are refused (the caller
 * delivers its events in the process) and every lock is granted at once. */

/* Sends payload (under 8000 bytes, UTF-8) on channel (letters, digits, underscore) to every
 * connection listening to it, its own included; inside a transaction it is sent at the commit
 * and not at all on a rollback. YW_EINVAL on SQLite or for a payload that is too long. */
int db_notify(db_t *db, const char *channel, const char *payload);
/* Makes db (a connection of its own, outside any transaction) listen to channel. */
int db_listen(db_t *db, const char *channel);
/* Waits up to timeout_ms for a notification on a listening connection: 1 with *payload (free()
 * it), 0 when none came, YW_EDB when the connection failed; the caller then closes it, opens a
 * new one and listens again (notifications sent meanwhile are lost). */
int db_listen_wait(db_t *db, int timeout_ms, char **payload);
/* Takes the session-level lock key unless this connection holds it already: *got tells whether
 * it is held now. Held until the connection ends (the process exits or dies, or the connection
 * is lost), so it marks the one process of a cluster that does a piece of work. Always granted
 * on SQLite. */
int db_try_lock(db_t *db, int64_t key, bool *got);

/* For a bulk load into a database that can simply be made again (the demo city's year): on SQLite,
 * no fsync per commit while on (synchronous=OFF, FULL again when off); PostgreSQL keeps its server's
 * durability settings. 0 or the error. */
int db_bulk_load(db_t *db, bool on);

/* A round trip on the connection (a listener's keep-alive while nothing comes): 0, or YW_EDB when
 * the connection is gone. */
int db_ping(db_t *db);

/* Gives back the memory the connection caches (SQLite's page cache) after a large read such as a
 * search index build; the next statements refill what they need. */
void db_release_memory(db_t *db);

/* Consistent online copy of an SQLite database to dest_path (SQLite's backup API).
 * YW_EINVAL on PostgreSQL, which has pg_basebackup and pg_dump. */
int db_backup(db_t *db, const char *dest_path);

#endif
