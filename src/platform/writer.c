/* See writer.h. */
#include "platform/writer.h"

#include <pthread.h>
#include <stdlib.h>

#include "platform/err.h"
#include "platform/log.h"

/* The largest group: bounds the time the first job of a group waits for the last. */
#define GROUP_MAX 1024

typedef struct job {
	writer_fn fn;
	void *arg;
	writer_done_fn done;
	void *ctx;
	int status;
	struct job *next;
} job_t;

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_work = PTHREAD_COND_INITIALIZER; /* jobs queued, or stop */
static job_t *g_head, **g_tail = &g_head;
static bool g_running, g_accepting, g_stop, g_busy;
static pthread_t g_thread;
static unsigned long g_commits, g_syncs;

/* The syncer (when the engine lets the writer sync apart from commit, db_defer_sync): committed
 * groups wait in g_unsynced for the next fdatasync of the log, which covers every group
 * committed before it started, and are acknowledged after it. The writer meanwhile runs the
 * next group, so the disk's sync and the jobs' work overlap. Under g_mu. */
static pthread_cond_t g_sync_work = PTHREAD_COND_INITIALIZER; /* groups to sync, or stop */
static job_t *g_unsynced, **g_unsynced_tail = &g_unsynced;
static bool g_deferred, g_syncing, g_sync_stop;
static db_t *g_writer_db;
static pthread_t g_syncer;

static void acknowledge(job_t *group)
{
	while (group) {
		job_t *next = group->next;
		group->done(group->ctx, group->status);
		free(group);
		group = next;
	}
}

static void *sync_loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "yw-sync");
	pthread_mutex_lock(&g_mu);
	for (;;) {
		while (!g_unsynced && !g_sync_stop)
			pthread_cond_wait(&g_sync_work, &g_mu);
		if (!g_unsynced)
			break;
		job_t *groups = g_unsynced;
		g_unsynced = NULL;
		g_unsynced_tail = &g_unsynced;
		g_syncing = true;
		pthread_mutex_unlock(&g_mu);
		if (db_log_sync(g_writer_db) != 0) {
			/* Whether the commits reached the disk is unknown, and a later sync may succeed
			 * without them: stop before acknowledging anything (PostgreSQL does the same).
			 * The log on disk is consistent; the next start recovers from it. */
			log_error("writer: the log could not be synced: stopping");
			abort();
		}
		__atomic_add_fetch(&g_syncs, 1, __ATOMIC_RELAXED);
		acknowledge(groups);
		pthread_mutex_lock(&g_mu);
		g_syncing = false;
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

static void run_group(db_t *db, job_t *group)
{
	int rc = db_group_begin(db);
	for (job_t *j = group; j; j = j->next) {
		if (rc) {
			j->status = rc;
			continue;
		}
		if (db_group_job_begin(db) != 0) {
			j->status = YW_EDB;
			continue;
		}
		j->status = db_group_job_end(db, j->fn(db, j->arg));
	}
	if (!rc && db_group_commit(db) != 0) {
		/* Nothing of the group is durable: every job fails, none was acknowledged. */
		log_error("writer: group commit failed");
		for (job_t *j = group; j; j = j->next)
			j->status = j->status ? j->status : YW_EDB;
	} else if (!rc) {
		__atomic_add_fetch(&g_commits, 1, __ATOMIC_RELAXED);
	}
	if (!g_deferred) {
		acknowledge(group);
		return;
	}
	/* Every job waits for the sync, failed ones too: a job refused because of an earlier one in
	 * the group must not be answered before that one is durable. */
	job_t *last = group;
	while (last->next)
		last = last->next;
	pthread_mutex_lock(&g_mu);
	*g_unsynced_tail = group;
	g_unsynced_tail = &last->next;
	pthread_cond_signal(&g_sync_work);
	pthread_mutex_unlock(&g_mu);
}

static void *loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "yw-writer");
	db_t *db = db_thread();
	/* the syncer first: commits stop syncing only once there is a thread to sync them */
	g_writer_db = db;
	g_sync_stop = false;
	bool syncer = db && pthread_create(&g_syncer, NULL, sync_loop, NULL) == 0, deferred = false;
	if (syncer && db_defer_sync(db, &deferred) != 0)
		log_error("writer: the log cannot be synced apart from commits: every commit syncs");
	pthread_mutex_lock(&g_mu);
	g_deferred = deferred;
	if (syncer && !deferred) { /* every commit is durable by itself (PostgreSQL): no syncer */
		g_sync_stop = true;
		pthread_cond_signal(&g_sync_work);
		pthread_mutex_unlock(&g_mu);
		pthread_join(g_syncer, NULL);
		syncer = false;
		pthread_mutex_lock(&g_mu);
	}
	for (;;) {
		while (!g_head && !g_stop)
			pthread_cond_wait(&g_work, &g_mu);
		if (!g_head)
			break;
		/* Take everything waiting (up to GROUP_MAX): these share one commit. */
		job_t *group = g_head, *last = g_head;
		for (int n = 1; n < GROUP_MAX && last->next; n++)
			last = last->next;
		g_head = last->next;
		if (!g_head)
			g_tail = &g_head;
		last->next = NULL;
		g_busy = true;
		pthread_mutex_unlock(&g_mu);
		run_group(db, group);
		pthread_mutex_lock(&g_mu);
		g_busy = false;
	}
	/* what is committed is synced and acknowledged before the writer ends */
	g_sync_stop = true;
	pthread_cond_signal(&g_sync_work);
	pthread_mutex_unlock(&g_mu);
	if (syncer)
		pthread_join(g_syncer, NULL);
	return NULL;
}

