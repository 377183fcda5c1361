/* `yiwang copy`: a whole city from one database into an empty one, SQLite to PostgreSQL and back
 * (docs/operations.md, "Moving a city between engines"). Both ends are migrated to the same
 * schema version, so a table has the same columns on both. Every row keeps its values, ids
 * included, so the audit chain verifies on the target. Tables are copied parents first (the
 * order of their foreign keys), rows in primary-key order, all in one transaction on the target;
 * afterwards PostgreSQL's identity sequences are moved past the copied ids.
 *
 * SQL here is built from table and column names read from the database's own catalogue, never
 * from input, and quoted as identifiers; hence the uncached statements. The catalogue queries
 * differ by engine and sit side by side below. */
#include "platform/db_copy.h"

#include <stdlib.h>
#include <string.h>

#include "platform/arena.h"
#include "platform/err.h"
#include "platform/log.h"

/* Tables that belong to the engine or to the migration machinery, never copied. */
static bool internal_table(const char *t)
{
	return !strncmp(t, "sqlite_", 7) || !strcmp(t, "schema_version");
}

typedef struct {
	char **names;
	int n;
} names_t;

static void names_free(names_t *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	l->names = NULL;
	l->n = 0;
}

static void names_add(names_t *l, const char *s)
{
	l->names = xrealloc(l->names, (size_t)(l->n + 1) * sizeof *l->names);
	l->names[l->n++] = xstrdup(s);
}

static int names_find(const names_t *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], s))
			return i;
	return -1;
}

