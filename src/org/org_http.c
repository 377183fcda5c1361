/* Organisation and account routes (docs/api.md). Writes run in one transaction with their audit
 * record; a refused request changes nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/audit.h"
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
	sqlite3_stmt *st = db_prepare(db, one_sql);
	db_bind_int(st, 1, nid);
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
	sqlite3_stmt *st = db_prepare(db_thread(), sql);
	if (arg >= 0)
		db_bind_int(st, 1, arg);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, row(st));
	sqlite3_reset(st);
	http_reply_json(req, 200, json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items));
}

/* ---- regions ---- */

static json_t *region_row(sqlite3_stmt *st)
{
	json_t *r = json_pack("{s:s, s:s, s:i}", "code", db_col_text(st, 0), "name", db_col_text(st, 1), "level",
			      sqlite3_column_int(st, 2));
	json_object_set_new(r, "parent", sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
										 : json_string(db_col_text(st, 3)));
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
	sqlite3_stmt *st = db_prepare(db, "SELECT code, name, level, parent_code FROM regions WHERE code = $1");
	db_bind_text(st, 1, keybuf);
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
			 db_col_text(st, 1), "short_name", db_col_text(st, 2), "uscc", db_col_text(st, 3), "region_code",
			 db_col_text(st, 4), "phone", db_col_text(st, 5), "address", db_col_text(st, 6), "item_count",
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
			 db_col_text(st, 1), "region_code", db_col_text(st, 2), "address", db_col_text(st, 3), "hours",
			 db_col_text(st, 4));
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
			      db_col_text(st, 3), "kind", db_col_text(st, 5), "active", sqlite3_column_int(st, 6));
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
	auth_roles_parse(db_col_text(st, 4), &roles);
	json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b}", "id", (json_int_t)sqlite3_column_int64(st, 0),
			      "username", db_col_text(st, 1), "name", db_col_text(st, 2), "kind", db_col_text(st, 3),
			      "roles", auth_roles_json(roles), "phone", db_col_text(st, 8), "disabled",
			      sqlite3_column_int(st, 9));
	json_object_set_new(r, "dept_id", null_or_int(st, 5));
	json_object_set_new(r, "region_code", sqlite3_column_type(st, 6) == SQLITE_NULL ? json_null()
										      : json_string(db_col_text(st, 6)));
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
	sqlite3_stmt *st = db_prepare(db_thread(), USER_COLS " WHERE kind = 'staff' AND ($1 IS NULL OR instr(name, $1) > 0 "
							     "OR instr(username, $1) > 0) AND ($2 IS NULL OR "
							     "instr(',' || roles || ',', ',' || $2 || ',') > 0) ORDER BY id");
	db_bind_text(st, 1, q && *q ? q : NULL);
	db_bind_text(st, 2, role && *role ? role : NULL);
	json_t *items = json_array();
	int64_t total = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!auth_region_within(db_col_text(st, 6), req->user->region_code))
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

static void set_session_cookie(http_req_t *req, const char *token, int max_age)
{
	http_add_header(req, "Set-Cookie",
			arena_printf(req->arena, "yw_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d", token, max_age));
}

static void reply_me(http_req_t *req, int status, const auth_user_t *u)
{
	http_reply_json(req, status, json_pack("{s:o, s:s}", "user", auth_user_json(u), "csrf_token", u->csrf));
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
	char token[64];
	auth_user_t u;
	int64_t locked_until;
	rc = auth_login(db_thread(), username, password, token, &u, &locked_until);
	if (rc == YW_ETHROTTLED) {
		time_t t = (time_t)locked_until + 8 * 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		return http_fail(req, rc,
				 arena_printf(req->arena, "登录失败次数过多，账号已锁定至 %02d:%02d，请稍后再试", tm.tm_hour,
					      tm.tm_min));
	}
	if (rc == YW_EAUTH)
		return http_fail(req, rc, "用户名或密码错误");
	if (rc)
		return rc;
	set_session_cookie(req, token, AUTH_SESSION_SECONDS);
	reply_me(req, 200, &u);
	return 0;
}

int h_auth_logout(http_req_t *req)
{
	const char *cookie = http_cookie(req, "yw_session");
	if (cookie)
		auth_logout(db_thread(), cookie);
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
	char token[64];
	auth_user_t u;
	int64_t locked;
	rc = auth_login(db, username, password, token, &u, &locked);
	if (rc)
		return rc;
	set_session_cookie(req, token, AUTH_SESSION_SECONDS);
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
	const char *name = v_str(&v, body, "name", 1, 50);
	int64_t days = v_int(&v, body, "expires_days", 1, 3650, false, 365);
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	char token[64];
	int64_t id;
	db_t *db = db_thread();
	if (db_begin(db)) {
		return YW_EDB;
	}
	rc = auth_token_create(db, req->user->id, name, (int64_t)time(NULL) + days * 86400, token, &id);
	if (rc == 0)
		rc = audit_record_id(db, req->user, "token.create", "api_tokens", id);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	http_reply_json(req, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
	return 0;
}
