/* Dispatch suggestion model (派单建议): naive Bayes over character n-grams, trained from closed
 * 12345 orders, immutable once trained, swapped whole under readers that never lock. Why this model
 * and not another: docs/architecture.md, "Dispatch suggestion". */
#include "hotline/hotline_suggest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/arena.h"
#include "platform/err.h"

/* ---- features ---- */

/* Feature keys: the top 4 bits say the kind, so no key is 0 (the hash table's empty mark). */
#define KEY_UNI (1ULL << 60)
#define KEY_BI (2ULL << 60)
#define KEY_WORD (3ULL << 60)
#define KEY_NUM (4ULL << 60)

/* Decodes one well-formed UTF-8 sequence (no overlongs, surrogates or values past U+10FFFF).
 * Returns its length, or 0 when p does not start one. */
static size_t utf8_decode(const unsigned char *p, size_t avail, uint32_t *cp)
{
	unsigned char c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t n;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static bool is_han(uint32_t cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0x20000 && cp <= 0x2FFFF) || cp == 0x3007;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

typedef void (*feature_fn)(void *ctx, uint64_t key);

/* An ASCII run of letters and digits. Short numbers (bus line 152, building 3) and words (ETC,
 * APP) are features as written; long digit runs (phone numbers, order numbers) say only their
 * length class, which tells a phone number from a house number but not one caller from another. */
static size_t flush_word(const char *w, size_t n, bool all_digits, feature_fn fn, void *ctx)
{
	if (n == 0)
		return 0;
	uint64_t key;
	if (all_digits && n >= 5)
		key = KEY_NUM | (n >= 11 ? 11 : n >= 7 ? 7 : 5);
	else
		key = KEY_WORD | (fnv1a(w, n) >> 4);
	fn(ctx, key);
	return 1;
}

size_t hotline_features(const char *text, size_t len, feature_fn fn, void *ctx)
{
	if (!text)
		return 0;
	if (len > HOTLINE_SUGGEST_TEXT_CAP)
		len = HOTLINE_SUGGEST_TEXT_CAP;
	const unsigned char *p = (const unsigned char *)text, *end = p + len;
	size_t count = 0;
	uint32_t prev = 0; /* the previous Han character, 0 after anything else */
	char word[24];
	size_t wn = 0;
	bool digits = true;
	while (p < end) {
		uint32_t cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);
		if (n == 0) { /* an invalid byte: skipped, and it breaks words and pairs */
			count += flush_word(word, wn, digits, fn, ctx);
			wn = 0;
			digits = true;
			prev = 0;
			p++;
			continue;
		}
		p += n;
		if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII (１２３, ＡＢ) as half-width */
			cp -= 0xFEE0;
		bool digit = cp >= '0' && cp <= '9';
		bool alpha = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
		if (digit || alpha) {
			if (wn < sizeof word)
				word[wn++] = (char)(alpha ? (cp | 0x20) : cp);
			digits = digits && digit;
			prev = 0;
			continue;
		}
		count += flush_word(word, wn, digits, fn, ctx);
		wn = 0;
		digits = true;
		if (is_han(cp)) {
			fn(ctx, KEY_UNI | cp);
			count++;
			if (prev) {
				fn(ctx, KEY_BI | ((uint64_t)prev << 21) | cp);
				count++;
			}
			prev = cp;
		} else
			prev = 0;
	}
	count += flush_word(word, wn, digits, fn, ctx);
	return count;
}

/* ---- a hash table of feature keys → feature index ---- */

/* One entry holds the key, the index and the idf, so that looking a feature up while reading a
 * text costs one cache miss, not three (training is bound by these lookups). */
typedef struct {
	uint64_t key; /* 0 = empty */
	uint32_t val;
	float idf;
} vent_t;

typedef struct {
	vent_t *e;
	size_t cap; /* a power of two */
	size_t n;
} vocab_t;

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static void vocab_init(vocab_t *v, size_t expect)
{
	size_t cap = 64;
	while (cap < expect * 2)
		cap <<= 1;
	v->e = xcalloc(cap, sizeof *v->e);
	v->cap = cap;
	v->n = 0;
}

static void vocab_free(vocab_t *v)
{
	free(v->e);
	memset(v, 0, sizeof *v);
}

