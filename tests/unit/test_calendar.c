/* Tests of the civil dates (platform/date.c) and the working-day calendar
 * (platform/calendar.c) against the 国务院办公厅 holiday notices for 2024-2026 as tabled in
 * docs/domain.md §5. The expectation is built here from literal ranges, independently of
 * data/calendar.json and its loader, so a typo in either shows up as a disagreement. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform/calendar.h"
#include "platform/date.h"
#include "platform/err.h"

static yw_date_t D(const char *s)
{
	yw_date_t d = 0;
	if (date_parse(s, strlen(s), &d) != 0)
		fail_msg("bad date literal in test: %s", s);
	return d;
}

/* ---- the expectation, from docs/domain.md §5 written as ranges ---- */

struct range {
	const char *first, *last;
};

static const struct range official_off[] = {
	{"2024-01-01", "2024-01-01"}, {"2024-02-10", "2024-02-17"}, {"2024-04-04", "2024-04-06"},
	{"2024-05-01", "2024-05-05"}, {"2024-06-10", "2024-06-10"}, {"2024-09-15", "2024-09-17"},
	{"2024-10-01", "2024-10-07"},
	{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
	{"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"},
	{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
	{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
	{"2026-10-01", "2026-10-07"},
};

static const char *const official_work[] = {
	"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
	"2024-09-29", "2024-10-12",
	"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
	"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int expected_kind(yw_date_t d)
{
	for (size_t i = 0; i < COUNT(official_off); i++)
		if (d >= D(official_off[i].first) && d <= D(official_off[i].last))
			return CAL_OFF;
	for (size_t i = 0; i < COUNT(official_work); i++)
		if (d == D(official_work[i]))
			return CAL_WORK;
	return CAL_DEFAULT;
}

static bool expected_workday(yw_date_t d)
{
	int k = expected_kind(d);
	if (k != CAL_DEFAULT)
		return k == CAL_WORK;
	/* Independent of date_weekday: 2024-01-01 was a Monday. */
	int64_t offset = (int64_t)d - D("2024-01-01");
	int64_t wd = ((offset % 7) + 7) % 7; /* 0 = Monday */
	return wd < 5;
}

/* ---- fixture: data/calendar.json through the real loader ---- */

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static calendar_t *load_official(void)
{
	const char *dir = getenv("YW_DATA_DIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/calendar.json", dir != NULL && *dir ? dir : "data");
	size_t len = 0;
	char *json = read_file(path, &len);
	if (json == NULL)
		fail_msg("cannot read %s (set YW_DATA_DIR)", path);
	calendar_t *cal = calendar_new();
	int rc = calendar_load_json(cal, json, len);
	free(json);
	if (rc != 0)
		fail_msg("calendar_load_json(%s) = %d", path, rc);
	return cal;
}

static int setup(void **state)
{
	*state = load_official();
	return 0;
}

static int teardown(void **state)
{
	calendar_free(*state);
	return 0;
}

/* ---- (a) every day of the published years ---- */

static void test_every_day_2024_2026(void **state)
{
	const calendar_t *cal = *state;
	for (yw_date_t d = D("2024-01-01"); d <= D("2026-12-31"); d++) {
		char buf[11];
		date_format(d, buf);
		if (calendar_is_workday(cal, d) != expected_workday(d))
			fail_msg("%s: is_workday %d, expected %d", buf, calendar_is_workday(cal, d),
				 expected_workday(d));
		if ((int)calendar_day_kind(cal, d) != expected_kind(d))
			fail_msg("%s: kind %d, expected %d", buf, calendar_day_kind(cal, d),
				 expected_kind(d));
	}
	assert_true(calendar_year_published(cal, 2024));
	assert_true(calendar_year_published(cal, 2025));
	assert_true(calendar_year_published(cal, 2026));
	assert_false(calendar_year_published(cal, 2023));
	assert_false(calendar_year_published(cal, 2027));
}

/* Working days per year, counted by hand from the notices: weekdays, minus days off that
 * fall on weekdays, plus make-up days (2024: 262-19+8; 2025: 261-18+5; 2026: 261-19+6). */
static void test_year_totals(void **state)
{
	const calendar_t *cal = *state;
	static const struct {
		const char *a, *b;
		int n;
	} t[] = {
		{"2023-12-31", "2024-12-31", 251},
		{"2024-12-31", "2025-12-31", 248},
		{"2025-12-31", "2026-12-31", 248},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		int n = -1;
		bool beyond = true;
		assert_int_equal(calendar_workdays_between(cal, D(t[i].a), D(t[i].b), &n, &beyond), 0);
		assert_int_equal(n, t[i].n);
		assert_false(beyond);
	}
}

/* ---- (b) deadlines ---- */

struct add_case {
	const char *from;
	int n;
	const char *want;
	bool beyond;
};

static const struct add_case add_cases[] = {
	/* 2025 National Day + Mid-Autumn: Oct 1-8 off, Sun Sep 28 and Sat Oct 11 worked. */
	{"2025-09-30", 1, "2025-10-09", false},
	{"2025-09-26", 1, "2025-09-28", false},
	{"2025-09-26", 2, "2025-09-29", false},
	{"2025-09-26", 3, "2025-09-30", false},
	{"2025-09-26", 4, "2025-10-09", false},
	{"2025-09-26", 6, "2025-10-11", false},
	{"2025-09-26", 7, "2025-10-13", false},
	{"2025-10-03", 1, "2025-10-09", false}, /* start on a holiday */
	{"2025-10-08", 1, "2025-10-09", false},
	{"2025-10-10", 1, "2025-10-11", false},
	{"2025-10-11", 1, "2025-10-13", false},
	/* 2025 Spring Festival: Jan 28-Feb 4 off, Sun Jan 26 and Sat Feb 8 worked. */
	{"2025-01-24", 1, "2025-01-26", false},
	{"2025-01-24", 2, "2025-01-27", false},
	{"2025-01-24", 3, "2025-02-05", false},
	{"2025-02-05", 3, "2025-02-08", false},
	{"2025-02-05", 4, "2025-02-10", false},
	/* 2025 May Day (Sun Apr 27 worked) and Dragon Boat (May 31-Jun 2). */
	{"2025-04-25", 1, "2025-04-27", false},
	{"2025-04-25", 4, "2025-04-30", false},
	{"2025-04-25", 5, "2025-05-06", false},
	{"2025-05-30", 1, "2025-06-03", false},
	/* 2026 Spring Festival: Feb 15-23 off, Sat Feb 14 and Sat Feb 28 worked. */
	{"2026-02-13", 1, "2026-02-14", false},
	{"2026-02-13", 2, "2026-02-24", false},
	{"2026-02-14", 1, "2026-02-24", false},
	{"2026-02-14", 5, "2026-02-28", false},
	{"2026-02-14", 6, "2026-03-02", false},
	{"2026-02-16", 1, "2026-02-24", false}, /* start on a holiday */
	/* 2026 Mid-Autumn (Sep 25-27) and National Day (Oct 1-7, Sun Sep 20 / Sat Oct 10). */
	{"2026-09-18", 1, "2026-09-20", false},
	{"2026-09-18", 5, "2026-09-24", false},
	{"2026-09-18", 6, "2026-09-28", false},
	{"2026-09-18", 8, "2026-09-30", false},
	{"2026-09-18", 9, "2026-10-08", false},
	{"2026-09-18", 10, "2026-10-09", false},
	{"2026-09-30", 1, "2026-10-08", false},
	{"2026-09-30", 3, "2026-10-10", false},
	{"2026-09-30", 4, "2026-10-12", false},
	/* 2024 May Day: May 1-5 off, Sun Apr 28 and Sat May 11 worked. */
	{"2024-04-26", 1, "2024-04-28", false},
	{"2024-04-26", 3, "2024-04-30", false},
	{"2024-04-26", 4, "2024-05-06", false},
	{"2024-04-30", 1, "2024-05-06", false},
	{"2024-05-03", 1, "2024-05-06", false}, /* start on a holiday */
	{"2024-05-06", 5, "2024-05-11", false},
	{"2024-05-06", 6, "2024-05-13", false},
	/* 2024 Spring Festival: Feb 10-17 off, Sun Feb 18 worked. */
	{"2024-02-12", 1, "2024-02-18", false},
	{"2024-02-12", 2, "2024-02-19", false},
	/* n = 0 returns the start, even on a holiday, and looks at nothing. */
	{"2025-10-01", 0, "2025-10-01", false},
	{"2025-10-09", 0, "2025-10-09", false},
	{"2027-06-01", 0, "2027-06-01", false},
	/* Year boundaries. */
	{"2024-12-27", 1, "2024-12-30", false},
	{"2024-12-27", 3, "2025-01-02", false},
	{"2024-12-31", 1, "2025-01-02", false},
	{"2025-12-31", 1, "2026-01-04", false}, /* Jan 1-3 off, Sun Jan 4 worked */
	{"2025-12-31", 2, "2026-01-05", false},
	{"2024-01-01", 251, "2024-12-31", false},
	{"2025-01-01", 248, "2025-12-31", false},
	{"2026-01-01", 248, "2026-12-31", false},
	/* (d) counts that reach into unpublished years: weekday rule, flagged. */
	{"2026-12-20", 20, "2027-01-15", true},
	{"2026-06-01", 5, "2026-06-08", false},
	{"2026-12-30", 1, "2026-12-31", false},
	{"2026-12-30", 2, "2027-01-01", true},
	{"2023-12-29", 1, "2024-01-02", true}, /* looks at Dec 30-31 2023 */
	{"2023-12-31", 1, "2024-01-02", false}, /* the start day is not looked at */
};

static void test_add_workdays_table(void **state)
{
	const calendar_t *cal = *state;
	for (size_t i = 0; i < COUNT(add_cases); i++) {
		const struct add_case *c = &add_cases[i];
		yw_date_t got = 0;
		bool beyond = !c->beyond;
		assert_int_equal(calendar_add_workdays(cal, D(c->from), c->n, &got, &beyond), 0);
		char buf[11];
		date_format(got, buf);
		if (got != D(c->want) || beyond != c->beyond)
			fail_msg("%s + %d: got %s (beyond %d), want %s (beyond %d)", c->from, c->n, buf,
				 beyond, c->want, c->beyond);
		/* The flag pointer is optional. */
		assert_int_equal(calendar_add_workdays(cal, D(c->from), c->n, &got, NULL), 0);
		assert_int_equal(got, D(c->want));
	}
}

static void test_add_workdays_errors(void **state)
{
	const calendar_t *cal = *state;
	yw_date_t out = 12345;
	bool beyond = false;
	assert_int_equal(calendar_add_workdays(cal, D("2025-01-01"), -1, &out, &beyond), YW_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D("2025-01-01"), CALENDAR_MAX_WORKDAYS + 1, &out,
					       &beyond),
			 YW_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D("2025-01-01"), INT32_MAX, &out, &beyond),
			 YW_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D("2199-12-30"), 5, &out, &beyond), YW_EINVAL);
	assert_int_equal(calendar_add_workdays(cal, D("1900-01-01") - 1, 1, &out, &beyond),
			 YW_EINVAL);
	assert_int_equal(out, 12345); /* untouched on error */
	assert_int_equal(calendar_add_workdays(cal, D("2025-01-01"), CALENDAR_MAX_WORKDAYS, &out,
					       &beyond),
			 0);
	assert_true(beyond);
	assert_true(out > D("2060-01-01"));
}

/* ---- (c) counting between dates ---- */

static void test_workdays_between_table(void **state)
{
	const calendar_t *cal = *state;
	static const struct {
		const char *a, *b;
		int n;
		bool beyond;
	} t[] = {
		{"2025-09-30", "2025-10-09", 1, false},
		{"2025-09-26", "2025-10-13", 7, false},
		{"2025-09-30", "2025-10-08", 0, false},
		{"2024-02-09", "2024-02-18", 1, false},
		{"2024-02-02", "2024-02-09", 6, false},
		{"2026-02-13", "2026-02-28", 6, false},
		{"2025-10-09", "2025-10-09", 0, false}, /* b == a */
		{"2025-10-13", "2025-10-09", 0, false}, /* b < a */
		{"2026-12-31", "2027-01-04", 2, true},
		{"2023-12-29", "2024-01-02", 1, true},
		{"2023-12-31", "2024-01-02", 1, false},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		int n = -1;
		bool beyond = !t[i].beyond;
		assert_int_equal(calendar_workdays_between(cal, D(t[i].a), D(t[i].b), &n, &beyond), 0);
		if (n != t[i].n || beyond != t[i].beyond)
			fail_msg("(%s, %s]: got %d (beyond %d), want %d (beyond %d)", t[i].a, t[i].b, n,
				 beyond, t[i].n, t[i].beyond);
	}
	int n = 7;
	assert_int_equal(calendar_workdays_between(cal, D("1900-01-01") - 2, D("1900-01-05"), &n, NULL),
			 YW_EINVAL);
	assert_int_equal(calendar_workdays_between(cal, D("2199-12-01"), D("2199-12-31") + 1, &n, NULL),
			 YW_EINVAL);
	assert_int_equal(n, 7);
	assert_int_equal(calendar_workdays_between(cal, D("1900-01-01") - 1, D("1900-01-07"), &n, NULL),
			 0);
	assert_int_equal(n, 5); /* 1900-01-01 was a Monday */
}

static void test_inverse_property(void **state)
{
	const calendar_t *cal = *state;
	for (yw_date_t a = D("2023-12-01"); a <= D("2027-01-31"); a++) {
		for (int n = 0; n <= 45; n++) {
			yw_date_t b;
			bool beyond_add, beyond_between;
			int back = -1;
			assert_int_equal(calendar_add_workdays(cal, a, n, &b, &beyond_add), 0);
			assert_int_equal(calendar_workdays_between(cal, a, b, &back, &beyond_between), 0);
			assert_int_equal(back, n);
			assert_int_equal(beyond_add, beyond_between);
			/* The answer is a working day and the day before it leaves one to go. */
			if (n > 0) {
				assert_true(calendar_is_workday(cal, b));
				assert_int_equal(calendar_workdays_between(cal, a, b - 1, &back, NULL), 0);
				assert_int_equal(back, n - 1);
			}
		}
	}
}

/* ---- (d) unpublished years ---- */

static void test_unpublished_calendar(void **state)
{
	(void)state;
	calendar_t *cal = calendar_new();
	yw_date_t out;
	bool beyond = false;
	/* Nothing loaded: the weekday rule, and every count flagged. */
	assert_false(calendar_year_published(cal, 2025));
	assert_true(calendar_is_workday(cal, D("2025-10-01")));
	assert_int_equal(calendar_add_workdays(cal, D("2025-09-30"), 1, &out, &beyond), 0);
	assert_int_equal(out, D("2025-10-01"));
	assert_true(beyond);

	/* A schedule for 2027 (made up here) is used and unflagged, 2028 is not. */
	static const char json[] = "{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":"
				   "{\"off\":[\"2027-01-01\"],\"work\":[\"2027-01-02\"],"
				   "\"source\":\"test\"}}}";
	assert_int_equal(calendar_load_json(cal, json, sizeof json - 1), 0);
	assert_true(calendar_year_published(cal, 2027));
	assert_int_equal(calendar_add_workdays(cal, D("2026-12-31"), 1, &out, &beyond), 0);
	assert_int_equal(out, D("2027-01-02"));
	assert_false(beyond);
	assert_int_equal(calendar_add_workdays(cal, D("2027-12-30"), 2, &out, &beyond), 0);
	assert_int_equal(out, D("2028-01-03"));
	assert_true(beyond);

	/* Withdrawing publication keeps the overrides but flags counts again. */
	assert_int_equal(calendar_set_published(cal, 2027, false), 0);
	assert_int_equal(calendar_add_workdays(cal, D("2026-12-31"), 1, &out, &beyond), 0);
	assert_int_equal(out, D("2027-01-02"));
	assert_true(beyond);
	assert_int_equal(calendar_set_published(cal, 1899, true), YW_EINVAL);
	assert_int_equal(calendar_set_published(cal, 2200, true), YW_EINVAL);
	assert_false(calendar_year_published(cal, 1899));
	calendar_free(cal);
}

/* ---- editing, copying, loading ---- */

static void test_set_day_and_copy(void **state)
{
	calendar_t *copy = calendar_copy(*state);
	yw_date_t d = D("2025-10-09");
	assert_int_equal(calendar_set_day(copy, d, CAL_OFF), 0);
	assert_false(calendar_is_workday(copy, d));
	assert_true(calendar_is_workday(*state, d)); /* the original is untouched */
	assert_int_equal(calendar_set_day(copy, D("2025-10-12"), CAL_WORK), 0);
	assert_true(calendar_is_workday(copy, D("2025-10-12")));
	assert_int_equal(calendar_set_day(copy, D("2025-10-01"), CAL_DEFAULT), 0);
	assert_true(calendar_is_workday(copy, D("2025-10-01"))); /* a Wednesday */
	assert_int_equal(calendar_set_day(copy, D("1900-01-01") - 1, CAL_OFF), YW_EINVAL);
	assert_int_equal(calendar_set_day(copy, D("2199-12-31") + 1, CAL_OFF), YW_EINVAL);
	assert_int_equal(calendar_set_day(copy, d, (enum calendar_kind)3), YW_EINVAL);
	assert_int_equal(calendar_day_kind(copy, D("2199-12-31") + 1), CAL_DEFAULT);
	assert_true(calendar_is_workday(copy, date_from_ymd(2200, 1, 1))); /* Wednesday, weekday rule */
	calendar_free(copy);
	calendar_free(NULL);
}

static void test_load_json_errors(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		int rc;
	} t[] = {
		{"", YW_EMALFORMED},
		{"{", YW_EMALFORMED},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{}} x", YW_EMALFORMED},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[],\"work\":[]},"
		 "\"2027\":{\"off\":[],\"work\":[]}}}",
		 YW_EMALFORMED}, /* duplicate key */
		{"[]", YW_EINVAL},
		{"{\"years\":{}}", YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/2\",\"years\":{}}", YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":[]}", YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"27\":{\"off\":[],\"work\":[]}}}",
		 YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2200\":{\"off\":[],\"work\":[]}}}",
		 YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[]}}}", YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[\"2027-02-30\"],"
		 "\"work\":[]}}}",
		 YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[20270101],"
		 "\"work\":[]}}}",
		 YW_EINVAL},
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[\"2028-01-01\"],"
		 "\"work\":[]}}}",
		 YW_EINVAL}, /* date outside its year's block */
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[\"2027-01-01\"],"
		 "\"work\":[\"2027-01-01\"]}}}",
		 YW_EINVAL}, /* both off and work */
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[],\"work\":[],"
		 "\"source\":7}}}",
		 YW_EINVAL},
		/* A good year before a bad one must not stick. */
		{"{\"format\":\"yiwang-calendar/1\",\"years\":{\"2027\":{\"off\":[\"2027-03-01\"],"
		 "\"work\":[]},\"2028\":{\"off\":[\"bad\"],\"work\":[]}}}",
		 YW_EINVAL},
	};
	calendar_t *cal = load_official();
	for (size_t i = 0; i < COUNT(t); i++) {
		int rc = calendar_load_json(cal, t[i].json, strlen(t[i].json));
		if (rc != t[i].rc)
			fail_msg("case %zu: rc %d, want %d", i, rc, t[i].rc);
		assert_false(calendar_year_published(cal, 2027));
		assert_false(calendar_year_published(cal, 2028));
		assert_int_equal(calendar_day_kind(cal, D("2027-03-01")), CAL_DEFAULT);
		assert_true(calendar_year_published(cal, 2025));
		assert_int_equal(calendar_day_kind(cal, D("2025-10-01")), CAL_OFF);
	}
	assert_int_equal(calendar_load_json(cal, NULL, 0), YW_EMALFORMED);

	/* Reloading a year replaces its overrides rather than merging. */
	static const char y1[] = "{\"format\":\"yiwang-calendar/1\",\"years\":{\"2025\":"
				 "{\"off\":[\"2025-03-03\"],\"work\":[]}}}";
	assert_int_equal(calendar_load_json(cal, y1, sizeof y1 - 1), 0);
	assert_int_equal(calendar_day_kind(cal, D("2025-10-01")), CAL_DEFAULT);
	assert_int_equal(calendar_day_kind(cal, D("2025-03-03")), CAL_OFF);
	assert_int_equal(calendar_day_kind(cal, D("2024-10-01")), CAL_OFF); /* other years kept */
	calendar_free(cal);
}

