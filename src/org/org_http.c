/* Organisation and account routes (docs/api.md). Writes run in one transaction with their audit
 * record; a refused request changes nothing. */
#include <stdio.h>
#include "platform/db_legacy.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"

typedef int (*org_writer_fn)(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);

static int path_id(http_req_t *req, int64_t *id)
{
	char *end;
	long long n = strtoll(req->param[0], &end, 10);
	if (*end || n <= 0)
		return YW_ENOTFOUND;
	*id = n;
	return 0;
}

/* Runs a writer in a transaction, then answers with the row as the list query shows it. */
static int write_tx(http_req_t *req, org_writer_fn fn, int64_t id, const char *one_sql, json_t *(*row)(sqlite3_stmt *))
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	db_t *db = db_thread();
	vctx_t v = {0};
	int64_t nid = 0;
	if (db_begin(db)) {
		return YW_EDB;
	}
	rc = fn(db, req->user, body, id, &v, &nid);
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v.errors);
	json_decref(v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "超出您的管理范围");
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, one_sql);
	dbl_bind_int(st, 1, nid);
	json_t *out = sqlite3_step(st) == SQLITE_ROW ? row(st) : json_object();
	sqlite3_reset(st);
	http_reply_json(req, id ? 200 : 201, out);
	return 0;
}

static json_t *null_or_int(sqlite3_stmt *st, int c)
{
	return sqlite3_column_type(st, c) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, c));
}

static void list_reply(http_req_t *req, const char *sql, int64_t arg, json_t *(*row)(sqlite3_stmt *))
{
	sqlite3_stmt *st = dbl_prepare(db_thread(), sql);
	if (arg >= 0)
		dbl_bind_int(st, 1, arg);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, row(st));
	sqlite3_reset(st);
	http_reply_json(req, 200, json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items));
}

/* ---- regions ---- */

static json_t *region_row(sqlite3_stmt *st)
{
	json_t *r = json_pack("{s:s, s:s, s:i}", "code", dbl_col_text(st, 0), "name", dbl_col_text(st, 1), "level",
			      sqlite3_column_int(st, 2));
	json_object_set_new(r, "parent", sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
										 : json_string(dbl_col_text(st, 3)));
	return r;
}

int h_regions_list(http_req_t *req)
{
	list_reply(req, "SELECT code, name, level, parent_code FROM regions ORDER BY code", -1, region_row);
	return 0;
}

static int region_tx(http_req_t *req, const char *code)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	db_t *db = db_thread();
	vctx_t v = {0};
	if (db_begin(db)) {
		return YW_EDB;
	}
	rc = org_region_write(db, req->user, body, code, &v);
	const char *key = code ? code : json_string_value(json_object_get(body, "code"));
	char keybuf[16];
	snprintf(keybuf, sizeof keybuf, "%s", key ? key : "");
	if (rc == 0)
		rc = db_commit(db);
	else
		db_rollback(db);
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v.errors);
	if (rc == YW_EFORBIDDEN)
		return http_fail(req, rc, "超出您的管理范围");
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "区划不存在");
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT code, name, level, parent_code FROM regions WHERE code = $1");
	dbl_bind_text(st, 1, keybuf);
	json_t *out = sqlite3_step(st) == SQLITE_ROW ? region_row(st) : json_object();
	sqlite3_reset(st);
	http_reply_json(req, code ? 200 : 201, out);
	return 0;
}

int h_region_create(http_req_t *req)
{
	return region_tx(req, NULL);
}

int h_region_update(http_req_t *req)
{
	return region_tx(req, req->param[0]);
}

/* ---- departments ---- */

static json_t *dept_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
			 dbl_col_text(st, 1), "short_name", dbl_col_text(st, 2), "uscc", dbl_col_text(st, 3), "region_code",
			 dbl_col_text(st, 4), "phone", dbl_col_text(st, 5), "address", dbl_col_text(st, 6), "item_count",
			 (json_int_t)sqlite3_column_int64(st, 7));
}

int h_depts_list(http_req_t *req)
{
	list_reply(req,
		   "SELECT d.id, d.name, d.short_name, d.uscc, d.region_code, d.phone, d.address, "
		   "(SELECT COUNT(*) FROM items i JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
		   "WHERE i.dept_id = d.id) FROM departments d ORDER BY d.region_code, d.id",
		   -1, dept_row);
	return 0;
}

#define DEPT_ONE                                                                                                       \
	"SELECT d.id, d.name, d.short_name, d.uscc, d.region_code, d.phone, d.address, 0 FROM departments d "          \
	"WHERE d.id = $1"

int h_dept_create(http_req_t *req)
{
	return write_tx(req, org_dept_write, 0, DEPT_ONE, dept_row);
}

int h_dept_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "部门不存在");
	return write_tx(req, org_dept_write, id, DEPT_ONE, dept_row);
}

/* ---- halls and windows ---- */

