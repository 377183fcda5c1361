/* The annual report's figures and cross-checks (国办公开办函〔2021〕30号; docs/domain.md, "The annual
 * report"). Year semantics, for the year [S, E]:
 * - 一 本年新收: received in [S, E];
 * - 二 上年结转: received before S and not replied to before S;
 * - 三 办理结果: replied to in [S, E], in the row of its result;
 * - 四 结转下年度: received by E and not replied to by E.
 * So 一 + 二 = 三(七) + 四 holds for any consistent records; a reply dated before its receipt breaks it,
 * and the records check says so. Table 四 counts the reconsiderations and suits filed in the year, each
 * with its outcome as it stood at E (尚未审结 if not closed by then), as the template's "本年度" reads;
 * a case filed earlier and closed this year was reported last year as 尚未审结 and is not counted again.
 * 本年废止件数 counts the 规章 and 行政规范性文件 whose validity ended in the year, repealed (废止) or
 * declared lapsed (失效), so that 上年末现行有效 + 本年制发 − 本年废止 = 现行有效. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "disclosure/disclosure_codes.h"
#include "disclosure/disclosure_report.h"
#include "platform/arena.h"
#include "platform/err.h"

/* The codes and labels are the disclosure module's (disclosure_codes.h, the contract with its tables
 * and API); the report's enums take their values from it. */
#define CODE3_(e, c, l) c,
#define LABEL3_(e, c, l) l,
#define CODE4_(e, c, l, g) c,
#define LABEL4_(e, c, l, g) l,
static const char *const applicant_codes[] = {DISC_APPLICANT_TYPES(CODE3_)};
static const char *const applicant_labels[] = {DISC_APPLICANT_TYPES(LABEL3_)};
static const char *const result_codes[] = {DISC_RESULTS(CODE4_)};
static const char *const result_labels[] = {DISC_RESULTS(LABEL4_)};
static const char *const stage_codes[] = {DISC_REMEDY_STAGES(CODE3_)};
static const char *const stage_labels[] = {DISC_REMEDY_STAGES(LABEL3_)};
static const char *const outcome_codes[] = {DISC_REMEDY_RESULTS(CODE3_)};
static const char *const outcome_labels[] = {DISC_REMEDY_RESULTS(LABEL3_)};
static const char *const doc_kind_codes[] = {DISC_DOC_KINDS(CODE3_)};
static const char *const doc_kind_labels[2] = {"规章", "行政规范性文件"};
static const char *const validity_codes[] = {DISC_VALIDITIES(CODE3_)};

/* The template's (一)…(六): a single row, or a heading over numbered sub-rows. Keys are unique over the
 * whole of table 三 (rows are found by key at any depth), so (六) is "other_handling", not the group code
 * "other" that its sub-row (六)3 其他 already uses. */
typedef struct result_group {
	const char *key, *no, *label, *brief; /* brief: the narrative's word for it */
	int first, count;
} result_group_t;
static const result_group_t groups[] = {
	{"public", "（一）", "予以公开", "予以公开", DREP_PUBLIC, 1},
	{"partial", "（二）", "部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开", DREP_PARTIAL, 1},
	{"deny", "（三）", "不予公开", "不予公开", DREP_DENY_STATE_SECRET, 8},
	{"unable", "（四）", "无法提供", "无法提供", DREP_UNABLE_NOT_HELD, 3},
	{"reject", "（五）", "不予处理", "不予处理", DREP_REJECT_PETITION, 5},
	{"other_handling", "（六）", "其他处理", "其他处理", DREP_OTHER_NO_CORRECTION, 3},
};
#define N_GROUPS (sizeof groups / sizeof groups[0])

