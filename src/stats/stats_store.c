/* Statistics store: the in-memory facts of stats.h, loaded from cases, reviews and cards once per
 * process and then kept current from the change log stats_changes (migration 4), which triggers
 * fill on every insert or update of those tables. A request asks for the log's newest sequence
 * number (two index lookups); only when it moved are the changed rows read again, by id. When
 * the log was trimmed past the point this process had seen, the facts are loaded afresh.
 *
 * On PostgreSQL, where several servers write at once, a sequence number is taken when a row is
 * written, not when it commits: a transaction may commit change 10 after a reader saw change 11.
 * So each refresh also keeps the transactions its snapshot saw in progress (pending), each with
 * a floor: its changes are numbered above it, since it had no transaction id yet at the refresh
 * before, when the numbers up to the floor were all visible or in progress elsewhere. When one of
 * them has ended since, the changes above its floor are read again (those already applied with
 * them: reading a row again is harmless; a long span is a full load instead). Changes of any
 * transaction that began after the snapshot are numbered above every number it saw, and are read
 * as new ones. (The log rows' xmin cannot name their transaction: a change made inside a
 * savepoint, as every job of the writer's group is, carries the savepoint's id.) */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "platform/auth.h"
#include "platform/calendar_store.h"
#include "platform/err.h"
#include "platform/writer.h"
#include "stats/stats.h"

/* Changes kept in the log for processes that fall behind; older ones are trimmed. */
#define STATS_LOG_KEEP 100000
/* Changes already applied that a refresh reads again rather than loading all facts afresh. */
#define STATS_REREAD_MAX 5000

enum { TBL_CASES = 1, TBL_REVIEWS = 2, TBL_CARDS = 3 };

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static stats_facts_t facts;
static int64_t seen = -1; /* last change applied; -1 before the first load */

/* PostgreSQL: the transactions in progress at the last refresh's snapshot, guarded by lock. A
 * pending transaction's changes have numbers above floor (seen when it had no transaction id). */
#define PENDING_MAX 1024
static struct {
	int64_t xid, floor;
} pending[PENDING_MAX];
static int npending;

/* A snapshot's transactions in progress, from PostgreSQL's text "xmin:xmax:xid,xid,...". */
typedef struct {
	int64_t xip[PENDING_MAX];
	int n;
	bool overflow; /* more than PENDING_MAX: the facts are loaded afresh next time */
} snap_t;

static void snap_parse(const char *text, snap_t *sn)
{
	sn->n = 0;
	sn->overflow = false;
	const char *p = strchr(text, ':');
	p = p ? strchr(p + 1, ':') : NULL;
	if (!p)
		return; /* SQLite: no snapshot */
	p++;
	while (*p) {
		char *end;
		long long x = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (sn->n == PENDING_MAX) {
			sn->overflow = true;
			break;
		}
		sn->xip[sn->n++] = x;
		p = *end == ',' ? end + 1 : end;
	}
}

static bool snap_has(const snap_t *sn, int64_t xid)
{
	for (int i = 0; i < sn->n; i++)
		if (sn->xip[i] == xid)
			return true;
	return false;
}

/* A pending transaction has ended since the last refresh (read-locked or write-locked). */
static bool pending_ended(const snap_t *sn)
{
	for (int i = 0; i < npending; i++)
		if (!snap_has(sn, pending[i].xid))
			return true;
	return false;
}

/* The transactions in progress now become the pending ones; those that were pending already keep
 * their floor, the others get old_seen (0 after a full load). */
static void pending_set(const snap_t *sn, int64_t old_seen)
{
	static int64_t floors[PENDING_MAX];
	for (int i = 0; i < sn->n; i++) {
		floors[i] = old_seen;
		for (int j = 0; j < npending; j++)
			if (pending[j].xid == sn->xip[i] && pending[j].floor < floors[i])
				floors[i] = pending[j].floor;
	}
	for (int i = 0; i < sn->n; i++)
		pending[i].xid = sn->xip[i], pending[i].floor = floors[i];
	npending = sn->n;
}

