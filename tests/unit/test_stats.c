/* Statistics rules on a small hand-made fact set: every figure of stats.h counted by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "platform/err.h"
#include "stats/stats.h"

static yw_date_t day(int m, int d)
{
	return date_from_ymd(2025, m, d);
}

static stats_case_t cases[9];
static stats_review_t reviews[8];
static stats_card_t cards[6];
static stats_facts_t facts = {cases, 9, reviews, 8, cards, 6};

static stats_case_t mk(int dept, int item, int state, uint8_t flags, int visits, yw_date_t sub, yw_date_t prom,
		       yw_date_t dec, int handling)
{
	stats_case_t c = stats_case_empty;
	c.dim = (stats_dims_t){dept, item, dept == 1 ? 7 : 0, dept == 1 ? 5 : 6};
	c.state = (uint8_t)state;
	c.flags = flags;
	c.visits = (uint8_t)visits;
	c.submitted = sub;
	c.accepted = sub;
	c.promised = prom;
	c.decided = dec;
	c.handling_days = (int16_t)handling;
	return c;
}

static int setup(void **state)
{
	(void)state;
	cases[0] = stats_case_empty; /* slot 0 is never a case */
	cases[1] = mk(1, 10, 11, 0, 1, day(3, 3), day(3, 10), day(3, 7), 4);                  /* early */
	cases[2] = mk(1, 11, 11, SF_ONLINE | SF_INSTANT, 0, day(3, 4), day(3, 4), day(3, 4), 0); /* on the day */
	cases[3] = mk(2, 12, 13, SF_ONLINE, 2, day(3, 5), day(3, 12), day(3, 14), 7);          /* late, denied */
	cases[4] = mk(1, 10, 2, 0, 1, day(3, 6), STATS_NO_DAY, STATS_NO_DAY, -1);              /* withdrawn */
	cases[5] = mk(1, 10, 0, 0, 0, STATS_NO_DAY, STATS_NO_DAY, STATS_NO_DAY, -1);          /* draft */
	cases[6] = mk(2, 12, 3, 0, 1, day(3, 20), day(3, 27), STATS_NO_DAY, -1);              /* open, overdue */
	cases[6].signal = 2;
	cases[7] = mk(2, 12, 9, 0, 1, day(3, 20), day(3, 25), STATS_NO_DAY, -1); /* suspended: clock stopped */
	cases[8] = mk(1, 10, 11, 0, 1, day(2, 27), day(3, 5), day(3, 3), 2);    /* received in February */
	memset(reviews, 0, sizeof reviews);
	reviews[1] = (stats_review_t){day(3, 7), {1, 10, 7, 5}, 1, -1, 0};
	reviews[2] = (stats_review_t){day(3, 8), {1, 11, 7, 5}, 3, -1, 0};
	reviews[3] = (stats_review_t){day(3, 15), {2, 12, 0, 6}, 4, 1, 1};
	reviews[4] = (stats_review_t){day(3, 15), {2, 12, 0, 6}, 5, 0, 0};
	reviews[5] = (stats_review_t){day(3, 16), {1, 10, 7, 5}, 4, -1, 0};
	reviews[6] = (stats_review_t){day(4, 2), {1, 10, 7, 5}, 2, -1, 0}; /* April */
	memset(cards, 0, sizeof cards);
	cards[1] = (stats_card_t){day(3, 11), {2, 12, 0, 6}, 1};
	cards[2] = (stats_card_t){day(3, 13), {2, 12, 0, 6}, 2};
	cards[3] = (stats_card_t){day(3, 28), {2, 12, 0, 6}, 2};
	cards[4] = (stats_card_t){day(3, 31), {2, 12, 0, 6}, 3};
	cards[5] = (stats_card_t){day(4, 1), {2, 12, 0, 6}, 3}; /* April */
	return 0;
}

static stats_query_t march(enum stats_by by)
{
	return (stats_query_t){.from = day(3, 1), .to = day(3, 31), .today = day(4, 10), .by = by};
}

