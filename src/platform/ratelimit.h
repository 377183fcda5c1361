/* Per-address limits held in memory (docs/architecture.md, HTTP conventions: anything reachable without signing in is
 * bounded). Each limit is a fixed-size table of 8192 slots, four-way set-associative and keyed by
 * a keyed hash (SipHash, random key per process) of the address, so memory never grows and an
 * attacker cannot aim collisions at someone else's slot; when a set is full the slot seen least
 * recently is reused. All times are yw_now() seconds. Thread-safe. */
#ifndef YW_RATELIMIT_H
#define YW_RATELIMIT_H
#include <stdint.h>

/* Anonymous writes: a token bucket per address holding up to `burst` writes and refilled at
 * per_minute. Returns 0 when this write may go ahead (and takes a token), otherwise the seconds
 * until one is available (for Retry-After). burst or per_minute 0: no limit. */
int64_t ratelimit_anon_write(const char *addr, int64_t now, int burst, int per_minute);

/* Failed sign-ins, counted per key ("a:ADDRESS" for addresses, "u:NAME" for names that are not
 * accounts; real accounts are counted in the database, platform/auth.c). ratelimit_fail_wait
 * gives the seconds the key must still wait (0: may try); ratelimit_fail_record counts a failure
 * and starts the next delay: none for the first `free` failures, then 1 s, 2 s, 4 s … up to
 * max_delay. A key idle for max_delay after its last delay ended starts again from zero. */
int64_t ratelimit_fail_wait(const char *key, int64_t now, int max_delay);
void ratelimit_fail_record(const char *key, int64_t now, int free, int max_delay);
/* Forgets a key's failures (a successful sign-in of the name). */
void ratelimit_fail_clear(const char *key);

/* The delay after the n-th consecutive failure: 0 for n < free, then 2^(n - free) seconds,
 * capped at max_delay. Shared by the in-memory and the database counters. */
int64_t ratelimit_delay(int64_t n, int free, int max_delay);

#endif
