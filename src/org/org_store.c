/* Organisation store: regions, departments, halls, windows and accounts, each written from a
 * validated JSON object and audited in the caller's transaction. */
#include <stdio.h>
#include "platform/db_legacy.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/idcheck.h"

static bool exists(db_t *db, const char *sql, const char *text, int64_t num)
{
	sqlite3_stmt *st = dbl_prepare(db, sql);
	if (text)
		dbl_bind_text(st, 1, text);
	else
		dbl_bind_int(st, 1, num);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int org_region_write(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v)
{
	bool create = code == NULL;
	if (create) {
		code = v_str(v, in, "code", 6, 12);
		if (*code && idcheck_region_code(code, strlen(code)) != 0)
			v_error(v, "code", "不是有效的行政区划代码（GB/T 2260）");
		else if (*code && exists(db, "SELECT 1 FROM regions WHERE code = $1", code, 0))
			v_error(v, "code", "区划代码已存在");
	}
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t level = create ? v_int(v, in, "level", 1, 4, true, 1) : 0;
	const char *parent = create ? v_str(v, in, "parent", 0, 12) : "";
	if (create && *parent && !exists(db, "SELECT 1 FROM regions WHERE code = $1", parent, 0))
		v_error(v, "parent", "上级区划不存在");
	if (create && level > 1 && !*parent)
		v_error(v, "parent", "非市级区划须指定上级区划");
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(code, actor->region_code))
		return YW_EFORBIDDEN;
	sqlite3_stmt *st;
	if (create) {
		st = dbl_prepare(db, "INSERT INTO regions(code, name, level, parent_code) VALUES ($1, $2, $3, $4)");
		dbl_bind_text(st, 1, code);
		dbl_bind_text(st, 2, name);
		dbl_bind_int(st, 3, level);
		dbl_bind_text(st, 4, *parent ? parent : NULL);
	} else {
		if (!exists(db, "SELECT 1 FROM regions WHERE code = $1", code, 0))
			return YW_ENOTFOUND;
		st = dbl_prepare(db, "UPDATE regions SET name = $1 WHERE code = $2");
		dbl_bind_text(st, 1, name);
		dbl_bind_text(st, 2, code);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	return rc ? rc : audit_record(db, actor, create ? "region.create" : "region.update", "regions", code);
}

int org_dept_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	const char *name = v_str(v, in, "name", 2, 100);
	const char *short_name = v_str(v, in, "short_name", 0, 50);
	const char *uscc = v_str(v, in, "uscc", 18, 18);
	if (*uscc) {
		const char *why = idcheck_uscc_reason(uscc, strlen(uscc));
		if (why)
			v_error(v, "uscc", why);
	}
	const char *region = v_str(v, in, "region_code", 6, 12);
	if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = $1", region, 0))
		v_error(v, "region_code", "所属区划不存在");
	const char *phone = v_str(v, in, "phone", 0, 50), *address = v_str(v, in, "address", 0, 200);
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM departments WHERE (name = $1 OR uscc = $2) AND id != $3");
	dbl_bind_text(st, 1, name);
	dbl_bind_text(st, 2, uscc);
	dbl_bind_int(st, 3, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v_error(v, "name", "同名或同一信用代码的部门已存在");
	sqlite3_reset(st);
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(region, actor->region_code))
		return YW_EFORBIDDEN;
	if (id == 0) {
		st = dbl_prepare(db, "INSERT INTO departments(name, short_name, uscc, region_code, phone, address) "
				    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM departments WHERE id = $1", NULL, id))
			return YW_ENOTFOUND;
		st = dbl_prepare(db, "UPDATE departments SET name = $1, short_name = $2, uscc = $3, region_code = $4, "
				    "phone = $5, address = $6 WHERE id = $7 RETURNING id");
		dbl_bind_int(st, 7, id);
	}
	dbl_bind_text(st, 1, name);
	dbl_bind_text(st, 2, short_name);
	dbl_bind_text(st, 3, uscc);
	dbl_bind_text(st, 4, region);
	dbl_bind_text(st, 5, phone);
	dbl_bind_text(st, 6, address);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	int64_t nid = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (id_out)
		*id_out = nid;
	return rc ? rc : audit_record_id(db, actor, id ? "dept.update" : "dept.create", "departments", nid);
}

int org_hall_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	const char *name = v_str(v, in, "name", 2, 100);
	const char *region = v_str(v, in, "region_code", 6, 12);
	if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = $1", region, 0))
		v_error(v, "region_code", "所属区划不存在");
	const char *address = v_str(v, in, "address", 0, 200), *hours = v_str(v, in, "hours", 0, 200);
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(region, actor->region_code))
		return YW_EFORBIDDEN;
	sqlite3_stmt *st;
	if (id == 0) {
		st = dbl_prepare(db, "INSERT INTO halls(name, region_code, address, hours) VALUES ($1, $2, $3, $4) "
				    "RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM halls WHERE id = $1", NULL, id))
			return YW_ENOTFOUND;
		st = dbl_prepare(db, "UPDATE halls SET name = $1, region_code = $2, address = $3, hours = $4 WHERE id = $5 "
				    "RETURNING id");
		dbl_bind_int(st, 5, id);
	}
	dbl_bind_text(st, 1, name);
	dbl_bind_text(st, 2, region);
	dbl_bind_text(st, 3, address);
	dbl_bind_text(st, 4, hours);
	int s = sqlite3_step(st);
	int64_t nid = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (s != SQLITE_ROW) {
		v_error(v, "name", "大厅名称已存在");
		return YW_EINVAL;
	}
	if (id_out)
		*id_out = nid;
	return audit_record_id(db, actor, id ? "hall.update" : "hall.create", "halls", nid);
}

