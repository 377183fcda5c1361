/* Hotline statistics over the in-memory facts (hotline_stats.h; definitions there and in
 * docs/domain.md §9): the monthly rankings of handling units, the dashboard's volumes, heat table
 * and trends, and the hot topics of the week. Pure functions of the facts. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_stats.h"
#include "platform/err.h"

/* ---- rankings ---- */

static double rate(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

/* The composite score: the weighted mean of the rates with a denominator and the clean rate. */
static double score_of(const hls_unit_row_t *r, const int w[HLS_NWEIGHTS])
{
	double clean = 1.0 - fmin(1.0, (double)(r->returns + r->reopens) / (double)(r->received > 0 ? r->received : 1));
	const double v[] = {r->sign_rate, r->on_time_rate, r->solved_rate, r->satisfaction_rate, clean};
	double sum = 0, wsum = 0;
	for (int i = 0; i < HLS_NWEIGHTS; i++)
		if (!isnan(v[i]) && w[i] > 0) {
			sum += w[i] * v[i];
			wsum += w[i];
		}
	return wsum > 0 ? 100.0 * sum / wsum : NAN;
}

static int by_score(const void *a, const void *b)
{
	const hls_unit_row_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->received != y->received)
		return x->received > y->received ? -1 : 1;
	return x->unit < y->unit ? -1 : x->unit > y->unit;
}

void hls_weights(const yw_config_t *cfg, int w[HLS_NWEIGHTS])
{
	w[HLS_W_SIGN] = cfg->hotline_weight_sign;
	w[HLS_W_ON_TIME] = cfg->hotline_weight_on_time;
	w[HLS_W_SOLVED] = cfg->hotline_weight_solved;
	w[HLS_W_SATISFACTION] = cfg->hotline_weight_satisfaction;
	w[HLS_W_CLEAN] = cfg->hotline_weight_clean;
}

int hls_rankings(const hls_facts_t *f, yw_date_t from, yw_date_t to, const int w[HLS_NWEIGHTS], hls_unit_row_t **rows,
		 size_t *n)
{
	int32_t maxu = 0;
	for (size_t i = 0; i < f->nevents; i++)
		if (f->events[i].unit > maxu)
			maxu = f->events[i].unit;
	for (size_t i = 1; i < f->norders; i++)
		if (f->orders[i].reply_unit > maxu)
			maxu = f->orders[i].reply_unit;
	hls_unit_row_t *u = calloc((size_t)maxu + 1, sizeof *u);
	if (!u)
		return YW_EIO;
	for (size_t i = 0; i < f->nevents; i++) {
		const hls_event_t *e = &f->events[i];
		if (e->kind == HLS_EV_DEAD || e->unit <= 0 || e->day < from || e->day > to)
			continue;
		hls_unit_row_t *r = &u[e->unit];
		switch (e->kind) {
		case HLS_EV_ASSIGN:
			r->received++;
			r->signed_in_time += e->a;
			break;
		case HLS_EV_CALLBACK:
			r->called_back++;
			r->satisfied += e->a == 1;
			r->basic += e->a == 2;
			r->dissatisfied += e->a == 3;
			r->solved += e->b;
			break;
		case HLS_EV_RETURN: r->returns++; break;
		case HLS_EV_REOPEN: r->reopens++; break;
		default: break;
		}
	}
	for (size_t i = 1; i < f->norders; i++) {
		const hls_order_t *o = &f->orders[i];
		if (o->closed_day < from || o->closed_day > to || o->reply_unit <= 0 || o->day == HLS_NO_DAY)
			continue;
		u[o->reply_unit].closed++;
		u[o->reply_unit].on_time += (o->flags & HLS_ON_TIME) != 0;
	}
	size_t cnt = 0;
	for (int32_t id = 1; id <= maxu; id++) {
		hls_unit_row_t *r = &u[id];
		if (!r->received && !r->closed && !r->called_back && !r->returns && !r->reopens)
			continue;
		r->unit = id;
		r->sign_rate = rate(r->signed_in_time, r->received);
		r->on_time_rate = rate(r->on_time, r->closed);
		r->solved_rate = rate(r->solved, r->called_back);
		r->satisfaction_rate = rate(r->satisfied + r->basic, r->called_back);
		r->score = score_of(r, w);
		u[cnt++] = *r;
	}
	qsort(u, cnt, sizeof *u, by_score);
	for (size_t i = 0; i < cnt; i++)
		u[i].rank = (int)i + 1;
	*rows = u;
	*n = cnt;
	return 0;
}

