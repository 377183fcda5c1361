/* The PostgreSQL driver (see db_driver.h), for a city that runs several servers on one database.
 * libpq, one connection per thread. Statements are written with :name parameters; prepare
 * rewrites them to $1, $2, ... (one per distinct name, in order of first appearance) and
 * PQprepares them under a name unique on the connection. Every value travels in text format
 * with no declared type, so the server types each parameter from its context in the statement,
 * as SQLite's loose typing lets the same SQL work there; blobs go in binary. A connection that
 * breaks (server restart, backend terminated) is reset on the next failure; its statements, which
 * died with the old session, are prepared again when next run. The schema version is a one-row
 * table read under a transaction-level advisory lock, so two processes starting at once migrate
 * one after the other. The only file that calls PQ*. */
#include <errno.h>
#include <inttypes.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "platform/arena.h"
#include "platform/db_driver.h"
#include "platform/err.h"
#include "platform/log.h"

extern const char *const yw_pg_migrations[];
extern const int yw_pg_migration_count;

/* Type OIDs of the built-in types we read (catalog/pg_type.h, stable since PostgreSQL 7). */
enum {
	OID_BOOL = 16,
	OID_BYTEA = 17,
	OID_INT8 = 20,
	OID_INT2 = 21,
	OID_INT4 = 23,
	OID_FLOAT4 = 700,
	OID_FLOAT8 = 701,
	OID_NUMERIC = 1700,
};

/* The key of the advisory lock that serialises migrations: any fixed number ("yiwang" in ASCII). */
#define MIGRATION_LOCK "133493881400935"

typedef struct {
	PGconn *c;
	uint64_t gen;     /* bumped by every reset: statements prepared before it are gone */
	uint64_t next_id; /* for statement names */
	bool lost_tx;     /* a reset ended an open transaction; nothing runs until ROLLBACK */
	bool read_only;   /* pg_read_only: set again on every new session */
} pg_conn_t;

typedef struct {
	db_stmt_t head;
	pg_conn_t *conn;
	char *text;          /* the SQL with $n parameters */
	char name[24];       /* the prepared statement's name on the connection */
	uint64_t gen;        /* the connection generation it was prepared in; 0: not prepared */
	char **values;       /* per parameter: the value (NULL: SQL NULL), owned */
	int *lengths;        /* per parameter: bytes (binary values) */
	int *formats;        /* per parameter: 0 text, 1 binary */
	PGresult *desc;      /* the statement's description: result columns before it runs */
	PGresult *res;       /* the result of the current run, NULL before the first step */
	int row;             /* the current row of res */
	int64_t changes;     /* rows changed by the last run */
	unsigned char **raw; /* per column: the unescaped bytea of the current row, or NULL */
	size_t *raw_len;
	int raw_cols;
} pg_stmt_t;

#define PG(s) ((pg_stmt_t *)(s))

/* ---- connections ---- */

/* An error as one log line: the server's message, its SQLSTATE and detail; or libpq's own
 * message (connection failures), with its line breaks folded. */
typedef struct {
	char s[768];
} pg_msg_t;

static pg_msg_t pg_error(const PGresult *r, PGconn *c)
{
	pg_msg_t m;
	const char *primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (primary) {
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
		snprintf(m.s, sizeof m.s, "%s (SQLSTATE %s)%s%s", primary, state ? state : "?", detail ? "; " : "",
			 detail ? detail : "");
	} else {
		snprintf(m.s, sizeof m.s, "%s", c ? PQerrorMessage(c) : "out of memory");
	}
	/* one line: runs of white space become one space */
	char *o = m.s;
	bool space = false;
	for (const char *p = m.s; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == ' ' || *p == '\r') {
			space = true;
			continue;
		}
		if (space && o != m.s)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = 0;
	return m;
}

/* The server's warnings go to our log rather than libpq's stderr (notices, e.g. "table exists,
 * skipping", are not sent: client_min_messages is warning). */
static void pg_notice(void *arg, const char *message)
{
	(void)arg;
	size_t n = strlen(message);
	while (n && message[n - 1] == '\n')
		n--;
	log_warn("db: %.*s", (int)n, message);
}

