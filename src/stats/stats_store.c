/* Statistics store: the in-memory facts of stats.h, loaded from cases, reviews and cards once per
 * process and then kept current from the change log stats_changes (migration 4), which triggers
 * fill on every insert or update of those tables: platform/changelog.h follows the log (the newest
 * sequence number per request; the changed rows read again by id; PostgreSQL's commit order), this
 * file loads the rows. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "platform/auth.h"
#include "platform/calendar_store.h"
#include "platform/changelog.h"
#include "platform/err.h"
#include "platform/writer.h"
#include "stats/stats.h"

/* Changes kept in the log for processes that fall behind; older ones are trimmed. */
#define STATS_LOG_KEEP 100000
/* Changes already applied that a refresh reads again rather than loading all facts afresh. */
#define STATS_REREAD_MAX 5000

enum { TBL_CASES = 1, TBL_REVIEWS = 2, TBL_CARDS = 3 };

static stats_facts_t facts;

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

/* The follower's callback (changelog.h): everything afresh, or the changed rows by id. */
static int refresh(db_t *db, void *arg, bool full, db_stmt_t *changes)
{
	(void)arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	if (full) {
		facts_clear();
		for (int t = TBL_CASES; t <= TBL_CARDS && !rc; t++)
			rc = load_rows(db, t, 0, cal);
	} else {
		int s;
		while ((s = db_step(changes)) == DB_ROW) {
			int tbl = (int)db_col_int(changes, 0);
			if (tbl >= TBL_CASES && tbl <= TBL_CARDS && (rc = load_rows(db, tbl, db_col_int(changes, 1), cal)) != 0)
				break;
		}
		if (!rc && s < 0)
			rc = s;
	}
	calendar_release();
	return rc;
}

static void clear(void *arg)
{
	(void)arg;
	facts_clear();
}

static const changelog_ops_t log_ops = {
	CHANGELOG_LOG_SQL("stats_changes"),
	.changes_sql = "SELECT DISTINCT tbl, row_id FROM stats_changes WHERE seq > :from AND seq <= :newest",
	.keep = STATS_LOG_KEEP,
	.reread_max = STATS_REREAD_MAX,
	.refresh = refresh,
	.clear = clear,
};
static changelog_t follower = CHANGELOG_INIT(&log_ops);

int stats_acquire(db_t *db, const stats_facts_t **out)
{
	int rc = changelog_acquire(&follower, db, NULL);
	if (!rc)
		*out = &facts;
	return rc;
}

void stats_release(void)
{
	changelog_release(&follower);
}

int stats_store_log_reset(db_t *db)
{
	return db_run(db_prepare(db, "DELETE FROM stats_changes WHERE seq < (SELECT max(seq) FROM stats_changes)"));
}

/* The background job: the facts loaded on the ticker's own connection, the log trimmed (changelog.h). */
int stats_tick(db_t *db, int64_t now)
{
	(void)now;
	return changelog_tick(&follower, db, NULL);
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