/* The lowest floor of the pending transactions that have ended since the last refresh, or -1. */
static int64_t ended_floor(const snap_t *sn)
{
	int64_t lo = -1;
	for (int i = 0; i < npending; i++)
		if (!snap_has(sn, pending[i].xid) && (lo < 0 || pending[i].floor < lo))
			lo = pending[i].floor;
	return lo;
}

#define CASE_SQL                                                                                                       \
	"SELECT c.id, c.state, c.channel, c.dept_id, c.item_id, COALESCE(c.window_id, 0), COALESCE(c.accepted_by, 0), " \
	"c.submitted_day, c.submitted_at, c.accepted_day, c.promised_day, c.decided_day, c.decided_at, c.visits, "   \
	"c.signal, c.suspended_workdays, c.commitment, v.handling_class FROM cases c "                                \
	"JOIN item_versions v ON v.id = c.item_version_id "
#define REVIEW_SQL                                                                                                     \
	"SELECT r.id, r.day, COALESCE(r.dept_id, c.dept_id, 0), COALESCE(r.item_id, c.item_id, 0), "                   \
	"COALESCE(r.window_id, c.window_id, 0), COALESCE(r.staff_id, c.accepted_by, 0), r.level, "                     \
	"COALESCE(r.genuine, -1), CASE WHEN r.rectified_at IS NULL THEN 0 ELSE 1 END FROM reviews r LEFT JOIN cases "  \
	"c ON c.id = r.case_id "
#define CARD_SQL                                                                                                       \
	"SELECT k.id, k.day, COALESCE(k.dept_id, c.dept_id, 0), COALESCE(c.item_id, 0), COALESCE(c.window_id, 0), "   \
	"COALESCE(k.user_id, c.accepted_by, 0), k.level FROM cards k LEFT JOIN cases c ON c.id = k.case_id "

/* A 'YYYY-MM-DD' column, or the local day of a Unix-time column when the day is not filled in. */
static yw_date_t day_col(db_stmt_t *st, int day_i, int at_i)
{
	const char *s = db_col_text_or_null(st, day_i);
	yw_date_t d;
	if (s && date_parse(s, strlen(s), &d) == 0)
		return d;
	if (at_i >= 0 && !db_col_null(st, at_i))
		return date_today_local(db_col_int(st, at_i));
	return STATS_NO_DAY;
}

/* Department, item, window and staff ids from four columns starting at i. */
static stats_dims_t dims(db_stmt_t *st, int i)
{
	return (stats_dims_t){(int32_t)db_col_int(st, i), (int32_t)db_col_int(st, i + 1),
			      (int32_t)db_col_int(st, i + 2), (int32_t)db_col_int(st, i + 3)};
}

/* Grows an id-indexed array so that slot id exists; new slots are copies of *blank. */
static void *reserve(void *arr, size_t *n, int64_t id, size_t size, const void *blank)
{
	if ((size_t)id < *n)
		return arr;
	size_t cap = *n ? *n : 1024;
	while (cap <= (size_t)id)
		cap *= 2;
	char *a = realloc(arr, cap * size);
	if (!a)
		abort();
	for (size_t i = *n; i < cap; i++)
		memcpy(a + i * size, blank, size);
	*n = cap;
	return a;
}

static void put_case(db_stmt_t *st, const calendar_t *cal)
{
	int64_t id = db_col_int(st, 0);
	facts.cases = reserve(facts.cases, &facts.ncases, id, sizeof *facts.cases, &stats_case_empty);
	stats_case_t *c = &facts.cases[id];
	*c = stats_case_empty;
	c->state = (uint8_t)db_col_int(st, 1);
	c->flags = (strcmp(db_col_text(st, 2), "online") == 0 ? SF_ONLINE : 0) |
		   (db_col_int(st, 16) ? SF_COMMITMENT : 0) | (db_col_int(st, 17) == 1 ? SF_INSTANT : 0);
	c->dim = dims(st, 3);
	c->submitted = day_col(st, 7, 8);
	c->accepted = day_col(st, 9, -1);
	c->promised = day_col(st, 10, -1);
	c->decided = day_col(st, 11, 12);
	int64_t visits = db_col_int(st, 13), signal = db_col_int(st, 14);
	c->visits = (uint8_t)(visits > 255 ? 255 : visits);
	c->signal = (uint8_t)(signal > 3 ? 3 : signal);
	int days;
	if (c->accepted != STATS_NO_DAY && c->decided != STATS_NO_DAY && case_state_decided(c->state) &&
	    calendar_workdays_between(cal, c->accepted, c->decided, &days, NULL) == 0) {
		days -= (int)db_col_int(st, 15);
		c->handling_days = (int16_t)(days < 0 ? 0 : days > 30000 ? 30000 : days);
	}
}