/* The entry of key, or NULL. */
static const vent_t *vocab_get(const vocab_t *v, uint64_t key)
{
	size_t mask = v->cap - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (v->e[i].key == key)
			return &v->e[i];
		if (v->e[i].key == 0)
			return NULL;
	}
}

static void vocab_grow(vocab_t *v)
{
	vocab_t g;
	vocab_init(&g, v->cap);
	size_t mask = g.cap - 1;
	for (size_t i = 0; i < v->cap; i++) {
		if (!v->e[i].key)
			continue;
		size_t j = mix(v->e[i].key) & mask;
		while (g.e[j].key)
			j = (j + 1) & mask;
		g.e[j] = v->e[i];
	}
	g.n = v->n;
	vocab_free(v);
	*v = g;
}

/* The entry of key, added with the next index when new. */
static vent_t *vocab_add(vocab_t *v, uint64_t key)
{
	if ((v->n + 1) * 2 > v->cap)
		vocab_grow(v);
	size_t mask = v->cap - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (v->e[i].key == key)
			return &v->e[i];
		if (v->e[i].key == 0) {
			v->e[i] = (vent_t){key, (uint32_t)v->n++, 0};
			return &v->e[i];
		}
	}
}

/* ---- the model ---- */

/* One classifier (matters or units) over the shared features. Scores:
 * multinomial: s_c = log P(c) − D·norm_c + Σ_f d_f·post(c,f)
 *   with norm_c = log(N_c + αV), post = log(N_cf + α) − log α (the rest of log θ_cf is the same
 *   for every class and drops out);
 * complement: s_c = −Σ_f d_f·log θ̃_cf = D·norm_c − B − Σ_f d_f·post(c,f)
 *   with θ̃ the complement class's smoothed distribution, norm_c = log(Ñ_c + αV),
 *   B = Σ_f d_f·base_f, base_f = log(N_f + α), post = log(N_f − N_cf + α) − log(N_f + α).
 * d is the text's feature vector (log(1 + tf)·idf, L2-normalised), D = Σ_f d_f. Only the pairs
 * with N_cf > 0 are stored, feature-major (post_start), so a score costs one pass over the
 * postings of the text's features. p(c) = softmax(s / t). */
typedef struct {
	uint32_t nclass;
	int64_t *labels;   /* class index → caller's id */
	double *logprior;  /* multinomial only */
	double *norm;
	float *base;       /* per feature; complement only */
	uint32_t *post_start; /* nfeat + 1 */
	uint32_t *post_class;
	float *post_val;
	double t;
	size_t npost;
} clf_t;

struct hotline_model {
	atomic_int refs;
	hotline_nb_mode_t mode;
	vocab_t vocab;
	size_t samples;
	clf_t clf[2];
};

/* A text's feature vector: sorted feature indices and weights. */
typedef struct {
	uint32_t *idx;
	float *w;
	uint32_t *slot; /* the merge table: position in idx, or UINT32_MAX */
	float *idf;     /* of each idx */
	size_t n, cap;
	double sum; /* D */
} docvec_t;

typedef struct {
	uint64_t *keys;
	size_t n, cap;
} keybuf_t;

static void keybuf_push(void *ctx, uint64_t key)
{
	keybuf_t *b = ctx;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 512;
		b->keys = xrealloc(b->keys, b->cap * sizeof *b->keys);
	}
	b->keys[b->n++] = key;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Builds d for text against a finished vocabulary (unknown features are left out). Repeated
 * features merge through a small hash table of the text's own (no sort: this runs for every
 * training text and every keystroke). */
