/* The storage interface (platform/db.h) on each engine: the same tests run on SQLite (a temporary
 * file) and, when YW_TEST_PG_URL names a PostgreSQL database, on PostgreSQL too (scripts/
 * pg-cluster.sh starts a throwaway one; the tests drop and recreate its schema public). Named
 * parameters, NULLs, one-row and no-row statements, conflicts, changes, column types,
 * transactions and the group writer's savepoints, migrations, and an I/O failure in the middle
 * of a read, which must come back as an error and never as "no more rows". */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "platform/db.h"
#include "platform/db_driver.h"
#include "platform/err.h"

extern const char *const yw_migrations[];
extern const int yw_migration_count;
extern const int yw_pg_migration_count;

static const char *url;  /* the engine under test */
static char lite_dir[64]; /* SQLite files of this run */
static char lite_url[128];

/* ---- an SQLite VFS that fails one read on demand ---- */

typedef struct {
	sqlite3_file base;
	sqlite3_file *real; /* the default VFS's file, right after this struct */
} shim_file_t;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;
static int fail_countdown; /* > 0: the n-th read from now fails, once */

#define REAL(f) (((shim_file_t *)(f))->real)

static int shim_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int shim_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	if (fail_countdown > 0 && --fail_countdown == 0)
		return SQLITE_IOERR_READ;
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int shim_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int shim_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int shim_sync(sqlite3_file *f, int flags)
{
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int shim_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int shim_lock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xLock(REAL(f), level);
}

static int shim_unlock(sqlite3_file *f, int level)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), level);
}

static int shim_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int shim_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int shim_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int shim_device_characteristics(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int shim_shm_map(sqlite3_file *f, int pg, int size, int extend, void volatile **p)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, size, extend, p);
}

static int shim_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void shim_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int shim_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int shim_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **p)
{
	*p = NULL; /* no memory-mapped pages: every page is read through xRead */
	(void)f, (void)off, (void)n;
	return SQLITE_OK;
}

static int shim_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	(void)f, (void)off, (void)p;
	return SQLITE_OK;
}

static const sqlite3_io_methods shim_io = {
	.iVersion = 3,
	.xClose = shim_close,
	.xRead = shim_read,
	.xWrite = shim_write,
	.xTruncate = shim_truncate,
	.xSync = shim_sync,
	.xFileSize = shim_file_size,
	.xLock = shim_lock,
	.xUnlock = shim_unlock,
	.xCheckReservedLock = shim_check_reserved,
	.xFileControl = shim_file_control,
	.xSectorSize = shim_sector_size,
	.xDeviceCharacteristics = shim_device_characteristics,
	.xShmMap = shim_shm_map,
	.xShmLock = shim_shm_lock,
	.xShmBarrier = shim_shm_barrier,
	.xShmUnmap = shim_shm_unmap,
	.xFetch = shim_fetch,
	.xUnfetch = shim_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
	(void)vfs;
	shim_file_t *s = (shim_file_t *)f;
	s->real = (sqlite3_file *)(s + 1);
	int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
	s->base.pMethods = s->real->pMethods ? &shim_io : NULL;
	return rc;
}

/* Wraps the default VFS and becomes the default, so db_open's connections use it. */
static void shim_register(void)
{
	if (real_vfs)
		return;
	real_vfs = sqlite3_vfs_find(NULL);
	shim_vfs = *real_vfs;
	shim_vfs.zName = "yw-fail-read";
	shim_vfs.szOsFile = (int)sizeof(shim_file_t) + real_vfs->szOsFile;
	shim_vfs.xOpen = shim_open;
	assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}

/* ---- fixtures ---- */

static bool pg(db_t *db)
{
	return db_engine(db) == DB_POSTGRES;
}

/* Drops everything in the PostgreSQL database: the next db_open migrates from nothing. */
static void pg_wipe(void)
{
	db_t *db;
	assert_int_equal(db_open_existing(url, &db), 0);
	assert_int_equal(db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"), 0);
	db_close(db);
}

static void lite_remove(const char *path)
{
	char p[192];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static int group_setup(void **state)
{
	(void)state;
	if (db_url_engine(url) == DB_POSTGRES)
		pg_wipe();
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (db_url_engine(url) == DB_SQLITE)
		lite_remove(url + strlen("sqlite:"));
	return 0;
}

/* A migrated connection to the engine under test, with an empty table t. */
static db_t *open_t(void)
{
	db_t *db;
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(db_exec(db, pg(db) ? "CREATE TABLE IF NOT EXISTS t(id BIGINT GENERATED BY DEFAULT AS IDENTITY"
					      " PRIMARY KEY, name TEXT UNIQUE, n BIGINT, m BIGINT, x DOUBLE PRECISION,"
					      " b BYTEA)"
					    : "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, name TEXT UNIQUE,"
					      " n INTEGER, m INTEGER, x REAL, b BLOB)"),
			 0);
	assert_int_equal(db_exec(db, "DELETE FROM t"), 0);
	return db;
}

static int insert(db_t *db, const char *name, int64_t n)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, :n)");
	db_bind_text(st, "name", name);
	db_bind_int(st, "n", n);
	return db_run(st);
}

static int64_t count_named(db_t *db, const char *name)
{
	int64_t n = -1;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM t WHERE name = :arg", name, &n), 0);
	return n;
}

/* ---- tests ---- */