/* ---- dashboard ---- */

static int64_t top_of(const hls_matter_t *m, size_t n, int64_t id)
{
	for (int guard = 0; guard < 16 && id > 0; guard++) {
		size_t lo = 0, hi = n;
		while (lo < hi) { /* matters come sorted by id */
			size_t mid = (lo + hi) / 2;
			if (m[mid].id < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == n || m[lo].id != id)
			return id;
		if (m[lo].parent == 0)
			return id;
		id = m[lo].parent;
	}
	return id;
}

static const char *matter_name(const hls_matter_t *m, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].id == id)
			return m[i].name;
	return "未分类";
}

typedef struct kv {
	int64_t key, n;
} kv_t;

static int kv_desc(const void *a, const void *b)
{
	const kv_t *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Counts by key (dense up to max) as a sorted array of {key, n} with n > 0. */
static json_t *counts_json(const int64_t *c, size_t n, const char *key_name, json_t *(*key_json)(int64_t, const void *),
			   const void *arg, size_t limit)
{
	kv_t *a = malloc((n ? n : 1) * sizeof *a);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (c[i] > 0)
			a[k++] = (kv_t){(int64_t)i, c[i]};
	qsort(a, k, sizeof *a, kv_desc);
	json_t *out = json_array();
	for (size_t i = 0; i < k && i < limit; i++) {
		json_t *row = json_object();
		json_object_set_new(row, key_name, key_json(a[i].key, arg));
		json_object_set_new(row, "count", json_integer(a[i].n));
		json_array_append_new(out, row);
	}
	free(a);
	return out;
}

static json_t *channel_json(int64_t k, const void *arg)
{
	(void)arg;
	return json_string(k > 0 && k < 8 ? hls_channels[k] : "");
}

static json_t *category_json(int64_t k, const void *arg)
{
	(void)arg;
	return json_string(k > 0 && k < 7 ? hls_categories[k] : "");
}

static json_t *district_json(int64_t k, const void *arg)
{
	const hls_facts_t *f = arg;
	return k > 0 ? json_string(f->districts[k]) : json_null();
}

typedef struct matter_arg {
	const hls_matter_t *m;
	size_t n;
} matter_arg_t;

static json_t *matter_json(int64_t k, const void *arg)
{
	const matter_arg_t *ma = arg;
	return json_pack("{s:I, s:s}", "id", (json_int_t)k, "name", k ? matter_name(ma->m, ma->n, k) : "未分类");
}

#define HEAT_MATTERS 8

json_t *hls_dashboard(const hls_facts_t *f, yw_date_t from, yw_date_t to, const hls_matter_t *matters,
		      size_t nmatters)
{
	int64_t maxm = 0;
	for (size_t i = 0; i < nmatters; i++)
		if (matters[i].id > maxm)
			maxm = matters[i].id;
	size_t ndays = (size_t)(to - from + 1), nm = (size_t)maxm + 1, nd = (size_t)f->ndistricts;
	int64_t chan[8] = {0}, cat[7] = {0}, total = 0, urgent = 0;
	int64_t *leaf = calloc(nm, sizeof *leaf), *top = calloc(nm, sizeof *top), *dist = calloc(nd, sizeof *dist),
		*days = calloc(ndays, sizeof *days);
	int32_t *topmap = malloc(nm * sizeof *topmap);
	for (size_t i = 0; i < nm; i++)
		topmap[i] = (int32_t)top_of(matters, nmatters, (int64_t)i);
	/* heat: districts × top-level matters, summed after the top matters are known */
	int64_t *heat = calloc(nd * nm, sizeof *heat);
	for (size_t i = 1; i < f->norders; i++) {
		const hls_order_t *o = &f->orders[i];
		if (o->day < from || o->day > to)
			continue;
		total++;
		urgent += (o->flags & HLS_URGENT) != 0;
		chan[o->channel]++;
		cat[o->category]++;
		size_t m = o->matter > 0 && (size_t)o->matter < nm ? (size_t)o->matter : 0;
		leaf[m]++;
		size_t t = (size_t)topmap[m];
		top[t]++;
		dist[o->district]++;
		heat[(size_t)o->district * nm + t]++;
		days[o->day - from]++;
	}
	matter_arg_t ma = {matters, nmatters};
	json_t *out = json_object();
	json_object_set_new(out, "total", json_integer(total));
	json_object_set_new(out, "urgent", json_integer(urgent));
	json_object_set_new(out, "by_channel", counts_json(chan, 8, "channel", channel_json, NULL, SIZE_MAX));
	json_object_set_new(out, "by_category", counts_json(cat, 7, "category", category_json, NULL, SIZE_MAX));
	json_object_set_new(out, "by_matter_top", counts_json(top, nm, "matter", matter_json, &ma, SIZE_MAX));
	json_object_set_new(out, "by_matter_leaf", counts_json(leaf, nm, "matter", matter_json, &ma, 50));
	json_object_set_new(out, "by_district", counts_json(dist, nd, "district", district_json, f, SIZE_MAX));
	/* heat table: every district with orders × the HEAT_MATTERS largest top-level matters */
	kv_t tops[HEAT_MATTERS];
	size_t ntop = 0;
	for (size_t i = 0; i < nm; i++) {
		if (!top[i])
			continue;
		kv_t c = {(int64_t)i, top[i]};
		size_t j = ntop < HEAT_MATTERS ? ntop++ : HEAT_MATTERS;
		if (j == HEAT_MATTERS) {
			if (kv_desc(&c, &tops[HEAT_MATTERS - 1]) >= 0)
				continue;
			j = HEAT_MATTERS - 1;
		}
		while (j > 0 && kv_desc(&c, &tops[j - 1]) < 0) {
			tops[j] = tops[j - 1];
			j--;
		}
		tops[j] = c;
	}
	json_t *hm = json_array(), *hrows = json_array();
	for (size_t j = 0; j < ntop; j++)
		json_array_append_new(hm, matter_json(tops[j].key, &ma));
	for (size_t d = 0; d < nd; d++) {
		if (!dist[d])
			continue;
		json_t *cells = json_array();
		for (size_t j = 0; j < ntop; j++)
			json_array_append_new(cells, json_integer(heat[d * nm + (size_t)tops[j].key]));
		json_array_append_new(hrows, json_pack("{s:o, s:I, s:o}", "district", district_json((int64_t)d, f), "total",
						       (json_int_t)dist[d], "counts", cells));
	}
	json_object_set_new(out, "heat", json_pack("{s:o, s:o}", "matters", hm, "rows", hrows));
	/* trends: every day of the range, and ISO weeks (Monday first) */
	json_t *by_day = json_array(), *by_week = json_array();
	int64_t wk = 0;
	yw_date_t wstart = from;
	for (size_t i = 0; i < ndays; i++) {
		yw_date_t d = from + (yw_date_t)i;
		char s[11];
		date_format(d, s);
		json_array_append_new(by_day, json_pack("{s:s, s:I}", "day", s, "count", (json_int_t)days[i]));
		if (date_weekday(d) == 1 && i > 0) {
			date_format(wstart, s);
			json_array_append_new(by_week, json_pack("{s:s, s:I}", "week_start", s, "count", (json_int_t)wk));
			wk = 0;
			wstart = d;
		}
		wk += days[i];
	}
	char s[11];
	date_format(wstart, s);
	json_array_append_new(by_week, json_pack("{s:s, s:I}", "week_start", s, "count", (json_int_t)wk));
	json_object_set_new(out, "trend", json_pack("{s:o, s:o}", "by_day", by_day, "by_week", by_week));
	free(leaf);
	free(top);
	free(dist);
	free(days);
	free(topmap);
	free(heat);
	return out;
}

/* ---- hot topics ---- */

/* Frequent bigrams that name no topic: the words of how citizens ask and complain. */
static const char *const stop_words[] = {
	"问题", "反映", "市民", "咨询", "投诉", "举报", "建议", "求助", "表扬", "要求", "希望", "请求", "关于",
	"我们", "没有", "一直", "现在", "已经", "不能", "什么", "如何", "怎么", "能否", "是否", "相关", "情况",
	"处理", "解决", "部门", "工作", "进行", "时间", "尽快", "及时", "存在", "导致", "影响", "严重", "造成",
	"多次", "长期", "附近", "一下", "办理", "需要", "可以", "有关", "来电", "诉求", "你好", "您好", "谢谢",
};

static uint32_t utf8_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t c = *s;
	int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
	if (n == 1) {
		*p = s + 1;
		return c < 0x80 ? c : 0xFFFD;
	}
	c &= 0x3F >> (n - 1);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p = s + i;
			return 0xFFFD;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*p = s + n;
	return c;
}

