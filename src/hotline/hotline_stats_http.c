/* Hotline statistics routes (docs/api.md "Hotline statistics"): the monthly rankings of handling
 * units, the bulletin (通报) as JSON and as a printable page, the dashboard and its XLSX export.
 * Who sees what: the centre (operators, centre admins) and supervisors everything; a handling unit
 * its own row and rank of the rankings and the bulletin (circulated to every unit); the dashboard
 * is hotline.stats (the route's permission: operators, centre admins, supervisors). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "hotline/hotline_stats.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"

static bool is_centre(const auth_user_t *u)
{
	return u && (auth_has_perm(u, PERM_HOTLINE_OPERATE) || auth_has_perm(u, PERM_HOTLINE_SUPERVISE) ||
		     auth_has_perm(u, PERM_HOTLINE_MANAGE));
}

static bool is_unit(const auth_user_t *u)
{
	return u && auth_has_perm(u, PERM_HOTLINE_HANDLE) && u->dept_id > 0;
}

/* ?month=YYYY-MM (default: this month) as its first and last day. */
static int query_month(http_req_t *req, yw_date_t *from, yw_date_t *to, char month[8])
{
	const char *s = http_query(req, "month");
	int y, m, d;
	if (!s || !*s) {
		date_to_ymd(date_today_local(yw_now()), &y, &m, &d);
	} else {
		bool ok = strlen(s) == 7 && s[4] == '-';
		for (int i = 0; ok && i < 7; i++)
			ok = i == 4 || (s[i] >= '0' && s[i] <= '9');
		y = ok ? atoi(s) : 0;
		m = ok ? atoi(s + 5) : 0;
		if (!ok || m < 1 || m > 12 || y <= DATE_YEAR_MIN || y >= DATE_YEAR_MAX) {
			http_fail_field(req, "month", "月份格式应为 YYYY-MM，如 2026-03");
			return YW_EINVAL;
		}
	}
	*from = date_from_ymd(y, m, 1);
	*to = date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
	snprintf(month, 8, "%04d-%02d", y, m);
	return 0;
}

static json_t *rate_json(double r)
{
	return isnan(r) ? json_null() : json_real(round(r * 10000.0) / 10000.0);
}

/* The kinds of handling units (departments.kind) and their labels. */
static const char *kind_label(const char *kind)
{
	return !kind ? NULL
	       : strcmp(kind, "department") == 0 ? "部门"
	       : strcmp(kind, "district") == 0   ? "区县"
	       : strcmp(kind, "street") == 0     ? "街道乡镇"
	       : strcmp(kind, "enterprise") == 0 ? "企业"
						 : NULL;
}

static json_t *row_json(const hls_unit_row_t *r, json_t *names)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)r->unit);
	json_t *name = json_object_get(names, key);
	json_t *j = json_pack("{s:I, s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "unit_id",
			      (json_int_t)r->unit, "unit_name", name ? json_string_value(name) : "", "rank", r->rank,
			      "received", (json_int_t)r->received, "signed_in_time", (json_int_t)r->signed_in_time,
			      "closed", (json_int_t)r->closed, "on_time", (json_int_t)r->on_time, "called_back",
			      (json_int_t)r->called_back, "satisfied", (json_int_t)r->satisfied, "basic",
			      (json_int_t)r->basic, "dissatisfied", (json_int_t)r->dissatisfied, "solved",
			      (json_int_t)r->solved, "returns", (json_int_t)r->returns, "reopens", (json_int_t)r->reopens);
	json_object_set_new(j, "sign_rate", rate_json(r->sign_rate));
	json_object_set_new(j, "on_time_rate", rate_json(r->on_time_rate));
	json_object_set_new(j, "solved_rate", rate_json(r->solved_rate));
	json_object_set_new(j, "satisfaction_rate", rate_json(r->satisfaction_rate));
	json_object_set_new(j, "score", isnan(r->score) ? json_null() : json_real(round(r->score * 100.0) / 100.0));
	return j;
}

