/* Statistics routes (docs/api.md, "Statistics"): summary rows by period or dimension, the
 * supervisors' dashboard, the monthly report in the style of a centre's 工作情况报告 (seed 001)
 * and the XLSX export. Scope: supervisors and centre admins see the departments of their region,
 * department admins their own department (auth_dept_in_scope). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "stats/stats.h"

/* dept_ok[id] for the departments the user may see statistics of; dept_ok[0] for facts of none. */
int stats_scope(http_req_t *req, stats_query_t *q)
{
	return stats_dept_scope(db_thread(), req->user, req->arena, q);
}

static json_t *rate_json(double r)
{
	return isnan(r) ? json_null() : json_real(round(r * 1e6) / 1e6);
}

/* A row of counts with the figures derived from them. */
json_t *stats_counts_json(const stats_counts_t *c)
{
	stats_metrics_t m;
	stats_metrics(c, &m);
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "received",
			      (json_int_t)c->received, "completed", (json_int_t)c->completed, "on_time",
			      (json_int_t)c->on_time, "early", (json_int_t)c->early, "overdue", (json_int_t)m.overdue,
			      "completed_late", (json_int_t)c->late, "open_overdue", (json_int_t)c->open_overdue,
			      "instant", (json_int_t)c->instant, "online", (json_int_t)c->online, "zuiduo",
			      (json_int_t)c->zuiduo, "reviews", (json_int_t)c->reviews, "satisfied",
			      (json_int_t)c->satisfied, "not_genuine", (json_int_t)c->not_genuine, "bad_reviews",
			      (json_int_t)c->bad, "rectified", (json_int_t)c->rectified);
	json_object_set_new(o, "genuine_bad_reviews", json_integer(c->genuine_bad));
	json_object_set_new(o, "completion_rate", rate_json(m.completion_rate));
	json_object_set_new(o, "on_time_rate", rate_json(m.on_time_rate));
	json_object_set_new(o, "early_rate", rate_json(m.early_rate));
	json_object_set_new(o, "avg_handling_days", rate_json(m.avg_handling_days));
	json_object_set_new(o, "instant_share", rate_json(m.instant_share));
	json_object_set_new(o, "online_share", rate_json(m.online_share));
	json_object_set_new(o, "zuiduo_rate", rate_json(m.zuiduo_rate));
	json_object_set_new(o, "satisfaction_rate", rate_json(m.satisfaction_rate));
	json_object_set_new(o, "rectification_rate", rate_json(m.rectification_rate));
	json_object_set_new(o, "cards", json_pack("{s:I, s:I, s:I}", "warning", (json_int_t)c->cards[1], "yellow",
						  (json_int_t)c->cards[2], "red", (json_int_t)c->cards[3]));
	json_object_set_new(o, "review_levels", json_pack("[I, I, I, I, I]", (json_int_t)c->levels[1],
							  (json_int_t)c->levels[2], (json_int_t)c->levels[3],
							  (json_int_t)c->levels[4], (json_int_t)c->levels[5]));
	return o;
}

/* The name of a group: a period, or the department, item, window or staff member ("" when it is
 * gone). 0 with *out, or the store's error. */
static int label_json(db_t *db, enum stats_by by, int64_t key, json_t **out)
{
	char buf[16];
	switch (by) {
	case STATS_BY_DAY:
		date_format((yw_date_t)key, buf);
		*out = json_string(buf);
		return 0;
	case STATS_BY_MONTH: *out = json_sprintf("%04d-%02d", (int)(key / 100), (int)(key % 100)); return 0;
	case STATS_BY_YEAR: *out = json_sprintf("%d", (int)key); return 0;
	case STATS_BY_NONE: *out = json_string("合计"); return 0;
	case STATS_BY_WINDOW:
		if (key == 0) {
			*out = json_string("网上申报");
			return 0;
		}
		break;
	case STATS_BY_STAFF:
		if (key == 0) {
			*out = json_string("未记录受理人");
			return 0;
		}
		break;
	default: break;
	}
	int rc = stats_dim_name(db, by, key, out);
	if (rc == YW_ENOTFOUND) {
		*out = json_string("");
		rc = 0;
	}
	return rc;
}