static json_t *hall_row(sqlite3_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "name",
			 dbl_col_text(st, 1), "region_code", dbl_col_text(st, 2), "address", dbl_col_text(st, 3), "hours",
			 dbl_col_text(st, 4));
}

#define HALL_COLS "SELECT id, name, region_code, address, hours FROM halls"

int h_halls_list(http_req_t *req)
{
	list_reply(req, HALL_COLS " ORDER BY id", -1, hall_row);
	return 0;
}

int h_hall_create(http_req_t *req)
{
	return write_tx(req, org_hall_write, 0, HALL_COLS " WHERE id = $1", hall_row);
}

int h_hall_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "大厅不存在");
	return write_tx(req, org_hall_write, id, HALL_COLS " WHERE id = $1", hall_row);
}

static json_t *window_row(sqlite3_stmt *st)
{
	json_t *r = json_pack("{s:I, s:I, s:i, s:s, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0), "hall_id",
			      (json_int_t)sqlite3_column_int64(st, 1), "number", sqlite3_column_int(st, 2), "name",
			      dbl_col_text(st, 3), "kind", dbl_col_text(st, 5), "active", sqlite3_column_int(st, 6));
	json_object_set_new(r, "dept_id", null_or_int(st, 4));
	return r;
}

#define WINDOW_COLS "SELECT id, hall_id, number, name, dept_id, kind, active FROM windows"

int h_windows_list(http_req_t *req)
{
	int64_t hall;
	if (http_query_int(req, "hall_id", 0, INT64_MAX, 0, &hall))
		return YW_EINVAL;
	list_reply(req, WINDOW_COLS " WHERE $1 = 0 OR hall_id = $1 ORDER BY hall_id, number", hall, window_row);
	return 0;
}

int h_window_create(http_req_t *req)
{
	return write_tx(req, org_window_write, 0, WINDOW_COLS " WHERE id = $1", window_row);
}

int h_window_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "窗口不存在");
	return write_tx(req, org_window_write, id, WINDOW_COLS " WHERE id = $1", window_row);
}

/* ---- users ---- */

static json_t *user_row(sqlite3_stmt *st)
{
	unsigned roles = 0;
	auth_roles_parse(dbl_col_text(st, 4), &roles);
	json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			      "username", dbl_col_text(st, 1), "name", dbl_col_text(st, 2), "kind", dbl_col_text(st, 3),
			      "roles", auth_roles_json(roles), "phone", dbl_col_text(st, 8), "disabled",
			      sqlite3_column_int(st, 9));
	json_object_set_new(r, "dept_id", null_or_int(st, 5));
	json_object_set_new(r, "region_code", sqlite3_column_type(st, 6) == SQLITE_NULL ? json_null()
										      : json_string(dbl_col_text(st, 6)));
	json_object_set_new(r, "window_id", null_or_int(st, 7));
	return r;
}

#define USER_COLS "SELECT id, username, name, kind, roles, dept_id, region_code, window_id, phone, disabled FROM users"

int h_users_list(http_req_t *req)
{
	int64_t page, size;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 50, &size))
		return YW_EINVAL;
	const char *q = http_query(req, "q"), *role = http_query(req, "role");
	sqlite3_stmt *st = dbl_prepare(db_thread(), USER_COLS " WHERE kind = 'staff' AND ($1 IS NULL OR instr(name, $1) > 0 "
							     "OR instr(username, $1) > 0) AND ($2 IS NULL OR "
							     "instr(',' || roles || ',', ',' || $2 || ',') > 0) ORDER BY id");
	dbl_bind_text(st, 1, q && *q ? q : NULL);
	dbl_bind_text(st, 2, role && *role ? role : NULL);
	json_t *items = json_array();
	int64_t total = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!auth_region_within(dbl_col_text(st, 6), req->user->region_code))
			continue;
		if (total++ >= (page - 1) * size && (int64_t)json_array_size(items) < size)
			json_array_append_new(items, user_row(st));
	}
	sqlite3_reset(st);
	http_reply_json(req, 200, json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page,
					    "page_size", (json_int_t)size, "items", items));
	return 0;
}

static int user_create_writer(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	(void)id;
	return org_user_create(db, actor, in, "staff", v, id_out);
}

static int user_update_writer(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	*id_out = id;
	return org_user_update(db, actor, id, in, v);
}

int h_user_create(http_req_t *req)
{
	return write_tx(req, user_create_writer, 0, USER_COLS " WHERE id = $1", user_row);
}

int h_user_update(http_req_t *req)
{
	int64_t id;
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	return write_tx(req, user_update_writer, id, USER_COLS " WHERE id = $1", user_row);
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
	auth_login_t in;
	auth_login_result_t res;
	auth_user_t u;
	login_input(req, username, password, &in);
	rc = auth_login(db_thread(), &in, &res, &u);
	if (rc == YW_ETHROTTLED)
		return throttled(req, res.retry_after);
	if (rc == YW_EAUTH)
		return http_fail(req, rc, "用户名或密码错误");
	if (rc)
		return rc;
	set_session_cookie(req, res.token, AUTH_SESSION_SECONDS);
	set_device_cookie(req, res.device);
	reply_me(req, 200, &u);
	return 0;
}

