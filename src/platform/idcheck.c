/* Checks of 居民身份证号码 (GB 11643-1999), 统一社会信用代码 (GB 32100-2015, check
 * character per GB/T 17710 as the standard specifies) and administrative division codes
 * (GB/T 2260, with the GB/T 10114 town and village extensions). Each check is one
 * function that returns the first problem found, so the yes/no answer and the reason
 * shown to the applicant can never disagree. */
#include "platform/idcheck.h"

#include <stdbool.h>
#include <string.h>

#include "platform/err.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int two_digits(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* ---- region codes (GB/T 2260) ---- */

static bool gbt2260_province(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
	       (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
	       p == 71 || p == 81 || p == 82;
}

/* s holds 6 digits; the province has been checked by the caller. */
static bool region6_shape(const char *s)
{
	bool prefecture_zero = s[2] == '0' && s[3] == '0';
	bool county_zero = s[4] == '0' && s[5] == '0';
	return !prefecture_zero || county_zero;
}

static bool is_zero3(const char *s)
{
	return s[0] == '0' && s[1] == '0' && s[2] == '0';
}

int idcheck_region_code(const char *s, size_t len)
{
	if (s == NULL || (len != 6 && len != 9 && len != 12) || !all_digits(s, len))
		return YW_EINVAL;
	if (!gbt2260_province(two_digits(s)) || !region6_shape(s))
		return YW_EINVAL;
	if (len >= 9 && ((s[2] == '0' && s[3] == '0') || is_zero3(s + 6)))
		return YW_EINVAL;
	if (len == 12 && is_zero3(s + 9))
		return YW_EINVAL;
	return 0;
}

/* ---- 居民身份证号码 (GB 11643-1999) ---- */

char idcheck_person_check_char(const char *first17)
{
	static const unsigned char weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check_char[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
	if (first17 == NULL || !all_digits(first17, 17))
		return '\0';
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += weight[i] * (first17[i] - '0');
	return check_char[sum % 11];
}

static const char *person_problem(const char *s, size_t len, yw_date_t *birth)
{
	if (s == NULL || len != 18)
		return "长度应为18位";
	if (!all_digits(s, 17) || !(is_digit(s[17]) || s[17] == 'X' || s[17] == 'x'))
		return "含有非法字符";
	if (s[17] == 'x')
		return "校验位X应为大写";
	int province = two_digits(s);
	if (!(gbt2260_province(province) || province == 83 || province == 91) || !region6_shape(s))
		return "地区码无效";
	/* Re-using the strict ISO parser keeps one definition of a valid date and range. */
	char iso[10] = {s[6], s[7], s[8], s[9], '-', s[10], s[11], '-', s[12], s[13]};
	yw_date_t d;
	if (date_parse(iso, sizeof iso, &d) != 0)
		return "出生日期无效";
	if (s[17] != idcheck_person_check_char(s))
		return "校验位错误";
	*birth = d;
	return NULL;
}

int idcheck_person(const char *s, size_t len, yw_date_t *birth_out)
{
	yw_date_t d;
	if (person_problem(s, len, &d) != NULL)
		return YW_EINVAL;
	if (birth_out != NULL)
		*birth_out = d;
	return 0;
}

const char *idcheck_person_reason(const char *s, size_t len)
{
	yw_date_t d;
	return person_problem(s, len, &d);
}

const char *idcheck_person_reason_on(const char *s, size_t len, yw_date_t today)
{
	yw_date_t d;
	const char *why = person_problem(s, len, &d);
	return why ? why : d > today ? "出生日期晚于今天" : NULL;
}

int idcheck_person_age(const char *id, yw_date_t today, int *age_out)
{
	if (id == NULL)
		return YW_EINVAL;
	/* Bounded scan: an unterminated buffer must not be read past one byte beyond a
	 * valid ID's length. */
	size_t len = 0;
	while (len < 19 && id[len] != '\0')
		len++;
	yw_date_t birth;
	if (idcheck_person(id, len, &birth) != 0 || today < birth)
		return YW_EINVAL;
	int by, bm, bd, ty, tm, td;
	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(today, &ty, &tm, &td);
	*age_out = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
	return 0;
}

/* ---- 统一社会信用代码 (GB 32100-2015) ---- */

/* The code alphabet in value order: digits, then letters without I O S V Z, which are
 * too easily read as digits. */
static const char uscc_alphabet[32] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int uscc_value(char c)
{
	for (int v = 0; v < 31; v++)
		if (uscc_alphabet[v] == c)
			return v;
	return -1;
}

/* A lower-case letter that would be valid in upper case gets its own reason: it is the
 * commonest slip when codes are typed. */
static bool is_lower_of_valid(char c)
{
	return c >= 'a' && c <= 'z' && uscc_value((char)(c - 'a' + 'A')) >= 0;
}

/* GB 32100-2015 names the registration authority in position 1 from a table kept in its
 * annex (1 机构编制, 5 民政, 9 工商, Y 其他 among others); the tables circulating since
 * (外交, 司法行政, 文化, 旅游, 宗教, 工会, 军队 A, 农业 N, ...) disagree on the letters.
 * Refusing a real organisation's code is worse than letting a typo through to the
 * checksum, so every digit but 0, A-H, N and Y are accepted. */
static bool uscc_authority(char c)
{
	return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || c == 'N' || c == 'Y';
}

/* -1 when a character is outside the alphabet. */
static int uscc_check_value(const char *s)
{
	static const unsigned char weight[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
						 29, 25, 13, 8,  24, 10, 30, 28};
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		int v = uscc_value(s[i]);
		if (v < 0)
			return -1;
		sum += weight[i] * v;
	}
	return (31 - sum % 31) % 31;
}

static const char *uscc_problem(const char *s, size_t len)
{
	if (s == NULL || len != 18)
		return "长度应为18位";
	bool lower = false;
	for (size_t i = 0; i < 18; i++) {
		if (uscc_value(s[i]) < 0) {
			if (!is_lower_of_valid(s[i]))
				return "含有非法字符";
			lower = true;
		}
	}
	if (lower)
		return "字母应为大写";
	if (!uscc_authority(s[0]))
		return "登记管理部门代码无效";
	if (!all_digits(s + 2, 6))
		return "登记管理机关行政区划码无效";
	if (s[17] != uscc_alphabet[uscc_check_value(s)])
		return "校验位错误";
	return NULL;
}

int idcheck_uscc(const char *s, size_t len)
{
	return uscc_problem(s, len) == NULL ? 0 : YW_EINVAL;
}

const char *idcheck_uscc_reason(const char *s, size_t len)
{
	return uscc_problem(s, len);
}

char idcheck_uscc_check_char(const char *first17)
{
	int v = first17 != NULL ? uscc_check_value(first17) : -1;
	return v < 0 ? '\0' : uscc_alphabet[v];
}

/* ---- telephone numbers ---- */

static bool digits_between(const char *s, size_t n, size_t lo, size_t hi)
{
	return n >= lo && n <= hi && all_digits(s, n);
}

/* 400 / 800 numbers (400-xxx-xxxx, with or without the dashes). */
static bool service_400(const char *s, size_t len)
{
	char d[10];
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '-' && i > 0 && s[i - 1] != '-')
			continue;
		if (!is_digit(s[i]) || n == sizeof d)
			return false;
		d[n++] = s[i];
	}
	return n == 10 && (memcmp(d, "400", 3) == 0 || memcmp(d, "800", 3) == 0);
}