/* Sums the facts for q: 0 with *out filled, or an error. */
static int aggregate(const stats_query_t *q, stats_result_t *out)
{
	const stats_facts_t *f;
	int rc = stats_acquire(db_thread(), &f);
	if (rc)
		return rc;
	rc = stats_aggregate(f, q, out);
	stats_release();
	return rc;
}

typedef struct ranked {
	int64_t received;
	size_t i;
} ranked_t;

static int by_received(const void *a, const void *b)
{
	const ranked_t *x = a, *y = b;
	return x->received < y->received ? 1 : x->received > y->received ? -1 : x->i < y->i ? -1 : 1;
}

/* {"by","from","to","rows":[{"key","label",...}],"total":{...}}. top > 0: only the top rows by
 * received, largest first (so a city of 30,000 items names ten of them, not all). 0 with *out, or
 * the store's error. */
static int result_json(const stats_query_t *q, const stats_result_t *r, size_t top, json_t **out)
{
	db_t *db = db_thread();
	char from[11], to[11];
	date_format(q->from, from);
	date_format(q->to, to);
	ranked_t *order = malloc((r->n ? r->n : 1) * sizeof *order);
	if (!order)
		abort();
	for (size_t i = 0; i < r->n; i++)
		order[i] = (ranked_t){r->rows[i].received, i};
	if (top)
		qsort(order, r->n, sizeof *order, by_received);
	json_t *rows = json_array();
	int rc = 0;
	for (size_t k = 0; k < r->n && (!top || k < top); k++) {
		size_t i = order[k].i;
		json_t *label;
		if ((rc = label_json(db, q->by, r->keys[i], &label)) != 0)
			break;
		json_t *o = stats_counts_json(&r->rows[i]);
		json_object_set_new(o, "key", json_integer(r->keys[i]));
		json_object_set_new(o, "label", label);
		json_array_append_new(rows, o);
	}
	free(order);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:s, s:o, s:o}", "by", stats_by_name(q->by), "from", from, "to", to, "rows", rows,
			 "total", stats_counts_json(&r->total));
	return 0;
}

static int query_day(http_req_t *req, const char *name, yw_date_t def, yw_date_t *out)
{
	const char *v = http_query(req, name);
	*out = def;
	if (!v || !*v)
		return 0;
	if (date_parse(v, strlen(v), out) != 0) {
		http_fail_field(req, name, "应为日期 YYYY-MM-DD");
		return YW_EINVAL;
	}
	return 0;
}

/* from, to and by of the summary and the export; defaults: this year up to today, by month. */
static int summary_query(http_req_t *req, stats_query_t *q)
{
	int y, m, d;
	q->today = date_today_local((int64_t)yw_now());
	date_to_ymd(q->today, &y, &m, &d);
	int rc = query_day(req, "from", date_from_ymd(y, 1, 1), &q->from);
	rc |= query_day(req, "to", q->today, &q->to);
	const char *by = http_query(req, "by");
	int b = by && *by ? stats_by_parse(by) : STATS_BY_MONTH;
	if (b < 0) {
		http_fail_field(req, "by", "应为 day、month、year、dept、item、window 或 staff");
		rc = YW_EINVAL;
	}
	q->by = b < 0 ? STATS_BY_MONTH : (enum stats_by)b;
	if (rc)
		return YW_EINVAL;
	if (q->to < q->from) {
		http_fail_field(req, "to", "结束日期不能早于开始日期");
		return YW_EINVAL;
	}
	if (q->by == STATS_BY_DAY && q->to - q->from > 365) {
		http_fail_field(req, "to", "按日统计的区间不能超过366天");
		return YW_EINVAL;
	}
	if (q->to - q->from > 20 * 366) {
		http_fail_field(req, "to", "统计区间不能超过20年");
		return YW_EINVAL;
	}
	return stats_scope(req, q);
}

static int summary(http_req_t *req, stats_query_t *q, json_t **out)
{
	int rc = summary_query(req, q);
	if (rc)
		return rc;
	stats_result_t r;
	if ((rc = aggregate(q, &r)) != 0)
		return rc;
	rc = result_json(q, &r, 0, out);
	stats_result_free(&r);
	return rc;
}

