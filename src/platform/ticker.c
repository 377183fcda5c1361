/* See ticker.h. On PostgreSQL each job is tied to a session-level advisory lock named after it,
 * taken on the ticker's own connection: the server that holds it runs the job and the others
 * keep asking for it every second, so when its server dies (and PostgreSQL ends the dead
 * connection, freeing the lock) another one takes the job within a second and runs it at once.
 * On SQLite the lock is always granted: one server runs everything. */
#include "platform/ticker.h"

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include "platform/clock.h"
#include "platform/date.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/writer.h"

/* The high half of every job's lock key ("yw"); the low half is a hash of the job's name, so that
 * servers of different builds agree on it whatever their order of registration. */
#define LOCK_KEY_HIGH 0x7977

static struct {
	const char *name;
	ticker_fn fn;
	int64_t key;
	bool held;   /* this server runs the job (as far as it last knew) */
	bool reader; /* ticker_register_reader: runs on the ticker's connection, writes via writer_run */
} g_jobs[16];
static int g_njobs;
static pthread_t g_thread;
static bool g_running;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_cv = PTHREAD_COND_INITIALIZER;
static bool g_stop;
static unsigned g_interval;

static int64_t lock_key(const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return ((int64_t)LOCK_KEY_HIGH << 32) | h;
}

void ticker_register(const char *name, ticker_fn fn)
{
	if (g_njobs < (int)(sizeof g_jobs / sizeof g_jobs[0]))
		g_jobs[g_njobs++] = (__typeof__(g_jobs[0])){name, fn, lock_key(name), false, false};
}

void ticker_register_reader(const char *name, ticker_fn fn)
{
	if (g_njobs < (int)(sizeof g_jobs / sizeof g_jobs[0]))
		g_jobs[g_njobs++] = (__typeof__(g_jobs[0])){name, fn, lock_key(name), false, true};
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

/* Whether this server runs job i now: asks for (or confirms) its lock, and logs a change. */
static bool own(db_t *db, int i)
{
	bool got = false;
	if (db_try_lock(db, g_jobs[i].key, &got) != 0)
		got = false; /* logged by the driver; a lost connection took the lock with it */
	if (got != g_jobs[i].held && db_engine(db) == DB_POSTGRES) {
		if (got)
			log_info("ticker: background job %s runs on this server", g_jobs[i].name);
		else
			log_warn("ticker: background job %s no longer runs on this server", g_jobs[i].name);
	}
	g_jobs[i].held = got;
	return got;
}

static void run_job(db_t *db, int i, int64_t now)
{
	int rc;
	if (g_jobs[i].reader) {
		rc = g_jobs[i].fn(db, now);
	} else {
		/* The whole job, its reads with its writes, is one job of the writer's group: what it
		 * reads cannot change before it writes, and a failing job rolls back alone. */
		tick_job_t j = {g_jobs[i].fn, now};
		rc = writer_run(tick_in_group, &j);
	}
	if (rc == YW_EUNAVAILABLE)
		/* the writer is draining: the server is stopping, the job runs at the next start */
		log_info("background job %s not run: the server is stopping", g_jobs[i].name);
	else if (rc)
		log_warn("background job %s failed: %d", g_jobs[i].name, rc);
}

/* Every second each job's lock is asked for, or confirmed (a connection that was reset has lost
 * its locks, and takes them again here unless another server was quicker). due: every job's time
 * has come (the interval passed, or the day changed): each job whose lock this server holds runs.
 * Otherwise only the jobs whose lock it has just taken run (taking over from a server that is
 * gone). */
static void tick(db_t *db, int64_t now, bool due)
{
	for (int i = 0; i < g_njobs; i++) {
		bool had = g_jobs[i].held;
		if (own(db, i) && (due || !had))
			run_job(db, i, now);
	}
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
		bool due = now - last_run >= (int64_t)g_interval || today != last_day;
		pthread_mutex_unlock(&g_mu);
		tick(db_thread(), now, due);
		pthread_mutex_lock(&g_mu);
		if (due) {
			last_run = now;
			last_day = today;
		}
		/* wake every second so a day change (or a moved test clock) is seen at once, and a job
		 * left by a server that died is taken over */
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