static bool service_number(const char *s, size_t len)
{
	if (len == 5 && s[0] == '1' && all_digits(s, 5))
		return true; /* 12345, 12315, 12366, ... */
	if ((len == 5 || len == 8) && s[0] == '9' && s[1] == '5' && all_digits(s, len))
		return true; /* 95xxx, 95xxxxxx */
	return service_400(s, len);
}

static const char *landline_problem(const char *s, size_t len)
{
	/* The area code is 3 digits for 010 and 02x, else 4. */
	size_t area = (len >= 3 && s[1] == '1' && s[2] == '0') || (len >= 2 && s[1] == '2') ? 3 : 4;
	if (len < area || !all_digits(s, area) || s[1] == '0' || (s[1] == '1' && area == 4))
		return "区号无效";
	const char *p = s + area, *end = s + len;
	if (p < end && *p == '-')
		p++;
	const char *dash = memchr(p, '-', (size_t)(end - p));
	size_t sub = (size_t)((dash ? dash : end) - p);
	if (!digits_between(p, sub, 7, 8))
		return "固定电话号码应为区号加7至8位号码";
	if (*p == '0' || *p == '1')
		return "固定电话号码不能以0或1开头";
	if (dash && !digits_between(dash + 1, (size_t)(end - dash - 1), 1, 6))
		return "分机号应为1至6位数字";
	return NULL;
}

static const char *phone_problem(const char *s, size_t len, bool org)
{
	if (s == NULL || len == 0)
		return "不能为空";
	if (len > 20)
		return "号码过长";
	for (size_t i = 0; i < len; i++)
		if (!is_digit(s[i]) && s[i] != '-' && s[i] != '+' && s[i] != ' ')
			return "只能包含数字、+ 和 -";
	if (s[0] == '+') {
		if (len < 3 || s[1] != '8' || s[2] != '6')
			return "仅支持中国大陆号码（+86）";
		s += 3;
		len -= 3;
		if (len && (s[0] == ' ' || s[0] == '-')) {
			s++;
			len--;
		}
		if (len != 11 || s[0] != '1')
			return "+86 后应为11位手机号码";
	}
	if (s[0] == '1' && len == 11)
		return all_digits(s, 11) && s[1] >= '3' && s[1] <= '9' ? NULL : "手机号码应为1[3-9]开头的11位数字";
	if (service_number(s, len))
		return org ? NULL : "服务热线号码不能作为个人联系电话";
	if (s[0] == '1')
		return "手机号码应为1[3-9]开头的11位数字";
	if (s[0] == '0')
		return landline_problem(s, len);
	return "应为手机号码或带区号的固定电话";
}

int idcheck_phone(const char *s, size_t len, bool org)
{
	return phone_problem(s, len, org) == NULL ? 0 : YW_EINVAL;
}

const char *idcheck_phone_reason(const char *s, size_t len, bool org)
{
	return phone_problem(s, len, org);
}