static void docvec_build(const vocab_t *vocab, const char *text, size_t len, keybuf_t *kb, docvec_t *d)
{
	kb->n = 0;
	d->n = 0;
	d->sum = 0;
	hotline_features(text, len, keybuf_push, kb);
	size_t tcap = 16;
	while (tcap < kb->n * 2)
		tcap <<= 1;
	if (d->cap < tcap) {
		d->cap = tcap;
		d->idx = xrealloc(d->idx, d->cap * sizeof *d->idx);
		d->w = xrealloc(d->w, d->cap * sizeof *d->w);
		d->slot = xrealloc(d->slot, d->cap * sizeof *d->slot);
		d->idf = xrealloc(d->idf, d->cap * sizeof *d->idf);
	}
	memset(d->slot, 0xFF, tcap * sizeof *d->slot);
	size_t out = 0;
	for (size_t i = 0; i < kb->n; i++) {
		const vent_t *e = vocab_get(vocab, kb->keys[i]);
		if (!e)
			continue;
		uint32_t f = e->val;
		size_t h = (f * 2654435761u) & (tcap - 1);
		while (d->slot[h] != UINT32_MAX && d->idx[d->slot[h]] != f)
			h = (h + 1) & (tcap - 1);
		if (d->slot[h] == UINT32_MAX) {
			d->slot[h] = (uint32_t)out;
			d->idx[out] = f;
			d->idf[out] = e->idf;
			d->w[out++] = 1;
		} else
			d->w[d->slot[h]] += 1;
	}
	if (out == 0)
		return;
	double sq = 0;
	for (size_t i = 0; i < out; i++) {
		double w = log1p(d->w[i]) * d->idf[i];
		d->w[i] = (float)w;
		sq += w * w;
	}
	d->n = out;
	double inv = 1.0 / sqrt(sq);
	for (size_t i = 0; i < out; i++) {
		d->w[i] = (float)(d->w[i] * inv);
		d->sum += d->w[i];
	}
}

static void docvec_free(docvec_t *d)
{
	free(d->idx);
	free(d->w);
	free(d->slot);
	free(d->idf);
}

/* Raw class scores s_c (before the temperature) into s[0..nclass). */
static void clf_scores(const hotline_model_t *m, const clf_t *c, const docvec_t *d, double *s)
{
	if (m->mode == HOTLINE_NB_MULTINOMIAL) {
		for (uint32_t k = 0; k < c->nclass; k++)
			s[k] = c->logprior[k] - d->sum * c->norm[k];
		for (size_t i = 0; i < d->n; i++) {
			uint32_t f = d->idx[i];
			for (uint32_t p = c->post_start[f]; p < c->post_start[f + 1]; p++)
				s[c->post_class[p]] += d->w[i] * c->post_val[p];
		}
	} else {
		double b = 0;
		for (size_t i = 0; i < d->n; i++)
			b += d->w[i] * c->base[d->idx[i]];
		for (uint32_t k = 0; k < c->nclass; k++)
			s[k] = d->sum * c->norm[k] - b;
		for (size_t i = 0; i < d->n; i++) {
			uint32_t f = d->idx[i];
			for (uint32_t p = c->post_start[f]; p < c->post_start[f + 1]; p++)
				s[c->post_class[p]] -= d->w[i] * c->post_val[p];
		}
	}
}

/* Softmax of s/t in place. */
static void softmax(double *s, uint32_t n, double t)
{
	if (n == 0)
		return;
	double mx = s[0];
	for (uint32_t i = 1; i < n; i++)
		if (s[i] > mx)
			mx = s[i];
	double z = 0;
	for (uint32_t i = 0; i < n; i++) {
		s[i] = exp((s[i] - mx) / t);
		z += s[i];
	}
	for (uint32_t i = 0; i < n; i++)
		s[i] /= z;
}

static uint32_t class_of(const clf_t *c, int64_t label)
{
	const int64_t *hit = bsearch(&label, c->labels, c->nclass, sizeof *c->labels, cmp_i64);
	return hit ? (uint32_t)(hit - c->labels) : UINT32_MAX;
}

static int64_t label_of(const hotline_sample_t *s, int kind)
{
	return kind == HOTLINE_MATTER ? s->matter : s->unit;
}

typedef struct {
	uint32_t f, c;
	float v;
} triple_t;

typedef struct {
	triple_t *v;
	size_t n, cap;
} triples_t;

static void triples_push(triples_t *t, uint32_t f, uint32_t c, double v)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n++] = (triple_t){f, c, (float)v};
}

/* The classifier's constants and feature-major postings from its (feature, class, count) triples
 * (at most one per pair) and its documents per class. labels are the caller's (borrowed for a
 * calibration model, see model_free). */