/* The ranked rows of the month as JSON (all, or only the user's unit). */
static int rankings(http_req_t *req, bool only_own, json_t **out, char month[8])
{
	yw_date_t from, to;
	if (query_month(req, &from, &to, month))
		return YW_EINVAL;
	db_t *db = db_thread();
	/* ?kind=: the units of one kind ranked among themselves (a centre ranks like with like) */
	const char *kind = http_query(req, "kind");
	if (kind && *kind && !kind_label(kind)) {
		http_fail_field(req, "kind", "应为 department（部门）、district（区县）、street（街道乡镇）或 enterprise（企业）");
		return http_fail(req, YW_EINVAL, "查询条件有误");
	}
	if (kind && !*kind)
		kind = NULL;
	json_t *names, *kinds;
	int rc = hls_store_unit_names(db, &names);
	if (rc)
		return rc;
	if ((rc = hls_store_unit_kinds(db, &kinds)) != 0) {
		json_decref(names);
		return rc;
	}
	const hls_facts_t *f;
	if ((rc = hls_acquire(db, config_current(), &f)) != 0) {
		json_decref(names);
		json_decref(kinds);
		return rc;
	}
	hls_unit_row_t *rows;
	size_t n;
	int w[HLS_NWEIGHTS];
	hls_weights(config_current(), w);
	rc = hls_rankings(f, from, to, w, &rows, &n);
	hls_release();
	if (rc) {
		json_decref(names);
		json_decref(kinds);
		return rc;
	}
	json_t *a = json_array();
	size_t ranked = 0;
	for (size_t i = 0; i < n; i++) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)rows[i].unit);
		const char *k = json_string_value(json_object_get(kinds, key));
		if (kind && (!k || strcmp(k, kind) != 0))
			continue;
		rows[i].rank = (int)++ranked; /* the rank among the units listed */
		if (only_own && rows[i].unit != req->user->dept_id)
			continue;
		json_t *row = row_json(&rows[i], names);
		json_object_set_new(row, "unit_kind", json_string(k ? k : "department"));
		json_object_set_new(row, "unit_kind_label", json_string(kind_label(k ? k : "department")));
		json_array_append_new(a, row);
	}
	n = ranked;
	free(rows);
	json_decref(names);
	json_decref(kinds);
	char f1[11], t1[11];
	date_format(from, f1);
	date_format(to, t1);
	*out = json_pack("{s:s, s:s, s:s, s:o, s:I, s:o, s:{s:i, s:i, s:i, s:i, s:i}}", "month", month, "from", f1, "to",
			 t1, "kind", kind ? json_string(kind) : json_null(), "units", (json_int_t)n, "rows", a, "weights", "sign_rate", w[HLS_W_SIGN], "on_time_rate",
			 w[HLS_W_ON_TIME], "solved_rate", w[HLS_W_SOLVED], "satisfaction_rate", w[HLS_W_SATISFACTION],
			 "clean_rate", w[HLS_W_CLEAN]);
	return 0;
}

