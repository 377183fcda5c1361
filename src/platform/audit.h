/* Audit trail (审计留痕): every state change writes a record in the same transaction: who,
 * when, what, and the row before and after. Records form a SHA-256 hash chain, and the latest
 * record of every audited row holds that row's current state, so `yiwang audit verify` finds a
 * record that was changed, inserted or deleted, and a data row changed behind the program's back. */
#ifndef YW_AUDIT_H
#define YW_AUDIT_H
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "platform/auth.h"
#include "platform/db.h"

/* Records the current state of table's row `key` (after the change; NULL state when deleted).
 * before is taken from the row's previous audit record. actor NULL means the system itself
 * (demo, import from the command line, background jobs). Call inside the writer's transaction. */
int audit_record(db_t *db, const auth_user_t *actor, const char *action, const char *table, const char *key);
int audit_record_id(db_t *db, const auth_user_t *actor, const char *action, const char *table, int64_t id);

/* Checks the chain and every audited row; writes findings to out (the first bad record first).
 * Returns 0 when intact, YW_ECONFLICT when tampering was found, another status on failure. */
int audit_verify(db_t *db, FILE *out);

/* Page of audit records, newest first, optionally for one entity. Returns a new reference. */
int audit_list(db_t *db, const char *entity, const char *entity_id, int64_t page, int64_t page_size, json_t **out);

#endif