static void named_parameters(void **state)
{
	(void)state;
	db_t *db = open_t();
	db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n, m) VALUES (:name, :v, :v)");
	assert_int_equal(st->nparams, 2);
	assert_string_equal(st->names[0], "name");
	assert_string_equal(st->names[1], "v");
	db_bind_text(st, "name", "a");
	db_bind_int(st, "v", 7);
	assert_int_equal(db_run(st), 0);

	/* quoted text, quoted names and comments hold no parameters */
	st = db_prepare(db, "SELECT ':no' AS \"x:y\", n, m /* :c */ FROM t WHERE name = :name -- :d\n AND n = :n");
	assert_int_equal(st->nparams, 2);
	assert_string_equal(st->names[0], "name");
	assert_string_equal(st->names[1], "n");
	db_bind_text(st, "name", "a");
	db_bind_int(st, "n", 7);
	assert_int_equal(db_one(st), 0);
	assert_string_equal(db_col_text(st, 0), ":no");
	assert_string_equal(db_col_name(st, 0), "x:y");
	assert_int_equal(db_col_int(st, 1), 7);
	assert_int_equal(db_col_int(st, 2), 7);
	db_reset(st);

	/* the order of first appearance; a parameter only a CAST types */
	st = db_prepare(db, "SELECT CAST(:b AS TEXT) || CAST(:a AS TEXT) || CAST(:b AS TEXT)");
	assert_int_equal(st->nparams, 2);
	assert_string_equal(st->names[0], "b");
	db_bind_text(st, "a", "A");
	db_bind_text(st, "b", "B");
	assert_int_equal(db_one(st), 0);
	assert_string_equal(db_col_text(st, 0), "BAB");
	db_reset(st);

	if (pg(db)) {
		st = db_prepare(db, "SELECT :n::bigint * 2, 'it''s :x', E'\\':y'");
		assert_int_equal(st->nparams, 1);
		db_bind_int(st, "n", 21);
		assert_int_equal(db_one(st), 0);
		assert_int_equal(db_col_int(st, 0), 42);
		assert_string_equal(db_col_text(st, 1), "it's :x");
		assert_string_equal(db_col_text(st, 2), "':y");
		db_reset(st);
	}
	db_close(db);
}

static void null_binds(void **state)
{
	(void)state;
	db_t *db = open_t();
	db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n, m, x) VALUES (:name, :n, :m, :x)");
	db_bind_text(st, "name", "a");
	db_bind_null(st, "m");
	db_bind_id(st, "x", 0); /* n stays unbound */
	assert_int_equal(db_run(st), 0);
	/* a cached statement comes back with its bindings cleared */
	st = db_prepare(db, "INSERT INTO t(name, n, m, x) VALUES (:name, :n, :m, :x)");
	db_bind_text(st, "name", NULL);
	assert_int_equal(db_run(st), 0);

	st = db_prepare(db, "SELECT name, n, m, x FROM t ORDER BY id");
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_col_text(st, 0), "a");
	for (int i = 1; i < 4; i++) {
		assert_true(db_col_null(st, i));
		assert_int_equal(db_col_type(st, i), DB_NULL);
		assert_int_equal(db_col_int(st, i), 0);
		assert_string_equal(db_col_text(st, i), "");
		assert_null(db_col_text_or_null(st, i));
	}
	assert_int_equal(db_step(st), DB_ROW);
	assert_null(db_col_text_or_null(st, 0));
	assert_int_equal(db_step(st), DB_DONE);
	db_close(db);
}

static void one_and_run(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(insert(db, "a", 1), 0);
	db_stmt_t *st = db_prepare(db, "SELECT n FROM t WHERE name = :name");
	db_bind_text(st, "name", "a");
	assert_int_equal(db_one(st), 0);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
	st = db_prepare(db, "SELECT n FROM t WHERE name = :name");
	db_bind_text(st, "name", "b");
	assert_int_equal(db_one(st), YW_ENOTFOUND);

	/* RETURNING that nobody reads */
	st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, 2) RETURNING id");
	db_bind_text(st, "name", "b");
	assert_int_equal(db_run(st), 0);
	/* and read */
	st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, 3) RETURNING id, n");
	db_bind_text(st, "name", "c");
	assert_int_equal(db_one(st), 0);
	assert_true(db_col_int(st, 0) > 0);
	assert_int_equal(db_col_int(st, 1), 3);
	db_reset(st);

	int64_t v = 0;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM t", NULL, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(db_generation(db, "test", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(db_bump_generation(db, "test"), 0);
	assert_int_equal(db_bump_generation(db, "test"), 0);
	assert_int_equal(db_generation(db, "test", &v), 0);
	assert_int_equal(v, 2);
	db_close(db);
}

/* A generation this process read is kept briefly on PostgreSQL: another node's change (here a
 * direct UPDATE, which this process does not see committed) shows within the keeping time, and
 * this process's own bump at once, to every connection, after its commit. */
static void generations_kept_briefly(void **state)
{
	(void)state;
	db_t *a = open_t(), *b;
	assert_int_equal(db_open_existing(url, &b), 0);
	char key[32];
	snprintf(key, sizeof key, "kept%d", (int)getpid());
	int64_t v = -1;
	assert_int_equal(db_bump_generation(b, key), 0);
	assert_int_equal(db_generation(a, key, &v), 0);
	assert_int_equal(v, 1);

	db_stmt_t *st = db_prepare(b, "UPDATE meta SET value = value + 1 WHERE key = :key");
	db_bind_text(st, "key", key);
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_generation(a, key, &v), 0);
	assert_int_equal(v, pg(a) ? 1 : 2); /* kept on PostgreSQL; SQLite always reads */
	usleep(250 * 1000);
	assert_int_equal(db_generation(a, key, &v), 0);
	assert_int_equal(v, 2);

	/* a bump committed by this process: every connection reads it next */
	assert_int_equal(db_begin(b), 0);
	assert_int_equal(db_bump_generation(b, key), 0);
	assert_int_equal(db_generation(a, key, &v), 0);
	assert_int_equal(v, 2); /* not committed yet */
	assert_int_equal(db_commit(b), 0);
	assert_int_equal(db_generation(a, key, &v), 0);
	assert_int_equal(v, 3);
	db_close(b);
	db_close(a);
}

