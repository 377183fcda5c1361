/* Electronic supervision: the signal of a clock (normal, 预警, 黄牌, 红牌) on the working-day
 * calendar across the 2025 National Day and the 2026 Spring Festival, configurable limits, a
 * suspended clock that keeps its signal; and the background evaluation (supervision_tick) on a
 * small database: signals of cases and steps, cards once to the responsible person, overdue
 * 告知承诺 follow-ups and 督办 orders, a quiet second tick that writes nothing, audit intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/db.h"
#include "platform/err.h"
#include "supervision/supervision.h"

static yw_date_t d(const char *s)
{
	yw_date_t out;
	assert_int_equal(date_parse(s, strlen(s), &out), 0);
	return out;
}

static void signals(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	static const struct {
		const char *due, *at;
		int warn, red;
		int remaining, signal;
	} cases[] = {
		/* 2025 National Day and Mid-Autumn: Oct 1-8 off, Sep 28 (Sun) and Oct 11 (Sat) worked */
		{"2025-10-09", "2025-09-26", 2, 3, 4, SV_NORMAL},  /* Sep 28, 29, 30, Oct 9 */
		{"2025-10-09", "2025-09-28", 2, 3, 3, SV_NORMAL},
		{"2025-10-09", "2025-09-29", 2, 3, 2, SV_WARNING}, /* 10 calendar days, 2 working days */
		{"2025-10-09", "2025-10-03", 2, 3, 1, SV_WARNING}, /* the holiday counts for nothing */
		{"2025-10-09", "2025-10-09", 2, 3, 0, SV_WARNING}, /* the due day itself */
		{"2025-10-09", "2025-10-10", 2, 3, -1, SV_YELLOW},
		{"2025-10-09", "2025-10-11", 2, 3, -2, SV_YELLOW}, /* Oct 11 (Sat) is worked */
		{"2025-10-09", "2025-10-13", 2, 3, -3, SV_YELLOW}, /* 3 working days over: not yet more than 3 */
		{"2025-10-09", "2025-10-14", 2, 3, -4, SV_RED},
		{"2025-09-30", "2025-10-08", 2, 3, 0, SV_WARNING}, /* due before the holiday: not overdue in it */
		{"2025-09-30", "2025-10-09", 2, 3, -1, SV_YELLOW},
		{"2025-09-30", "2025-10-13", 2, 3, -4, SV_RED},    /* Oct 9, 10, 11, 13 */
		/* 2026 Spring Festival: Feb 15-23 off, Feb 14 (Sat) and Feb 28 (Sat) worked */
		{"2026-02-25", "2026-02-12", 2, 3, 4, SV_NORMAL},  /* Feb 13, 14, 24, 25 */
		{"2026-02-25", "2026-02-13", 2, 3, 3, SV_NORMAL},
		{"2026-02-25", "2026-02-14", 2, 3, 2, SV_WARNING},
		{"2026-02-25", "2026-02-20", 2, 3, 2, SV_WARNING},
		{"2026-02-13", "2026-02-14", 2, 3, -1, SV_YELLOW}, /* the make-up Saturday counts */
		{"2026-02-13", "2026-02-23", 2, 3, -1, SV_YELLOW}, /* nine days later, still one working day */
		{"2026-02-13", "2026-02-25", 2, 3, -3, SV_YELLOW},
		{"2026-02-13", "2026-02-26", 2, 3, -4, SV_RED},
		{"2026-02-27", "2026-03-03", 2, 3, -3, SV_YELLOW}, /* Feb 28 (Sat) worked, Mar 2, 3 */
		{"2026-02-27", "2026-03-04", 2, 3, -4, SV_RED},
		/* ordinary weeks: a weekend after the due day is not yet overdue */
		{"2026-03-06", "2026-03-08", 2, 3, 0, SV_WARNING},
		{"2026-03-06", "2026-03-09", 2, 3, -1, SV_YELLOW},
		{"2026-03-13", "2026-03-10", 2, 3, 3, SV_NORMAL},
		/* configured limits */
		{"2026-03-13", "2026-03-10", 3, 3, 3, SV_WARNING},
		{"2026-03-13", "2026-03-12", 0, 3, 1, SV_NORMAL},
		{"2026-03-13", "2026-03-13", 0, 3, 0, SV_WARNING},
		{"2026-03-06", "2026-03-10", 2, 1, -2, SV_RED},
		{"2026-03-06", "2026-03-09", 2, 0, -1, SV_RED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sv_limits_t lim = {cases[i].warn, cases[i].red};
		sv_eval_t e;
		assert_int_equal(supervision_signal(cal, &lim, 0, d(cases[i].due), d(cases[i].at), &e), 0);
		if (e.remaining != cases[i].remaining || e.signal != cases[i].signal)
			fail_msg("signal %zu (due %s, at %s): remaining %d signal %s, want %d %s", i, cases[i].due,
				 cases[i].at, e.remaining, supervision_signal_label(e.signal), cases[i].remaining,
				 supervision_signal_label(cases[i].signal));
		assert_false(e.beyond_published);
	}
	calendar_free(cal);
}