static void put_review(db_stmt_t *st)
{
	static const stats_review_t blank;
	int64_t id = db_col_int(st, 0);
	facts.reviews = reserve(facts.reviews, &facts.nreviews, id, sizeof *facts.reviews, &blank);
	stats_review_t *r = &facts.reviews[id];
	int64_t level = db_col_int(st, 6);
	*r = (stats_review_t){.day = day_col(st, 1, -1),
			      .dim = dims(st, 2),
			      .level = (uint8_t)(level >= 1 && level <= 5 ? level : 0),
			      .genuine = (int8_t)db_col_int(st, 7),
			      .rectified = (uint8_t)db_col_int(st, 8)};
}

static void put_card(db_stmt_t *st)
{
	static const stats_card_t blank;
	int64_t id = db_col_int(st, 0);
	facts.cards = reserve(facts.cards, &facts.ncards, id, sizeof *facts.cards, &blank);
	int64_t level = db_col_int(st, 6);
	facts.cards[id] = (stats_card_t){.day = day_col(st, 1, -1), .dim = dims(st, 2),
					 .level = (uint8_t)(level >= 1 && level <= 3 ? level : 0)};
}

/* Reads rows of one table (all when id is 0, else that row) into the facts: 0 or the step's error. */
static int load_rows(db_t *db, int tbl, int64_t id, const calendar_t *cal)
{
	static const char *const all[] = {NULL, CASE_SQL, REVIEW_SQL, CARD_SQL};
	static const char *const one[] = {NULL, CASE_SQL "WHERE c.id = :id", REVIEW_SQL "WHERE r.id = :id",
					  CARD_SQL "WHERE k.id = :id"};
	db_stmt_t *st = db_prepare(db, id ? one[tbl] : all[tbl]);
	if (id)
		db_bind_int(st, "id", id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (tbl == TBL_CASES)
			put_case(st, cal);
		else if (tbl == TBL_REVIEWS)
			put_review(st);
		else
			put_card(st);
	}
	return rc;
}

static void facts_clear(void)
{
	free(facts.cases);
	free(facts.reviews);
	free(facts.cards);
	memset(&facts, 0, sizeof facts);
}

/* Brings the facts up to change `newest` and the snapshot sn (write-locked, inside a read
 * transaction). */
static int refresh(db_t *db, int64_t newest, int64_t oldest, const snap_t *sn)
{
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	/* from: the changes after it are read again; lower than seen when a pending transaction has
	 * ended, whose changes lie above its floor (those already applied are read again, harmlessly) */
	int64_t lo = seen >= 0 ? ended_floor(sn) : -1;
	int64_t from = lo >= 0 ? lo : seen;
	bool full = seen < 0 || oldest > from + 1 || seen - from > STATS_REREAD_MAX;
	if (full) {
		facts_clear();
		for (int t = TBL_CASES; t <= TBL_CARDS && !rc; t++)
			rc = load_rows(db, t, 0, cal);
	} else {
		db_stmt_t *st = db_prepare(
			db, "SELECT DISTINCT tbl, row_id FROM stats_changes WHERE seq > :from AND seq <= :newest");
		db_bind_int(st, "from", from);
		db_bind_int(st, "newest", newest);
		int s;
		while ((s = db_step(st)) == DB_ROW) {
			int tbl = (int)db_col_int(st, 0);
			if (tbl >= TBL_CASES && tbl <= TBL_CARDS &&
			    (rc = load_rows(db, tbl, db_col_int(st, 1), cal)) != 0) {
				db_reset(st);
				break;
			}
		}
		if (!rc && s < 0)
			rc = s;
	}
	calendar_release();
	if (rc || sn->overflow) {
		facts_clear();
		seen = -1;
		npending = 0;
	} else {
		pending_set(sn, full ? 0 : seen);
		seen = newest;
	}
	return rc;
}