static void clf_finish(clf_t *c, hotline_nb_mode_t mode, size_t nf, const triples_t *tr, const double *ndocs, double alpha)
{
	uint32_t nc = c->nclass;
	double *nclass_sum = xcalloc(nc, sizeof *nclass_sum);
	double *nfeat_sum = xcalloc(nf, sizeof *nfeat_sum);
	for (size_t i = 0; i < tr->n; i++) {
		nclass_sum[tr->v[i].c] += tr->v[i].v;
		nfeat_sum[tr->v[i].f] += tr->v[i].v;
	}
	c->post_start = xcalloc(nf + 1, sizeof *c->post_start);
	for (size_t i = 0; i < tr->n; i++)
		c->post_start[tr->v[i].f + 1]++;
	for (size_t f = 0; f < nf; f++)
		c->post_start[f + 1] += c->post_start[f];
	c->npost = tr->n;
	c->post_class = xmalloc((tr->n ? tr->n : 1) * sizeof *c->post_class);
	c->post_val = xmalloc((tr->n ? tr->n : 1) * sizeof *c->post_val);
	uint32_t *pos = xmalloc((nf ? nf : 1) * sizeof *pos);
	memcpy(pos, c->post_start, nf * sizeof *pos);
	double total = 0;
	for (uint32_t k = 0; k < nc; k++)
		total += nclass_sum[k];
	double v = (double)nf;
	double la = log(alpha);
	for (size_t i = 0; i < tr->n; i++) {
		const triple_t *t = &tr->v[i];
		uint32_t p = pos[t->f]++;
		c->post_class[p] = t->c;
		if (mode == HOTLINE_NB_MULTINOMIAL)
			c->post_val[p] = (float)(log(t->v + alpha) - la);
		else {
			double rest = nfeat_sum[t->f] - t->v;
			c->post_val[p] = (float)(log((rest > 0 ? rest : 0) + alpha) - log(nfeat_sum[t->f] + alpha));
		}
	}
	free(pos);
	c->norm = xmalloc((nc ? nc : 1) * sizeof *c->norm);
	if (mode == HOTLINE_NB_MULTINOMIAL) {
		double docs = 0;
		for (uint32_t k = 0; k < nc; k++)
			docs += ndocs[k];
		c->logprior = xmalloc((nc ? nc : 1) * sizeof *c->logprior);
		for (uint32_t k = 0; k < nc; k++) {
			/* a class with no document (possible in a calibration model) can never win */
			c->logprior[k] = ndocs[k] > 0 ? log(ndocs[k] / docs) : -1e30;
			c->norm[k] = log(nclass_sum[k] + alpha * v);
		}
	} else {
		c->base = xmalloc((nf ? nf : 1) * sizeof *c->base);
		for (size_t f = 0; f < nf; f++)
			c->base[f] = (float)log(nfeat_sum[f] + alpha);
		for (uint32_t k = 0; k < nc; k++) {
			double comp = total - nclass_sum[k];
			c->norm[k] = log((comp > 0 ? comp : 0) + alpha * v);
		}
	}
	c->t = 1.0;
	free(nclass_sum);
	free(nfeat_sum);
}

/* Trains one classifier of m on the samples in use[] (indices into samples). When cal is not
 * NULL, the samples with held[i] set are also left out of a second classifier, cal's, of the same
 * kind over the same features: the calibration model, whose held-out scores fit the temperature.
 * Naive Bayes counts add up, so both come from one pass: each class's samples accumulate in two
 * dense arrays (kept and held out), and leave as the calibration model's triples (kept only) and
 * the final model's (both). */
