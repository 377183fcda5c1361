/* The working-day calendar (工作日历) for 1900-2199: the weekday rule, overridden per date
 * by the 国务院办公厅 holiday notices (statutory days off and make-up working days), and
 * the record of which years' notices are loaded. Owns the day table and the
 * yiwang-calendar/1 schedule loader (data/calendar.json). */
#include "platform/calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "platform/err.h"

/* One byte per day keeps every lookup a single load and lets the deadline loops touch
 * nothing else; 300 years cost about 107 KiB per calendar. */
enum {
	CAL_DAY0 = -25567,   /* 1900-01-01 */
	CAL_NDAYS = 109573,  /* 1900-01-01 up to, not including, 2200-01-01 */
	DAY_KIND_MASK = 0x3, /* enum calendar_kind */
	DAY_UNPUBLISHED = 0x4,
	DAY_WORKING = 0x8, /* the answer of calendar_is_workday, kept in step with the kind */
};

struct calendar {
	uint8_t day[CAL_NDAYS];
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL)
		abort();
	return p;
}

static bool weekday_rule(yw_date_t d)
{
	return date_weekday(d) <= 5;
}

static bool in_range(int64_t d)
{
	return d >= CAL_DAY0 && d < (int64_t)CAL_DAY0 + CAL_NDAYS;
}

static uint8_t day_byte(uint8_t old, yw_date_t d, enum calendar_kind kind)
{
	bool working = kind == CAL_WORK || (kind == CAL_DEFAULT && weekday_rule(d));
	return (uint8_t)((old & DAY_UNPUBLISHED) | (uint8_t)kind | (working ? DAY_WORKING : 0));
}

calendar_t *calendar_new(void)
{
	calendar_t *cal = xmalloc(sizeof *cal);
	for (int i = 0; i < CAL_NDAYS; i++)
		cal->day[i] = day_byte(DAY_UNPUBLISHED, CAL_DAY0 + i, CAL_DEFAULT);
	return cal;
}

void calendar_free(calendar_t *cal)
{
	free(cal);
}

calendar_t *calendar_copy(const calendar_t *cal)
{
	calendar_t *c = xmalloc(sizeof *c);
	memcpy(c, cal, sizeof *c);
	return c;
}

int calendar_set_day(calendar_t *cal, yw_date_t day, enum calendar_kind kind)
{
	if (!in_range(day) || (kind != CAL_DEFAULT && kind != CAL_OFF && kind != CAL_WORK))
		return YW_EINVAL;
	uint8_t *b = &cal->day[day - CAL_DAY0];
	*b = day_byte(*b, day, kind);
	return 0;
}

enum calendar_kind calendar_day_kind(const calendar_t *cal, yw_date_t day)
{
	if (!in_range(day))
		return CAL_DEFAULT;
	return (enum calendar_kind)(cal->day[day - CAL_DAY0] & DAY_KIND_MASK);
}

int calendar_set_published(calendar_t *cal, int year, bool published)
{
	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return YW_EINVAL;
	yw_date_t first = date_from_ymd(year, 1, 1), end = date_from_ymd(year + 1, 1, 1);
	for (yw_date_t d = first; d < end; d++) {
		uint8_t *b = &cal->day[d - CAL_DAY0];
		*b = published ? (uint8_t)(*b & ~DAY_UNPUBLISHED) : (uint8_t)(*b | DAY_UNPUBLISHED);
	}
	return 0;
}

