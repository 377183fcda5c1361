/* The organisation store's functions for its own routes. The writers validate their JSON input
 * into v and audit the change in the caller's transaction; id 0 (or code NULL) creates. */
#ifndef YW_ORG_STORE_H
#define YW_ORG_STORE_H
#include "org/org.h"

int org_region_write(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v);
int org_dept_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_hall_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_window_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);
int org_user_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v);

/* ---- for the routes (org_http.c) ---- */

/* The lists as the routes show them, each a new JSON array in *out; 0 or the store's error.
 * org_windows_list: the windows of one hall, or of all with hall_id 0. */
int org_regions_list(db_t *db, json_t **out);
int org_depts_list(db_t *db, json_t **out);
int org_halls_list(db_t *db, json_t **out);
int org_windows_list(db_t *db, int64_t hall_id, json_t **out);
/* Staff accounts within the region scope whose name or username contains q and that hold role
 * (NULL: any), by id: page page of size in *items (new array), the number that match in *total. */
int org_staff_list(db_t *db, const char *scope, const char *q, const char *role, int64_t page, int64_t size,
		   json_t **items, int64_t *total);

/* The writers above, each in its own transaction with its audit record; then *out (a new
 * reference) is the row as the list shows it. The writers' statuses (YW_EINVAL with the problems
 * in v, YW_EFORBIDDEN, YW_ENOTFOUND) or the store's error, and then nothing is changed. */
int org_region_save(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v, json_t **out);
int org_dept_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out);
int org_hall_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out);
int org_window_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out);
int org_staff_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, json_t **out);
int org_staff_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, json_t **out);

/* For the sign-in routes, each in its own transaction: an applicant's self-registration (kind
 * "person" or "legal"; org_user_create's statuses); the signed-in actor's new password
 * (org_user_set_password); an API token for the actor, audited "token.create"
 * (auth_token_create); a token's revocation (auth_token_revoke). */
int org_applicant_register(db_t *db, json_t *in, const char *kind, vctx_t *v, int64_t *id_out);
int org_password_change(db_t *db, const auth_user_t *actor, const char *password);
int org_token_create(db_t *db, const auth_user_t *actor, const char *name, int64_t expires_at, char token_out[64],
		     int64_t *id_out);
int org_token_revoke(db_t *db, const auth_user_t *actor, int64_t token_id);
/* An account's region ("" when it has none); YW_ENOTFOUND when there is no such account. */
int org_user_region(db_t *db, int64_t id, char region_out[16]);

#endif