/* Settings of every session, after a connect or a reset: text in UTF-8, the session time zone
 * fixed so that no result depends on the server's configuration, no chatter below warnings, and
 * a reader's connection read-only (a reset starts a new session with the server's defaults). */
static int pg_session_setup(PGconn *c, bool read_only)
{
	PQsetNoticeProcessor(c, pg_notice, NULL);
	if (PQsetClientEncoding(c, "UTF8") != 0) {
		log_error("db: cannot set client encoding UTF8: %s", pg_error(NULL, c).s);
		return YW_EDB;
	}
	PGresult *r = PQexec(c, read_only ? "SET TimeZone = 'UTC'; SET client_min_messages = warning; "
					    "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
					  : "SET TimeZone = 'UTC'; SET client_min_messages = warning");
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : YW_EDB;
	if (rc)
		log_error("db: cannot set up the session: %s", pg_error(r, c).s);
	PQclear(r);
	return rc;
}

/* After a failure: when the connection itself is broken, reconnect (with the same parameters)
 * and start a new generation, so every statement prepares again on its next run. before: the
 * transaction status before the call that failed. A transaction that was open is gone with the
 * old session; until the caller rolls it back, statements are refused (as PostgreSQL refuses
 * them in a failed transaction), so that none runs outside the transaction its caller believes
 * open and no COMMIT reports the lost writes as durable. */
static void pg_check_conn(pg_conn_t *pc, PGTransactionStatusType before)
{
	if (PQstatus(pc->c) != CONNECTION_BAD)
		return;
	if (before == PQTRANS_INTRANS || before == PQTRANS_INERROR || before == PQTRANS_ACTIVE)
		pc->lost_tx = true;
	pc->gen++;
	PQreset(pc->c);
	if (PQstatus(pc->c) == CONNECTION_OK) {
		log_warn("db: connection to PostgreSQL lost; reconnected");
		pg_session_setup(pc->c, pc->read_only); /* a failure is logged; the next statement finds out */
	} else {
		log_error("db: connection to PostgreSQL lost; reconnecting failed: %s", pg_error(NULL, pc->c).s);
	}
}

static int pg_open(const char *url, bool create, void **out)
{
	(void)create; /* the database is created by its administrator; see docs/operations.md */
	/* defaults that the URL's own parameters override: a reconnect to a server that is gone
	 * gives up rather than hang a worker, a server that vanished without closing the connection
	 * (power lost, network cut) is noticed within a minute, and the server's views name us */
	const char *const keys[] = {"connect_timeout", "application_name", "keepalives_idle", "keepalives_interval",
				    "keepalives_count", "dbname", NULL};
	const char *const values[] = {"10", "yiwang", "30", "10", "3", url, NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);
	if (!c) {
		log_error("db: out of memory connecting to PostgreSQL");
		return YW_EDB;
	}
	if (PQstatus(c) != CONNECTION_OK) {
		/* the message names host and port; the URL is not logged since it may hold a password */
		log_error("db: cannot connect to PostgreSQL: %s", pg_error(NULL, c).s);
		PQfinish(c);
		return YW_EDB;
	}
	if (pg_session_setup(c, false) != 0) {
		PQfinish(c);
		return YW_EDB;
	}
	pg_conn_t *pc = xcalloc(1, sizeof *pc);
	pc->c = c;
	pc->gen = 1;
	*out = pc;
	return 0;
}

static void pg_close(void *conn)
{
	pg_conn_t *pc = conn;
	if (!pc)
		return;
	PQfinish(pc->c);
	free(pc);
}

static int pg_refuse_lost(const char *sql)
{
	log_error("db: the transaction was lost with the connection and must be rolled back: %.200s", sql);
	return YW_EDB;
}

/* A script of statements without parameters, in one round trip. A COMMIT succeeds only when it
 * commits: PostgreSQL answers COMMIT of a failed transaction by rolling it back, and COMMIT with
 * no transaction (lost in a reconnect) with a warning, both as success. */