static void conflicts_and_changes(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(insert(db, "a", 1), 0);
	assert_int_equal(insert(db, "a", 2), YW_ECONFLICT);
	assert_int_equal(insert(db, "b", 2), 0); /* the connection goes on */
	assert_int_equal(insert(db, "c", 3), 0);
	/* NOT NULL and CHECK are conflicts too */
	db_stmt_t *st = db_prepare(db, "INSERT INTO meta(key, value) VALUES (:key, NULL)");
	db_bind_text(st, "key", "k");
	assert_int_equal(db_run(st), YW_ECONFLICT);

	st = db_prepare(db, "UPDATE t SET n = n + 10 WHERE n >= :n");
	db_bind_int(st, "n", 2);
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_changes(st), 2);
	st = db_prepare(db, "DELETE FROM t WHERE name = :name");
	db_bind_text(st, "name", "zz");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_changes(st), 0);
	db_bind_text(st, "name", "a");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_changes(st), 1);
	/* ON CONFLICT DO NOTHING changes nothing and is no error */
	st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, 0) ON CONFLICT(name) DO NOTHING");
	db_bind_text(st, "name", "b");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_changes(st), 0);
	db_close(db);
}

/* INSERT ... RETURNING id: on SQLite answered by the rowid when id is the table's rowid
 * (db_sqlite.c, returns_rowid); the answers are the engines' own. */
static void insert_returning_id(void **state)
{
	(void)state;
	db_t *db = open_t();
	int64_t first = 0;
	for (int i = 0; i < 2; i++) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, length('a(''b)')) RETURNING id");
		db_bind_text(st, "name", i ? "r2" : "r1");
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_col_count(st), 1);
		assert_int_equal(db_col_type(st, 0), DB_INT);
		int64_t id = db_col_int(st, 0);
		char text[24];
		snprintf(text, sizeof text, "%lld", (long long)id);
		assert_string_equal(db_col_text(st, 0), text);
		assert_int_equal(db_step(st), DB_DONE); /* one row */
		int64_t n = 0;
		assert_int_equal(db_query_int(db, "SELECT n FROM t WHERE id = :arg", text, &n), 0);
		assert_int_equal(n, 5); /* a('b) */
		if (i)
			assert_true(id > first);
		first = id;
	}
	/* a conflict is a conflict, and the statement answers again afterwards */
	db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, 0) RETURNING id");
	db_bind_text(st, "name", "r1");
	assert_int_equal(db_one(st), YW_ECONFLICT);
	db_bind_text(st, "name", "r3");
	assert_int_equal(db_one(st), 0);
	assert_true(db_col_int(st, 0) > first);
	db_reset(st);
	/* no row inserted, no row returned */
	st = db_prepare(db, "INSERT INTO t(name, n) VALUES (:name, 0) ON CONFLICT(name) DO NOTHING RETURNING id");
	db_bind_text(st, "name", "r3");
	assert_int_equal(db_one(st), YW_ENOTFOUND);
	/* an id that is not the rowid is returned as it is */
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS tx; CREATE TABLE tx(id TEXT PRIMARY KEY, v INTEGER)"), 0);
	st = db_prepare(db, "INSERT INTO tx(id, v) VALUES (:id, 1) RETURNING id");
	db_bind_text(st, "id", "k-1");
	assert_int_equal(db_one(st), 0);
	assert_string_equal(db_col_text(st, 0), "k-1");
	db_reset(st);
	/* nor is an INTEGER id in a composite key */
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS tc; CREATE TABLE tc(id INTEGER, k INTEGER, PRIMARY KEY(id, k))"), 0);
	st = db_prepare(db, "INSERT INTO tc(id, k) VALUES (:id, 1) RETURNING id");
	db_bind_int(st, "id", 42);
	assert_int_equal(db_one(st), 0);
	assert_int_equal(db_col_int(st, 0), 42);
	db_reset(st);
	assert_int_equal(db_exec(db, "DROP TABLE tc"), 0);
	/* several rows: each returned */
	st = db_prepare(db, "INSERT INTO t(name, n) VALUES ('m1', 1), ('m2', 2) RETURNING id");
	int rows = 0;
	while (db_step(st) == DB_ROW)
		rows++;
	assert_int_equal(rows, 2);
	assert_int_equal(db_exec(db, "DROP TABLE tx"), 0);
	db_close(db);
}

/* The migrations' CHECK lists hold on every engine; on SQLite they are stored as OR chains
 * (db_sqlite.c, lite_tune_schema), and the rewrite leaves alone what it must not touch. */
static void check_lists(void **state)
{
	(void)state;
	db_t *db;
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(db_exec(db, "INSERT INTO regions(code, name, level) VALUES ('110000', 'R', 1) ON CONFLICT DO NOTHING;"
				     "DELETE FROM departments WHERE name LIKE 'check-%'"),
			 0);
	db_stmt_t *st = db_prepare(db, "INSERT INTO departments(name, uscc, region_code, kind) VALUES (:name, :name, '110000', :kind)");
	db_bind_text(st, "name", "check-1");
	db_bind_text(st, "kind", "bogus");
	assert_int_equal(db_run(st), YW_ECONFLICT);
	db_bind_text(st, "name", "check-2");
	db_bind_text(st, "kind", "enterprise");
	assert_int_equal(db_run(st), 0);
	assert_int_equal(db_exec(db, "DELETE FROM departments WHERE name LIKE 'check-%'"), 0);
	if (!pg(db)) {
		int64_t n = -1;
		assert_int_equal(db_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND sql LIKE :arg",
					      "%state IN ('pending'%", &n),
				 0);
		assert_int_equal(n, 0);
		assert_int_equal(db_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'hotline_orders' AND sql LIKE :arg",
					      "%(channel = 'phone' OR channel = 'mayor_mailbox' OR %", &n),
				 0);
		assert_int_equal(n, 1);
	}
	db_close(db);

	char *r = lite_or_chains("CREATE TABLE x(a TEXT CHECK(a IN ('p', 'it''s', 'q)')), b INTEGER CHECK(b IN (1,-2,3)))");
	assert_non_null(r);
	assert_string_equal(r, "CREATE TABLE x(a TEXT CHECK((a = 'p' OR a = 'it''s' OR a = 'q)')), b INTEGER CHECK((b = 1 OR b = -2 OR b = 3)))");
	free(r);
	/* two constants cost SQLite nothing; NOT IN, an operand after an operator, a list that is not
	 * all constants, and quoted text are kept as written */
	static const char *const kept[] = {
		"CREATE TABLE x(a TEXT CHECK(a IN ('p','q')))",
		"CREATE TABLE x(a TEXT CHECK(a NOT IN ('p','q','r')))",
		"CREATE TABLE x(a TEXT, b TEXT CHECK(a || b IN ('p','q','r')))",
		"CREATE TABLE x(a TEXT CHECK(a IN ('p','q',lower('R'))))",
		"CREATE TABLE x(a TEXT DEFAULT 'x IN (''p'',''q'',''r'')')",
		"CREATE TABLE \"a IN ('p','q','r')\"(a TEXT)",
	};
	for (size_t i = 0; i < sizeof kept / sizeof *kept; i++)
		assert_null(lite_or_chains(kept[i]));
}