int org_window_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	int64_t hall = v_int(v, in, "hall_id", 1, INT64_MAX, true, 0);
	if (hall && !exists(db, "SELECT 1 FROM halls WHERE id = $1", NULL, hall))
		v_error(v, "hall_id", "大厅不存在");
	int64_t number = v_int(v, in, "number", 1, 999, true, 0);
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t dept = v_int(v, in, "dept_id", 0, INT64_MAX, false, 0);
	if (dept && !exists(db, "SELECT 1 FROM departments WHERE id = $1", NULL, dept))
		v_error(v, "dept_id", "部门不存在");
	const char *kind = v_str(v, in, "kind", 1, 20);
	bool active = v_bool(v, in, "active", true);
	sqlite3_stmt *st = dbl_prepare(db, "SELECT 1 FROM windows WHERE hall_id = $1 AND number = $2 AND id != $3");
	dbl_bind_int(st, 1, hall);
	dbl_bind_int(st, 2, number);
	dbl_bind_int(st, 3, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v_error(v, "number", "该大厅已有此窗口号");
	sqlite3_reset(st);
	if (!v_ok(v))
		return YW_EINVAL;
	if (id == 0) {
		st = dbl_prepare(db, "INSERT INTO windows(hall_id, number, name, dept_id, kind, active) "
				    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM windows WHERE id = $1", NULL, id))
			return YW_ENOTFOUND;
		st = dbl_prepare(db, "UPDATE windows SET hall_id = $1, number = $2, name = $3, dept_id = $4, kind = $5, "
				    "active = $6 WHERE id = $7 RETURNING id");
		dbl_bind_int(st, 7, id);
	}
	dbl_bind_int(st, 1, hall);
	dbl_bind_int(st, 2, number);
	dbl_bind_text(st, 3, name);
	if (dept)
		dbl_bind_int(st, 4, dept);
	dbl_bind_text(st, 5, kind);
	dbl_bind_int(st, 6, active);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	int64_t nid = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (id_out)
		*id_out = nid;
	return rc ? rc : audit_record_id(db, actor, id ? "window.update" : "window.create", "windows", nid);
}

/* Roles from a JSON array of role names. */
static unsigned roles_from(vctx_t *v, json_t *in)
{
	json_t *a = v_array(v, in, "roles", false);
	unsigned r = 0, one;
	size_t i;
	json_t *e;
	if (a)
		json_array_foreach(a, i, e) {
			if (!json_is_string(e) || auth_roles_parse(json_string_value(e), &one) != 0 || !one)
				v_error(v, "roles", "含有未定义的角色");
			else
				r |= one;
		}
	return r;
}

static bool username_ok(const char *s)
{
	if (strlen(s) < 3)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

int org_user_create(db_t *db, const auth_user_t *actor, json_t *in, const char *kind, vctx_t *v, int64_t *id_out)
{
	const char *username = v_str(v, in, "username", 3, 32);
	if (*username && !username_ok(username))
		v_error(v, "username", "用户名只能包含小写字母、数字、下划线、点和连字符");
	else if (*username && exists(db, "SELECT 1 FROM users WHERE username = $1", username, 0))
		v_error(v, "username", "用户名已被使用");
	const char *name = v_str(v, in, "name", 1, 50);
	const char *password = v_str(v, in, "password", 1, 128);
	const char *why = *password ? auth_password_problem(password) : NULL;
	if (why)
		v_error(v, "password", why);
	const char *phone = v_str(v, in, "phone", 0, 20);
	/* an applicant's phone: a person's is a mobile or landline, an organisation's may be a
	 * service number too (idcheck_phone) */
	if (*phone && strcmp(kind, "staff") != 0 && (why = idcheck_phone_reason(phone, strlen(phone), strcmp(kind, "legal") == 0)))
		v_error(v, "phone", why);
	const char *id_number = NULL, *uscc = NULL, *region = NULL;
	unsigned roles = 0;
	int64_t dept = 0, window = 0;
	if (strcmp(kind, "person") == 0) {
		id_number = v_str(v, in, "id_number", 18, 18);
		if (*id_number && (why = idcheck_person_reason_on(id_number, strlen(id_number),
								    date_today_local((int64_t)yw_now()))) != NULL)
			v_error(v, "id_number", why);
		else if (*id_number && exists(db, "SELECT 1 FROM users WHERE id_number = $1", id_number, 0))
			v_error(v, "id_number", "该身份证号已注册");
		roles = ROLE_APPLICANT;
	} else if (strcmp(kind, "legal") == 0) {
		uscc = v_str(v, in, "uscc", 18, 18);
		if (*uscc && (why = idcheck_uscc_reason(uscc, strlen(uscc))) != NULL)
			v_error(v, "uscc", why);
		else if (*uscc && exists(db, "SELECT 1 FROM users WHERE uscc = $1", uscc, 0))
			v_error(v, "uscc", "该统一社会信用代码已注册");
		roles = ROLE_APPLICANT;
	} else {
		roles = roles_from(v, in);
		if (roles & ROLE_APPLICANT)
			v_error(v, "roles", "工作人员账号不能是申请人角色");
		dept = v_int(v, in, "dept_id", 0, INT64_MAX, false, 0);
		if (dept && !exists(db, "SELECT 1 FROM departments WHERE id = $1", NULL, dept))
			v_error(v, "dept_id", "部门不存在");
		window = v_int(v, in, "window_id", 0, INT64_MAX, false, 0);
		if (window && !exists(db, "SELECT 1 FROM windows WHERE id = $1", NULL, window))
			v_error(v, "window_id", "窗口不存在");
		region = v_str(v, in, "region_code", 0, 12);
		if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = $1", region, 0))
			v_error(v, "region_code", "区划不存在");
		if ((roles & (ROLE_DEPT_ADMIN | ROLE_APPROVER | ROLE_HANDLING_UNIT)) && !dept)
			v_error(v, "dept_id", "部门管理员、审批人员和承办单位须指定所属部门");
		if (actor && *region && !auth_region_within(region, actor->region_code))
			v_error(v, "region_code", "超出您的管理范围");
		if (!*region && actor)
			region = actor->region_code;
	}
	if (!v_ok(v))
		return YW_EINVAL;
	char hash[128], roles_s[256];
	if (auth_hash_password(password, hash) != 0)
		return YW_EIO;
	auth_roles_format(roles, roles_s, sizeof roles_s);
	sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO users(username, name, kind, password_hash, id_number, uscc, phone, "
					  "dept_id, region_code, window_id, roles, created_at) VALUES ($1, $2, $3, $4, $5, "
					  "$6, $7, $8, $9, $10, $11, $12) RETURNING id");
	dbl_bind_text(st, 1, username);
	dbl_bind_text(st, 2, name);
	dbl_bind_text(st, 3, kind);
	dbl_bind_text(st, 4, hash);
	dbl_bind_text(st, 5, id_number);
	dbl_bind_text(st, 6, uscc);
	dbl_bind_text(st, 7, phone);
	if (dept)
		dbl_bind_int(st, 8, dept);
	dbl_bind_text(st, 9, region && *region ? region : NULL);
	if (window)
		dbl_bind_int(st, 10, window);
	dbl_bind_text(st, 11, roles_s);
	dbl_bind_int(st, 12, (int64_t)time(NULL));
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	*id_out = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc ? rc : audit_record_id(db, actor, "user.create", "users", *id_out);
}

static int set_password_hash(db_t *db, int64_t id, const char *password)
{
	char hash[128];
	if (auth_hash_password(password, hash) != 0)
		return YW_EIO;
	sqlite3_stmt *st = dbl_prepare(db, "UPDATE users SET password_hash = $1 WHERE id = $2");
	dbl_bind_text(st, 1, hash);
	dbl_bind_int(st, 2, id);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	return rc;
}

int org_user_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT kind, COALESCE(region_code, '') FROM users WHERE id = $1");
	dbl_bind_int(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return YW_ENOTFOUND;
	}
	bool staff = strcmp(dbl_col_text(st, 0), "staff") == 0;
	bool in_scope = auth_region_within(dbl_col_text(st, 1), actor ? actor->region_code : NULL);
	sqlite3_reset(st);
	if (!staff || !in_scope)
		return YW_EFORBIDDEN;
	int rc = 0;
	if (json_object_get(in, "name")) {
		const char *name = v_str(v, in, "name", 1, 50);
		st = dbl_prepare(db, "UPDATE users SET name = $1 WHERE id = $2");
		dbl_bind_text(st, 1, name);
		dbl_bind_int(st, 2, id);
		if (v_ok(v) && sqlite3_step(st) != SQLITE_DONE)
			rc = YW_EDB;
		sqlite3_reset(st);
	}
	if (json_object_get(in, "roles")) {
		unsigned roles = roles_from(v, in);
		if (roles & ROLE_APPLICANT)
			v_error(v, "roles", "工作人员账号不能是申请人角色");
		char roles_s[256];
		auth_roles_format(roles, roles_s, sizeof roles_s);
		st = dbl_prepare(db, "UPDATE users SET roles = $1 WHERE id = $2");
		dbl_bind_text(st, 1, roles_s);
		dbl_bind_int(st, 2, id);
		if (v_ok(v) && sqlite3_step(st) != SQLITE_DONE)
			rc = YW_EDB;
		sqlite3_reset(st);
	}
	static const char *const ref_sql[][2] = {
		{"dept_id", "UPDATE users SET dept_id = $1 WHERE id = $2"},
		{"window_id", "UPDATE users SET window_id = $1 WHERE id = $2"},
	};
	static const char *const ref_check[] = {"SELECT 1 FROM departments WHERE id = $1", "SELECT 1 FROM windows WHERE id = $1"};
	for (int k = 0; k < 2; k++) {
		json_t *j = json_object_get(in, ref_sql[k][0]);
		if (!j)
			continue;
		int64_t ref = v_int(v, in, ref_sql[k][0], 0, INT64_MAX, false, 0);
		if (ref && !exists(db, ref_check[k], NULL, ref))
			v_error(v, ref_sql[k][0], "不存在");
		st = dbl_prepare(db, ref_sql[k][1]);
		if (ref)
			dbl_bind_int(st, 1, ref);
		dbl_bind_int(st, 2, id);
		if (v_ok(v) && sqlite3_step(st) != SQLITE_DONE)
			rc = YW_EDB;
		sqlite3_reset(st);
	}
	/* Disabling an account or setting its password ends every session and API token it has
	 * (auth_end_account), so a leaked credential does not outlive the change. */
	bool end_account = false;
	if (json_object_get(in, "disabled")) {
		bool disabled = v_bool(v, in, "disabled", false);
		if (actor && actor->id == id && disabled)
			v_error(v, "disabled", "不能停用自己的账号");
		st = dbl_prepare(db, "UPDATE users SET disabled = $1 WHERE id = $2");
		dbl_bind_int(st, 1, disabled);
		dbl_bind_int(st, 2, id);
		if (v_ok(v) && sqlite3_step(st) != SQLITE_DONE)
			rc = YW_EDB;
		sqlite3_reset(st);
		end_account |= disabled;
	}
	if (json_object_get(in, "password")) {
		const char *pw = v_str(v, in, "password", 1, 128), *why = *pw ? auth_password_problem(pw) : NULL;
		if (why)
			v_error(v, "password", why);
		if (v_ok(v) && rc == 0)
			rc = set_password_hash(db, id, pw);
		end_account = true;
	}
	if (!v_ok(v))
		return YW_EINVAL;
	rc = rc ? rc : audit_record_id(db, actor, "user.update", "users", id);
	return rc || !end_account ? rc : auth_end_account(db, actor, id);
}

int org_user_set_password(db_t *db, const auth_user_t *actor, int64_t id, const char *password)
{
	int rc = set_password_hash(db, id, password);
	rc = rc ? rc : audit_record_id(db, actor, "user.password", "users", id);
	return rc ? rc : auth_end_account(db, actor, id);
}

/* ---- import of the organisation sections ---- */

static int64_t id_by_name(db_t *db, const char *sql, const char *name)
{
	sqlite3_stmt *st = dbl_prepare(db, sql);
	dbl_bind_text(st, 1, name);
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

/* One entry of an exchange document turned into the writer's input. */
static int import_region(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	(void)password;
	json_t *r = json_deep_copy(e);
	if (json_is_null(json_object_get(r, "parent")))
		json_object_del(r, "parent");
	int rc = org_region_write(db, actor, r, NULL, v);
	json_decref(r);
	return rc;
}

static int import_dept(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	(void)password;
	json_t *d = json_deep_copy(e);
	json_object_set(d, "region_code", json_object_get(e, "region"));
	int rc = org_dept_write(db, actor, d, 0, v, NULL);
	json_decref(d);
	return rc;
}

static int import_hall(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	(void)password;
	json_t *h = json_deep_copy(e);
	json_object_set(h, "region_code", json_object_get(e, "region"));
	int rc = org_hall_write(db, actor, h, 0, v, NULL);
	json_decref(h);
	return rc;
}

static int import_window(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	(void)password;
	json_t *w = json_deep_copy(e);
	json_object_set_new(w, "hall_id", json_integer(id_by_name(db, "SELECT id FROM halls WHERE name = $1",
								  json_string_value(json_object_get(e, "hall")))));
	const char *dept = json_string_value(json_object_get(e, "dept"));
	json_object_del(w, "dept");
	json_object_del(w, "hall");
	if (dept)
		json_object_set_new(w, "dept_id", json_integer(id_by_name(db, "SELECT id FROM departments WHERE name = $1", dept)));
	int rc = org_window_write(db, actor, w, 0, v, NULL);
	json_decref(w);
	return rc;
}

static int import_staff(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	if (!password) {
		v_error(v, "", "工作人员账号不能通过导入创建，请在用户管理中添加");
		return YW_EINVAL;
	}
	json_t *s = json_deep_copy(e);
	json_object_set_new(s, "password", json_string(password));
	const char *dept = json_string_value(json_object_get(e, "dept"));
	json_object_del(s, "dept");
	json_object_del(s, "window");
	json_object_del(s, "region");
	int64_t dept_id = dept ? id_by_name(db, "SELECT id FROM departments WHERE name = $1", dept) : 0;
	if (dept_id)
		json_object_set_new(s, "dept_id", json_integer(dept_id));
	/* Window numbers are unique across the city's halls in the exchange format. */
	json_t *win = json_object_get(e, "window");
	if (json_is_integer(win)) {
		sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM windows WHERE number = $1 ORDER BY hall_id LIMIT 1");
		dbl_bind_int(st, 1, json_integer_value(win));
		if (sqlite3_step(st) == SQLITE_ROW)
			json_object_set_new(s, "window_id", json_integer(sqlite3_column_int64(st, 0)));
		sqlite3_reset(st);
	}
	/* Staff work in their department's region unless the entry names one; staff without a
	 * department (centre-wide roles) in the city's. */
	const char *region = json_string_value(json_object_get(e, "region"));
	sqlite3_stmt *st = dbl_prepare(db, dept_id ? "SELECT region_code FROM departments WHERE id = $1"
						  : "SELECT code FROM regions WHERE level = 1 ORDER BY code LIMIT $1");
	dbl_bind_int(st, 1, dept_id ? dept_id : 1);
	if (sqlite3_step(st) == SQLITE_ROW)
		json_object_set_new(s, "region_code", json_string(dbl_col_text(st, 0)));
	sqlite3_reset(st);
	if (region)
		json_object_set_new(s, "region_code", json_string(region));
	int64_t id;
	int rc = org_user_create(db, actor, s, "staff", v, &id);
	json_decref(s);
	return rc;
}

int org_import(db_t *db, const auth_user_t *actor, json_t *doc, const char *password, vctx_t *v)
{
	static const struct {
		const char *section;
		int (*fn)(db_t *, const auth_user_t *, json_t *, const char *, vctx_t *);
	} sections[] = {{"regions", import_region}, {"departments", import_dept}, {"halls", import_hall},
			{"windows", import_window}, {"staff", import_staff}};
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	int rc = 0;
	for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, sections[k].section), i, e) {
			snprintf(v->prefix, sizeof v->prefix, "%s%s[%zu].", prefix, sections[k].section, i);
			rc = sections[k].fn(db, actor, e, password, v);
			if (rc && rc != YW_EINVAL)
				break; /* a store failure; validation problems keep being collected */
		}
		if (rc && rc != YW_EINVAL)
			break;
	}
	memcpy(v->prefix, prefix, sizeof prefix);
	if (rc == 0 && !v_ok(v))
		rc = YW_EINVAL;
	return rc;
}