static void clf_train(hotline_model_t *m, hotline_model_t *cal, int kind, const hotline_sample_t *samples,
		      const size_t *use, const bool *held, size_t nuse, double alpha)
{
	clf_t *c = &m->clf[kind];
	size_t nf = m->vocab.n;
	/* The labels, sorted and unique. */
	int64_t *labels = xmalloc((nuse ? nuse : 1) * sizeof *labels);
	size_t nl = 0;
	for (size_t i = 0; i < nuse; i++)
		if (label_of(&samples[use[i]], kind))
			labels[nl++] = label_of(&samples[use[i]], kind);
	qsort(labels, nl, sizeof *labels, cmp_i64);
	size_t nc = 0;
	for (size_t i = 0; i < nl; i++)
		if (nc == 0 || labels[nc - 1] != labels[i])
			labels[nc++] = labels[i];
	c->labels = xrealloc(labels, (nc ? nc : 1) * sizeof *labels);
	c->nclass = (uint32_t)nc;
	/* Samples grouped by class (counting sort of positions in use[]). */
	size_t *start = xcalloc(nc + 1, sizeof *start);
	uint32_t *cls = xmalloc((nuse ? nuse : 1) * sizeof *cls);
	for (size_t i = 0; i < nuse; i++) {
		int64_t l = label_of(&samples[use[i]], kind);
		cls[i] = l ? class_of(c, l) : UINT32_MAX;
		if (l)
			start[cls[i] + 1]++;
	}
	for (size_t k = 0; k < nc; k++)
		start[k + 1] += start[k];
	size_t *order = xmalloc((start[nc] ? start[nc] : 1) * sizeof *order);
	size_t *fill = xmalloc((nc ? nc : 1) * sizeof *fill);
	memcpy(fill, start, nc * sizeof *fill);
	for (size_t i = 0; i < nuse; i++)
		if (cls[i] != UINT32_MAX)
			order[fill[cls[i]]++] = i;
	free(fill);
	free(cls);

	double *kept = xcalloc(nf ? nf : 1, sizeof *kept), *out = cal ? xcalloc(nf ? nf : 1, sizeof *out) : NULL;
	uint32_t *touched = xmalloc((nf ? nf : 1) * sizeof *touched);
	double *ndocs = xcalloc(nc ? nc : 1, sizeof *ndocs), *ndocs_cal = xcalloc(nc ? nc : 1, sizeof *ndocs_cal);
	triples_t all = {0}, part = {0};
	keybuf_t kb = {0};
	docvec_t d = {0};
	for (size_t k = 0; k < nc; k++) {
		size_t nt = 0;
		for (size_t j = start[k]; j < start[k + 1]; j++) {
			size_t i = order[j];
			const hotline_sample_t *s = &samples[use[i]];
			bool h = cal && held[i];
			double *acc = h ? out : kept;
			docvec_build(&m->vocab, s->text, s->len, &kb, &d);
			ndocs[k] += 1;
			if (!h)
				ndocs_cal[k] += 1;
			for (size_t x = 0; x < d.n; x++) {
				uint32_t f = d.idx[x];
				if (kept[f] == 0 && (!out || out[f] == 0))
					touched[nt++] = f;
				acc[f] += d.w[x];
			}
		}
		for (size_t x = 0; x < nt; x++) {
			uint32_t f = touched[x];
			double o = out ? out[f] : 0;
			triples_push(&all, f, (uint32_t)k, kept[f] + o);
			if (cal && kept[f] > 0)
				triples_push(&part, f, (uint32_t)k, kept[f]);
			kept[f] = 0;
			if (out)
				out[f] = 0;
		}
	}
	free(kept);
	free(out);
	free(touched);
	free(order);
	free(start);
	free(kb.keys);
	docvec_free(&d);
	clf_finish(c, m->mode, nf, &all, ndocs, alpha);
	if (cal) {
		clf_t *cc = &cal->clf[kind];
		cc->labels = c->labels; /* borrowed */
		cc->nclass = c->nclass;
		clf_finish(cc, m->mode, nf, &part, ndocs_cal, alpha);
	}
	free(all.v);
	free(part.v);
	free(ndocs);
	free(ndocs_cal);
}

static void clf_free(clf_t *c, bool borrowed)
{
	if (!borrowed)
		free(c->labels);
	free(c->logprior);
	free(c->norm);
	free(c->base);
	free(c->post_start);
	free(c->post_class);
	free(c->post_val);
}

/* A calibration model borrows the final model's vocabulary and labels. */
static void model_free(hotline_model_t *m, bool borrowed)
{
	if (!borrowed)
		vocab_free(&m->vocab);
	clf_free(&m->clf[0], borrowed);
	clf_free(&m->clf[1], borrowed);
	free(m);
}

/* The features of samples[use[0..nuse)]: document frequencies over everything seen, then the
 * features in at least min_df texts, with their idf. */
