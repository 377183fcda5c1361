/* See audit.h. The chain: hash(n) = HMAC-SHA-256(key, length-prefixed fields of record n and
 * hash(n-1)); the first record chains to 64 zeros. Records made before the chain was keyed (a
 * database from before keying) use plain SHA-256 of the same fields; a key record (entity
 * audit_key, entity_id the key's id) switches the chain to that key from itself on, so a chain
 * rebuilt with plain SHA-256 by someone without the key no longer verifies. This file holds the
 * keys (the key file and the keys loaded from it) and the hashing; audit_store.c holds the
 * records: the append, the snapshots of audited rows, verification and the list. */
#include "platform/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/audit_priv.h"
#include "platform/err.h"

const char audit_genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";
/* The loaded keys, set once before any thread starts and read-only afterwards. */
audit_key_t audit_keys[AUDIT_MAX_KEYS];
size_t audit_nkeys;
const audit_key_t *audit_cur;

const audit_key_t *audit_find_key(const char *id)
{
	for (size_t i = 0; i < audit_nkeys; i++)
		if (strcmp(audit_keys[i].id, id) == 0)
			return &audit_keys[i];
	return NULL;
}

/* SHA-256 for the unkeyed links of a chain from before keying, HMAC-SHA-256 for keyed ones.
 * Nettle's, which uses the processor's SHA instructions where there are some (five times
 * libsodium's portable SHA-256 on a 2 KB record here: docs/benchmarks.md, 2026-12-04); the
 * chain is the standard HMAC either way. A thread keeps the HMAC state keyed with the key it
 * last used: nettle's digest leaves the context ready for the next message with the same key. */
typedef struct hasher {
	struct hmac_sha256_ctx *hmac; /* NULL: plain SHA-256 */
	struct sha256_ctx sha;
} hasher_t;

static __thread struct {
	unsigned char k[sizeof ((audit_key_t *)0)->k];
	bool set;
	struct hmac_sha256_ctx ctx;
} t_hmac;

static void hasher_init(hasher_t *h, const audit_key_t *key)
{
	h->hmac = NULL;
	if (!key) {
		sha256_init(&h->sha);
		return;
	}
	if (!t_hmac.set || memcmp(t_hmac.k, key->k, sizeof key->k) != 0) {
		hmac_sha256_set_key(&t_hmac.ctx, sizeof key->k, key->k);
		memcpy(t_hmac.k, key->k, sizeof key->k);
		t_hmac.set = true;
	}
	h->hmac = &t_hmac.ctx;
}

static void hasher_update(hasher_t *h, const void *p, size_t n)
{
	if (h->hmac)
		hmac_sha256_update(h->hmac, n, p);
	else
		sha256_update(&h->sha, n, p);
}

static void hasher_final(hasher_t *h, char out[65])
{
	unsigned char bin[SHA256_DIGEST_SIZE];
	if (h->hmac)
		hmac_sha256_digest(h->hmac, sizeof bin, bin);
	else
		sha256_digest(&h->sha, sizeof bin, bin);
	sodium_bin2hex(out, 65, bin, sizeof bin);
}

static void hash_field(hasher_t *h, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : 0xFFFFFFFFu; /* NULL differs from "" */
	unsigned char len[4] = {n >> 24, n >> 16, n >> 8, n};
	hasher_update(h, len, 4);
	if (s)
		hasher_update(h, s, strlen(s));
}

void audit_chain_hash(const audit_key_t *key, const char *prev, int64_t id, int64_t at, int64_t actor_id,
		      const char *actor, const char *action, const char *entity, const char *entity_id,
		      const char *before, const char *after, char out[65])
{
	char nums[64];
	snprintf(nums, sizeof nums, "%lld|%lld|%lld", (long long)id, (long long)at, (long long)actor_id);
	hasher_t h;
	hasher_init(&h, key);
	const char *fields[] = {prev, nums, actor, action, entity, entity_id};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		hash_field(&h, fields[i]);
	hash_field(&h, before);
	hash_field(&h, after);
	hasher_final(&h, out);
}