static int pg_exec(void *conn, const char *sql)
{
	pg_conn_t *pc = conn;
	if (pc->lost_tx) {
		if (!strcasecmp(sql, "ROLLBACK")) {
			pc->lost_tx = false; /* the server has rolled it back already */
			return 0;
		}
		return pg_refuse_lost(sql);
	}
	bool commit = !strcasecmp(sql, "COMMIT");
	PGTransactionStatusType before = PQtransactionStatus(pc->c);
	if (commit && before == PQTRANS_IDLE) {
		log_error("db: COMMIT without a transaction");
		return YW_EDB;
	}
	PGresult *r = PQexec(pc->c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		log_error("db: %s: %.200s", pg_error(r, pc->c).s, sql);
		rc = YW_EDB;
	} else if (commit && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		log_error("db: the transaction had failed: rolled back, not committed");
		rc = YW_EDB;
	}
	PQclear(r);
	if (rc)
		pg_check_conn(pc, before);
	return rc;
}

/* ---- statements ---- */

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/* Rewrites sql's :name parameters to $n into a new string, registering the names in st. String
 * literals ('..', with '' inside, and E'..' with backslash escapes), quoted identifiers, comments
 * and :: casts are copied as they are. NULL (logged) for SQL that already has $n parameters,
 * which would collide with ours. */