/* ---- (e) dates ---- */

static void test_date_parse_table(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len; /* 0: strlen */
		bool ok;
	} t[] = {
		{"2024-02-29", 0, true},   {"2000-02-29", 0, true},    {"1900-01-01", 0, true},
		{"2199-12-31", 0, true},   {"2025-12-31", 0, true},    {"2025-04-30", 0, true},
		{"2025-02-29", 0, false},  {"1900-02-29", 0, false},   {"2100-02-29", 0, false},
		{"2025-1-01", 0, false},   {"2025-01-1", 0, false},    {"2025-01-01x", 0, false},
		{"2025-01-01 ", 0, false}, {" 2025-01-01", 0, false},  {"2025/01/01", 0, false},
		{"20250101", 0, false},    {"1899-12-31", 0, false},   {"2200-01-01", 0, false},
		{"2025-00-10", 0, false},  {"2025-13-01", 0, false},   {"2025-04-31", 0, false},
		{"2025-01-00", 0, false},  {"2025-01-32", 0, false},   {"", 0, false},
		{"+025-01-01", 0, false},  {"2025-0a-01", 0, false},   {"2025-01-+1", 0, false},
		{"2025-01-0\0", 10, false}, {"2025-01-01", 9, false},  {"2025-01-01xyz", 10, true},
	};
	for (size_t i = 0; i < COUNT(t); i++) {
		yw_date_t d = -7;
		size_t len = t[i].len ? t[i].len : strlen(t[i].s);
		int rc = date_parse(t[i].s, len, &d);
		if ((rc == 0) != t[i].ok)
			fail_msg("date_parse(\"%s\", %zu) = %d", t[i].s, len, rc);
		if (!t[i].ok) {
			assert_int_equal(rc, YW_EINVAL);
			assert_int_equal(d, -7);
		}
	}
	yw_date_t d;
	assert_int_equal(date_parse(NULL, 10, &d), YW_EINVAL);
}

