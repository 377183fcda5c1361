/* Case rules: the state machine table and the working-day clock across holidays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cases/cases.h"
#include "platform/calendar_store.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(transitions),
		cmocka_unit_test(sql_state_codes),  cmocka_unit_test(clocks),
					   cmocka_unit_test(suspensions),  cmocka_unit_test(budget_clocks),
					   cmocka_unit_test(step_budgets), cmocka_unit_test(masking)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
