/* Tests of the identifier checks (platform/idcheck.c): GB 32100-2015 统一社会信用代码,
 * GB 11643-1999 居民身份证号码 and GB/T 2260 region codes. Check characters are computed
 * here independently of the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "platform/date.h"
#include "platform/err.h"
#include "platform/idcheck.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char all_chars[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

static yw_date_t D(const char *s)
{
	yw_date_t d = 0;
	if (date_parse(s, strlen(s), &d) != 0)
		fail_msg("bad date literal in test: %s", s);
	return d;
}

/* Whatever the input, the yes/no answer and the reason must agree. */
static void check_uscc(const char *s, size_t len, bool ok)
{
	int rc = idcheck_uscc(s, len);
	const char *why = idcheck_uscc_reason(s, len);
	if ((rc == 0) != ok)
		fail_msg("idcheck_uscc(%.*s) = %d, want %s", (int)len, s, rc, ok ? "ok" : "refused");
	assert_true(rc == 0 || rc == YW_EINVAL);
	assert_true((why == NULL) == (rc == 0));
}

static void check_person(const char *s, size_t len, bool ok)
{
	yw_date_t birth;
	int rc = idcheck_person(s, len, &birth);
	const char *why = idcheck_person_reason(s, len);
	if ((rc == 0) != ok)
		fail_msg("idcheck_person(%.*s) = %d (%s), want %s", (int)len, s, rc,
			 why ? why : "-", ok ? "ok" : "refused");
	assert_true(rc == 0 || rc == YW_EINVAL);
	assert_true((why == NULL) == (rc == 0));
	assert_int_equal(idcheck_person(s, len, NULL), rc);
}

/* ---- 统一社会信用代码 ---- */

static const char real_uscc[] = "124301006803170439"; /* seed 000 */

static void test_uscc_real_code_and_every_single_change(void **state)
{
	(void)state;
	check_uscc(real_uscc, 18, true);
	assert_int_equal(idcheck_uscc_check_char(real_uscc), '9');
	char s[19];
	int refused = 0;
	for (int pos = 0; pos < 18; pos++) {
		for (size_t c = 0; c < sizeof all_chars - 1; c++) {
			if (all_chars[c] == real_uscc[pos])
				continue;
			memcpy(s, real_uscc, sizeof s);
			s[pos] = all_chars[c];
			check_uscc(s, 18, false);
			refused++;
		}
	}
	assert_int_equal(refused, 18 * 35);
}

static int uscc_val(char c)
{
	const char *p = strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", c);
	return p != NULL && c != '\0' ? (int)(p - "0123456789ABCDEFGHJKLMNPQRTUWXY") : -1;
}

static char uscc_check_reference(const char *s)
{
	static const int w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += w[i] * uscc_val(s[i]);
	return "0123456789ABCDEFGHJKLMNPQRTUWXY"[(31 - sum % 31) % 31];
}

static void test_uscc_generated(void **state)
{
	(void)state;
	static const char *const first17[] = {
		"91430100MA4L0000X", "52430102MJ0000001", "11100000000013127", "Y1430100000000001",
		"N2430121MF0000001", "93430181MA4PXXXXQ", "51110000500000000",
	};
	for (size_t i = 0; i < COUNT(first17); i++) {
		char s[19];
		memcpy(s, first17[i], 17);
		s[17] = idcheck_uscc_check_char(first17[i]);
		s[18] = '\0';
		assert_int_equal(s[17], uscc_check_reference(first17[i]));
		check_uscc(s, 18, true);
	}
	assert_int_equal(idcheck_uscc_check_char("9143010IMA4L00000"), '\0');
	assert_int_equal(idcheck_uscc_check_char(NULL), '\0');
}

static void test_uscc_reasons(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		const char *why;
	} t[] = {
		{"", "长度应为18位"},
		{"12430100680317043", "长度应为18位"},
		{"1243010068031704390", "长度应为18位"},
		{"12430100680317043I", "含有非法字符"},
		{"12430100680317043-", "含有非法字符"},
		{"12430100680317043i", "含有非法字符"}, /* no I in either case */
		{"91430100ma4l0000xq", "字母应为大写"},
		{"024301006803170439", "登记管理部门代码无效"},
		{"J24301006803170439", "登记管理部门代码无效"},
		{"12A301006803170439", "登记管理机关行政区划码无效"},
		{"124301006803170438", "校验位错误"},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		const char *why = idcheck_uscc_reason(t[i].s, strlen(t[i].s));
		if (why == NULL || strcmp(why, t[i].why) != 0)
			fail_msg("%s: reason %s, want %s", t[i].s, why ? why : "NULL", t[i].why);
		check_uscc(t[i].s, strlen(t[i].s), false);
	}
	assert_non_null(idcheck_uscc_reason(NULL, 18));
	assert_int_equal(idcheck_uscc(NULL, 18), YW_EINVAL);
	/* The length is what counts, not a terminator. */
	check_uscc("124301006803170439trailing", 18, true);
}

