/* Hotline rules (hotline.h): the state machine of the loop, time limits on the national holiday
 * schedule (the 2026 Spring Festival and National Day), urgent hours, signals, the duplicate
 * finder's text similarity and phone numbers as the console keys on them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hotline/hotline.h"
#include "platform/calendar_store.h"
#include "platform/config.h"

/* Unix time of a local (China, UTC+8) date and hour. */
static int64_t local(int y, int m, int d, int h)
{
	return (int64_t)date_from_ymd(y, m, d) * 86400 - 8 * 3600 + (int64_t)h * 3600;
}

static int64_t day_end(int y, int m, int d)
{
	return local(y, m, d, 0) + 86399;
}

static void transitions(void **state)
{
	(void)state;
	static const struct {
		const char *from;
		enum hotline_action a;
		bool signed_before;
		const char *to;
	} cases[] = {
		{"pending", HA_DISPATCH, false, "dispatched"},	{"handling", HA_DISPATCH, true, "dispatched"},
		{"returned", HA_DISPATCH, false, "dispatched"}, {"replied", HA_DISPATCH, true, NULL},
		{"closed", HA_DISPATCH, true, NULL},		{"pending", HA_DIRECT_CLOSE, false, "closed"},
		{"dispatched", HA_DIRECT_CLOSE, false, NULL},	{"dispatched", HA_SIGN, false, "handling"},
		{"handling", HA_SIGN, true, NULL},		{"dispatched", HA_RETURN, false, "returned"},
		{"handling", HA_RETURN, true, "returned"},	{"replied", HA_RETURN, true, NULL},
		{"returned", HA_RETURN_REJECT, false, "dispatched"}, {"returned", HA_RETURN_REJECT, true, "handling"},
		{"handling", HA_REPLY, true, "replied"},	{"dispatched", HA_REPLY, false, NULL},
		{"replied", HA_REPLY_REJECT, true, "handling"}, {"replied", HA_CLOSE, true, "closed"},
		{"handling", HA_CLOSE, true, NULL},		{"closed", HA_CALLBACK, true, "visited"},
		{"visited", HA_CALLBACK, true, NULL},		{"visited", HA_REOPEN, true, "dispatched"},
		{"closed", HA_REOPEN, true, NULL},		{"pending", HA_MERGE, false, "merged"},
		{"handling", HA_MERGE, true, "merged"},		{"closed", HA_MERGE, true, NULL},
		{"merged", HA_MERGE, false, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = hotline_next_state(cases[i].from, cases[i].a, cases[i].signed_before);
		if (cases[i].to ? !got || strcmp(got, cases[i].to) != 0 : got != NULL)
			fail_msg("%s action %d: %s, want %s", cases[i].from, cases[i].a, got ? got : "NULL",
				 cases[i].to ? cases[i].to : "NULL");
	}
	assert_string_equal(hotline_state_label("returned"), "退单待审");
	assert_string_equal(hotline_category_label("report"), "举报");
	assert_string_equal(hotline_channel_label("people_cn"), "人民网留言");
	assert_string_equal(hotline_satisfaction_label("basic"), "基本满意");
	assert_null(hotline_category_label("gossip"));
	assert_true(hotline_state_open("replied"));
	assert_false(hotline_state_open("closed"));
}

static void limits(void **state)
{
	(void)state;
	yw_config_t c;
	config_defaults(&c);
	assert_int_equal(hotline_limit_days(&c, "consult"), 2);
	assert_int_equal(hotline_limit_days(&c, "help"), 5);
	assert_int_equal(hotline_limit_days(&c, "complaint"), 10);
	assert_int_equal(hotline_limit_days(&c, "report"), 10);
	assert_int_equal(hotline_limit_days(&c, "nonsense"), 0);
	assert_int_equal(c.hotline_urgent_hours, 2);
	assert_int_equal(c.hotline_sign_days, 1);
	assert_int_equal(config_set(&c, "hotline_consult_days", "3"), 0);
	assert_int_equal(hotline_limit_days(&c, "consult"), 3);
	assert_true(config_set(&c, "hotline_help_days", "0") != 0);
	assert_true(config_set(&c, "hotline_help_days", "61") != 0);
}

static void due_times(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	static const struct {
		int y, m, d, h, days;
		int wy, wm, wd;
	} cases[] = {
		/* Spring Festival 2026: Feb 15-23 off, Feb 14 and 28 (Saturdays) worked */
		{2026, 2, 13, 10, 2, 2026, 2, 24},
		{2026, 2, 13, 10, 10, 2026, 3, 5},
		{2026, 2, 13, 10, 1, 2026, 2, 14},
		/* National Day 2026: Oct 1-7 off, Oct 10 (Saturday) worked */
		{2026, 9, 30, 10, 10, 2026, 10, 20},
		{2026, 9, 29, 10, 2, 2026, 10, 8},
		{2026, 9, 29, 10, 1, 2026, 9, 30},
		{2026, 10, 3, 10, 1, 2026, 10, 8},
		/* a late-evening order: the start day is not counted, whatever the hour */
		{2026, 9, 29, 23, 5, 2026, 10, 12},
		/* an ordinary week */
		{2026, 11, 2, 9, 5, 2026, 11, 9},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t due = 0;
		bool beyond = true;
		assert_int_equal(hotline_due_at(cal, local(cases[i].y, cases[i].m, cases[i].d, cases[i].h), false,
						cases[i].days, 0, &due, &beyond),
				 0);
		if (due != day_end(cases[i].wy, cases[i].wm, cases[i].wd))
			fail_msg("case %zu: due %lld, want end of %d-%02d-%02d", i, (long long)due, cases[i].wy,
				 cases[i].wm, cases[i].wd);
		assert_false(beyond);
	}
	/* urgent: clock hours, holidays or not */
	int64_t due;
	assert_int_equal(hotline_due_at(cal, local(2026, 10, 1, 22), true, 5, 2, &due, NULL), 0);
	assert_int_equal(due, local(2026, 10, 2, 0));
	assert_int_equal(hotline_due_at(cal, 0, true, 5, 0, &due, NULL), -2);
	/* running into a year whose notice is not loaded is flagged */
	bool beyond = false;
	assert_int_equal(hotline_due_at(cal, local(2026, 12, 28, 10), false, 10, 0, &due, &beyond), 0);
	assert_true(beyond);
	assert_int_equal(hotline_day_end(date_from_ymd(2026, 10, 8)), day_end(2026, 10, 8));
	calendar_free(cal);
}

static void signals(void **state)
{
	(void)state;
	calendar_t *cal = calendar_builtin();
	int64_t start = local(2026, 9, 29, 10), due = day_end(2026, 10, 8); /* a 咨询 dispatched on Sep 29 */
	/* the rule of cases (warn 2, red 3): not 预警 on the clock's first day */
	assert_int_equal(hotline_signal(cal, local(2026, 9, 29, 11), start, due, false, 0, 2, 3), 0);
	assert_int_equal(hotline_signal(cal, local(2026, 9, 30, 11), start, due, false, 0, 2, 3), 1);
	assert_int_equal(hotline_signal(cal, local(2026, 9, 30, 11), start, due, false, 0, 0, 3), 0);
	assert_int_equal(hotline_signal(cal, local(2026, 10, 5, 11), start, due, false, 0, 0, 3), 0);
	assert_int_equal(hotline_signal(cal, local(2026, 10, 8, 9), start, due, false, 0, 0, 3), 1);
	assert_int_equal(hotline_signal(cal, local(2026, 10, 9, 9), start, due, false, 0, 2, 3), 2);
	/* Oct 9, 10, 12 late: three working days is still 黄牌, the fourth 红牌 */
	assert_int_equal(hotline_signal(cal, local(2026, 10, 12, 9), start, due, false, 0, 2, 3), 2);
	assert_int_equal(hotline_signal(cal, local(2026, 10, 13, 9), start, due, false, 0, 2, 3), 3);
	/* a holiday right after the due day is not yet overdue: the 2026 Mid-Autumn weekend */
	int64_t due2 = day_end(2026, 9, 24);
	assert_int_equal(hotline_signal(cal, local(2026, 9, 26, 9), local(2026, 9, 22, 9), due2, false, 0, 2, 3), 1);
	assert_int_equal(hotline_signal(cal, local(2026, 9, 28, 9), local(2026, 9, 22, 9), due2, false, 0, 2, 3), 2);
	/* urgent, two hours: the last half hour warns, past due is overdue, past twice is red */
	int64_t ustart = local(2026, 10, 1, 10), udue = ustart + 7200;
	assert_int_equal(hotline_signal(cal, ustart + 60, ustart, udue, true, 2, 2, 3), 0);
	assert_int_equal(hotline_signal(cal, ustart + 5700, ustart, udue, true, 2, 2, 3), 1);
	assert_int_equal(hotline_signal(cal, udue + 60, ustart, udue, true, 2, 2, 3), 2);
	assert_int_equal(hotline_signal(cal, udue + 7300, ustart, udue, true, 2, 2, 3), 3);
	assert_int_equal(hotline_signal(cal, ustart, 0, 0, false, 0, 2, 3), 0);
	assert_string_equal(hotline_signal_label(1), "预警");
	assert_string_equal(hotline_signal_label(3), "红牌");
	calendar_free(cal);
}

static void similarity(void **state)
{
	(void)state;
	double same = hotline_text_similarity("小区门口夜间施工噪音扰民", "小区门口夜间施工噪音扰民！");
	assert_true(same > 0.999);
	double near = hotline_text_similarity("望月湖小区三栋楼下垃圾站长期不清运，臭气熏天",
					      "望月湖小区三栋垃圾站长期不清运，臭味很大");
	double far = hotline_text_similarity("望月湖小区三栋楼下垃圾站长期不清运", "询问新生儿医保参保办理流程");
	assert_true(near > 0.5);
	assert_true(far < 0.1);
	assert_true(hotline_text_similarity("", "") == 0);
	assert_true(hotline_text_similarity("ABC road", "abc ROAD") > 0.999);
	/* punctuation does not make texts alike */
	assert_true(hotline_text_similarity("，。！？", "，。！？") == 0);
}

static void phones(void **state)
{
	(void)state;
	char out[24];
	assert_true(hotline_phone_normalize("138 0731 0001", out));
	assert_string_equal(out, "13807310001");
	assert_true(hotline_phone_normalize("+8613807310001", out));
	assert_string_equal(out, "13807310001");
	assert_true(hotline_phone_normalize("0731-88880001", out));
	assert_string_equal(out, "073188880001");
	/* typed with a Chinese input method's full-width characters */
	assert_true(hotline_phone_normalize("＋８６ １３８－０７３１－０００１", out));
	assert_string_equal(out, "13807310001");
	assert_true(hotline_phone_normalize("０７３１　８８８８０００１", out));
	assert_string_equal(out, "073188880001");
	assert_false(hotline_phone_normalize("１３８ａｂｃ", out));
	assert_false(hotline_phone_normalize("1234", out));
	assert_false(hotline_phone_normalize("138abc", out));
	assert_false(hotline_phone_normalize("123456789012345678901", out));
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(transitions), cmocka_unit_test(limits),
					   cmocka_unit_test(due_times), cmocka_unit_test(signals),
					   cmocka_unit_test(similarity), cmocka_unit_test(phones)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