/* The facts are read in one snapshot: SQLite's deferred BEGIN takes it at the first read; PostgreSQL
 * needs REPEATABLE READ for it (under its default, READ COMMITTED, each statement sees its own). */
static const char *const read_tx_sql[] = {
	[DB_SQLITE] = "BEGIN",
	[DB_POSTGRES] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
};

int stats_acquire(db_t *db, const stats_facts_t **out)
{
	if (db_exec(db, read_tx_sql[db_engine(db)]) != 0)
		return YW_EDB;
	int64_t newest = 0, oldest = 0;
	static const char *const head_sql[] = {
		[DB_SQLITE] = "SELECT COALESCE((SELECT max(seq) FROM stats_changes), 0), "
			      "COALESCE((SELECT min(seq) FROM stats_changes), 0), ''",
		[DB_POSTGRES] = "SELECT COALESCE((SELECT max(seq) FROM stats_changes), 0), "
				"COALESCE((SELECT min(seq) FROM stats_changes), 0), "
				"CAST(pg_current_snapshot() AS TEXT)",
	};
	db_stmt_t *st = db_prepare(db, head_sql[db_engine(db)]);
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		rc = YW_EDB; /* a query of aggregates always gives a row */
	if (!rc) {
		static __thread snap_t sn;
		newest = db_col_int(st, 0);
		oldest = db_col_int(st, 1);
		snap_parse(db_col_text(st, 2), &sn);
		db_reset(st);
		pthread_rwlock_rdlock(&lock);
		bool current = seen == newest && !pending_ended(&sn);
		pthread_rwlock_unlock(&lock);
		if (!current) {
			pthread_rwlock_wrlock(&lock);
			if (seen < newest || oldest > seen + 1 || pending_ended(&sn))
				rc = refresh(db, newest, oldest, &sn);
			pthread_rwlock_unlock(&lock);
		}
	}
	if (db_exec(db, "COMMIT") != 0) {
		db_rollback(db);
		rc = rc ? rc : YW_EDB;
	}
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&lock);
	*out = &facts;
	return 0;
}

void stats_release(void)
{
	pthread_rwlock_unlock(&lock);
}