static void test_date_roundtrip_and_weekday(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	int prev_wd = date_weekday(date_from_ymd(1900, 1, 1)) - 1;
	for (yw_date_t d = date_from_ymd(1900, 1, 1); d <= date_from_ymd(2199, 12, 31); d++) {
		char buf[11];
		int y, m, dd;
		yw_date_t back;
		date_format(d, buf);
		assert_int_equal(date_parse(buf, 10, &back), 0);
		assert_int_equal(back, d);
		date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd), d);
		int wd = date_weekday(d);
		assert_int_equal(wd, prev_wd % 7 + 1);
		prev_wd = wd;
	}
	assert_int_equal(date_weekday(D("1900-01-01")), 1);
	assert_int_equal(date_weekday(D("2024-01-01")), 1);
	assert_int_equal(date_weekday(D("2025-10-01")), 3);
	assert_int_equal(date_weekday(D("2026-02-14")), 6);
	assert_int_equal(date_weekday(D("2026-02-15")), 7);
	char buf[11];
	date_format(D("2025-01-05"), buf);
	assert_string_equal(buf, "2025-01-05");
	date_format(date_from_ymd(10000, 1, 1), buf);
	assert_int_equal(strlen(buf), 10);
	date_format(INT32_MIN, buf);
	assert_int_equal(strlen(buf), 10);
}

