/* The annual report (docs/domain.md, "The annual report") on hand-made records whose tables are
 * counted by hand: carry-over in and out, a request received in December and replied to in January,
 * every result code in its row and every applicant column, the checks on consistent and on edited
 * figures, the narrative's numbers and the XLSX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unistd.h>

#include "disclosure/disclosure_report.h"
#include "platform/err.h"

static yw_date_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static drep_request_t reqs[64];
static size_t n_reqs;
static drep_document_t docs[8];
static drep_remedy_t rems[8];
static drep_input_t in;
static drep_prev_t prev;

static void req(int applicant, yw_date_t received, yw_date_t decided, int result, int late)
{
	reqs[n_reqs++] = (drep_request_t){received, decided, (uint8_t)applicant, (uint8_t)result, (uint8_t)late};
}

static int setup(void **state)
{
	(void)state;
	n_reqs = 0;
	/* A: received in November of last year, replied to in January: 上年结转, then a result of this year. */
	req(DREP_PERSON, ymd(2024, 11, 5), ymd(2025, 1, 10), DREP_PUBLIC, 0);
	/* B: received in December of last year, replied to in January. */
	req(DREP_COMPANY, ymd(2024, 12, 20), ymd(2025, 1, 8), DREP_PARTIAL, 0);
	/* C: received and replied to last year: not in this year's table. */
	req(DREP_RESEARCH, ymd(2024, 6, 1), ymd(2024, 6, 20), DREP_PUBLIC, 0);
	/* D: received this December, replied to next January: 新收 and 结转下年度. */
	req(DREP_NONPROFIT, ymd(2025, 12, 22), ymd(2026, 1, 9), DREP_DENY_LAW, 0);
	/* E: received on 30 December, still open. */
	req(DREP_LEGAL, ymd(2025, 12, 30), DREP_NO_DATE, 0, 0);
	/* F: received last December, still open: 上年结转 and 结转下年度. */
	req(DREP_OTHER_ORG, ymd(2024, 12, 28), DREP_NO_DATE, 0, 0);
	/* G: received next year: nowhere. */
	req(DREP_PERSON, ymd(2026, 1, 5), ymd(2026, 1, 6), DREP_PUBLIC, 0);
	/* One request per result code, applicants in turn; the first two replied to late. */
	for (int i = 0; i < DREP_RESULT_N; i++)
		req(i % DREP_APPLICANT_N, ymd(2025, 3, 1) + i, ymd(2025, 4, 1) + i, i, i < 2);

	docs[0] = (drep_document_t){ymd(2019, 5, 1), ymd(2019, 5, 3), DREP_NO_DATE, DREP_REGULATION, DREP_VALID};
	docs[1] = (drep_document_t){ymd(2025, 3, 1), ymd(2025, 3, 5), DREP_NO_DATE, DREP_REGULATION, DREP_VALID};
	docs[2] = (drep_document_t){ymd(2018, 1, 1), ymd(2018, 1, 2), ymd(2025, 6, 30), DREP_REGULATION, DREP_REPEALED};
	docs[3] = (drep_document_t){ymd(2025, 2, 1), ymd(2025, 2, 3), ymd(2025, 11, 30), DREP_NORMATIVE, DREP_EXPIRED};
	docs[4] = (drep_document_t){ymd(2023, 1, 1), ymd(2023, 1, 2), DREP_NO_DATE, DREP_NORMATIVE, DREP_VALID};
	docs[5] = (drep_document_t){ymd(2020, 1, 1), ymd(2020, 1, 2), ymd(2024, 5, 1), DREP_NORMATIVE, DREP_REPEALED};
	docs[6] = (drep_document_t){ymd(2025, 6, 28), ymd(2025, 7, 1), DREP_NO_DATE, DREP_DOC_OTHER, DREP_VALID};

	rems[0] = (drep_remedy_t){ymd(2025, 3, 1), ymd(2025, 5, 1), DREP_RECONSIDERATION, DREP_UPHELD};
	/* closed after the year's end: 尚未审结 in this year's table */
	rems[1] = (drep_remedy_t){ymd(2025, 11, 1), ymd(2026, 1, 15), DREP_RECONSIDERATION, DREP_CORRECTED};
	rems[2] = (drep_remedy_t){ymd(2025, 4, 1), ymd(2025, 9, 1), DREP_SUIT_DIRECT, DREP_CORRECTED};
	rems[3] = (drep_remedy_t){ymd(2025, 6, 1), DREP_NO_DATE, DREP_SUIT_AFTER, DREP_PENDING};
	/* filed last year: last year's report */
	rems[4] = (drep_remedy_t){ymd(2024, 10, 1), ymd(2025, 2, 1), DREP_RECONSIDERATION, DREP_OUTCOME_OTHER};
	rems[5] = (drep_remedy_t){ymd(2025, 8, 1), ymd(2025, 10, 1), DREP_SUIT_DIRECT, DREP_OUTCOME_OTHER};

	in = (drep_input_t){.organ = "某市人民政府办公室",
			    .year = 2025,
			    .requests = reqs,
			    .n_requests = n_reqs,
			    .documents = docs,
			    .n_documents = 7,
			    .remedies = rems,
			    .n_remedies = 6,
			    .licenses = 1234,
			    .penalties = 56,
			    .coercions = 7,
			    .fees_fen = 12345678,
			    .fee_notices = 2,
			    .fee_notice_fen = 15000,
			    .fee_paid_fen = 10000};
	drep_prev_compute(&in, &prev);
	in.prev = &prev;
	return 0;
}

