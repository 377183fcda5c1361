/* The monthly report (月度工作情况报告) in the style of a centre's report to the city (seed 001:
 * "11月，中心共受理各类政务服务事项12998件，办结12712件，办结率97.8%，群众满意率99.9%"): the month's
 * figures, the year to date, the change on the previous month and on the same month a year
 * earlier, the departments, items, windows and staff stationed, electronic supervision and
 * 好差评, each paragraph with its numbers filled in from the data. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "stats/stats.h"

typedef struct report {
	int year, month;
	stats_counts_t cur, ytd, prev, last_year;
	stats_stationed_t stationed;
} report_t;

static int sum_period(const stats_facts_t *f, const stats_query_t *base, yw_date_t from, yw_date_t to, stats_counts_t *out)
{
	stats_query_t q = *base;
	q.from = from;
	q.to = to;
	q.by = STATS_BY_NONE;
	stats_result_t r;
	int rc = stats_aggregate(f, &q, &r);
	if (!rc)
		*out = r.total;
	stats_result_free(&r);
	return rc;
}

static yw_date_t month_end(int y, int m)
{
	return date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
}

static int figures(const stats_query_t *q, report_t *r)
{
	const stats_facts_t *f;
	int rc = stats_acquire(db_thread(), &f);
	if (rc)
		return rc;
	int py = r->month == 1 ? r->year - 1 : r->year, pm = r->month == 1 ? 12 : r->month - 1;
	rc = sum_period(f, q, date_from_ymd(r->year, r->month, 1), month_end(r->year, r->month), &r->cur);
	rc = rc ? rc : sum_period(f, q, date_from_ymd(r->year, 1, 1), month_end(r->year, r->month), &r->ytd);
	rc = rc ? rc : sum_period(f, q, date_from_ymd(py, pm, 1), month_end(py, pm), &r->prev);
	rc = rc ? rc : sum_period(f, q, date_from_ymd(r->year - 1, r->month, 1), month_end(r->year - 1, r->month),
				  &r->last_year);
	stats_release();
	return rc;
}

static const char *pct(char *buf, double rate)
{
	if (isnan(rate))
		return "—";
	snprintf(buf, 16, "%.1f%%", rate * 100);
	return buf;
}

/* "上升3.2%" / "下降1.0%" / "持平" against an earlier figure; "—" without one. */
static const char *change(char *buf, int64_t now, int64_t before)
{
	if (before <= 0)
		return "—（无可比数据）";
	double d = ((double)now - (double)before) / (double)before * 100;
	if (fabs(d) < 0.05)
		return "持平";
	snprintf(buf, 32, "%s%.1f%%", d > 0 ? "上升" : "下降", fabs(d));
	return buf;
}

static json_t *para(const char *title, json_t *text)
{
	return json_pack("{s:s, s:o}", "title", title, "text", text);
}

static json_t *sections(const report_t *r)
{
	stats_metrics_t m, y;
	stats_metrics(&r->cur, &m);
	stats_metrics(&r->ytd, &y);
	char a[16], b[16], c[16], d[16], e[16], g1[32], g2[32];
	json_t *out = json_array();
	json_array_append_new(
		out, para("一、办件情况",
			  json_sprintf("%d年%d月，中心共受理各类政务服务事项%lld件，办结%lld件，办结率%s，按时办结率%s，"
				       "提前办结率%s，群众满意率%s。受理量环比%s，同比%s。",
				       r->year, r->month, (long long)r->cur.received, (long long)r->cur.completed,
				       pct(a, m.completion_rate), pct(b, m.on_time_rate), pct(c, m.early_rate),
				       pct(d, m.satisfaction_rate), change(g1, r->cur.received, r->prev.received),
				       change(g2, r->cur.received, r->last_year.received))));
	json_array_append_new(
		out, para("二、职能进驻",
			  json_sprintf("截至%d年%d月底，共进驻部门%lld个，进驻事项%lld项，设置办事窗口%lld个、"
				       "工作人员%lld人，企业和群众可一站式办理相关的行政审批、公共服务事项。",
				       r->year, r->month, (long long)r->stationed.depts, (long long)r->stationed.items,
				       (long long)r->stationed.windows, (long long)r->stationed.staff)));
	char avg[16];
	if (isnan(m.avg_handling_days))
		snprintf(avg, sizeof avg, "—");
	else
		snprintf(avg, sizeof avg, "%.1f", m.avg_handling_days);
	json_array_append_new(
		out, para("三、改革成效",
			  json_sprintf("%d月即办件办事量占办结总量的%s，网上申报占受理总量的%s，“最多跑一次”办件占%s，"
				       "平均办理时长%s个工作日。%d年1-%d月累计受理%lld件，办结%lld件，办结率%s，"
				       "按时办结率%s。",
				       r->month, pct(a, m.instant_share), pct(b, m.online_share), pct(c, m.zuiduo_rate),
				       avg, r->year, r->month, (long long)r->ytd.received, (long long)r->ytd.completed,
				       pct(d, y.completion_rate), pct(e, y.on_time_rate))));
	const stats_counts_t *k = &r->cur;
	json_t *cards = k->cards[2] || k->cards[3]
				? json_sprintf("电子监察发出预警%lld次、黄牌%lld张、红牌%lld张，超期办件%lld件。",
					       (long long)k->cards[1], (long long)k->cards[2], (long long)k->cards[3],
					       (long long)m.overdue)
				: json_sprintf("电子监察发出预警%lld次，未发生红黄牌，超期办件%lld件。", (long long)k->cards[1],
					       (long long)m.overdue);
	json_t *text = json_sprintf("%d月共收到办事评价%lld条，满意率%s；差评%lld条，经核实属实%lld条，已整改%lld条，整改率%s。%s",
				    r->month, (long long)k->reviews, pct(a, m.satisfaction_rate), (long long)k->bad,
				    (long long)k->genuine_bad, (long long)k->rectified, pct(b, m.rectification_rate),
				    json_string_value(cards));
	json_decref(cards);
	json_array_append_new(out, para("四、电子监察与好差评", text));
	return out;
}