/* A case in 特别程序 keeps the signal it had when its clock stopped, however long it waits. */
static void suspended_clock_is_frozen(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	sv_limits_t lim = {2, 3};
	yw_date_t due = d("2025-10-09"), stopped = d("2025-09-26");
	static const char *const later[] = {"2025-09-26", "2025-09-30", "2025-10-10", "2025-10-20", "2026-01-05"};
	for (size_t i = 0; i < sizeof later / sizeof later[0]; i++) {
		sv_eval_t e;
		yw_date_t at = supervision_clock_day(d(later[i]), true, stopped);
		assert_int_equal(at, stopped);
		assert_int_equal(supervision_signal(cal, &lim, 0, due, at, &e), 0);
		assert_int_equal(e.signal, SV_NORMAL);
		assert_int_equal(e.remaining, 4);
	}
	/* a running clock reads today */
	assert_int_equal(supervision_clock_day(d("2025-10-20"), false, stopped), d("2025-10-20"));
	calendar_free(cal);
}

static void unpublished_years_are_reported(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	sv_limits_t lim = {2, 3};
	sv_eval_t e;
	assert_int_equal(supervision_signal(cal, &lim, 0, d("2199-01-10"), d("2199-01-01"), &e), 0);
	assert_true(e.beyond_published);
	assert_int_equal(supervision_signal(cal, &lim, 0, date_from_ymd(2200, 1, 10), d("2199-12-01"), &e), YW_EINVAL);
	calendar_free(cal);
}

/* 预警 needs the clock to have run a working day: day 0 of a 2-day step is 正常, day 1 预警, the
 * due day 预警, the next working day 黄牌; a 1-day step is 预警 only on its due day. */