static const json_t *find(const json_t *rows, const char *key)
{
	size_t i;
	const json_t *r;
	json_array_foreach(rows, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "key")), key) == 0)
			return r;
		const json_t *sub = find(json_object_get(r, "rows"), key);
		if (sub)
			return sub;
	}
	return NULL;
}

static json_int_t t3(const json_t *rep, const char *row, const char *col)
{
	const json_t *r = find(json_object_get(json_object_get(rep, "table3"), "rows"), row);
	assert_non_null(r);
	const json_t *v = json_object_get(json_object_get(r, "values"), col);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void set3(json_t *rep, const char *row, const char *col, json_int_t v)
{
	json_t *r = (json_t *)find(json_object_get(json_object_get(rep, "table3"), "rows"), row);
	json_object_set_new(json_object_get(r, "values"), col, json_integer(v));
}

static json_int_t t4(const json_t *rep, const char *row, const char *col)
{
	const json_t *r = find(json_object_get(json_object_get(rep, "table4"), "rows"), row);
	assert_non_null(r);
	return json_integer_value(json_object_get(json_object_get(r, "values"), col));
}

static const json_t *t2row(const json_t *rep, const char *key)
{
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(json_object_get(rep, "table2"), "sections"), i, s) {
		const json_t *r = find(json_object_get(s, "rows"), key);
		if (r)
			return r;
	}
	fail_msg("table 二 has no row %s", key);
	return NULL;
}

static json_int_t t2(const json_t *rep, const char *row, const char *col)
{
	return json_integer_value(json_object_get(json_object_get(t2row(rep, row), "values"), col));
}

static const json_t *check(const json_t *rep, const char *name)
{
	size_t i;
	const json_t *c;
	json_array_foreach(json_object_get(rep, "checks"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "name")), name) == 0)
			return c;
	}
	return NULL;
}

static void all_ok(const json_t *checks)
{
	size_t i;
	const json_t *c;
	json_array_foreach(checks, i, c) {
		if (!json_is_true(json_object_get(c, "ok")))
			fail_msg("check %s failed: %s", json_string_value(json_object_get(c, "name")),
				 json_string_value(json_object_get(c, "detail")));
	}
}

static const char *text(const json_t *rep, const char *key)
{
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(rep, "sections"), i, s) {
		if (strcmp(json_string_value(json_object_get(s, "key")), key) == 0)
			return json_string_value(json_object_get(s, "text"));
	}
	return NULL;
}