static int find_code(const char *const *codes, int n, const char *code)
{
	if (!code)
		return -1;
	for (int i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

int drep_applicant_from_code(const char *code)
{
	return find_code(applicant_codes, DREP_APPLICANT_N, code);
}
int drep_result_from_code(const char *code)
{
	return find_code(result_codes, DREP_RESULT_N, code);
}
int drep_stage_from_code(const char *code)
{
	return find_code(stage_codes, DREP_STAGE_N, code);
}
int drep_outcome_from_code(const char *code)
{
	return find_code(outcome_codes, DREP_OUTCOME_N, code);
}
int drep_doc_kind_from_code(const char *code)
{
	return find_code(doc_kind_codes, DREP_DOC_KIND_N, code);
}
int drep_validity_from_code(const char *code)
{
	return find_code(validity_codes, DREP_VALIDITY_N, code);
}
const char *drep_applicant_code(int v)
{
	return v >= 0 && v < DREP_APPLICANT_N ? applicant_codes[v] : NULL;
}
const char *drep_result_code(int v)
{
	return v >= 0 && v < DREP_RESULT_N ? result_codes[v] : NULL;
}

drep_prev_t drep_prev_unknown(void)
{
	drep_prev_t p;
	for (int c = 0; c < DREP_COLUMNS; c++)
		p.received[c] = p.carried_out[c] = -1;
	p.in_force[0] = p.in_force[1] = -1;
	p.published = p.remedies = -1;
	return p;
}

/* ---- counting ---- */

typedef struct tally {
	int64_t received[DREP_COLUMNS], carried_in[DREP_COLUMNS], carried_out[DREP_COLUMNS];
	int64_t result[DREP_RESULT_N][DREP_COLUMNS], decided[DREP_COLUMNS];
	int64_t late;
	int64_t made[2], ended[2], expired[2], in_force[2], in_force_before[2], published;
	int64_t remedy[DREP_STAGE_N][DREP_OUTCOME_N + 1];
	int64_t bad_request_dates, bad_remedy_dates, bad_doc_dates;
} tally_t;

static void count(const drep_input_t *in, int year, tally_t *t)
{
	memset(t, 0, sizeof *t);
	const yw_date_t s = date_from_ymd(year, 1, 1), e = date_from_ymd(year, 12, 31);
	for (size_t i = 0; i < in->n_requests; i++) {
		const drep_request_t *r = &in->requests[i];
		const bool open_at_s = r->decided == DREP_NO_DATE || r->decided >= s;
		const bool open_at_e = r->decided == DREP_NO_DATE || r->decided > e;
		const int a = r->applicant;
		if (r->decided != DREP_NO_DATE && r->decided < r->received)
			t->bad_request_dates++;
		if (r->received > e)
			continue;
		if (r->received >= s)
			t->received[a]++;
		else if (open_at_s)
			t->carried_in[a]++;
		if (open_at_e)
			t->carried_out[a]++;
		else if (r->decided >= s) {
			t->result[r->result][a]++;
			t->decided[a]++;
			t->late += r->late != 0;
		}
	}
	for (int c = 0; c < DREP_APPLICANT_N; c++) {
		t->received[DREP_APPLICANT_N] += t->received[c];
		t->carried_in[DREP_APPLICANT_N] += t->carried_in[c];
		t->carried_out[DREP_APPLICANT_N] += t->carried_out[c];
		t->decided[DREP_APPLICANT_N] += t->decided[c];
		for (int k = 0; k < DREP_RESULT_N; k++)
			t->result[k][DREP_APPLICANT_N] += t->result[k][c];
	}
	for (size_t i = 0; i < in->n_documents; i++) {
		const drep_document_t *d = &in->documents[i];
		if ((d->ended != DREP_NO_DATE && d->ended < d->made) || (d->ended != DREP_NO_DATE) != (d->validity != DREP_VALID))
			t->bad_doc_dates++;
		/* marked 失效 or 废止 without its day: taken as ended the day it was made (never in force), so
		 * the in-force identity still holds; the records check asks for the day */
		const yw_date_t end = d->ended != DREP_NO_DATE || d->validity == DREP_VALID ? d->ended : d->made;
		const bool ended = end != DREP_NO_DATE;
		if (d->published >= s && d->published <= e)
			t->published++;
		if (d->kind >= 2)
			continue;
		const int k = d->kind;
		t->made[k] += d->made >= s && d->made <= e;
		if (ended && end >= s && end <= e) {
			t->ended[k]++;
			t->expired[k] += d->validity == DREP_EXPIRED;
		}
		t->in_force[k] += d->made <= e && (!ended || end > e);
		t->in_force_before[k] += d->made < s && (!ended || end >= s);
	}
	for (size_t i = 0; i < in->n_remedies; i++) {
		const drep_remedy_t *m = &in->remedies[i];
		if (m->closed != DREP_NO_DATE && m->closed < m->filed)
			t->bad_remedy_dates++;
		if (m->filed < s || m->filed > e)
			continue;
		const bool pending = m->outcome == DREP_PENDING || (m->closed != DREP_NO_DATE && m->closed > e);
		t->remedy[m->stage][pending ? DREP_PENDING : m->outcome]++;
		t->remedy[m->stage][DREP_OUTCOME_N]++;
	}
}

static int validate(const drep_input_t *in)
{
	if (in->year <= DATE_YEAR_MIN || in->year >= DATE_YEAR_MAX)
		return YW_EINVAL;
	for (size_t i = 0; i < in->n_requests; i++)
		if (in->requests[i].applicant >= DREP_APPLICANT_N ||
		    (in->requests[i].decided != DREP_NO_DATE && in->requests[i].result >= DREP_RESULT_N))
			return YW_EINVAL;
	for (size_t i = 0; i < in->n_documents; i++)
		if (in->documents[i].kind >= DREP_DOC_KIND_N || in->documents[i].validity >= DREP_VALIDITY_N)
			return YW_EINVAL;
	for (size_t i = 0; i < in->n_remedies; i++)
		if (in->remedies[i].stage >= DREP_STAGE_N || in->remedies[i].outcome >= DREP_OUTCOME_N)
			return YW_EINVAL;
	return 0;
}

void drep_prev_compute(const drep_input_t *in, drep_prev_t *out)
{
	*out = drep_prev_unknown();
	if (validate(in) || in->year - 1 <= DATE_YEAR_MIN)
		return;
	tally_t *t = xmalloc(sizeof *t);
	count(in, in->year - 1, t);
	memcpy(out->received, t->received, sizeof out->received);
	memcpy(out->carried_out, t->carried_out, sizeof out->carried_out);
	out->in_force[0] = t->in_force[0];
	out->in_force[1] = t->in_force[1];
	out->published = t->published;
	out->remedies = 0;
	for (int g = 0; g < DREP_STAGE_N; g++)
		out->remedies += t->remedy[g][DREP_OUTCOME_N];
	free(t);
}

/* ---- the tables as JSON ---- */

static json_t *columns3(void)
{
	json_t *a = json_array();
	for (int c = 0; c < DREP_APPLICANT_N; c++)
		json_array_append_new(a, c == DREP_PERSON ? json_pack("{s:s, s:s}", "key", applicant_codes[c], "label",
								      applicant_labels[c])
							  : json_pack("{s:s, s:s, s:s}", "key", applicant_codes[c], "label",
								      applicant_labels[c], "group", "法人或其他组织"));
	json_array_append_new(a, json_pack("{s:s, s:s}", "key", "total", "label", "总计"));
	return a;
}

static json_t *values3(const int64_t v[DREP_COLUMNS])
{
	json_t *o = json_object();
	for (int c = 0; c < DREP_APPLICANT_N; c++)
		json_object_set_new(o, applicant_codes[c], json_integer(v[c]));
	json_object_set_new(o, "total", json_integer(v[DREP_APPLICANT_N]));
	return o;
}

static json_t *row3(const char *key, const char *no, const char *label, const int64_t v[DREP_COLUMNS])
{
	return json_pack("{s:s, s:s, s:s, s:o}", "key", key, "no", no, "label", label, "values", values3(v));
}

static json_t *table3(const tally_t *t)
{
	json_t *results = json_array();
	static const char *const nums[] = {"1", "2", "3", "4", "5", "6", "7", "8"};
	for (size_t g = 0; g < N_GROUPS; g++) {
		const result_group_t *gr = &groups[g];
		if (gr->count == 1) {
			json_array_append_new(results, row3(gr->key, gr->no, gr->label, t->result[gr->first]));
			continue;
		}
		json_t *sub = json_array();
		for (int k = 0; k < gr->count; k++)
			json_array_append_new(sub, row3(result_codes[gr->first + k], nums[k],
							result_labels[gr->first + k], t->result[gr->first + k]));
		json_array_append_new(results,
				      json_pack("{s:s, s:s, s:s, s:o}", "key", gr->key, "no", gr->no, "label", gr->label,
						"rows", sub));
	}
	json_array_append_new(results, row3("total", "（七）", "总计", t->decided));
	json_t *rows = json_array();
	json_array_append_new(rows, row3("new", "一", "本年新收政府信息公开申请数量", t->received));
	json_array_append_new(rows, row3("carried_in", "二", "上年结转政府信息公开申请数量", t->carried_in));
	json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:o}", "key", "results", "no", "三", "label",
					      "本年度办理结果", "rows", results));
	json_array_append_new(rows, row3("carried_out", "四", "结转下年度继续办理", t->carried_out));
	return json_pack("{s:s, s:s, s:o, s:o}", "title", "收到和处理政府信息公开申请情况", "note",
			 "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "columns", columns3(),
			 "rows", rows);
}