static char *translate(db_stmt_t *st, const char *sql)
{
	size_t n = strlen(sql);
	/* ":a" (2 bytes) becomes at most "$65535" (6 bytes) */
	char *out = xmalloc(3 * n + 1);
	char *o = out;
	const char *p = sql;
	while (*p) {
		char ch = *p;
		if (ch == '\'' || ch == '"') {
			bool backslash = ch == '\'' && p > sql && (p[-1] == 'E' || p[-1] == 'e') &&
					 (p - 1 == sql || !ident_char(p[-2]));
			*o++ = *p++;
			while (*p) {
				if (backslash && *p == '\\' && p[1]) {
					*o++ = *p++;
					*o++ = *p++;
					continue;
				}
				if (*p == ch) {
					if (p[1] == ch) { /* doubled quote: part of the text */
						*o++ = *p++;
						*o++ = *p++;
						continue;
					}
					break;
				}
				*o++ = *p++;
			}
			if (*p)
				*o++ = *p++;
		} else if (ch == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				*o++ = *p++;
		} else if (ch == '/' && p[1] == '*') {
			int depth = 0; /* PostgreSQL's block comments nest */
			while (*p) {
				if (*p == '/' && p[1] == '*') {
					depth++;
					*o++ = *p++;
				} else if (*p == '*' && p[1] == '/') {
					*o++ = *p++;
					if (--depth == 0) {
						*o++ = *p++;
						break;
					}
				}
				*o++ = *p++;
			}
		} else if (ch == ':' && p[1] == ':') {
			*o++ = *p++;
			*o++ = *p++;
		} else if (ch == ':' && ident_char(p[1])) {
			const char *name = ++p;
			while (ident_char(*p))
				p++;
			int idx = db_stmt_add_name(st, name, (size_t)(p - name));
			o += sprintf(o, "$%d", idx + 1);
		} else if (ch == '$' && p[1] >= '0' && p[1] <= '9' && (p == sql || !ident_char(p[-1]))) {
			log_error("db: parameters are named :name: %s", sql);
			free(out);
			return NULL;
		} else if (ident_char(ch)) {
			/* a whole word at once, so that "a$1" stays an identifier */
			while (ident_char(*p) || *p == '$')
				*o++ = *p++;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

static void pg_free_raw(pg_stmt_t *s)
{
	for (int i = 0; i < s->raw_cols; i++)
		if (s->raw[i])
			free(s->raw[i]);
	free(s->raw);
	free(s->raw_len);
	s->raw = NULL;
	s->raw_len = NULL;
	s->raw_cols = 0;
}

/* The current row's values change: forget the unescaped blobs of the previous one. */
static void pg_clear_raw(pg_stmt_t *s)
{
	for (int i = 0; i < s->raw_cols; i++) {
		free(s->raw[i]);
		s->raw[i] = NULL;
	}
}

static void pg_stmt_free(pg_stmt_t *s)
{
	for (int i = 0; i < s->head.nparams; i++)
		free(s->values[i]);
	free(s->values);
	free(s->lengths);
	free(s->formats);
	PQclear(s->res);
	PQclear(s->desc);
	pg_free_raw(s);
	db_stmt_free_names(&s->head);
	free(s->text);
	free(s);
}

/* Prepares s on its connection in the current generation. *rejected tells a statement the server
 * refused (bad SQL) from a connection that failed. */
static int pg_prepare_on_server(pg_stmt_t *s, bool *rejected)
{
	pg_conn_t *pc = s->conn;
	*rejected = false;
	PGTransactionStatusType before = PQtransactionStatus(pc->c);
	snprintf(s->name, sizeof s->name, "yw%" PRIu64, ++pc->next_id);
	PGresult *r = PQprepare(pc->c, s->name, s->text, s->head.nparams, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		log_error("db: cannot prepare: %s: %s", pg_error(r, pc->c).s, s->head.sql);
		PQclear(r);
		/* a statement is only parsed here, so an error is the SQL's own, unless the connection
		 * failed or an earlier error left the transaction unable to run anything */
		*rejected = PQstatus(pc->c) == CONNECTION_OK && PQtransactionStatus(pc->c) != PQTRANS_INERROR;
		pg_check_conn(pc, before);
		return YW_EDB;
	}
	PQclear(r);
	if (!s->desc) {
		r = PQdescribePrepared(pc->c, s->name);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			log_error("db: cannot describe: %s: %s", pg_error(r, pc->c).s, s->head.sql);
			PQclear(r);
			pg_check_conn(pc, before);
			return YW_EDB;
		}
		s->desc = r;
	}
	s->gen = pc->gen;
	return 0;
}

static db_stmt_t *pg_prepare(db_t *db, void *conn, const char *sql)
{
	pg_stmt_t *s = xcalloc(1, sizeof *s);
	s->head.db = db;
	s->head.sql = sql;
	s->conn = conn;
	s->text = translate(&s->head, sql);
	if (!s->text) {
		pg_stmt_free(s);
		return NULL;
	}
	int n = s->head.nparams;
	s->values = xcalloc((size_t)n + 1, sizeof *s->values);
	s->lengths = xcalloc((size_t)n + 1, sizeof *s->lengths);
	s->formats = xcalloc((size_t)n + 1, sizeof *s->formats);
	bool rejected;
	if (pg_prepare_on_server(s, &rejected) != 0 && rejected) {
		pg_stmt_free(s);
		return NULL;
	}
	/* when the connection failed, or the transaction is in error, the statement stays
	 * unprepared: its first step prepares it again and reports any failure to its caller */
	return &s->head;
}

static void pg_finalize(db_stmt_t *st)
{
	/* the server drops prepared statements with the session, which db_close ends next */
	pg_stmt_free(PG(st));
}

static void pg_reset(db_stmt_t *st)
{
	pg_stmt_t *s = PG(st);
	PQclear(s->res);
	s->res = NULL;
	s->row = 0;
	pg_clear_raw(s);
}

static void pg_clear(db_stmt_t *st)
{
	pg_stmt_t *s = PG(st);
	pg_reset(st);
	for (int i = 0; i < st->nparams; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
		s->lengths[i] = 0;
		s->formats[i] = 0;
	}
}

static void pg_set(db_stmt_t *st, int i, char *value, int len, int format)
{
	pg_stmt_t *s = PG(st);
	free(s->values[i]);
	s->values[i] = value;
	s->lengths[i] = len;
	s->formats[i] = format;
}

static void pg_bind_int(db_stmt_t *st, int i, int64_t v)
{
	char *buf = xmalloc(24);
	snprintf(buf, 24, "%" PRId64, v);
	pg_set(st, i, buf, 0, 0);
}

static void pg_bind_double(db_stmt_t *st, int i, double v)
{
	/* 17 significant digits read back as the same double; "inf" and "nan" are accepted */
	char *buf = xmalloc(32);
	snprintf(buf, 32, "%.17g", v);
	pg_set(st, i, buf, 0, 0);
}

static void pg_bind_text(db_stmt_t *st, int i, const char *p, size_t len)
{
	char *buf = xmalloc(len + 1);
	memcpy(buf, p, len);
	buf[len] = 0;
	pg_set(st, i, buf, 0, 0);
}

static void pg_bind_blob(db_stmt_t *st, int i, const void *p, size_t len)
{
	if (len > INT32_MAX) {
		/* beyond libpq's parameter length: a programming error (large files stay on disk) */
		log_error("db: blob of %zu bytes is too large: %s", len, st->sql);
		abort();
	}
	char *buf = xmalloc(len ? len : 1);
	if (len)
		memcpy(buf, p, len);
	pg_set(st, i, buf, (int)len, 1);
}

static void pg_bind_null(db_stmt_t *st, int i)
{
	pg_set(st, i, NULL, 0, 0);
}

static int pg_fail(pg_stmt_t *s, PGresult *r, PGTransactionStatusType before)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	int status = state && !strncmp(state, "23", 2) ? YW_ECONFLICT : YW_EDB;
	if (status == YW_EDB)
		log_error("db: %s: %s", pg_error(r, s->conn->c).s, s->head.sql);
	PQclear(r);
	pg_reset(&s->head);
	pg_check_conn(s->conn, before);
	return status;
}

static int pg_step(db_stmt_t *st)
{
	pg_stmt_t *s = PG(st);
	if (!s->res) {
		if (s->conn->lost_tx)
			return pg_refuse_lost(st->sql);
		bool rejected;
		if (s->gen != s->conn->gen && pg_prepare_on_server(s, &rejected) != 0)
			return YW_EDB;
		PGTransactionStatusType before = PQtransactionStatus(s->conn->c);
		PGresult *r = PQexecPrepared(s->conn->c, s->name, st->nparams, (const char *const *)s->values,
					     s->lengths, s->formats, 0);
		ExecStatusType es = PQresultStatus(r);
		if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK)
			return pg_fail(s, r, before);
		const char *n = PQcmdTuples(r);
		s->changes = *n ? strtoll(n, NULL, 10) : 0;
		s->res = r;
		s->row = 0;
		int cols = PQnfields(r);
		if (cols > s->raw_cols) {
			pg_free_raw(s);
			s->raw = xcalloc((size_t)cols, sizeof *s->raw);
			s->raw_len = xcalloc((size_t)cols, sizeof *s->raw_len);
			s->raw_cols = cols;
		}
	} else {
		s->row++;
		pg_clear_raw(s);
	}
	if (s->row < PQntuples(s->res))
		return DB_ROW;
	pg_reset(st);
	return DB_DONE;
}