static void contains(const char *hay, const char *needle)
{
	assert_non_null(hay);
	if (!strstr(hay, needle))
		fail_msg("“%s” not in “%s”", needle, hay);
}

static void table3_by_hand(void **state)
{
	(void)state;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	static const char *const cols[] = {"person", "company", "research", "nonprofit", "legal", "other_org"};
	static const json_int_t news[] = {4, 4, 4, 4, 4, 3}, carried_in[] = {1, 1, 0, 0, 0, 1},
				decided[] = {5, 5, 4, 3, 3, 3}, carried_out[] = {0, 0, 0, 1, 1, 1};
	for (int c = 0; c < 6; c++) {
		assert_int_equal(t3(rep, "new", cols[c]), news[c]);
		assert_int_equal(t3(rep, "carried_in", cols[c]), carried_in[c]);
		assert_int_equal(t3(rep, "total", cols[c]), decided[c]);
		assert_int_equal(t3(rep, "carried_out", cols[c]), carried_out[c]);
	}
	assert_int_equal(t3(rep, "new", "total"), 23);
	assert_int_equal(t3(rep, "carried_in", "total"), 3);
	assert_int_equal(t3(rep, "total", "total"), 23);
	assert_int_equal(t3(rep, "carried_out", "total"), 3);
	/* every result code in its own row, in the column of its applicant; A and B add to 予以公开 and 部分公开 */
	for (int i = 0; i < DREP_RESULT_N; i++) {
		const char *code = drep_result_code(i);
		assert_int_equal(drep_result_from_code(code), i);
		for (int c = 0; c < 6; c++) {
			json_int_t want = c == i % 6;
			want += (i == DREP_PUBLIC && c == DREP_PERSON) || (i == DREP_PARTIAL && c == DREP_COMPANY);
			assert_int_equal(t3(rep, code, cols[c]), want);
		}
		assert_int_equal(t3(rep, code, "total"), i < 2 ? 2 : 1);
	}
	/* the template's labels and numbering */
	const json_t *rows = json_object_get(json_object_get(rep, "table3"), "rows");
	assert_int_equal(json_array_size(rows), 4);
	assert_string_equal(json_string_value(json_object_get(find(rows, "deny_safety"), "label")), "危及“三安全一稳定”");
	assert_string_equal(json_string_value(json_object_get(find(rows, "deny"), "no")), "（三）");
	assert_int_equal(json_array_size(json_object_get(find(rows, "deny"), "rows")), 8);
	assert_int_equal(json_array_size(json_object_get(find(rows, "unable"), "rows")), 3);
	assert_int_equal(json_array_size(json_object_get(find(rows, "reject"), "rows")), 5);
	assert_int_equal(json_array_size(json_object_get(find(rows, "other_handling"), "rows")), 3);
	assert_int_equal(json_array_size(json_object_get(json_object_get(rep, "table3"), "columns")), 7);
	all_ok(json_object_get(rep, "checks"));
	assert_non_null(check(rep, "table3_carried_in"));
	json_decref(rep);
}

static void tables_2_and_4_by_hand(void **state)
{
	(void)state;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	assert_int_equal(t2(rep, "regulation", "made"), 1);
	assert_int_equal(t2(rep, "regulation", "repealed"), 1);
	assert_int_equal(t2(rep, "regulation", "in_force"), 2);
	assert_int_equal(t2(rep, "normative", "made"), 1);
	assert_int_equal(t2(rep, "normative", "repealed"), 1); /* lapsed (失效) in the year */
	assert_int_equal(t2(rep, "normative", "in_force"), 1);
	assert_int_equal(t2(rep, "license", "decisions"), 1234);
	assert_int_equal(t2(rep, "penalty", "decisions"), 56);
	assert_int_equal(t2(rep, "coercion", "decisions"), 7);
	const json_t *fee = json_object_get(json_object_get(t2row(rep, "fee"), "values"), "amount");
	assert_true(json_is_real(fee));
	assert_true(json_real_value(fee) > 12.34565 && json_real_value(fee) < 12.34575); /* 123,457 元 */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(rep, "figures"), "published")), 3);

	assert_int_equal(t4(rep, "reconsideration", "upheld"), 1);
	assert_int_equal(t4(rep, "reconsideration", "corrected"), 0);
	assert_int_equal(t4(rep, "reconsideration", "pending"), 1);
	assert_int_equal(t4(rep, "reconsideration", "other"), 0);
	assert_int_equal(t4(rep, "reconsideration", "total"), 2);
	assert_int_equal(t4(rep, "suit_direct", "corrected"), 1);
	assert_int_equal(t4(rep, "suit_direct", "other"), 1);
	assert_int_equal(t4(rep, "suit_direct", "total"), 2);
	assert_int_equal(t4(rep, "suit_after", "pending"), 1);
	assert_int_equal(t4(rep, "suit_after", "total"), 1);
	json_decref(rep);
}