static void totals(void **state)
{
	(void)state;
	stats_query_t q = march(STATS_BY_NONE);
	stats_result_t r;
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	const stats_counts_t *t = &r.total;
	assert_int_equal(t->received, 6); /* drafts and February's case are not received in March */
	assert_int_equal(t->online, 2);
	assert_int_equal(t->zuiduo, 5);
	assert_int_equal(t->completed, 4); /* including February's case decided in March */
	assert_int_equal(t->on_time, 3);
	assert_int_equal(t->early, 2);
	assert_int_equal(t->late, 1);
	assert_int_equal(t->open_overdue, 1); /* the suspended case is not overdue */
	assert_int_equal(t->instant, 1);
	assert_int_equal(t->handled, 4);
	assert_int_equal(t->handling_days, 13);
	assert_int_equal(t->reviews, 5);
	assert_int_equal(t->satisfied, 2);
	assert_int_equal(t->not_genuine, 1);
	assert_int_equal(t->bad, 2);
	assert_int_equal(t->genuine_bad, 1); /* the other bad review is still being verified */
	assert_int_equal(t->rectified, 1);
	assert_int_equal(t->levels[4], 2);
	assert_int_equal(t->cards[1], 1);
	assert_int_equal(t->cards[2], 2);
	assert_int_equal(t->cards[3], 1);
	stats_metrics_t m;
	stats_metrics(t, &m);
	assert_int_equal(m.overdue, 2);
	assert_float_equal(m.completion_rate, 4.0 / 6, 1e-9);
	assert_float_equal(m.on_time_rate, 0.75, 1e-9);
	assert_float_equal(m.early_rate, 0.5, 1e-9);
	assert_float_equal(m.avg_handling_days, 3.25, 1e-9);
	assert_float_equal(m.instant_share, 0.25, 1e-9);
	assert_float_equal(m.online_share, 2.0 / 6, 1e-9);
	assert_float_equal(m.zuiduo_rate, 5.0 / 6, 1e-9);
	assert_float_equal(m.satisfaction_rate, 0.5, 1e-9); /* 2 of the 4 reviews left after the non-genuine one */
	assert_float_equal(m.rectification_rate, 1.0, 1e-9); /* the one verified genuine was rectified */
	stats_result_free(&r);
}

static void empty_rates_are_nan(void **state)
{
	(void)state;
	stats_query_t q = {.from = day(6, 1), .to = day(6, 30), .today = day(7, 1), .by = STATS_BY_NONE};
	stats_result_t r;
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	stats_metrics_t m;
	stats_metrics(&r.total, &m);
	assert_true(isnan(m.completion_rate) && isnan(m.satisfaction_rate) && isnan(m.avg_handling_days));
	stats_result_free(&r);
}

static void scope_by_department(void **state)
{
	(void)state;
	uint8_t ok[3] = {0, 1, 0};
	stats_query_t q = march(STATS_BY_NONE);
	q.dept_ok = ok;
	q.ndept_ok = 3;
	stats_result_t r;
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.total.received, 3);
	assert_int_equal(r.total.completed, 3);
	assert_int_equal(r.total.reviews, 3);
	assert_int_equal(r.total.cards[2], 0);
	stats_result_free(&r);
}

