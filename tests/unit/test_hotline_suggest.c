/* Tests of the dispatch suggestion model (hotline/hotline_suggest.c) and the history CSV parser
 * (hotline/hotline_csv.c): features of Chinese text and bad bytes, training and answers on a small
 * hand-made history, the edge cases of the issue (empty, punctuation only, huge, invalid UTF-8,
 * labels seen once, a filtered unit), the lock-free model slot under concurrent readers, and the
 * CSV rules (RFC 4180 quoting, CRLF, BOM, any column order, per-row errors, chunked input). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "hotline/hotline_csv.h"
#include "hotline/hotline_suggest.h"
#include "platform/err.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- features ---- */

static void count_key(void *ctx, uint64_t key)
{
	(void)key;
	(*(size_t *)ctx)++;
}

static size_t nfeat(const char *s)
{
	size_t n = 0;
	size_t r = hotline_features(s, strlen(s), count_key, &n);
	assert_int_equal(r, n);
	return n;
}

typedef struct {
	uint64_t keys[64];
	size_t n;
} keys_t;

static void collect(void *ctx, uint64_t key)
{
	keys_t *k = ctx;
	if (k->n < COUNT(k->keys))
		k->keys[k->n++] = key;
}

static void test_features(void **state)
{
	(void)state;
	assert_int_equal(nfeat(""), 0);
	assert_int_equal(nfeat("，。！？……  ——"), 0);  /* punctuation only */
	assert_int_equal(nfeat("停水"), 3);             /* 停, 水, 停水 */
	assert_int_equal(nfeat("停水，停电"), 6);       /* the comma breaks the pair */
	assert_int_equal(nfeat("152路"), 2);            /* the word 152, then 路 */
	assert_int_equal(nfeat("ＡＢＣ"), 1);           /* full-width letters are one ASCII word */
	assert_int_equal(nfeat("\xFF\xFE停\x80水"), 2); /* invalid bytes skipped, and they break the pair */
	assert_int_equal(nfeat("\xE5\x81"), 0);         /* a truncated character */
	assert_int_equal(hotline_features(NULL, 5, count_key, &(size_t){0}), 0);
	/* the same word in full-width and half-width, upper and lower case, is one feature */
	keys_t a = {0}, b = {0};
	hotline_features("ＥＴＣ", strlen("ＥＴＣ"), collect, &a);
	hotline_features("etc", 3, collect, &b);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 1);
	assert_true(a.keys[0] == b.keys[0]);
	/* phone numbers say only their length class: two mobile numbers are the same feature */
	keys_t p = {0}, q = {0};
	hotline_features("13912345678", 11, collect, &p);
	hotline_features("18687654321", 11, collect, &q);
	assert_true(p.keys[0] == q.keys[0]);
	/* a text past the cap is read only up to it */
	size_t big = HOTLINE_SUGGEST_TEXT_CAP * 4;
	char *t = malloc(big + 1);
	for (size_t i = 0; i + 3 <= big; i += 3)
		memcpy(t + i, "水", 3);
	t[big - big % 3] = 0;
	size_t n = 0;
	hotline_features(t, strlen(t), count_key, &n);
	assert_true(n <= 2 * HOTLINE_SUGGEST_TEXT_CAP / 3 + 1);
	free(t);
}

/* ---- the model on a small history ---- */

enum { M_WATER = 30, M_NOISE = 18, M_WAGES = 21, M_RARE = 99 };
enum { U_WATER = 37, U_ENV = 6, U_LABOUR = 7, U_RARE = 500, U_GONE = 501 };

