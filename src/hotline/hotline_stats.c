/* Hotline statistics over the in-memory facts (hotline_stats.h; definitions there and in
 * docs/domain.md §9): the monthly rankings of handling units, the dashboard's volumes, heat table
 * and trends, and the hot topics of the week. Pure functions of the facts. */
#include <math.h>
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
static double score_of(const hls_unit_row_t *r)
{
	const double w[] = {15, 25, 20, 30, 10};
	double clean = 1.0 - fmin(1.0, (double)(r->returns + r->reopens) / (double)(r->received > 0 ? r->received : 1));
	const double v[] = {r->sign_rate, r->on_time_rate, r->solved_rate, r->satisfaction_rate, clean};
	double sum = 0, wsum = 0;
	for (int i = 0; i < 5; i++)
		if (!isnan(v[i])) {
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

int hls_rankings(const hls_facts_t *f, yw_date_t from, yw_date_t to, hls_unit_row_t **rows, size_t *n)
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
		r->score = score_of(r);
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

bool hls_stop_bigram(uint32_t a, uint32_t b)
{
	if (!cjk(a) || !cjk(b))
		return true;
	static uint64_t stop[sizeof stop_words / sizeof stop_words[0]];
	static bool ready;
	if (!ready) { /* the words are constants: filling twice is harmless */
		for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++) {
			const unsigned char *p = (const unsigned char *)stop_words[i];
			uint32_t x = utf8_next(&p), y = utf8_next(&p);
			stop[i] = (uint64_t)x << 21 | y;
		}
		ready = true;
	}
	uint64_t k = (uint64_t)a << 21 | b;
	for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
		if (stop[i] == k)
			return true;
	return false;
}

#define HOT_BITS 18
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

json_t *hls_hot_topics(const hls_facts_t *f, yw_date_t to, int min_count, int top)
{
	yw_date_t wfrom = to - 6, pfrom = to - 34; /* this week: 7 days to `to`; before: the 28 days before it */
	hot_slot_t *t = calloc((size_t)1 << HOT_BITS, sizeof *t);
	if (!t)
		return json_array();
	uint64_t seen[64];
	for (size_t i = 1; i < f->norders; i++) {
		const hls_order_t *o = &f->orders[i];
		if (o->day < pfrom || o->day > to || (o->flags & HLS_MERGED))
			continue;
		bool week = o->day >= wfrom;
		const unsigned char *p = (const unsigned char *)f->titles + o->title;
		uint32_t prev = 0;
		int ns = 0;
		while (*p) {
			uint32_t c = utf8_next(&p);
			if (prev && !hls_stop_bigram(prev, c)) {
				uint64_t k = (uint64_t)prev << 21 | c;
				bool dup = false; /* an order counts once per term */
				for (int j = 0; j < ns && !dup; j++)
					dup = seen[j] == k;
				if (!dup && ns < 64) {
					seen[ns++] = k;
					hot_slot_t *s = hot_find(t, k);
					if (s) {
						if (week)
							s->week++;
						else
							s->prev++;
					}
				}
			}
			prev = c;
		}
	}
	/* the minimum: min_count, or one order in a thousand of the week's when that is more */
	int64_t wtotal = 0;
	for (size_t i = 1; i < f->norders; i++)
		wtotal += f->orders[i].day >= wfrom && f->orders[i].day <= to && !(f->orders[i].flags & HLS_MERGED);
	if (wtotal / 1000 > min_count)
		min_count = (int)(wtotal / 1000);
	size_t n = 0, cap = 256;
	hot_row_t *rows = malloc(cap * sizeof *rows);
	for (size_t i = 0; i < (size_t)1 << HOT_BITS; i++) {
		if (!t[i].key || t[i].week < min_count)
			continue;
		double base = (double)t[i].prev / 4.0;
		if ((double)t[i].week <= 1.5 * base)
			continue; /* not rising */
		/* how far above its usual week, in standard deviations of a Poisson count (one more order
		 * of mean keeps a term new this week finite) */
		double growth = ((double)t[i].week - base) / sqrt(base + 1.0);
		if (n == cap) {
			cap *= 2;
			rows = realloc(rows, cap * sizeof *rows);
		}
		rows[n++] = (hot_row_t){t[i].key, t[i].week, t[i].prev, growth};
	}
	qsort(rows, n, sizeof *rows, hot_desc);
	/* overlapping bigrams of one phrase (停水, 水无, 无通 ...) rise together: each term is grown
	 * by the rising bigrams that continue it with a count within a quarter of its own */
	bool *used = calloc(n ? n : 1, sizeof *used);
	json_t *out = json_array();
	for (size_t i = 0; i < n && (int)json_array_size(out) < top; i++) {
		if (used[i])
			continue;
		used[i] = true;
		uint32_t cps[12];
		int len = 2;
		cps[0] = (uint32_t)(rows[i].key >> 21);
		cps[1] = (uint32_t)(rows[i].key & 0x1FFFFF);
		for (bool grew = true; grew && len < 12;) {
			grew = false;
			for (size_t j = 0; j < n && len < 12; j++) {
				if (used[j] || rows[j].week * 4 < rows[i].week * 3 || rows[j].week * 3 > rows[i].week * 4)
					continue;
				uint32_t a = (uint32_t)(rows[j].key >> 21), b = (uint32_t)(rows[j].key & 0x1FFFFF);
				if (a == cps[len - 1]) {
					cps[len++] = b;
				} else if (b == cps[0]) {
					memmove(cps + 1, cps, (size_t)len * sizeof *cps);
					cps[0] = a;
					len++;
				} else {
					continue;
				}
				used[j] = grew = true;
			}
		}
		char term[64], *o = term;
		for (int k = 0; k < len; k++)
			put_utf8(cps[k], &o);
		*o = 0;
		json_array_append_new(out, json_pack("{s:s, s:i, s:i, s:f, s:f}", "term", term, "week", rows[i].week,
						     "previous_4_weeks", rows[i].prev, "weekly_mean_before",
						     (double)rows[i].prev / 4.0, "score", round(rows[i].growth * 100) / 100));
	}
	free(used);
	free(rows);
	free(t);
	return out;
}
