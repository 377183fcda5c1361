/* Events for the boards of every server (集群事件): a publish that reaches the Server-Sent Events
 * subscribers of a topic on every server process of the database, not only on the one that
 * publishes. On SQLite (one process) it is sse_publish itself. On PostgreSQL the event travels as
 * a NOTIFY on channel "yw_events" (PostgreSQL delivers it only once the sender's transaction, if
 * any, commits), and each server's listener thread, on a connection of its own, hands every
 * notification, its own included, to sse_publish; a listener whose connection drops reconnects
 * and listens again (events sent in that gap are lost: boards read the current state when their
 * stream reopens). Hooks let a module keep in-memory state of the events (the hall's latest call
 * per window) current on every server. */
#ifndef YW_EVENTS_H
#define YW_EVENTS_H
#include <jansson.h>

/* Called on every server for each event of a topic that starts with the hook's prefix, before
 * the subscribers get it, on the listener's thread (or the publisher's, on SQLite). data is
 * borrowed. */
typedef void (*events_hook_fn)(const char *topic, const char *event, const json_t *data);

/* Register before events_start(); at most 8 hooks. */
void events_hook(const char *prefix, events_hook_fn fn);

/* Starts the listener when the default database (db_set_default_url) is PostgreSQL; nothing to do
 * on SQLite. 0, or YW_EDB when the thread cannot start. */
int events_start(void);
/* Stops the listener; safe to call when not started. */
void events_stop(void);

/* Publishes event (name) with data (borrowed) to topic's subscribers on every server, after the
 * commit of what it reports (called outside the transaction, or inside it on PostgreSQL, where it
 * leaves with the commit). Returns the number of this server's subscribers it reaches (on
 * PostgreSQL: those subscribed now; the other servers' are not counted), or a negative status
 * when it could not be sent (the event is then delivered on this server only, and logged). */
int events_publish(const char *topic, const char *event, const json_t *data);

#endif