static json_t *section2(const char *key, const char *label, json_t *columns, json_t *rows)
{
	return json_pack("{s:s, s:s, s:o, s:o}", "key", key, "label", label, "columns", columns, "rows", rows);
}

static json_t *col(const char *key, const char *label)
{
	return json_pack("{s:s, s:s}", "key", key, "label", label);
}

/* 万元 to the yuan: 1 万元 = 1,000,000 fen. */
static double wanyuan(int64_t fen)
{
	return round((double)fen / 100.0) / 10000.0;
}

static json_t *table2(const drep_input_t *in, const tally_t *t)
{
	json_t *s = json_array();
	json_t *docs = json_array();
	for (int k = 0; k < 2; k++)
		json_array_append_new(docs, json_pack("{s:s, s:s, s:{s:I, s:I, s:I}}", "key", doc_kind_codes[k],
						      "label", doc_kind_labels[k], "values", "made",
						      (json_int_t)t->made[k], "repealed", (json_int_t)t->ended[k],
						      "in_force", (json_int_t)t->in_force[k]));
	json_array_append_new(s, section2("art20_1", "第二十条第（一）项",
					  json_pack("[o, o, o]", col("made", "本年制发件数"),
						    col("repealed", "本年废止件数"), col("in_force", "现行有效件数")),
					  docs));
	json_array_append_new(
		s, section2("art20_5", "第二十条第（五）项", json_pack("[o]", col("decisions", "本年处理决定数量")),
			    json_pack("[{s:s, s:s, s:{s:I}}]", "key", "license", "label", "行政许可", "values",
				      "decisions", (json_int_t)in->licenses)));
	json_array_append_new(
		s, section2("art20_6", "第二十条第（六）项", json_pack("[o]", col("decisions", "本年处理决定数量")),
			    json_pack("[{s:s, s:s, s:{s:I}}, {s:s, s:s, s:{s:I}}]", "key", "penalty", "label",
				      "行政处罚", "values", "decisions", (json_int_t)in->penalties, "key", "coercion",
				      "label", "行政强制", "values", "decisions", (json_int_t)in->coercions)));
	json_array_append_new(
		s, section2("art20_8", "第二十条第（八）项",
			    json_pack("[o]", col("amount", "本年收费金额（单位：万元）")),
			    json_pack("[{s:s, s:s, s:{s:f}}]", "key", "fee", "label", "行政事业性收费", "values",
				      "amount", wanyuan(in->fees_fen))));
	return json_pack("{s:s, s:o}", "title", "主动公开政府信息情况", "sections", s);
}

static json_t *table4(const tally_t *t)
{
	json_t *cols = json_array();
	for (int o = 0; o < DREP_OUTCOME_N; o++)
		json_array_append_new(cols, col(outcome_codes[o], outcome_labels[o]));
	json_array_append_new(cols, col("total", "总计"));
	json_t *rows = json_array();
	for (int g = 0; g < DREP_STAGE_N; g++) {
		json_t *v = json_object();
		for (int o = 0; o < DREP_OUTCOME_N; o++)
			json_object_set_new(v, outcome_codes[o], json_integer(t->remedy[g][o]));
		json_object_set_new(v, "total", json_integer(t->remedy[g][DREP_OUTCOME_N]));
		json_t *r = json_pack("{s:s, s:s, s:o}", "key", stage_codes[g], "label", stage_labels[g], "values", v);
		json_object_set_new(r, "group", json_string(g == DREP_RECONSIDERATION ? "行政复议" : "行政诉讼"));
		json_array_append_new(rows, r);
	}
	return json_pack("{s:s, s:o, s:o}", "title", "政府信息公开行政复议、行政诉讼情况", "columns", cols, "rows",
			 rows);
}

static json_t *int_or_null(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *prev_json(const drep_prev_t *p)
{
	json_t *rec = json_object(), *out = json_object();
	for (int c = 0; c < DREP_COLUMNS; c++) {
		const char *k = c < DREP_APPLICANT_N ? applicant_codes[c] : "total";
		json_object_set_new(rec, k, int_or_null(p->received[c]));
		json_object_set_new(out, k, int_or_null(p->carried_out[c]));
	}
	return json_pack("{s:o, s:o, s:{s:o, s:o}, s:o, s:o}", "received", rec, "carried_out", out, "in_force",
			 "regulation", int_or_null(p->in_force[0]), "normative", int_or_null(p->in_force[1]),
			 "published", int_or_null(p->published), "remedies", int_or_null(p->remedies));
}

static int64_t get_int(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_number(v) ? (int64_t)llround(json_number_value(v)) : -1;
}

int disclosure_report_build(const drep_input_t *in, json_t **out)
{
	int rc = validate(in);
	if (rc)
		return rc;
	tally_t *t = xmalloc(sizeof *t);
	count(in, in->year, t);
	const char *organ = in->organ && *in->organ ? in->organ : "本机关";
	drep_prev_t prev = in->prev ? *in->prev : drep_prev_unknown();
	json_t *r = json_object();
	json_object_set_new(r, "organ", json_string(organ));
	json_object_set_new(r, "year", json_integer(in->year));
	json_object_set_new(r, "title", json_sprintf("%s%d年政府信息公开工作年度报告", organ, in->year));
	json_object_set_new(r, "table2", table2(in, t));
	json_object_set_new(r, "table3", table3(t));
	json_object_set_new(r, "table4", table4(t));
	json_object_set_new(
		r, "figures",
		json_pack("{s:I, s:{s:I, s:I}, s:I, s:I, s:I, s:I, s:o, s:{s:I, s:I}, s:{s:I, s:I, s:I}}", "published",
			  (json_int_t)t->published, "expired", "regulation", (json_int_t)t->expired[0], "normative",
			  (json_int_t)t->expired[1], "late", (json_int_t)t->late, "fee_notices",
			  (json_int_t)in->fee_notices, "fee_notice_fen", (json_int_t)in->fee_notice_fen,
			  "fee_paid_fen", (json_int_t)in->fee_paid_fen, "prev", prev_json(&prev),
			  "in_force_before_records", "regulation", (json_int_t)t->in_force_before[0], "normative",
			  (json_int_t)t->in_force_before[1], "record_errors", "requests_decided_before_received",
			  (json_int_t)t->bad_request_dates, "remedies_closed_before_filed",
			  (json_int_t)t->bad_remedy_dates, "documents_bad_validity", (json_int_t)t->bad_doc_dates));
	static const struct {
		const char *key, *no, *title;
	} secs[] = {
		{"overview", "一", "总体情况"},
		{"proactive", "二", "主动公开政府信息情况"},
		{"requests", "三", "收到和处理政府信息公开申请情况"},
		{"remedies", "四", "政府信息公开行政复议、行政诉讼情况"},
		{"problems", "五", "存在的主要问题及改进情况"},
		{"other", "六", "其他需要报告的事项"},
	};
	json_t *sections = json_array();
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
		json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:[]}", "key", secs[i].key, "no", secs[i].no, "title",
				      secs[i].title, "text", "", "todo");
		if (i >= 1 && i <= 3)
			json_object_set_new(s, "table", json_sprintf("table%zu", i + 1));
		json_array_append_new(sections, s);
	}
	json_object_set_new(r, "sections", sections);
	disclosure_report_draft(r);
	json_object_set_new(r, "checks", disclosure_report_checks(r, NULL));
	free(t);
	*out = r;
	return 0;
}

