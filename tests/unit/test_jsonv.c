/* Field validation (platform/jsonv.h): what counts as a blank, and v_str's rule that a required
 * text with nothing visible in it (spaces, 全角空格, zero-width characters) is not filled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "platform/jsonv.h"

static void blanks(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
	} cases[] = {
		{" x", 1},           {"\t", 1},           {"\n", 1},           {"\xc2\xa0", 2},     {"\xe3\x80\x80", 3},
		{"\xe2\x80\x8b", 3}, {"\xe2\x80\x8f", 3}, {"\xe2\x81\xa0", 3}, {"\xef\xbb\xbf", 3}, {"x", 0},
		{"中", 0},           {"\xe2\x80\x90", 0} /* U+2010 hyphen: visible */, {"\xe2\x80", 0} /* cut short */,
		{"\xc2", 0},         {"", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(utf8_blank_len(cases[i].s), cases[i].len);
	assert_false(utf8_has_visible(""));
	assert_false(utf8_has_visible(" \xe3\x80\x80\xe2\x80\x8b\t"));
	assert_true(utf8_has_visible(" \xe3\x80\x80" "a"));
	assert_true(utf8_has_visible("\xe2\x80\x8b张"));
}

static void required_text_needs_something_visible(void **state)
{
	(void)state;
	json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "blank", " \xe3\x80\x80\xe2\x80\x8b", "name", " 张三 ", "note", "  ",
			       "empty", "");
	vctx_t v = {0};
	assert_string_equal(v_str(&v, in, "blank", 1, 50), "");
	assert_string_equal(v_str(&v, in, "name", 1, 50), " 张三 "); /* kept as given: the caller trims if it wants */
	assert_string_equal(v_str(&v, in, "note", 0, 50), "  ");      /* optional: blanks are the caller's to drop */
	assert_string_equal(v_str(&v, in, "empty", 1, 50), "");
	assert_int_equal(json_array_size(v.errors), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(v.errors, 0), "field")), "blank");
	assert_string_equal(json_string_value(json_object_get(json_array_get(v.errors, 0), "message")), "不能只填空格或不可见字符");
	assert_string_equal(json_string_value(json_object_get(json_array_get(v.errors, 1), "message")), "不能为空");
	json_decref(v.errors);
	json_decref(in);
}

static void halfwidth(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"１３８　００１３－８０００", "138 0013-8000"}, {"＋８６１３８", "+86138"}, {"ＱＳＰ２ａｂ", "QSP2ab"},
		{"４３０１０２１９９００１０１１２３Ｘ", "43010219900101123X"}, {"张三·阿卜杜拉", "张三·阿卜杜拉"},
		{"ｘ\xef\xbc", "x\xef\xbc"} /* a full-width form cut short stays as it was */, {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "%s", cases[i][0]);
		utf8_halfwidth(buf);
		assert_string_equal(buf, cases[i][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(blanks), cmocka_unit_test(required_text_needs_something_visible),
					   cmocka_unit_test(halfwidth)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