int h_auth_logout(http_req_t *req)
{
	db_t *db = db_thread();
	const char *authz = http_header(req, "Authorization");
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		/* A machine signing out ends its token, not just this request. */
		int64_t id;
		int rc = auth_token_id(db, authz + 7, &id);
		if (rc)
			return rc;
		if (db_begin(db))
			return YW_EDB;
		rc = auth_token_revoke(db, req->user, id);
		rc = rc ? rc : db_commit(db);
		if (rc) {
			db_rollback(db);
			return rc;
		}
		return 0;
	}
	const char *cookie = http_cookie(req, "yw_session");
	if (cookie)
		auth_logout(db, cookie);
	set_session_cookie(req, "", 0);
	return 0;
}

int h_auth_me(http_req_t *req)
{
	reply_me(req, 200, req->user);
	return 0;
}

int h_auth_register(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	const char *kind = json_string_value(json_object_get(body, "kind"));
	if (!kind || (strcmp(kind, "person") != 0 && strcmp(kind, "legal") != 0)) {
		http_fail_field(req, "kind", "应为 person（自然人）或 legal（法人）");
		return YW_EINVAL;
	}
	db_t *db = db_thread();
	int64_t id = 0;
	if (db_begin(db)) {
		return YW_EDB;
	}
	rc = org_user_create(db, NULL, body, kind, &v, &id);
	const char *username = json_string_value(json_object_get(body, "username"));
	const char *password = json_string_value(json_object_get(body, "password"));
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	if (rc == YW_EINVAL) {
		return http_fail_fields(req, &v.errors);
	}
	if (rc) {
		return rc;
	}
	auth_login_t in;
	auth_login_result_t res;
	auth_user_t u;
	login_input(req, username, password, &in);
	rc = auth_login(db, &in, &res, &u);
	if (rc == YW_ETHROTTLED)
		return throttled(req, res.retry_after);
	if (rc)
		return rc;
	set_session_cookie(req, res.token, AUTH_SESSION_SECONDS);
	set_device_cookie(req, res.device);
	reply_me(req, 201, &u);
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
	char token[64];
	int64_t id;
	db_t *db = db_thread();
	if (db_begin(db)) {
		return YW_EDB;
	}
	rc = auth_token_create(db, req->user->id, name, yw_now() + days * 86400, token, &id);
	if (rc == 0)
		rc = audit_record_id(db, req->user, "token.create", "api_tokens", id);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	http_reply_json(req, 201, json_pack("{s:I, s:s, s:I}", "id", (json_int_t)id, "token", token, "expires_at",
					    (json_int_t)(yw_now() + days * 86400)));
	return 0;
}

int h_auth_tokens_list(http_req_t *req)
{
	http_reply_json(req, 200, auth_tokens_json(db_thread(), req->user->id));
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
	if (path_id(req, &id) || auth_token_owner(db, id, &owner, region) != 0 ||
	    !may_manage_tokens(req->user, owner, region))
		return http_fail(req, YW_ENOTFOUND, "令牌不存在");
	if (db_begin(db))
		return YW_EDB;
	int rc = auth_token_revoke(db, req->user, id);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return 0;
}

int h_user_tokens_list(http_req_t *req)
{
	int64_t id;
	db_t *db = db_thread();
	if (path_id(req, &id))
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COALESCE(region_code, '') FROM users WHERE id = $1");
	dbl_bind_int(st, 1, id);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	bool ok = found && may_manage_tokens(req->user, id, dbl_col_text(st, 0));
	sqlite3_reset(st);
	if (!ok)
		return http_fail(req, YW_ENOTFOUND, "用户不存在");
	http_reply_json(req, 200, auth_tokens_json(db, id));
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
	db_t *db = db_thread();
	/* The current password is checked through the sign-in path, so guesses here are throttled
	 * like any other sign-in. */
	auth_login_t in;
	auth_login_result_t res;
	auth_user_t u;
	login_input(req, req->user->username, cur, &in);
	rc = auth_login(db, &in, &res, &u);
	if (rc == YW_ETHROTTLED)
		return throttled(req, res.retry_after);
	if (rc == YW_EAUTH) {
		http_fail_field(req, "current_password", "当前密码不正确。");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (db_begin(db))
		return YW_EDB;
	rc = org_user_set_password(db, req->user, req->user->id, pw);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	/* The session made above was ended with the others; sign this browser in afresh. */
	login_input(req, req->user->username, pw, &in);
	in.session_user_id = req->user->id;
	rc = auth_login(db, &in, &res, &u);
	if (rc)
		return rc;
	set_session_cookie(req, res.token, AUTH_SESSION_SECONDS);
	reply_me(req, 200, &u);
	return 0;
}
