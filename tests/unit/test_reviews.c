/* Review rules: GB/T 39046's level codes and labels, channels, the bad-review state machine and
 * the satisfaction rate (满意率) with reviews verified as not genuine left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reviews/reviews.h"

static void levels(void **state)
{
	(void)state;
	static const struct {
		int level;
		const char *label;
		bool bad;
	} cases[] = {
		{1, "非常满意", false}, {2, "满意", false},	   {3, "基本满意", false},
		{4, "不满意", true},	{5, "非常不满意", true}, {0, NULL, false},
		{6, NULL, false},	{-1, NULL, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = review_level_label(cases[i].level);
		if (cases[i].label ? !got || strcmp(got, cases[i].label) != 0 : got != NULL)
			fail_msg("level %d: label %s, want %s", cases[i].level, got ? got : "NULL",
				 cases[i].label ? cases[i].label : "NULL");
		if (review_is_bad(cases[i].level) != cases[i].bad)
			fail_msg("level %d: bad %d, want %d", cases[i].level, review_is_bad(cases[i].level), cases[i].bad);
	}
	assert_int_equal(REVIEW_VERY_SATISFIED, 1);
	assert_int_equal(REVIEW_VERY_DISSATISFIED, 5);
}

static void channels(void **state)
{
	(void)state;
	const char *known[] = {"pc", "app", "pad", "sms", "phone", "kiosk", "wechat"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		assert_non_null(review_channel_label(known[i]));
	assert_string_equal(review_channel_label("pad"), "窗口评价器");
	assert_null(review_channel_label("fax"));
	assert_null(review_channel_label(""));
	assert_null(review_channel_label(NULL));
}

static void transitions(void **state)
{
	(void)state;
	static const struct {
		const char *from;
		enum review_action a;
		const char *to; /* NULL: not allowed */
	} cases[] = {
		{"verifying", RA_APPEAL, "appealed"},
		{"verifying", RA_GENUINE, "rectifying"}, /* verified directly, no appeal */
		{"verifying", RA_REJECT, "closed"},
		{"verifying", RA_RECTIFY, NULL},
		{"verifying", RA_CALLBACK, NULL},
		{"appealed", RA_APPEAL, NULL}, /* one appeal */
		{"appealed", RA_GENUINE, "rectifying"},
		{"appealed", RA_REJECT, "closed"}, /* appeal accepted */
		{"appealed", RA_RECTIFY, NULL},
		{"rectifying", RA_RECTIFY, "callback"},
		{"rectifying", RA_APPEAL, NULL},
		{"rectifying", RA_GENUINE, NULL},
		{"rectifying", RA_CALLBACK, NULL},
		{"callback", RA_CALLBACK, "closed"},
		{"callback", RA_RECTIFY, NULL},
		{"closed", RA_APPEAL, NULL},
		{"closed", RA_GENUINE, NULL},
		{"closed", RA_CALLBACK, NULL},
		{"unknown", RA_APPEAL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = review_next_status(cases[i].from, cases[i].a);
		if (cases[i].to ? !got || strcmp(got, cases[i].to) != 0 : got != NULL)
			fail_msg("case %zu: %s --%d--> %s, want %s", i, cases[i].from, cases[i].a, got ? got : "NULL",
				 cases[i].to ? cases[i].to : "NULL");
	}
	assert_null(review_next_status(NULL, RA_APPEAL));
	assert_true(review_status_valid("callback"));
	assert_false(review_status_valid("done"));
	assert_string_equal(review_status_label("rectifying"), "整改中");
}

/* 满意率 = levels 1-3 / (all − not genuine). */
static void rate(void **state)
{
	(void)state;
	static const struct {
		int64_t l1, l2, l3, l4, l5, not_genuine;
		bool defined;
		double want;
	} cases[] = {
		{0, 0, 0, 0, 0, 0, false, 0},	   /* nothing rated: no rate, not 0 % or 100 % */
		{10, 0, 0, 0, 0, 0, true, 1.0},
		{3, 3, 2, 1, 1, 0, true, 0.8},	   /* 8 of 10 */
		{3, 3, 2, 1, 1, 1, true, 8.0 / 9}, /* one bad review found not genuine */
		{3, 3, 2, 1, 1, 2, true, 1.0},	   /* both bad reviews found not genuine */
		{0, 0, 0, 2, 0, 2, false, 0},	   /* only bad reviews, all not genuine */
		{0, 0, 0, 1, 3, 0, true, 0.0},
		{1, 0, 1, 0, 0, 0, true, 1.0}, /* 基本满意 counts as satisfied */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		review_tally_t t = {.by_level = {0, cases[i].l1, cases[i].l2, cases[i].l3, cases[i].l4, cases[i].l5},
				    .not_genuine = cases[i].not_genuine};
		double r = -1;
		bool defined = review_satisfaction_rate(&t, &r);
		if (defined != cases[i].defined || (defined && (r < cases[i].want - 1e-12 || r > cases[i].want + 1e-12)))
			fail_msg("rate %zu: defined %d rate %f, want %d %f", i, defined, r, cases[i].defined, cases[i].want);
		if (!defined && r != -1)
			fail_msg("rate %zu: rate written although undefined", i);
	}
	review_tally_t t = {.by_level = {0, 1, 2, 3, 4, 5}};
	assert_int_equal(review_tally_total(&t), 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(levels), cmocka_unit_test(channels),
					   cmocka_unit_test(transitions), cmocka_unit_test(rate)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