static void checks_fail_on_edited_figures(void **state)
{
	(void)state;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	/* the officer types a figure that does not add up */
	set3(rep, "new", "person", 5);
	json_t *ch = disclosure_report_checks(rep, NULL);
	json_object_set_new(rep, "checks", ch);
	const json_t *c = check(rep, "table3_balance");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "自然人列：一(5)+二(1)=6，三(七)(5)+四(0)=5");
	c = check(rep, "table3_total_column");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "“本年新收政府信息公开申请数量”行：总计23，六类申请人之和24");
	assert_true(json_is_true(json_object_get(check(rep, "table3_results_total"), "ok")));

	/* (七) 总计 against its rows */
	set3(rep, "new", "person", 4);
	set3(rep, "deny_inquiry", "total", 2);
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, NULL));
	c = check(rep, "table3_results_total");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "总计列：（七）总计23，（一）至（六）之和24");
	set3(rep, "deny_inquiry", "total", 1);

	/* table 四 */
	json_t *r4 = (json_t *)find(json_object_get(json_object_get(rep, "table4"), "rows"), "reconsideration");
	json_object_set_new(json_object_get(r4, "values"), "total", json_integer(5));
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, NULL));
	c = check(rep, "table4_totals");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "行政复议：总计5");
	json_object_set_new(json_object_get(r4, "values"), "total", json_integer(2));

	/* 现行有效件数 against the previous figure the caller gives */
	drep_prev_t p = prev;
	p.in_force[0] = 10;
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, &p));
	c = check(rep, "table2_in_force");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "规章：上年末10+本年制发1−本年废止1=10，现行有效件数为2");

	/* 上年结转 against last year's 结转下年度 */
	p = prev;
	p.carried_out[DREP_OTHER_ORG] = 2;
	p.carried_out[DREP_APPLICANT_N] = 4;
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, &p));
	c = check(rep, "table3_carried_in");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "其他列：本年上年结转1，上年度结转下年度2");

	/* a cell that is not a number */
	set3(rep, "reject_mass", "legal", -1);
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, NULL));
	c = check(rep, "cells");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "“无正当理由大量反复申请”的legal列");
	set3(rep, "reject_mass", "legal", 1); /* 16 % 6 = 4: the legal column */

	/* back to consistent: everything passes again */
	json_object_set_new(rep, "checks", disclosure_report_checks(rep, NULL));
	all_ok(json_object_get(rep, "checks"));
	json_decref(rep);
}

static void records_out_of_order(void **state)
{
	(void)state;
	/* a reply dated before its receipt: received this year, replied to last year, so in no row but 一 */
	req(DREP_PERSON, ymd(2025, 2, 1), ymd(2024, 12, 20), DREP_PUBLIC, 0);
	in.n_requests = n_reqs;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	const json_t *c = check(rep, "records");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "1件申请的答复日期早于收到日期");
	assert_false(json_is_true(json_object_get(check(rep, "table3_balance"), "ok")));
	json_decref(rep);
}

