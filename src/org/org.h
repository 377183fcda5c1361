/* Organisation (组织机构): regions on four levels with GB/T 2260 codes, departments with their
 * 统一社会信用代码, service halls and their windows, and the accounts of staff and applicants. */
#ifndef YW_ORG_H
#define YW_ORG_H
#include <jansson.h>

#include "platform/auth.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/jsonv.h"

/* Loads the organisation sections of an exchange document (docs/catalog-format.md: regions,
 * departments, halls, windows, staff) as actor (NULL: the system). Staff get `password`; with
 * password NULL a staff section is refused. Problems go to v. Runs inside the caller's
 * transaction, which the caller rolls back unless everything was valid. */
int org_import(db_t *db, const auth_user_t *actor, json_t *doc, const char *password, vctx_t *v);
/* Adds the organisation sections (without staff) to an exchange document. */
int org_export(db_t *db, json_t *doc);

/* Creates an account; kind "staff", "person" or "legal". Validates in v. Inside a transaction. */
int org_user_create(db_t *db, const auth_user_t *actor, json_t *in, const char *kind, vctx_t *v, int64_t *id_out);

/* Sets an account's password (checked by the caller with auth_password_problem), audits
 * "user.password" and ends the account's sessions and tokens. Inside a transaction. */
int org_user_set_password(db_t *db, const auth_user_t *actor, int64_t id, const char *password);

/* ---- for the command line (main.c) ---- */
/* The number of accounts (0: a new database). */
int org_user_count(db_t *db, int64_t *n);
/* The id of the department named name; YW_ENOTFOUND when there is none. */
int org_dept_id_by_name(db_t *db, const char *name, int64_t *id);
/* Sets the password hash of account username as the system, audited as user.password (the
 * account's sessions are left as they are). Inside a transaction. YW_ENOTFOUND: no such account. */
int org_user_set_hash_by_name(db_t *db, const char *username, const char *hash);
/* One account as the command line lists it; texts valid during the callback. */
typedef struct org_account {
	const char *username, *name, *kind, *roles;
	const char *dept; /* the department's name, "" when none (the demo list only) */
	bool disabled;
} org_account_t;
/* Calls fn for every account in id order (demo: the demo file's first staff accounts, one per
 * role, and the applicants) until fn returns non-zero; fn's status or a read error. */
int org_accounts_each(db_t *db, bool demo, int (*fn)(void *arg, const org_account_t *a), void *arg);

/* Route handlers (platform/routes.c). */
int h_regions_list(http_req_t *req);
int h_region_create(http_req_t *req);
int h_region_update(http_req_t *req);
int h_depts_list(http_req_t *req);
int h_dept_create(http_req_t *req);
int h_dept_update(http_req_t *req);
int h_halls_list(http_req_t *req);
int h_hall_create(http_req_t *req);
int h_hall_update(http_req_t *req);
int h_windows_list(http_req_t *req);
int h_window_create(http_req_t *req);
int h_window_update(http_req_t *req);
int h_users_list(http_req_t *req);
int h_user_create(http_req_t *req);
int h_user_update(http_req_t *req);
int h_auth_login(http_req_t *req);
int h_auth_logout(http_req_t *req);
int h_auth_me(http_req_t *req);
int h_auth_register(http_req_t *req);
int h_auth_token(http_req_t *req);
int h_auth_tokens_list(http_req_t *req);
int h_auth_token_revoke(http_req_t *req);
int h_auth_password(http_req_t *req);
int h_user_tokens_list(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void org_module_register(void);

#endif