static void column_types(void **state)
{
	(void)state;
	db_t *db = open_t();
	static const unsigned char blob[] = {0x00, 0x01, 0xff, 0x5c, 0x27};
	db_stmt_t *st = db_prepare(db, "INSERT INTO t(name, n, x, b) VALUES (:name, :n, :x, :b)");
	db_bind_text(st, "name", "名字");
	db_bind_int(st, "n", INT64_C(5000000000));
	db_bind_double(st, "x", 2.5);
	db_bind_blob(st, "b", blob, sizeof blob);
	assert_int_equal(db_run(st), 0);
	assert_int_equal(insert(db, "two", 7), 0);

	st = db_prepare(db, "SELECT n, name, m, x, b, (SELECT SUM(n) FROM t) AS s, n > 1, (SELECT AVG(n) FROM t)"
			    " FROM t WHERE name = :name");
	db_bind_text(st, "name", "名字");
	assert_int_equal(db_col_count(st), 8);
	assert_int_equal(db_one(st), 0);
	assert_int_equal(db_col_count(st), 8);
	assert_string_equal(db_col_name(st, 5), "s");
	assert_int_equal(db_col_type(st, 0), DB_INT);
	assert_int_equal(db_col_int(st, 0), INT64_C(5000000000));
	assert_int_equal(db_col_type(st, 1), DB_TEXT);
	assert_string_equal(db_col_text(st, 1), "名字");
	assert_int_equal(db_col_bytes(st, 1), strlen("名字"));
	assert_int_equal(db_col_type(st, 2), DB_NULL);
	assert_int_equal(db_col_type(st, 3), DB_FLOAT);
	assert_true(db_col_double(st, 3) == 2.5);
	assert_int_equal(db_col_type(st, 4), DB_BLOB);
	assert_int_equal(db_col_bytes(st, 4), sizeof blob);
	assert_memory_equal(db_col_blob(st, 4), blob, sizeof blob);
	assert_int_equal(db_col_type(st, 5), DB_INT); /* numeric on PostgreSQL */
	assert_int_equal(db_col_int(st, 5), INT64_C(5000000007));
	assert_int_equal(db_col_type(st, 6), DB_INT); /* boolean on PostgreSQL */
	assert_int_equal(db_col_int(st, 6), 1);
	assert_int_equal(db_col_type(st, 7), DB_FLOAT);
	assert_true(db_col_double(st, 7) == 2500000003.5);

	json_t *j = db_col_json(st, 0);
	assert_true(json_is_integer(j) && json_integer_value(j) == INT64_C(5000000000));
	json_decref(j);
	j = db_col_json(st, 3);
	assert_true(json_is_real(j) && json_real_value(j) == 2.5);
	json_decref(j);
	j = db_col_json(st, 2);
	assert_true(json_is_null(j));
	json_decref(j);
	j = db_col_json(st, 1);
	assert_string_equal(json_string_value(j), "名字");
	json_decref(j);
	db_reset(st);

	/* a text column holding JSON */
	st = db_prepare(db, "SELECT '{\"a\": [1, 2]}', 'not json', NULL");
	assert_int_equal(db_one(st), 0);
	j = db_col_parse_json(st, 0);
	assert_int_equal(json_array_size(json_object_get(j, "a")), 2);
	json_decref(j);
	assert_null(db_col_parse_json(st, 1));
	assert_null(db_col_parse_json(st, 2));
	db_reset(st);
	db_close(db);
}

static void transactions(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "gone", 1), 0);
	db_rollback(db);
	assert_int_equal(count_named(db, "gone"), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "kept", 1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(count_named(db, "kept"), 1);
	db_rollback(db); /* outside a transaction: nothing to do */
	assert_int_equal(count_named(db, "kept"), 1);
	db_close(db);
}

/* The group writer's discipline (platform/writer.c): each job a savepoint, a failing job rolled
 * back alone, a store's own begin/commit/rollback nested inside as savepoints. */
static void group_savepoints(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(db_group_begin(db), 0);

	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "a", 1), 0);
	assert_int_equal(db_commit(db), 0);
	assert_int_equal(db_group_job_end(db, 0), 0);

	/* fails on a conflict after writing: its first row goes too */
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "b", 2), 0);
	int rc = insert(db, "a", 3);
	assert_int_equal(rc, YW_ECONFLICT);
	assert_int_equal(db_group_job_end(db, rc), YW_ECONFLICT);

	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "c", 4), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "d", 5), 0);
	db_rollback(db); /* the store's own rollback: d only */
	assert_int_equal(db_group_job_end(db, 0), 0);

	/* a job that leaves its own savepoint open is undone whole */
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "e", 6), 0);
	assert_int_equal(db_group_job_end(db, 0), YW_EDB);

	assert_int_equal(db_group_commit(db), 0);
	assert_int_equal(count_named(db, "a"), 1);
	assert_int_equal(count_named(db, "b"), 0);
	assert_int_equal(count_named(db, "c"), 1);
	assert_int_equal(count_named(db, "d"), 0);
	assert_int_equal(count_named(db, "e"), 0);
	db_close(db);
}