/* ---- reading a report's tables (perhaps edited) ---- */

static const json_t *find_key(const json_t *rows, const char *key)
{
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r) {
		if (json_is_string(json_object_get(r, "key")) &&
		    strcmp(json_string_value(json_object_get(r, "key")), key) == 0)
			return r;
		const json_t *in = find_key(json_object_get(r, "rows"), key);
		if (in)
			return in;
	}
	return NULL;
}

/* A cell of table 三 by row key (any depth) and column; 0 when absent (the cells check reports it). */
static int64_t cell3(const json_t *report, const char *row, const char *column)
{
	const json_t *r = find_key(json_object_get(json_object_get(report, "table3"), "rows"), row);
	int64_t v = get_int(json_object_get(r, "values"), column);
	return v < 0 ? 0 : v;
}

static const json_t *row2(const json_t *report, const char *key)
{
	const json_t *secs = json_object_get(json_object_get(report, "table2"), "sections");
	size_t i;
	const json_t *s;
	json_array_foreach(secs, i, s) {
		const json_t *r = find_key(json_object_get(s, "rows"), key);
		if (r)
			return r;
	}
	return NULL;
}

static int64_t cell2(const json_t *report, const char *row, const char *column)
{
	int64_t v = get_int(json_object_get(row2(report, row), "values"), column);
	return v < 0 ? 0 : v;
}

static int64_t cell4(const json_t *report, const char *row, const char *column)
{
	const json_t *r = find_key(json_object_get(json_object_get(report, "table4"), "rows"), row);
	int64_t v = get_int(json_object_get(r, "values"), column);
	return v < 0 ? 0 : v;
}

static const char *column_code(int c)
{
	return c < DREP_APPLICANT_N ? applicant_codes[c] : "total";
}
static const char *column_label(int c)
{
	return c < DREP_APPLICANT_N ? applicant_labels[c] : "总计";
}

void drep_prev_from_report(const json_t *report, drep_prev_t *out)
{
	*out = drep_prev_unknown();
	const json_t *t3 = json_object_get(report, "table3");
	if (!json_is_object(t3))
		return;
	const json_t *rows = json_object_get(t3, "rows");
	for (int c = 0; c < DREP_COLUMNS; c++) {
		out->received[c] = get_int(json_object_get(find_key(rows, "new"), "values"), column_code(c));
		out->carried_out[c] = get_int(json_object_get(find_key(rows, "carried_out"), "values"), column_code(c));
	}
	for (int k = 0; k < 2; k++)
		out->in_force[k] = get_int(json_object_get(row2(report, doc_kind_codes[k]), "values"), "in_force");
	out->published = get_int(json_object_get(report, "figures"), "published");
	const json_t *r4 = json_object_get(json_object_get(report, "table4"), "rows");
	int64_t sum = 0;
	for (int g = 0; g < DREP_STAGE_N && sum >= 0; g++) {
		int64_t v = get_int(json_object_get(find_key(r4, stage_codes[g]), "values"), "total");
		sum = v < 0 ? -1 : sum + v;
	}
	out->remedies = sum;
}

/* ---- a growing string ---- */

typedef struct sb {
	char *p;
	size_t n, cap;
} sb_t;

__attribute__((format(printf, 2, 3))) static void sb_printf(sb_t *b, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
		va_end(ap);
		if (k < 0)
			return;
		if (b->p && b->n + (size_t)k < b->cap) {
			b->n += (size_t)k;
			return;
		}
		b->cap = (b->cap + (size_t)k + 256) * 2;
		b->p = xrealloc(b->p, b->cap);
		if (b->n == 0)
			b->p[0] = 0;
	}
}

static json_t *sb_take(sb_t *b)
{
	json_t *s = json_string(b->p ? b->p : "");
	free(b->p);
	*b = (sb_t){0};
	return s;
}

/* ---- the checks ---- */

static void add_check(json_t *checks, const char *name, const char *label, bool ok, sb_t *detail)
{
	json_array_append_new(checks, json_pack("{s:s, s:s, s:b, s:o}", "name", name, "label", label, "ok", ok,
						"detail", sb_take(detail)));
}

static void sep(sb_t *b)
{
	if (b->n)
		sb_printf(b, "；");
}

/* Every value of every row (any depth) must be a non-negative integer, or a non-negative number where
 * real is allowed. */
static void check_cells(const json_t *rows, const char *table, bool real_ok, int *bad, sb_t *b)
{
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r) {
		check_cells(json_object_get(r, "rows"), table, real_ok, bad, b);
		const json_t *v = json_object_get(r, "values");
		if (!v)
			continue;
		const char *k;
		const json_t *x;
		json_object_foreach((json_t *)v, k, x) {
			bool ok = json_is_integer(x) ? json_integer_value(x) >= 0
						     : real_ok && json_is_real(x) && json_real_value(x) >= 0;
			if (!ok) {
				if (*bad < 5) {
					sep(b);
					sb_printf(b, "%s“%s”的%s列不是非负数", table,
						  json_string_value(json_object_get(r, "label")), k);
				}
				++*bad;
			}
		}
	}
}

