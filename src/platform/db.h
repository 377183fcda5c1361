/* The store: SQLite in WAL mode with synchronous=FULL and foreign keys on, one connection per
 * worker thread, prepared statements cached per connection, numbered migrations built into the
 * binary. SQL is written in the subset SQLite and PostgreSQL share ($1 parameters numbered in
 * order of first use, RETURNING, ON CONFLICT, integer times in Unix seconds); everything
 * driver-specific stays in this module. */
#ifndef YW_DB_H
#define YW_DB_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct db db_t;

/* Opens (creating if needed) the database at path and applies pending migrations.
 * *out is freed with db_close(). */
int db_open(const char *path, db_t **out);
/* Opens an existing database read-write without migrating (audit verify, backup). */
int db_open_existing(const char *path, db_t **out);
void db_close(db_t *db);
sqlite3 *db_handle(db_t *db);

/* The calling thread's connection to the path given to db_set_default_path(); opened on first
 * use and closed when the thread exits. Aborts if the database cannot be opened. */
void db_set_default_path(const char *path);
const char *db_default_path(void);
db_t *db_thread(void);

/* A cached statement for sql (which must be a string literal or otherwise live forever), reset
 * and with bindings cleared. Not freed by the caller. A statement that does not compile is a
 * programming error and aborts. Parameters must be named $1, $2, ... in order of first use. */
sqlite3_stmt *db_prepare(db_t *db, const char *sql);

/* Write transactions start IMMEDIATE so two writers never deadlock on lock upgrade. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
int db_exec(db_t *db, const char *sql);
/* The writer's group transaction (platform/writer.c): between these two, db_begin, db_commit and
 * db_rollback on this connection open, release and roll back savepoints instead. */
int db_group_begin(db_t *db);
/* One job of the group: a savepoint; ending it with a non-zero status rolls the job back alone.
 * Returns the job's final status. */
int db_group_job_begin(db_t *db);
int db_group_job_end(db_t *db, int status);
int db_group_commit(db_t *db);

/* Convenience for single-value queries; return YW_ENOTFOUND when no row. */
int db_query_int(db_t *db, const char *sql, const char *text_arg, int64_t *out);

/* Monotonic counters in table meta, bumped in the writer's transaction so that caches in every
 * server process (catalogue search index, calendar) can tell that they are stale. */
int db_generation(db_t *db, const char *key, int64_t *out);
int db_bump_generation(db_t *db, const char *key);

/* Consistent online copy (SQLite backup API) of the database to dest_path. */
int db_backup(db_t *db, const char *dest_path);

/* Bind helpers: NULL text binds SQL NULL. */
void db_bind_text(sqlite3_stmt *st, int i, const char *s);
void db_bind_int(sqlite3_stmt *st, int i, int64_t v);
const char *db_col_text(sqlite3_stmt *st, int i); /* "" for NULL */

#endif