static void groupings(void **state)
{
	(void)state;
	stats_query_t q = march(STATS_BY_DEPT);
	stats_result_t r;
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.keys[0], 1);
	assert_int_equal(r.rows[0].received, 3);
	assert_int_equal(r.keys[1], 2);
	assert_int_equal(r.rows[1].received, 3);
	assert_int_equal(r.rows[1].cards[3], 1);
	stats_result_free(&r);

	q = march(STATS_BY_WINDOW); /* online and window cases of dept 2 have no window: key 0 */
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.keys[0], 0);
	assert_int_equal(r.keys[1], 7);
	assert_int_equal(r.rows[1].completed, 3);
	stats_result_free(&r);

	q = march(STATS_BY_MONTH);
	q.from = day(2, 1);
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.keys[0], 202502);
	assert_int_equal(r.rows[0].received, 1);
	assert_int_equal(r.rows[0].completed, 0);
	assert_int_equal(r.keys[1], 202503);
	assert_int_equal(r.rows[1].received, 6);
	assert_int_equal(r.rows[1].completed, 4);
	stats_result_free(&r);

	q = march(STATS_BY_DAY); /* every day of the range, empty ones too */
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.n, 31);
	assert_int_equal(r.keys[3], day(3, 4));
	assert_int_equal(r.rows[3].received, 1);
	assert_int_equal(r.rows[3].completed, 1);
	assert_int_equal(r.rows[26].open_overdue, 1); /* by its promised day, 27 March */
	stats_result_free(&r);

	q = march(STATS_BY_YEAR);
	q.to = date_from_ymd(2026, 1, 5);
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.keys[1], 2026);
	assert_int_equal(r.rows[0].cards[3], 2);
	stats_result_free(&r);
}

static void bad_ranges(void **state)
{
	(void)state;
	stats_query_t q = march(STATS_BY_DAY);
	stats_result_t r;
	q.to = q.from - 1;
	assert_int_equal(stats_aggregate(&facts, &q, &r), YW_EINVAL);
	q.to = q.from + 366;
	assert_int_equal(stats_aggregate(&facts, &q, &r), YW_EINVAL);
	q.by = STATS_BY_MONTH;
	assert_int_equal(stats_aggregate(&facts, &q, &r), 0);
	stats_result_free(&r);
	assert_int_equal(stats_by_parse("staff"), STATS_BY_STAFF);
	assert_int_equal(stats_by_parse("week"), -1);
}

static void signals(void **state)
{
	(void)state;
	stats_query_t q = march(STATS_BY_NONE);
	int64_t s[4];
	stats_signals(&facts, &q, s);
	assert_int_equal(s[0], 1);
	assert_int_equal(s[1], 0);
	assert_int_equal(s[2], 1);
	assert_int_equal(s[3], 0);
}

/* The store: facts load from the tables, follow inserts and updates through the change log, and
 * reload whole when the log was trimmed past what this process had seen. */
static void exec_ok(db_t *db, const char *sql)
{
	assert_int_equal(db_exec(db, sql), 0);
}

static const stats_case_t *fact(db_t *db, int64_t id)
{
	const stats_facts_t *f;
	assert_int_equal(stats_acquire(db, &f), 0);
	const stats_case_t *c = (size_t)id < f->ncases ? &f->cases[id] : NULL;
	stats_release(); /* the test is the only thread: the facts stay put */
	return c;
}