static void warning_needs_a_day_used(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	sv_limits_t lim = {2, 3};
	static const struct {
		const char *start, *due, *at;
		int remaining, signal;
	} cases[] = {
		{"2026-03-09", "2026-03-11", "2026-03-09", 2, SV_NORMAL},  /* Mon, 2-day step, day 0 */
		{"2026-03-09", "2026-03-11", "2026-03-10", 1, SV_WARNING}, /* day 1 */
		{"2026-03-09", "2026-03-11", "2026-03-11", 0, SV_WARNING}, /* the due day */
		{"2026-03-09", "2026-03-11", "2026-03-12", -1, SV_YELLOW},
		{"2026-03-06", "2026-03-10", "2026-03-06", 2, SV_NORMAL},  /* Fri start, due Tue: day 0 */
		{"2026-03-06", "2026-03-10", "2026-03-08", 2, SV_NORMAL},  /* the weekend uses nothing */
		{"2026-03-06", "2026-03-10", "2026-03-09", 1, SV_WARNING},
		{"2026-03-09", "2026-03-10", "2026-03-09", 1, SV_NORMAL},  /* 1-day step, day 0 */
		{"2026-03-09", "2026-03-10", "2026-03-10", 0, SV_WARNING}, /* its due day */
		{"2026-03-09", "2026-03-09", "2026-03-09", 0, SV_NORMAL},  /* 即办: due the day it starts */
		{"2026-03-09", "2026-03-09", "2026-03-10", -1, SV_YELLOW},
		{"2026-03-02", "2026-03-11", "2026-03-09", 2, SV_WARNING}, /* 7-day clock, 2 left */
		{"2026-03-02", "2026-03-11", "2026-03-06", 3, SV_NORMAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sv_eval_t e;
		assert_int_equal(supervision_signal(cal, &lim, d(cases[i].start), d(cases[i].due), d(cases[i].at), &e), 0);
		if (e.remaining != cases[i].remaining || e.signal != cases[i].signal)
			fail_msg("clock %zu (start %s, due %s, at %s): remaining %d signal %s, want %d %s", i, cases[i].start,
				 cases[i].due, cases[i].at, e.remaining, supervision_signal_label(e.signal),
				 cases[i].remaining, supervision_signal_label(cases[i].signal));
	}
	calendar_free(cal);
}

static void card_kinds(void **state)
{
	(void)state;
	assert_null(supervision_card_kind(SV_NORMAL));
	assert_string_equal(supervision_card_kind(SV_WARNING), "warning");
	assert_string_equal(supervision_card_kind(SV_YELLOW), "overdue");
	assert_string_equal(supervision_card_kind(SV_RED), "overdue_long");
	assert_string_equal(supervision_kind_label("overdue_long"), "严重超期");
	assert_string_equal(supervision_kind_label("something_new"), "something_new");
}


/* ---- supervision_tick on a database ---- */

static void exec_ok(db_t *db, const char *sql)
{
	if (db_exec(db, sql) != 0)
		fail_msg("%s", sql); /* the driver logged the engine's message */
}

/* Audit records for every row of a table, as the program would have written them; sql selects
 * the ids (a literal: statements are cached by its address). */
static void audit_all(db_t *db, const char *table, const char *sql)
{
	db_stmt_t *st = db_prepare(db, sql);
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		assert_int_equal(audit_record_id(db, NULL, "test.fixture", table, db_col_int(st, 0)), 0);
	assert_int_equal(rc, DB_DONE);
}

/* The first column of the one row of sql (a literal). */
static int64_t query_int(db_t *db, const char *sql)
{
	int64_t n = 0;
	assert_int_equal(db_query_int(db, sql, NULL, &n), 0);
	return n;
}

/* 10:00 in China on the given day. */
static int64_t at_ten(const char *day)
{
	return (int64_t)d(day) * 86400 + 2 * 3600;
}

/* Departments 1 and 2; clerk 1, approver 2 of department 1, approver 3 of department 2; one item.
 * Cases (ids): 1 overdue one working day, 2 due in two, 3 suspended before its due day, 4 decided
 * with an overdue 告知承诺 follow-up, 5 five working days over; steps of cases 1 and 2; 督办
 * orders 1 (open, past due) and 2 (answered). Read on 2025-10-10, after the National Day. */
static db_t *fixture(const char *path)
{
	db_t *db;
	unlink(path);
	assert_int_equal(db_open(path, &db), 0);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(calendar_store_seed(db), 0);
	exec_ok(db, "INSERT INTO regions VALUES ('430100', '长沙市', 1, NULL);"
		    "INSERT INTO departments(id, name, uscc, region_code) VALUES (1, '市场监管局', 'U1', '430100'),"
		    " (2, '公安局', 'U2', '430100');"
		    "INSERT INTO users(id, username, name, kind, password_hash, dept_id, region_code, roles, created_at)"
		    " VALUES (1, 'clerk', '窗口', 'staff', 'x', NULL, '430100', 'clerk', 0),"
		    " (2, 'approver', '审批', 'staff', 'x', 1, '430100', 'approver', 0),"
		    " (3, 'other', '他人', 'staff', 'x', 2, '430100', 'dept_admin,approver', 0);"
		    "INSERT INTO items VALUES (1, 'I1', 1, 0);"
		    "INSERT INTO item_versions(id, item_id, version, status, data, name, type, level, region_code, targets,"
		    " tags, lists, life_events, handling_class, promised_days, visits, online_depth, search_text, created_at)"
		    " VALUES (1, 1, 1, 'published', '{}', '事项', '01', 3, '430100', 1, 0, 0, 0, 2, 5, 1, 3, '', 0);"
		    "INSERT INTO cases(id, case_no, item_id, item_version_id, dept_id, region_code, applicant_name,"
		    " applicant_no, channel, state, form, created_at, accepted_by, promised_day, suspended_day,"
		    " commitment, followup_due_day) VALUES"
		    " (1, 'C1', 1, 1, 1, '430100', 'A', 'N', 'window', " CASE_SQL_ACCEPTED ","
		    " '{}', 0, 1, '2025-10-09', NULL, 0, NULL),"
		    " (2, 'C2', 1, 1, 1, '430100', 'A', 'N', 'window', " CASE_SQL_ACCEPTED ","
		    " '{}', 0, NULL, '2025-10-13', NULL, 0, NULL),"
		    " (3, 'C3', 1, 1, 1, '430100', 'A', 'N', 'window', " CASE_SQL_SUSPENDED ","
		    " '{}', 0, 1, '2025-10-09', '2025-09-26', 0, NULL),"
		    " (4, 'C4', 1, 1, 1, '430100', 'A', 'N', 'window', " CASE_SQL_DONE_APPROVED ","
		    " '{}', 0, 1, '2025-09-01', NULL, 1, '2025-10-09'),"
		    " (5, 'C5', 1, 1, 2, '430100', 'A', 'N', 'window', " CASE_SQL_ACCEPTED ","
		    " '{}', 0, NULL, '2025-09-26', NULL, 0, NULL);"
		    /* the responsible person of a card without one named: the last staff member / approver */
		    "INSERT INTO case_events(id, case_id, at, actor_id, actor, action, state_to, step) VALUES"
		    " (1, 2, 0, 1, 'clerk', 'accept', " CASE_SQL_ACCEPTED ", 0),"
		    " (2, 2, 1, 2, 'approver', 'pass', " CASE_SQL_ACCEPTED ", 1),"
		    " (3, 5, 0, 1, 'clerk', 'accept', " CASE_SQL_ACCEPTED ", 0),"
		    " (4, 5, 1, 3, 'other', 'pass', " CASE_SQL_ACCEPTED ", 1);"
		    "INSERT INTO case_steps(id, case_id, step, name, role, dept_id, started_at, started_day, budget_days,"
		    " due_day, finished_at, handled_by) VALUES"
		    " (1, 1, 1, '审查', 'approver', 1, 0, '2025-09-20', 2, '2025-10-08', NULL, NULL),"
		    " (2, 1, 0, '受理', 'window', 1, 0, '2025-09-19', 1, '2025-09-22', 10, 1),"
		    " (3, 2, 1, '审查', 'approver', 1, 0, '2025-10-09', 5, '2025-10-20', NULL, NULL),"
		    " (4, 5, 2, '决定', 'approver', 2, 0, '2025-09-20', 2, '2025-09-30', NULL, 3);"
		    "INSERT INTO supervision_orders(id, case_id, dept_id, title, content, due_day, issued_by, issued_at,"
		    " state) VALUES (1, NULL, 1, '整改', '请报告', '2025-10-09', 1, 0, 'open'),"
		    " (2, 1, 1, '进度', '请说明', '2025-10-09', 1, 0, 'answered');");
	static const struct {
		const char *table, *sql;
	} tables[] = {
		{"departments", "SELECT id FROM departments ORDER BY id"},
		{"users", "SELECT id FROM users ORDER BY id"},
		{"items", "SELECT id FROM items ORDER BY id"},
		{"item_versions", "SELECT id FROM item_versions ORDER BY id"},
		{"cases", "SELECT id FROM cases ORDER BY id"},
		{"case_events", "SELECT id FROM case_events ORDER BY id"},
		{"case_steps", "SELECT id FROM case_steps ORDER BY id"},
		{"supervision_orders", "SELECT id FROM supervision_orders ORDER BY id"},
	};
	assert_int_equal(audit_record(db, NULL, "test.fixture", "regions", "430100"), 0);
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		audit_all(db, tables[i].table, tables[i].sql);
	assert_int_equal(db_commit(db), 0);
	return db;
}

/* The signals of rows 1..n of cases or case_steps. */
static void expect_signals(db_t *db, const char *table, const int *want, int n)
{
	bool steps = strcmp(table, "case_steps") == 0;
	for (int i = 0; i < n; i++) {
		db_stmt_t *st = db_prepare(db, steps ? "SELECT signal FROM case_steps WHERE id = :id"
						     : "SELECT signal FROM cases WHERE id = :id");
		db_bind_int(st, "id", i + 1);
		assert_int_equal(db_one(st), 0);
		int64_t got = db_col_int(st, 0);
		db_reset(st);
		if (got != want[i])
			fail_msg("%s %d: signal %lld, want %d", table, i + 1, (long long)got, want[i]);
	}
}

/* Every card as "case/step/kind/level/dept/user/order", sorted (the tick's scan order is the
 * index's, not the row id's). */
static void expect_cards(db_t *db, const char *want)
{
	char got[1024] = "";
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(case_id, 0), step, kind, level, dept_id, COALESCE(user_id, 0), "
				       "COALESCE(order_id, 0) FROM cards ORDER BY 1, 2, 3");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		size_t len = strlen(got);
		snprintf(got + len, sizeof got - len, "%s%lld/%lld/%s/%lld/%lld/%lld/%lld", len ? " " : "",
			 (long long)db_col_int(st, 0), (long long)db_col_int(st, 1), db_col_text(st, 2),
			 (long long)db_col_int(st, 3), (long long)db_col_int(st, 4), (long long)db_col_int(st, 5),
			 (long long)db_col_int(st, 6));
	}
	assert_int_equal(rc, DB_DONE);
	if (strcmp(got, want) != 0)
		fail_msg("cards:\n got  %s\n want %s", got, want);
}

