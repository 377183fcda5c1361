/* Server-Sent Events (服务器推送事件): topics ("hall:3") with subscribers that are open HTTP
 * responses, and a publish that fans one event out to every subscriber of a topic from any
 * thread. An idle subscriber holds no thread and is not polled: its connection is suspended in
 * libmicrohttpd until something is queued for it (an event, or the heartbeat comment that keeps
 * proxies from closing the stream). Each subscriber has a bounded queue; a client that falls
 * that far behind is disconnected (its EventSource reconnects) rather than growing memory. */
#ifndef YW_SSE_H
#define YW_SSE_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "platform/http.h"

/* Bytes that may wait for one client before it is dropped. */
#define SSE_CLIENT_QUEUE_MAX (64 * 1024)
/* Longest topic name. */
#define SSE_TOPIC_MAX 64

/* Starts the heartbeat thread (": ping" to every subscriber every heartbeat_s seconds) and sets
 * the caps on open streams: max_streams in total and max_per_ip per client address (registered
 * devices aside). Called by http_serve before the daemon starts. */
int sse_start(unsigned heartbeat_s, unsigned max_streams, unsigned max_per_ip);

/* Ends every stream (the clients get the rest of their queue and then the end of the response),
 * refuses new subscribers, stops the heartbeat and waits up to wait_ms for the streams to finish,
 * so that no connection is left suspended when the daemon stops. Called by http_serve. */
void sse_shutdown(int wait_ms);

/* Answers req with a text/event-stream response subscribed to topic. Returns 0, or
 * YW_EUNAVAILABLE while shutting down, YW_EINVAL for a topic that is too long, YW_ETHROTTLED when
 * the stream caps are reached (the caller answers 503 with Retry-After: SSE_RETRY_AFTER_S).
 * A registered_device (a hall's registered display board) is never refused by the caps and
 * does not count against them. */
#define SSE_RETRY_AFTER_S 30
int sse_subscribe(http_req_t *req, const char *topic, bool registered_device);

/* Queues "event: NAME\ndata: JSON\n\n" for every subscriber of topic and wakes them. data is
 * borrowed. Callable from any thread; never blocks on a client. Returns the number of
 * subscribers reached. A hall's display boards listen on topic "hall:{id}": the hall publishes
 * sse_publish("hall:3", "call", ev) once the call has committed. Events meant for the boards of
 * every server of a cluster go through events_publish (platform/events.h), which calls this on
 * each server. */
int sse_publish(const char *topic, const char *event, const json_t *data);

/* Current number of open streams subscribed to topic (that a publish now would reach). */
int sse_topic_count(const char *topic);

/* Current number of open streams (all topics). */
int sse_client_count(void);

#endif