/* ---- 居民身份证号码 ---- */

static char person_check_reference(const char *s)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += w[i] * (s[i] - '0');
	return "10X98765432"[sum % 11];
}

/* region (6) + birth (8, YYYYMMDD) + sequence (3) + check */
static void make_person(char out[19], const char *region, const char *birth, int seq)
{
	snprintf(out, 19, "%.6s%.8s%03d", region, birth, seq % 1000);
	out[17] = person_check_reference(out);
	out[18] = '\0';
}

static void test_person_generated_and_every_single_change(void **state)
{
	(void)state;
	static const struct {
		const char *region, *birth, *iso;
	} t[] = {
		{"430102", "19900101", "1990-01-01"}, {"110105", "19491231", "1949-12-31"},
		{"440300", "20000229", "2000-02-29"}, {"810000", "19800515", "1980-05-15"},
		{"830000", "19751010", "1975-10-10"}, {"429004", "19000101", "1900-01-01"},
		{"650102", "21991231", "2199-12-31"}, {"910000", "19880808", "1988-08-08"},
	};
	int with_x = 0;
	for (size_t i = 0; i < COUNT(t); i++) {
		for (int seq = 0; seq < 40; seq++) {
			char id[19], s[19];
			make_person(id, t[i].region, t[i].birth, seq);
			with_x += id[17] == 'X';
			check_person(id, 18, true);
			yw_date_t birth = 0;
			assert_int_equal(idcheck_person(id, 18, &birth), 0);
			assert_int_equal(birth, D(t[i].iso));
			if (seq % 8 != 0)
				continue;
			for (int pos = 0; pos < 18; pos++) {
				const char *alpha = pos < 17 ? "0123456789" : "0123456789X";
				for (const char *c = alpha; *c; c++) {
					if (*c == id[pos])
						continue;
					memcpy(s, id, sizeof s);
					s[pos] = *c;
					check_person(s, 18, false);
				}
			}
		}
	}
	assert_true(with_x > 0); /* the X check character was exercised */
	/* The example number printed in GB 11643-1999. */
	check_person("11010519491231002X", 18, true);
	check_person("11010519491231002x", 18, false);
}

static void test_person_reasons(void **state)
{
	(void)state;
	char id[19];
	static const struct {
		const char *region, *birth;
		const char *why; /* with a correct check digit */
	} t[] = {
		{"430102", "20250229", "出生日期无效"}, {"430102", "18991231", "出生日期无效"},
		{"430102", "22000101", "出生日期无效"}, {"430102", "19901301", "出生日期无效"},
		{"430102", "19900100", "出生日期无效"}, {"100102", "19900101", "地区码无效"},
		{"160102", "19900101", "地区码无效"},   {"990102", "19900101", "地区码无效"},
		{"000000", "19900101", "地区码无效"},   {"430012", "19900101", "地区码无效"},
		{"840000", "19900101", "地区码无效"},   {"430102", "20240229", NULL},
		{"430000", "19900101", NULL},          {"710000", "19900101", NULL},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		make_person(id, t[i].region, t[i].birth, 123);
		const char *why = idcheck_person_reason(id, 18);
		if ((why == NULL) != (t[i].why == NULL) || (why && strcmp(why, t[i].why) != 0))
			fail_msg("%s: reason %s, want %s", id, why ? why : "NULL",
				 t[i].why ? t[i].why : "NULL");
		check_person(id, 18, t[i].why == NULL);
	}
	static const struct {
		const char *s;
		const char *why;
	} raw[] = {
		{"", "长度应为18位"},
		{"43010219900101123", "长度应为18位"},
		{"4301021990010112345", "长度应为18位"},
		{"43010219900101123A", "含有非法字符"},
		{"4301021990010112X4", "含有非法字符"},
		{"43010219900101 234", "含有非法字符"},
		{"11010519491231002x", "校验位X应为大写"},
		{"110105194912310021", "校验位错误"},
	};
	for (size_t i = 0; i < COUNT(raw); i++) {
		const char *why = idcheck_person_reason(raw[i].s, strlen(raw[i].s));
		if (why == NULL || strcmp(why, raw[i].why) != 0)
			fail_msg("%s: reason %s, want %s", raw[i].s, why ? why : "NULL", raw[i].why);
		check_person(raw[i].s, strlen(raw[i].s), false);
	}
	assert_int_equal(idcheck_person(NULL, 18, NULL), YW_EINVAL);
	assert_non_null(idcheck_person_reason(NULL, 0));
	/* On a given day: a birth date after it is impossible for an applicant. */
	make_person(id, "430102", "20300101", 5);
	check_person(id, 18, true);
	assert_string_equal(idcheck_person_reason_on(id, 18, D("2026-12-03")), "出生日期晚于今天");
	assert_null(idcheck_person_reason_on(id, 18, D("2030-01-01")));
	assert_string_equal(idcheck_person_reason_on("110105194912310021", 18, D("2026-12-03")), "校验位错误");
}