int h_hotline_rankings(http_req_t *req)
{
	bool centre = is_centre(req->user);
	if (!centre && !is_unit(req->user))
		return http_fail(req, YW_EFORBIDDEN, "仅12345中心、督查人员和承办单位可查看排名");
	json_t *out;
	char month[8];
	int rc = rankings(req, !centre, &out, month);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* The bulletin: units with at least min_orders received, the best and the worst `count`. */
static int bulletin(http_req_t *req, json_t **out)
{
	int64_t min, count;
	if (http_query_int(req, "min_orders", 1, 1000000, 10, &min) | http_query_int(req, "count", 1, 20, 3, &count))
		return YW_EINVAL;
	json_t *r;
	char month[8];
	int rc = rankings(req, false, &r, month);
	if (rc)
		return rc;
	json_t *eligible = json_array(), *row;
	size_t i;
	int64_t received = 0, closed = 0, on_time = 0, cb = 0, sat = 0;
	json_array_foreach(json_object_get(r, "rows"), i, row) {
		received += json_integer_value(json_object_get(row, "received"));
		closed += json_integer_value(json_object_get(row, "closed"));
		on_time += json_integer_value(json_object_get(row, "on_time"));
		cb += json_integer_value(json_object_get(row, "called_back"));
		sat += json_integer_value(json_object_get(row, "satisfied")) + json_integer_value(json_object_get(row, "basic"));
		if (json_integer_value(json_object_get(row, "received")) >= min &&
		    json_is_number(json_object_get(row, "score")))
			json_array_append(eligible, row);
	}
	size_t n = json_array_size(eligible), k = (size_t)count;
	if (k > n / 2)
		k = n / 2; /* the best and the worst never name the same unit */
	if (n == 1)
		k = 0;
	json_t *best = json_array(), *worst = json_array();
	for (size_t j = 0; j < k; j++) {
		json_array_append(best, json_array_get(eligible, j));
		json_array_append(worst, json_array_get(eligible, n - 1 - j));
	}
	*out = json_pack("{s:O, s:O, s:O, s:O, s:I, s:I, s:o, s:o, s:{s:I, s:I, s:o, s:I, s:o}}", "month",
			 json_object_get(r, "month"), "from", json_object_get(r, "from"), "to", json_object_get(r, "to"), "kind",
			 json_object_get(r, "kind"),
			 "min_orders", (json_int_t)min, "ranked_units", (json_int_t)n, "best", best, "worst", worst, "city",
			 "received", (json_int_t)received, "closed", (json_int_t)closed, "on_time_rate",
			 closed ? json_real((double)on_time / (double)closed) : json_null(), "called_back", (json_int_t)cb,
			 "satisfaction_rate", cb ? json_real((double)sat / (double)cb) : json_null());
	json_decref(eligible);
	json_decref(r);
	return 0;
}

int h_hotline_bulletin(http_req_t *req)
{
	if (!is_centre(req->user) && !is_unit(req->user))
		return http_fail(req, YW_EFORBIDDEN, "仅12345中心、督查人员和承办单位可查看通报");
	json_t *out;
	int rc = bulletin(req, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static void html_text(FILE *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '&': fputs("&amp;", o); break;
		case '"': fputs("&quot;", o); break;
		case '\'': fputs("&#39;", o); break;
		default: fputc(*s, o);
		}
	}
}

static void html_pct(FILE *o, json_t *v)
{
	if (json_is_number(v))
		fprintf(o, "%.1f%%", json_number_value(v) * 100.0);
	else
		fputs("—", o);
}

static void html_table(FILE *o, const char *caption, json_t *rows)
{
	fprintf(o, "<h2>%s</h2>\n", caption);
	if (!json_array_size(rows)) {
		fputs("<p>本月无符合条件的单位。</p>\n", o);
		return;
	}
	fputs("<table><thead><tr><th>名次</th><th>承办单位</th><th>类别</th><th>派件量</th><th>签收率</th><th>按时办结率</th>"
	      "<th>解决率</th><th>满意率</th><th>退单</th><th>重办</th><th>综合得分</th></tr></thead><tbody>\n",
	      o);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		fprintf(o, "<tr><td>%d</td><td class=\"name\">", (int)json_integer_value(json_object_get(r, "rank")));
		html_text(o, json_string_value(json_object_get(r, "unit_name")));
		fputs("</td><td>", o);
		html_text(o, json_string_value(json_object_get(r, "unit_kind_label")));
		fprintf(o, "</td><td>%lld</td><td>", (long long)json_integer_value(json_object_get(r, "received")));
		html_pct(o, json_object_get(r, "sign_rate"));
		fputs("</td><td>", o);
		html_pct(o, json_object_get(r, "on_time_rate"));
		fputs("</td><td>", o);
		html_pct(o, json_object_get(r, "solved_rate"));
		fputs("</td><td>", o);
		html_pct(o, json_object_get(r, "satisfaction_rate"));
		fprintf(o, "</td><td>%lld</td><td>%lld</td><td>%.2f</td></tr>\n",
			(long long)json_integer_value(json_object_get(r, "returns")),
			(long long)json_integer_value(json_object_get(r, "reopens")),
			json_number_value(json_object_get(r, "score")));
	}
	fputs("</tbody></table>\n", o);
}

