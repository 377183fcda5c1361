/* See events.h. A notification's payload is the compact JSON {"t": topic, "e": event, "d": data},
 * which PostgreSQL limits to 8000 bytes; a bigger event (none of today's comes near it) is
 * delivered on this server only, with an error in the log. */
#include "platform/events.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/db.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/sse.h"

#define CHANNEL "yw_events"
#define HOOKS_MAX 8

static struct {
	const char *prefix;
	events_hook_fn fn;
} g_hooks[HOOKS_MAX];
static int g_nhooks;

static pthread_t g_thread;
static bool g_running;
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static bool g_stop; /* guarded by g_mu */

void events_hook(const char *prefix, events_hook_fn fn)
{
	if (g_nhooks < HOOKS_MAX)
		g_hooks[g_nhooks++] = (__typeof__(g_hooks[0])){prefix, fn};
	else
		log_error("events: too many hooks; %s is not registered", prefix);
}

/* Hands an event to this server's hooks and subscribers. */
static int deliver(const char *topic, const char *event, const json_t *data)
{
	for (int i = 0; i < g_nhooks; i++)
		if (!strncmp(topic, g_hooks[i].prefix, strlen(g_hooks[i].prefix)))
			g_hooks[i].fn(topic, event, data);
	return sse_publish(topic, event, data);
}

static bool clustered(void)
{
	const char *url = db_default_url();
	return url && db_url_engine(url) == DB_POSTGRES;
}

int events_publish(const char *topic, const char *event, const json_t *data)
{
	if (!clustered())
		return deliver(topic, event, data);
	json_t *msg = json_pack("{s:s, s:s, s:O}", "t", topic, "e", event, "d", data);
	char *payload = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	json_decref(msg);
	int rc = payload ? db_notify(db_thread(), CHANNEL, payload) : YW_EINVAL;
	free(payload);
	if (rc) {
		/* the other servers miss it; this one's boards still get it */
		log_error("events: %s on %s could not be sent to the other servers (%d)", event, topic, rc);
		deliver(topic, event, data);
		return rc;
	}
	return sse_topic_count(topic);
}

static void dispatch(const char *payload)
{
	json_t *msg = json_loads(payload, 0, NULL);
	const char *topic = json_string_value(json_object_get(msg, "t"));
	const char *event = json_string_value(json_object_get(msg, "e"));
	json_t *data = json_object_get(msg, "d");
	if (topic && event && data)
		deliver(topic, event, data);
	else
		log_warn("events: notification that is not an event: %.200s", payload);
	json_decref(msg);
}

static bool stopping(void)
{
	pthread_mutex_lock(&g_mu);
	bool s = g_stop;
	pthread_mutex_unlock(&g_mu);
	return s;
}

/* Waits on a listening connection, replaced whenever it fails; checks for the stop twice a
 * second. A connection idle for a while is asked a question, so that a server gone without a
 * word (which poll alone would not notice) is found out and left. */
static void *listener(void *arg)
{
	pthread_setname_np(pthread_self(), "yw-events");
	db_t *db = arg;
	bool warned = !db;
	int idle_ms = 0;
	while (!stopping()) {
		if (!db) {
			if (db_open_existing(db_default_url(), &db) != 0 || db_listen(db, CHANNEL) != 0) {
				db_close(db);
				db = NULL;
				warned = true;
				nanosleep(&(struct timespec){1, 0}, NULL);
				continue;
			}
			if (warned)
				log_info("events: listening again for other servers' events");
			warned = false;
			idle_ms = 0;
		}
		char *payload;
		int rc = db_listen_wait(db, 500, &payload);
		if (rc == 1) {
			dispatch(payload);
			free(payload);
			idle_ms = 0;
			continue;
		}
		if (rc == 0 && (idle_ms += 500) >= 10000) {
			rc = db_ping(db);
			idle_ms = 0;
		}
		if (rc < 0) {
			log_warn("events: the listening connection failed; reconnecting");
			warned = true;
			db_close(db);
			db = NULL;
		}
	}
	db_close(db);
	return NULL;
}

int events_start(void)
{
	if (!clustered() || g_running)
		return 0;
	g_stop = false;
	/* listening before the server answers its first request, so that no event it causes is
	 * missed here; when the database is away for now, the thread keeps trying */
	db_t *db = NULL;
	if (db_open_existing(db_default_url(), &db) != 0 || db_listen(db, CHANNEL) != 0) {
		log_warn("events: cannot listen for other servers' events; retrying every second");
		db_close(db);
		db = NULL;
	}
	if (pthread_create(&g_thread, NULL, listener, db) != 0) {
		log_error("events: cannot start the listener thread");
		db_close(db);
		return YW_EDB;
	}
	g_running = true;
	return 0;
}

void events_stop(void)
{
	if (!g_running)
		return;
	pthread_mutex_lock(&g_mu);
	g_stop = true;
	pthread_mutex_unlock(&g_mu);
	pthread_join(g_thread, NULL);
	g_running = false;
}