static void test_person_age(void **state)
{
	(void)state;
	char id[19];
	int age = -1;
	make_person(id, "430102", "19600315", 7);
	assert_int_equal(idcheck_person_age(id, D("2025-03-15"), &age), 0); /* birthday today */
	assert_int_equal(age, 65);
	assert_int_equal(idcheck_person_age(id, D("2025-03-14"), &age), 0); /* tomorrow */
	assert_int_equal(age, 64);
	assert_int_equal(idcheck_person_age(id, D("2025-03-16"), &age), 0);
	assert_int_equal(age, 65);
	assert_int_equal(idcheck_person_age(id, D("2025-12-31"), &age), 0);
	assert_int_equal(age, 65);
	assert_int_equal(idcheck_person_age(id, D("1960-03-15"), &age), 0); /* born today */
	assert_int_equal(age, 0);
	age = -1;
	assert_int_equal(idcheck_person_age(id, D("1960-03-14"), &age), YW_EINVAL);
	assert_int_equal(age, -1);

	make_person(id, "430102", "20000229", 8); /* leap-day birthday */
	assert_int_equal(idcheck_person_age(id, D("2025-02-28"), &age), 0);
	assert_int_equal(age, 24);
	assert_int_equal(idcheck_person_age(id, D("2025-03-01"), &age), 0);
	assert_int_equal(age, 25);
	assert_int_equal(idcheck_person_age(id, D("2024-02-29"), &age), 0);
	assert_int_equal(age, 24);

	assert_int_equal(idcheck_person_age("110105194912310021", D("2025-01-01"), &age), YW_EINVAL);
	assert_int_equal(idcheck_person_age("11010519491231002X9", D("2025-01-01"), &age), YW_EINVAL);
	assert_int_equal(idcheck_person_age("11010519491231002X", D("2025-01-01"), &age), 0);
	assert_int_equal(age, 75);
	assert_int_equal(idcheck_person_age(NULL, D("2025-01-01"), &age), YW_EINVAL);
}

/* ---- GB/T 2260 region codes ---- */

static void test_region_codes(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		bool ok;
	} t[] = {
		{"430100", true},        {"430000", true},        {"430102", true},
		{"110101", true},        {"500229", true},        {"429004", true},
		{"710000", true},        {"810000", true},        {"820000", true},
		{"430102001", true},     {"441900003", true},     {"430102001001", true},
		{"430102101203", true},  {"430000001", false},    {"430102000", false},
		{"430102001000", false}, {"430012", false},       {"100000", false},
		{"160000", false},       {"830000", false},       {"910000", false},
		{"000000", false},       {"4301", false},         {"4301020", false},
		{"43010a", false},       {"4301020010", false},   {"43010200100a", false},
		{"", false},             {"4301020010011", false}, {" 430102", false},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		int rc = idcheck_region_code(t[i].s, strlen(t[i].s));
		if ((rc == 0) != t[i].ok)
			fail_msg("idcheck_region_code(%s) = %d", t[i].s, rc);
		if (!t[i].ok)
			assert_int_equal(rc, YW_EINVAL);
	}
	assert_int_equal(idcheck_region_code(NULL, 6), YW_EINVAL);
}

/* ---- telephone numbers ---- */

static void check_phone(const char *s, bool org, const char *want)
{
	size_t len = strlen(s);
	const char *why = idcheck_phone_reason(s, len, org);
	int rc = idcheck_phone(s, len, org);
	if ((why == NULL) != (want == NULL) || (why && want && strcmp(why, want) != 0))
		fail_msg("phone %s (org %d): reason %s, want %s", s, org, why ? why : "NULL", want ? want : "NULL");
	assert_int_equal(rc, why == NULL ? 0 : YW_EINVAL);
}