static void document_without_end_day(void **state)
{
	(void)state;
	/* marked repealed but without the day: counted as made and repealed in its year, never in force,
	 * and the records check asks for the day */
	docs[7] = (drep_document_t){ymd(2025, 8, 1), ymd(2025, 8, 2), DREP_NO_DATE, DREP_NORMATIVE, DREP_REPEALED};
	in.n_documents = 8;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	assert_int_equal(t2(rep, "normative", "made"), 2);
	assert_int_equal(t2(rep, "normative", "repealed"), 2);
	assert_int_equal(t2(rep, "normative", "in_force"), 1);
	assert_true(json_is_true(json_object_get(check(rep, "table2_in_force"), "ok")));
	const json_t *c = check(rep, "records");
	assert_false(json_is_true(json_object_get(c, "ok")));
	contains(json_string_value(json_object_get(c, "detail")), "1件文件的有效性与其废止、失效日期不符");
	json_decref(rep);
}

static void bad_input(void **state)
{
	(void)state;
	json_t *rep = NULL;
	drep_input_t x = in;
	x.year = 1800;
	assert_int_equal(disclosure_report_build(&x, &rep), YW_EINVAL);
	reqs[0].applicant = DREP_APPLICANT_N;
	assert_int_equal(disclosure_report_build(&in, &rep), YW_EINVAL);
	reqs[0].applicant = 0;
	reqs[0].result = DREP_RESULT_N;
	assert_int_equal(disclosure_report_build(&in, &rep), YW_EINVAL);
	reqs[0].result = 0;
	rems[0].outcome = DREP_OUTCOME_N;
	assert_int_equal(disclosure_report_build(&in, &rep), YW_EINVAL);
	rems[0].outcome = 0;
	docs[0].kind = DREP_DOC_KIND_N;
	assert_int_equal(disclosure_report_build(&in, &rep), YW_EINVAL);
	assert_null(rep);
	assert_int_equal(drep_applicant_from_code("other_org"), DREP_OTHER_ORG);
	assert_int_equal(drep_applicant_from_code("nobody"), -1);
	assert_int_equal(drep_applicant_from_code(NULL), -1);
	assert_int_equal(drep_stage_from_code("suit_after"), DREP_SUIT_AFTER);
	assert_int_equal(drep_outcome_from_code("pending"), DREP_PENDING);
	assert_int_equal(drep_doc_kind_from_code("normative"), DREP_NORMATIVE);
	assert_int_equal(drep_validity_from_code("repealed"), DREP_REPEALED);
	assert_int_equal(drep_result_from_code("other_no_fee"), DREP_OTHER_NO_FEE);
}

static void narrative_numbers(void **state)
{
	(void)state;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	contains(json_string_value(json_object_get(rep, "title")), "某市人民政府办公室2025年政府信息公开工作年度报告");
	contains(json_string_value(json_object_get(rep, "preface")), "国办公开办函〔2021〕30号");
	const char *s = text(rep, "requests");
	/* last year (from the same records): A, B, C, F received = 4 */
	contains(s, "本年度共收到政府信息公开申请23件，同比增长475.0%");
	contains(s, "其中自然人申请4件，占17.4%；法人或其他组织申请19件（商业企业4件、科研机构4件、社会公益组织4件、"
		    "法律服务机构4件、其他组织3件）");
	contains(s, "上年结转3件");
	contains(s, "本年度办结23件，其中予以公开2件（占8.7%），部分公开2件（占8.7%），不予公开8件，无法提供3件，不予处理5件，"
		    "其他处理3件");
	contains(s, "结转下年度继续办理3件");
	s = text(rep, "overview");
	contains(s, "全年主动公开政府信息3条");
	contains(s, "其中按期答复21件、逾期答复2件");
	s = text(rep, "proactive");
	contains(s, "制发规章1件、行政规范性文件1件，废止规章1件、行政规范性文件1件（其中宣布失效1件）");
	contains(s, "现行有效规章2件、行政规范性文件1件");
	contains(s, "作出行政许可决定1234件、行政处罚决定56件、行政强制决定7件；收取行政事业性收费12.3457万元");
	s = text(rep, "remedies");
	contains(s, "被申请行政复议2件，其中结果维持1件、结果纠正0件、其他结果0件、尚未审结1件");
	contains(s, "被提起行政诉讼3件（未经复议直接起诉2件、复议后起诉1件），其中结果维持0件、结果纠正1件、其他结果1件、尚未审结1件");
	s = text(rep, "problems");
	contains(s, "有2件政府信息公开申请未在法定期限内答复");
	contains(s, "有1件行政复议、行政诉讼案件结果被纠正");
	contains(s, "有1件信访、举报、投诉类诉求");
	contains(s, "下一步");
	s = text(rep, "other");
	contains(s, "发出收费通知2件，总金额150.00元，实际收取信息处理费100.00元");
	assert_int_equal(json_array_size(json_object_get(rep, "sections")), 6);

	/* an edited figure, redrafted */
	set3(rep, "new", "total", 30);
	disclosure_report_draft(rep);
	contains(text(rep, "requests"), "本年度共收到政府信息公开申请30件");
	json_decref(rep);
}

