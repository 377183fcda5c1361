/* Hotline statistics rules (hotline_stats.h) on hand-made facts: the rankings' counts, rates,
 * composite score and order; the hot topics' phrase, stop words, minimum and history rule. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hotline/hotline_stats.h"

static yw_date_t d(int m, int dd)
{
	return date_from_ymd(2026, m, dd);
}

static hls_order_t orders[64];
static hls_event_t events[64];
static char titles[8192];
static hls_facts_t f;

static void reset(void)
{
	memset(&f, 0, sizeof f);
	for (size_t i = 0; i < 64; i++)
		orders[i] = (hls_order_t){.day = HLS_NO_DAY, .closed_day = HLS_NO_DAY, .ev = -1};
	f.orders = orders;
	f.norders = 1;
	f.events = events;
	f.titles = titles;
	f.ntitles = 1; /* offset 0: "" */
	titles[0] = 0;
	f.ndistricts = 1;
	f.epoch = 1;
}

static int32_t order(yw_date_t day, const char *title)
{
	int32_t id = (int32_t)f.norders++;
	size_t len = strlen(title);
	memcpy(titles + f.ntitles, title, len + 1);
	orders[id] = (hls_order_t){.day = day, .closed_day = HLS_NO_DAY, .ev = -1, .title = (uint32_t)f.ntitles,
				   .channel = 1, .category = 3};
	f.ntitles += len + 1;
	return id;
}

static void ev(int32_t o, uint8_t kind, yw_date_t day, int32_t unit, uint8_t a, uint8_t b)
{
	int32_t i = (int32_t)f.nevents++;
	events[i] = (hls_event_t){.day = day, .unit = unit, .next = orders[o].ev, .kind = kind, .a = a, .b = b};
	orders[o].ev = i;
}

static const int W[HLS_NWEIGHTS] = {15, 25, 20, 30, 10}; /* the defaults of docs/yiwang.conf.example */

static void rankings(void **state)
{
	(void)state;
	reset();
	/* unit 1: 2 received, 1 signed in time; 1 closed on time; 2 call-backs (满意, 不满意), 1 solved;
	 * 1 rejected return, 1 重办 */
	int32_t a = order(d(6, 1), "噪音"), b = order(d(6, 2), "噪音");
	ev(a, HLS_EV_ASSIGN, d(6, 1), 1, 1, 0);
	ev(b, HLS_EV_ASSIGN, d(6, 2), 1, 0, 0);
	orders[a].closed_day = d(6, 5);
	orders[a].reply_unit = 1;
	orders[a].flags |= HLS_ON_TIME;
	ev(a, HLS_EV_CALLBACK, d(6, 6), 1, 1, 1);
	ev(b, HLS_EV_CALLBACK, d(6, 8), 1, 3, 0);
	ev(b, HLS_EV_RETURN, d(6, 3), 1, 0, 0);
	ev(b, HLS_EV_REOPEN, d(6, 9), 1, 0, 0);
	/* unit 2: 1 received, signed in time, nothing else; a dead event and one of May are not counted */
	int32_t c = order(d(6, 3), "停水");
	ev(c, HLS_EV_ASSIGN, d(6, 3), 2, 1, 0);
	ev(c, HLS_EV_DEAD, d(6, 3), 2, 1, 0);
	ev(c, HLS_EV_ASSIGN, d(5, 31), 2, 1, 0);
	hls_unit_row_t *rows;
	size_t n;
	assert_int_equal(hls_rankings(&f, d(6, 1), d(6, 30), W, &rows, &n), 0);
	assert_int_equal(n, 2);
	/* unit 2: sign 1, clean 1 → 100; unit 1 below */
	assert_int_equal(rows[0].unit, 2);
	assert_int_equal(rows[0].rank, 1);
	assert_int_equal(rows[0].received, 1);
	assert_true(isnan(rows[0].on_time_rate) && isnan(rows[0].satisfaction_rate));
	assert_true(fabs(rows[0].score - 100.0) < 1e-9);
	const hls_unit_row_t *u = &rows[1];
	assert_int_equal(u->unit, 1);
	assert_int_equal(u->rank, 2);
	assert_int_equal(u->received, 2);
	assert_int_equal(u->signed_in_time, 1);
	assert_int_equal(u->closed, 1);
	assert_int_equal(u->on_time, 1);
	assert_int_equal(u->called_back, 2);
	assert_int_equal(u->satisfied, 1);
	assert_int_equal(u->dissatisfied, 1);
	assert_int_equal(u->solved, 1);
	assert_int_equal(u->returns, 1);
	assert_int_equal(u->reopens, 1);
	/* 15·0.5 + 25·1 + 20·0.5 + 30·0.5 + 10·(1 − min(1, 2/2)) over 100 */
	assert_true(fabs(u->score - (7.5 + 25 + 10 + 15 + 0)) < 1e-9);
	free(rows);
	/* other weights (hotline_weight_*): on time 50, clean 50 → unit 1 scores 50·1 + 50·0 = 50, unit 2
	 * (no closed order: its on-time weight is left out) 100 on the clean rate alone */
	const int w2[HLS_NWEIGHTS] = {0, 50, 0, 0, 50};
	assert_int_equal(hls_rankings(&f, d(6, 1), d(6, 30), w2, &rows, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].unit, 2);
	assert_true(fabs(rows[0].score - 100.0) < 1e-9);
	assert_int_equal(rows[1].unit, 1);
	assert_true(fabs(rows[1].score - 50.0) < 1e-9);
	free(rows);
	/* May: only unit 2's earlier assignment */
	assert_int_equal(hls_rankings(&f, d(5, 1), d(5, 31), W, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].unit, 2);
	free(rows);
}

