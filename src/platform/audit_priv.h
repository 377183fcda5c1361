/* What the audit trail's two files share (audit.c: the keys and the hashing; audit_store.c: the
 * records). Not for other files: they use audit.h. */
#ifndef YW_AUDIT_PRIV_H
#define YW_AUDIT_PRIV_H
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The link before the first record. */
extern const char audit_genesis[];

typedef struct audit_key {
	unsigned char k[crypto_auth_hmacsha256_KEYBYTES];
	char id[17]; /* 16 hex digits of BLAKE2b(key): names the key without revealing it */
} audit_key_t;
#define AUDIT_MAX_KEYS 64

/* The loaded keys, set once before any thread starts and read-only afterwards (a rotation, from
 * the command line, appends one), and the key the chain is keyed with (NULL: not keyed). */
extern audit_key_t audit_keys[AUDIT_MAX_KEYS];
extern size_t audit_nkeys;
extern const audit_key_t *audit_cur;

/* The loaded key with id; NULL when none. */
const audit_key_t *audit_find_key(const char *id);
/* The id of key k. */
void audit_key_id(const unsigned char k[32], char id[17]);
/* Writes the keys to path through a temporary file and a rename (exclusive: a link, refused with
 * YW_ECONFLICT where a file exists), mode 0600, synced. */
int audit_write_keys(const char *path, const audit_key_t *keys, size_t n, bool exclusive);
/* The hash of a record linked to prev, keyed with key (NULL: plain SHA-256). */
void audit_chain_hash(const audit_key_t *key, const char *prev, int64_t id, int64_t at, int64_t actor_id,
		      const char *actor, const char *action, const char *entity, const char *entity_id,
		      const char *before, const char *after, char out[65]);

#endif