/* The user tables of db, by name. */
static int list_tables(db_t *db, names_t *out)
{
	db_stmt_t *st = db_engine(db) == DB_POSTGRES
				? db_prepare(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
						 "current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
				: db_prepare(db, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (!internal_table(db_col_text(st, 0)))
			names_add(out, db_col_text(st, 0));
	return rc < 0 ? rc : 0;
}

/* The tables that table's foreign keys point to (itself excluded). */
static int list_parents(db_t *db, const char *table, names_t *out)
{
	db_stmt_t *st = db_engine(db) == DB_POSTGRES
				? db_prepare(db, "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc "
						 "JOIN information_schema.constraint_column_usage ccu "
						 "ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema "
						 "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema() "
						 "AND tc.table_name = :table")
				: db_prepare(db, "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(:table)");
	db_bind_text(st, "table", table);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (strcmp(db_col_text(st, 0), table) != 0 && names_find(out, db_col_text(st, 0)) < 0)
			names_add(out, db_col_text(st, 0));
	return rc < 0 ? rc : 0;
}

/* tables reordered so that every table comes after the tables it refers to. */
static int order_by_references(db_t *db, names_t *tables)
{
	names_t done = {0};
	names_t *parents = xcalloc((size_t)tables->n, sizeof *parents);
	int rc = 0;
	for (int i = 0; i < tables->n && !rc; i++)
		rc = list_parents(db, tables->names[i], &parents[i]);
	while (!rc && done.n < tables->n) {
		int added = 0;
		for (int i = 0; i < tables->n; i++) {
			if (names_find(&done, tables->names[i]) >= 0)
				continue;
			bool ready = true;
			for (int p = 0; p < parents[i].n && ready; p++)
				ready = names_find(&done, parents[i].names[p]) >= 0 || names_find(tables, parents[i].names[p]) < 0;
			if (ready) {
				names_add(&done, tables->names[i]);
				added++;
			}
		}
		if (!added) {
			log_error("copy: the foreign keys between the tables form a cycle");
			rc = YW_EINVAL;
		}
	}
	for (int i = 0; i < tables->n; i++)
		names_free(&parents[i]);
	free(parents);
	if (rc) {
		names_free(&done);
		return rc;
	}
	names_free(tables);
	*tables = done;
	return 0;
}

/* "name" as an SQL identifier; the caller frees it. */
static char *quote_ident(const char *name)
{
	size_t n = strlen(name);
	char *q = xmalloc(2 * n + 3), *p = q;
	*p++ = '"';
	for (const char *s = name; *s; s++) {
		if (*s == '"')
			*p++ = '"';
		*p++ = *s;
	}
	*p++ = '"';
	*p = 0;
	return q;
}

static void append(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	*buf = xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

/* Counts the rows of table in db. */
static int count_rows(db_t *db, const char *table, int64_t *n)
{
	char *q = quote_ident(table), *sql = NULL;
	size_t len = 0;
	append(&sql, &len, "SELECT COUNT(*) FROM ");
	append(&sql, &len, q);
	db_stmt_t *st = db_prepare_uncached(db, sql);
	int rc = st ? db_one(st) : YW_EDB;
	if (rc == 0)
		*n = db_col_int(st, 0);
	db_finalize(st);
	free(sql);
	free(q);
	return rc;
}

static int delete_rows(db_t *db, const char *table)
{
	char *q = quote_ident(table), *sql = NULL;
	size_t len = 0;
	append(&sql, &len, "DELETE FROM ");
	append(&sql, &len, q);
	db_stmt_t *st = db_prepare_uncached(db, sql);
	int rc = st ? db_run(st) : YW_EDB;
	db_finalize(st);
	free(sql);
	free(q);
	return rc;
}

/* Copies every row of table from src to dst; *copied counts them. */
static int copy_table(db_t *src, db_t *dst, const char *table, int64_t *copied)
{
	char *q = quote_ident(table), *select = NULL, *insert = NULL;
	size_t slen = 0, ilen = 0;
	db_stmt_t *in = NULL, *out = NULL;
	int rc = YW_EDB;

	/* The primary key orders the rows, so that a row referring to an earlier row of its own table
	 * (a region's parent) finds it; every table here has its key first. */
	append(&select, &slen, "SELECT * FROM ");
	append(&select, &slen, q);
	append(&select, &slen, " ORDER BY 1");
	if (!(in = db_prepare_uncached(src, select)))
		goto done;

	int ncols = 0;
	int s = db_step(in);
	if (s < 0) {
		rc = s;
		goto done;
	}
	if (s == DB_DONE) {
		rc = 0;
		goto done;
	}
	ncols = db_col_count(in);
	append(&insert, &ilen, "INSERT INTO ");
	append(&insert, &ilen, q);
	append(&insert, &ilen, "(");
	for (int c = 0; c < ncols; c++) {
		char *col = quote_ident(db_col_name(in, c));
		append(&insert, &ilen, c ? ", " : "");
		append(&insert, &ilen, col);
		free(col);
	}
	append(&insert, &ilen, ") VALUES (");
	for (int c = 0; c < ncols; c++) {
		char p[24];
		snprintf(p, sizeof p, "%s:c%d", c ? ", " : "", c);
		append(&insert, &ilen, p);
	}
	append(&insert, &ilen, ")");
	if (!(out = db_prepare_uncached(dst, insert)))
		goto done;

	for (; s == DB_ROW; s = db_step(in)) {
		db_reset(out);
		for (int c = 0; c < ncols; c++) {
			char p[16];
			snprintf(p, sizeof p, "c%d", c);
			switch (db_col_type(in, c)) {
			case DB_NULL: db_bind_null(out, p); break;
			case DB_INT: db_bind_int(out, p, db_col_int(in, c)); break;
			case DB_FLOAT: db_bind_double(out, p, db_col_double(in, c)); break;
			case DB_BLOB: db_bind_blob(out, p, db_col_blob(in, c), db_col_bytes(in, c)); break;
			default: db_bind_text_n(out, p, db_col_text(in, c), db_col_bytes(in, c)); break;
			}
		}
		if ((rc = db_run(out)) != 0) {
			log_error("copy: table %s: a row could not be written", table);
			db_reset(in);
			goto done;
		}
		(*copied)++;
	}
	rc = s < 0 ? s : 0;
done:
	db_finalize(in);
	db_finalize(out);
	free(select);
	free(insert);
	free(q);
	return rc;
}

/* PostgreSQL: an identity column's sequence continues after the highest copied value. */
static int advance_identity(db_t *dst, const char *table)
{
	if (db_engine(dst) != DB_POSTGRES)
		return 0; /* SQLite's next rowid is the highest plus one by itself */
	db_stmt_t *st = db_prepare(dst, "SELECT column_name, pg_get_serial_sequence(CAST(:table AS TEXT), column_name) "
					"FROM information_schema.columns WHERE table_schema = current_schema() "
					"AND table_name = :table AND is_identity = 'YES'");
	db_bind_text(st, "table", table);
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	char *col = quote_ident(db_col_text(st, 0)), *seq = xstrdup(db_col_text(st, 1));
	db_reset(st);
	char *q = quote_ident(table), *sql = NULL;
	size_t len = 0;
	append(&sql, &len, "SELECT setval(CAST(:seq AS regclass), COALESCE((SELECT MAX(");
	append(&sql, &len, col);
	append(&sql, &len, ") FROM ");
	append(&sql, &len, q);
	append(&sql, &len, "), 0) + 1, false)");
	db_stmt_t *set = db_prepare_uncached(dst, sql);
	rc = YW_EDB;
	if (set) {
		db_bind_text(set, "seq", seq);
		if ((rc = db_one(set)) == 0)
			db_reset(set);
	}
	db_finalize(set);
	free(sql);
	free(q);
	free(col);
	free(seq);
	return rc;
}

int db_copy(db_t *src, db_t *dst, FILE *progress)
{
	names_t tables = {0}, dst_tables = {0};
	int rc = list_tables(src, &tables);
	rc = rc ? rc : list_tables(dst, &dst_tables);
	rc = rc ? rc : order_by_references(dst, &tables);
	if (rc)
		goto done;
	/* Same schema on both ends (db_open migrated both), and an empty target. */
	for (int i = 0; i < tables.n && !rc; i++) {
		int64_t n = 0;
		if (names_find(&dst_tables, tables.names[i]) < 0) {
			fprintf(stderr, "yiwang copy: the target has no table %s (a different schema version?)\n",
				tables.names[i]);
			rc = YW_EINVAL;
		} else if ((rc = count_rows(dst, tables.names[i], &n)) == 0 && n > 0) {
			fprintf(stderr, "yiwang copy: the target is not empty (table %s has %lld rows)\n", tables.names[i],
				(long long)n);
			rc = YW_ECONFLICT;
		}
	}
	if (rc || (rc = db_begin(dst)) != 0)
		goto done;
	int64_t total = 0;
	int64_t *copied = xcalloc((size_t)tables.n, sizeof *copied);
	/* Each table's identity sequence moves past its copied ids at once: a trigger fired by a later
	 * table may insert into it. */
	for (int i = 0; i < tables.n && !rc; i++)
		if ((rc = copy_table(src, dst, tables.names[i], &copied[i])) == 0)
			rc = advance_identity(dst, tables.names[i]);
	/* Triggers on the target (statistics' change log, docs/architecture.md) wrote rows of their own
	 * while the rows they watch were copied; such a table is emptied and copied again as it was. */
	for (int i = 0; i < tables.n && !rc; i++) {
		int64_t n = 0;
		if ((rc = count_rows(dst, tables.names[i], &n)) != 0 || n == copied[i])
			continue;
		rc = delete_rows(dst, tables.names[i]);
		copied[i] = 0;
		rc = rc ? rc : copy_table(src, dst, tables.names[i], &copied[i]);
		rc = rc ? rc : advance_identity(dst, tables.names[i]);
	}
	for (int i = 0; i < tables.n && !rc; i++) {
		total += copied[i];
		if (!rc && copied[i])
			fprintf(progress, "%-28s %10lld rows\n", tables.names[i], (long long)copied[i]);
	}
	free(copied);
	rc = rc ? rc : db_commit(dst);
	if (rc)
		db_rollback(dst);
	else
		fprintf(progress, "copied %lld rows in %d tables\n", (long long)total, tables.n);
done:
	names_free(&tables);
	names_free(&dst_tables);
	return rc;
}
