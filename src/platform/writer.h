/* Group commit (docs/architecture.md: no acknowledged write is ever lost, and durable writes are fast).
 * One writer thread owns the hot write path: requests hand it jobs, it runs every job that is
 * waiting inside one transaction, each job in its own savepoint (a failing job rolls back alone),
 * commits once, and reports each job's status only once the group is durable: one fsync for the
 * whole group. Throughput is therefore no longer bounded by the disk's fsync rate. On SQLite the
 * fsync is a second thread's (db_defer_sync), so the writer runs the next group meanwhile
 * (docs/architecture.md, "One write path").
 *
 * A job runs on the writer's connection: db_begin/db_commit/db_rollback inside it become
 * savepoints, so store functions work unchanged whether they run in a group or alone.
 *
 * One write path: in a running server (yiwang serve) every write goes through this writer. HTTP
 * handlers queue their writes with http_write (platform/http.h) and the ticker's jobs with
 * writer_run (platform/ticker.h); HTTP worker threads and the ticker are readers
 * (db_thread_reader, platform/db.h) whose own connections refuse writes. The command-line commands
 * (demo, import, user, copy, stats generate, audit, migrations) run without a server, and so
 * without a writer: they keep writing directly, on their own connection, in their own
 * transactions. */
#ifndef YW_WRITER_H
#define YW_WRITER_H
#include <stdbool.h>

#include "platform/db.h"

typedef int (*writer_fn)(db_t *db, void *arg);

/* Completion callback, called once the group is durable (or failed), on the writer's thread or
 * the thread that syncs its log, with the job's final status: fn's status, or YW_EDB when the
 * commit itself failed. */
typedef void (*writer_done_fn)(void *ctx, int status);

int writer_start(void);
/* Refuses new jobs (YW_EUNAVAILABLE), finishes those queued, stops the thread. */
void writer_stop(void);
/* Stop taking new jobs but keep running the queued ones; writer_idle() tells when all are done. */
void writer_drain(void);
bool writer_idle(void);

/* Queues a job; done(ctx, status) is called once it is durable (or failed). Returns
 * YW_EUNAVAILABLE (and never calls done) when the writer is not running or is draining. */
int writer_submit(writer_fn fn, void *arg, writer_done_fn done, void *ctx);
/* Groups committed since start. */
unsigned long writer_commits(void);
/* Times the log was made durable since start: syncs where the writer syncs apart from commits,
 * commits where each commit syncs itself. With concurrent callers, fewer than the jobs run: the
 * point of the group commit. */
unsigned long writer_syncs(void);

/* Queues a job and waits for it: for callers that may block (command line, tests). */
int writer_run(writer_fn fn, void *arg);

#endif
