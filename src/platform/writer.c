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
static unsigned long g_commits;

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
	while (group) {
		job_t *next = group->next;
		group->done(group->ctx, group->status);
		free(group);
		group = next;
	}
}

static void *loop(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "yw-writer");
	db_t *db = db_thread();
	pthread_mutex_lock(&g_mu);
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
	pthread_mutex_unlock(&g_mu);
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
	bool idle = !g_head && !g_busy;
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