int audit_mac(const char *purpose, const char *const *fields, size_t n, char out[65])
{
	if (!audit_cur)
		return YW_ENOTFOUND;
	hasher_t h;
	hasher_init(&h, audit_cur);
	hash_field(&h, purpose);
	for (size_t i = 0; i < n; i++)
		hash_field(&h, fields[i]);
	hasher_final(&h, out);
	return 0;
}

/* ---- the key file ---- */

void audit_key_id(const unsigned char k[32], char id[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, k, 32, NULL, 0);
	sodium_bin2hex(id, 17, h, sizeof h);
}

int audit_key_load(const char *path, FILE *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? YW_ENOTFOUND : YW_EIO;
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		fprintf(err, "yiwang: warning: audit key file %s can be read by others (mode %03o): chmod 600 it\n", path,
			(unsigned)(sb.st_mode & 0777));
	char line[256];
	int rc = 0, lineno = 0;
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = line + strspn(line, " \t");
		s[strcspn(s, " \t\r\n")] = 0;
		if (!*s || *s == '#')
			continue;
		size_t bin_len = 0;
		if (n == AUDIT_MAX_KEYS || strlen(s) != 64 ||
		    sodium_hex2bin(audit_keys[n].k, sizeof audit_keys[n].k, s, 64, NULL, &bin_len, NULL) != 0 || bin_len != 32) {
			fprintf(err, "yiwang: %s:%d: expected a key of 64 hex digits\n", path, lineno);
			rc = YW_EINVAL;
			break;
		}
		audit_key_id(audit_keys[n].k, audit_keys[n].id);
		n++;
	}
	sodium_memzero(line, sizeof line);
	fclose(f);
	if (!rc && n == 0) {
		fprintf(err, "yiwang: %s holds no key\n", path);
		rc = YW_EINVAL;
	}
	audit_nkeys = rc ? 0 : n;
	audit_cur = NULL;
	return rc;
}

int audit_write_keys(const char *path, const audit_key_t *keys, size_t n, bool exclusive)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return YW_EIO;
	static const char head[] = "# yiwang audit key (docs/operations.md): keep a copy apart from the database.\n"
				   "# One key a line, newest last; older keys verify the records made with them.\n";
	bool ok = write(fd, head, sizeof head - 1) == (ssize_t)(sizeof head - 1);
	for (size_t i = 0; ok && i < n; i++) {
		char hex[66];
		sodium_bin2hex(hex, 65, keys[i].k, 32);
		hex[64] = '\n';
		ok = write(fd, hex, 65) == 65;
		sodium_memzero(hex, sizeof hex);
	}
	ok = ok && fsync(fd) == 0;
	close(fd);
	/* link() refuses to replace an existing file: a key is created only where there is none */
	if (ok)
		ok = exclusive ? link(tmp, path) == 0 : rename(tmp, path) == 0;
	int e = errno;
	unlink(tmp);
	if (!ok)
		return exclusive && e == EEXIST ? YW_ECONFLICT : YW_EIO;
	char dir[1024];
	snprintf(dir, sizeof dir, "%s", path);
	int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
}

int audit_key_create(const char *path)
{
	audit_key_t k;
	randombytes_buf(k.k, sizeof k.k);
	int rc = audit_write_keys(path, &k, 1, true);
	sodium_memzero(&k, sizeof k);
	return rc;
}

int audit_checkpoint_parse(const char *s, audit_checkpoint_t *out)
{
	char *end;
	errno = 0;
	long long seq = strtoll(s, &end, 10);
	if (errno || end == s || *s < '0' || *s > '9' || seq < 1 || *end != ' ' || strlen(end + 1) != 64)
		return YW_EINVAL;
	for (const char *h = end + 1; *h; h++)
		if (!((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f')))
			return YW_EINVAL;
	out->seq = seq;
	memcpy(out->hash, end + 1, 65);
	return 0;
}