static int trim_log(db_t *db, void *arg)
{
	(void)arg;
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st =
		db_prepare(db, "DELETE FROM stats_changes WHERE seq <= (SELECT max(seq) FROM stats_changes) - :keep");
	db_bind_int(st, "keep", STATS_LOG_KEEP);
	if ((rc = db_run(st)) != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int stats_store_log_reset(db_t *db)
{
	return db_run(db_prepare(db, "DELETE FROM stats_changes WHERE seq < (SELECT max(seq) FROM stats_changes)"));
}

/* In the server the facts are loaded on the ticker's own read-only connection (a full load must
 * not hold the writer, and on PostgreSQL it reads in a snapshot transaction of its own) and the
 * trim is a job of the group-commit writer (writer_run); the command line trims directly. */
int stats_tick(db_t *db, int64_t now)
{
	(void)now;
	const stats_facts_t *f;
	int rc = stats_acquire(db, &f);
	if (rc)
		return rc;
	stats_release();
	int64_t spread = 0;
	rc = db_query_int(db,
			  "SELECT COALESCE((SELECT max(seq) FROM stats_changes), 0) - "
			  "COALESCE((SELECT min(seq) FROM stats_changes), 0)",
			  NULL, &spread);
	if (rc)
		return rc;
	if (spread <= STATS_LOG_KEEP + STATS_LOG_KEEP / 10)
		return 0;
	return db_thread_is_reader() ? writer_run(trim_log, NULL) : trim_log(db, NULL);
}

/* ---- reads for the routes and the monthly report ---- */

/* Departments, items, windows, halls and users belong to org and catalog; statistics reads their
 * ids, regions and names here, in one place (docs/architecture.md, "How the modules depend on each
 * other": the reads across modules that remain). */

int stats_dept_scope(db_t *db, const auth_user_t *user, arena_t *arena, stats_query_t *q)
{
	int64_t max = 0;
	int rc = db_query_int(db, "SELECT COALESCE(max(id), 0) FROM departments", NULL, &max);
	if (rc)
		return rc;
	uint8_t *ok = arena_alloc(arena, (size_t)max + 1);
	memset(ok, 0, (size_t)max + 1);
	db_stmt_t *st = db_prepare(db, "SELECT id, region_code FROM departments");
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		if (id >= 0 && id <= max)
			ok[id] = auth_dept_in_scope(user, id, db_col_text(st, 1));
	}
	if (rc < 0)
		return rc;
	/* reviews and cards of no department (一次一评 at a 综合受理 window) are the region's */
	ok[0] = auth_dept_in_scope(user, 0, user->region_code);
	q->dept_ok = ok;
	q->ndept_ok = (size_t)max + 1;
	return 0;
}

int stats_dim_name(db_t *db, enum stats_by by, int64_t key, json_t **out)
{
	static const char *const sql[] = {
		[STATS_BY_DEPT] = "SELECT name FROM departments WHERE id = :id",
		[STATS_BY_ITEM] = "SELECT name FROM item_versions WHERE item_id = :id ORDER BY CASE WHEN status = "
				  "'published' THEN 0 ELSE 1 END, version DESC LIMIT 1",
		[STATS_BY_WINDOW] =
			"SELECT h.name || w.name FROM windows w JOIN halls h ON h.id = w.hall_id WHERE w.id = :id",
		[STATS_BY_STAFF] = "SELECT name FROM users WHERE id = :id",
	};
	if (by < STATS_BY_DEPT || by > STATS_BY_STAFF)
		return YW_EINVAL;
	db_stmt_t *st = db_prepare(db, sql[by]);
	db_bind_int(st, "id", key);
	int rc = db_one(st);
	if (rc == 0) {
		*out = json_string(db_col_text(st, 0));
		db_reset(st);
	}
	return rc;
}

static bool in_scope(const stats_query_t *q, int64_t dept)
{
	return dept > 0 && (size_t)dept < q->ndept_ok && q->dept_ok[dept];
}

int stats_stationed(db_t *db, const auth_user_t *user, const stats_query_t *q, stats_stationed_t *out)
{
	*out = (stats_stationed_t){0};
	db_stmt_t *st = db_prepare(db, "SELECT i.dept_id, COUNT(*) FROM items i JOIN item_versions v "
				       "ON v.item_id = i.id AND v.status = 'published' GROUP BY i.dept_id");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (in_scope(q, db_col_int(st, 0))) {
			out->depts++;
			out->items += db_col_int(st, 1);
		}
	if (rc < 0)
		return rc;
	st = db_prepare(db,
			"SELECT COALESCE(w.dept_id, 0), h.region_code FROM windows w JOIN halls h ON h.id = w.hall_id "
			"WHERE w.active = 1");
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t dept = db_col_int(st, 0);
		/* 综合受理 windows belong to no department: they count for whoever oversees the hall's region */
		out->windows += dept ? in_scope(q, dept) : auth_dept_in_scope(user, 0, db_col_text(st, 1));
	}
	if (rc < 0)
		return rc;
	st = db_prepare(db, "SELECT dept_id FROM users WHERE kind = 'staff' AND disabled = 0 AND dept_id IS NOT NULL");
	while ((rc = db_step(st)) == DB_ROW)
		out->staff += in_scope(q, db_col_int(st, 0));
	return rc < 0 ? rc : 0;
}
