/* Statistics store: the in-memory facts of stats.h, loaded from cases, reviews and cards once per
 * process and then kept current from the change log stats_changes (migration 4), which triggers
 * fill on every insert or update of those tables. A request asks for the log's newest sequence
 * number (two index lookups); only when it moved are the changed rows read again, by id. When
 * the log was trimmed past the point this process had seen, the facts are loaded afresh. */
#include <pthread.h>
#include "platform/db_legacy.h"
#include <stdlib.h>
#include <string.h>

#include "platform/calendar_store.h"
#include "platform/err.h"
#include "stats/stats.h"

/* Changes kept in the log for processes that fall behind; older ones are trimmed. */
#define STATS_LOG_KEEP 100000

enum { TBL_CASES = 1, TBL_REVIEWS = 2, TBL_CARDS = 3 };

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static stats_facts_t facts;
static int64_t seen = -1; /* last change applied; -1 before the first load */

#define CASE_SQL                                                                                                       \
	"SELECT c.id, c.state, c.channel, c.dept_id, c.item_id, COALESCE(c.window_id, 0), COALESCE(c.accepted_by, 0), " \
	"c.submitted_day, c.submitted_at, c.accepted_day, c.promised_day, c.decided_day, c.decided_at, c.visits, "   \
	"c.signal, c.suspended_workdays, c.commitment, v.handling_class FROM cases c "                                \
	"JOIN item_versions v ON v.id = c.item_version_id "
#define REVIEW_SQL                                                                                                     \
	"SELECT r.id, r.day, COALESCE(r.dept_id, c.dept_id, 0), COALESCE(r.item_id, c.item_id, 0), "                  \
	"COALESCE(r.window_id, c.window_id, 0), COALESCE(r.staff_id, c.accepted_by, 0), r.level, "                    \
	"COALESCE(r.genuine, -1), r.rectified_at IS NOT NULL FROM reviews r LEFT JOIN cases c ON c.id = r.case_id "
#define CARD_SQL                                                                                                       \
	"SELECT k.id, k.day, COALESCE(k.dept_id, c.dept_id, 0), COALESCE(c.item_id, 0), COALESCE(c.window_id, 0), "   \
	"COALESCE(k.user_id, c.accepted_by, 0), k.level FROM cards k LEFT JOIN cases c ON c.id = k.case_id "

/* A 'YYYY-MM-DD' column, or the local day of a Unix-time column when the day is not filled in. */
static yw_date_t day_col(sqlite3_stmt *st, int day_i, int at_i)
{
	const unsigned char *s = sqlite3_column_text(st, day_i);
	yw_date_t d;
	if (s && date_parse((const char *)s, (size_t)sqlite3_column_bytes(st, day_i), &d) == 0)
		return d;
	if (at_i >= 0 && sqlite3_column_type(st, at_i) != SQLITE_NULL)
		return date_today_local(sqlite3_column_int64(st, at_i));
	return STATS_NO_DAY;
}

