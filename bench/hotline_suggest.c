/* Dispatch suggestion, measured honestly (issue 11): accuracy on hand-written citizen requests
 * that the model never trained on, and speed on a synthetic 100,000-order history.
 *
 *   bench_hotline_suggest DATA_DIR [--all]
 *
 * DATA_DIR is tests/data/hotline: matters.tsv, units.tsv, corpus.csv (hand-written, 5-fold
 * cross-validated) and sealed.csv (hand-written last, scored once with the default settings after
 * they were fixed on corpus.csv). Both CSVs are read through the import parser (hotline_csv.h).
 * --all also prints the settings compared on corpus.csv (the comparison that chose the default).
 *
 * Speed uses synthetic text (random characters with a per-class bias, no words of the corpus): it
 * has the shape of real orders (length, vocabulary, 44 matters and 41 units) but says nothing about
 * accuracy, and no accuracy figure comes from it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hotline/hotline_csv.h"
#include "hotline/hotline_suggest.h"

typedef struct {
	char *name;
	int64_t id;
} named_t;

typedef struct {
	named_t *v;
	size_t n;
} names_t;

typedef struct {
	char *text;
	size_t len;
	int64_t matter, unit;
} order_t;

typedef struct {
	order_t *v;
	size_t n, cap;
	names_t *matters, *units;
	size_t errors;
} orders_t;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t lookup(const names_t *n, const char *name)
{
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->v[i].name, name) == 0)
			return n->v[i].id;
	return 0;
}

/* matters.tsv: id, top, leaf → "top/leaf"; units.tsv: id, short, full → full. */
static void load_names(const char *path, bool join, names_t *out)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *a = strtok(line, "\t"), *b = strtok(NULL, "\t"), *c = strtok(NULL, "\t");
		if (!a || !b || !c)
			continue;
		out->v = realloc(out->v, (out->n + 1) * sizeof *out->v);
		char buf[512];
		snprintf(buf, sizeof buf, "%s/%s", b, c);
		out->v[out->n++] = (named_t){strdup(join ? buf : c), atoll(a)};
	}
	fclose(f);
}

static int on_row(void *ctx, const hotline_csv_row_t *r)
{
	orders_t *o = ctx;
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1024;
		o->v = realloc(o->v, o->cap * sizeof *o->v);
	}
	size_t tl = r->len[HOTLINE_CSV_TITLE], xl = r->len[HOTLINE_CSV_TEXT];
	char *t = malloc(tl + xl + 2);
	memcpy(t, r->col[HOTLINE_CSV_TITLE], tl);
	t[tl] = '\n';
	memcpy(t + tl + 1, r->col[HOTLINE_CSV_TEXT], xl);
	t[tl + 1 + xl] = 0;
	order_t ord = {t, tl + 1 + xl, lookup(o->matters, r->col[HOTLINE_CSV_MATTER]), lookup(o->units, r->col[HOTLINE_CSV_UNIT])};
	if (!ord.matter || !ord.unit) {
		fprintf(stderr, "row %zu: unknown matter or unit: %s / %s\n", r->row, r->col[HOTLINE_CSV_MATTER],
			r->col[HOTLINE_CSV_UNIT]);
		exit(1);
	}
	o->v[o->n++] = ord;
	return 0;
}

static void on_error(void *ctx, size_t row, const char *col, const char *reason)
{
	orders_t *o = ctx;
	o->errors++;
	fprintf(stderr, "row %zu %s: %s\n", row, col ? col : "-", reason);
}

static void load_csv(const char *path, orders_t *o)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(1);
	}
	hotline_csv_t *p = hotline_csv_new(on_row, on_error, o);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (hotline_csv_feed(p, buf, n) != 0)
			exit(1);
	if (hotline_csv_finish(p) != 0 || o->errors)
		exit(1);
	hotline_csv_free(p);
	fclose(f);
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

typedef struct {
	size_t n, top1, top3;
	double conf1;   /* sum of the top guess's probability */
	double brier1;  /* sum of (p1 - correct)^2 */
} score_t;

static void score_add(score_t *s, const hotline_guess_t *g, size_t ng, int64_t truth)
{
	s->n++;
	if (ng > 0) {
		bool hit = g[0].id == truth;
		s->top1 += hit;
		s->conf1 += g[0].score;
		s->brier1 += (g[0].score - hit) * (g[0].score - hit);
	} else
		s->brier1 += 0;
	for (size_t i = 0; i < ng && i < 3; i++)
		if (g[i].id == truth) {
			s->top3++;
			break;
		}
}

