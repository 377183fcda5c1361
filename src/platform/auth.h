/* Identity and access: staff and applicant accounts, argon2id passwords (libsodium), cookie
 * sessions with a CSRF token, bearer API tokens with a longest lifetime, a sign-in throttle that
 * delays guessing without locking the real user out, the
 * roles of docs/domain.md §1 and the permission each route declares. Data scope: a user's
 * department (dept_id) and region (GB/T 2260 prefix) bound what they may see and change. */
#ifndef YW_AUTH_H
#define YW_AUTH_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "platform/db.h"

struct http_req;

enum role {
	ROLE_APPLICANT = 1u << 0,          /* 申请人 */
	ROLE_CLERK = 1u << 1,              /* 窗口人员 */
	ROLE_APPROVER = 1u << 2,           /* 审批人员 */
	ROLE_DEPT_ADMIN = 1u << 3,         /* 部门管理员 */
	ROLE_CENTER_ADMIN = 1u << 4,       /* 中心管理员 */
	ROLE_SUPERVISOR = 1u << 5,         /* 电子监察 */
	ROLE_HOTLINE_OPERATOR = 1u << 6,   /* 12345 话务员 */
	ROLE_HANDLING_UNIT = 1u << 7,      /* 承办单位 */
	ROLE_DISCLOSURE_OFFICER = 1u << 8, /* 信息公开工作人员 */
};

/* What a route needs. PERM_PUBLIC needs nothing; PERM_SIGNED_IN any account. */
enum perm {
	PERM_PUBLIC = 0,
	PERM_SIGNED_IN,
	PERM_CATALOG_VIEW,   /* drafts and history of items in scope */
	PERM_CATALOG_EDIT,   /* create and edit drafts in scope, submit */
	PERM_CATALOG_REVIEW, /* publish, reject, withdraw */
	PERM_CATALOG_IMPORT, /* import, full export */
	PERM_ORG_MANAGE,     /* regions, departments, halls, windows */
	PERM_USERS_MANAGE,   /* staff accounts and roles */
	PERM_CALENDAR_EDIT,
	PERM_AUDIT_READ,
	PERM_CASE_APPLY_OR_ACCEPT, /* make and move applications: applicants online, windows for walk-ins */
	PERM_CASE_ACCEPT, /* the window: walk-in applications, 受理 / 不予受理 / 补正 */
	PERM_CASE_HANDLE, /* back-office steps and decisions in one's department */
	PERM_SUPERVISE,   /* electronic supervision: signals, cards, 督办 orders, review verification */
	PERM_DEPT_RESPOND, /* a department answers 督办 orders and bad reviews (appeal, rectification) */
	PERM_STATS_VIEW,  /* statistics, dashboard, monthly report (department admins: their own) */
	PERM_HALL_SERVE,  /* a window's queue work: call, recall, skip, transfer, pause, serve */
	PERM_HALL_MANAGE, /* the hall's queues, appointment slots, long-queue alerts, hall statistics */
	PERM_SUPERVISION_VIEW, /* 督办 orders and cards: supervisors their region's, departments their own */
	PERM_DISCLOSURE_HANDLE, /* 政府信息公开: an organ's documents and requests (officers their organ's, the centre all) */
	PERM_DISCLOSURE_CONFIG, /* 政府信息公开: the category tree (the centre) */
	PERM_DISCLOSURE_APPLY,  /* 政府信息公开 requests: applicants online, the organ's officers for the other channels */
	PERM_HOTLINE_VIEW,      /* 12345 work orders: the centre and supervisors all, a handling unit its own */
	PERM_HOTLINE_OPERATE,   /* the centre's desk: intake, dispatch, 改派, reply check, 办结, 回访, 并单 */
	PERM_HOTLINE_HANDLE,    /* a handling unit: sign for, return, ask for an extension, reply */
	PERM_HOTLINE_MANAGE,    /* the centre's decisions: extensions, 重办, 会商, matters, call-centre keys */
	PERM_HOTLINE_SUPERVISE, /* 督办 of hotline orders */
	PERM_FILE_UPLOAD, /* upload a file (POST /api/v1/files): those who attach files to cases (case.apply), to
			     disclosure documents (disclosure.handle) and to hotline orders (operators, handling units);
			     an upload is readable by its uploader only until attached */
	PERM_HOTLINE_STATS,     /* the hotline dashboard: the centre (operators, admins) and supervisors */
	PERM__COUNT
};