/* The bulletin as a page to print on A4: no script, no outside resource. */
int h_hotline_bulletin_html(http_req_t *req)
{
	if (!is_centre(req->user) && !is_unit(req->user))
		return http_fail(req, YW_EFORBIDDEN, "仅12345中心、督查人员和承办单位可查看通报");
	json_t *b;
	int rc = bulletin(req, &b);
	if (rc)
		return rc;
	char *html = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&html, &len);
	if (!o) {
		json_decref(b);
		return YW_EIO;
	}
	const char *month = json_string_value(json_object_get(b, "month"));
	json_t *city = json_object_get(b, "city");
	fprintf(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		   "<title>12345热线承办单位工作情况通报（%s）</title>\n<style>\n"
		   "@page { size: A4; margin: 20mm 18mm; }\n"
		   "body { font-family: \"FangSong\", \"STFangsong\", \"SimSun\", serif; font-size: 12pt; color: #000; "
		   "max-width: 180mm; margin: 0 auto; }\n"
		   "h1 { font-family: \"SimHei\", \"Heiti SC\", sans-serif; font-size: 20pt; text-align: center; "
		   "margin: 0 0 4mm; }\n"
		   ".sub { text-align: center; margin-bottom: 8mm; }\n"
		   "h2 { font-family: \"SimHei\", sans-serif; font-size: 14pt; margin: 6mm 0 2mm; }\n"
		   "table { width: 100%%; border-collapse: collapse; page-break-inside: avoid; font-size: 10.5pt; }\n"
		   "th, td { border: 1px solid #000; padding: 1.5mm 1mm; text-align: center; }\n"
		   "td.name { text-align: left; }\n"
		   ".note { font-size: 10pt; margin-top: 6mm; }\n"
		   "@media screen { body { padding: 10mm; } }\n"
		   "</style></head><body>\n",
		month);
	fprintf(o, "<h1>12345热线承办单位工作情况通报</h1>\n<p class=\"sub\">%s（%s 至 %s）</p>\n", month,
		json_string_value(json_object_get(b, "from")), json_string_value(json_object_get(b, "to")));
	fprintf(o, "<p>本月各承办单位共接收派件 %lld 件，办结 %lld 件，按时办结率 ",
		(long long)json_integer_value(json_object_get(city, "received")),
		(long long)json_integer_value(json_object_get(city, "closed")));
	html_pct(o, json_object_get(city, "on_time_rate"));
	fprintf(o, "；回访 %lld 件，满意率 ", (long long)json_integer_value(json_object_get(city, "called_back")));
	html_pct(o, json_object_get(city, "satisfaction_rate"));
	fprintf(o, "。参与排名单位 %lld 个（本月派件不少于 %lld 件）。现将综合得分前列和后列的单位通报如下。</p>\n",
		(long long)json_integer_value(json_object_get(b, "ranked_units")),
		(long long)json_integer_value(json_object_get(b, "min_orders")));
	html_table(o, "一、表现较好的单位", json_object_get(b, "best"));
	html_table(o, "二、表现较差的单位", json_object_get(b, "worst"));
	int w[HLS_NWEIGHTS];
	hls_weights(config_current(), w);
	fprintf(o,
		"<p class=\"note\">说明：综合得分按签收率%d%%、按时办结率%d%%、解决率%d%%、满意率%d%%、无退单重办率%d%%加权计算，"
		"无相应数据的指标不计入权重。退单仅计经中心审核不成立的退单；满意率为满意与基本满意之和占回访数的比例。</p>\n"
		"</body></html>\n",
		w[HLS_W_SIGN], w[HLS_W_ON_TIME], w[HLS_W_SOLVED], w[HLS_W_SATISFACTION], w[HLS_W_CLEAN]);
	fclose(o);
	json_decref(b);
	http_reply_bytes(req, 200, "text/html; charset=utf-8", html, len);
	free(html);
	return 0;
}

