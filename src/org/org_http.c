/* Organisation and account routes (docs/api.md). Each parses the request, calls the store
 * (org_store.c, where writes run in one transaction with their audit record, so a refused request
 * changes nothing) and answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"

typedef int (*org_save_fn)(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out);

static int path_id(http_req_t *req, int64_t *id)
{
	char *end;
	long long n = strtoll(req->param[0], &end, 10);
	if (*end || n <= 0)
		return YW_ENOTFOUND;
	*id = n;
	return 0;
}

/* The answer to a write: its row (201 when it created one), or why not. */
static int write_reply(http_req_t *req, int rc, vctx_t *v, json_t *row, bool created)
{
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v->errors);
	json_decref(v->errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "超出您的管理范围");
	if (rc)
		return rc;
	http_reply_json(req, created ? 201 : 200, row);
	return 0;
}

/* A save through the writer: the store's save function with what it needs, and what it answers. */
typedef struct save_job {
	org_save_fn fn;
	const auth_user_t *user;
	json_t *body;
	int64_t id;
	const char *code; /* regions: the key of the row updated, NULL to create one */
	vctx_t v;
	json_t *row;
	char password[129], hash[128]; /* a password the save sets, hashed on the worker (auth_hash_preset) */
} save_job_t;

static int save_in_group(db_t *db, void *arg)
{
	save_job_t *j = arg;
	if (j->hash[0])
		auth_hash_preset(j->password, j->hash);
	int rc = j->fn(db, j->user, j->body, j->id, &j->v, &j->row);
	auth_hash_preset(NULL, NULL);
	return rc;
}

static int save_respond(http_req_t *req, int rc, void *arg)
{
	save_job_t *j = arg;
	if (rc) {
		json_decref(j->row);
		j->row = NULL;
	}
	return write_reply(req, rc, &j->v, j->row, j->id == 0);
}

/* Hashes the body's "password" (a valid one) on this worker thread for the job. */
static int prehash(save_job_t *j)
{
	const char *pw = json_string_value(json_object_get(j->body, "password"));
	if (!pw || !*pw || strlen(pw) > 128 || auth_password_problem(pw))
		return 0; /* the store refuses it, or sets none */
	snprintf(j->password, sizeof j->password, "%s", pw);
	return auth_hash_password(pw, j->hash) == 0 ? 0 : YW_EIO;
}

/* Creates (id 0) or updates a row through the store's save function. */
static int save_reply(http_req_t *req, org_save_fn fn, int64_t id)
{
	save_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc || (rc = prehash(j)) != 0)
		return rc;
	j->fn = fn;
	j->user = req->user;
	j->id = id;
	return http_write(req, save_in_group, j, save_respond);
}

static int list_reply(http_req_t *req, int rc, json_t *items)
{
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items));
	return 0;
}

/* ---- regions ---- */

int h_regions_list(http_req_t *req)
{
	json_t *items = NULL;
	int rc = org_regions_list(db_thread(), &items);
	return list_reply(req, rc, items);
}

static int region_in_group(db_t *db, void *arg)
{
	save_job_t *j = arg;
	return org_region_save(db, j->user, j->body, j->code, &j->v, &j->row);
}

static int region_respond(http_req_t *req, int rc, void *arg)
{
	save_job_t *j = arg;
	if (rc) {
		json_decref(j->row);
		j->row = NULL;
	}
	if (rc == YW_ENOTFOUND) {
		json_decref(j->v.errors);
		return http_fail(req, rc, "区划不存在");
	}
	return write_reply(req, rc, &j->v, j->row, j->code == NULL);
}

static int region_reply(http_req_t *req, const char *code)
{
	save_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->user = req->user;
	j->code = code;
	return http_write(req, region_in_group, j, region_respond);
}

int h_region_create(http_req_t *req)
{
	return region_reply(req, NULL);
}

int h_region_update(http_req_t *req)
{
	return region_reply(req, req->param[0]);
}

/* ---- departments ---- */

int h_depts_list(http_req_t *req)
{
	json_t *items = NULL;
	int rc = org_depts_list(db_thread(), &items);
	return list_reply(req, rc, items);
}

int h_dept_create(http_req_t *req)
{
	return save_reply(req, org_dept_save, 0);
}

int h_dept_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "部门不存在");
	return save_reply(req, org_dept_save, id);
}

/* ---- halls and windows ---- */

int h_halls_list(http_req_t *req)
{
	json_t *items = NULL;
	int rc = org_halls_list(db_thread(), &items);
	return list_reply(req, rc, items);
}

int h_hall_create(http_req_t *req)
{
	return save_reply(req, org_hall_save, 0);
}