static void test_phone_mobile(void **state)
{
	(void)state;
	static const char *const ok[] = {"13800138000", "13912345678", "14700000000", "15012345678", "16612345678",
					 "17712345678", "18812345678", "19912345678", "+8613800138000",
					 "+86 13800138000", "+86-13800138000"};
	for (size_t i = 0; i < COUNT(ok); i++) {
		check_phone(ok[i], false, NULL);
		check_phone(ok[i], true, NULL);
	}
	static const struct {
		const char *s, *why;
	} bad[] = {
		{"10800138000", "手机号码应为1[3-9]开头的11位数字"},
		{"11800138000", "手机号码应为1[3-9]开头的11位数字"},
		{"12800138000", "手机号码应为1[3-9]开头的11位数字"},
		{"1380013800", "手机号码应为1[3-9]开头的11位数字"},
		{"138001380001", "手机号码应为1[3-9]开头的11位数字"},
		{"138-0013-8000", "手机号码应为1[3-9]开头的11位数字"},
		{"+8513800138000", "仅支持中国大陆号码（+86）"},
		{"+86073188666000", "+86 后应为11位手机号码"},
		{"1380013800a", "只能包含数字、+ 和 -"},
		{"", "不能为空"},
		{"138001380001380013800", "号码过长"},
		{"23800138000", "应为手机号码或带区号的固定电话"},
	};
	for (size_t i = 0; i < COUNT(bad); i++)
		check_phone(bad[i].s, false, bad[i].why);
	assert_int_equal(idcheck_phone(NULL, 0, false), YW_EINVAL);
}

static void test_phone_landline(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"0731-88666000", "073188666000", "010-62345678", "01062345678", "020-87654321", "029-8765432",
		"0731-8866600", "0731-88666000-123", "010-62345678-1", "0755-23456789-123456", "073188666000-8",
	};
	for (size_t i = 0; i < COUNT(ok); i++) {
		check_phone(ok[i], false, NULL);
		check_phone(ok[i], true, NULL);
	}
	static const struct {
		const char *s, *why;
	} bad[] = {
		{"0012345678", "区号无效"},
		{"0111-2345678", "区号无效"},
		{"07-3188666000", "区号无效"},
		{"073-188666000", "区号无效"}, /* 0731 is four digits: 0731-88666000 */
		{"0731-886660", "固定电话号码应为区号加7至8位号码"},
		{"0731-886660001", "固定电话号码应为区号加7至8位号码"},
		{"0731-08666000", "固定电话号码不能以0或1开头"},
		{"010-62345678-", "分机号应为1至6位数字"},
		{"010-62345678-1234567", "分机号应为1至6位数字"},
		{"0755-23456789-1234567", "号码过长"},
		{"0731--88666000", "固定电话号码应为区号加7至8位号码"},
		{"0731-8866a000", "只能包含数字、+ 和 -"},
	};
	for (size_t i = 0; i < COUNT(bad); i++)
		check_phone(bad[i].s, false, bad[i].why);
	check_phone("0731-8866600-1234567", false, "分机号应为1至6位数字");
}

static void test_phone_service_numbers(void **state)
{
	(void)state;
	/* Hotlines reach a department or a company, never a person. */
	static const char *const svc[] = {"12345", "12315", "12366", "95588", "95105588", "400-123-4567",
					  "4001234567", "800-820-8820", "8008208820"};
	for (size_t i = 0; i < COUNT(svc); i++) {
		check_phone(svc[i], false, "服务热线号码不能作为个人联系电话");
		check_phone(svc[i], true, NULL);
	}
	static const char *const bad[] = {"1234", "123456", "9558", "955881", "400-123-456", "500-123-4567"};
	for (size_t i = 0; i < COUNT(bad); i++) {
		assert_int_equal(idcheck_phone(bad[i], strlen(bad[i]), true), YW_EINVAL);
		assert_int_equal(idcheck_phone(bad[i], strlen(bad[i]), false), YW_EINVAL);
	}
	/* the length is what counts, not a terminator */
	assert_int_equal(idcheck_phone("13800138000xyz", 11, false), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_real_code_and_every_single_change),
		cmocka_unit_test(test_uscc_generated),
		cmocka_unit_test(test_uscc_reasons),
		cmocka_unit_test(test_person_generated_and_every_single_change),
		cmocka_unit_test(test_person_reasons),
		cmocka_unit_test(test_person_age),
		cmocka_unit_test(test_region_codes),
		cmocka_unit_test(test_phone_mobile),
		cmocka_unit_test(test_phone_landline),
		cmocka_unit_test(test_phone_service_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