static void build_vocab(hotline_model_t *m, const hotline_sample_t *samples, const size_t *use, size_t nuse, unsigned min_df)
{
	vocab_t all;
	vocab_init(&all, 4096);
	uint32_t *df = NULL;
	size_t dfcap = 0;
	keybuf_t kb = {0};
	uint32_t *last = NULL; /* the last text that counted each feature, + 1 */
	for (size_t i = 0; i < nuse; i++) {
		const hotline_sample_t *s = &samples[use[i]];
		kb.n = 0;
		hotline_features(s->text, s->len, keybuf_push, &kb);
		for (size_t j = 0; j < kb.n; j++) {
			uint32_t f = vocab_add(&all, kb.keys[j])->val;
			if (f >= dfcap) {
				size_t nc = dfcap ? dfcap * 2 : 4096;
				df = xrealloc(df, nc * sizeof *df);
				last = xrealloc(last, nc * sizeof *last);
				memset(df + dfcap, 0, (nc - dfcap) * sizeof *df);
				memset(last + dfcap, 0, (nc - dfcap) * sizeof *last);
				dfcap = nc;
			}
			if (last[f] != i + 1) {
				last[f] = (uint32_t)(i + 1);
				df[f]++;
			}
		}
	}
	free(last);
	free(kb.keys);
	size_t kept = 0;
	for (size_t f = 0; f < all.n; f++)
		if (df[f] >= min_df)
			kept++;
	vocab_init(&m->vocab, kept);
	for (size_t i = 0; i < all.cap; i++) {
		if (!all.e[i].key || df[all.e[i].val] < min_df)
			continue;
		vocab_add(&m->vocab, all.e[i].key)->idf = (float)(log((double)(nuse + 1) / (df[all.e[i].val] + 1)) + 1.0);
	}
	vocab_free(&all);
	free(df);
}

/* The temperature minimising the held-out negative log-likelihood of the true labels (golden-
 * section search on log t). s holds n rows of nclass raw scores, y the true classes. */
static double fit_temperature(const double *s, const uint32_t *y, size_t n, uint32_t nclass)
{
	if (n < 20 || nclass < 2)
		return 1.0;
	double lo = log(1e-3), hi = log(1e3);
	const double g = (sqrt(5.0) - 1) / 2;
	for (int iter = 0; iter < 60; iter++) {
		double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
		double nll[2] = {0, 0};
		for (int pass = 0; pass < 2; pass++) {
			double t = exp(pass ? b : a);
			for (size_t i = 0; i < n; i++) {
				const double *r = s + i * nclass;
				double mx = r[0];
				for (uint32_t k = 1; k < nclass; k++)
					if (r[k] > mx)
						mx = r[k];
				double z = 0;
				for (uint32_t k = 0; k < nclass; k++)
					z += exp((r[k] - mx) / t);
				nll[pass] += log(z) - (r[y[i]] - mx) / t;
			}
		}
		if (nll[0] < nll[1])
			hi = b;
		else
			lo = a;
	}
	return exp((lo + hi) / 2);
}

/* The temperature of cal's classifier `kind` on the held-out samples (those whose class had
 * kept samples; a class seen only in the held-out part says nothing about calibration). */
static double calibrate(const hotline_model_t *cal, int kind, const hotline_sample_t *samples, const size_t *use,
			const bool *held, size_t nuse)
{
	const clf_t *c = &cal->clf[kind];
	size_t nheld = 0;
	for (size_t i = 0; i < nuse; i++)
		nheld += held[i];
	double *s = xmalloc((nheld * c->nclass + 1) * sizeof *s);
	uint32_t *y = xmalloc((nheld + 1) * sizeof *y);
	double *row = xmalloc((c->nclass + 1) * sizeof *row);
	size_t ns = 0;
	keybuf_t kb = {0};
	docvec_t d = {0};
	for (size_t i = 0; i < nuse; i++) {
		if (!held[i])
			continue;
		const hotline_sample_t *smp = &samples[use[i]];
		int64_t l = label_of(smp, kind);
		uint32_t k = l ? class_of(c, l) : UINT32_MAX;
		if (k == UINT32_MAX)
			continue;
		docvec_build(&cal->vocab, smp->text, smp->len, &kb, &d);
		if (d.n == 0)
			continue;
		clf_scores(cal, c, &d, row);
		/* only classes the kept part saw can be guessed; the others' scores are not probabilities */
		bool seen = cal->mode == HOTLINE_NB_COMPLEMENT ? true : c->logprior[k] > -1e29;
		if (!seen)
			continue;
		memcpy(s + ns * c->nclass, row, c->nclass * sizeof *row);
		y[ns++] = k;
	}
	double t = fit_temperature(s, y, ns, c->nclass);
	free(kb.keys);
	docvec_free(&d);
	free(s);
	free(y);
	free(row);
	return t;
}