/* Department, item, window and staff ids from four columns starting at i. */
static stats_dims_t dims(sqlite3_stmt *st, int i)
{
	return (stats_dims_t){sqlite3_column_int(st, i), sqlite3_column_int(st, i + 1), sqlite3_column_int(st, i + 2),
			      sqlite3_column_int(st, i + 3)};
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

static void put_case(sqlite3_stmt *st, const calendar_t *cal)
{
	int64_t id = sqlite3_column_int64(st, 0);
	facts.cases = reserve(facts.cases, &facts.ncases, id, sizeof *facts.cases, &stats_case_empty);
	stats_case_t *c = &facts.cases[id];
	*c = stats_case_empty;
	c->state = (uint8_t)sqlite3_column_int(st, 1);
	c->flags = (strcmp(dbl_col_text(st, 2), "online") == 0 ? SF_ONLINE : 0) |
		   (sqlite3_column_int(st, 16) ? SF_COMMITMENT : 0) | (sqlite3_column_int(st, 17) == 1 ? SF_INSTANT : 0);
	c->dim = dims(st, 3);
	c->submitted = day_col(st, 7, 8);
	c->accepted = day_col(st, 9, -1);
	c->promised = day_col(st, 10, -1);
	c->decided = day_col(st, 11, 12);
	int visits = sqlite3_column_int(st, 13), signal = sqlite3_column_int(st, 14);
	c->visits = (uint8_t)(visits > 255 ? 255 : visits);
	c->signal = (uint8_t)(signal > 3 ? 3 : signal);
	int days;
	if (c->accepted != STATS_NO_DAY && c->decided != STATS_NO_DAY && (c->state == 11 || c->state == 13) &&
	    calendar_workdays_between(cal, c->accepted, c->decided, &days, NULL) == 0) {
		days -= sqlite3_column_int(st, 15);
		c->handling_days = (int16_t)(days < 0 ? 0 : days > 30000 ? 30000 : days);
	}
}

static void put_review(sqlite3_stmt *st)
{
	static const stats_review_t blank;
	int64_t id = sqlite3_column_int64(st, 0);
	facts.reviews = reserve(facts.reviews, &facts.nreviews, id, sizeof *facts.reviews, &blank);
	stats_review_t *r = &facts.reviews[id];
	int level = sqlite3_column_int(st, 6);
	*r = (stats_review_t){.day = day_col(st, 1, -1), .dim = dims(st, 2), .level = (uint8_t)(level >= 1 && level <= 5 ? level : 0),
			      .genuine = (int8_t)sqlite3_column_int(st, 7), .rectified = (uint8_t)sqlite3_column_int(st, 8)};
}

static void put_card(sqlite3_stmt *st)
{
	static const stats_card_t blank;
	int64_t id = sqlite3_column_int64(st, 0);
	facts.cards = reserve(facts.cards, &facts.ncards, id, sizeof *facts.cards, &blank);
	int level = sqlite3_column_int(st, 6);
	facts.cards[id] = (stats_card_t){.day = day_col(st, 1, -1), .dim = dims(st, 2),
					 .level = (uint8_t)(level >= 1 && level <= 3 ? level : 0)};
}

/* Reads rows of one table (all when id is 0, else that row) into the facts. */
static int load_rows(db_t *db, int tbl, int64_t id, const calendar_t *cal)
{
	static const char *const all[] = {NULL, CASE_SQL, REVIEW_SQL, CARD_SQL};
	static const char *const one[] = {NULL, CASE_SQL "WHERE c.id = $1", REVIEW_SQL "WHERE r.id = $1",
					  CARD_SQL "WHERE k.id = $1"};
	sqlite3_stmt *st = dbl_prepare(db, id ? one[tbl] : all[tbl]);
	if (id)
		dbl_bind_int(st, 1, id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (tbl == TBL_CASES)
			put_case(st, cal);
		else if (tbl == TBL_REVIEWS)
			put_review(st);
		else
			put_card(st);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : YW_EDB;
}

static void facts_clear(void)
{
	free(facts.cases);
	free(facts.reviews);
	free(facts.cards);
	memset(&facts, 0, sizeof facts);
}

/* Brings the facts up to change `newest` (write-locked, inside a read transaction). */
static int refresh(db_t *db, int64_t newest, int64_t oldest)
{
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	if (seen < 0 || oldest > seen + 1) {
		facts_clear();
		for (int t = TBL_CASES; t <= TBL_CARDS && !rc; t++)
			rc = load_rows(db, t, 0, cal);
	} else {
		sqlite3_stmt *st = dbl_prepare(db, "SELECT DISTINCT tbl, row_id FROM stats_changes WHERE seq > $1 AND seq <= $2");
		dbl_bind_int(st, 1, seen);
		dbl_bind_int(st, 2, newest);
		int s;
		while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
			int tbl = sqlite3_column_int(st, 0);
			if (tbl >= TBL_CASES && tbl <= TBL_CARDS)
				rc = load_rows(db, tbl, sqlite3_column_int64(st, 1), cal);
		}
		sqlite3_reset(st);
	}
	calendar_release();
	if (rc) {
		facts_clear();
		seen = -1;
	} else {
		seen = newest;
	}
	return rc;
}

int stats_acquire(db_t *db, const stats_facts_t **out)
{
	if (db_exec(db, "BEGIN") != 0)
		return YW_EDB;
	int64_t newest = 0, oldest = 0;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COALESCE((SELECT max(seq) FROM stats_changes), 0), "
					  "COALESCE((SELECT min(seq) FROM stats_changes), 0)");
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	if (!rc) {
		newest = sqlite3_column_int64(st, 0);
		oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (!rc) {
		pthread_rwlock_rdlock(&lock);
		bool current = seen == newest;
		pthread_rwlock_unlock(&lock);
		if (!current) {
			pthread_rwlock_wrlock(&lock);
			if (seen < newest || oldest > seen + 1)
				rc = refresh(db, newest, oldest);
			pthread_rwlock_unlock(&lock);
		}
	}
	db_exec(db, "COMMIT");
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

int stats_tick(db_t *db, int64_t now)
{
	(void)now;
	const stats_facts_t *f;
	int rc = stats_acquire(db, &f);
	if (rc)
		return rc;
	stats_release();
	int64_t spread = 0;
	db_query_int(db, "SELECT COALESCE((SELECT max(seq) FROM stats_changes), 0) - "
			 "COALESCE((SELECT min(seq) FROM stats_changes), 0)", NULL, &spread);
	if (spread <= STATS_LOG_KEEP + STATS_LOG_KEEP / 10)
		return 0;
	if ((rc = db_begin(db)) != 0)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "DELETE FROM stats_changes WHERE seq <= (SELECT max(seq) FROM stats_changes) - $1");
	dbl_bind_int(st, 1, STATS_LOG_KEEP);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