int h_hall_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "大厅不存在");
	return save_reply(req, org_hall_save, id);
}

int h_windows_list(http_req_t *req)
{
	int64_t hall;
	if (http_query_int(req, "hall_id", 0, INT64_MAX, 0, &hall))
		return YW_EINVAL;
	json_t *items = NULL;
	int rc = org_windows_list(db_thread(), hall, &items);
	return list_reply(req, rc, items);
}

int h_window_create(http_req_t *req)
{
	return save_reply(req, org_window_save, 0);
}

int h_window_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "窗口不存在");
	return save_reply(req, org_window_save, id);
}

/* ---- users ---- */

int h_users_list(http_req_t *req)
{
	int64_t page, size;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 50, &size))
		return YW_EINVAL;
	const char *q = http_query(req, "q"), *role = http_query(req, "role");
	json_t *items = NULL;
	int64_t total = 0;
	int rc = org_staff_list(db_thread(), req->user->region_code, q && *q ? q : NULL, role && *role ? role : NULL,
				page, size, &items, &total);
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
					    "page_size", (json_int_t)size, "items", items));
	return 0;
}

static int staff_create(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out)
{
	(void)id;
	return org_staff_create(db, actor, in, v, out);
}

static int staff_update(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out)
{
	return org_staff_update(db, actor, id, in, v, out);
}

int h_user_create(http_req_t *req)
{
	return save_reply(req, staff_create, 0);
}

int h_user_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	return save_reply(req, staff_update, id);
}

/* ---- sign-in ---- */

/* Cookies carry Secure when the public origin is https (config public_origin). */
static const char *cookie_flags(void)
{
	return http_origin_is_https() ? "; Secure" : "";
}

static void set_session_cookie(http_req_t *req, const char *token, int max_age)
{
	http_add_header(req, "Set-Cookie",
			arena_printf(req->arena, "yw_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", token,
				     max_age, cookie_flags()));
}

/* The "known device" cookie goes only to the sign-in route: it exempts this browser from the
 * account's sign-in throttle (platform/auth.h). */
static void set_device_cookie(http_req_t *req, const char *device)
{
	if (*device)
		http_add_header(req, "Set-Cookie",
				arena_printf(req->arena,
					     "yw_device=%s; Path=/api/v1/auth/login; HttpOnly; SameSite=Strict; Max-Age=%d%s",
					     device, AUTH_DEVICE_SECONDS, cookie_flags()));
}

static void reply_me(http_req_t *req, int status, const auth_user_t *u)
{
	http_reply_json(req, status, json_pack("{s:o, s:s}", "user", auth_user_json(u), "csrf_token", u->csrf));
}

static int throttled(http_req_t *req, int64_t retry_after)
{
	http_add_header(req, "Retry-After", arena_printf(req->arena, "%lld", (long long)retry_after));
	int64_t m = (retry_after + 59) / 60;
	return http_fail(req, YW_ETHROTTLED,
			 retry_after < 60 ? arena_printf(req->arena, "登录尝试过于频繁，请 %lld 秒后再试。", (long long)retry_after)
					  : arena_printf(req->arena, "登录尝试过于频繁，请 %lld 分钟后再试。", (long long)m));
}

static void login_input(http_req_t *req, const char *username, const char *password, auth_login_t *in)
{
	*in = (auth_login_t){.username = username, .password = password, .addr = http_client_addr(req),
			     .device = http_cookie(req, "yw_device"),
			     .session_user_id = req->user && req->via_cookie ? req->user->id : 0};
}

/* A sign-in's write (auth_login_write): the failure recorded, or the session opened. The job
 * returns 0 for a recorded failure too, so that it commits; the outcome travels in the job. */
typedef struct login_job {
	auth_login_write_t w;
	auth_login_result_t res;
	auth_user_t u;
	int outcome;
	int status;   /* 201 after a registration, else 200 */
	/* a password change: the new password, its hash (made on the worker), the account, and the
	 * new session's write */
	const auth_user_t *actor;
	char password[129], hash[128];
	auth_login_write_t fresh;
} login_job_t;

static int login_in_group(db_t *db, void *arg)
{
	login_job_t *j = arg;
	j->outcome = auth_login_write(db, &j->w, &j->res, &j->u);
	return j->outcome == YW_EAUTH ? 0 : j->outcome;
}

static int login_respond(http_req_t *req, int rc, void *arg)
{
	login_job_t *j = arg;
	rc = rc ? rc : j->outcome;
	if (rc == YW_EAUTH)
		return http_fail(req, rc, "用户名或密码错误");
	if (rc)
		return rc;
	set_session_cookie(req, j->res.token, AUTH_SESSION_SECONDS);
	set_device_cookie(req, j->res.device);
	reply_me(req, j->status, &j->u);
	return 0;
}