static const hotline_sample_t history[] = {
	{"小区停水了，没有通知", 0, M_WATER, U_WATER},
	{"家里自来水发黄，有沉淀", 0, M_WATER, U_WATER},
	{"水压太低，六楼没有水", 0, M_WATER, U_WATER},
	{"停水一整天了什么时候来水", 0, M_WATER, U_WATER},
	{"水管爆了，路上都是水", 0, M_WATER, U_WATER},
	{"工地夜间施工，噪音扰民", 0, M_NOISE, U_ENV},
	{"晚上打桩声音很大睡不着", 0, M_NOISE, U_ENV},
	{"工地凌晨还在施工，太吵了", 0, M_NOISE, U_ENV},
	{"施工噪音从早到晚", 0, M_NOISE, U_ENV},
	{"老板拖欠工资三个月", 0, M_WAGES, U_LABOUR},
	{"包工头欠薪不给，农民工讨薪", 0, M_WAGES, U_LABOUR},
	{"公司拖欠工资，老板跑了", 0, M_WAGES, U_LABOUR},
	{"工资两个月没发", 0, M_WAGES, U_LABOUR},
	{"烟花爆竹仓库存放在居民区旁边", 0, M_RARE, U_RARE}, /* labels seen once */
	{"只有事项，没有承办单位：水表漏水", 0, M_WATER, 0},
	{"只有承办单位：水费太贵", 0, 0, U_WATER},
	{"两个标签都没有的样本被忽略", 0, 0, 0},
};

static hotline_model_t *train_history(const hotline_train_opts_t *opt)
{
	hotline_sample_t s[COUNT(history)];
	for (size_t i = 0; i < COUNT(history); i++) {
		s[i] = history[i];
		s[i].len = strlen(s[i].text);
	}
	hotline_model_t *m = NULL;
	assert_int_equal(hotline_model_train(s, COUNT(s), opt, &m), 0);
	assert_non_null(m);
	return m;
}

static void suggest(const hotline_model_t *m, const char *text, hotline_guess_t *gm, size_t *nm, hotline_guess_t *gu,
		    size_t *nu)
{
	hotline_model_suggest(m, text, text ? strlen(text) : 0, 3, NULL, NULL, gm, nm, gu, nu);
}

static void check_scores(const hotline_guess_t *g, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(g[i].score > 0 && g[i].score <= 1);
		if (i > 0)
			assert_true(g[i].score <= g[i - 1].score);
		sum += g[i].score;
	}
	assert_true(sum <= 1.0 + 1e-9);
}

static void test_train_and_suggest(void **state)
{
	(void)state;
	for (int mode = 0; mode < 2; mode++) {
		/* multinomial NB needs a smaller α on a history this small (the prior outweighs evidence) */
		hotline_train_opts_t opt = {.mode = (hotline_nb_mode_t)mode, .alpha = mode ? 0.1 : 0};
		hotline_model_t *m = train_history(&opt);
		hotline_model_info_t info;
		hotline_model_info(m, &info);
		assert_int_equal(info.samples, COUNT(history) - 1);
		assert_int_equal(info.matters, 4);
		assert_int_equal(info.units, 4);
		assert_true(info.features > 50);
		assert_true(info.bytes > 0);
		hotline_guess_t gm[3], gu[3];
		size_t nm, nu;
		suggest(m, "我家又停水了", gm, &nm, gu, &nu);
		assert_int_equal(nm, 3);
		assert_int_equal(nu, 3);
		assert_int_equal(gm[0].id, M_WATER);
		assert_int_equal(gu[0].id, U_WATER);
		check_scores(gm, nm);
		check_scores(gu, nu);
		suggest(m, "隔壁工地半夜施工", gm, &nm, gu, &nu);
		assert_int_equal(gm[0].id, M_NOISE);
		assert_int_equal(gu[0].id, U_ENV);
		suggest(m, "拖欠我的工资", gm, &nm, gu, &nu);
		assert_int_equal(gm[0].id, M_WAGES);
		assert_int_equal(gu[0].id, U_LABOUR);
		/* a label seen once is still learnt */
		suggest(m, "烟花爆竹仓库", gm, &nm, gu, &nu);
		assert_int_equal(gm[0].id, M_RARE);
		assert_int_equal(gu[0].id, U_RARE);
		/* k = 1 and one kind only */
		hotline_model_suggest(m, "停水", 6, 1, NULL, NULL, gm, &nm, NULL, NULL);
		assert_int_equal(nm, 1);
		hotline_model_unref(m);
	}
}

