/* See sse.h. One mutex guards the topics, their subscribers and every subscriber's queue; the
 * work under it is a memcpy per subscriber. libmicrohttpd's resume is called outside it, so the
 * lock is never held across a call that takes libmicrohttpd's own locks, except for the suspend
 * that the content reader makes on its own connection (the one place where that is allowed).
 *
 * A subscriber's life: sse_subscribe links it into its topic and answers with a callback
 * response; the content reader hands out the queued bytes, and with nothing queued suspends the
 * connection and returns 0; a publish queues bytes and resumes the suspended ones; when the
 * response is released (client gone, stream ended, daemon stopped) the free callback unlinks it.
 * A subscriber marked closing gets the rest of its queue and then the end of the stream. */
#include "platform/sse.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "platform/err.h"
#include "platform/log.h"

/* The reconnection delay a browser's EventSource uses after a drop, sent first on every stream. */
#define SSE_HELLO "retry: 3000\n\n"
#define SSE_PING ": ping\n\n"

typedef struct sse_channel sse_channel_t;

typedef struct sse_client {
	struct sse_client *prev, *next; /* in the channel */
	sse_channel_t *ch;
	struct MHD_Connection *conn;
	char *buf; /* queued bytes, not yet handed to libmicrohttpd */
	size_t len, cap;
	bool suspended; /* MHD_suspend_connection was called and no resume is under way */
	bool closing;   /* end the stream once the queue is empty */
	struct ip_count *ip; /* its address's count; NULL for a registered device (not capped) */
	unsigned hb_slot;    /* the second of the heartbeat period in which it is pinged */
} sse_client_t;

/* Open streams per client address, for the per-address cap: a small chained hash table, an
 * entry freed when its address has no stream left. */
typedef struct ip_count {
	struct ip_count *next;
	unsigned n;
	char ip[48];
} ip_count_t;
#define IP_BUCKETS 1024

/* One topic (e.g. "hall:3") and its subscribers. */
struct sse_channel {
	sse_channel_t *next;
	sse_client_t *clients;
	char topic[SSE_TOPIC_MAX + 1];
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static pthread_cond_t g_changed;   /* a client left, or resumes finished */
static pthread_cond_t g_hb_wakeup; /* the heartbeat should stop */
static sse_channel_t *g_channels;
static int g_nclients;
static unsigned g_ncapped; /* streams subject to the caps (all but registered devices) */
static unsigned g_max_streams = 6000, g_max_per_ip = 20;
static ip_count_t *g_ips[IP_BUCKETS];
static int g_resuming; /* connections taken off the suspended list, not yet resumed */
static bool g_closing;
static bool g_hb_running;
static unsigned g_heartbeat_s;
static unsigned g_hb_next_slot;
static pthread_t g_hb_thread;

static void init_conds(void)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g_changed, &ca);
	pthread_cond_init(&g_hb_wakeup, &ca);
	pthread_condattr_destroy(&ca);
}

static struct timespec deadline_after_ms(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* ---- per-address counts (called with g_mu held) ---- */

static ip_count_t **ip_slot(const char *ip)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (const char *p = ip; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	ip_count_t **pp = &g_ips[h % IP_BUCKETS];
	while (*pp && strcmp((*pp)->ip, ip) != 0)
		pp = &(*pp)->next;
	return pp;
}

static void ip_release(ip_count_t *e)
{
	g_ncapped--;
	if (--e->n)
		return;
	ip_count_t **pp = ip_slot(e->ip);
	*pp = e->next;
	free(e);
}

/* ---- queues (called with g_mu held) ---- */

/* Appends msg to c's queue; a client over its bound loses its queue and is closed. Returns true
 * when the client must be woken. */
static bool enqueue(sse_client_t *c, const char *msg, size_t n)
{
	if (c->closing)
		return false;
	if (c->len + n > SSE_CLIENT_QUEUE_MAX) {
		log_warn("sse: a subscriber of %s fell %zu bytes behind and is disconnected", c->ch->topic, c->len);
		free(c->buf);
		c->buf = NULL;
		c->len = c->cap = 0;
		c->closing = true;
		return true;
	}
	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 512;
		while (cap < c->len + n)
			cap *= 2;
		char *nb = realloc(c->buf, cap);
		if (!nb)
			return false;
		c->buf = nb;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, msg, n);
	c->len += n;
	return true;
}

/* The connections woken by one fan-out, resumed after the lock is released. */
typedef struct wake_list {
	struct MHD_Connection **conn;
	int n, cap;
} wake_list_t;

static void wake_add(wake_list_t *w, sse_client_t *c)
{
	if (!c->suspended)
		return;
	if (w->n == w->cap) {
		int cap = w->cap ? w->cap * 2 : 64;
		struct MHD_Connection **nc = realloc(w->conn, (size_t)cap * sizeof *nc);
		if (!nc)
			return; /* stays suspended; the next message or heartbeat tries again */
		w->conn = nc;
		w->cap = cap;
	}
	c->suspended = false;
	w->conn[w->n++] = c->conn;
	g_resuming++;
}