static void evaluate(const hotline_model_t *m, const order_t *test, const size_t *idx, size_t n, score_t *sm,
		     score_t *su)
{
	for (size_t i = 0; i < n; i++) {
		const order_t *o = &test[idx ? idx[i] : i];
		hotline_guess_t gm[3], gu[3];
		size_t nm, nu;
		hotline_model_suggest(m, o->text, o->len, 3, NULL, NULL, gm, &nm, gu, &nu);
		score_add(sm, gm, nm, o->matter);
		score_add(su, gu, nu, o->unit);
	}
}

static void samples_of(const order_t *o, const size_t *idx, size_t n, hotline_sample_t *out)
{
	for (size_t i = 0; i < n; i++) {
		const order_t *x = &o[idx ? idx[i] : i];
		out[i] = (hotline_sample_t){x->text, x->len, x->matter, x->unit};
	}
}

/* k-fold cross-validation over a fixed shuffle; pooled scores. */
static void crossval(const orders_t *o, int k, const hotline_train_opts_t *opt, score_t *sm, score_t *su, double *fold_min,
		     double *fold_max)
{
	size_t *perm = malloc(o->n * sizeof *perm);
	for (size_t i = 0; i < o->n; i++)
		perm[i] = i;
	rng_state = 0x9E3779B97F4A7C15ULL;
	for (size_t i = o->n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	memset(sm, 0, sizeof *sm);
	memset(su, 0, sizeof *su);
	*fold_min = 1, *fold_max = 0;
	size_t *tr = malloc(o->n * sizeof *tr), *te = malloc(o->n * sizeof *te);
	hotline_sample_t *s = malloc(o->n * sizeof *s);
	for (int f = 0; f < k; f++) {
		size_t ntr = 0, nte = 0;
		for (size_t i = 0; i < o->n; i++) {
			if ((int)(i % k) == f)
				te[nte++] = perm[i];
			else
				tr[ntr++] = perm[i];
		}
		samples_of(o->v, tr, ntr, s);
		hotline_model_t *m;
		if (hotline_model_train(s, ntr, opt, &m) != 0)
			exit(1);
		score_t fm = {0}, fu = {0};
		evaluate(m, o->v, te, nte, &fm, &fu);
		double a = (double)fm.top1 / fm.n;
		if (a < *fold_min)
			*fold_min = a;
		if (a > *fold_max)
			*fold_max = a;
		sm->n += fm.n, sm->top1 += fm.top1, sm->top3 += fm.top3, sm->conf1 += fm.conf1, sm->brier1 += fm.brier1;
		su->n += fu.n, su->top1 += fu.top1, su->top3 += fu.top3, su->conf1 += fu.conf1, su->brier1 += fu.brier1;
		hotline_model_unref(m);
	}
	free(perm);
	free(tr);
	free(te);
	free(s);
}

static void print_row(const char *label, const score_t *sm, const score_t *su)
{
	printf("| %s | %zu | %.1f%% | %.1f%% | %.2f | %.1f%% | %.1f%% | %.2f |\n", label, sm->n, 100.0 * sm->top1 / sm->n,
	       100.0 * sm->top3 / sm->n, sm->conf1 / sm->n, 100.0 * su->top1 / su->n, 100.0 * su->top3 / su->n,
	       su->conf1 / su->n);
}

/* Synthetic orders for the speed test. Chinese text is words, not independent characters: a
 * lexicon of 20,000 "words" of 1-4 characters drawn from 3,500 Han characters, used with a Zipf
 * skew, and each matter and unit with 60 words of its own that make up a fifth of its texts.
 * A text is 30-300 characters of such words with a comma now and then and sometimes a phone
 * number. Its vocabulary grows with the history as real text does; its words mean nothing. */
enum { LEXICON = 20000, OWN = 60 };
static uint32_t lexicon[LEXICON][4];
static uint8_t lexlen[LEXICON];

static void lexicon_init(void)
{
	for (size_t i = 0; i < LEXICON; i++) {
		uint64_t r = rnd();
		lexlen[i] = (uint8_t)(r % 10 < 2 ? 1 : r % 10 < 8 ? 2 : r % 10 < 9 ? 3 : 4);
		for (size_t j = 0; j < lexlen[i]; j++) {
			double u = (double)(rnd() % 1000000) / 1e6;
			lexicon[i][j] = 0x4E00 + (uint32_t)(3500 * u * u);
		}
	}
}

static size_t zipf_word(void)
{
	double u = (double)(rnd() % 1000000 + 1) / 1e6;
	size_t w = (size_t)(pow((double)LEXICON, u)) - 1; /* P(w) ~ 1/w */
	return w < LEXICON ? w : LEXICON - 1;
}

static char *synth_text(int64_t matter, int64_t unit, size_t *len)
{
	size_t chars = 30 + rnd() % 271;
	char *t = malloc(chars * 6 + 64); /* a comma may follow every word */
	size_t n = 0, c = 0;
	while (c < chars) {
		uint64_t r = rnd();
		size_t w;
		if (r % 10 == 0)
			w = (size_t)(matter * 7919 + (int64_t)((r >> 8) % OWN)) % LEXICON;
		else if (r % 10 == 1)
			w = (size_t)(unit * 104729 + (int64_t)((r >> 8) % OWN)) % LEXICON;
		else
			w = zipf_word();
		for (size_t j = 0; j < lexlen[w]; j++, c++) {
			uint32_t cp = lexicon[w][j];
			t[n++] = (char)(0xE0 | (cp >> 12));
			t[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			t[n++] = (char)(0x80 | (cp & 0x3F));
		}
		if ((r >> 40) % 8 == 0) {
			t[n++] = (char)0xEF, t[n++] = (char)0xBC, t[n++] = (char)0x8C; /* ， */
		}
	}
	if (rnd() % 4 == 0)
		n += (size_t)sprintf(t + n, "13%09u", (unsigned)(rnd() % 1000000000));
	t[n] = 0;
	*len = n;
	return t;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void latency(const hotline_model_t *m, const order_t *q, size_t nq, const char *label)
{
	size_t n = 20000;
	double *t = malloc(n * sizeof *t);
	for (size_t i = 0; i < n; i++) {
		const order_t *o = &q[i % nq];
		hotline_guess_t gm[3], gu[3];
		size_t nm, nu;
		double a = now_s();
		hotline_model_suggest(m, o->text, o->len, 3, NULL, NULL, gm, &nm, gu, &nu);
		t[i] = now_s() - a;
	}
	qsort(t, n, sizeof *t, cmp_d);
	printf("| %s | %.3f ms | %.3f ms | %.3f ms |\n", label, t[n / 2] * 1e3, t[n * 99 / 100] * 1e3, t[n - 1] * 1e3);
	free(t);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DATA_DIR [--all]\n", argv[0]);
		return 2;
	}
	bool all = argc > 2 && strcmp(argv[2], "--all") == 0;
	char path[1024];
	names_t matters = {0}, units = {0};
	snprintf(path, sizeof path, "%s/matters.tsv", argv[1]);
	load_names(path, true, &matters);
	snprintf(path, sizeof path, "%s/units.tsv", argv[1]);
	load_names(path, false, &units);
	orders_t corpus = {.matters = &matters, .units = &units}, sealed = {.matters = &matters, .units = &units};
	snprintf(path, sizeof path, "%s/corpus.csv", argv[1]);
	load_csv(path, &corpus);
	snprintf(path, sizeof path, "%s/sealed.csv", argv[1]);
	load_csv(path, &sealed);
	printf("Hand-written corpus: %zu orders (5-fold cross-validation), sealed test: %zu orders; %zu matters, %zu units.\n\n",
	       corpus.n, sealed.n, matters.n, units.n);

	printf("| setting | tested | matter top-1 | matter top-3 | mean p(top-1) | unit top-1 | unit top-3 | mean p(top-1) |\n");
	printf("|---|---|---|---|---|---|---|---|\n");
	score_t sm, su;
	double lo, hi;
	hotline_train_opts_t def = {0};
	if (all) {
		static const struct {
			const char *label;
			hotline_nb_mode_t mode;
			double alpha;
		} cfg[] = {
			{"complement NB, α=0.1", HOTLINE_NB_COMPLEMENT, 0.1}, {"complement NB, α=0.3", HOTLINE_NB_COMPLEMENT, 0.3},
			{"complement NB, α=1 (default)", HOTLINE_NB_COMPLEMENT, 1.0},{"multinomial NB, α=0.1", HOTLINE_NB_MULTINOMIAL, 0.1},
			{"multinomial NB, α=0.3", HOTLINE_NB_MULTINOMIAL, 0.3}, {"multinomial NB, α=1", HOTLINE_NB_MULTINOMIAL, 1.0},
		};
		for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
			hotline_train_opts_t o = {.mode = cfg[i].mode, .alpha = cfg[i].alpha};
			crossval(&corpus, 5, &o, &sm, &su, &lo, &hi);
			print_row(cfg[i].label, &sm, &su);
		}
	}
	crossval(&corpus, 5, &def, &sm, &su, &lo, &hi);
	print_row("default, 5-fold CV", &sm, &su);
	printf("\n(default: matter top-1 per fold from %.1f%% to %.1f%%; Brier score of the top guess: matters %.3f, units %.3f)\n\n",
	       100 * lo, 100 * hi, sm.brier1 / sm.n, su.brier1 / su.n);
	if (sealed.n > 0) {
		hotline_sample_t *s = malloc(corpus.n * sizeof *s);
		samples_of(corpus.v, NULL, corpus.n, s);
		hotline_model_t *m;
		hotline_model_train(s, corpus.n, &def, &m);
		score_t tm = {0}, tu = {0};
		evaluate(m, sealed.v, NULL, sealed.n, &tm, &tu);
		printf("| setting | tested | matter top-1 | matter top-3 | mean p(top-1) | unit top-1 | unit top-3 | mean p(top-1) |\n");
		printf("|---|---|---|---|---|---|---|---|\n");
		print_row("default, trained on corpus, sealed test", &tm, &tu);
		printf("\n");
		hotline_model_unref(m);
		free(s);
	}

	/* Speed on 100,000 synthetic orders. */
	size_t big = 100000;
	lexicon_init();
	hotline_sample_t *syn = malloc(big * sizeof *syn);
	size_t bytes = 0;
	for (size_t i = 0; i < big; i++) {
		int64_t mt = 1 + (int64_t)(rnd() % matters.n), un = 1 + (int64_t)(rnd() % units.n);
		size_t len;
		char *t = synth_text(mt, un, &len);
		syn[i] = (hotline_sample_t){t, len, mt, un};
		bytes += len;
	}
	double a = now_s(), ca = cpu_s();
	hotline_model_t *m;
	hotline_model_train(syn, big, &def, &m);
	double train_s = now_s() - a, train_cpu = cpu_s() - ca;
	hotline_model_info_t info;
	hotline_model_info(m, &info);
	printf("Training on %zu synthetic orders (%.1f MB of text, mean %.0f characters): %.2f s wall, %.2f s CPU, one "
	       "thread, including the temperature fit; %zu features, model %.1f MB.\n\n",
	       big, bytes / 1e6, bytes / 3.0 / big, train_s, train_cpu, info.features, info.bytes / 1e6);
	printf("| suggest (top 3 matters and units) | p50 | p99 | max |\n|---|---|---|---|\n");
	latency(m, corpus.v, corpus.n, "100,000-order model, hand-written queries");
	order_t huge;
	huge.len = 0;
	huge.text = malloc(40000);
	while (huge.len + corpus.v[0].len < 39000) {
		memcpy(huge.text + huge.len, corpus.v[huge.len % corpus.n].text, corpus.v[huge.len % corpus.n].len);
		huge.len += corpus.v[huge.len % corpus.n].len;
	}
	latency(m, &huge, 1, "100,000-order model, 39 KB text (capped at 8 KB)");
	hotline_model_unref(m);
	hotline_sample_t *s = malloc(corpus.n * sizeof *s);
	samples_of(corpus.v, NULL, corpus.n, s);
	a = now_s();
	hotline_model_train(s, corpus.n, &def, &m);
	double small_s = now_s() - a;
	latency(m, corpus.v, corpus.n, "corpus model, hand-written queries");
	printf("\n(training on the %zu hand-written orders: %.3f s)\n", corpus.n, small_s);
	hotline_model_unref(m);
	for (size_t i = 0; i < big; i++)
		free((char *)syn[i].text);
	free(syn);
	free(s);
	free(huge.text);
	return 0;
}