static void test_edge_texts(void **state)
{
	(void)state;
	hotline_model_t *m = train_history(NULL);
	hotline_guess_t gm[3], gu[3];
	size_t nm = 9, nu = 9;
	suggest(m, "", gm, &nm, gu, &nu);
	assert_int_equal(nm, 0);
	assert_int_equal(nu, 0);
	nm = nu = 9;
	suggest(m, NULL, gm, &nm, gu, &nu);
	assert_int_equal(nm + nu, 0);
	suggest(m, "！！！？？？。。。", gm, &nm, gu, &nu);
	assert_int_equal(nm + nu, 0);
	suggest(m, "zzzz 完全没见过的词语", gm, &nm, gu, &nu); /* 见, 过… never seen: nothing to say */
	assert_true(nm <= 3);
	suggest(m, "\xFF\xFE\x80\xC0\xC1\xF5", gm, &nm, gu, &nu); /* bytes that are never UTF-8 */
	assert_int_equal(nm + nu, 0);
	/* invalid bytes around a known word are skipped, the word still counts */
	const char bad[] = "\xFF停水\x80";
	hotline_model_suggest(m, bad, sizeof bad - 1, 3, NULL, NULL, gm, &nm, gu, &nu);
	assert_true(nm > 0);
	assert_int_equal(gm[0].id, M_WATER);
	/* a huge text answers (capped), and k above the maximum is clamped */
	size_t big = 1 << 20;
	char *t = malloc(big);
	for (size_t i = 0; i + 6 <= big; i += 6)
		memcpy(t + i, "停水", 6);
	hotline_guess_t many[HOTLINE_SUGGEST_MAX_K];
	hotline_model_suggest(m, t, big, 1000, NULL, NULL, many, &nm, NULL, NULL);
	assert_int_equal(nm, 4); /* all 4 matters, fewer than the maximum */
	assert_int_equal(many[0].id, M_WATER);
	free(t);
	/* no model, k = 0 */
	hotline_model_suggest(NULL, "停水", 6, 3, NULL, NULL, gm, &nm, gu, &nu);
	assert_int_equal(nm + nu, 0);
	hotline_model_suggest(m, "停水", 6, 0, NULL, NULL, gm, &nm, gu, &nu);
	assert_int_equal(nm + nu, 0);
	hotline_model_unref(m);
}

static bool keep_not_gone(void *ctx, hotline_label_kind_t kind, int64_t id)
{
	(*(int *)ctx)++;
	return !(kind == HOTLINE_UNIT && (id == U_WATER || id == U_GONE));
}

static void test_filter(void **state)
{
	(void)state;
	hotline_model_t *m = train_history(NULL);
	hotline_guess_t gm[3], gu[3], gu_all[3];
	size_t nm, nu, nall;
	hotline_model_suggest(m, "停水", 6, 3, NULL, NULL, gm, &nm, gu_all, &nall);
	int calls = 0;
	hotline_model_suggest(m, "停水", 6, 3, keep_not_gone, &calls, gm, &nm, gu, &nu);
	assert_true(calls > 0);
	for (size_t i = 0; i < nu; i++)
		assert_true(gu[i].id != U_WATER);
	/* probabilities are not renormalised after the filter: the next unit keeps its score */
	assert_int_equal(gu[0].id, gu_all[1].id);
	assert_true(gu[0].score == gu_all[1].score);
	hotline_model_unref(m);
}

static void test_no_labels(void **state)
{
	(void)state;
	hotline_sample_t s[2] = {{"文本", 6, 0, 0}, {"另一个", 9, 0, 0}};
	hotline_model_t *m = (hotline_model_t *)0x1;
	assert_int_equal(hotline_model_train(s, 2, NULL, &m), YW_EINVAL);
	assert_int_equal(hotline_model_train(NULL, 0, NULL, &m), YW_EINVAL);
	/* one labelled sample is a model (of one class per kind) */
	s[0].matter = 5;
	assert_int_equal(hotline_model_train(s, 2, NULL, &m), 0);
	hotline_guess_t gm[3], gu[3];
	size_t nm, nu;
	suggest(m, "文本", gm, &nm, gu, &nu);
	assert_int_equal(nm, 1);
	assert_int_equal(gm[0].id, 5);
	assert_true(gm[0].score > 0.999);
	assert_int_equal(nu, 0);
	hotline_model_unref(m);
}