/* A group's jobs become visible to other connections together, at the group's commit. */
static void group_commit_visible(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(db_group_begin(db), 0);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "a", 1), 0);
	assert_int_equal(db_group_job_end(db, 0), 0);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "b", 2), 0);
	int rc = insert(db, "a", 3);
	assert_int_equal(db_group_job_end(db, rc), YW_ECONFLICT);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "c", 4), 0);
	assert_int_equal(db_group_job_end(db, 0), 0);

	db_t *other;
	assert_int_equal(db_open_existing(url, &other), 0);
	assert_int_equal(count_named(other, "a"), 0); /* not committed yet */
	assert_int_equal(db_group_commit(db), 0);
	assert_int_equal(count_named(other, "a"), 1);
	assert_int_equal(count_named(other, "b"), 0);
	assert_int_equal(count_named(other, "c"), 1);
	int64_t n = 0;
	assert_int_equal(db_query_int(other, "SELECT count(*) FROM t", NULL, &n), 0);
	assert_int_equal(n, 2);
	db_close(other);
	db_close(db);
}

/* On SQLite a failed statement leaves the transaction usable; on PostgreSQL the transaction can
 * only be rolled back (to a savepoint). Both recover after the rollback. */
static void error_inside_transaction(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(insert(db, "a", 1), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "a", 2), YW_ECONFLICT);
	/* a statement first prepared now, in the failed transaction */
	db_stmt_t *st = db_prepare(db, "SELECT count(*) FROM t WHERE n > :n");
	db_bind_int(st, "n", 0);
	assert_int_equal(db_one(st), pg(db) ? YW_EDB : 0);
	db_reset(st);
	db_rollback(db);
	st = db_prepare(db, "SELECT count(*) FROM t WHERE n > :n");
	db_bind_int(st, "n", 0);
	assert_int_equal(db_one(st), 0);
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
	db_close(db);
}

/* SQL the engine refuses: the driver's prepare says so (db_prepare then aborts; the uncached form
 * returns NULL). */
static void bad_sql_refused(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_null(db_prepare_uncached(db, "SELEC 1"));
	assert_null(db_prepare_uncached(db, "SELECT nosuchcolumn FROM t"));
	assert_null(db_prepare_uncached(db, "SELECT $1"));
	/* and the connection goes on */
	assert_int_equal(insert(db, "a", 1), 0);
	db_close(db);
}

static int64_t schema_version(db_t *db)
{
	int64_t v = -1;
	assert_int_equal(db_query_int(db, pg(db) ? "SELECT version FROM schema_version" : "PRAGMA user_version", NULL,
				      &v),
			 0);
	return v;
}

static void migrations(void **state)
{
	(void)state;
	assert_int_equal(yw_pg_migration_count, yw_migration_count);
	if (db_url_engine(url) == DB_POSTGRES)
		pg_wipe();
	else
		lite_remove(url + strlen("sqlite:"));
	db_t *db;
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(schema_version(db), yw_migration_count);
	assert_int_equal(db_bump_generation(db, "migrated"), 0);
	db_close(db);
	/* reopened: nothing applied again (migration 1 would fail on the existing tables) */
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(schema_version(db), yw_migration_count);
	int64_t g = 0;
	assert_int_equal(db_generation(db, "migrated", &g), 0);
	assert_int_equal(g, 1);
	/* the statistics change log's triggers */
	assert_int_equal(db_exec(db, "INSERT INTO regions(code, name, level) VALUES ('110000', 'R', 1);"
				     "INSERT INTO departments(id, name, uscc, region_code) VALUES (1, 'D', 'U', '110000');"
				     "INSERT INTO items(id, code, dept_id, created_at) VALUES (1, 'I', 1, 0);"
				     "INSERT INTO item_versions(id, item_id, version, status, data, name, type, level,"
				     " region_code, targets, tags, lists, life_events, handling_class, promised_days, visits,"
				     " online_depth, search_text, created_at)"
				     " VALUES (1, 1, 1, 'published', '{}', 'N', 't', 1, '110000', 0, 0, 0, 0, 0, 0, 0, 0, '', 0);"
				     "INSERT INTO cases(id, item_id, item_version_id, dept_id, region_code, applicant_name,"
				     " applicant_no, channel, state, form, created_at)"
				     " VALUES (1, 1, 1, 1, '110000', 'A', 'X', 'online', 1, '{}', 0);"
				     "UPDATE cases SET state = 3 WHERE id = 1;"
				     "UPDATE cases SET decision_note = 'n' WHERE id = 1;"),
			 0);
	int64_t n = 0;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM stats_changes WHERE tbl = 1 AND row_id = 1", NULL, &n), 0);
	assert_int_equal(n, 2); /* the insert and the state change; not the note */
	db_close(db);
}

static void *open_and_close(void *arg)
{
	db_t *db;
	*(int *)arg = db_open(url, &db);
	if (*(int *)arg == 0)
		db_close(db);
	return NULL;
}

/* Servers started together on an empty database: one migrates, the others wait for it and find
 * the schema current (on PostgreSQL the advisory lock; on SQLite the write lock). */
static void concurrent_migrations(void **state)
{
	(void)state;
	if (db_url_engine(url) == DB_POSTGRES)
		pg_wipe();
	else
		lite_remove(url + strlen("sqlite:"));
	enum { N = 4 };
	pthread_t th[N];
	int rc[N];
	for (int i = 0; i < N; i++)
		pthread_create(&th[i], NULL, open_and_close, &rc[i]);
	for (int i = 0; i < N; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(rc[i], 0);
	}
	db_t *db;
	assert_int_equal(db_open_existing(url, &db), 0);
	assert_int_equal(schema_version(db), yw_migration_count);
	db_close(db);
}