json_t *disclosure_report_checks(const json_t *report, const drep_prev_t *prev_in)
{
	json_t *checks = json_array();
	const json_t *figures = json_object_get(report, "figures");
	drep_prev_t prev = prev_in ? *prev_in : drep_prev_unknown();
	if (!prev_in && json_is_object(json_object_get(figures, "prev"))) {
		const json_t *p = json_object_get(figures, "prev");
		for (int c = 0; c < DREP_COLUMNS; c++) {
			prev.received[c] = get_int(json_object_get(p, "received"), column_code(c));
			prev.carried_out[c] = get_int(json_object_get(p, "carried_out"), column_code(c));
		}
		for (int k = 0; k < 2; k++)
			prev.in_force[k] = get_int(json_object_get(p, "in_force"), doc_kind_codes[k]);
	}
	sb_t b = {0};
	bool ok;

	/* cells */
	int bad = 0;
	const json_t *secs = json_object_get(json_object_get(report, "table2"), "sections");
	size_t i;
	const json_t *s;
	json_array_foreach(secs, i, s) {
		check_cells(json_object_get(s, "rows"), "表二", true, &bad, &b);
	}
	check_cells(json_object_get(json_object_get(report, "table3"), "rows"), "表三", false, &bad, &b);
	check_cells(json_object_get(json_object_get(report, "table4"), "rows"), "表四", false, &bad, &b);
	if (bad > 5)
		sb_printf(&b, "等共%d处", bad);
	if (!bad)
		sb_printf(&b, "表二、表三、表四的每个单元格均为非负数");
	add_check(checks, "cells", "每个单元格均为非负数", bad == 0, &b);

	/* 一 + 二 = 三(七) + 四 */
	ok = true;
	for (int c = 0; c < DREP_COLUMNS; c++) {
		const char *k = column_code(c);
		int64_t a = cell3(report, "new", k), c2 = cell3(report, "carried_in", k),
			d = cell3(report, "total", k), e = cell3(report, "carried_out", k);
		if (a + c2 != d + e) {
			sep(&b);
			sb_printf(&b, "%s列：一(%lld)+二(%lld)=%lld，三(七)(%lld)+四(%lld)=%lld", column_label(c),
				  (long long)a, (long long)c2, (long long)(a + c2), (long long)d, (long long)e,
				  (long long)(d + e));
			ok = false;
		}
	}
	if (ok) {
		const char *k = "total";
		sb_printf(&b, "各列均相符（总计列：一%lld+二%lld=三(七)%lld+四%lld）", (long long)cell3(report, "new", k),
			  (long long)cell3(report, "carried_in", k), (long long)cell3(report, "total", k),
			  (long long)cell3(report, "carried_out", k));
	}
	add_check(checks, "table3_balance", "表三：第一项加第二项之和等于第三项加第四项之和", ok, &b);

	/* 总计 column = the six applicant columns, in every row */
	ok = true;
	static const char *const flat_rows[] = {"new", "carried_in", "total", "carried_out"};
	const char *row_keys[4 + DREP_RESULT_N];
	size_t nrows = 0;
	for (size_t k = 0; k < 4; k++)
		row_keys[nrows++] = flat_rows[k];
	for (int k = 0; k < DREP_RESULT_N; k++)
		row_keys[nrows++] = result_codes[k];
	const json_t *rows3 = json_object_get(json_object_get(report, "table3"), "rows");
	for (size_t k = 0; k < nrows; k++) {
		int64_t sum = 0;
		for (int c = 0; c < DREP_APPLICANT_N; c++)
			sum += cell3(report, row_keys[k], applicant_codes[c]);
		int64_t tot = cell3(report, row_keys[k], "total");
		if (sum != tot) {
			const json_t *r = find_key(rows3, row_keys[k]);
			const char *label = json_string_value(json_object_get(r, "label"));
			sep(&b);
			sb_printf(&b, "“%s”行：总计%lld，六类申请人之和%lld", label ? label : row_keys[k], (long long)tot,
				  (long long)sum);
			ok = false;
		}
	}
	if (ok)
		sb_printf(&b, "各行总计均等于自然人与五类法人或其他组织之和");
	add_check(checks, "table3_total_column", "表三：总计列等于各类申请人之和", ok, &b);

	/* (七) 总计 = (一)…(六) */
	ok = true;
	for (int c = 0; c < DREP_COLUMNS; c++) {
		int64_t sum = 0;
		for (int k = 0; k < DREP_RESULT_N; k++)
			sum += cell3(report, result_codes[k], column_code(c));
		int64_t tot = cell3(report, "total", column_code(c));
		if (sum != tot) {
			sep(&b);
			sb_printf(&b, "%s列：（七）总计%lld，（一）至（六）之和%lld", column_label(c), (long long)tot,
				  (long long)sum);
			ok = false;
		}
	}
	if (ok)
		sb_printf(&b, "各列（七）总计均等于（一）至（六）各项之和（总计列%lld件）",
			  (long long)cell3(report, "total", "total"));
	add_check(checks, "table3_results_total", "表三：办理结果总计等于各项之和", ok, &b);

	/* 二 = last year's 四 */
	if (prev.carried_out[DREP_APPLICANT_N] >= 0) {
		ok = true;
		for (int c = 0; c < DREP_COLUMNS; c++) {
			if (prev.carried_out[c] < 0)
				continue;
			int64_t v = cell3(report, "carried_in", column_code(c));
			if (v != prev.carried_out[c]) {
				sep(&b);
				sb_printf(&b, "%s列：本年上年结转%lld，上年度结转下年度%lld", column_label(c), (long long)v,
					  (long long)prev.carried_out[c]);
				ok = false;
			}
		}
		if (ok)
			sb_printf(&b, "本年上年结转数与上年度报告的结转下年度数一致（%lld件）",
				  (long long)prev.carried_out[DREP_APPLICANT_N]);
		add_check(checks, "table3_carried_in", "表三：上年结转等于上年度报告的结转下年度", ok, &b);
	}

	/* table 四 totals */
	ok = true;
	const json_t *rows4 = json_object_get(json_object_get(report, "table4"), "rows");
	for (int g = 0; g < DREP_STAGE_N; g++) {
		int64_t sum = 0;
		for (int o = 0; o < DREP_OUTCOME_N; o++)
			sum += cell4(report, stage_codes[g], outcome_codes[o]);
		int64_t tot = cell4(report, stage_codes[g], "total");
		if (!find_key(rows4, stage_codes[g]) || sum != tot) {
			sep(&b);
			sb_printf(&b, "%s：总计%lld，结果维持、结果纠正、其他结果、尚未审结之和%lld", stage_labels[g],
				  (long long)tot, (long long)sum);
			ok = false;
		}
	}
	if (ok)
		sb_printf(&b, "行政复议、未经复议直接起诉、复议后起诉的总计均等于四项之和");
	add_check(checks, "table4_totals", "表四：各总计等于四项之和", ok, &b);

	/* 现行有效件数 = last year's + made − repealed */
	const json_t *rec = json_object_get(figures, "in_force_before_records");
	bool from_records = prev.in_force[0] < 0 || prev.in_force[1] < 0;
	if (!from_records || json_is_object(rec)) {
		ok = true;
		for (int k = 0; k < 2; k++) {
			int64_t before = from_records ? get_int(rec, doc_kind_codes[k]) : prev.in_force[k];
			int64_t made = cell2(report, doc_kind_codes[k], "made"),
				gone = cell2(report, doc_kind_codes[k], "repealed"),
				now = cell2(report, doc_kind_codes[k], "in_force");
			if (before + made - gone != now) {
				sep(&b);
				sb_printf(&b, "%s：上年末%lld+本年制发%lld−本年废止%lld=%lld，现行有效件数为%lld",
					  doc_kind_labels[k], (long long)before, (long long)made, (long long)gone,
					  (long long)(before + made - gone), (long long)now);
				ok = false;
			}
		}
		if (ok)
			sb_printf(&b, "规章、行政规范性文件的现行有效件数均等于上年末数加本年制发减本年废止");
		if (from_records)
			sb_printf(&b, "（上年末数按文件记录推算）");
		add_check(checks, "table2_in_force", "表二：现行有效件数与制发、废止相符", ok, &b);
	}

	/* the records themselves */
	const json_t *errs = json_object_get(figures, "record_errors");
	if (json_is_object(errs)) {
		int64_t a = get_int(errs, "requests_decided_before_received"),
			m = get_int(errs, "remedies_closed_before_filed"), d = get_int(errs, "documents_bad_validity");
		if (a > 0) {
			sep(&b);
			sb_printf(&b, "%lld件申请的答复日期早于收到日期", (long long)a);
		}
		if (m > 0) {
			sep(&b);
			sb_printf(&b, "%lld件复议、诉讼的审结日期早于立案日期", (long long)m);
		}
		if (d > 0) {
			sep(&b);
			sb_printf(&b, "%lld件文件的有效性与其废止、失效日期不符（标注失效或废止而无日期的，按成文之日计）", (long long)d);
		}
		ok = a <= 0 && m <= 0 && d <= 0;
		if (ok)
			sb_printf(&b, "申请、复议诉讼和文件记录的日期均前后一致");
		add_check(checks, "records", "原始记录日期一致", ok, &b);
	}
	free(b.p);
	return checks;
}