/* Calibration runs from 100 samples: a larger history of the same three kinds, with some noise
 * (half the 夜间施工 orders carry the labour bureau), still answers right, with scores in (0, 1]. */
static void test_calibrated(void **state)
{
	(void)state;
	enum { N = 600 };
	hotline_sample_t *s = calloc(N, sizeof *s);
	char (*text)[96] = calloc(N, sizeof *text);
	static const char *const a[] = {"停水", "自来水发黄", "水压低", "水管爆裂", "没有水"};
	static const char *const b[] = {"夜间施工", "打桩噪音", "工地太吵", "凌晨施工", "噪音扰民"};
	static const char *const c[] = {"拖欠工资", "欠薪", "工资没发", "老板跑了", "讨薪"};
	static const char *const place[] = {"雨花区", "开福区", "岳麓区", "天心区"};
	for (size_t i = 0; i < N; i++) {
		size_t k = i % 3, v = (i / 3) % 5, p = (i / 15) % 4;
		const char *w = k == 0 ? a[v] : k == 1 ? b[v] : c[v];
		snprintf(text[i], sizeof text[i], "%s某小区%s，请处理", place[p], w);
		s[i] = (hotline_sample_t){text[i], strlen(text[i]), k == 0 ? M_WATER : k == 1 ? M_NOISE : M_WAGES,
					  k == 0 ? U_WATER : k == 1 ? U_ENV : U_LABOUR};
		if (k == 1 && i % 10 == 1)
			s[i].unit = U_LABOUR;
	}
	hotline_model_t *m;
	assert_int_equal(hotline_model_train(s, N, NULL, &m), 0);
	hotline_model_info_t info;
	hotline_model_info(m, &info);
	assert_true(info.t_matter > 0 && info.t_unit > 0);
	assert_true(info.t_matter != 1.0);
	hotline_guess_t gm[3], gu[3];
	size_t nm, nu;
	suggest(m, "开福区停水", gm, &nm, gu, &nu);
	assert_int_equal(gm[0].id, M_WATER);
	check_scores(gm, nm);
	check_scores(gu, nu);
	suggest(m, "工地噪音", gm, &nm, gu, &nu);
	assert_int_equal(gu[0].id, U_ENV);
	/* Half the 夜间施工 orders went to the labour bureau. Naive Bayes still ranks the usual unit
	 * first, and (its known weakness, docs/architecture.md) is sure of it: the temperature
	 * calibrates scores on average, not the score of each ambiguous text. */
	suggest(m, "夜间施工", gm, &nm, gu, &nu);
	assert_int_equal(gm[0].id, M_NOISE);
	assert_int_equal(gu[0].id, U_ENV);
	check_scores(gu, nu);
	hotline_model_unref(m);
	free(s);
	free(text);
}

/* Readers on several threads suggest while the writer swaps models; run under the sanitizers
 * (YW_SANITIZE=ON), a freed model read by a reader would be caught. */
typedef struct {
	hotline_slot_t *slot;
	atomic_int *stop;
	size_t answers;
} reader_t;

static void *reader(void *arg)
{
	reader_t *r = arg;
	while (!atomic_load(r->stop)) {
		hotline_guess_t gm[3], gu[3];
		size_t nm, nu;
		size_t n = hotline_slot_suggest(r->slot, "停水", 6, 3, NULL, NULL, gm, &nm, gu, &nu);
		if (n > 0) {
			assert_true(nm > 0);
			assert_int_equal(gm[0].id, M_WATER);
			r->answers++;
		}
	}
	return NULL;
}

