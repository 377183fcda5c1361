/* See log.h. One fprintf per line keeps lines whole across threads (stdio locks the stream). */
#include "platform/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_int quiet_flag;

void log_set_quiet(int quiet)
{
	atomic_store(&quiet_flag, quiet);
}

void log_msg(const char *level, const char *req_id, const char *fmt, ...)
{
	if (atomic_load(&quiet_flag) && strcmp(level, "info") == 0)
		return;
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	time_t secs = ts.tv_sec + 8 * 3600; /* Beijing time for people reading the log */
	gmtime_r(&secs, &tm);
	fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld+08:00 %s%s%s%s %s\n", tm.tm_year + 1900, tm.tm_mon + 1,
		tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level, req_id ? " [" : "",
		req_id ? req_id : "", req_id ? "]" : "", msg);
}