typedef struct auth_user {
	int64_t id;
	char username[64];
	char name[64];
	char kind[8]; /* staff, person, legal */
	unsigned roles;
	int64_t dept_id; /* 0 when none */
	char region_code[16];
	int64_t window_id;
	char csrf[44];
} auth_user_t;

/* Role names as stored and shown ("dept_admin") and their Chinese labels. */
const char *auth_role_name(unsigned role_bit);
const char *auth_role_label(unsigned role_bit);
/* Parses "clerk,approver"; YW_EINVAL naming the unknown role. */
int auth_roles_parse(const char *csv, unsigned *out);
/* Writes roles as "clerk,approver" into buf. */
void auth_roles_format(unsigned roles, char *buf, size_t size);
json_t *auth_roles_json(unsigned roles);

bool auth_has_perm(const auth_user_t *u, enum perm p);
const char *auth_perm_name(enum perm p);
/* How many leading characters of a region code its descendants share (430100 → 4, 430102 → 6). */
size_t auth_region_prefix_len(const char *scope);
/* Region scope: does code lie within scope (same code, or a GB/T 2260 descendant)? */
bool auth_region_within(const char *code, const char *scope);
/* auth_region_within in SQL, spelled once for every module: does the text expression col lie
 * within the region whose prefix is bound as :P and its length as :P_len (auth_region_bind)? */
#define AUTH_REGION_WITHIN_SQL(col, p) "substr(" col ", 1, :" p "_len) = :" p
/* Binds :p and :p_len of AUTH_REGION_WITHIN_SQL for scope (a region code; "" = everywhere). */
void auth_region_bind(db_stmt_t *st, const char *p, const char *scope);
/* May u act on data owned by department dept_id (in region dept_region)? Centre admins and
 * supervisors act within their region; everyone else only within their own department. */
bool auth_dept_in_scope(const auth_user_t *u, int64_t dept_id, const char *dept_region);

/* Password hashing (argon2id). out must hold crypto_pwhash_STRBYTES (128) bytes. */
int auth_hash_password(const char *password, char out[128]);
/* For `yiwang demo` only: every demo account has the same published password, so hashing it
 * once and reusing the hash (with its salt) for all of them saves about 0.1 s an account.
 * Never called by the server, where equal passwords must not give equal hashes. */
void auth_hash_reuse_for_demo(bool on);
/* Hashing a password is CPU-heavy (argon2id) and must not run on the writer thread, where the
 * store functions that set a password call auth_hash_password. A handler hashes on its worker
 * thread; its writer job calls auth_hash_preset(password, hash) before the store function, and
 * the thread's next auth_hash_password of exactly that password returns the hash (once).
 * auth_hash_preset(NULL, NULL) forgets it. */
void auth_hash_preset(const char *password, const char *hash);
bool auth_check_password(const char *hash, const char *password);
/* Password rule for new passwords; returns a Chinese reason or NULL when acceptable. */
const char *auth_password_problem(const char *password);

/* Sign in. Refused with YW_ETHROTTLED and res->retry_after (seconds) while the client address or
 * the account is in its delay (see auth.c, "sign-in throttle"); the account's delay does not
 * apply to a browser holding a session of the account (session_user_id) or the "known device"
 * cookie (device) of an earlier sign-in to it. On success res->token receives the session cookie
 * value, res->device a new known-device cookie value ("" when the browser already has one), and
 * user_out the account. A wrong password or unknown name: YW_EAUTH, counted. */
