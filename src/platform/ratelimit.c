/* See ratelimit.h. */
#include "platform/ratelimit.h"

#include <pthread.h>
#include <stdbool.h>
#include <sodium.h>
#include <string.h>

#define SLOTS 8192
#define WAYS 4

typedef struct {
	uint64_t key; /* 0: free */
	int64_t last; /* last time the slot was used */
	double level; /* token bucket: tokens left */
	int64_t until; /* failures: may try again from */
	int64_t count; /* failures: consecutive count */
} slot_t;

typedef struct {
	pthread_mutex_t mu;
	slot_t slot[SLOTS];
} table_t;

static table_t g_writes = {.mu = PTHREAD_MUTEX_INITIALIZER};
static table_t g_fails = {.mu = PTHREAD_MUTEX_INITIALIZER};
static unsigned char g_key[crypto_shorthash_KEYBYTES];
static pthread_once_t g_key_once = PTHREAD_ONCE_INIT;

static void key_init(void)
{
	randombytes_buf(g_key, sizeof g_key);
}

static uint64_t hash_of(const char *s)
{
	pthread_once(&g_key_once, key_init);
	unsigned char out[crypto_shorthash_BYTES];
	crypto_shorthash(out, (const unsigned char *)s, strlen(s), g_key);
	uint64_t h;
	memcpy(&h, out, sizeof h);
	return h ? h : 1;
}

/* The slot of key, with the table locked; *fresh when it was (re)claimed for this key. */
static slot_t *find(table_t *t, uint64_t key, int64_t now, bool *fresh)
{
	slot_t *set = &t->slot[(key % (SLOTS / WAYS)) * WAYS], *victim = &set[0];
	for (int i = 0; i < WAYS; i++) {
		if (set[i].key == key) {
			*fresh = false;
			return &set[i];
		}
		if (set[i].key == 0 || (victim->key != 0 && set[i].last < victim->last))
			victim = &set[i];
	}
	memset(victim, 0, sizeof *victim);
	victim->key = key;
	victim->last = now;
	*fresh = true;
	return victim;
}

/* Existing slot only, or NULL; table locked. */
static slot_t *lookup(table_t *t, uint64_t key)
{
	slot_t *set = &t->slot[(key % (SLOTS / WAYS)) * WAYS];
	for (int i = 0; i < WAYS; i++)
		if (set[i].key == key)
			return &set[i];
	return NULL;
}

int64_t ratelimit_anon_write(const char *addr, int64_t now, int burst, int per_minute)
{
	if (burst <= 0 || per_minute <= 0)
		return 0;
	uint64_t key = hash_of(addr);
	int64_t wait = 0;
	pthread_mutex_lock(&g_writes.mu);
	bool fresh;
	slot_t *s = find(&g_writes, key, now, &fresh);
	if (fresh)
		s->level = burst;
	else if (now > s->last)
		s->level += (double)(now - s->last) * per_minute / 60.0;
	if (s->level > burst)
		s->level = burst;
	s->last = now;
	if (s->level >= 1.0) {
		s->level -= 1.0;
	} else {
		double secs = (1.0 - s->level) * 60.0 / per_minute;
		wait = (int64_t)secs + ((double)(int64_t)secs < secs ? 1 : 0);
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&g_writes.mu);
	return wait;
}

int64_t ratelimit_delay(int64_t n, int free, int max_delay)
{
	if (n < free)
		return 0;
	int64_t e = n - free;
	int64_t d = e >= 30 ? max_delay : (int64_t)1 << e;
	return d > max_delay ? max_delay : d;
}

int64_t ratelimit_fail_wait(const char *key, int64_t now, int max_delay)
{
	(void)max_delay;
	uint64_t k = hash_of(key);
	int64_t wait = 0;
	pthread_mutex_lock(&g_fails.mu);
	slot_t *s = lookup(&g_fails, k);
	if (s && s->until > now)
		wait = s->until - now;
	pthread_mutex_unlock(&g_fails.mu);
	return wait;
}

void ratelimit_fail_record(const char *key, int64_t now, int free, int max_delay)
{
	uint64_t k = hash_of(key);
	pthread_mutex_lock(&g_fails.mu);
	bool fresh;
	slot_t *s = find(&g_fails, k, now, &fresh);
	if (!fresh && now > (s->until > s->last ? s->until : s->last) + max_delay)
		s->count = 0;
	s->count++;
	s->last = now;
	int64_t d = ratelimit_delay(s->count, free, max_delay);
	if (d)
		s->until = now + d;
	pthread_mutex_unlock(&g_fails.mu);
}

void ratelimit_fail_clear(const char *key)
{
	uint64_t k = hash_of(key);
	pthread_mutex_lock(&g_fails.mu);
	slot_t *s = lookup(&g_fails, k);
	if (s)
		memset(s, 0, sizeof *s);
	pthread_mutex_unlock(&g_fails.mu);
}
