/* Statistics rules: summing case, review and card facts into the figures of stats.h, grouped by
 * period or by department, item, window or staff. Pure functions: no SQL, no HTTP. */
#include "stats/stats.h"

#include "cases/cases.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "platform/err.h"

const stats_case_t stats_case_empty = {.submitted = STATS_NO_DAY, .accepted = STATS_NO_DAY,
				       .promised = STATS_NO_DAY, .decided = STATS_NO_DAY, .handling_days = -1};

static const char *const by_names[] = {"day", "month", "year", "dept", "item", "window", "staff", "none"};

int stats_by_parse(const char *s)
{
	for (int i = 0; i < STATS_BY_NONE; i++)
		if (strcmp(by_names[i], s) == 0)
			return i;
	return -1;
}

const char *stats_by_name(enum stats_by by)
{
	return by_names[by];
}

static double rate(int64_t num, int64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

void stats_metrics(const stats_counts_t *c, stats_metrics_t *out)
{
	out->overdue = c->late + c->open_overdue;
	out->completion_rate = rate(c->completed, c->received);
	out->on_time_rate = rate(c->on_time, c->completed);
	out->early_rate = rate(c->early, c->completed);
	out->avg_handling_days = rate(c->handling_days, c->handled);
	out->instant_share = rate(c->instant, c->completed);
	out->online_share = rate(c->online, c->received);
	out->zuiduo_rate = rate(c->zuiduo, c->received);
	out->satisfaction_rate = rate(c->satisfied, c->reviews - c->not_genuine);
	out->rectification_rate = rate(c->rectified, c->genuine_bad);
}

/* The state sets are the case module's (cases.h), so a figure here counts what the supervision
 * page counts: 在办 is case_state_in_progress, 办结 case_state_decided. */
static bool decided(int state)
{
	return case_state_decided(state);
}

/* How facts map to groups for one query. */
typedef struct grouping {
	const stats_query_t *q;
	int from_month, from_year; /* year*12+month-1 and year of q->from */
	uint16_t *period;          /* by month or year: the slot of each day of the range */
	size_t slots;
} grouping_t;

static int month_index(yw_date_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y * 12 + m - 1;
}

static int year_of(yw_date_t d)
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	return y;
}

static bool in_range(const stats_query_t *q, yw_date_t d)
{
	return d != STATS_NO_DAY && d >= q->from && d <= q->to;
}

static bool in_scope(const stats_query_t *q, int32_t dept)
{
	return !q->dept_ok || (dept >= 0 && (size_t)dept < q->ndept_ok && q->dept_ok[dept]);
}

static int32_t dim_of(const stats_dims_t *d, enum stats_by by)
{
	return by == STATS_BY_DEPT ? d->dept : by == STATS_BY_ITEM ? d->item : by == STATS_BY_WINDOW ? d->window : d->staff;
}

/* The slot of a fact on day d belonging to dims. */
static size_t slot(const grouping_t *g, yw_date_t d, const stats_dims_t *dims)
{
	switch (g->q->by) {
	case STATS_BY_DAY: return (size_t)(d - g->q->from);
	case STATS_BY_MONTH:
	case STATS_BY_YEAR: return g->period[d - g->q->from];
	case STATS_BY_NONE: return 0;
	default: return (size_t)dim_of(dims, g->q->by);
	}
}

/* Number of slots: the periods of the range, or one past the largest id met. */
static size_t slot_count(const stats_facts_t *f, const grouping_t *g)
{
	const stats_query_t *q = g->q;
	switch (q->by) {
	case STATS_BY_DAY: return (size_t)(q->to - q->from + 1);
	case STATS_BY_MONTH: return (size_t)(month_index(q->to) - g->from_month + 1);
	case STATS_BY_YEAR: return (size_t)(year_of(q->to) - g->from_year + 1);
	case STATS_BY_NONE: return 1;
	default: break;
	}
	int32_t max = 0;
	for (size_t i = 0; i < f->ncases; i++)
		max = dim_of(&f->cases[i].dim, q->by) > max ? dim_of(&f->cases[i].dim, q->by) : max;
	for (size_t i = 0; i < f->nreviews; i++)
		max = dim_of(&f->reviews[i].dim, q->by) > max ? dim_of(&f->reviews[i].dim, q->by) : max;
	for (size_t i = 0; i < f->ncards; i++)
		max = dim_of(&f->cards[i].dim, q->by) > max ? dim_of(&f->cards[i].dim, q->by) : max;
	return (size_t)max + 1;
}

