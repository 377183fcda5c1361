/* Background re-evaluation: one thread runs every registered job at a fixed interval (at most a
 * minute) and as soon as the local day changes, so requests never wait for it. Jobs are
 * idempotent (they may run again for the same moment).
 *
 * One write path (writer.h): a job registered with ticker_register runs whole, its reads and its
 * writes, as one job of the group-commit writer (writer_run; the ticker thread blocks until its
 * group has committed), with the writer's connection as db: its db_begin/db_commit are savepoints,
 * and a job that fails rolls back alone. The jobs are incremental and short (a tick that finds
 * nothing to do reads a count or two), so they hold the writer no longer than a large request.
 * A job registered with ticker_register_reader runs on the ticker's own connection, which is
 * read-only (db_thread_reader): a job that never writes (the stored-files sweep, whose directory
 * scan and unlinks must not hold the writer), or one whose long reads run here and whose writes it
 * hands to writer_run itself (supervision: the scan here, each batch of changes in the writer,
 * every change re-checking its row there; statistics: the facts load here, in a snapshot
 * transaction of its own on PostgreSQL, the change log's trim in the writer).
 *
 * Several servers on one PostgreSQL database run each job once: on the server that holds the
 * job's advisory lock (see ticker.c), which passes to another server within a second of its
 * holder's death. */
#ifndef YW_TICKER_H
#define YW_TICKER_H
#include <stdint.h>

#include "platform/db.h"

typedef int (*ticker_fn)(db_t *db, int64_t now);

/* Register before ticker_start(); name goes into the log. At most 16 jobs. */
void ticker_register(const char *name, ticker_fn fn);
void ticker_register_reader(const char *name, ticker_fn fn);
int ticker_start(unsigned interval_s);
/* Stops the thread after the job in progress; safe to call when not started. */
void ticker_stop(void);

#endif