static void hot_topics(void **state)
{
	(void)state;
	reset();
	/* four weeks of ordinary orders, then a week in which 8 titles say 自来水停水无通知 */
	for (int w = 0; w < 4; w++)
		for (int i = 0; i < 5; i++)
			order(d(5, 4 + w * 7 + i), i % 2 ? "小区噪音扰民问题" : "路灯不亮请求处理");
	for (int i = 0; i < 8; i++)
		order(d(6, 2 + i % 5), i % 2 ? "文艺路自来水停水无通知" : "南门口自来水停水无通知");
	order(d(6, 3), "小区噪音扰民问题");
	json_t *h = hls_hot_topics(&f, d(6, 7), 5, 10);
	assert_int_equal(json_array_size(h), 1);
	json_t *t = json_array_get(h, 0);
	assert_string_equal(json_string_value(json_object_get(t, "term")), "自来水停水无通知");
	assert_int_equal(json_integer_value(json_object_get(t, "week")), 8);
	assert_int_equal(json_integer_value(json_object_get(t, "previous_4_weeks")), 0);
	json_decref(h);
	/* below the minimum count: nothing */
	h = hls_hot_topics(&f, d(6, 7), 9, 10);
	assert_int_equal(json_array_size(h), 0);
	json_decref(h);
	/* no history before the week: nothing rises */
	h = hls_hot_topics(&f, d(5, 10), 1, 10);
	assert_int_equal(json_array_size(h), 0);
	json_decref(h);
	/* stop words and non-ideographs */
	assert_true(hls_stop_bigram(0x95EE, 0x9898)); /* 问题 */
	assert_true(hls_stop_bigram('a', 0x6C34));
	assert_false(hls_stop_bigram(0x505C, 0x6C34)); /* 停水 */
}

static void dashboard(void **state)
{
	(void)state;
	reset();
	order(d(6, 1), "甲");
	order(d(6, 1), "乙");
	order(d(6, 8), "丙");
	orders[3].flags |= HLS_URGENT;
	hls_matter_t m[] = {{.id = 1, .parent = 0, .name = "城建"}};
	json_t *j = hls_dashboard(&f, d(6, 1), d(6, 14), m, 1);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "urgent")), 1);
	json_t *weeks = json_object_get(json_object_get(j, "trend"), "by_week");
	assert_int_equal(json_array_size(weeks), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(weeks, 0), "count")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(weeks, 1), "count")), 1);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rankings),
		cmocka_unit_test(hot_topics),
		cmocka_unit_test(dashboard),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
