/* Case rules: the state machine table and the working-day clock across holidays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <unistd.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/calendar_store.h"
#include "platform/db.h"

/* The SQL spellings of the states are the enum's values. */
static void sql_state_codes(void **state)
{
	(void)state;
	const struct { int code; const char *sql; } t[] = {
		{CASE_DRAFT, CASE_SQL_DRAFT}, {CASE_SUBMITTED, CASE_SQL_SUBMITTED}, {CASE_WITHDRAWN, CASE_SQL_WITHDRAWN},
		{CASE_ACCEPTED, CASE_SQL_ACCEPTED}, {CASE_REFUSED, CASE_SQL_REFUSED}, {CASE_CORRECTING, CASE_SQL_CORRECTING},
		{CASE_CORRECTED, CASE_SQL_CORRECTED}, {CASE_SUSPENDED, CASE_SQL_SUSPENDED},
		{CASE_DONE_APPROVED, CASE_SQL_DONE_APPROVED}, {CASE_DONE_DENIED, CASE_SQL_DONE_DENIED}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(t[i].code, atoi(t[i].sql));
}

static void transitions(void **state)
{
	(void)state;
	static const struct {
		int from;
		enum case_action a;
		bool first, last;
		int to;
	} cases[] = {
		{CASE_DRAFT, CA_SUBMIT, true, false, CASE_SUBMITTED},
		{CASE_SUBMITTED, CA_SUBMIT, true, false, -1},
		{CASE_SUBMITTED, CA_ACCEPT, true, false, CASE_ACCEPTED},
		{CASE_SUBMITTED, CA_REFUSE, true, false, CASE_REFUSED},
		{CASE_SUBMITTED, CA_CORRECTION, true, false, CASE_CORRECTING},
		{CASE_CORRECTING, CA_ACCEPT, true, false, -1},
		{CASE_CORRECTING, CA_RESUBMIT, true, false, CASE_CORRECTED},
		{CASE_CORRECTED, CA_ACCEPT, true, false, CASE_ACCEPTED},
		{CASE_CORRECTED, CA_CORRECTION, true, false, CASE_CORRECTING},
		{CASE_ACCEPTED, CA_ACCEPT, true, false, -1},
		{CASE_ACCEPTED, CA_PASS, true, false, CASE_ACCEPTED},
		{CASE_ACCEPTED, CA_PASS, false, true, -1},
		{CASE_ACCEPTED, CA_RETURN, true, false, -1},
		{CASE_ACCEPTED, CA_RETURN, false, true, CASE_ACCEPTED},
		{CASE_ACCEPTED, CA_APPROVE, true, false, -1},
		{CASE_ACCEPTED, CA_APPROVE, false, true, CASE_DONE_APPROVED},
		{CASE_ACCEPTED, CA_DENY, true, true, CASE_DONE_DENIED},
		{CASE_ACCEPTED, CA_WITHDRAW, true, false, CASE_WITHDRAWN},
		{CASE_DONE_APPROVED, CA_WITHDRAW, true, true, -1},
		{CASE_REFUSED, CA_ACCEPT, true, true, -1},
		{CASE_WITHDRAWN, CA_SUBMIT, true, true, -1},
		{CASE_ACCEPTED, CA_SUSPEND, false, false, CASE_SUSPENDED},
		{CASE_SUSPENDED, CA_PASS, false, false, -1},
		{CASE_SUSPENDED, CA_APPROVE, false, true, -1},
		{CASE_SUSPENDED, CA_RESUME, false, false, CASE_ACCEPTED},
		{CASE_SUBMITTED, CA_SUSPEND, true, false, -1},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = case_next_state(cases[i].from, cases[i].a, cases[i].first, cases[i].last);
		if (got != cases[i].to)
			fail_msg("case %zu: %d --%s--> %d, want %d", i, cases[i].from, case_action_name(cases[i].a), got,
				 cases[i].to);
	}
}

static yw_date_t d(const char *s)
{
	yw_date_t out;
	assert_int_equal(date_parse(s, strlen(s), &out), 0);
	return out;
}

static void clocks(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	static const struct {
		const char *accepted, *promised, *today;
		int used, remaining;
		bool overdue;
	} cases[] = {
		/* 2025 National Day and Mid-Autumn: Oct 1-8 off, Sep 28 and Oct 11 worked */
		{"2025-09-26", "2025-10-10", "2025-09-30", 3, 2, false}, /* Sep 28 (Sun) is a working day */
		{"2025-09-26", "2025-10-10", "2025-10-08", 3, 2, false}, /* the holiday counts for nothing */
		{"2025-09-26", "2025-10-10", "2025-10-10", 5, 0, false},
		{"2025-09-26", "2025-10-10", "2025-10-11", 6, -1, true}, /* Oct 11 (Sat) is worked */
		/* 2026 Spring Festival: Feb 15-23 off, Feb 14 and Feb 28 worked */
		{"2026-02-12", "2026-02-25", "2026-02-14", 2, 2, false},
		{"2026-02-12", "2026-02-25", "2026-02-26", 5, -1, true},
		/* overdue only counts working days: a weekend after the deadline is not yet overdue */
		{"2026-03-02", "2026-03-06", "2026-03-08", 4, 0, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		case_clock_t k;
		case_clock_compute(cal, d(cases[i].accepted), d(cases[i].promised), d(cases[i].today), &k);
		if (k.used != cases[i].used || k.remaining != cases[i].remaining || k.overdue != cases[i].overdue)
			fail_msg("clock %zu (%s..%s, today %s): used %d remaining %d overdue %d", i, cases[i].accepted,
				 cases[i].promised, cases[i].today, k.used, k.remaining, k.overdue);
	}
	calendar_free(cal);
}

/* 特别程序: the promised date moves by exactly the working days suspended. */
static void suspensions(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	static const struct {
		const char *promised, *suspended, *resumed, *want;
		int moved;
	} cases[] = {
		{"2025-10-10", "2025-09-29", "2025-10-09", "2025-10-13", 2}, /* Sep 30, Oct 9; Oct 11 is worked */
		{"2025-10-10", "2025-10-01", "2025-10-08", "2025-10-10", 0}, /* wholly inside the holiday */
		{"2026-02-25", "2026-02-12", "2026-02-24", "2026-02-28", 3}, /* Feb 13, 14, 24; Feb 28 worked */
		{"2026-03-06", "2026-03-06", "2026-03-06", "2026-03-06", 0}, /* same day */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		yw_date_t out;
		int moved;
		bool beyond;
		assert_int_equal(case_resume_promised(cal, d(cases[i].promised), d(cases[i].suspended), d(cases[i].resumed),
						      &out, &moved, &beyond),
				 0);
		char got[11];
		date_format(out, got);
		if (moved != cases[i].moved || strcmp(got, cases[i].want) != 0)
			fail_msg("suspension %zu: moved %d to %s, want %d to %s", i, moved, got, cases[i].moved, cases[i].want);
	}
	calendar_free(cal);
}

/* A step or case clock end to end: accepted on a day with a budget of working days, perhaps
 * suspended for 特别程序, then read on a later day. Across the 2025 National Day and
 * Mid-Autumn holiday (Oct 1-8 off; Sep 28 and Oct 11 worked) and the 2026 Spring Festival
 * (Feb 15-23 off; Feb 14 and Feb 28 worked). */
static void budget_clocks(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	static const struct {
		const char *accepted;
		int budget;
		const char *suspended, *resumed; /* NULL: never suspended */
		const char *promised;            /* after the suspension moved it */
		const char *on;
		int used, remaining;
	} cases[] = {
		/* Sep 28 (Sun) worked, then the holiday counts for nothing */
		{"2025-09-26", 5, NULL, NULL, "2025-10-10", "2025-10-08", 3, 2},
		/* overdue on Oct 13 by Oct 11 (Sat, worked) and Oct 13 */
		{"2025-09-26", 5, NULL, NULL, "2025-10-10", "2025-10-13", 7, -2},
		/* stopped Sep 30 → Oct 9: one working day (Oct 9); the date moves to Oct 11 (Sat, worked) */
		{"2025-09-29", 3, "2025-09-30", "2025-10-09", "2025-10-11", "2025-10-11", 3, 0},
		/* stopped wholly inside the holiday: nothing moves */
		{"2025-09-30", 2, "2025-10-02", "2025-10-08", "2025-10-10", "2025-10-10", 2, 0},
		/* accepted on a make-up Saturday: that day is the start, not counted */
		{"2025-10-11", 1, NULL, NULL, "2025-10-13", "2025-10-12", 0, 1},
		/* Feb 13, Feb 14 (Sat, worked), then nothing until Feb 24; read inside the holiday */
		{"2026-02-12", 10, NULL, NULL, "2026-03-04", "2026-02-20", 2, 8},
		/* stopped Feb 13 → Feb 27: Feb 14, 24, 25, 26, 27 (five); Feb 25 moves to Mar 3 via Feb 28 */
		{"2026-02-13", 3, "2026-02-13", "2026-02-27", "2026-03-03", "2026-03-02", 2, 1},
		/* Feb 28 (Sat) is a working day of its own */
		{"2026-02-27", 1, NULL, NULL, "2026-02-28", "2026-03-01", 1, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		yw_date_t promised, moved_to = 0;
		int moved = 0;
		bool beyond;
		assert_int_equal(calendar_add_workdays(cal, d(cases[i].accepted), cases[i].budget, &promised, &beyond), 0);
		moved_to = promised;
		if (cases[i].suspended)
			assert_int_equal(case_resume_promised(cal, promised, d(cases[i].suspended), d(cases[i].resumed),
							      &moved_to, &moved, &beyond),
					 0);
		case_clock_t k;
		case_clock_compute(cal, d(cases[i].accepted), moved_to, d(cases[i].on), &k);
		char got[11];
		date_format(moved_to, got);
		if (strcmp(got, cases[i].promised) != 0 || k.used - moved != cases[i].used || k.remaining != cases[i].remaining)
			fail_msg("clock %zu (%s + %d): promised %s used %d remaining %d, want %s %d %d", i, cases[i].accepted,
				 cases[i].budget, got, k.used - moved, k.remaining, cases[i].promised, cases[i].used,
				 cases[i].remaining);
	}
	calendar_free(cal);
}

static void step_budgets(void **state)
{
	(void)state;
	assert_int_equal(case_step_budget(2, 5, 3), 2);  /* the step's own days */
	assert_int_equal(case_step_budget(0, 10, 3), 3); /* none given: the promised days split evenly */
	assert_int_equal(case_step_budget(0, 1, 3), 1);  /* but never less than one */
}

static void masking(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"张三", "张*"}, {"张小三", "张*三"}, {"欧阳娜娜", "欧**娜"}, {"李", "*"},
		{"长沙湘江餐饮有限公司", "长沙***公司"}, {"湖南省某某科技股份有限公司", "湖南***公司"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		case_mask_name(cases[i][0], out, sizeof out);
		if (strcmp(out, cases[i][1]) != 0)
			fail_msg("mask %s: %s, want %s", cases[i][0], out, cases[i][1]);
	}
}

/* Who sees a case is one rule in two spellings: case_scope_admits in C and CASE_VISIBLE_SQL in
 * SQL. Every combination of roles, with and without a department, at city, district and province
 * level and with no region, against cases of every shape (own or another's, walk-in, each
 * department and region, with or without a 并联 co-department), must give the same answer. */
static void scope_agrees_on(const char *url)
{
	db_t *db;
	assert_int_equal(db_open(url, &db), 0);
	assert_int_equal(
		db_exec(db,
			"INSERT INTO regions VALUES ('430000', '湖南省', 1, NULL), ('430100', '长沙市', 2, '430000'),"
			" ('430102', '芙蓉区', 3, '430100'), ('430200', '株洲市', 2, '430000');"
			"INSERT INTO departments(id, name, uscc, region_code) VALUES (1, '市局', 'U1', '430100'),"
			" (2, '区局', 'U2', '430102'), (3, '株洲局', 'U3', '430200');"
			"INSERT INTO users(id, username, name, kind, password_hash, region_code, roles, created_at)"
			" VALUES (10, 'a', 'A', 'person', 'x', NULL, 'applicant', 0), (11, 'b', 'B', 'person', 'x', NULL,"
			" 'applicant', 0);"
			"INSERT INTO items VALUES (1, 'I1', 1, 0);"
			"INSERT INTO item_versions(id, item_id, version, status, data, name, type, level, region_code, targets,"
			" tags, lists, life_events, handling_class, promised_days, visits, online_depth, search_text, created_at)"
			" VALUES (1, 1, 1, 'published', '{}', '事项', '01', 3, '430100', 1, 0, 0, 0, 2, 5, 1, 3, '', 0);"),
		0);
	/* case id → applicant (0: a walk-in), department, region, 并联 co-department (0: none) */
	static const struct {
		int64_t applicant, dept;
		const char *region;
		int64_t par;
	} shapes[] = {
		{10, 1, "430100", 0}, {11, 1, "430100", 0}, {0, 1, "430100", 0}, {10, 2, "430102", 0},
		{0, 2, "430102", 1},  {11, 3, "430200", 0}, {0, 3, "430200", 1}, {0, 3, "430200", 2},
		{10, 1, "430100", 3}, {0, 2, "430102", 3},
	};
	enum { NSHAPES = sizeof shapes / sizeof shapes[0] };
	char par[NSHAPES][16];
	for (int i = 0; i < NSHAPES; i++) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO cases(id, item_id, item_version_id, dept_id, region_code,"
					       " applicant_id, applicant_name, applicant_no, channel, state, form, created_at)"
					       " VALUES (:id, 1, 1, :dept, :region, :applicant, 'A', 'N', 'online', "
					       CASE_SQL_SUBMITTED ", '{}', 0)");
		db_bind_int(st, "id", i + 1);
		db_bind_int(st, "dept", shapes[i].dept);
		db_bind_text(st, "region", shapes[i].region);
		db_bind_id(st, "applicant", shapes[i].applicant);
		assert_int_equal(db_run(st), 0);
		par[i][0] = 0;
		if (shapes[i].par) {
			st = db_prepare(db, "INSERT INTO case_parallel(case_id, item_id, dept_id, started_day, budget_days,"
					    " due_day) VALUES (:id, 1, :dept, '2026-01-05', 5, '2026-01-12')");
			db_bind_int(st, "id", i + 1);
			db_bind_int(st, "dept", shapes[i].par);
			assert_int_equal(db_run(st), 0);
			snprintf(par[i], sizeof par[i], ",%lld,", (long long)shapes[i].par);
		}
	}
	static const unsigned roles[] = {ROLE_APPLICANT, ROLE_CLERK, ROLE_APPROVER, ROLE_DEPT_ADMIN, ROLE_CENTER_ADMIN,
					 ROLE_SUPERVISOR, ROLE_HOTLINE_OPERATOR};
	static const char *const regions[] = {"", "430000", "430100", "430102", "430200"};
	static const int64_t depts[] = {0, 1, 2, 3};
	static const int64_t ids[] = {10, 11, 12};
	int checked = 0;
	for (unsigned mask = 0; mask < 1u << 7; mask++) {
		unsigned r = 0;
		for (int k = 0; k < 7; k++)
			if (mask & (1u << k))
				r |= roles[k];
		for (size_t g = 0; g < sizeof regions / sizeof regions[0]; g++)
			for (size_t d = 0; d < sizeof depts / sizeof depts[0]; d++)
				for (size_t n = 0; n < sizeof ids / sizeof ids[0]; n++) {
					auth_user_t u = {.id = ids[n], .roles = r, .dept_id = depts[d]};
					snprintf(u.region_code, sizeof u.region_code, "%s", regions[g]);
					case_scope_t s;
					case_scope_of(&u, &s);
					bool in_sql[NSHAPES + 1] = {0};
					db_stmt_t *st = db_prepare(db, "SELECT c.id FROM cases c WHERE " CASE_VISIBLE_SQL("c"));
					cases_scope_bind(st, &s);
					int rc;
					while ((rc = db_step(st)) == DB_ROW)
						in_sql[db_col_int(st, 0)] = true;
					assert_int_equal(rc, DB_DONE);
					for (int i = 0; i < NSHAPES; i++) {
						bool in_c = case_scope_admits(&s, shapes[i].applicant, shapes[i].region,
									      shapes[i].dept, par[i]);
						if (in_c != in_sql[i + 1])
							fail_msg("roles %#x region '%s' dept %lld id %lld, case %d: C %d, SQL %d", r,
								 regions[g], (long long)depts[d], (long long)ids[n], i + 1, in_c,
								 in_sql[i + 1]);
						checked++;
					}
				}
	}
	assert_true(checked > 10000);
	/* and the rule itself, as docs/domain.md §4 states it, on a few named viewers */
	auth_user_t citizen = {.id = 10, .roles = ROLE_APPLICANT}, clerk = {.id = 12, .roles = ROLE_CLERK},
		    approver = {.id = 12, .roles = ROLE_APPROVER, .dept_id = 3};
	snprintf(clerk.region_code, sizeof clerk.region_code, "430100");
	case_scope_t s;
	case_scope_of(&citizen, &s);
	assert_true(case_scope_admits(&s, 10, "430200", 3, ""));
	assert_false(case_scope_admits(&s, 11, "430100", 1, ""));
	case_scope_of(&clerk, &s);
	assert_true(case_scope_admits(&s, 0, "430102", 2, ""));  /* a district below the city */
	assert_false(case_scope_admits(&s, 0, "430200", 3, "")); /* another city */
	case_scope_of(&approver, &s);
	assert_true(case_scope_admits(&s, 0, "430100", 1, ",3,")); /* a 并联 opinion of its department */
	assert_false(case_scope_admits(&s, 0, "430200", 2, ",1,"));
	db_close(db);
}

/* On SQLite and, when YW_TEST_PG_URL names a throwaway PostgreSQL database (scripts/pg-cluster.sh),
 * on PostgreSQL too: its schema is dropped and made again. */
static void scope_c_and_sql_agree(void **state)
{
	(void)state;
	char path[] = "/tmp/yiwang-test-scope-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	scope_agrees_on(path);
	unlink(path);
	const char *pg = getenv("YW_TEST_PG_URL");
	if (pg && *pg) {
		db_t *db;
		assert_int_equal(db_open_existing(pg, &db), 0);
		assert_int_equal(db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"), 0);
		db_close(db);
		scope_agrees_on(pg);
	}
}

/* SQLite uses the partial indexes on open cases only for a query that repeats their condition
 * (CASE_OPEN_SQL, migration 23), and inserting or updating a case builds no temporary index to
 * evaluate it: OpenEphemeral would be one per statement (cases.h). */
static bool plan_names(db_t *db, const char *sql, const char *needle)
{
	db_stmt_t *st = db_prepare(db, sql);
	bool found = false;
	int s;
	while ((s = db_step(st)) == DB_ROW)
		found = found || strstr(db_col_text(st, 3), needle) != NULL;
	assert_int_equal(s, DB_DONE);
	return found;
}

static void open_cases_indexed(void **state)
{
	(void)state;
	char path[] = "/tmp/yiwang-test-plan-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	assert_true(plan_names(db,
			       "EXPLAIN QUERY PLAN SELECT c.id FROM cases c WHERE c.item_id = 1 AND c.applicant_no = 'N'"
			       " AND " CASE_OPEN_SQL("c.state") " ORDER BY c.id LIMIT 1",
			       "cases_item_applicant_no"));
	assert_true(plan_names(db,
			       "EXPLAIN QUERY PLAN SELECT c.id, c.promised_day FROM cases c WHERE " CASE_OPEN_SQL(
				       "c.state") " AND " CASE_IN_PROGRESS_SQL("c.state"),
			       "cases_open"));
	static const char *const writes[] = {
		"EXPLAIN INSERT INTO cases(item_id, item_version_id, dept_id, region_code, applicant_name, applicant_no,"
		" channel, state, form, created_at) VALUES (1, 1, 1, '430100', 'A', 'N', 'online', 1, '{}', 0)",
		"EXPLAIN UPDATE cases SET state = 3, promised_day = '2026-12-04' WHERE id = 1",
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		db_stmt_t *st = db_prepare(db, writes[i]);
		int s;
		while ((s = db_step(st)) == DB_ROW)
			assert_string_not_equal(db_col_text(st, 1), "OpenEphemeral");
		assert_int_equal(s, DB_DONE);
	}
	db_close(db);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(transitions),
		cmocka_unit_test(sql_state_codes),  cmocka_unit_test(clocks),
					   cmocka_unit_test(suspensions),  cmocka_unit_test(budget_clocks),
					   cmocka_unit_test(step_budgets), cmocka_unit_test(masking),
					   cmocka_unit_test(scope_c_and_sql_agree), cmocka_unit_test(open_cases_indexed)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