int hotline_model_train(const hotline_sample_t *samples, size_t n, const hotline_train_opts_t *opts,
			hotline_model_t **out)
{
	hotline_train_opts_t o = opts ? *opts : (hotline_train_opts_t){0};
	if (o.alpha <= 0)
		o.alpha = HOTLINE_DEFAULT_ALPHA;
	size_t *use = xmalloc((n ? n : 1) * sizeof *use);
	size_t nuse = 0;
	for (size_t i = 0; i < n; i++)
		if (samples[i].matter || samples[i].unit)
			use[nuse++] = i;
	if (nuse == 0) {
		free(use);
		return YW_EINVAL;
	}
	if (o.min_df == 0)
		o.min_df = nuse < 20000 ? 1 : 2;
	hotline_model_t *m = xcalloc(1, sizeof *m);
	atomic_init(&m->refs, 1);
	m->mode = o.mode;
	m->samples = nuse;
	build_vocab(m, samples, use, nuse, o.min_df);
	/* Every step-th sample held out for the temperature: at most 4,000, at most a fifth. The
	 * vocabulary and idf include the held-out texts (they use no label). */
	bool calib = !o.no_calibrate && nuse >= 100;
	bool *held = xcalloc(nuse, sizeof *held);
	hotline_model_t *cal = NULL;
	if (calib) {
		size_t hold = nuse / 5 < 4000 ? nuse / 5 : 4000, step = nuse / hold, nh = 0;
		for (size_t i = 0; i < nuse && nh < hold; i++)
			if (i % step == step - 1) {
				held[i] = true;
				nh++;
			}
		cal = xcalloc(1, sizeof *cal);
		cal->mode = o.mode;
		cal->vocab = m->vocab; /* borrowed */
	}
	for (int kind = 0; kind < 2; kind++) {
		clf_train(m, cal, kind, samples, use, held, nuse, o.alpha);
		if (cal)
			m->clf[kind].t = calibrate(cal, kind, samples, use, held, nuse);
	}
	if (cal)
		model_free(cal, true);
	free(held);
	free(use);
	*out = m;
	return 0;
}

hotline_model_t *hotline_model_ref(hotline_model_t *m)
{
	if (m)
		atomic_fetch_add(&m->refs, 1);
	return m;
}

void hotline_model_unref(hotline_model_t *m)
{
	if (m && atomic_fetch_sub(&m->refs, 1) == 1)
		model_free(m, false);
}

void hotline_model_info(const hotline_model_t *m, hotline_model_info_t *out)
{
	memset(out, 0, sizeof *out);
	if (!m)
		return;
	out->samples = m->samples;
	out->features = m->vocab.n;
	out->matters = m->clf[0].nclass;
	out->units = m->clf[1].nclass;
	out->t_matter = m->clf[0].t;
	out->t_unit = m->clf[1].t;
	size_t b = sizeof *m + m->vocab.cap * sizeof *m->vocab.e;
	for (int k = 0; k < 2; k++) {
		const clf_t *c = &m->clf[k];
		b += c->nclass * (sizeof *c->labels + 2 * sizeof(double)) + (m->vocab.n + 1) * sizeof *c->post_start +
		     c->npost * (sizeof *c->post_class + sizeof *c->post_val);
		if (c->base)
			b += m->vocab.n * sizeof *c->base;
	}
	out->bytes = b;
}

/* The best k of p[] that keep allows, best first. */
static size_t top_k(const clf_t *c, hotline_label_kind_t kind, const double *p, size_t k, hotline_keep_fn keep,
		    void *ctx, hotline_guess_t *out)
{
	size_t n = 0;
	for (uint32_t i = 0; i < c->nclass; i++) {
		if (n == k && p[i] <= out[n - 1].score)
			continue;
		if (keep && !keep(ctx, kind, c->labels[i]))
			continue;
		size_t j = n < k ? n++ : n - 1;
		while (j > 0 && out[j - 1].score < p[i]) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = (hotline_guess_t){c->labels[i], p[i]};
	}
	return n;
}

