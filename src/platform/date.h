/* Civil dates as day numbers: parsing, formatting and weekday arithmetic on the
 * proleptic Gregorian calendar (ISO 8601 calendar dates, YYYY-MM-DD), and the civil date
 * in China (UTC+8, no daylight saving) of a Unix time. Used by the working-day calendar
 * (国务院办公厅 holiday notices) and the ID checks (GB 11643-1999 birth dates). */
#ifndef YW_DATE_H
#define YW_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01; negative before it. A plain integer so that date arithmetic
 * is addition and comparisons are < and >. */
typedef int32_t yw_date_t;

enum {
	DATE_YEAR_MIN = 1900, /* first year date_parse accepts */
	DATE_YEAR_MAX = 2199, /* last year date_parse accepts */
};

/* Strict YYYY-MM-DD: exactly 10 bytes (len), a real calendar date, year 1900-2199.
 * 0 and *out set, or YW_EINVAL (out untouched). s need not be NUL-terminated. */
int date_parse(const char *s, size_t len, yw_date_t *out);

/* Writes "YYYY-MM-DD" and a NUL. Years outside 0000-9999 cannot be written in that
 * shape and come out with '?' in every digit position. */
void date_format(yw_date_t d, char out[11]);

/* No range check: out-of-range months or days are the caller's bug. Valid for any
 * date whose day number fits in yw_date_t. */
yw_date_t date_from_ymd(int y, int m, int d);
void date_to_ymd(yw_date_t d, int *y, int *m, int *dd);

/* 1 = Monday ... 7 = Sunday (ISO 8601). */
int date_weekday(yw_date_t d);

/* The civil date in China of a Unix time (floor division, so times before 1970 work). */
yw_date_t date_today_local(int64_t unix_seconds);

#endif