int h_stats_summary(http_req_t *req)
{
	stats_query_t q = {0};
	json_t *out;
	int rc = summary(req, &q, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* One grouping of the dashboard's period, as JSON (top as in result_json). */
static int section(stats_query_t q, enum stats_by by, size_t top, json_t **out)
{
	q.by = by;
	stats_result_t r;
	int rc = aggregate(&q, &r);
	if (rc)
		return rc;
	rc = result_json(&q, &r, top, out);
	stats_result_free(&r);
	return rc;
}

int h_stats_dashboard(http_req_t *req)
{
	stats_query_t q = {.today = date_today_local((int64_t)yw_now())};
	int y, m, d;
	date_to_ymd(q.today, &y, &m, &d);
	int64_t year, month;
	if (http_query_int(req, "year", DATE_YEAR_MIN + 1, DATE_YEAR_MAX - 1, y, &year) |
	    http_query_int(req, "month", 0, 12, 0, &month))
		return YW_EINVAL;
	int rc = stats_scope(req, &q);
	if (rc)
		return rc;
	q.from = date_from_ymd((int)year, month ? (int)month : 1, 1);
	q.to = month ? date_from_ymd((int)(month == 12 ? year + 1 : year), month == 12 ? 1 : (int)month + 1, 1) - 1
		     : date_from_ymd((int)year, 12, 31);
	stats_query_t yq = q;
	yq.from = date_from_ymd((int)year, 1, 1);
	yq.to = date_from_ymd((int)year, 12, 31);
	json_t *kpi = NULL, *trend = NULL, *depts = NULL, *items = NULL;
	rc = section(q, STATS_BY_NONE, 0, &kpi);
	rc = rc ? rc : section(yq, STATS_BY_MONTH, 0, &trend);
	rc = rc ? rc : section(q, STATS_BY_DEPT, SIZE_MAX, &depts);
	rc = rc ? rc : section(q, STATS_BY_ITEM, 10, &items);
	int64_t signals[4] = {0};
	const stats_facts_t *f;
	if (!rc && (rc = stats_acquire(db_thread(), &f)) == 0) {
		stats_signals(f, &q, signals);
		stats_release();
	}
	if (rc) {
		json_decref(kpi);
		json_decref(trend);
		json_decref(depts);
		json_decref(items);
		return rc;
	}
	json_t *total = json_incref(json_object_get(kpi, "total"));
	json_t *out = json_pack("{s:I, s:o, s:O, s:O, s:o, s:O, s:O, s:O, s:{s:I, s:I, s:I, s:I}}", "year",
				(json_int_t)year, "month", month ? json_integer(month) : json_null(), "from",
				json_object_get(kpi, "from"), "to", json_object_get(kpi, "to"), "kpi", total, "trend",
				json_object_get(trend, "rows"), "by_dept", json_object_get(depts, "rows"), "top_items",
				json_object_get(items, "rows"), "signals", "normal",
				(json_int_t)signals[0], "warning", (json_int_t)signals[1], "yellow", (json_int_t)signals[2],
				"red", (json_int_t)signals[3]);
	/* 在办: the same count the supervision page's summary gives as cases.open */
	json_object_set_new(json_object_get(out, "signals"), "in_progress",
			    json_integer((json_int_t)(signals[0] + signals[1] + signals[2] + signals[3])));
	json_decref(kpi);
	json_decref(trend);
	json_decref(depts);
	json_decref(items);
	http_reply_json(req, 200, out);
	return 0;
}

static int write_stats_xlsx(const char *path, void *sum)
{
	return stats_write_xlsx(path, "政务服务统计", sum);
}

int h_stats_export(http_req_t *req)
{
	stats_query_t q = {0};
	json_t *sum;
	int rc = summary(req, &q, &sum);
	if (rc)
		return rc;
	rc = http_reply_xlsx(req, "stats.xlsx", write_stats_xlsx, sum);
	json_decref(sum);
	return rc;
}
