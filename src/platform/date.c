/* Civil dates on the proleptic Gregorian calendar (ISO 8601 YYYY-MM-DD) as day numbers
 * since 1970-01-01, and China's civil date (UTC+8) of a Unix time. The conversions are
 * Howard Hinnant's days_from_civil / civil_from_days, which need no tables and are exact
 * over the whole int32 range when done in 64-bit arithmetic. */
#include "platform/date.h"

#include <stdbool.h>

#include "platform/err.h"

/* Floor division: C's / truncates toward zero, which would put times before an epoch
 * on the wrong day. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return (m == 2 && is_leap(y)) ? 29 : mdays[m - 1];
}

static yw_date_t clamp_date(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (yw_date_t)v;
}

yw_date_t date_from_ymd(int y, int m, int d)
{
	/* Counting years from March puts the leap day last, so the month offset formula
	 * below needs no leap-year case. */
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;
	int64_t mp = (m + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return clamp_date(era * 146097 + doe - 719468);
}

void date_to_ymd(yw_date_t d, int *y, int *m, int *dd)
{
	int64_t z = (int64_t)d + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t day = doy - (153 * mp + 2) / 5 + 1;
	int64_t mon = mp < 10 ? mp + 3 : mp - 9;
	int64_t year = yoe + era * 400 + (mon <= 2);
	*y = (int)year;
	*m = (int)mon;
	*dd = (int)day;
}

int date_weekday(yw_date_t d)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)(((int64_t)d + 3) - floor_div((int64_t)d + 3, 7) * 7) + 1;
}

yw_date_t date_today_local(int64_t unix_seconds)
{
	/* China has used a single UTC+8 zone without DST since 1992; earlier DST years
	 * (1986-1991) are outside anything the platform dates. Guard the addition so the
	 * extreme int64 values cannot overflow. */
	const int64_t offset = 8 * 3600;
	int64_t local = unix_seconds > INT64_MAX - offset ? INT64_MAX : unix_seconds + offset;
	return clamp_date(floor_div(local, 86400));
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return YW_EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int date_parse(const char *s, size_t len, yw_date_t *out)
{
	int y, m, d;
	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return YW_EINVAL;
	if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return YW_EINVAL;
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return YW_EINVAL;
	*out = date_from_ymd(y, m, d);
	return 0;
}

static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_format(yw_date_t d, char out[11])
{
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999) {
		/* Filled in a loop: the literal would contain trigraphs. */
		for (int i = 0; i < 10; i++)
			out[i] = (i == 4 || i == 7) ? '-' : '?';
		out[10] = '\0';
		return;
	}
	put_digits(out, y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, dd, 2);
	out[10] = '\0';
}