static void add_case(const grouping_t *g, const stats_case_t *c, stats_counts_t *rows)
{
	const stats_query_t *q = g->q;
	const stats_dims_t *dims = &c->dim;
	if (c->state != 0 && in_range(q, c->submitted)) {
		stats_counts_t *r = &rows[slot(g, c->submitted, dims)];
		r->received++;
		r->online += (c->flags & SF_ONLINE) != 0;
		r->zuiduo += c->visits <= 1;
	}
	if (decided(c->state) && in_range(q, c->decided)) {
		stats_counts_t *r = &rows[slot(g, c->decided, dims)];
		bool has_promise = c->promised != STATS_NO_DAY;
		r->completed++;
		r->on_time += !has_promise || c->decided <= c->promised;
		r->early += has_promise && c->decided < c->promised;
		r->late += has_promise && c->decided > c->promised;
		r->instant += (c->flags & SF_INSTANT) != 0;
		if (c->handling_days >= 0) {
			r->handled++;
			r->handling_days += c->handling_days;
		}
	}
	/* 特别程序 stops the clock, so a suspended case is not overdue while it waits. */
	if (case_state_in_progress(c->state) && c->state != CASE_SUSPENDED && in_range(q, c->promised) && c->promised < q->today)
		rows[slot(g, c->promised, dims)].open_overdue++;
}

static void add_review(const grouping_t *g, const stats_review_t *rv, stats_counts_t *rows)
{
	stats_counts_t *r = &rows[slot(g, rv->day, &rv->dim)];
	r->reviews++;
	r->levels[rv->level]++;
	r->satisfied += rv->level <= 3;
	r->not_genuine += rv->genuine == 0;
	if (rv->level >= 4 && rv->genuine != 0)
		r->bad++;
	if (rv->level >= 4 && rv->genuine == 1) {
		r->genuine_bad++;
		r->rectified += rv->rectified != 0;
	}
}

static void sum_into(stats_counts_t *t, const stats_counts_t *r)
{
	const int64_t *src = (const int64_t *)r;
	int64_t *dst = (int64_t *)t;
	for (size_t k = 0; k < sizeof *r / sizeof(int64_t); k++)
		dst[k] += src[k];
}

static bool empty(const stats_counts_t *r)
{
	static const stats_counts_t zero;
	return memcmp(r, &zero, sizeof zero) == 0;
}

int stats_aggregate(const stats_facts_t *f, const stats_query_t *q, stats_result_t *out)
{
	memset(out, 0, sizeof *out);
	if (q->to < q->from || q->to - q->from > (q->by == STATS_BY_DAY ? 365 : 20 * 366))
		return YW_EINVAL;
	grouping_t g = {.q = q, .from_month = month_index(q->from), .from_year = year_of(q->from)};
	g.slots = slot_count(f, &g);
	if (q->by == STATS_BY_MONTH || q->by == STATS_BY_YEAR) {
		/* months and years of each day worked out once, not once per fact */
		g.period = malloc(((size_t)(q->to - q->from) + 1) * sizeof *g.period);
		if (!g.period)
			abort();
		for (yw_date_t d = q->from; d <= q->to; d++)
			g.period[d - q->from] = (uint16_t)(q->by == STATS_BY_MONTH ? month_index(d) - g.from_month
										: year_of(d) - g.from_year);
	}
	stats_counts_t *rows = calloc(g.slots, sizeof *rows);
	if (!rows)
		abort();
	for (size_t i = 0; i < f->ncases; i++)
		if (in_scope(q, f->cases[i].dim.dept))
			add_case(&g, &f->cases[i], rows);
	for (size_t i = 0; i < f->nreviews; i++) {
		const stats_review_t *rv = &f->reviews[i];
		if (rv->level && in_scope(q, rv->dim.dept) && in_range(q, rv->day))
			add_review(&g, rv, rows);
	}
	for (size_t i = 0; i < f->ncards; i++) {
		const stats_card_t *c = &f->cards[i];
		if (c->level && in_scope(q, c->dim.dept) && in_range(q, c->day))
			rows[slot(&g, c->day, &c->dim)].cards[c->level]++;
	}
	bool timeline = q->by <= STATS_BY_YEAR || q->by == STATS_BY_NONE;
	out->keys = calloc(g.slots, sizeof *out->keys);
	out->rows = calloc(g.slots, sizeof *out->rows);
	if (!out->keys || !out->rows)
		abort();
	for (size_t s = 0; s < g.slots; s++) {
		sum_into(&out->total, &rows[s]);
		if (!timeline && empty(&rows[s]))
			continue;
		int64_t key = (int64_t)s;
		if (q->by == STATS_BY_DAY)
			key = q->from + (int64_t)s;
		else if (q->by == STATS_BY_MONTH)
			key = (g.from_month + (int64_t)s) / 12 * 100 + (g.from_month + (int64_t)s) % 12 + 1;
		else if (q->by == STATS_BY_YEAR)
			key = g.from_year + (int64_t)s;
		out->keys[out->n] = key;
		out->rows[out->n++] = rows[s];
	}
	free(rows);
	free(g.period);
	return 0;
}

void stats_result_free(stats_result_t *r)
{
	free(r->keys);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

void stats_signals(const stats_facts_t *f, const stats_query_t *q, int64_t out[4])
{
	memset(out, 0, 4 * sizeof *out);
	for (size_t i = 0; i < f->ncases; i++) {
		const stats_case_t *c = &f->cases[i];
		if (case_state_in_progress(c->state) && in_scope(q, c->dim.dept))
			out[c->signal < 4 ? c->signal : 3]++;
	}
}