/* ?from=&to= (default: the last 30 days to today), at most 366 days. */
static int query_range(http_req_t *req, yw_date_t *from, yw_date_t *to)
{
	yw_date_t today = date_today_local(yw_now());
	const char *f = http_query(req, "from"), *t = http_query(req, "to");
	int bad = 0;
	*to = today;
	*from = today - 29;
	if (t && *t && date_parse(t, strlen(t), to) != 0) {
		http_fail_field(req, "to", "日期格式应为 YYYY-MM-DD");
		bad = 1;
	}
	if (f && *f && date_parse(f, strlen(f), from) != 0) {
		http_fail_field(req, "from", "日期格式应为 YYYY-MM-DD");
		bad = 1;
	} else if (!(f && *f) && !bad) {
		*from = *to - 29;
	}
	if (bad)
		return YW_EINVAL;
	if (*to < *from) {
		http_fail_field(req, "to", "结束日期不能早于开始日期");
		return YW_EINVAL;
	}
	if (*to - *from > 365) {
		http_fail_field(req, "to", "统计区间不能超过366天");
		return YW_EINVAL;
	}
	return 0;
}

static int dashboard(http_req_t *req, json_t **out)
{
	yw_date_t from, to;
	if (query_range(req, &from, &to))
		return YW_EINVAL;
	db_t *db = db_thread();
	hls_matter_t *matters = NULL;
	size_t nm = 0;
	json_t *regions;
	int rc = hls_store_matters(db, &matters, &nm);
	if (rc)
		return rc;
	if ((rc = hls_store_region_names(db, &regions)) != 0) {
		free(matters);
		return rc;
	}
	const hls_facts_t *f;
	if ((rc = hls_acquire(db, config_current(), &f)) != 0) {
		free(matters);
		json_decref(regions);
		return rc;
	}
	json_t *d = hls_dashboard(f, from, to, matters, nm);
	json_object_set_new(d, "hot_topics", hls_hot_topics(f, to, 5, 10));
	hls_release();
	free(matters);
	/* district names */
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(d, "by_district"), i, row) {
		json_t *n = json_object_get(regions, json_string_value(json_object_get(row, "district")) ?: "");
		json_object_set_new(row, "name", n ? json_incref(n) : json_string("未填写区域"));
	}
	json_array_foreach(json_object_get(json_object_get(d, "heat"), "rows"), i, row) {
		json_t *n = json_object_get(regions, json_string_value(json_object_get(row, "district")) ?: "");
		json_object_set_new(row, "name", n ? json_incref(n) : json_string("未填写区域"));
	}
	json_decref(regions);
	char f1[11], t1[11];
	date_format(from, f1);
	date_format(to, t1);
	json_object_set_new(d, "from", json_string(f1));
	json_object_set_new(d, "to", json_string(t1));
	*out = d;
	return 0;
}

int h_hotline_dashboard(http_req_t *req)
{
	json_t *out;
	int rc = dashboard(req, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static const char *channel_zh(const char *c)
{
	static const char *const zh[] = {NULL, "电话", "市长信箱", "网上留言", "微信", "人民网留言", "媒体", "Open311"};
	for (int i = 1; i < 8; i++)
		if (strcmp(hls_channels[i], c) == 0)
			return zh[i];
	return c;
}

static const char *category_zh(const char *c)
{
	static const char *const zh[] = {NULL, "咨询", "求助", "投诉", "举报", "建议", "表扬"};
	for (int i = 1; i < 7; i++)
		if (strcmp(hls_categories[i], c) == 0)
			return zh[i];
	return c;
}

static void sheet_counts(lxw_workbook *wb, lxw_format *head, const char *title, const char *col, json_t *rows,
			 const char *(*label)(json_t *row))
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, title);
	worksheet_write_string(ws, 0, 0, col, head);
	worksheet_write_string(ws, 0, 1, "工单量", head);
	worksheet_set_column(ws, 0, 0, 28, NULL);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r) {
		worksheet_write_string(ws, (lxw_row_t)i + 1, 0, label(r), NULL);
		worksheet_write_number(ws, (lxw_row_t)i + 1, 1, (double)json_integer_value(json_object_get(r, "count")),
				       NULL);
	}
}