/* Checks the credentials on this worker thread, then queues the sign-in's write. */
static int login_start(http_req_t *req, const char *username, const char *password, int status)
{
	login_job_t *j = arena_zalloc(req->arena, sizeof *j);
	auth_login_t in;
	login_input(req, username, password, &in);
	int rc = auth_login_check(db_thread(), &in, &j->res, &j->w);
	if (rc == YW_ETHROTTLED)
		return throttled(req, j->res.retry_after);
	if (rc == YW_EAUTH)
		return http_fail(req, rc, "用户名或密码错误");
	if (rc)
		return rc;
	j->status = status;
	return http_write(req, login_in_group, j, login_respond);
}

int h_auth_login(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	const char *username = v_str(&v, body, "username", 1, 64), *password = v_str(&v, body, "password", 1, 128);
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	return login_start(req, username, password, 200);
}

typedef struct logout_job {
	const auth_user_t *user;
	int64_t token_id; /* a bearer token's id, else 0 */
	const char *cookie;
} logout_job_t;

static int logout_in_group(db_t *db, void *arg)
{
	logout_job_t *j = arg;
	if (j->token_id)
		return org_token_revoke(db, j->user, j->token_id);
	return j->cookie ? auth_logout(db, j->cookie) : 0;
}

static int logout_respond(http_req_t *req, int rc, void *arg)
{
	logout_job_t *j = arg;
	if (rc)
		return rc;
	if (!j->token_id)
		set_session_cookie(req, "", 0);
	return 0;
}

int h_auth_logout(http_req_t *req)
{
	logout_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	const char *authz = http_header(req, "Authorization");
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		/* A machine signing out ends its token, not just this request. */
		int rc = auth_token_id(db_thread(), authz + 7, &j->token_id);
		if (rc)
			return rc;
	} else {
		j->cookie = http_cookie(req, "yw_session");
	}
	return http_write(req, logout_in_group, j, logout_respond);
}

int h_auth_me(http_req_t *req)
{
	reply_me(req, 200, req->user);
	return 0;
}

typedef struct register_job {
	json_t *body;
	const char *kind;
	vctx_t v;
	int64_t id;
	char password[129], hash[128];
} register_job_t;

static int register_in_group(db_t *db, void *arg)
{
	register_job_t *j = arg;
	if (j->hash[0])
		auth_hash_preset(j->password, j->hash);
	int rc = org_applicant_register(db, j->body, j->kind, &j->v, &j->id);
	auth_hash_preset(NULL, NULL);
	return rc;
}

/* The account exists: sign it in (a second write, after its own check of the password). */
static int register_respond(http_req_t *req, int rc, void *arg)
{
	register_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc)
		return rc;
	return login_start(req, json_string_value(json_object_get(j->body, "username")),
			   json_string_value(json_object_get(j->body, "password")), 201);
}

int h_auth_register(http_req_t *req)
{
	register_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->body);
	if (rc)
		return rc;
	j->kind = json_string_value(json_object_get(j->body, "kind"));
	if (!j->kind || (strcmp(j->kind, "person") != 0 && strcmp(j->kind, "legal") != 0)) {
		http_fail_field(req, "kind", "应为 person（自然人）或 legal（法人）");
		return YW_EINVAL;
	}
	/* the password is hashed here, on the worker thread, for the store (auth_hash_preset) */
	const char *pw = json_string_value(json_object_get(j->body, "password"));
	if (pw && *pw && strlen(pw) <= 128 && !auth_password_problem(pw)) {
		snprintf(j->password, sizeof j->password, "%s", pw);
		if (auth_hash_password(pw, j->hash) != 0)
			return YW_EIO;
	}
	return http_write(req, register_in_group, j, register_respond);
}

typedef struct token_job {
	const auth_user_t *user;
	const char *name;
	int64_t expires_at, id;
	char token[64];
} token_job_t;

static int token_in_group(db_t *db, void *arg)
{
	token_job_t *j = arg;
	return org_token_create(db, j->user, j->name, j->expires_at, j->token, &j->id);
}

static int token_respond(http_req_t *req, int rc, void *arg)
{
	token_job_t *j = arg;
	if (rc)
		return rc;
	http_reply_json(req, 201,
			json_pack("{s:I, s:s, s:I}", "id", (json_int_t)j->id, "token", j->token, "expires_at",
				  (json_int_t)j->expires_at));
	return 0;
}

