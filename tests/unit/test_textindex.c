/* The catalogue's search machinery over another module's documents (catalog.h,
 * catalog_textindex_*): field weights (a title beats a keyword beats the body), every term must
 * match, the caller's spoken phrases ("办身份证要带什么", "请问一下…怎么…") are taken off or
 * split on only in spoken mode, the loose fallback for a typo, and references handed back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog.h"

/* name \x1f result \x1f aliases and keywords \x1f department \x1f rest, as hotline_kb_search.c lays out */
static const catalog_textdoc_t docs[] = {
	{"居民身份证到期换领", "居民身份证到期换领\x1f身份证过期了怎么换\n\x1f身份证过期\n换身份证\n\x1f长沙市公安局\n证照办理\n\x1f"
			       "本人携带户口簿和原身份证到派出所办理",
	 101},
	{"投靠落户与户口迁移", "投靠落户与户口迁移\x1f外地户口怎么迁到长沙\n\x1f迁户口\n落户\n\x1f长沙市公安局\n证照办理\n\x1f"
			       "携带身份证、户口簿到迁入地派出所申请",
	 102},
	{"流动摊贩占道经营的处理", "流动摊贩占道经营的处理\x1f楼下有人摆摊占道，谁来管\n\x1f摆摊\n占道\n\x1f长沙市城市管理和综合执法局\n"
				   "占道经营\n\x1f由城管执法中队负责查处",
	 103},
	{"公积金提取", "公积金提取\x1f\n\x1f\n\x1f长沙市住房公积金管理中心\n\x1f购房、租房可以提取住房公积金", 104},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static catalog_textindex_t *ix;

static int setup(void **state)
{
	(void)state;
	ix = catalog_textindex_new(docs, NDOCS);
	return ix ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	catalog_textindex_free(ix);
	return 0;
}

static size_t query(const char *q, bool spoken, catalog_hit_t *hits)
{
	return catalog_textindex_query(ix, q, spoken, hits, 10);
}

static void weights_and_refs(void **state)
{
	(void)state;
	catalog_hit_t h[10];
	/* 身份证 in the first title, in the second only in the body */
	size_t n = query("身份证", false, h);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].ref, 101);
	assert_int_equal(h[1].ref, 102);
	assert_true(h[0].score > h[1].score);
	/* a keyword (alias class) outranks nothing else holding it */
	n = query("摆摊", false, h);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].ref, 103);
	/* every term must match */
	assert_int_equal(query("身份证 摆摊", false, h), 0);
	assert_int_equal(query("火箭", true, h), 0);
	assert_int_equal(query("", true, h), 0);
	assert_int_equal(query(NULL, true, h), 0);
}

static void spoken_phrases(void **state)
{
	(void)state;
	catalog_hit_t h[10];
	/* the catalogue's own parsing keeps "要带什么" and "办": nothing matches the whole term */
	assert_int_equal(query("办身份证要带什么", false, h), 0);
	size_t n = query("办身份证要带什么", true, h);
	assert_true(n >= 1);
	assert_int_equal(h[0].ref, 101);
	/* question words split a sentence: 公积金 and 提取 */
	n = query("请问一下公积金怎么提取", true, h);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].ref, 104);
	n = query("你好，我想咨询一下迁户口", true, h);
	assert_true(n >= 1);
	assert_int_equal(h[0].ref, 102);
	/* a spoken phrase is not taken off when under two characters would be left */
	n = query("办证", true, h);
	for (size_t i = 0; i < n; i++)
		assert_true(h[i].ref != 103);
}

static void loose_fallback(void **state)
{
	(void)state;
	catalog_hit_t h[10];
	/* 分 for 份: no strict match, all but one character of the term is enough in spoken mode */
	assert_int_equal(query("身分证过期", false, h), 0);
	size_t n = query("身分证过期", true, h);
	assert_true(n >= 1);
	assert_int_equal(h[0].ref, 101);
	assert_true(h[0].score < 40);
	/* too far off: nothing */
	assert_int_equal(query("飞机场", true, h), 0);
}

static void empty_index(void **state)
{
	(void)state;
	catalog_textindex_t *none = catalog_textindex_new(NULL, 0);
	catalog_hit_t h[4];
	assert_int_equal(catalog_textindex_query(none, "身份证", true, h, 4), 0);
	assert_int_equal(catalog_textindex_query(none, "证", false, h, 4), 0);
	assert_int_equal(catalog_textindex_query(none, "身分证丢了", true, h, 4), 0);
	catalog_textindex_free(none);
	/* a query of fillers only has no term */
	assert_int_equal(query("你好", true, h), 0);
	assert_int_equal(query("请问一下", true, h), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(weights_and_refs),
		cmocka_unit_test(spoken_phrases),
		cmocka_unit_test(loose_fallback),
		cmocka_unit_test(empty_index),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
