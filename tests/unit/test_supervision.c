/* Electronic supervision rules: the signal of a clock (normal, 预警, 黄牌, 红牌) on the working-day
 * calendar across the 2025 National Day and the 2026 Spring Festival, configurable limits, and a
 * suspended clock that keeps its signal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/calendar_store.h"
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
		assert_int_equal(supervision_signal(cal, &lim, d(cases[i].due), d(cases[i].at), &e), 0);
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
		assert_int_equal(supervision_signal(cal, &lim, due, at, &e), 0);
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
	assert_int_equal(supervision_signal(cal, &lim, d("2199-01-10"), d("2199-01-01"), &e), 0);
	assert_true(e.beyond_published);
	assert_int_equal(supervision_signal(cal, &lim, date_from_ymd(2200, 1, 10), d("2199-12-01"), &e), YW_EINVAL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(signals), cmocka_unit_test(suspended_clock_is_frozen),
					   cmocka_unit_test(unpublished_years_are_reported), cmocka_unit_test(card_kinds)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