/* An I/O error in the middle of a read is an error, never the end of the rows. */
static void read_error_is_error(void **state)
{
	(void)state;
	db_t *db = open_t();
	if (pg(db)) {
		db_close(db);
		skip();
	}
	assert_int_equal(db_exec(db, "DROP TABLE IF EXISTS big;"
				     "CREATE TABLE big(id INTEGER PRIMARY KEY, v TEXT NOT NULL);"
				     "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 3000)"
				     " INSERT INTO big SELECT i, printf('%01000d', i) FROM s;"),
			 0);
	db_close(db);

	/* a fresh connection has nothing cached: the scan reads page after page */
	assert_int_equal(db_open_existing(url, &db), 0);
	db_stmt_t *st = db_prepare(db, "SELECT id, v FROM big ORDER BY id");
	fail_countdown = 50;
	int rows = 0, rc;
	while ((rc = db_step(st)) == DB_ROW)
		rows++;
	assert_int_equal(fail_countdown, 0);
	assert_int_equal(rc, YW_EDB);
	assert_true(rows > 0 && rows < 3000);
	/* the statement works again once the disk does */
	rows = 0;
	st = db_prepare(db, "SELECT id, v FROM big ORDER BY id");
	while ((rc = db_step(st)) == DB_ROW)
		rows++;
	assert_int_equal(rc, DB_DONE);
	assert_int_equal(rows, 3000);
	db_close(db);

	assert_int_equal(db_open_existing(url, &db), 0);
	st = db_prepare(db, "SELECT v FROM big WHERE id = :id");
	db_bind_int(st, "id", 2999);
	fail_countdown = 1;
	assert_int_equal(db_one(st), YW_EDB); /* not YW_ENOTFOUND */
	db_bind_int(st, "id", 2999);
	assert_int_equal(db_one(st), 0);
	db_reset(st);
	db_close(db);
}

/* PostgreSQL: ends db's server process from another connection, as a restart or an
 * administrator would; returns its process id. */
static int64_t kill_backend(db_t *db)
{
	int64_t pid = 0;
	assert_int_equal(db_query_int(db, "SELECT pg_backend_pid()", NULL, &pid), 0);
	db_t *admin;
	assert_int_equal(db_open_existing(url, &admin), 0);
	db_stmt_t *kill = db_prepare(admin, "SELECT pg_terminate_backend(CAST(:pid AS INTEGER), 5000)");
	db_bind_int(kill, "pid", pid);
	assert_int_equal(db_one(kill), 0);
	assert_int_equal(db_col_int(kill, 0), 1);
	db_reset(kill);
	db_close(admin);
	return pid;
}

/* PostgreSQL: the connection's server process ends under it. The step that finds out fails; the
 * connection is reset and the next statements run again. */
static void lost_connection(void **state)
{
	(void)state;
	db_t *db = open_t();
	if (!pg(db)) {
		db_close(db);
		skip();
	}
	assert_int_equal(insert(db, "a", 1), 0);
	db_stmt_t *st = db_prepare(db, "SELECT n FROM t WHERE name = :name");
	int64_t pid = kill_backend(db);

	db_bind_text(st, "name", "a");
	assert_int_equal(db_step(st), YW_EDB);
	st = db_prepare(db, "SELECT n FROM t WHERE name = :name");
	db_bind_text(st, "name", "a");
	assert_int_equal(db_one(st), 0); /* prepared again on the new connection */
	assert_int_equal(db_col_int(st, 0), 1);
	db_reset(st);
	int64_t pid2 = 0;
	assert_int_equal(db_query_int(db, "SELECT pg_backend_pid()", NULL, &pid2), 0);
	assert_true(pid2 != pid);
	assert_int_equal(insert(db, "b", 2), 0);
	assert_int_equal(count_named(db, "b"), 1);
	db_close(db);
}

/* A reader thread's connection refuses writes, on PostgreSQL also after it reconnects (a reset
 * starts a new session with the server's defaults). The thread records what it saw; the test
 * asserts on the main thread. */
typedef struct {
	int read, write, read_after_loss, write_after_loss;
	bool pg;
} reader_seen_t;

static void *reader_thread(void *arg)
{
	reader_seen_t *seen = arg;
	db_thread_reader();
	db_t *db = db_thread();
	int64_t n = -1;
	seen->pg = pg(db);
	seen->read = db_query_int(db, "SELECT count(*) FROM t", NULL, &n);
	seen->write = insert(db, "r1", 1);
	if (seen->pg) {
		kill_backend(db);
		db_query_int(db, "SELECT count(*) FROM t", NULL, &n); /* finds the connection gone, reconnects */
		seen->read_after_loss = db_query_int(db, "SELECT count(*) FROM t", NULL, &n);
		seen->write_after_loss = insert(db, "r2", 2);
	}
	return NULL;
}

static void reader_stays_read_only(void **state)
{
	(void)state;
	db_t *db = open_t();
	db_set_default_url(url);
	reader_seen_t seen = {0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, reader_thread, &seen), 0);
	pthread_join(th, NULL);
	assert_int_equal(seen.read, 0);
	assert_int_equal(seen.write, YW_EDB);
	if (seen.pg) {
		assert_int_equal(seen.read_after_loss, 0);
		assert_int_equal(seen.write_after_loss, YW_EDB);
	}
	assert_int_equal(count_named(db, "r1") + count_named(db, "r2"), 0);
	db_close(db);
}

/* PostgreSQL: a transaction lost with its connection stays failed until rolled back: nothing runs
 * in autocommit meanwhile, and its COMMIT fails, in a group as alone. */