static void test_slot(void **state)
{
	(void)state;
	hotline_slot_t slot;
	hotline_slot_init(&slot);
	hotline_guess_t gm[3];
	size_t nm = 9;
	assert_int_equal(hotline_slot_suggest(&slot, "停水", 6, 3, NULL, NULL, gm, &nm, NULL, NULL), 0);
	assert_int_equal(nm, 0);
	atomic_int stop;
	atomic_init(&stop, 0);
	reader_t r[3];
	pthread_t th[3];
	for (int i = 0; i < 3; i++) {
		r[i] = (reader_t){&slot, &stop, 0};
		pthread_create(&th[i], NULL, reader, &r[i]);
	}
	for (int i = 0; i < 200; i++)
		hotline_slot_swap(&slot, train_history(NULL));
	atomic_store(&stop, 1);
	size_t total = 0;
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		total += r[i].answers;
	}
	assert_true(total > 0);
	/* a reference taken before a swap outlives it */
	hotline_model_t *m = train_history(NULL);
	hotline_model_t *mine = hotline_model_ref(m);
	hotline_slot_swap(&slot, m);
	hotline_slot_swap(&slot, NULL);
	suggest(mine, "停水", gm, &nm, (hotline_guess_t[3]){0}, &(size_t){0});
	assert_int_equal(gm[0].id, M_WATER);
	hotline_model_unref(mine);
	hotline_slot_destroy(&slot);
}

/* ---- the CSV parser ---- */

typedef struct {
	char rows[16][6][160];
	size_t rowno[16];
	int64_t created[16];
	size_t n;
	char errors[16][200];
	size_t erow[16];
	size_t nerr;
	int stop_after; /* on_row returns 7 after this many rows, when > 0 */
} got_t;

static int got_row(void *ctx, const hotline_csv_row_t *r)
{
	got_t *g = ctx;
	if (g->n < 16) {
		for (int c = 0; c < HOTLINE_CSV_NCOL; c++) {
			assert_int_equal(strlen(r->col[c]), r->len[c]);
			snprintf(g->rows[g->n][c], sizeof g->rows[g->n][c], "%s", r->col[c]);
		}
		g->rowno[g->n] = r->row;
		g->created[g->n] = r->created_at;
	}
	g->n++;
	return g->stop_after > 0 && (int)g->n >= g->stop_after ? 7 : 0;
}

static void got_error(void *ctx, size_t row, const char *col, const char *reason)
{
	got_t *g = ctx;
	if (g->nerr < 16) {
		snprintf(g->errors[g->nerr], sizeof g->errors[g->nerr], "%s:%s", col ? col : "-", reason);
		g->erow[g->nerr] = row;
	}
	g->nerr++;
}

/* Parses s whole, then again one byte at a time; both must agree. Returns the status. */
static int parse(const char *s, size_t len, got_t *g)
{
	memset(g, 0, sizeof *g);
	hotline_csv_t *p = hotline_csv_new(got_row, got_error, g);
	int rc = hotline_csv_feed(p, s, len);
	if (rc == 0)
		rc = hotline_csv_finish(p);
	hotline_csv_stats_t st;
	hotline_csv_stats(p, &st);
	assert_int_equal(st.accepted, g->n);
	hotline_csv_free(p);
	got_t g2;
	memset(&g2, 0, sizeof g2);
	p = hotline_csv_new(got_row, got_error, &g2);
	int rc2 = 0;
	for (size_t i = 0; i < len && rc2 == 0; i++)
		rc2 = hotline_csv_feed(p, s + i, 1);
	if (rc2 == 0)
		rc2 = hotline_csv_finish(p);
	hotline_csv_free(p);
	assert_int_equal(rc, rc2);
	assert_int_equal(g->n, g2.n);
	assert_int_equal(g->nerr, g2.nerr);
	assert_memory_equal(g->rows, g2.rows, sizeof g->rows);
	assert_memory_equal(g->errors, g2.errors, sizeof g->errors);
	return rc;
}

static int parse_str(const char *s, got_t *g)
{
	return parse(s, strlen(s), g);
}

