/* The annual report as the officer edits it (disclosure_annual.c): the edits over a built report,
 * the stored draft's text carried over, bad edits refused field by field with nothing changed, the
 * checks run again, and the report as the text of the document it is published as. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "disclosure/disclosure_report.h"
#include "platform/err.h"

static json_t *built(void)
{
	static drep_request_t reqs[3];
	reqs[0] = (drep_request_t){date_from_ymd(2025, 3, 2), date_from_ymd(2025, 3, 20), DREP_PERSON, DREP_PUBLIC, 0};
	reqs[1] = (drep_request_t){date_from_ymd(2025, 5, 6), date_from_ymd(2025, 6, 1), DREP_LEGAL, DREP_DENY_LAW, 1};
	reqs[2] = (drep_request_t){date_from_ymd(2025, 12, 20), DREP_NO_DATE, DREP_COMPANY, 0, 0};
	drep_input_t in = {.organ = "某区司法局", .year = 2025, .requests = reqs, .n_requests = 3, .penalties = 12};
	json_t *rep;
	assert_int_equal(disclosure_report_build(&in, &rep), 0);
	return rep;
}

static const char *text(const json_t *rep, const char *key)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(rep, "sections"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "key")), key) == 0)
			return json_string_value(json_object_get(s, "text"));
	return NULL;
}

static void edits_over_the_figures(void **state)
{
	(void)state;
	json_t *rep = built();
	char *overview = strdup(text(rep, "overview"));
	json_t *table3 = json_deep_copy(json_object_get(rep, "table3"));
	json_t *edits = json_pack("{s:s, s:[{s:s, s:s}], s:{}}", "preface", "前言", "sections", "key", "problems", "text",
				  "人员不足。", "table3", "rows");
	vctx_t v = {0};
	assert_int_equal(disclosure_report_apply(rep, NULL, edits, &v), 0);
	assert_null(v.errors);
	assert_string_equal(text(rep, "problems"), "人员不足。");
	assert_string_equal(text(rep, "overview"), overview);
	assert_string_equal(json_string_value(json_object_get(rep, "preface")), "前言");
	assert_true(json_equal(json_object_get(rep, "table3"), table3)); /* the figures are not the edit's */
	char failed[200];
	assert_true(disclosure_report_checks_ok(rep, failed, sizeof failed));
	assert_string_equal(failed, "");

	/* a second edit over a fresh build keeps the stored draft's text where it says nothing */
	json_t *again = built();
	json_t *e2 = json_pack("{s:[{s:s, s:s}]}", "sections", "key", "other", "text", "未收取信息处理费。");
	assert_int_equal(disclosure_report_apply(again, rep, e2, &v), 0);
	assert_string_equal(text(again, "problems"), "人员不足。");
	assert_string_equal(text(again, "other"), "未收取信息处理费。");
	assert_string_equal(json_string_value(json_object_get(again, "preface")), "前言");

	/* the text of the document */
	char *body = disclosure_report_text(again);
	assert_non_null(body);
	assert_non_null(strstr(body, "前言\n\n一、总体情况\n"));
	assert_non_null(strstr(body, "五、存在的主要问题及改进情况\n人员不足。\n"));
	assert_non_null(strstr(body, "  行政处罚：本年处理决定数量 12\n"));
	assert_non_null(strstr(body, "一、本年新收政府信息公开申请数量：自然人 1，"));
	assert_non_null(strstr(body, "    2. 其他法律行政法规禁止公开：自然人 0，法人或其他组织·商业企业 0，"));
	assert_non_null(strstr(body, "\n行政复议：结果维持 0，"));
	assert_non_null(strstr(body, "行政诉讼·复议后起诉："));
	free(body);
	free(overview);
	json_decref(table3);
	json_decref(edits);
	json_decref(e2);
	json_decref(again);
	json_decref(rep);
}

static void bad_edits(void **state)
{
	(void)state;
	json_t *rep = built();
	char *problems = strdup(text(rep, "problems"));
	json_t *edits = json_pack("{s:[{s:s, s:s}, {s:s, s:s}, {s:s}, {s:s, s:s}, {s:i}, {s:s, s:s}]}", "sections", "key",
				  "nosuch", "text", "x", "key", "problems", "text", "", "key", "other", "key", "overview",
				  "text", "a", "key", 3, "key", "overview", "text", "b");
	assert_non_null(edits);
	vctx_t v = {0};
	assert_int_equal(disclosure_report_apply(rep, NULL, edits, &v), YW_EINVAL);
	char *errs = json_dumps(v.errors, JSON_COMPACT);
	assert_non_null(strstr(errs, "sections[0].key"));
	assert_non_null(strstr(errs, "sections[1].text"));
	assert_non_null(strstr(errs, "sections[2].text"));
	assert_non_null(strstr(errs, "sections[4].key")); /* a number is no section */
	assert_non_null(strstr(errs, "sections[5].key")); /* overview twice */
	free(errs);
	json_decref(v.errors);
	assert_string_equal(text(rep, "problems"), problems);
	json_decref(edits);
	vctx_t w = {0};
	json_t *arr = json_array();
	assert_int_equal(disclosure_report_apply(rep, NULL, arr, &w), YW_EINVAL);
	json_decref(w.errors);
	json_decref(arr);
	free(problems);
	json_decref(rep);
}

static void failing_checks_are_named(void **state)
{
	(void)state;
	json_t *rep = built();
	json_t *checks = json_object_get(rep, "checks");
	json_object_set_new(json_array_get(checks, 1), "ok", json_false());
	char failed[200];
	assert_false(disclosure_report_checks_ok(rep, failed, sizeof failed));
	assert_true(strlen(failed) > 0);
	json_decref(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(edits_over_the_figures),
		cmocka_unit_test(bad_edits),
		cmocka_unit_test(failing_checks_are_named),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