static void lost_transaction(void **state)
{
	(void)state;
	db_t *db = open_t();
	if (!pg(db)) {
		db_close(db);
		skip();
	}
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "a", 1), 0);
	kill_backend(db);
	assert_int_equal(insert(db, "b", 2), YW_EDB); /* finds the connection gone, reconnects */
	assert_int_equal(insert(db, "c", 3), YW_EDB); /* the transaction is still to be rolled back */
	assert_int_equal(db_commit(db), YW_EDB);      /* and rolls it back */
	assert_int_equal(insert(db, "d", 4), 0);
	int64_t n = 0;
	assert_int_equal(db_query_int(db, "SELECT count(*) FROM t", NULL, &n), 0);
	assert_int_equal(n, 1);

	/* the writer's group: the jobs after the loss fail, and so does the commit */
	assert_int_equal(db_group_begin(db), 0);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "e", 5), 0);
	assert_int_equal(db_group_job_end(db, 0), 0);
	kill_backend(db);
	assert_int_equal(db_group_job_begin(db), YW_EDB); /* the next job's savepoint finds it out */
	assert_int_equal(db_group_job_begin(db), YW_EDB); /* and the one after is refused */
	assert_int_equal(insert(db, "f", 6), YW_EDB);     /* as is a statement (the writer skips it) */
	assert_int_equal(db_group_commit(db), YW_EDB);
	assert_int_equal(count_named(db, "e"), 0);
	assert_int_equal(count_named(db, "f"), 0);
	assert_int_equal(insert(db, "g", 7), 0);
	assert_int_equal(count_named(db, "g"), 1);
	db_close(db);
}

/* A statement that fails inside a transaction: SQLite undoes the statement and the transaction
 * goes on to commit; PostgreSQL fails the whole transaction, and its COMMIT is a rollback that
 * db_commit reports as an error, never as success. */
static void commit_after_failed_statement(void **state)
{
	(void)state;
	db_t *db = open_t();
	assert_int_equal(insert(db, "a", 1), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(insert(db, "b", 2), 0);
	assert_int_equal(insert(db, "a", 3), YW_ECONFLICT);
	assert_int_equal(db_commit(db), pg(db) ? YW_EDB : 0);
	assert_int_equal(count_named(db, "b"), pg(db) ? 0 : 1);
	/* in a group, a job that swallowed its error and returned 0 fails the group */
	assert_int_equal(db_group_begin(db), 0);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "c", 4), 0);
	assert_int_equal(db_group_job_end(db, 0), 0);
	assert_int_equal(db_group_job_begin(db), 0);
	assert_int_equal(insert(db, "a", 5), YW_ECONFLICT);
	assert_int_equal(db_group_job_end(db, 0), 0);
	assert_int_equal(db_group_commit(db), pg(db) ? YW_EDB : 0);
	assert_int_equal(count_named(db, "c"), pg(db) ? 0 : 1);
	/* COMMIT with no transaction is an error on both */
	assert_int_equal(db_commit(db), YW_EDB);
	db_close(db);
}

/* ---- schema: the same tables and columns on both engines ---- */

typedef struct {
	char *items[4096];
	int n;
} list_t;

static void list_free(list_t *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->items[i]);
	l->n = 0;
}

/* Appends every row's first column. */
static void collect(db_stmt_t *st, const char *prefix, list_t *out)
{
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		assert_true(out->n < 4096);
		char buf[256];
		snprintf(buf, sizeof buf, "%s%s", prefix, db_col_text(st, 0));
		out->items[out->n++] = strdup(buf);
	}
	assert_int_equal(rc, DB_DONE);
}

/* "table", "table.column type [not null]" in column order, then "index:name" and "trigger:name". */
static void describe(db_t *db, list_t *out)
{
	list_t tables = {0};
	bool p = pg(db);
	db_stmt_t *st = db_prepare(db, p ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
					   " AND table_type = 'BASE TABLE' AND table_name <> 'schema_version'"
					   " ORDER BY table_name"
					 : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
					   " ORDER BY name");
	collect(st, "", &tables);
	assert_true(tables.n > 30);
	for (int i = 0; i < tables.n; i++) {
		char prefix[128];
		snprintf(prefix, sizeof prefix, "%s.", tables.items[i]);
		out->items[out->n++] = strdup(tables.items[i]);
		/* each column's name, type (SQLite's declared type as migrations_pg.c translates it) and
		 * whether it may be NULL (a primary key may not, though SQLite lets a TEXT one be) */
		st = db_prepare(db, p ? "SELECT column_name || ' ' || data_type"
					" || CASE is_nullable WHEN 'NO' THEN ' not null' ELSE '' END"
					" FROM information_schema.columns WHERE table_schema = 'public'"
					" AND table_name = :t ORDER BY ordinal_position"
				      : "SELECT name || ' ' || CASE type WHEN 'INTEGER' THEN 'bigint' WHEN 'TEXT' THEN 'text'"
					" WHEN 'REAL' THEN 'double precision' WHEN 'BLOB' THEN 'bytea' ELSE type END"
					" || CASE WHEN \"notnull\" OR pk > 0 THEN ' not null' ELSE '' END"
					" FROM pragma_table_info(:t) ORDER BY cid");
		db_bind_text(st, "t", tables.items[i]);
		collect(st, prefix, out);
	}
	list_free(&tables);
	/* the indexes created by name (not those behind PRIMARY KEY and UNIQUE constraints) */
	st = db_prepare(db, p ? "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
				" AND indexname NOT IN (SELECT conname FROM pg_constraint) ORDER BY indexname"
			      : "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
	collect(st, "index:", out);
	st = db_prepare(db, p ? "SELECT DISTINCT trigger_name FROM information_schema.triggers"
				" WHERE trigger_schema = 'public' ORDER BY trigger_name"
			      : "SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name");
	collect(st, "trigger:", out);
}

static void same_schema(void **state)
{
	(void)state;
	if (db_url_engine(url) != DB_POSTGRES)
		skip();
	pg_wipe();
	db_t *pgdb, *lite;
	assert_int_equal(db_open(url, &pgdb), 0);
	char path[160];
	snprintf(path, sizeof path, "%s/schema.db", lite_dir);
	lite_remove(path);
	assert_int_equal(db_open(path, &lite), 0);
	static list_t a, b;
	describe(lite, &a);
	describe(pgdb, &b);
	for (int i = 0; i < a.n && i < b.n; i++)
		if (strcmp(a.items[i], b.items[i]))
			fail_msg("schema differs: SQLite has %s where PostgreSQL has %s", a.items[i], b.items[i]);
	assert_int_equal(a.n, b.n);
	list_free(&a);
	list_free(&b);
	db_close(lite);
	db_close(pgdb);
	lite_remove(path);
}


/* Several servers: a session lock is held by one connection until it ends, then another takes it;
 * SQLite grants every lock and has no notifications. */
static void session_locks(void **state)
{
	(void)state;
	db_t *a = open_t(), *b;
	assert_int_equal(db_open_existing(url, &b), 0);
	const int64_t key = ((int64_t)0x7977 << 32) | 0xfedcba98; /* a high half and a low half above 2^31 */
	bool got = false;
	assert_int_equal(db_try_lock(a, key, &got), 0);
	assert_true(got);
	assert_int_equal(db_try_lock(a, key, &got), 0); /* held already: confirmed */
	assert_true(got);
	assert_int_equal(db_try_lock(b, key, &got), 0);
	if (!pg(a)) {
		assert_true(got);
		char *payload;
		assert_int_equal(db_notify(a, "yw_test", "x"), YW_EINVAL);
		assert_int_equal(db_listen_wait(a, 0, &payload), YW_EINVAL);
		db_close(b);
		db_close(a);
		return;
	}
	assert_false(got);
	assert_int_equal(db_try_lock(b, key + 1, &got), 0); /* another key is free */
	assert_true(got);
	/* once a's session holds the lock a single time, its end frees it */
	int64_t n = 0;
	assert_int_equal(db_query_int(a, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
					 " AND pid = pg_backend_pid()", NULL, &n), 0);
	assert_int_equal(n, 1);
	db_close(a);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(db_try_lock(b, key, &got), 0);
		if (got)
			break;
		usleep(20000);
	}
	assert_true(got);
	/* a connection lost takes its lock with it, and the next try takes it again */
	kill_backend(b);
	assert_int_equal(db_try_lock(b, key, &got), YW_EDB); /* finds the connection gone, reconnects */
	assert_int_equal(db_try_lock(b, key, &got), 0);
	assert_true(got);
	db_close(b);
}

