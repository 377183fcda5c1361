/* Background re-evaluation: one thread runs every registered job at a fixed interval (at most a
 * minute) and as soon as the local day changes, on its own database connection, so requests
 * never wait for it. Jobs are idempotent (they may run again for the same moment) and write in
 * their own transactions. Several servers on one PostgreSQL database run each job once: on the
 * server that holds the job's advisory lock (see ticker.c), which passes to another server
 * within a second of its holder's death. */
#ifndef YW_TICKER_H
#define YW_TICKER_H
#include <stdint.h>

#include "platform/db.h"

typedef int (*ticker_fn)(db_t *db, int64_t now);

/* Register before ticker_start(); name goes into the log. At most 16 jobs. */
void ticker_register(const char *name, ticker_fn fn);
int ticker_start(unsigned interval_s);
/* Stops the thread after the job in progress; safe to call when not started. */
void ticker_stop(void);

#endif
