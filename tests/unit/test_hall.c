/* Service hall rules (docs/domain.md §8): ticket numbers, the elderly category from the ID number,
 * the calling order with priority weights and anti-starvation, the check-in window, the slot
 * template, the service-time mean, the waiting estimate and the long-queue alert. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hall/hall.h"

static const hall_rules_t rules = {
	.starve_s = 20 * 60,
	.weight_s = {0, 15 * 60, 10 * 60, 10 * 60, 30 * 60},
};

static void numbers(void **state)
{
	(void)state;
	char out[8];
	hall_ticket_number('A', 1, out);
	assert_string_equal(out, "A001");
	hall_ticket_number('B', 42, out);
	assert_string_equal(out, "B042");
	hall_ticket_number('G', 999, out);
	assert_string_equal(out, "G999");
	for (int c = 0; c < HALL_CATEGORY_COUNT; c++)
		assert_int_equal(hall_category_parse(hall_category_name((enum hall_category)c)), c);
	assert_int_equal(hall_category_parse("vip"), -1);
	assert_int_equal(hall_category_parse(NULL), -1);
}

static void elderly(void **state)
{
	(void)state;
	yw_date_t today = date_from_ymd(2026, 6, 1);
	static const struct {
		int asked;
		const char *id;
		int want;
	} cases[] = {
		{HALL_NORMAL, "110101195001010017", HALL_ELDERLY},  /* 76 */
		{HALL_NORMAL, "110101199001010015", HALL_NORMAL},   /* 36 */
		{HALL_NORMAL, "", HALL_NORMAL},
		{HALL_NORMAL, NULL, HALL_NORMAL},
		{HALL_NORMAL, "11010119500101001X", HALL_NORMAL},   /* bad check character */
		{HALL_GREEN, "110101195001010017", HALL_GREEN},     /* asked for wins */
		{HALL_DISABLED, "", HALL_DISABLED},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = hall_ticket_category((enum hall_category)cases[i].asked, cases[i].id, today);
		if (got != cases[i].want)
			fail_msg("case %zu: category %d, want %d", i, got, cases[i].want);
	}
	/* 70 exactly on the birthday, 69 the day before */
	assert_int_equal(hall_ticket_category(HALL_NORMAL, "110101195001010017", date_from_ymd(2020, 1, 1)), HALL_ELDERLY);
	assert_int_equal(hall_ticket_category(HALL_NORMAL, "110101195001010017", date_from_ymd(2019, 12, 31)), HALL_NORMAL);
}

/* Picks among the candidates at now; returns the picked id and the reason. */
static int64_t pick(const hall_cand_t *c, size_t n, int64_t now, enum hall_reason *why)
{
	int i = hall_pick(c, n, now, &rules, why);
	return i < 0 ? 0 : c[i].id;
}

static void order(void **state)
{
	(void)state;
	enum hall_reason why;
	int64_t t0 = 1000000;
	/* nobody waits */
	assert_int_equal(pick(NULL, 0, t0, &why), 0);
	assert_int_equal(why, HALL_WHY_NONE);
	/* first come, first served among normal tickets */
	hall_cand_t normal[] = {{2, HALL_NORMAL, 0, t0 + 5}, {1, HALL_NORMAL, 0, t0}, {3, HALL_NORMAL, 0, t0 + 9}};
	assert_int_equal(pick(normal, 3, t0 + 60, &why), 1);
	assert_int_equal(why, HALL_WHY_ORDER);
	/* green first, then elderly/disabled by ticket time, before a normal ticket issued earlier */
	hall_cand_t mix[] = {{1, HALL_NORMAL, 0, t0}, {2, HALL_DISABLED, 0, t0 + 2}, {3, HALL_ELDERLY, 0, t0 + 1},
			     {4, HALL_GREEN, 0, t0 + 3}};
	assert_int_equal(pick(mix, 4, t0 + 60, &why), 4);
	assert_int_equal(why, HALL_WHY_PRIORITY);
	assert_int_equal(pick(mix, 3, t0 + 60, &why), 3);
	assert_int_equal(pick(mix, 2, t0 + 60, &why), 2);
	/* the weight is a head start, not absolute: a normal ticket 11 minutes older beats elderly's 10 */
	hall_cand_t head[] = {{1, HALL_NORMAL, 0, t0}, {2, HALL_ELDERLY, 0, t0 + 11 * 60}};
	assert_int_equal(pick(head, 2, t0 + 12 * 60, &why), 1);
	assert_int_equal(why, HALL_WHY_ORDER);
	/* anti-starvation: just under the limit green wins, at the limit the normal ticket does */
	hall_cand_t starve[] = {{1, HALL_NORMAL, 0, t0}, {2, HALL_GREEN, 0, t0 + 19 * 60}};
	assert_int_equal(pick(starve, 2, t0 + 20 * 60 - 1, &why), 2);
	assert_int_equal(pick(starve, 2, t0 + 20 * 60, &why), 1);
	assert_int_equal(why, HALL_WHY_STARVED);
	/* the window's first queue with anyone waiting comes first, whatever the category */
	hall_cand_t queues[] = {{1, HALL_GREEN, 1, t0}, {2, HALL_NORMAL, 0, t0 + 30}};
	assert_int_equal(pick(queues, 2, t0 + 60, &why), 2);
	/* equal ticket time: the lower id */
	hall_cand_t tie[] = {{7, HALL_NORMAL, 0, t0}, {5, HALL_NORMAL, 0, t0}};
	assert_int_equal(pick(tie, 2, t0 + 1, &why), 5);
	char text[160];
	hall_reason_text(HALL_WHY_STARVED, HALL_NORMAL, &rules, text, sizeof text);
	assert_non_null(strstr(text, "20分钟"));
	hall_reason_text(HALL_WHY_PRIORITY, HALL_GREEN, &rules, text, sizeof text);
	assert_non_null(strstr(text, "绿色通道"));
}