/* PostgreSQL: a notification reaches every listener, its sender's too, only after the commit of
 * the transaction that sent it and not after a rollback; a listener whose connection was killed
 * reports an error. */
static void notifications(void **state)
{
	(void)state;
	db_t *a = open_t(), *b;
	if (!pg(a)) {
		db_close(a);
		skip();
	}
	assert_int_equal(db_open_existing(url, &b), 0);
	assert_int_equal(db_listen(a, "yw_test"), 0);
	assert_int_equal(db_listen(b, "yw_test"), 0);
	assert_int_equal(db_listen(b, "bad name"), YW_EINVAL);
	char *payload = NULL;
	assert_int_equal(db_listen_wait(b, 10, &payload), 0);
	assert_int_equal(db_notify(a, "yw_test", "{\"n\": 1}"), 0);
	assert_int_equal(db_listen_wait(b, 2000, &payload), 1);
	assert_string_equal(payload, "{\"n\": 1}");
	free(payload);
	assert_int_equal(db_listen_wait(a, 2000, &payload), 1); /* its own */
	free(payload);

	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_notify(a, "yw_test", "rolled back"), 0);
	db_rollback(a);
	assert_int_equal(db_begin(a), 0);
	assert_int_equal(db_notify(a, "yw_test", "committed"), 0);
	assert_int_equal(db_listen_wait(b, 200, &payload), 0); /* not before the commit */
	assert_int_equal(db_commit(a), 0);
	assert_int_equal(db_listen_wait(b, 2000, &payload), 1);
	assert_string_equal(payload, "committed");
	free(payload);

	char big[8100];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(db_notify(a, "yw_test", big), YW_EINVAL);

	kill_backend(b);
	int rc = 0;
	for (int i = 0; i < 20 && rc == 0; i++)
		rc = db_listen_wait(b, 100, &payload);
	assert_int_equal(rc, YW_EDB);
	db_close(b);
	db_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(named_parameters),
		cmocka_unit_test(null_binds),
		cmocka_unit_test(one_and_run),
		cmocka_unit_test(generations_kept_briefly),
		cmocka_unit_test(conflicts_and_changes),
		cmocka_unit_test(column_types),
		cmocka_unit_test(insert_returning_id),
		cmocka_unit_test(check_lists),
		cmocka_unit_test(transactions),
		cmocka_unit_test(group_savepoints),
		cmocka_unit_test(group_commit_visible),
		cmocka_unit_test(error_inside_transaction),
		cmocka_unit_test(bad_sql_refused),
		cmocka_unit_test(migrations),
		cmocka_unit_test(concurrent_migrations),
		cmocka_unit_test(read_error_is_error),
		cmocka_unit_test(lost_connection),
		cmocka_unit_test(lost_transaction),
		cmocka_unit_test(reader_stays_read_only),
		cmocka_unit_test(commit_after_failed_statement),
		cmocka_unit_test(same_schema),
		cmocka_unit_test(session_locks),
		cmocka_unit_test(notifications),
	};
	snprintf(lite_dir, sizeof lite_dir, "/tmp/yw-test-db-XXXXXX");
	if (!mkdtemp(lite_dir))
		return 1;
	shim_register();
	snprintf(lite_url, sizeof lite_url, "sqlite:%s/test.db", lite_dir);
	url = lite_url;
	int failed = cmocka_run_group_tests_name("db on SQLite", tests, group_setup, group_teardown);
	const char *pg_url = getenv("YW_TEST_PG_URL");
	if (pg_url && *pg_url) {
		url = pg_url;
		failed += cmocka_run_group_tests_name("db on PostgreSQL", tests, group_setup, group_teardown);
	}
	rmdir(lite_dir);
	return failed;
}
