/* See ticker.h. */
#include "platform/ticker.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "platform/clock.h"
#include "platform/date.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/writer.h"

static struct {
	const char *name;
	ticker_fn fn;
	bool reader; /* ticker_register_reader: runs on the ticker's connection, never writes */
} g_jobs[16];
static int g_njobs;
static pthread_t g_thread;
static bool g_running;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static bool g_stop;
static unsigned g_interval;

void ticker_register(const char *name, ticker_fn fn)
{
	if (g_njobs < (int)(sizeof g_jobs / sizeof g_jobs[0]))
		g_jobs[g_njobs++] = (__typeof__(g_jobs[0])){name, fn, false};
}

void ticker_register_reader(const char *name, ticker_fn fn)
{
	if (g_njobs < (int)(sizeof g_jobs / sizeof g_jobs[0]))
		g_jobs[g_njobs++] = (__typeof__(g_jobs[0])){name, fn, true};
}

typedef struct {
	ticker_fn fn;
	int64_t now;
} tick_job_t;

static int tick_in_group(db_t *db, void *arg)
{
	tick_job_t *j = arg;
	return j->fn(db, j->now);
}

/* Every job once, in registration order. */
static int run_once(db_t *db, int64_t now)
{
	int first = 0;
	for (int i = 0; i < g_njobs; i++) {
		int rc;
		if (g_jobs[i].reader) {
			rc = g_jobs[i].fn(db, now);
		} else {
			/* The whole job, its reads with its writes, is one job of the writer's group: what it
			 * reads cannot change before it writes, and a failing job rolls back alone. */
			tick_job_t j = {g_jobs[i].fn, now};
			rc = writer_run(tick_in_group, &j);
		}
		if (rc == YW_EUNAVAILABLE) {
			/* the writer is draining: the server is stopping, the job runs at the next start */
			log_info("background job %s not run: the server is stopping", g_jobs[i].name);
		} else if (rc) {
			log_warn("background job %s failed: %d", g_jobs[i].name, rc);
			first = first ? first : rc;
		}
	}
	return first;
}

static void *loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "yw-ticker");
	db_thread_reader(); /* every write of a job goes through the writer */
	int64_t last_run = 0;
	yw_date_t last_day = 0;
	pthread_mutex_lock(&g_mu);
	while (!g_stop) {
		int64_t now = yw_now();
		yw_date_t today = date_today_local(now);
		if (now - last_run >= (int64_t)g_interval || today != last_day) {
			pthread_mutex_unlock(&g_mu);
			run_once(db_thread(), now);
			pthread_mutex_lock(&g_mu);
			last_run = now;
			last_day = today;
		}
		/* wake every second so a day change (or a moved test clock) is seen at once */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&g_cv, &g_mu, &ts);
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

int ticker_start(unsigned interval_s)
{
	g_interval = interval_s ? interval_s : 60;
	g_stop = false;
	if (pthread_create(&g_thread, NULL, loop, NULL) != 0)
		return -1;
	g_running = true;
	return 0;
}

void ticker_stop(void)
{
	if (!g_running)
		return;
	pthread_mutex_lock(&g_mu);
	g_stop = true;
	pthread_cond_signal(&g_cv);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	g_running = false;
}