static void empty_year(void **state)
{
	(void)state;
	drep_input_t x = {.organ = "某区司法局", .year = 2025};
	json_t *rep;
	assert_int_equal(disclosure_report_build(&x, &rep), 0);
	all_ok(json_object_get(rep, "checks"));
	assert_null(check(rep, "table3_carried_in")); /* no last-year figures given */
	contains(text(rep, "remedies"), "本年度未发生因政府信息公开工作引起的行政复议、行政诉讼案件。");
	contains(text(rep, "requests"), "本年度共收到政府信息公开申请0件。上年结转0件。本年度办结0件。");
	contains(text(rep, "other"), "未发出收费通知，未收取信息处理费");
	assert_null(strstr(text(rep, "requests"), "同比"));
	json_decref(rep);
}

static void prev_round_trip(void **state)
{
	(void)state;
	/* last year's report, read back, gives this year's comparison figures */
	drep_input_t last = in;
	last.year = 2024;
	last.prev = NULL;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&last, &rep), 0);
	drep_prev_t p;
	drep_prev_from_report(rep, &p);
	for (int c = 0; c < DREP_COLUMNS; c++) {
		assert_int_equal(p.received[c], prev.received[c]);
		assert_int_equal(p.carried_out[c], prev.carried_out[c]);
	}
	assert_int_equal(p.in_force[0], prev.in_force[0]);
	assert_int_equal(p.in_force[1], prev.in_force[1]);
	assert_int_equal(p.published, prev.published);
	assert_int_equal(p.remedies, prev.remedies);
	assert_int_equal(p.remedies, 1);
	json_decref(rep);
}

static void xlsx_opens(void **state)
{
	(void)state;
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	char path[] = "/tmp/yw-test-report-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(disclosure_report_write_xlsx(rep, path), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	unlink(path);
	assert_true(n > 4000);
	assert_memory_equal(buf, "PK\x03\x04", 4);
	/* a zip's member names are stored uncompressed: one worksheet per table */
	assert_non_null(memmem(buf, n, "xl/worksheets/sheet1.xml", 24));
	assert_non_null(memmem(buf, n, "xl/worksheets/sheet3.xml", 24));
	assert_int_equal(disclosure_report_write_xlsx(json_object_get(rep, "figures"), path), YW_EINVAL);
	json_decref(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(table3_by_hand, setup),
		cmocka_unit_test_setup(tables_2_and_4_by_hand, setup),
		cmocka_unit_test_setup(checks_fail_on_edited_figures, setup),
		cmocka_unit_test_setup(records_out_of_order, setup),
		cmocka_unit_test_setup(document_without_end_day, setup),
		cmocka_unit_test_setup(bad_input, setup),
		cmocka_unit_test_setup(narrative_numbers, setup),
		cmocka_unit_test(empty_year),
		cmocka_unit_test_setup(prev_round_trip, setup),
		cmocka_unit_test_setup(xlsx_opens, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