/* ---- the narrative draft ---- */

/* "，同比增长12.5%" against last year's figure; nothing when it is unknown. */
static void yoy(sb_t *b, int64_t now, int64_t before)
{
	if (before < 0)
		return;
	if (before == 0) {
		sb_printf(b, now ? "，上年为0件" : "，与上年持平");
		return;
	}
	double d = ((double)now - (double)before) / (double)before * 100;
	if (fabs(d) < 0.05)
		sb_printf(b, "，与上年持平");
	else
		sb_printf(b, "，同比%s%.1f%%", d > 0 ? "增长" : "下降", fabs(d));
}

static const char *pct(char buf[24], int64_t part, int64_t whole)
{
	snprintf(buf, 24, "%.1f%%", whole > 0 ? (double)part * 100.0 / (double)whole : 0.0);
	return buf;
}

/* Fen as yuan, "1234.50". */
static const char *yuan(char buf[32], int64_t fen)
{
	snprintf(buf, 32, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
	return buf;
}

/* 万元 without trailing zeros: 12.5, 0.0321, 0. */
static const char *wan(char buf[32], double v)
{
	snprintf(buf, 32, "%.4f", v);
	char *e = buf + strlen(buf) - 1;
	while (*e == '0')
		*e-- = 0;
	if (*e == '.')
		*e = 0;
	return buf;
}

static int64_t group_sum(const json_t *report, const result_group_t *g)
{
	int64_t n = 0;
	for (int k = 0; k < g->count; k++)
		n += cell3(report, result_codes[g->first + k], "total");
	return n;
}

/* The largest sub-row of a group, for "主要原因是…"; -1 if all are 0. */
static int group_top(const json_t *report, const result_group_t *g)
{
	int top = -1;
	int64_t best = 0;
	for (int k = 0; k < g->count; k++) {
		int64_t v = cell3(report, result_codes[g->first + k], "total");
		if (v > best) {
			best = v;
			top = g->first + k;
		}
	}
	return top;
}

static void set_section(json_t *report, const char *key, json_t *text, json_t *todo)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(report, "sections"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "key")), key) == 0) {
			json_object_set_new(s, "text", text);
			json_object_set_new(s, "todo", todo);
			return;
		}
	}
	json_decref(text);
	json_decref(todo);
}

/* The figures the narrative speaks of, read once from the (perhaps edited) tables. */
typedef struct words {
	const char *organ;
	int year;
	int64_t received, carried_in, decided, carried_out, late, published, prev_published, prev_received,
		prev_remedies;
	int64_t by_applicant[DREP_APPLICANT_N];
	int64_t made[2], gone[2], expired[2], in_force[2];
	int64_t remedy[DREP_STAGE_N][DREP_OUTCOME_N + 1];
	int64_t fee_notices, fee_notice_fen, fee_paid_fen;
	double fees_wan;
	int64_t licenses, penalties, coercions;
} words_t;

