/* What a database driver gives platform/db.c (private to platform/db*.c). The generic layer owns
 * URL parsing, the per-thread connection, the statement cache, parameter names, transactions and
 * migrations; a driver owns the engine's API: db_sqlite.c (sqlite3_*) and db_pg.c (PQ*). */
#ifndef YW_DB_DRIVER_H
#define YW_DB_DRIVER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/db.h"

/* The common head of every driver's statement; a driver's own struct starts with it. */
struct db_stmt {
	db_t *db;
	const char *sql;
	int nparams;
	char **names; /* names[i]: parameter i (0-based) without its colon; owned by the statement */
	int next_param; /* where db.c looks for the next parameter bound */
};

typedef struct db_driver {
	db_engine_t engine;
	const char *name;
	/* target: the path (SQLite) or the connection URL (PostgreSQL). create: SQLite may create the
	 * file. On success *conn is the driver's connection. Errors are logged. */
	int (*open)(const char *target, bool create, void **conn);
	void (*close)(void *conn);
	/* A script of statements without parameters. */
	int (*exec)(void *conn, const char *sql);
	/* Compiles sql for db (conn = the driver's connection) and fills the head: names[] holds
	 * each distinct :name in order of first appearance. NULL (logged) when it does not compile. */
	db_stmt_t *(*prepare)(db_t *db, void *conn, const char *sql);
	void (*finalize)(db_stmt_t *st);
	/* Reset and clear all bindings. */
	void (*clear)(db_stmt_t *st);
	/* Parameter index i is 0-based, into names[]. */
	void (*bind_int)(db_stmt_t *st, int i, int64_t v);
	void (*bind_double)(db_stmt_t *st, int i, double v);
	void (*bind_text)(db_stmt_t *st, int i, const char *s, size_t len);
	void (*bind_blob)(db_stmt_t *st, int i, const void *p, size_t len);
	void (*bind_null)(db_stmt_t *st, int i);
	/* DB_ROW, DB_DONE, YW_ECONFLICT (constraint) or YW_EDB (logged with the SQL). Resets the
	 * statement after DB_DONE or an error. */
	int (*step)(db_stmt_t *st);
	void (*reset)(db_stmt_t *st);
	int64_t (*changes)(db_stmt_t *st);
	int (*col_count)(db_stmt_t *st);
	const char *(*col_name)(db_stmt_t *st, int i);
	db_type_t (*col_type)(db_stmt_t *st, int i);
	int64_t (*col_int)(db_stmt_t *st, int i);
	double (*col_double)(db_stmt_t *st, int i);
	const char *(*col_text)(db_stmt_t *st, int i); /* NULL for SQL NULL */
	size_t (*col_bytes)(db_stmt_t *st, int i);
	const void *(*col_blob)(db_stmt_t *st, int i);
	/* From now on conn refuses writes, also after the driver reconnects it. */
	int (*read_only)(void *conn);
	/* True while a transaction is open on conn. */
	bool (*in_transaction)(void *conn);
	/* The statement that opens a write transaction ("BEGIN IMMEDIATE" on SQLite). */
	const char *begin_sql;
	/* The schema version applied, read and written inside the migration's transaction. A driver
	 * that can race another process here serialises (PostgreSQL: an advisory lock). */
	int (*schema_version)(void *conn, int64_t *v);
	int (*set_schema_version)(void *conn, int64_t v);
	const char *const *migrations;
	const int *migration_count;
	/* After the last migration, inside its transaction: rewrites the schema into an equivalent
	 * one the engine runs faster, *changed when it did (committed then; rolled back on failure or
	 * when nothing changed). NULL when there is nothing to tune. */
	int (*tune_schema)(void *conn, bool *changed);
	/* Frees what the connection caches; NULL when there is nothing to free. */
	void (*release_memory)(void *conn);
	/* Commits on conn stop waiting for the disk; *log_fd (open on *log_path, caller frees) is the
	 * file whose fdatasync makes them durable (db_defer_sync). All or nothing. NULL on an engine
	 * whose commit is durable by itself. */
	int (*defer_sync)(void *conn, int *log_fd, char **log_path);
	/* Online copy to a file; NULL when the engine has its own tools. */
	int (*backup)(void *conn, const char *dest_path);
	/* Several processes on one database (see db.h, "several servers"); NULL on an engine that
	 * has one process only (SQLite). */
	int (*notify)(void *conn, const char *channel, const char *payload);
	int (*listen)(void *conn, const char *channel);
	int (*listen_wait)(void *conn, int timeout_ms, char **payload);
	int (*try_lock)(void *conn, int64_t key, bool *got);
} db_driver_t;

/* SQLite's rewrite of a table's definition for tune_schema: every `column IN (constants)` of three
 * or more as `(column = constant OR ...)`; NULL when there is none. Exposed for its unit test. */
char *lite_or_chains(const char *sql);

extern const db_driver_t db_sqlite_driver;
extern const db_driver_t db_pg_driver;

/* Helpers for drivers. */
/* Appends name (without colon) to st->names, returning its 0-based index; an existing name
 * returns its index. */
int db_stmt_add_name(db_stmt_t *st, const char *name, size_t len);
void db_stmt_free_names(db_stmt_t *st);


#endif