static void tick_evaluates_once(void **state)
{
	(void)state;
	char path[] = "/tmp/yiwang-test-supervision-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	db_t *db = fixture(path);

	assert_int_equal(supervision_tick(db, at_ten("2025-10-10")), 0);
	/* case 1: one working day over (黄牌); 2: two left (预警); 3: frozen at Sep 26 (normal);
	 * 4: decided, not evaluated; 5: Sep 28, 29, 30, Oct 9, 10 over (红牌) */
	expect_signals(db, "cases", (const int[]){2, 1, 0, 0, 3}, 5);
	/* steps: 1 due in the holiday, Oct 9 and 10 over; 2 finished; 3 normal; 4 Oct 9 and 10 over */
	expect_signals(db, "case_steps", (const int[]){2, 0, 0, 2}, 4);
	/* responsible: case 1 its accepting clerk; 2 and 5 the staff member who last acted; step 4 its
	 * handler; step 1 nobody (no approver of its department acted on case 1) */
	const char *first = "0/-1/order_overdue/2/1/0/1 1/-1/overdue/2/1/1/0 1/1/overdue/2/1/0/0 "
			    "2/-1/warning/1/1/2/0 4/-1/followup_overdue/2/1/1/0 5/-1/overdue_long/3/2/3/0 "
			    "5/2/overdue/2/2/3/0";
	expect_cards(db, first);
	assert_int_equal(query_int(db, "SELECT overdue FROM supervision_orders WHERE id = 1"), 1);
	assert_int_equal(query_int(db, "SELECT overdue FROM supervision_orders WHERE id = 2"), 0);

	/* A second tick at the same moment (or later the same day) changes nothing at all. */
	int64_t audits = query_int(db, "SELECT COUNT(*) FROM audit");
	assert_int_equal(supervision_tick(db, at_ten("2025-10-10")), 0);
	assert_int_equal(supervision_tick(db, at_ten("2025-10-10") + 3600), 0);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM audit"), audits);
	expect_cards(db, first);

	/* Oct 16: case 1 is Oct 10, 11, 13-16 over (红牌), case 2 Oct 14-16 (still 黄牌); the step of
	 * case 2 is due Oct 20, Oct 17 and 20 left (预警), responsible: the department's approver who
	 * acted on the case. */
	assert_int_equal(supervision_tick(db, at_ten("2025-10-16")), 0);
	expect_signals(db, "cases", (const int[]){3, 2, 0, 0, 3}, 5);
	expect_signals(db, "case_steps", (const int[]){3, 0, 1, 3}, 4);
	const char *later = "0/-1/order_overdue/2/1/0/1 1/-1/overdue/2/1/1/0 1/-1/overdue_long/3/1/1/0 "
			    "1/1/overdue/2/1/0/0 1/1/overdue_long/3/1/0/0 2/-1/overdue/2/1/2/0 2/-1/warning/1/1/2/0 "
			    "2/1/warning/1/1/2/0 4/-1/followup_overdue/2/1/1/0 5/-1/overdue_long/3/2/3/0 "
			    "5/2/overdue/2/2/3/0 5/2/overdue_long/3/2/3/0";
	expect_cards(db, later);

	/* A case decided meanwhile is left alone, its signal kept as the record of how it ended; the
	 * rest is red already, so nothing is written. */
	exec_ok(db, "BEGIN; UPDATE cases SET state = " CASE_SQL_DONE_APPROVED " WHERE id = 2; COMMIT;");
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(audit_record_id(db, NULL, "test.decide", "cases", 2), 0);
	assert_int_equal(db_commit(db), 0);
	audits = query_int(db, "SELECT COUNT(*) FROM audit");
	assert_int_equal(supervision_tick(db, at_ten("2025-10-31")), 0);
	assert_int_equal(query_int(db, "SELECT signal FROM cases WHERE id = 2"), 2);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM cards WHERE case_id = 2"), 3);
	assert_int_equal(query_int(db, "SELECT COUNT(*) FROM audit"), audits);

	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(audit_verify(db, devnull), 0);
	fclose(devnull);
	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(signals), cmocka_unit_test(suspended_clock_is_frozen),
					   cmocka_unit_test(unpublished_years_are_reported), cmocka_unit_test(card_kinds), cmocka_unit_test(warning_needs_a_day_used),
					   cmocka_unit_test(tick_evaluates_once)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