static void read_words(const json_t *report, words_t *w)
{
	memset(w, 0, sizeof *w);
	const json_t *f = json_object_get(report, "figures"), *p = json_object_get(f, "prev");
	w->organ = json_string_value(json_object_get(report, "organ"));
	if (!w->organ)
		w->organ = "本机关";
	w->year = (int)json_integer_value(json_object_get(report, "year"));
	w->received = cell3(report, "new", "total");
	w->carried_in = cell3(report, "carried_in", "total");
	w->decided = cell3(report, "total", "total");
	w->carried_out = cell3(report, "carried_out", "total");
	for (int c = 0; c < DREP_APPLICANT_N; c++)
		w->by_applicant[c] = cell3(report, "new", applicant_codes[c]);
	w->late = get_int(f, "late") > 0 ? get_int(f, "late") : 0;
	w->published = get_int(f, "published") > 0 ? get_int(f, "published") : 0;
	w->prev_published = get_int(p, "published");
	w->prev_received = get_int(json_object_get(p, "received"), "total");
	w->prev_remedies = get_int(p, "remedies");
	for (int k = 0; k < 2; k++) {
		w->made[k] = cell2(report, doc_kind_codes[k], "made");
		w->gone[k] = cell2(report, doc_kind_codes[k], "repealed");
		w->in_force[k] = cell2(report, doc_kind_codes[k], "in_force");
		int64_t x = get_int(json_object_get(f, "expired"), doc_kind_codes[k]);
		w->expired[k] = x > 0 && x <= w->gone[k] ? x : 0;
	}
	for (int g = 0; g < DREP_STAGE_N; g++) {
		for (int o = 0; o < DREP_OUTCOME_N; o++)
			w->remedy[g][o] = cell4(report, stage_codes[g], outcome_codes[o]);
		w->remedy[g][DREP_OUTCOME_N] = cell4(report, stage_codes[g], "total");
	}
	w->fee_notices = get_int(f, "fee_notices") > 0 ? get_int(f, "fee_notices") : 0;
	w->fee_notice_fen = get_int(f, "fee_notice_fen") > 0 ? get_int(f, "fee_notice_fen") : 0;
	w->fee_paid_fen = get_int(f, "fee_paid_fen") > 0 ? get_int(f, "fee_paid_fen") : 0;
	const json_t *fee = json_object_get(json_object_get(row2(report, "fee"), "values"), "amount");
	w->fees_wan = json_is_number(fee) ? json_number_value(fee) : 0;
	w->licenses = cell2(report, "license", "decisions");
	w->penalties = cell2(report, "penalty", "decisions");
	w->coercions = cell2(report, "coercion", "decisions");
}

static void documents_sentence(sb_t *b, const words_t *w)
{
	sb_printf(b, "制发规章%lld件、行政规范性文件%lld件，废止规章%lld件、行政规范性文件%lld件", (long long)w->made[0],
		  (long long)w->made[1], (long long)w->gone[0], (long long)w->gone[1]);
	if (w->expired[0] + w->expired[1] > 0)
		sb_printf(b, "（其中宣布失效%lld件）", (long long)(w->expired[0] + w->expired[1]));
	sb_printf(b, "；截至%d年底，现行有效规章%lld件、行政规范性文件%lld件。", w->year, (long long)w->in_force[0],
		  (long long)w->in_force[1]);
}

static void requests_sentence(sb_t *b, const json_t *report, const words_t *w)
{
	char p[24];
	sb_printf(b, "本年度共收到政府信息公开申请%lld件", (long long)w->received);
	yoy(b, w->received, w->prev_received);
	if (w->received) {
		int64_t orgs = w->received - w->by_applicant[DREP_PERSON];
		sb_printf(b, "。其中自然人申请%lld件，占%s", (long long)w->by_applicant[DREP_PERSON],
			  pct(p, w->by_applicant[DREP_PERSON], w->received));
		if (orgs > 0) {
			sb_printf(b, "；法人或其他组织申请%lld件（", (long long)orgs);
			bool first = true;
			for (int c = DREP_COMPANY; c < DREP_APPLICANT_N; c++) {
				if (!w->by_applicant[c])
					continue;
				sb_printf(b, "%s%s%lld件", first ? "" : "、",
					  c == DREP_OTHER_ORG ? "其他组织" : applicant_labels[c], (long long)w->by_applicant[c]);
				first = false;
			}
			sb_printf(b, "）");
		}
	}
	sb_printf(b, "。上年结转%lld件。", (long long)w->carried_in);
	sb_printf(b, "本年度办结%lld件", (long long)w->decided);
	if (w->decided) {
		sb_printf(b, "，其中");
		for (size_t g = 0; g < N_GROUPS; g++) {
			int64_t n = group_sum(report, &groups[g]);
			sb_printf(b, "%s%s%lld件", g ? "，" : "", groups[g].brief, (long long)n);
			if (g < 2)
				sb_printf(b, "（占%s）", pct(p, n, w->decided));
		}
		for (size_t g = 2; g < 5; g++) {
			int top = group_top(report, &groups[g]);
			if (top >= 0)
				sb_printf(b, "；%s的主要原因是“%s”（%lld件）", groups[g].brief, result_labels[top],
					  (long long)cell3(report, result_codes[top], "total"));
		}
	}
	sb_printf(b, "。结转下年度继续办理%lld件。", (long long)w->carried_out);
}

static void outcomes(sb_t *b, const int64_t v[DREP_OUTCOME_N + 1])
{
	sb_printf(b, "结果维持%lld件、结果纠正%lld件、其他结果%lld件、尚未审结%lld件", (long long)v[DREP_UPHELD],
		  (long long)v[DREP_CORRECTED], (long long)v[DREP_OUTCOME_OTHER], (long long)v[DREP_PENDING]);
}

static void remedies_sentence(sb_t *b, const words_t *w)
{
	const int64_t *rc = w->remedy[DREP_RECONSIDERATION], *sd = w->remedy[DREP_SUIT_DIRECT],
		      *sa = w->remedy[DREP_SUIT_AFTER];
	int64_t suits = sd[DREP_OUTCOME_N] + sa[DREP_OUTCOME_N], all = rc[DREP_OUTCOME_N] + suits;
	if (!all) {
		sb_printf(b, "本年度未发生因政府信息公开工作引起的行政复议、行政诉讼案件");
		yoy(b, 0, w->prev_remedies);
		sb_printf(b, "。");
		return;
	}
	sb_printf(b, "本年度因政府信息公开工作被申请行政复议%lld件", (long long)rc[DREP_OUTCOME_N]);
	if (rc[DREP_OUTCOME_N]) {
		sb_printf(b, "，其中");
		outcomes(b, rc);
	}
	sb_printf(b, "；被提起行政诉讼%lld件", (long long)suits);
	if (suits) {
		sb_printf(b, "（未经复议直接起诉%lld件、复议后起诉%lld件），其中", (long long)sd[DREP_OUTCOME_N],
			  (long long)sa[DREP_OUTCOME_N]);
		int64_t s[DREP_OUTCOME_N + 1];
		for (int o = 0; o <= DREP_OUTCOME_N; o++)
			s[o] = sd[o] + sa[o];
		outcomes(b, s);
	}
	sb_printf(b, "。复议、诉讼合计%lld件", (long long)all);
	yoy(b, all, w->prev_remedies);
	sb_printf(b, "。");
}