static void test_date_today_local(void **state)
{
	(void)state;
	assert_int_equal(date_today_local(0), 0);
	assert_int_equal(date_today_local(-1), 0);         /* 08:00 in Beijing less a second */
	assert_int_equal(date_today_local(-28800), 0);     /* Beijing midnight */
	assert_int_equal(date_today_local(-28801), -1);
	assert_int_equal(date_today_local(1735660799), D("2024-12-31")); /* 23:59:59 +08 */
	assert_int_equal(date_today_local(1735660800), D("2025-01-01")); /* 00:00:00 +08 */
	assert_int_equal(date_today_local(INT64_MAX), INT32_MAX);
	assert_int_equal(date_today_local(INT64_MIN), INT32_MIN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_day_2024_2026),
		cmocka_unit_test(test_year_totals),
		cmocka_unit_test(test_add_workdays_table),
		cmocka_unit_test(test_add_workdays_errors),
		cmocka_unit_test(test_workdays_between_table),
		cmocka_unit_test(test_inverse_property),
		cmocka_unit_test(test_unpublished_calendar),
		cmocka_unit_test(test_set_day_and_copy),
		cmocka_unit_test(test_load_json_errors),
		cmocka_unit_test(test_date_parse_table),
		cmocka_unit_test(test_date_roundtrip_and_weekday),
		cmocka_unit_test(test_date_today_local),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