static int64_t pg_changes(db_stmt_t *st)
{
	return PG(st)->changes;
}

/* ---- columns ---- */

/* The result holding the columns: the current run's, or the description before the first step. */
static const PGresult *pg_cols(db_stmt_t *st)
{
	pg_stmt_t *s = PG(st);
	return s->res ? s->res : s->desc;
}

static int pg_col_count(db_stmt_t *st)
{
	const PGresult *r = pg_cols(st);
	return r ? PQnfields(r) : 0;
}

static const char *pg_col_name(db_stmt_t *st, int i)
{
	const PGresult *r = pg_cols(st);
	return r ? PQfname(r, i) : NULL;
}

/* The current row's value of column i, NULL for SQL NULL or when there is no row. */
static const char *pg_value(db_stmt_t *st, int i)
{
	pg_stmt_t *s = PG(st);
	if (!s->res || s->row >= PQntuples(s->res) || i < 0 || i >= PQnfields(s->res) ||
	    PQgetisnull(s->res, s->row, i))
		return NULL;
	return PQgetvalue(s->res, s->row, i);
}

/* A numeric's text is a whole number that fits int64 (SUM of bigints is numeric here, an
 * integer on SQLite). */
static bool numeric_is_int(const char *v)
{
	if (strpbrk(v, ".eEaA")) /* fraction, exponent, NaN, Infinity */
		return false;
	errno = 0;
	char *end;
	strtoll(v, &end, 10);
	return errno == 0 && *end == 0 && end != v;
}

static db_type_t pg_col_type(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return DB_NULL;
	switch (PQftype(PG(st)->res, i)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_BOOL: return DB_INT;
	case OID_FLOAT4:
	case OID_FLOAT8: return DB_FLOAT;
	case OID_NUMERIC: return numeric_is_int(v) ? DB_INT : DB_FLOAT;
	case OID_BYTEA: return DB_BLOB;
	default: return DB_TEXT;
	}
}