static void store_follows_changes(void **state)
{
	(void)state;
	char path[] = "/tmp/yiwang-test-stats-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	exec_ok(db, "INSERT INTO regions(code, name, level) VALUES ('430100', '长沙市', 1);"
		    "INSERT INTO departments(id, name, uscc, region_code) VALUES (1, '甲局', 'A', '430100'), (2, '乙局', 'B', '430100');"
		    "INSERT INTO items(id, code, dept_id, created_at) VALUES (1, 'X1', 1, 0), (2, 'X2', 2, 0);"
		    "INSERT INTO item_versions(id, item_id, version, status, data, name, type, level, region_code, targets, tags,"
		    " lists, life_events, handling_class, promised_days, visits, online_depth, search_text, created_at) VALUES"
		    " (1, 1, 1, 'published', '{}', '即办', '01', 3, '430100', 1, 0, 0, 0, 1, 1, 1, 4, '', 0),"
		    " (2, 2, 1, 'published', '{}', '承诺', '01', 3, '430100', 1, 0, 0, 0, 2, 10, 1, 4, '', 0);"
		    "INSERT INTO cases(id, item_id, item_version_id, dept_id, region_code, applicant_name, applicant_no, channel,"
		    " state, form, created_at, submitted_day, accepted_day, promised_day, decided_day, suspended_workdays) VALUES"
		    " (1, 1, 1, 1, '430100', 'a', '1', 'online', 11, '{}', 0, '2025-03-03', '2025-03-03', '2025-03-04', '2025-03-03', 0),"
		    " (2, 2, 2, 2, '430100', 'b', '2', 'window', 3, '{}', 0, '2025-03-03', '2025-03-03', '2025-03-17', NULL, 0);");
	const stats_case_t *c = fact(db, 1);
	assert_non_null(c);
	assert_int_equal(c->state, 11);
	assert_int_equal(c->flags, SF_ONLINE | SF_INSTANT);
	assert_int_equal(c->submitted, day(3, 3));
	assert_int_equal(c->handling_days, 0);
	assert_int_equal(fact(db, 2)->decided, STATS_NO_DAY);

	/* decided two weeks later with three working days in 特别程序: 10 working days less 3 */
	exec_ok(db, "UPDATE cases SET state = 13, decided_day = '2025-03-17', suspended_workdays = 3 WHERE id = 2");
	c = fact(db, 2);
	assert_int_equal(c->state, 13);
	assert_int_equal(c->decided, day(3, 17));
	assert_int_equal(c->handling_days, 7);

	exec_ok(db, "INSERT INTO cases(id, item_id, item_version_id, dept_id, region_code, applicant_name, applicant_no,"
		    " channel, state, form, created_at, submitted_at) VALUES (3000, 2, 2, 2, '430100', 'c', '3', 'online', 1,"
		    " '{}', 0, 1741161600);"
		    "INSERT INTO reviews(id, case_id, level, channel, at, day, genuine) VALUES (5, 2, 4, 'pc', 0, '2025-03-18', 1);"
		    "INSERT INTO cards(id, case_id, level, kind, dept_id, day, at) VALUES (7, 2, 2, 'overdue', 2, '2025-03-18', 0);");
	c = fact(db, 3000); /* the arrays grow to new ids; the day comes from submitted_at when no day is written */
	assert_int_equal(c->submitted, day(3, 5));
	const stats_facts_t *f;
	assert_int_equal(stats_acquire(db, &f), 0);
	assert_int_equal(f->reviews[5].level, 4);
	assert_int_equal(f->reviews[5].dim.dept, 2); /* from its case */
	assert_int_equal(f->reviews[5].genuine, 1);
	assert_int_equal(f->cards[7].level, 2);
	stats_release();

	/* Two changes, the first trimmed from the log: the facts reload whole and miss neither. */
	exec_ok(db, "UPDATE cases SET state = 2 WHERE id = 3000; UPDATE cases SET visits = 3 WHERE id = 1;"
		    "DELETE FROM stats_changes WHERE seq < (SELECT max(seq) FROM stats_changes);");
	assert_int_equal(fact(db, 3000)->state, 2);
	assert_int_equal(fact(db, 1)->visits, 3);

	/* the names the routes label groups with; a group whose row is gone has none */
	json_t *name;
	assert_int_equal(stats_dim_name(db, STATS_BY_DEPT, 2, &name), 0);
	assert_string_equal(json_string_value(name), "乙局");
	json_decref(name);
	assert_int_equal(stats_dim_name(db, STATS_BY_ITEM, 1, &name), 0);
	assert_string_equal(json_string_value(name), "即办");
	json_decref(name);
	assert_int_equal(stats_dim_name(db, STATS_BY_DEPT, 99, &name), YW_ENOTFOUND);

	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(totals, setup),       cmocka_unit_test_setup(empty_rates_are_nan, setup),
		cmocka_unit_test_setup(scope_by_department, setup), cmocka_unit_test_setup(groupings, setup),
		cmocka_unit_test_setup(bad_ranges, setup),   cmocka_unit_test_setup(signals, setup),
		cmocka_unit_test(store_follows_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