static void test_csv_basic(void **state)
{
	(void)state;
	got_t g;
	/* BOM, CRLF, quoted fields with commas, doubled quotes and a line break; any column order */
	const char *csv = "\xEF\xBB\xBFunit,text,matter,created_at,title,category\r\n"
			  "长沙水业集团有限公司,\"停水了，没通知\",公用事业/供水,2025-03-05 14:30:00,停水,求助\r\n"
			  "\"国网长沙供电公司\",\"他说\"\"马上来\"\"，\r\n结果没来\",,2025/3/6,,投诉\r\n";
	assert_int_equal(parse_str(csv, &g), 0);
	assert_int_equal(g.nerr, 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[0][HOTLINE_CSV_TEXT], "停水了，没通知");
	assert_string_equal(g.rows[0][HOTLINE_CSV_UNIT], "长沙水业集团有限公司");
	assert_string_equal(g.rows[0][HOTLINE_CSV_MATTER], "公用事业/供水");
	assert_string_equal(g.rows[0][HOTLINE_CSV_TITLE], "停水");
	assert_string_equal(g.rows[0][HOTLINE_CSV_CATEGORY], "求助");
	assert_int_equal(g.created[0], 1741156200); /* 2025-03-05 14:30 in China = 06:30 UTC */
	assert_int_equal(g.rowno[0], 2);
	assert_string_equal(g.rows[1][HOTLINE_CSV_TEXT], "他说\"马上来\"，\n结果没来"); /* CRLF inside → LF */
	assert_string_equal(g.rows[1][HOTLINE_CSV_MATTER], "");
	assert_int_equal(g.created[1], 1741190400); /* 2025-03-06 00:00 +08 */
	assert_int_equal(g.rowno[1], 3);
	/* LF only, no final line break, Chinese header names, an unknown column, fewer fields */
	csv = "内容,承办单位,备注\n路灯坏了,长沙市城市管理和综合执法局,x\n  井盖缺失  ,城管局";
	assert_int_equal(parse_str(csv, &g), 0);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.rows[1][HOTLINE_CSV_TEXT], "井盖缺失"); /* trimmed */
	assert_int_equal(g.created[1], 0);
	/* blank lines are skipped but counted as rows */
	csv = "text,matter\n\n停水,供水\n\r\n停电,供电\n";
	assert_int_equal(parse_str(csv, &g), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.rowno[0], 3);
	assert_int_equal(g.rowno[1], 5);
	/* a lone CR ends a row too; a stray quote inside an unquoted field is kept */
	csv = "text,unit\r停水 5\"管,水务\r";
	assert_int_equal(parse_str(csv, &g), 0);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.rows[0][HOTLINE_CSV_TEXT], "停水 5\"管");
	/* the row callback can stop the parse */
	memset(&g, 0, sizeof g);
	g.stop_after = 1;
	hotline_csv_t *p = hotline_csv_new(got_row, got_error, &g);
	csv = "text,unit\na,b\nc,d\n";
	assert_int_equal(hotline_csv_feed(p, csv, strlen(csv)), 7);
	hotline_csv_free(p);
}

static void test_csv_row_errors(void **state)
{
	(void)state;
	got_t g;
	char *big = malloc(HOTLINE_CSV_TEXT_MAX + 100);
	memset(big, 'a', HOTLINE_CSV_TEXT_MAX + 10);
	big[HOTLINE_CSV_TEXT_MAX + 10] = 0;
	char *csv = malloc(HOTLINE_CSV_TEXT_MAX + 1000);
	snprintf(csv, HOTLINE_CSV_TEXT_MAX + 1000,
		 "text,matter,unit,created_at\n"
		 ",供水,水务\n"                 /* 2: no text */
		 "停水,,\n"                     /* 3: neither matter nor unit */
		 "停水,供水,,2025-02-30\n"      /* 4: no such day */
		 "停\xFF水,供水,\n"             /* 5: bad UTF-8 */
		 "%s,供水,\n"                   /* 6: too long */
		 "停水,供水,水务,,多余\n"       /* 7: more fields than the header */
		 "停水,供水,水务,2025-02-28T23:59:59Z\n" /* 8: fine */
		 "\"停水,供水\n",               /* 9: quote never closed */
		 big);
	assert_int_equal(parse_str(csv, &g), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.rowno[0], 8);
	assert_int_equal(g.created[0], 1740787199);
	assert_int_equal(g.nerr, 7);
	static const size_t want_rows[] = {2, 3, 4, 5, 6, 7, 9};
	static const char *const want_cols[] = {"text:", "matter:", "created_at:", "text:", "text:", "-:", "-:"};
	for (size_t i = 0; i < COUNT(want_rows); i++) {
		assert_int_equal(g.erow[i], want_rows[i]);
		assert_true(strncmp(g.errors[i], want_cols[i], strlen(want_cols[i])) == 0);
	}
	assert_non_null(strstr(g.errors[0], "缺少诉求内容"));
	assert_non_null(strstr(g.errors[1], "至少须填一项"));
	assert_non_null(strstr(g.errors[3], "UTF-8"));
	assert_non_null(strstr(g.errors[4], "过长"));
	assert_non_null(strstr(g.errors[6], "引号未闭合"));
	/* a NUL byte is not text */
	const char nul[] = "text,unit\n停\0水,水务\n";
	assert_int_equal(parse(nul, sizeof nul - 1, &g), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nerr, 1);
	free(big);
	free(csv);
}