static json_t *todo(const char *a, const char *b2, const char *c)
{
	json_t *t = json_array();
	if (a)
		json_array_append_new(t, json_string(a));
	if (b2)
		json_array_append_new(t, json_string(b2));
	if (c)
		json_array_append_new(t, json_string(c));
	return t;
}

void disclosure_report_draft(json_t *report)
{
	words_t w;
	read_words(report, &w);
	sb_t b = {0};
	char x[32], y[32];

	sb_printf(&b,
		  "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告"
		  "格式》（国办公开办函〔2021〕30号）要求，由%s编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府"
		  "信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告"
		  "所列数据的统计期限自%d年1月1日起至%d年12月31日止。",
		  w.organ, w.year, w.year);
	json_object_set_new(report, "preface", sb_take(&b));

	/* 一 总体情况 */
	sb_printf(&b, "%d年，%s认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，依法做好政府信息公开工作。\n", w.year,
		  w.organ);
	sb_printf(&b, "（一）主动公开。全年主动公开政府信息%lld条", (long long)w.published);
	yoy(&b, w.published, w.prev_published);
	sb_printf(&b, "。");
	documents_sentence(&b, &w);
	sb_printf(&b, "\n（二）依申请公开。全年新收政府信息公开申请%lld件", (long long)w.received);
	yoy(&b, w.received, w.prev_received);
	sb_printf(&b, "，上年结转%lld件；办结%lld件", (long long)w.carried_in, (long long)w.decided);
	if (w.decided) {
		if (w.late)
			sb_printf(&b, "，其中按期答复%lld件、逾期答复%lld件", (long long)(w.decided - w.late),
				  (long long)w.late);
		else
			sb_printf(&b, "，均在法定期限内答复");
	}
	sb_printf(&b, "；结转下年度继续办理%lld件。", (long long)w.carried_out);
	sb_printf(&b, "\n（三）行政复议和行政诉讼。");
	remedies_sentence(&b, &w);
	set_section(report, "overview", sb_take(&b),
		    todo("补充政府信息管理情况（公开属性源头认定、保密审查、政策解读、文件清理）",
			 "补充平台建设情况（政府网站信息公开专栏、政务新媒体、公开查阅点）",
			 "补充监督保障情况（组织领导、培训、考核和社会评议）"));

	/* 二 */
	sb_printf(&b, "本年度主动公开政府信息%lld条。", (long long)w.published);
	documents_sentence(&b, &w);
	sb_printf(&b, "作出行政许可决定%lld件、行政处罚决定%lld件、行政强制决定%lld件；收取行政事业性收费%s万元。",
		  (long long)w.licenses, (long long)w.penalties, (long long)w.coercions, wan(x, w.fees_wan));
	set_section(report, "proactive", sb_take(&b), todo(NULL, NULL, NULL));

	/* 三 */
	requests_sentence(&b, report, &w);
	set_section(report, "requests", sb_take(&b), todo(NULL, NULL, NULL));

	/* 四 */
	remedies_sentence(&b, &w);
	set_section(report, "remedies", sb_take(&b), todo(NULL, NULL, NULL));

	/* 五: the problems the figures show, each with its remedy */
	int64_t corrected = 0;
	for (int g = 0; g < DREP_STAGE_N; g++)
		corrected += w.remedy[g][DREP_CORRECTED];
	int64_t not_held = cell3(report, "unable_not_held", "total"),
		petitions = cell3(report, "reject_petition", "total");
	sb_t fix = {0};
	static const char *const ordinal[] = {"一", "二", "三", "四", "五", "六"};
	int nfix = 0;
	sb_printf(&b, "%d年，本机关政府信息公开工作取得了一定成效，但仍存在一些不足：", w.year);
	int np = 0;
	if (w.late) {
		sb_printf(&b, "%s有%lld件政府信息公开申请未在法定期限内答复", np++ ? "；" : "", (long long)w.late);
		sb_printf(&fix, "%s是严格执行《条例》规定的答复期限，对在办申请逐件跟踪、临期提醒，杜绝逾期答复；",
			  ordinal[nfix++]);
	}
	if (corrected) {
		sb_printf(&b, "%s有%lld件行政复议、行政诉讼案件结果被纠正，答复的规范性有待提高", np++ ? "；" : "",
			  (long long)corrected);
		sb_printf(&fix, "%s是逐案分析被纠正案件，规范答复文书的法律依据和救济途径告知，加强法律审核；",
			  ordinal[nfix++]);
	}
	if (w.decided && not_held * 5 >= w.decided) {
		sb_printf(&b, "%s“本机关不掌握相关政府信息”的答复占办结总量的%s，申请指引不够清晰", np++ ? "；" : "",
			  pct(x, not_held, w.decided));
		sb_printf(&fix, "%s是完善政府信息公开指南和申请须知，明确本机关职责和信息范围，引导申请人准确提出申请；",
			  ordinal[nfix++]);
	}
	if (petitions) {
		sb_printf(&b, "%s有%lld件信访、举报、投诉类诉求以政府信息公开申请的形式提出", np++ ? "；" : "",
			  (long long)petitions);
		sb_printf(&fix, "%s是做好申请分类处理，将信访、举报、投诉类诉求及时转入相应渠道办理；", ordinal[nfix++]);
	}
	sb_printf(&b, "%s主动公开的深度和广度仍需拓展，政策解读的形式还不够丰富。", np ? "；" : "");
	sb_printf(&fix, "%s是围绕群众关切深化重点领域信息公开，丰富图文、视频等政策解读形式，持续提升政府信息公开质量。",
		  ordinal[nfix++]);
	sb_printf(&b, "\n下一步，%s将着力做好以下工作：%s", w.organ, fix.p);
	free(fix.p);
	set_section(report, "problems", sb_take(&b),
		    todo("说明上年度报告所列问题的改进情况", "补充数据未能反映的问题和改进措施", NULL));

	/* 六 */
	if (w.fee_notices || w.fee_paid_fen)
		sb_printf(&b,
			  "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度%s发出收费通知%lld件，"
			  "总金额%s元，实际收取信息处理费%s元。",
			  w.organ, (long long)w.fee_notices, yuan(x, w.fee_notice_fen), yuan(y, w.fee_paid_fen));
	else
		sb_printf(&b, "依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度%s未发出收费通知，未收取信息处理费。",
			  w.organ);
	set_section(report, "other", sb_take(&b),
		    todo("补充人大代表建议和政协委员提案办理结果公开情况", "补充年度政务公开工作要点落实情况",
			 "补充其他需要报告的事项"));
}