#define AUTH_SESSION_SECONDS (8 * 3600)
#define AUTH_DEVICE_SECONDS (180 * 86400)
#define AUTH_DEVICES_PER_USER 10
typedef struct auth_login {
	const char *username, *password;
	const char *addr;        /* the client address */
	const char *device;      /* the yw_device cookie, or NULL */
	int64_t session_user_id; /* the account of the browser's still-valid session, 0 when none */
} auth_login_t;
typedef struct auth_login_result {
	char token[64];
	char device[64];
	int64_t retry_after;
} auth_login_result_t;
int auth_login(db_t *db, const auth_login_t *in, auth_login_result_t *res, auth_user_t *user_out);
/* auth_login in its two halves, for the server, where writes go through the writer
 * (platform/writer.h): auth_login_check reads and verifies the password (argon2: on the caller's
 * thread, never the writer's) and fills *w with the write that follows: 0 then, or the outcome
 * that needs no write (YW_ETHROTTLED with res->retry_after, YW_EAUTH for an unknown name, an error).
 * auth_login_write, run in the writer, records the known account's failure (then YW_EAUTH, the
 * failure written: the caller's job must return 0 for it to commit) or opens the session (0, with
 * *user_out and res->token, res->device). auth_login_for_session prepares the session of an
 * account whose credentials were checked otherwise (the new session after a password change). */
typedef struct auth_login_write {
	bool failure; /* a known account's failed attempt, else a session to open */
	bool exempt;
	char username[65];
	char device[65];
	int64_t f[3], now;
	auth_user_t user;
	char th[65], csrf[64];
} auth_login_write_t;
int auth_login_check(db_t *db, const auth_login_t *in, auth_login_result_t *res, auth_login_write_t *w);
int auth_login_write(db_t *db, const auth_login_write_t *w, auth_login_result_t *res, auth_user_t *user_out);
void auth_login_for_session(const auth_user_t *u, const char *device, auth_login_result_t *res, auth_login_write_t *w);
int auth_logout(db_t *db, const char *token);
/* Resolves a session cookie value or bearer token to its user; YW_EAUTH when invalid, expired
 * (tokens live at most token_max_days from creation), revoked or the account disabled; the
 * database's error status (YW_EDB) when it cannot tell. */
int auth_session_user(db_t *db, const char *token, auth_user_t *out);
int auth_token_user(db_t *db, const char *token, auth_user_t *out);
/* Creates an API token for user_id; token_out gets the secret once ("yw_" + 43 chars). An
 * expires_at of 0 or beyond token_max_days gets the limit. The caller audits "token.create". */
int auth_token_create(db_t *db, int64_t user_id, const char *name, int64_t expires_at, char token_out[64],
		      int64_t *id_out);
/* The token's owner and the owner's region; YW_ENOTFOUND. */
int auth_token_owner(db_t *db, int64_t token_id, int64_t *user_id, char region_out[16]);
/* The id of the token with this secret; YW_ENOTFOUND. */
int auth_token_id(db_t *db, const char *token, int64_t *id_out);
/* Revokes a token, auditing "token.revoke" (nothing when already revoked). Inside a transaction. */
int auth_token_revoke(db_t *db, const auth_user_t *actor, int64_t token_id);
/* Ends everything that signs an account in: deletes its sessions and revokes (audited) its API
 * tokens. Called on a password change and when the account is disabled. Inside a transaction. */
int auth_end_account(db_t *db, const auth_user_t *actor, int64_t user_id);
/* *out = {"total","items":[{id,name,created_at,expires_at,revoked,state}]}, newest first; caller
 * owns it. 0 or the database's error status. */
int auth_tokens_list(db_t *db, int64_t user_id, json_t **out);
int auth_user_load(db_t *db, int64_t id, auth_user_t *out);
json_t *auth_user_json(const auth_user_t *u);

/* Request side: resolves the cookie or Authorization header into req->user; the database's
 * error status when it cannot tell. */
int auth_resolve_request(struct http_req *req);

#endif