int h_auth_token(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	int64_t max_days = config_current()->token_max_days;
	const char *name = v_str(&v, body, "name", 1, 50);
	json_t *d = json_object_get(body, "expires_days");
	int64_t days = max_days;
	if (d && !json_is_null(d)) {
		days = v_int(&v, body, "expires_days", 1, INT64_MAX, false, max_days);
		if (v_ok(&v) && days > max_days)
			v_error(&v, "expires_days", arena_printf(req->arena, "令牌有效期不能超过 %lld 天。", (long long)max_days));
	}
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	token_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (token_job_t){.user = req->user, .name = name, .expires_at = yw_now() + days * 86400};
	return http_write(req, token_in_group, j, token_respond);
}

int h_auth_tokens_list(http_req_t *req)
{
	json_t *out;
	int rc = auth_tokens_list(db_thread(), req->user->id, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

/* May actor manage the tokens of account user_id (in region)? The owner, and a centre admin
 * (users.manage) for staff accounts within the admin's region. */
static bool may_manage_tokens(const auth_user_t *actor, int64_t user_id, const char *region)
{
	return actor->id == user_id ||
	       (auth_has_perm(actor, PERM_USERS_MANAGE) && auth_region_within(region, actor->region_code));
}

int h_auth_token_revoke(http_req_t *req)
{
	int64_t id, owner;
	char region[16];
	db_t *db = db_thread();
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "令牌不存在");
	int rc = auth_token_owner(db, id, &owner, region);
	if (rc == YW_ENOTFOUND || (rc == 0 && !may_manage_tokens(req->user, owner, region)))
		return http_fail(req, YW_ENOTFOUND, "令牌不存在");
	if (rc)
		return rc;
	logout_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (logout_job_t){.user = req->user, .token_id = id};
	return http_write(req, logout_in_group, j, http_respond_status);
}

int h_user_tokens_list(http_req_t *req)
{
	int64_t id;
	db_t *db = db_thread();
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	char region[16];
	int rc = org_user_region(db, id, region);
	if (rc == YW_ENOTFOUND || (rc == 0 && !may_manage_tokens(req->user, id, region)))
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	json_t *out;
	if (rc || (rc = auth_tokens_list(db, id, &out)) != 0)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int password_in_group(db_t *db, void *arg)
{
	login_job_t *j = arg;
	auth_login_result_t res;
	auth_user_t u;
	j->outcome = auth_login_write(db, &j->w, &res, &u);
	if (j->outcome == YW_EAUTH)
		return 0; /* the failure is recorded */
	if (j->outcome)
		return j->outcome;
	auth_hash_preset(j->password, j->hash);
	int rc = org_password_change(db, j->actor, j->password);
	auth_hash_preset(NULL, NULL);
	if (rc)
		return rc;
	/* The session made above was ended with the others; sign this browser in afresh. */
	return auth_login_write(db, &j->fresh, &j->res, &j->u);
}

static int password_respond(http_req_t *req, int rc, void *arg)
{
	login_job_t *j = arg;
	rc = rc ? rc : j->outcome;
	if (rc == YW_EAUTH) {
		http_fail_field(req, "current_password", "当前密码不正确。");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	set_session_cookie(req, j->res.token, AUTH_SESSION_SECONDS);
	reply_me(req, 200, &j->u);
	return 0;
}

/* A signed-in user changes their own password: the current one is checked, every session and
 * token of the account ends, and this browser gets a fresh session. */
int h_auth_password(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	const char *cur = v_str(&v, body, "current_password", 1, 128), *pw = v_str(&v, body, "new_password", 1, 128);
	const char *why = *pw ? auth_password_problem(pw) : NULL;
	if (why)
		v_error(&v, "new_password", why);
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	login_job_t *j = arena_zalloc(req->arena, sizeof *j);
	/* The current password is checked through the sign-in path, so guesses here are throttled
	 * like any other sign-in. */
	auth_login_t in;
	login_input(req, req->user->username, cur, &in);
	rc = auth_login_check(db_thread(), &in, &j->res, &j->w);
	if (rc == YW_ETHROTTLED)
		return throttled(req, j->res.retry_after);
	if (rc == YW_EAUTH) {
		http_fail_field(req, "current_password", "当前密码不正确。");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	/* the new password's hash, made here and not on the writer (auth_hash_preset) */
	snprintf(j->password, sizeof j->password, "%s", pw);
	if (auth_hash_password(pw, j->hash) != 0)
		return YW_EIO;
	j->actor = req->user;
	/* this browser's new session once every other has ended */
	auth_login_for_session(req->user, http_cookie(req, "yw_device"), &j->res, &j->fresh);
	return http_write(req, password_in_group, j, password_respond);
}