static bool is_bool(db_stmt_t *st, int i)
{
	return PQftype(PG(st)->res, i) == OID_BOOL;
}

static int64_t pg_col_int(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return 0;
	if (is_bool(st, i))
		return v[0] == 't';
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*end == '.' || *end == 'e' || *end == 'E')
		return (int64_t)strtod(v, NULL); /* a real read as an integer truncates, as on SQLite */
	return n;
}

static double pg_col_double(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return 0;
	if (is_bool(st, i))
		return v[0] == 't';
	return strtod(v, NULL);
}

/* Column i's bytea, unescaped once per row and NUL-terminated (so it reads as text too). */
static const unsigned char *pg_raw(db_stmt_t *st, int i, size_t *len)
{
	pg_stmt_t *s = PG(st);
	if (!s->raw[i]) {
		size_t n = 0;
		unsigned char *u = PQunescapeBytea((const unsigned char *)pg_value(st, i), &n);
		if (!u) {
			log_error("db: out of memory reading a blob");
			abort();
		}
		s->raw[i] = xmalloc(n + 1);
		memcpy(s->raw[i], u, n);
		s->raw[i][n] = 0;
		s->raw_len[i] = n;
		PQfreemem(u);
	}
	*len = s->raw_len[i];
	return s->raw[i];
}

static const char *pg_col_text(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return NULL;
	if (is_bool(st, i))
		return v[0] == 't' ? "1" : "0"; /* the integer it reads as */
	if (PQftype(PG(st)->res, i) == OID_BYTEA) {
		size_t n;
		return (const char *)pg_raw(st, i, &n);
	}
	return v;
}

static size_t pg_col_bytes(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return 0;
	if (is_bool(st, i))
		return 1;
	if (PQftype(PG(st)->res, i) == OID_BYTEA) {
		size_t n;
		pg_raw(st, i, &n);
		return n;
	}
	return (size_t)PQgetlength(PG(st)->res, PG(st)->row, i);
}

static const void *pg_col_blob(db_stmt_t *st, int i)
{
	const char *v = pg_value(st, i);
	if (!v)
		return NULL;
	if (PQftype(PG(st)->res, i) == OID_BYTEA) {
		size_t n;
		return pg_raw(st, i, &n);
	}
	return pg_col_text(st, i);
}

/* ---- transactions and schema version ---- */

/* Open, failed, or lost with the connection (and so still to be rolled back). */
static bool pg_in_transaction(void *conn)
{
	pg_conn_t *pc = conn;
	PGTransactionStatusType t = PQtransactionStatus(pc->c);
	return pc->lost_tx || t == PQTRANS_INTRANS || t == PQTRANS_INERROR || t == PQTRANS_ACTIVE;
}

/* Called in the migration's transaction: the advisory lock, held until it ends, makes a second
 * process wait here and then read the version the first one wrote. */
static int pg_schema_version(void *conn, int64_t *v)
{
	pg_conn_t *pc = conn;
	if (pg_exec(conn, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ");"
			  "CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)") != 0)
		return YW_EDB;
	PGresult *r = PQexec(pc->c, "SELECT max(version) FROM schema_version");
	int rc = YW_EDB;
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		*v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		rc = 0;
	} else {
		log_error("db: cannot read the schema version: %s", pg_error(r, pc->c).s);
	}
	PQclear(r);
	if (rc)
		pg_check_conn(pc, PQTRANS_INTRANS); /* in the migration's transaction */
	return rc;
}

static int pg_set_schema_version(void *conn, int64_t v)
{
	char sql[96];
	snprintf(sql, sizeof sql, "DELETE FROM schema_version; INSERT INTO schema_version(version) VALUES (%" PRId64 ")",
		 v);
	return pg_exec(conn, sql);
}

/* ---- several servers on one database ---- */

/* One statement with text parameters, not prepared (these run rarely or once per connection).
 * *res, when asked for, gets the result of a query (PQclear it). */