bool calendar_year_published(const calendar_t *cal, int year)
{
	if (year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return false;
	/* The flag is set for whole years only, so the first day speaks for the year. */
	return !(cal->day[date_from_ymd(year, 1, 1) - CAL_DAY0] & DAY_UNPUBLISHED);
}

bool calendar_is_workday(const calendar_t *cal, yw_date_t day)
{
	if (!in_range(day))
		return weekday_rule(day);
	return cal->day[day - CAL_DAY0] & DAY_WORKING;
}

int calendar_add_workdays(const calendar_t *cal, yw_date_t from, int n, yw_date_t *out,
			  bool *beyond_published)
{
	if (n < 0 || n > CALENDAR_MAX_WORKDAYS || !in_range(from))
		return YW_EINVAL;
	int32_t i = from - CAL_DAY0;
	uint8_t seen = 0;
	for (int left = n; left > 0;) {
		if (++i >= CAL_NDAYS)
			return YW_EINVAL;
		uint8_t b = cal->day[i];
		seen |= b;
		if (b & DAY_WORKING)
			left--;
	}
	*out = CAL_DAY0 + i;
	if (beyond_published)
		*beyond_published = seen & DAY_UNPUBLISHED;
	return 0;
}

int calendar_workdays_between(const calendar_t *cal, yw_date_t a, yw_date_t b, int *out,
			      bool *beyond_published)
{
	int count = 0;
	uint8_t seen = 0;
	if (b > a) {
		if (!in_range((int64_t)a + 1) || !in_range(b))
			return YW_EINVAL;
		for (int32_t i = a + 1 - CAL_DAY0; i <= b - CAL_DAY0; i++) {
			seen |= cal->day[i];
			count += (cal->day[i] & DAY_WORKING) != 0;
		}
	}
	*out = count;
	if (beyond_published)
		*beyond_published = seen & DAY_UNPUBLISHED;
	return 0;
}

/* ---- yiwang-calendar/1 loader ---- */

static int parse_year_key(const char *key, int *year)
{
	int y = 0;
	for (int i = 0; i < 4; i++) {
		if (key[i] < '0' || key[i] > '9')
			return YW_EINVAL;
		y = y * 10 + (key[i] - '0');
	}
	if (key[4] != '\0' || y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return YW_EINVAL;
	*year = y;
	return 0;
}

/* Applies one list of a year block. The year was reset to CAL_DEFAULT before its lists
 * are applied, so finding the opposite override means the notice lists a date twice. */
static int apply_list(calendar_t *cal, int year, json_t *list, enum calendar_kind kind)
{
	size_t i;
	json_t *v;
	if (!json_is_array(list))
		return YW_EINVAL;
	json_array_foreach(list, i, v)
	{
		yw_date_t d;
		int y, m, dd;
		if (!json_is_string(v) ||
		    date_parse(json_string_value(v), json_string_length(v), &d) != 0)
			return YW_EINVAL;
		date_to_ymd(d, &y, &m, &dd);
		enum calendar_kind old = calendar_day_kind(cal, d);
		if (y != year || (old != CAL_DEFAULT && old != kind))
			return YW_EINVAL;
		calendar_set_day(cal, d, kind);
	}
	return 0;
}

static int load_year(calendar_t *cal, int year, json_t *block)
{
	if (!json_is_object(block))
		return YW_EINVAL;
	json_t *source = json_object_get(block, "source");
	if (source != NULL && !json_is_string(source))
		return YW_EINVAL;
	yw_date_t first = date_from_ymd(year, 1, 1), end = date_from_ymd(year + 1, 1, 1);
	for (yw_date_t d = first; d < end; d++)
		calendar_set_day(cal, d, CAL_DEFAULT);
	int rc = apply_list(cal, year, json_object_get(block, "off"), CAL_OFF);
	if (rc == 0)
		rc = apply_list(cal, year, json_object_get(block, "work"), CAL_WORK);
	if (rc == 0)
		rc = calendar_set_published(cal, year, true);
	return rc;
}

static int load_root(calendar_t *cal, json_t *root)
{
	const char *key;
	json_t *block;
	json_t *format = json_object_get(root, "format");
	json_t *years = json_object_get(root, "years");
	if (!json_is_object(root) || !json_is_string(format) ||
	    strcmp(json_string_value(format), "yiwang-calendar/1") != 0 || !json_is_object(years))
		return YW_EINVAL;
	json_object_foreach(years, key, block)
	{
		int year;
		int rc = parse_year_key(key, &year);
		if (rc == 0)
			rc = load_year(cal, year, block);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int calendar_load_json(calendar_t *cal, const char *json, size_t len)
{
	json_error_t err;
	if (json == NULL)
		return YW_EMALFORMED;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL)
		return YW_EMALFORMED;
	/* Work on a copy so a bad entry halfway through leaves cal as it was. */
	calendar_t *work = calendar_copy(cal);
	int rc = load_root(work, root);
	if (rc == 0)
		memcpy(cal, work, sizeof *cal);
	calendar_free(work);
	json_decref(root);
	return rc;
}
