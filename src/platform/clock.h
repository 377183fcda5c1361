/* The program's clock. Domain time (case events, working-day clocks, supervision) is read from
 * yw_now(), never from time() directly, so that tests can move it forward: when the environment
 * variable YIWANG_CLOCK_FILE names a file, its content (a number of seconds) is added to the
 * real time. The file is re-read when it changes. Not reachable over HTTP; for tests only. */
#ifndef YW_CLOCK_H
#define YW_CLOCK_H
#include <stdint.h>

int64_t yw_now(void);

/* Pins the clock at `at` (seconds since the epoch) until called again; 0 lets it run again.
 * For `yiwang demo` only, which replays a past year through the store functions with the clock
 * set to each simulated instant. Never called by the server. */
void yw_clock_set(int64_t at);

#endif