/* Departments of the month, largest first. */
static int dept_rows(const stats_query_t *base, const report_t *r, json_t **out)
{
	stats_query_t q = *base;
	q.from = date_from_ymd(r->year, r->month, 1);
	q.to = month_end(r->year, r->month);
	q.by = STATS_BY_DEPT;
	const stats_facts_t *f;
	int rc = stats_acquire(db_thread(), &f);
	if (rc)
		return rc;
	stats_result_t res;
	rc = stats_aggregate(f, &q, &res);
	stats_release();
	if (rc)
		return rc;
	/* insertion sort by received: a few dozen departments */
	for (size_t i = 1; i < res.n; i++)
		for (size_t j = i; j > 0 && res.rows[j].received > res.rows[j - 1].received; j--) {
			stats_counts_t t = res.rows[j];
			int64_t key = res.keys[j];
			res.rows[j] = res.rows[j - 1];
			res.keys[j] = res.keys[j - 1];
			res.rows[j - 1] = t;
			res.keys[j - 1] = key;
		}
	json_t *rows = json_array();
	db_t *db = db_thread();
	for (size_t i = 0; i < res.n; i++) {
		json_t *name;
		if ((rc = stats_dim_name(db, STATS_BY_DEPT, res.keys[i], &name)) == YW_ENOTFOUND) {
			name = json_string("");
			rc = 0;
		}
		if (rc)
			break;
		json_t *o = stats_counts_json(&res.rows[i]);
		json_object_set_new(o, "dept", name);
		json_array_append_new(rows, o);
	}
	stats_result_free(&res);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = rows;
	return 0;
}

/* month=YYYY-MM, strictly. */
static int parse_month(http_req_t *req, report_t *r)
{
	const char *v = http_query(req, "month");
	char day[11];
	yw_date_t d;
	if (!v || strlen(v) != 7 || (snprintf(day, sizeof day, "%s-01", v), date_parse(day, 10, &d)) != 0) {
		http_fail_field(req, "month", "应为月份 YYYY-MM");
		return YW_EINVAL;
	}
	int dd;
	date_to_ymd(d, &r->year, &r->month, &dd);
	if (r->year <= DATE_YEAR_MIN) {
		http_fail_field(req, "month", "月份超出范围");
		return YW_EINVAL;
	}
	return 0;
}

int h_stats_report(http_req_t *req)
{
	report_t r = {0};
	int rc = parse_month(req, &r);
	if (rc)
		return rc;
	stats_query_t q = {.today = date_today_local((int64_t)yw_now())};
	json_t *depts;
	if ((rc = stats_scope(req, &q)) != 0 || (rc = figures(&q, &r)) != 0 || (rc = dept_rows(&q, &r, &depts)) != 0)
		return rc;
	if ((rc = stats_stationed(db_thread(), req->user, &q, &r.stationed)) != 0) {
		json_decref(depts);
		return rc;
	}
	char from[11], to[11];
	date_format(date_from_ymd(r.year, r.month, 1), from);
	date_format(month_end(r.year, r.month), to);
	json_t *out = json_pack("{s:o, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o, s:o, s:o}", "month",
				json_sprintf("%04d-%02d", r.year, r.month), "from", from, "to", to, "title",
				json_sprintf("%d年%d月政务服务工作情况报告", r.year, r.month), "stationed",
				"departments", (json_int_t)r.stationed.depts, "items", (json_int_t)r.stationed.items,
				"windows", (json_int_t)r.stationed.windows, "staff", (json_int_t)r.stationed.staff,
				"current", stats_counts_json(&r.cur), "year_to_date", stats_counts_json(&r.ytd),
				"previous_month", stats_counts_json(&r.prev), "same_month_last_year",
				stats_counts_json(&r.last_year), "by_dept", depts, "sections", sections(&r));
	/* The month's last audit record as a checkpoint (审计检查点): printed in the report, it is kept
	 * outside the database, and `yiwang audit verify --checkpoint` later proves that the
	 * history up to it was not rewritten (docs/operations.md). Month ends at local midnight. */
	audit_checkpoint_t cp;
	int64_t month_over = ((int64_t)month_end(r.year, r.month) + 1) * 86400 - 8 * 3600;
	if ((rc = audit_checkpoint_at(db_thread(), month_over, &cp)) == 0)
		json_object_set_new(out, "audit_checkpoint", json_sprintf("%lld %s", (long long)cp.seq, cp.hash));
	else if (rc == YW_ENOTFOUND)
		json_object_set_new(out, "audit_checkpoint", json_null());
	else {
		json_decref(out);
		return rc;
	}
	http_reply_json(req, 200, out);
	return 0;
}