/* Queues msg for the subscribers of ch, or of every channel when ch is NULL. Returns the number
 * of subscribers that took the message. */
static int fan_out(sse_channel_t *ch, const char *msg, size_t n, wake_list_t *w)
{
	int reached = 0;
	for (sse_channel_t *x = ch ? ch : g_channels; x; x = ch ? NULL : x->next)
		for (sse_client_t *c = x->clients; c; c = c->next)
			if (enqueue(c, msg, n)) {
				reached += !c->closing;
				wake_add(w, c);
			}
	return reached;
}

/* Resumes the woken connections; called without g_mu. A connection taken off the suspended list
 * cannot be released by libmicrohttpd before this resume, so its pointer is still valid. */
static void wake_all(wake_list_t *w)
{
	for (int i = 0; i < w->n; i++)
		MHD_resume_connection(w->conn[i]);
	free(w->conn);
	if (w->n) {
		pthread_mutex_lock(&g_mu);
		g_resuming -= w->n;
		pthread_cond_broadcast(&g_changed);
		pthread_mutex_unlock(&g_mu);
	}
}

static sse_channel_t *channel_find(const char *topic)
{
	for (sse_channel_t *ch = g_channels; ch; ch = ch->next)
		if (strcmp(ch->topic, topic) == 0)
			return ch;
	return NULL;
}

/* ---- the response's callbacks (libmicrohttpd worker threads) ---- */

static ssize_t client_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	sse_client_t *c = cls;
	pthread_mutex_lock(&g_mu);
	if (c->len) {
		size_t n = c->len < max ? c->len : max;
		memcpy(buf, c->buf, n);
		c->len -= n;
		memmove(c->buf, c->buf + n, c->len);
		if (!c->len && c->cap > 4096) { /* an idle subscriber keeps no large buffer */
			free(c->buf);
			c->buf = NULL;
			c->cap = 0;
		}
		pthread_mutex_unlock(&g_mu);
		return (ssize_t)n;
	}
	if (c->closing) {
		pthread_mutex_unlock(&g_mu);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	/* Nothing to send: park the connection until a publish or the heartbeat resumes it. */
	c->suspended = true;
	MHD_suspend_connection(c->conn);
	pthread_mutex_unlock(&g_mu);
	return 0;
}

static void client_free(void *cls)
{
	sse_client_t *c = cls;
	pthread_mutex_lock(&g_mu);
	sse_channel_t *ch = c->ch;
	if (c->prev)
		c->prev->next = c->next;
	else
		ch->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	if (c->ip)
		ip_release(c->ip);
	if (!ch->clients) {
		sse_channel_t **pp = &g_channels;
		while (*pp != ch)
			pp = &(*pp)->next;
		*pp = ch->next;
		free(ch);
	}
	g_nclients--;
	pthread_cond_broadcast(&g_changed);
	pthread_mutex_unlock(&g_mu);
	free(c->buf);
	free(c);
}

/* ---- public ---- */

int sse_subscribe(http_req_t *req, const char *topic, bool registered_device)
{
	if (strlen(topic) > SSE_TOPIC_MAX)
		return YW_EINVAL;
	pthread_once(&g_once, init_conds);
	sse_client_t *c = calloc(1, sizeof *c);
	if (!c)
		return YW_EIO;
	c->conn = req->conn;
	pthread_mutex_lock(&g_mu);
	sse_channel_t *ch = g_closing ? NULL : channel_find(topic);
	if (!g_closing && !ch && (ch = calloc(1, sizeof *ch)) != NULL) {
		strcpy(ch->topic, topic);
		ch->next = g_channels;
		g_channels = ch;
	}
	if (!ch) {
		pthread_mutex_unlock(&g_mu);
		free(c);
		return g_closing ? YW_EUNAVAILABLE : YW_EIO;
	}
	if (!registered_device) {
		/* Public streams never end, so they are capped in total and per address; a refused
		 * client is told when to come back (Retry-After; the board page polls meanwhile). A
		 * channel created just now for the refused subscriber is freed again: channels
		 * exist only while they have clients. */
		ip_count_t **slot = ip_slot(req->client_ip);
		if (g_ncapped >= g_max_streams || (*slot && (*slot)->n >= g_max_per_ip) ||
		    (!*slot && (*slot = calloc(1, sizeof **slot)) == NULL)) {
			if (!ch->clients) {
				sse_channel_t **pp = &g_channels;
				while (*pp != ch)
					pp = &(*pp)->next;
				*pp = ch->next;
				free(ch);
			}
			pthread_mutex_unlock(&g_mu);
			free(c);
			return YW_ETHROTTLED;
		}
		if (!(*slot)->n)
			snprintf((*slot)->ip, sizeof (*slot)->ip, "%s", req->client_ip);
		(*slot)->n++;
		g_ncapped++;
		c->ip = *slot;
	}
	c->ch = ch;
	c->hb_slot = g_heartbeat_s ? g_hb_next_slot++ % g_heartbeat_s : 0;
	c->next = ch->clients;
	if (ch->clients)
		ch->clients->prev = c;
	ch->clients = c;
	g_nclients++;
	enqueue(c, SSE_HELLO, strlen(SSE_HELLO));
	pthread_mutex_unlock(&g_mu);
	/* A fixed kernel send buffer: a client that stops reading then reaches its queue's bound
	 * after kilobytes, not after the megabytes that buffer autotuning would take in. */
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	int sndbuf = SSE_CLIENT_QUEUE_MAX;
	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	/* From here the response owns c: client_free runs when it is released. */
	http_add_header(req, "X-Accel-Buffering", "no"); /* a buffering proxy would hold the events back */
	http_reply_stream(req, "text/event-stream; charset=utf-8", client_read, client_free, c);
	return 0;
}