int writer_start(void)
{
	pthread_mutex_lock(&g_mu);
	g_stop = false;
	g_accepting = true;
	int rc = pthread_create(&g_thread, NULL, loop, NULL) == 0 ? 0 : YW_EIO;
	g_running = rc == 0;
	g_accepting = g_running;
	pthread_mutex_unlock(&g_mu);
	return rc;
}

void writer_drain(void)
{
	pthread_mutex_lock(&g_mu);
	g_accepting = false;
	pthread_mutex_unlock(&g_mu);
}

bool writer_idle(void)
{
	pthread_mutex_lock(&g_mu);
	bool idle = !g_head && !g_busy && !g_unsynced && !g_syncing;
	pthread_mutex_unlock(&g_mu);
	return idle;
}

void writer_stop(void)
{
	pthread_mutex_lock(&g_mu);
	if (!g_running) {
		pthread_mutex_unlock(&g_mu);
		return;
	}
	g_accepting = false;
	g_stop = true;
	pthread_cond_signal(&g_work);
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	g_running = false;
}

unsigned long writer_commits(void)
{
	return __atomic_load_n(&g_commits, __ATOMIC_RELAXED);
}

unsigned long writer_syncs(void)
{
	pthread_mutex_lock(&g_mu);
	bool deferred = g_deferred;
	pthread_mutex_unlock(&g_mu);
	return deferred ? __atomic_load_n(&g_syncs, __ATOMIC_RELAXED) : writer_commits();
}

int writer_submit(writer_fn fn, void *arg, writer_done_fn done, void *ctx)
{
	job_t *j = malloc(sizeof *j);
	if (!j)
		return YW_EIO;
	*j = (job_t){.fn = fn, .arg = arg, .done = done, .ctx = ctx};
	pthread_mutex_lock(&g_mu);
	if (!g_accepting) {
		pthread_mutex_unlock(&g_mu);
		free(j);
		return YW_EUNAVAILABLE;
	}
	*g_tail = j;
	g_tail = &j->next;
	pthread_cond_signal(&g_work);
	pthread_mutex_unlock(&g_mu);
	return 0;
}

typedef struct waiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool done;
	int status;
} waiter_t;

static void wake(void *ctx, int status)
{
	waiter_t *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->status = status;
	w->done = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

int writer_run(writer_fn fn, void *arg)
{
	waiter_t w = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
	int rc = writer_submit(fn, arg, wake, &w);
	if (rc)
		return rc;
	pthread_mutex_lock(&w.mu);
	while (!w.done)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
	return w.status;
}