int org_export(db_t *db, json_t *doc)
{
	json_t *regions = json_array(), *depts = json_array(), *halls = json_array(), *windows = json_array();
	sqlite3_stmt *st = dbl_prepare(db, "SELECT code, name, level, parent_code FROM regions ORDER BY level, code");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(regions, json_pack("{s:s, s:s, s:i, s:o}", "code", dbl_col_text(st, 0), "name",
							 dbl_col_text(st, 1), "level", sqlite3_column_int(st, 2), "parent",
							 sqlite3_column_type(st, 3) == SQLITE_NULL ? json_null()
												  : json_string(dbl_col_text(st, 3))));
	sqlite3_reset(st);
	st = dbl_prepare(db, "SELECT name, short_name, uscc, region_code, phone, address FROM departments ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(depts, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "name", dbl_col_text(st, 0),
						       "short_name", dbl_col_text(st, 1), "uscc", dbl_col_text(st, 2), "region",
						       dbl_col_text(st, 3), "phone", dbl_col_text(st, 4), "address",
						       dbl_col_text(st, 5)));
	sqlite3_reset(st);
	st = dbl_prepare(db, "SELECT name, region_code, address, hours FROM halls ORDER BY id");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(halls, json_pack("{s:s, s:s, s:s, s:s}", "name", dbl_col_text(st, 0), "region",
						       dbl_col_text(st, 1), "address", dbl_col_text(st, 2), "hours",
						       dbl_col_text(st, 3)));
	sqlite3_reset(st);
	st = dbl_prepare(db, "SELECT h.name, w.number, w.name, d.name, w.kind, w.active FROM windows w "
			    "JOIN halls h ON h.id = w.hall_id LEFT JOIN departments d ON d.id = w.dept_id ORDER BY w.id");
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(windows, json_pack("{s:s, s:i, s:s, s:o, s:s, s:b}", "hall", dbl_col_text(st, 0),
							 "number", sqlite3_column_int(st, 1), "name", dbl_col_text(st, 2),
							 "dept", sqlite3_column_type(st, 3) == SQLITE_NULL
									 ? json_null()
									 : json_string(dbl_col_text(st, 3)),
							 "kind", dbl_col_text(st, 4), "active", sqlite3_column_int(st, 5)));
	sqlite3_reset(st);
	json_object_set_new(doc, "regions", regions);
	json_object_set_new(doc, "departments", depts);
	json_object_set_new(doc, "halls", halls);
	json_object_set_new(doc, "windows", windows);
	return 0;
}