static void test_csv_header_errors(void **state)
{
	(void)state;
	got_t g;
	static const char *const bad[] = {
		"",                       /* empty file */
		"\xEF\xBB\xBF",           /* a BOM alone */
		"title,matter\n停水,供水\n", /* no text column */
		"text,category\n停水,求助\n", /* neither matter nor unit */
		"text,text,unit\na,b,c\n",   /* duplicate column */
		"te\xFFxt,unit\n",           /* header not UTF-8 */
		"\"text,unit\n",             /* header quote never closed */
	};
	for (size_t i = 0; i < COUNT(bad); i++) {
		assert_int_equal(parse_str(bad[i], &g), YW_EINVAL);
		assert_int_equal(g.n, 0);
		assert_true(g.nerr >= 1);
		assert_int_equal(g.erow[0], 1);
	}
	/* after a fatal header every call keeps failing */
	memset(&g, 0, sizeof g);
	hotline_csv_t *p = hotline_csv_new(got_row, got_error, &g);
	assert_int_equal(hotline_csv_feed(p, "a,b\n", 4), YW_EINVAL);
	assert_int_equal(hotline_csv_feed(p, "x,y\n", 4), YW_EINVAL);
	assert_int_equal(hotline_csv_finish(p), YW_EINVAL);
	hotline_csv_free(p);
	/* a header with a too-long name */
	char h[400];
	memset(h, 'x', 300);
	strcpy(h + 300, ",text,unit\n");
	assert_int_equal(parse_str(h, &g), YW_EINVAL);
}

static void test_csv_time(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int64_t want; /* 0 = refused */
	} cases[] = {
		{"2025-03-05", 1741104000},          {"2025/3/5", 1741104000},
		{"2025.03.05 08:00", 1741132800},    {"2025-03-05T00:00:00Z", 1741132800},
		{"2025-03-05 00:00:00+0800", 1741104000}, {"2025-03-05 00:00:00-05:00", 1741150800},
		{"2025-03-05 12:00:00.250", 1741147200},  {"2024-02-29", 1709136000},
		{"2025-02-29", 0},                   {"2025-13-01", 0},
		{"2025-03-05 24:00", 0},             {"1989-12-31", 0},
		{"2101-01-01", 0},                   {"2025-03-05x", 0},
		{"2025-03/05", 0},                   {"", 0},
		{"20250305", 0},                     {"2025-03-05 8", 0},
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		int64_t t = -1;
		int rc = hotline_csv_parse_time(cases[i].s, strlen(cases[i].s), &t);
		if (cases[i].want == 0) {
			if (rc != YW_EINVAL)
				fail_msg("%s accepted as %lld", cases[i].s, (long long)t);
		} else {
			if (rc != 0 || t != cases[i].want)
				fail_msg("%s: rc %d, %lld, want %lld", cases[i].s, rc, (long long)t, (long long)cases[i].want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),      cmocka_unit_test(test_train_and_suggest),
		cmocka_unit_test(test_edge_texts),    cmocka_unit_test(test_filter),
		cmocka_unit_test(test_no_labels),     cmocka_unit_test(test_calibrated),
		cmocka_unit_test(test_slot),          cmocka_unit_test(test_csv_basic),
		cmocka_unit_test(test_csv_row_errors), cmocka_unit_test(test_csv_header_errors),
		cmocka_unit_test(test_csv_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