static const char *lbl_channel(json_t *r)
{
	return channel_zh(json_string_value(json_object_get(r, "channel")));
}
static const char *lbl_category(json_t *r)
{
	return category_zh(json_string_value(json_object_get(r, "category")));
}
static const char *lbl_matter(json_t *r)
{
	return json_string_value(json_object_get(json_object_get(r, "matter"), "name"));
}
static const char *lbl_name(json_t *r)
{
	return json_string_value(json_object_get(r, "name"));
}
static const char *lbl_day(json_t *r)
{
	return json_string_value(json_object_get(r, "day"));
}
static const char *lbl_week(json_t *r)
{
	return json_string_value(json_object_get(r, "week_start"));
}

int hls_write_dashboard_xlsx(const char *path, json_t *d)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return YW_EIO;
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	sheet_counts(wb, head, "渠道", "渠道", json_object_get(d, "by_channel"), lbl_channel);
	sheet_counts(wb, head, "类别", "诉求类别", json_object_get(d, "by_category"), lbl_category);
	sheet_counts(wb, head, "事项大类", "事项分类（一级）", json_object_get(d, "by_matter_top"), lbl_matter);
	sheet_counts(wb, head, "事项小类", "事项分类", json_object_get(d, "by_matter_leaf"), lbl_matter);
	sheet_counts(wb, head, "区域", "区域", json_object_get(d, "by_district"), lbl_name);
	/* heat table */
	lxw_worksheet *ws = workbook_add_worksheet(wb, "区域×事项");
	json_t *heat = json_object_get(d, "heat"), *m, *r;
	size_t i, j;
	worksheet_write_string(ws, 0, 0, "区域", head);
	worksheet_set_column(ws, 0, 0, 20, NULL);
	json_array_foreach(json_object_get(heat, "matters"), j, m)
		worksheet_write_string(ws, 0, (lxw_col_t)j + 1, json_string_value(json_object_get(m, "name")), head);
	json_array_foreach(json_object_get(heat, "rows"), i, r) {
		worksheet_write_string(ws, (lxw_row_t)i + 1, 0, json_string_value(json_object_get(r, "name")), NULL);
		json_t *c;
		json_array_foreach(json_object_get(r, "counts"), j, c)
			worksheet_write_number(ws, (lxw_row_t)i + 1, (lxw_col_t)j + 1, (double)json_integer_value(c), NULL);
	}
	json_t *trend = json_object_get(d, "trend");
	sheet_counts(wb, head, "日趋势", "日期", json_object_get(trend, "by_day"), lbl_day);
	sheet_counts(wb, head, "周趋势", "周起始日", json_object_get(trend, "by_week"), lbl_week);
	ws = workbook_add_worksheet(wb, "本周热点");
	worksheet_write_string(ws, 0, 0, "热词", head);
	worksheet_write_string(ws, 0, 1, "本周工单", head);
	worksheet_write_string(ws, 0, 2, "前四周周均", head);
	worksheet_write_string(ws, 0, 3, "上升强度", head);
	json_array_foreach(json_object_get(d, "hot_topics"), i, r) {
		worksheet_write_string(ws, (lxw_row_t)i + 1, 0, json_string_value(json_object_get(r, "term")), NULL);
		worksheet_write_number(ws, (lxw_row_t)i + 1, 1, (double)json_integer_value(json_object_get(r, "week")), NULL);
		worksheet_write_number(ws, (lxw_row_t)i + 1, 2,
				       json_number_value(json_object_get(r, "weekly_mean_before")), NULL);
		worksheet_write_number(ws, (lxw_row_t)i + 1, 3, json_number_value(json_object_get(r, "score")), NULL);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : YW_EIO;
}

static int write_xlsx(const char *path, void *arg)
{
	return hls_write_dashboard_xlsx(path, arg);
}

int h_hotline_dashboard_xlsx(http_req_t *req)
{
	json_t *d;
	int rc = dashboard(req, &d);
	if (rc)
		return rc;
	rc = http_reply_xlsx(req, "hotline-dashboard.xlsx", write_xlsx, d);
	json_decref(d);
	return rc;
}
