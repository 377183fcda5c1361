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
 * scan and unlinks must not hold the writer; the statistics' facts load), or one whose long scan
 * reads here and whose writes it hands to writer_run itself in short batches (supervision: every
 * change re-checks its row in the writer, so a scan on another connection is safe). */
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