static bool cjk(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF);
}

static uint64_t stop_keys[sizeof stop_words / sizeof stop_words[0]];
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void stop_init(void)
{
	for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
		const unsigned char *p = (const unsigned char *)stop_words[i];
		uint32_t x = utf8_next(&p), y = utf8_next(&p);
		stop_keys[i] = (uint64_t)x << 21 | y;
	}
	qsort(stop_keys, sizeof stop_keys / sizeof stop_keys[0], sizeof stop_keys[0], u64_cmp);
}

static bool stop_key(uint32_t a, uint32_t b)
{
	if (!cjk(a) || !cjk(b))
		return true;
	uint64_t k = (uint64_t)a << 21 | b;
	size_t lo = 0, hi = sizeof stop_keys / sizeof stop_keys[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (stop_keys[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < sizeof stop_keys / sizeof stop_keys[0] && stop_keys[lo] == k;
}

bool hls_stop_bigram(uint32_t a, uint32_t b)
{
	pthread_once(&stop_once, stop_init);
	return stop_key(a, b);
}

#define HOT_BITS 18
#define HOT_MIN_SCORE 5.0
typedef struct hot_slot {
	uint64_t key; /* 0 empty */
	int32_t week, prev;
} hot_slot_t;

static hot_slot_t *hot_find(hot_slot_t *t, uint64_t key)
{
	size_t mask = ((size_t)1 << HOT_BITS) - 1, i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - HOT_BITS));
	for (size_t probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
		if (t[i].key == key)
			return &t[i];
		if (!t[i].key) {
			t[i].key = key;
			return &t[i];
		}
	}
	return NULL; /* full: the term is not counted */
}

typedef struct hot_row {
	uint64_t key;
	int32_t week, prev;
	double growth;
} hot_row_t;

static int hot_desc(const void *a, const void *b)
{
	const hot_row_t *x = a, *y = b;
	if (x->growth != y->growth)
		return x->growth > y->growth ? -1 : 1;
	if (x->week != y->week)
		return x->week > y->week ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void put_utf8(uint32_t c, char **o)
{
	unsigned char *p = (unsigned char *)*o;
	if (c < 0x800) {
		*p++ = (unsigned char)(0xC0 | (c >> 6));
		*p++ = (unsigned char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*p++ = (unsigned char)(0xE0 | (c >> 12));
		*p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		*p++ = (unsigned char)(0x80 | (c & 0x3F));
	} else {
		*p++ = (unsigned char)(0xF0 | (c >> 18));
		*p++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
		*p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
		*p++ = (unsigned char)(0x80 | (c & 0x3F));
	}
	*o = (char *)p;
}

/* The distinct bigrams of one day's titles, each with its count of orders: built once per day
 * and kept while the day's orders are unchanged (the facts' load epoch and the day's version,
 * which the store bumps whenever it reads an order of that day), so a warm query merges 35
 * small tables instead of hashing five weeks of titles. Guarded by day_lock. */
#define DAY_CACHE 64
typedef struct day_terms {
	int32_t day;
	uint32_t epoch, ver, orders;
	bool valid;
	uint64_t *keys; /* open addressing, 0 empty */
	int32_t *counts;
	size_t cap, n;
} day_terms_t;
static day_terms_t day_cache[DAY_CACHE];
static pthread_mutex_t day_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t day_version(const hls_facts_t *f, yw_date_t day)
{
	int64_t i = (int64_t)day - f->day0;
	return i >= 0 && (size_t)i < f->nday_ver ? f->day_ver[i] : 0;
}

static void day_add(day_terms_t *d, uint64_t key)
{
	if ((d->n + 1) * 2 > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 1024;
		uint64_t *keys = calloc(cap, sizeof *keys);
		int32_t *counts = calloc(cap, sizeof *counts);
		if (!keys || !counts)
			abort();
		for (size_t i = 0; i < d->cap; i++)
			if (d->keys[i]) {
				size_t j = (size_t)((d->keys[i] * 0x9E3779B97F4A7C15ull) >> 40) & (cap - 1);
				while (keys[j])
					j = (j + 1) & (cap - 1);
				keys[j] = d->keys[i];
				counts[j] = d->counts[i];
			}
		free(d->keys);
		free(d->counts);
		d->keys = keys;
		d->counts = counts;
		d->cap = cap;
	}
	size_t j = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (d->cap - 1);
	while (d->keys[j] && d->keys[j] != key)
		j = (j + 1) & (d->cap - 1);
	if (!d->keys[j]) {
		d->keys[j] = key;
		d->n++;
	}
	d->counts[j]++;
}

/* Brings the cache up to date for every day of [from, to] (day_lock held): one pass over the
 * orders when any day is missing or stale. */
static void day_cache_fill(const hls_facts_t *f, yw_date_t from, yw_date_t to)
{
	bool any = false;
	for (yw_date_t d = from; d <= to; d++) {
		day_terms_t *e = &day_cache[(uint32_t)d % DAY_CACHE];
		if (e->valid && e->day == d && e->epoch == f->epoch && e->ver == day_version(f, d))
			continue;
		e->valid = false;
		e->day = d;
		e->epoch = f->epoch;
		e->ver = day_version(f, d);
		e->orders = 0;
		e->n = 0;
		if (e->keys) {
			memset(e->keys, 0, e->cap * sizeof *e->keys);
			memset(e->counts, 0, e->cap * sizeof *e->counts);
		}
		any = true;
	}
	if (!any)
		return;
	uint64_t seen[64];
	for (size_t i = 1; i < f->norders; i++) {
		const hls_order_t *o = &f->orders[i];
		if (o->day < from || o->day > to || (o->flags & HLS_MERGED))
			continue;
		day_terms_t *e = &day_cache[(uint32_t)o->day % DAY_CACHE];
		if (e->valid)
			continue;
		e->orders++;
		const unsigned char *p = (const unsigned char *)f->titles + o->title;
		uint32_t prev = 0;
		int ns = 0;
		while (*p) {
			uint32_t c = utf8_next(&p);
			if (prev && !stop_key(prev, c)) {
				uint64_t k = (uint64_t)prev << 21 | c;
				bool dup = false; /* an order counts once per term */
				for (int j = 0; j < ns && !dup; j++)
					dup = seen[j] == k;
				if (!dup && ns < 64) {
					seen[ns++] = k;
					day_add(e, k);
				}
			}
			prev = c;
		}
	}
	for (yw_date_t d = from; d <= to; d++)
		day_cache[(uint32_t)d % DAY_CACHE].valid = true;
}

json_t *hls_hot_topics(const hls_facts_t *f, yw_date_t to, int min_count, int top)
{
	yw_date_t wfrom = to - 6, pfrom = to - 34; /* this week: 7 days to `to`; before: the 28 days before it */
	pthread_once(&stop_once, stop_init);
	hot_slot_t *t = calloc((size_t)1 << HOT_BITS, sizeof *t);
	if (!t)
		return json_array();
	bool had[28] = {0};
	pthread_mutex_lock(&day_lock);
	day_cache_fill(f, pfrom, to);
	for (yw_date_t d = pfrom; d <= to; d++) {
		const day_terms_t *e = &day_cache[(uint32_t)d % DAY_CACHE];
		if (d < wfrom)
			had[d - pfrom] = e->orders > 0;
		for (size_t i = 0; i < e->cap; i++) {
			if (!e->keys[i])
				continue;
			hot_slot_t *h = hot_find(t, e->keys[i]);
			if (!h)
				continue;
			if (d >= wfrom)
				h->week += e->counts[i];
			else
				h->prev += e->counts[i];
		}
	}
	pthread_mutex_unlock(&day_lock);
	/* the minimum: min_count, or one order in a thousand of the week's when that is more */
	/* this week's orders, and on which of the 28 days before there were orders at all: the usual
	 * week is the count before over those days × 7 (a city whose history starts later, or a
	 * generated year's first weeks, is not "rising" for want of history) */
	int64_t wtotal = 0;
	int ndays = 0;
	uint32_t *week_idx = malloc(1024 * sizeof *week_idx);
	size_t wcap = 1024;
	for (size_t i = 1; i < f->norders; i++) {
		const hls_order_t *x = &f->orders[i];
		if (x->day < pfrom || x->day > to || (x->flags & HLS_MERGED))
			continue;
		if (x->day < wfrom)
			continue;
		if ((size_t)wtotal == wcap)
			week_idx = realloc(week_idx, (wcap *= 2) * sizeof *week_idx);
		week_idx[wtotal++] = (uint32_t)i;
	}
	for (int d = 0; d < 28; d++)
		ndays += had[d];
	if (!ndays) {
		free(week_idx);
		free(t);
		return json_array(); /* no history to rise above */
	}
	if (wtotal / 1000 > min_count)
		min_count = (int)(wtotal / 1000);
	size_t n = 0, cap = 256;
	hot_row_t *rows = malloc(cap * sizeof *rows);
	for (size_t i = 0; i < (size_t)1 << HOT_BITS; i++) {
		if (!t[i].key || t[i].week < min_count)
			continue;
		double base = (double)t[i].prev * 7.0 / (double)ndays;
		if ((double)t[i].week <= 1.5 * base)
			continue; /* not rising */
		/* how far above its usual week, in standard deviations of a Poisson count (one more order
		 * of mean keeps a term new this week finite) */
		double growth = ((double)t[i].week - base) / sqrt(base + 1.0);
		if (growth < HOT_MIN_SCORE)
			continue; /* among thousands of terms a few rise by 3 or 4 by chance alone */
		if (n == cap) {
			cap *= 2;
			rows = realloc(rows, cap * sizeof *rows);
		}
		rows[n++] = (hot_row_t){t[i].key, t[i].week, t[i].prev, growth};
	}
	qsort(rows, n, sizeof *rows, hot_desc);
	/* A rising bigram is usually part of a longer phrase (停水 of 自来水停水无通知): the term is
	 * grown from it over this week's titles that contain it, one character at a time to the
	 * right and to the left while at least 80% of those titles continue it with the same CJK
	 * character. A term sharing a bigram with one already listed is the same topic and left out
	 * (路疫 beside 疫苗接种). At most 3 × top rising bigrams are tried. */
	uint32_t *sel = malloc(((size_t)wtotal + 1) * sizeof *sel);
	json_t *out = json_array();
	char shown[32][64];
	int nshown = 0;
	for (size_t i = 0; i < n && (int)i < 3 * top && nshown < top && nshown < 32; i++) {
		char term[64], *o = term;
		put_utf8((uint32_t)(rows[i].key >> 21), &o);
		put_utf8((uint32_t)(rows[i].key & 0x1FFFFF), &o);
		*o = 0;
		size_t nsel = 0, explained = 0;
		for (size_t k = 0; k < (size_t)wtotal; k++) {
			const char *title = f->titles + f->orders[week_idx[k]].title;
			if (!strstr(title, term))
				continue;
			sel[nsel++] = week_idx[k];
			for (int j = 0; j < nshown; j++)
				if (strstr(title, shown[j])) {
					explained++;
					break;
				}
		}
		/* its rise is mostly orders of a topic already listed (路学 rising with 学位申请) */
		double base = (double)rows[i].prev * 7.0 / (double)ndays;
		if ((double)explained >= 0.5 * ((double)rows[i].week - base))
			continue;
		for (int side = 0; side < 2; side++) {
			while (strlen(term) + 4 < sizeof term - 8) {
				uint32_t cand[16];
				int cnt[16], nc = 0;
				size_t m = 0;
				for (size_t k = 0; k < nsel; k++) {
					const char *title = f->titles + f->orders[sel[k]].title, *p = strstr(title, term);
					if (!p)
						continue;
					m++;
					uint32_t c = 0;
					if (side == 0) {
						const unsigned char *q = (const unsigned char *)p + strlen(term);
						c = *q ? utf8_next(&q) : 0;
					} else if (p > title) {
						const unsigned char *q = (const unsigned char *)p - 1;
						while (q > (const unsigned char *)title && (*q & 0xC0) == 0x80)
							q--;
						c = utf8_next(&q);
					}
					int j = 0;
					while (j < nc && cand[j] != c)
						j++;
					if (j == nc && nc < 16) {
						cand[nc] = c;
						cnt[nc++] = 0;
					}
					if (j < 16)
						cnt[j]++;
				}
				int best = -1;
				for (int j = 0; j < nc; j++)
					if (best < 0 || cnt[j] > cnt[best])
						best = j;
				if (best < 0 || !cjk(cand[best]) || (size_t)cnt[best] * 5 < m * 4)
					break;
				char grown[64], *g = grown;
				if (side == 1)
					put_utf8(cand[best], &g);
				memcpy(g, term, strlen(term));
				g += strlen(term);
				if (side == 0)
					put_utf8(cand[best], &g);
				*g = 0;
				memcpy(term, grown, (size_t)(g - grown) + 1);
			}
		}
		bool same = false; /* a bigram of term inside a term shown */
		const unsigned char *p = (const unsigned char *)term;
		for (const unsigned char *q = p; *q && !same;) {
			const unsigned char *start = q;
			utf8_next(&q);
			const unsigned char *end = q;
			if (!*end)
				break;
			utf8_next(&end);
			char bg[16];
			memcpy(bg, start, (size_t)(end - start));
			bg[end - start] = 0;
			for (int k = 0; k < nshown && !same; k++)
				same = strstr(shown[k], bg) != NULL;
		}
		if (same)
			continue;
		snprintf(shown[nshown++], sizeof shown[0], "%s", term);
		json_array_append_new(out, json_pack("{s:s, s:i, s:i, s:f, s:f}", "term", term, "week", rows[i].week,
						     "previous_4_weeks", rows[i].prev, "weekly_mean_before",
						     round((double)rows[i].prev * 700.0 / (double)ndays) / 100.0, "score", round(rows[i].growth * 100) / 100));
	}
	free(sel);
	free(week_idx);
	free(rows);
	free(t);
	return out;
}
