/* Audit trail (审计留痕): every state change writes a record in the same transaction: who,
 * when, what, and the row before and after. Records form a hash chain keyed with a secret kept
 * outside the database (the audit key file, HMAC-SHA-256), and the latest record of every
 * audited row holds that row's current state, so `yiwang audit verify` finds a record that was
 * changed, inserted or deleted, a chain rebuilt by someone without the key, and a data row
 * changed behind the program's back. Checkpoints ("SEQ HASH", kept outside the database) pin the
 * history up to a record even against someone who holds the key. docs/operations.md. */
#ifndef YW_AUDIT_H
#define YW_AUDIT_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/auth.h"
#include "platform/db.h"

/* Records the current state of table's row `key` (after the change; NULL state when deleted).
 * before is taken from the row's previous audit record. actor NULL means the system itself
 * (demo, import from the command line, background jobs). Call inside the writer's transaction.
 * YW_EDB (and a log line) when the chain is keyed with a key this process does not hold
 * (rotated by another process: restart). */
int audit_record(db_t *db, const auth_user_t *actor, const char *action, const char *table, const char *key);
int audit_record_id(db_t *db, const auth_user_t *actor, const char *action, const char *table, int64_t id);

/* The audit key. A key file holds one or more 32-byte keys as 64 hex digits a line (the last one
 * newest; older ones stay to verify the records made with them); '#' lines are comments.
 * Load once at start, before any thread: the keys are read-only afterwards.
 * audit_key_load: 0, YW_ENOTFOUND (no such file), YW_EINVAL (malformed, message on err), YW_EIO.
 * audit_key_create: a new file of one random key, mode 0600; YW_ECONFLICT if the file exists
 * (a key is never overwritten). */
int audit_key_load(const char *path, FILE *err);
int audit_key_create(const char *path);
/* Whether the database's chain is keyed (holds a key record), into *keyed; 0 or the database's
 * error status. */
int audit_chain_keyed(db_t *db, bool *keyed);
/* Settles which loaded key this process writes with: the one the chain is keyed with; on a chain
 * not keyed yet (new, or from before keying) the newest loaded key, written as a key record
 * (action audit.key) from which on every link is keyed. YW_ECONFLICT, with the reason on err,
 * when the chain is keyed with a key the file does not hold, or is not keyed although it has
 * records and the file holds keys (rebuilt without the key). No keys loaded: 0 when the chain is
 * not keyed (records stay unkeyed), else YW_ECONFLICT. */
int audit_key_bind(db_t *db, bool created, FILE *err);
/* Appends a new key to the key file (rewritten atomically, mode 0600) and records the rotation
 * (action audit.rotate_key, linked with the new key): later records use the new key. The keys
 * must have been loaded from path and bound. Run with the server stopped. */
int audit_key_rotate(db_t *db, const char *path, FILE *out);

/* A keyed MAC (HMAC-SHA-256 with the current audit key, hex) of length-prefixed fields, for rows
 * that are not audited but must not be forged (sessions). purpose separates the uses.
 * YW_ENOTFOUND when no key is loaded. */
int audit_mac(const char *purpose, const char *const *fields, size_t n, char out[65]);

/* A published point of the chain: record seq had hash hash. */
typedef struct audit_checkpoint {
	int64_t seq;
	char hash[65];
} audit_checkpoint_t;
/* "SEQ HASH" (one space, 64 lowercase hex digits); YW_EINVAL otherwise. */
int audit_checkpoint_parse(const char *s, audit_checkpoint_t *out);
/* The last record made before Unix time `before` (INT64_MAX: the last record): YW_ENOTFOUND
 * when there is none. The monthly report prints the month's one. */
int audit_checkpoint_at(db_t *db, int64_t before, audit_checkpoint_t *out);

/* Checks the chain (keyed links with the loaded keys) and every audited row; writes findings to
 * out (the first bad record first). With checkpoints, also that the stored chain passes through
 * each. Returns 0 when intact, YW_ECONFLICT when tampering was found, another status on failure. */
int audit_verify(db_t *db, FILE *out);
/* head (may be NULL) receives the chain's last record when intact. */
int audit_verify_checkpoints(db_t *db, const audit_checkpoint_t *cps, size_t ncps, FILE *out, audit_checkpoint_t *head);

/* The audited tables, i from 0; NULL past the last. */
const char *audit_table(size_t i);

/* Page of audit records, newest first, optionally for one entity; *out a new reference. 0 or the
 * database's error status. */
int audit_list(db_t *db, const char *entity, const char *entity_id, int64_t page, int64_t page_size, json_t **out);

/* The snapshot the chain stores for the row at st's current position (columns from first on):
 * the compact JSON object jansson's json_dumps writes, the secret column as its SHA-256. Caller
 * frees. */
char *audit_row_snapshot(db_stmt_t *st, int first, const char *secret);

#endif