static void checkin(void **state)
{
	(void)state;
	int64_t start = 1000000, before = 30 * 60, after = 15 * 60;
	assert_int_equal(hall_checkin_window(start - before - 1, start, before, after), -1);
	assert_int_equal(hall_checkin_window(start - before, start, before, after), 0);
	assert_int_equal(hall_checkin_window(start, start, before, after), 0);
	assert_int_equal(hall_checkin_window(start + after, start, before, after), 0);
	assert_int_equal(hall_checkin_window(start + after + 1, start, before, after), 1);
}

static void slots(void **state)
{
	(void)state;
	int s[64];
	assert_int_equal(hall_slots_parse("09:00-12:00,13:00-17:00", 30, s, 64), 14);
	assert_int_equal(s[0], 9 * 60);
	assert_int_equal(s[5], 11 * 60 + 30);
	assert_int_equal(s[6], 13 * 60);
	assert_int_equal(s[13], 16 * 60 + 30);
	/* a period shorter than a slot gives none; a remainder is dropped */
	assert_int_equal(hall_slots_parse("09:00-09:20", 30, s, 64), 0);
	assert_int_equal(hall_slots_parse("09:00-10:10", 30, s, 64), 2);
	static const char *const bad[] = {"12:00-09:00", "09:00-12:00,11:00-13:00", "9:00-12:00", "09:00-24:00",
					  "09:00-12:00;13:00-14:00", "09:60-10:00", "09:00-12:00,"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (hall_slots_parse(bad[i], 30, s, 64) >= 0)
			fail_msg("accepted %s", bad[i]);
	assert_int_equal(hall_slots_parse("09:00-12:00", 4, s, 64), -1);
	assert_int_equal(hall_slots_parse("00:00-23:59", 5, s, 64), -1); /* more slots than room */
	assert_int_equal(hall_parse_hhmm("17:45"), 17 * 60 + 45);
	assert_int_equal(hall_parse_hhmm("7:45"), -1);
}

static void estimate(void **state)
{
	(void)state;
	/* no history: the default */
	assert_true(hall_service_mean(NULL, 0, 0.2, 360) == 360);
	/* constant history: the constant */
	int64_t same[] = {300, 300, 300};
	assert_true(hall_service_mean(same, 3, 0.2, 0) == 300);
	/* the newest counts most: newest 600 after 100s moves the mean up by alpha × 500 */
	int64_t rising[] = {600, 100};
	double m = hall_service_mean(rising, 2, 0.2, 0);
	assert_true(m > 199.99 && m < 200.01);
	/* wait = ahead × mean / windows, at least one window */
	assert_int_equal(hall_estimate_wait(0, 300, 2), 0);
	assert_int_equal(hall_estimate_wait(10, 300, 2), 1500);
	assert_int_equal(hall_estimate_wait(10, 300, 0), 3000);
	assert_int_equal(hall_estimate_wait(3, 100, 4), 75);
}

static void alert(void **state)
{
	(void)state;
	assert_false(hall_alert(29, 29 * 60, 30, 30 * 60));
	assert_true(hall_alert(30, 0, 30, 30 * 60));
	assert_true(hall_alert(1, 30 * 60, 30, 30 * 60));
	assert_false(hall_alert(100, 100 * 60, 0, 0)); /* thresholds off */
	/* 引导分流: 30 people × 6 min within 30 min needs 6 windows; 31 needs 7 */
	assert_int_equal(hall_windows_needed(30, 360, 1800), 6);
	assert_int_equal(hall_windows_needed(31, 360, 1800), 7);
	assert_int_equal(hall_windows_needed(0, 360, 1800), 0);
	assert_int_equal(hall_windows_needed(1, 10, 1800), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(numbers), cmocka_unit_test(elderly),  cmocka_unit_test(order),
					   cmocka_unit_test(checkin), cmocka_unit_test(slots),    cmocka_unit_test(estimate),
					   cmocka_unit_test(alert)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