static int pg_params(pg_conn_t *pc, const char *sql, int n, const char *const *values, PGresult **res)
{
	if (pc->lost_tx)
		return pg_refuse_lost(sql);
	PGTransactionStatusType before = PQtransactionStatus(pc->c);
	PGresult *r = PQexecParams(pc->c, sql, n, NULL, values, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		log_error("db: %s: %s", pg_error(r, pc->c).s, sql);
		PQclear(r);
		pg_check_conn(pc, before);
		return YW_EDB;
	}
	if (res)
		*res = r;
	else
		PQclear(r);
	return 0;
}

static int pg_notify(void *conn, const char *channel, const char *payload)
{
	const char *values[] = {channel, payload};
	return pg_params(conn, "SELECT pg_notify($1, $2)", 2, values, NULL);
}

/* channel was checked by db.c: an identifier without quotes. */
static int pg_listen(void *conn, const char *channel)
{
	char sql[96];
	snprintf(sql, sizeof sql, "LISTEN %s", channel);
	return pg_exec(conn, sql);
}

/* A notification already read from the connection: 1 with its payload copied, else 0. */
static int pg_take_notify(pg_conn_t *pc, char **payload)
{
	PGnotify *n = PQnotifies(pc->c);
	if (!n)
		return 0;
	*payload = xstrdup(n->extra ? n->extra : "");
	PQfreemem(n);
	return 1;
}

/* No reset here: a listening connection that failed is replaced by its owner, who listens again
 * on the new one (a reset session would have forgotten its LISTEN). */
static int pg_listen_wait(void *conn, int timeout_ms, char **payload)
{
	pg_conn_t *pc = conn;
	if (pg_take_notify(pc, payload))
		return 1;
	if (PQstatus(pc->c) != CONNECTION_OK)
		return YW_EDB;
	struct pollfd pfd = {.fd = PQsocket(pc->c), .events = POLLIN};
	if (pfd.fd < 0)
		return YW_EDB;
	int n = poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : YW_EDB;
	if (n == 0)
		return 0;
	if (!PQconsumeInput(pc->c) || PQstatus(pc->c) != CONNECTION_OK) {
		log_warn("db: listening connection lost: %s", pg_error(NULL, pc->c).s);
		return YW_EDB;
	}
	return pg_take_notify(pc, payload);
}

/* The lock is a session-level advisory lock. A session holds such a lock once per time it took
 * it, so it is taken only when pg_locks shows this session without it (a bigint key appears
 * there as classid = high half, objid = low half, objsubid = 1). */
static int pg_try_lock(void *conn, int64_t key, bool *got)
{
	char k[24], hi[24], lo[24];
	snprintf(k, sizeof k, "%" PRId64, key);
	snprintf(hi, sizeof hi, "%" PRIu64, (uint64_t)key >> 32);
	snprintf(lo, sizeof lo, "%" PRIu64, (uint64_t)key & 0xffffffffu);
	const char *values[] = {k, hi, lo};
	PGresult *r;
	int rc = pg_params(conn,
			   "SELECT CASE WHEN EXISTS(SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
			   " AND pid = pg_backend_pid() AND granted AND objsubid = 1 AND classid::bigint = $2::bigint"
			   " AND objid::bigint = $3::bigint) THEN true ELSE pg_try_advisory_lock($1::bigint) END",
			   3, values, &r);
	if (rc)
		return rc;
	*got = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return 0;
}

static int pg_read_only(void *conn)
{
	pg_conn_t *pc = conn;
	pc->read_only = true;
	return pg_exec(pc, "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
}

const db_driver_t db_pg_driver = {
	.engine = DB_POSTGRES,
	.name = "PostgreSQL",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.clear = pg_clear,
	.bind_int = pg_bind_int,
	.bind_double = pg_bind_double,
	.bind_text = pg_bind_text,
	.bind_blob = pg_bind_blob,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.changes = pg_changes,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_bytes = pg_col_bytes,
	.col_blob = pg_col_blob,
	.read_only = pg_read_only,
	.in_transaction = pg_in_transaction,
	.begin_sql = "BEGIN",
	.schema_version = pg_schema_version,
	.set_schema_version = pg_set_schema_version,
	.migrations = yw_pg_migrations,
	.migration_count = &yw_pg_migration_count,
	.backup = NULL,
	.notify = pg_notify,
	.listen = pg_listen,
	.listen_wait = pg_listen_wait,
	.try_lock = pg_try_lock,
};
