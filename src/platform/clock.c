/* See clock.h. */
#include "platform/clock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static const char *g_path;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct timespec g_mtime;
static int64_t g_offset;
static _Atomic int64_t g_pinned; /* yw_clock_set; 0: not pinned */

static void init(void)
{
	const char *p = getenv("YIWANG_CLOCK_FILE");
	g_path = p && *p ? p : NULL;
}

void yw_clock_set(int64_t at)
{
	g_pinned = at;
}

int64_t yw_now(void)
{
	int64_t pinned = g_pinned;
	if (pinned)
		return pinned;
	int64_t now = (int64_t)time(NULL);
	pthread_once(&g_once, init);
	if (!g_path)
		return now;
	struct stat sb;
	pthread_mutex_lock(&g_mu);
	if (stat(g_path, &sb) == 0 &&
	    (sb.st_mtim.tv_sec != g_mtime.tv_sec || sb.st_mtim.tv_nsec != g_mtime.tv_nsec)) {
		FILE *f = fopen(g_path, "r");
		long long off = 0;
		if (f && fscanf(f, "%lld", &off) == 1)
			g_offset = off;
		if (f)
			fclose(f);
		g_mtime = sb.st_mtim;
	}
	int64_t off = g_offset;
	pthread_mutex_unlock(&g_mu);
	return now + off;
}