void hotline_model_suggest(const hotline_model_t *m, const char *text, size_t len, size_t k, hotline_keep_fn keep,
			   void *ctx, hotline_guess_t *matters, size_t *n_matters, hotline_guess_t *units,
			   size_t *n_units)
{
	if (n_matters)
		*n_matters = 0;
	if (n_units)
		*n_units = 0;
	if (!m || k == 0)
		return;
	if (k > HOTLINE_SUGGEST_MAX_K)
		k = HOTLINE_SUGGEST_MAX_K;
	keybuf_t kb = {0};
	docvec_t d = {0};
	docvec_build(&m->vocab, text, len, &kb, &d);
	if (d.n > 0) {
		uint32_t most = m->clf[0].nclass > m->clf[1].nclass ? m->clf[0].nclass : m->clf[1].nclass;
		double *s = xmalloc((most ? most : 1) * sizeof *s);
		hotline_guess_t *outs[2] = {matters, units};
		size_t *counts[2] = {n_matters, n_units};
		for (int kind = 0; kind < 2; kind++) {
			const clf_t *c = &m->clf[kind];
			if (!outs[kind] || !counts[kind] || c->nclass == 0)
				continue;
			clf_scores(m, c, &d, s);
			softmax(s, c->nclass, c->t);
			*counts[kind] = top_k(c, (hotline_label_kind_t)kind, s, k, keep, ctx, outs[kind]);
		}
		free(s);
	}
	free(kb.keys);
	docvec_free(&d);
}

/* ---- the slot: readers announce themselves in the counter of the epoch they saw ---- */

void hotline_slot_init(hotline_slot_t *s)
{
	atomic_init(&s->cur, NULL);
	atomic_init(&s->epoch, 0);
	atomic_init(&s->readers[0], 0);
	atomic_init(&s->readers[1], 0);
	pthread_mutex_init(&s->swap, NULL);
}

void hotline_slot_destroy(hotline_slot_t *s)
{
	hotline_model_unref(atomic_exchange(&s->cur, NULL));
	pthread_mutex_destroy(&s->swap);
}

/* A reader counts itself in readers[epoch & 1] and checks the epoch did not move meanwhile; if it
 * did, a swap began and it retries on the new side. All operations are sequentially consistent, so
 * a swapper that moved the epoch and then sees that side's count at 0 knows no reader that could
 * have loaded the old pointer is still inside. */
static hotline_model_t *slot_enter(hotline_slot_t *s, unsigned *side)
{
	for (;;) {
		unsigned e = atomic_load(&s->epoch);
		atomic_fetch_add(&s->readers[e & 1], 1);
		if (atomic_load(&s->epoch) == e) {
			*side = e & 1;
			return atomic_load(&s->cur);
		}
		atomic_fetch_sub(&s->readers[e & 1], 1);
	}
}

static void slot_leave(hotline_slot_t *s, unsigned side)
{
	atomic_fetch_sub(&s->readers[side], 1);
}

void hotline_slot_swap(hotline_slot_t *s, hotline_model_t *m)
{
	pthread_mutex_lock(&s->swap);
	hotline_model_t *old = atomic_exchange(&s->cur, m);
	unsigned e = atomic_fetch_add(&s->epoch, 1);
	while (atomic_load(&s->readers[e & 1]) != 0) {
		struct timespec ts = {0, 100000};
		nanosleep(&ts, NULL);
	}
	pthread_mutex_unlock(&s->swap);
	hotline_model_unref(old);
}

size_t hotline_slot_suggest(hotline_slot_t *s, const char *text, size_t len, size_t k, hotline_keep_fn keep, void *ctx,
			    hotline_guess_t *matters, size_t *n_matters, hotline_guess_t *units, size_t *n_units)
{
	unsigned side;
	hotline_model_t *m = slot_enter(s, &side);
	hotline_model_suggest(m, text, len, k, keep, ctx, matters, n_matters, units, n_units);
	size_t n = m ? m->samples : 0;
	slot_leave(s, side);
	return n;
}