int sse_publish(const char *topic, const char *event, const json_t *data)
{
	char *json = json_dumps(data, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!json)
		return 0;
	size_t n = strlen("event: ") + strlen(event) + strlen("\ndata: ") + strlen(json) + 2;
	char *msg = malloc(n + 1);
	if (!msg) {
		free(json);
		return 0;
	}
	snprintf(msg, n + 1, "event: %s\ndata: %s\n\n", event, json);
	free(json);
	wake_list_t w = {0};
	int reached = 0;
	pthread_mutex_lock(&g_mu);
	sse_channel_t *ch = channel_find(topic);
	if (ch)
		reached = fan_out(ch, msg, n, &w);
	pthread_mutex_unlock(&g_mu);
	free(msg);
	wake_all(&w);
	return reached;
}

int sse_topic_count(const char *topic)
{
	int n = 0;
	pthread_mutex_lock(&g_mu);
	sse_channel_t *ch = channel_find(topic);
	for (sse_client_t *c = ch ? ch->clients : NULL; c; c = c->next)
		n += !c->closing;
	pthread_mutex_unlock(&g_mu);
	return n;
}

int sse_client_count(void)
{
	pthread_mutex_lock(&g_mu);
	int n = g_nclients;
	pthread_mutex_unlock(&g_mu);
	return n;
}

/* The heartbeat wakes once a second and pings the streams whose slot is this second of the
 * period: each stream still gets one ping every heartbeat_s seconds, but thousands of boards are
 * not all resumed in the same instant, which would hold the worker threads for that burst. */
static void *heartbeat_main(void *arg)
{
	(void)arg;
	unsigned tick = 0;
	pthread_mutex_lock(&g_mu);
	while (!g_closing) {
		struct timespec until = deadline_after_ms(1000);
		while (!g_closing && pthread_cond_timedwait(&g_hb_wakeup, &g_mu, &until) != ETIMEDOUT)
			;
		if (g_closing)
			break;
		unsigned slot = ++tick % g_heartbeat_s;
		wake_list_t w = {0};
		for (sse_channel_t *x = g_channels; x; x = x->next)
			for (sse_client_t *c = x->clients; c; c = c->next)
				if (c->hb_slot == slot && enqueue(c, SSE_PING, strlen(SSE_PING)))
					wake_add(&w, c);
		pthread_mutex_unlock(&g_mu);
		wake_all(&w);
		pthread_mutex_lock(&g_mu);
	}
	pthread_mutex_unlock(&g_mu);
	return NULL;
}

int sse_start(unsigned heartbeat_s, unsigned max_streams, unsigned max_per_ip)
{
	pthread_once(&g_once, init_conds);
	pthread_mutex_lock(&g_mu);
	g_closing = false;
	g_heartbeat_s = heartbeat_s ? heartbeat_s : 15;
	g_max_streams = max_streams ? max_streams : 6000;
	g_max_per_ip = max_per_ip ? max_per_ip : 20;
	pthread_mutex_unlock(&g_mu);
	if (pthread_create(&g_hb_thread, NULL, heartbeat_main, NULL) != 0) {
		log_error("sse: cannot start the heartbeat thread");
		return YW_EIO;
	}
	g_hb_running = true;
	return 0;
}

void sse_shutdown(int wait_ms)
{
	pthread_once(&g_once, init_conds);
	wake_list_t w = {0};
	pthread_mutex_lock(&g_mu);
	g_closing = true;
	pthread_cond_broadcast(&g_hb_wakeup);
	for (sse_channel_t *ch = g_channels; ch; ch = ch->next)
		for (sse_client_t *c = ch->clients; c; c = c->next) {
			c->closing = true;
			wake_add(&w, c);
		}
	pthread_mutex_unlock(&g_mu);
	wake_all(&w);
	if (g_hb_running) {
		pthread_join(g_hb_thread, NULL);
		g_hb_running = false;
	}
	/* Give the streams a moment to end cleanly; but never return while a resume is under way,
	 * since stopping the daemon with a suspended connection is not allowed. */
	struct timespec until = deadline_after_ms(wait_ms);
	pthread_mutex_lock(&g_mu);
	while (g_nclients > 0 && pthread_cond_timedwait(&g_changed, &g_mu, &until) != ETIMEDOUT)
		;
	while (g_resuming > 0)
		pthread_cond_wait(&g_changed, &g_mu);
	if (g_nclients)
		log_info("sse: %d streams still open at shutdown are closed with the daemon", g_nclients);
	pthread_mutex_unlock(&g_mu);
}
