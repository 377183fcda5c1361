/* The working-day calendar (工作日历): Monday-Friday, minus statutory days off, plus
 * make-up working days (调休上班), as set each year by the 国务院办公厅 notice on public
 * holidays (国务院办公厅关于YYYY年部分节假日安排的通知). Deadlines in working days are
 * counted here; a count that reaches into a year whose notice is not loaded is reported
 * to the caller (beyond_published) rather than silently guessed. */
#ifndef YW_CALENDAR_H
#define YW_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/date.h"

/* The calendar covers DATE_YEAR_MIN..DATE_YEAR_MAX (1900-2199). */
typedef struct calendar calendar_t;

enum calendar_kind {
	CAL_DEFAULT = 0, /* the weekday rule: Monday-Friday work */
	CAL_OFF = 1,     /* statutory day off, whatever the weekday */
	CAL_WORK = 2,    /* make-up working day, whatever the weekday */
};

/* Largest n calendar_add_workdays accepts: about 40 years of working days, far past any
 * legal time limit, so a bigger n is a bug or hostile input. */
enum { CALENDAR_MAX_WORKDAYS = 10000 };

/* A calendar with no overrides and no published years. Aborts when out of memory. */
calendar_t *calendar_new(void);
void calendar_free(calendar_t *cal); /* NULL is fine */
calendar_t *calendar_copy(const calendar_t *cal); /* aborts when out of memory */

/* YW_EINVAL when day is outside 1900-2199 or kind is not one of the three. */
int calendar_set_day(calendar_t *cal, yw_date_t day, enum calendar_kind kind);
/* CAL_DEFAULT outside 1900-2199. */
enum calendar_kind calendar_day_kind(const calendar_t *cal, yw_date_t day);

/* YW_EINVAL when year is outside 1900-2199. */
int calendar_set_published(calendar_t *cal, int year, bool published);
bool calendar_year_published(const calendar_t *cal, int year); /* false outside range */

/* The override if any, else the weekday rule (also outside 1900-2199). */
bool calendar_is_workday(const calendar_t *cal, yw_date_t day);

/* The n-th working day after `from` (from itself is not counted, the statutory way of
 * counting time limits); n = 0 returns from. YW_EINVAL when n < 0, n >
 * CALENDAR_MAX_WORKDAYS, from is outside 1900-2199, or the answer would be past
 * 2199-12-31. *beyond_published (may be NULL) is true when any day after from up to the
 * answer lies in an unpublished year. Outputs are written only on success. */
int calendar_add_workdays(const calendar_t *cal, yw_date_t from, int n, yw_date_t *out,
			  bool *beyond_published);

/* Working days in (a, b]: days after a up to and including b; 0 when b <= a. YW_EINVAL
 * when a day to look at is outside 1900-2199. *beyond_published (may be NULL) as above
 * for the days in (a, b]. Outputs are written only on success. */
int calendar_workdays_between(const calendar_t *cal, yw_date_t a, yw_date_t b, int *out,
			      bool *beyond_published);

/* Loads a schedule (data/calendar.json, format "yiwang-calendar/1") from memory:
 *   {"format":"yiwang-calendar/1",
 *    "years":{"2025":{"off":["2025-01-01",...],"work":["2025-01-26",...],"source":"..."}}}
 * Each year listed replaces that year's overrides entirely (a notice is the complete
 * schedule for its year) and is marked published; other years are untouched. Every date
 * must lie in the year whose block lists it, and no date may be both off and work.
 * YW_EMALFORMED when the text is not JSON, YW_EINVAL when it is JSON of the wrong shape
 * or with a bad value; on any error cal is left unchanged. */
int calendar_load_json(calendar_t *cal, const char *json, size_t len);

#endif
