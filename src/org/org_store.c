/* Organisation store: regions, departments, halls, windows and accounts, each written from a
 * validated JSON object and audited in the caller's transaction; and, for the routes
 * (org_http.c), the lists, the writes in their own transaction with the row read back, and the
 * account and token changes the sign-in routes make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "org/org.h"
#include "org/org_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/idcheck.h"

/* Whether sql (with :key, or :id when text is NULL) finds a row. A store error is kept in *err
 * (the first one) and reads as "no": validation goes on collecting problems, and the writer
 * returns *err before it changes anything. */
static bool exists(db_t *db, const char *sql, const char *text, int64_t num, int *err)
{
	db_stmt_t *st = db_prepare(db, sql);
	if (text)
		db_bind_text(st, "key", text);
	else
		db_bind_int(st, "id", num);
	int rc = db_one(st);
	if (rc == 0) {
		db_reset(st);
		return true;
	}
	if (rc != YW_ENOTFOUND && !*err)
		*err = rc;
	return false;
}

/* The region of a department, a hall, and a window's hall, by :id. */
#define DEPT_REGION_SQL "SELECT COALESCE(region_code, '') FROM departments WHERE id = :id"
#define HALL_REGION_SQL "SELECT COALESCE(region_code, '') FROM halls WHERE id = :id"
#define WINDOW_REGION_SQL                                                                                              \
	"SELECT COALESCE(h.region_code, '') FROM windows w JOIN halls h ON h.id = w.hall_id WHERE w.id = :id"

/* Does the row region_sql finds by :id (a department, a hall or a window) lie within the actor's
 * region? A centre admin of a district manages that district's departments, halls, windows and
 * staff only (docs/domain.md §1). No actor (the command line) and no row (existence is checked
 * apart) read as yes; a store error is kept in *err and reads as no. */
static bool ref_within(db_t *db, const auth_user_t *actor, const char *region_sql, int64_t id, int *err)
{
	if (!actor || !id)
		return true;
	db_stmt_t *st = db_prepare(db, region_sql);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc) {
		if (rc != YW_ENOTFOUND && !*err)
			*err = rc;
		return rc == YW_ENOTFOUND;
	}
	bool within = auth_region_within(db_col_text(st, 0), actor->region_code);
	db_reset(st);
	return within;
}

int org_region_write(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v)
{
	bool create = code == NULL;
	int err = 0;
	if (create) {
		code = v_str(v, in, "code", 6, 12);
		if (*code && idcheck_region_code(code, strlen(code)) != 0)
			v_error(v, "code", "不是有效的行政区划代码（GB/T 2260）");
		else if (*code && exists(db, "SELECT 1 FROM regions WHERE code = :key", code, 0, &err))
			v_error(v, "code", "区划代码已存在");
	}
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t level = create ? v_int(v, in, "level", 1, 4, true, 1) : 0;
	const char *parent = create ? v_str(v, in, "parent", 0, 12) : "";
	if (create && *parent && !exists(db, "SELECT 1 FROM regions WHERE code = :key", parent, 0, &err))
		v_error(v, "parent", "上级区划不存在");
	if (create && level > 1 && !*parent)
		v_error(v, "parent", "非市级区划须指定上级区划");
	if (err)
		return err;
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(code, actor->region_code))
		return YW_EFORBIDDEN;
	db_stmt_t *st;
	if (create) {
		st = db_prepare(db, "INSERT INTO regions(code, name, level, parent_code) VALUES (:code, :name, :level, "
				    ":parent_code)");
		db_bind_text(st, "code", code);
		db_bind_text(st, "name", name);
		db_bind_int(st, "level", level);
		db_bind_text(st, "parent_code", *parent ? parent : NULL);
	} else {
		if (!exists(db, "SELECT 1 FROM regions WHERE code = :key", code, 0, &err))
			return err ? err : YW_ENOTFOUND;
		st = db_prepare(db, "UPDATE regions SET name = :name WHERE code = :code");
		db_bind_text(st, "name", name);
		db_bind_text(st, "code", code);
	}
	int rc = db_run(st);
	return rc ? rc : audit_record(db, actor, create ? "region.create" : "region.update", "regions", code);
}

/* The id a write's RETURNING gives: 0 with *id, or the step's error (YW_ENOTFOUND when no row). */
static int returning_id(db_stmt_t *st, int64_t *id)
{
	*id = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int org_dept_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	int err = 0;
	const char *name = v_str(v, in, "name", 2, 100);
	const char *short_name = v_str(v, in, "short_name", 0, 50);
	const char *uscc = v_str(v, in, "uscc", 18, 18);
	if (*uscc) {
		const char *why = idcheck_uscc_reason(uscc, strlen(uscc));
		if (why)
			v_error(v, "uscc", why);
	}
	const char *region = v_str(v, in, "region_code", 6, 12);
	if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = :key", region, 0, &err))
		v_error(v, "region_code", "所属区划不存在");
	const char *phone = v_str(v, in, "phone", 0, 50), *address = v_str(v, in, "address", 0, 200);
	/* the kind of unit (docs/domain.md §9: the hotline's units include districts, streets and enterprises);
	 * absent: a new department is a department, an existing one keeps its kind */
	const char *kind = v_str(v, in, "kind", 0, 20);
	if (*kind && strcmp(kind, "department") != 0 && strcmp(kind, "district") != 0 && strcmp(kind, "street") != 0 &&
	    strcmp(kind, "enterprise") != 0)
		v_error(v, "kind", "应为 department（部门）、district（区县）、street（街道乡镇）或 enterprise（企业）");
	db_stmt_t *st = db_prepare(db, "SELECT id FROM departments WHERE (name = :name OR uscc = :uscc) AND id != :id");
	db_bind_text(st, "name", name);
	db_bind_text(st, "uscc", uscc);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		db_reset(st);
		v_error(v, "name", "同名或同一信用代码的部门已存在");
	} else if (rc != YW_ENOTFOUND && !err) {
		err = rc;
	}
	if (err)
		return err;
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(region, actor->region_code))
		return YW_EFORBIDDEN;
	if (id && !ref_within(db, actor, DEPT_REGION_SQL, id, &err))
		return err ? err : YW_EFORBIDDEN;
	if (id == 0) {
		st = db_prepare(db, "INSERT INTO departments(name, short_name, uscc, region_code, phone, address, kind) "
				    "VALUES (:name, :short_name, :uscc, :region_code, :phone, :address, "
				    "COALESCE(CAST(:kind AS TEXT), 'department')) RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM departments WHERE id = :id", NULL, id, &err))
			return err ? err : YW_ENOTFOUND;
		st = db_prepare(
			db,
			"UPDATE departments SET name = :name, short_name = :short_name, uscc = :uscc, "
			"region_code = :region_code, phone = :phone, address = :address, "
			"kind = COALESCE(CAST(:kind AS TEXT), kind) WHERE id = :id RETURNING id");
		db_bind_int(st, "id", id);
	}
	db_bind_text(st, "name", name);
	db_bind_text(st, "short_name", short_name);
	db_bind_text(st, "uscc", uscc);
	db_bind_text(st, "region_code", region);
	db_bind_text(st, "phone", phone);
	db_bind_text(st, "address", address);
	db_bind_text(st, "kind", *kind ? kind : NULL);
	int64_t nid;
	rc = returning_id(st, &nid);
	if (id_out)
		*id_out = nid;
	return rc ? rc : audit_record_id(db, actor, id ? "dept.update" : "dept.create", "departments", nid);
}

int org_hall_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	int err = 0;
	const char *name = v_str(v, in, "name", 2, 100);
	const char *region = v_str(v, in, "region_code", 6, 12);
	if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = :key", region, 0, &err))
		v_error(v, "region_code", "所属区划不存在");
	const char *address = v_str(v, in, "address", 0, 200), *hours = v_str(v, in, "hours", 0, 200);
	if (err)
		return err;
	if (!v_ok(v))
		return YW_EINVAL;
	if (actor && !auth_region_within(region, actor->region_code))
		return YW_EFORBIDDEN;
	if (id && !ref_within(db, actor, HALL_REGION_SQL, id, &err))
		return err ? err : YW_EFORBIDDEN;
	db_stmt_t *st;
	if (id == 0) {
		st = db_prepare(db, "INSERT INTO halls(name, region_code, address, hours) VALUES (:name, :region_code, "
				    ":address, :hours) RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM halls WHERE id = :id", NULL, id, &err))
			return err ? err : YW_ENOTFOUND;
		st = db_prepare(db, "UPDATE halls SET name = :name, region_code = :region_code, address = :address, "
				    "hours = :hours WHERE id = :id RETURNING id");
		db_bind_int(st, "id", id);
	}
	db_bind_text(st, "name", name);
	db_bind_text(st, "region_code", region);
	db_bind_text(st, "address", address);
	db_bind_text(st, "hours", hours);
	int64_t nid;
	int rc = returning_id(st, &nid);
	if (rc == YW_ECONFLICT) {
		v_error(v, "name", "大厅名称已存在");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (id_out)
		*id_out = nid;
	return audit_record_id(db, actor, id ? "hall.update" : "hall.create", "halls", nid);
}

int org_window_write(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	int err = 0;
	int64_t hall = v_int(v, in, "hall_id", 1, INT64_MAX, true, 0);
	if (hall && !exists(db, "SELECT 1 FROM halls WHERE id = :id", NULL, hall, &err))
		v_error(v, "hall_id", "大厅不存在");
	int64_t number = v_int(v, in, "number", 1, 999, true, 0);
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t dept = v_int(v, in, "dept_id", 0, INT64_MAX, false, 0);
	if (dept && !exists(db, "SELECT 1 FROM departments WHERE id = :id", NULL, dept, &err))
		v_error(v, "dept_id", "部门不存在");
	const char *kind = v_str(v, in, "kind", 1, 20);
	bool active = v_bool(v, in, "active", true);
	db_stmt_t *st =
		db_prepare(db, "SELECT 1 FROM windows WHERE hall_id = :hall_id AND number = :number AND id != :id");
	db_bind_int(st, "hall_id", hall);
	db_bind_int(st, "number", number);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		db_reset(st);
		v_error(v, "number", "该大厅已有此窗口号");
	} else if (rc != YW_ENOTFOUND && !err) {
		err = rc;
	}
	if (err)
		return err;
	if (!v_ok(v))
		return YW_EINVAL;
	/* the window's hall, and the hall it is in now, within the actor's region */
	bool within = ref_within(db, actor, HALL_REGION_SQL, hall, &err) &&
		      ref_within(db, actor, WINDOW_REGION_SQL, id, &err);
	if (!within)
		return err ? err : YW_EFORBIDDEN;
	if (id == 0) {
		st = db_prepare(db, "INSERT INTO windows(hall_id, number, name, dept_id, kind, active) "
				    "VALUES (:hall_id, :number, :name, :dept_id, :kind, :active) RETURNING id");
	} else {
		if (!exists(db, "SELECT 1 FROM windows WHERE id = :id", NULL, id, &err))
			return err ? err : YW_ENOTFOUND;
		st = db_prepare(db, "UPDATE windows SET hall_id = :hall_id, number = :number, name = :name, "
				    "dept_id = :dept_id, kind = :kind, active = :active WHERE id = :id RETURNING id");
		db_bind_int(st, "id", id);
	}
	db_bind_int(st, "hall_id", hall);
	db_bind_int(st, "number", number);
	db_bind_text(st, "name", name);
	db_bind_id(st, "dept_id", dept);
	db_bind_text(st, "kind", kind);
	db_bind_int(st, "active", active);
	int64_t nid;
	rc = returning_id(st, &nid);
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

static int staff_region(db_t *db, int64_t dept_id, char region_out[16]);

int org_user_create(db_t *db, const auth_user_t *actor, json_t *in, const char *kind, vctx_t *v, int64_t *id_out)
{
	int err = 0;
	const char *username = v_str(v, in, "username", 3, 32);
	if (*username && !username_ok(username))
		v_error(v, "username", "用户名只能包含小写字母、数字、下划线、点和连字符");
	else if (*username && exists(db, "SELECT 1 FROM users WHERE username = :key", username, 0, &err))
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
	char dept_region[16] = "";
	unsigned roles = 0;
	int64_t dept = 0, window = 0;
	if (strcmp(kind, "person") == 0) {
		id_number = v_str(v, in, "id_number", 18, 18);
		if (*id_number && (why = idcheck_person_reason_on(id_number, strlen(id_number),
								    date_today_local((int64_t)yw_now()))) != NULL)
			v_error(v, "id_number", why);
		else if (*id_number && exists(db, "SELECT 1 FROM users WHERE id_number = :key", id_number, 0, &err))
			v_error(v, "id_number", "该身份证号已注册");
		roles = ROLE_APPLICANT;
	} else if (strcmp(kind, "legal") == 0) {
		uscc = v_str(v, in, "uscc", 18, 18);
		if (*uscc && (why = idcheck_uscc_reason(uscc, strlen(uscc))) != NULL)
			v_error(v, "uscc", why);
		else if (*uscc && exists(db, "SELECT 1 FROM users WHERE uscc = :key", uscc, 0, &err))
			v_error(v, "uscc", "该统一社会信用代码已注册");
		roles = ROLE_APPLICANT;
	} else {
		roles = roles_from(v, in);
		if (roles & ROLE_APPLICANT)
			v_error(v, "roles", "工作人员账号不能是申请人角色");
		dept = v_int(v, in, "dept_id", 0, INT64_MAX, false, 0);
		if (dept && !exists(db, "SELECT 1 FROM departments WHERE id = :id", NULL, dept, &err))
			v_error(v, "dept_id", "部门不存在");
		else if (!ref_within(db, actor, DEPT_REGION_SQL, dept, &err))
			v_error(v, "dept_id", "超出您的管理范围");
		window = v_int(v, in, "window_id", 0, INT64_MAX, false, 0);
		if (window && !exists(db, "SELECT 1 FROM windows WHERE id = :id", NULL, window, &err))
			v_error(v, "window_id", "窗口不存在");
		else if (!ref_within(db, actor, WINDOW_REGION_SQL, window, &err))
			v_error(v, "window_id", "超出您的管理范围");
		region = v_str(v, in, "region_code", 0, 12);
		if (*region && !exists(db, "SELECT 1 FROM regions WHERE code = :key", region, 0, &err))
			v_error(v, "region_code", "区划不存在");
		if ((roles & (ROLE_DEPT_ADMIN | ROLE_APPROVER | ROLE_HANDLING_UNIT)) && !dept)
			v_error(v, "dept_id", "部门管理员、审批人员和承办单位须指定所属部门");
		if (actor && *region && !auth_region_within(region, actor->region_code))
			v_error(v, "region_code", "超出您的管理范围");
		if (!*region && actor)
			region = actor->region_code;
		else if (!*region && dept && (err = staff_region(db, dept, dept_region)) == 0)
			region = dept_region; /* the command line: the department's region, as an import gives */
	}
	if (err)
		return err;
	if (!v_ok(v))
		return YW_EINVAL;
	char hash[128], roles_s[256];
	if (auth_hash_password(password, hash) != 0)
		return YW_EIO;
	auth_roles_format(roles, roles_s, sizeof roles_s);
	db_stmt_t *st =
		db_prepare(db, "INSERT INTO users(username, name, kind, password_hash, id_number, uscc, phone, "
			       "dept_id, region_code, window_id, roles, created_at) VALUES (:username, :name, :kind, "
			       ":password_hash, :id_number, :uscc, :phone, :dept_id, :region_code, :window_id, :roles, "
			       ":created_at) RETURNING id");
	db_bind_text(st, "username", username);
	db_bind_text(st, "name", name);
	db_bind_text(st, "kind", kind);
	db_bind_text(st, "password_hash", hash);
	db_bind_text(st, "id_number", id_number);
	db_bind_text(st, "uscc", uscc);
	db_bind_text(st, "phone", phone);
	db_bind_id(st, "dept_id", dept);
	db_bind_text(st, "region_code", region && *region ? region : NULL);
	db_bind_id(st, "window_id", window);
	db_bind_text(st, "roles", roles_s);
	db_bind_int(st, "created_at", (int64_t)time(NULL));
	int rc = returning_id(st, id_out);
	return rc ? rc : audit_record_id(db, actor, "user.create", "users", *id_out);
}

static int set_password_hash(db_t *db, int64_t id, const char *password)
{
	char hash[128];
	if (auth_hash_password(password, hash) != 0)
		return YW_EIO;
	db_stmt_t *st = db_prepare(db, "UPDATE users SET password_hash = :password_hash WHERE id = :id");
	db_bind_text(st, "password_hash", hash);
	db_bind_int(st, "id", id);
	return db_run(st);
}

int org_user_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v)
{
	db_stmt_t *st = db_prepare(db, "SELECT kind, COALESCE(region_code, '') FROM users WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	bool staff = strcmp(db_col_text(st, 0), "staff") == 0;
	bool in_scope = auth_region_within(db_col_text(st, 1), actor ? actor->region_code : NULL);
	db_reset(st);
	if (!staff || !in_scope)
		return YW_EFORBIDDEN;
	/* rc keeps the first store error: no later change runs, and it is returned before the
	 * validation problems */
	if (json_object_get(in, "name")) {
		const char *name = v_str(v, in, "name", 1, 50);
		st = db_prepare(db, "UPDATE users SET name = :name WHERE id = :id");
		db_bind_text(st, "name", name);
		db_bind_int(st, "id", id);
		if (v_ok(v) && !rc)
			rc = db_run(st);
	}
	if (json_object_get(in, "roles")) {
		unsigned roles = roles_from(v, in);
		if (roles & ROLE_APPLICANT)
			v_error(v, "roles", "工作人员账号不能是申请人角色");
		char roles_s[256];
		auth_roles_format(roles, roles_s, sizeof roles_s);
		st = db_prepare(db, "UPDATE users SET roles = :roles WHERE id = :id");
		db_bind_text(st, "roles", roles_s);
		db_bind_int(st, "id", id);
		if (v_ok(v) && !rc)
			rc = db_run(st);
	}
	static const char *const ref_sql[][2] = {
		{"dept_id", "UPDATE users SET dept_id = :ref WHERE id = :id"},
		{"window_id", "UPDATE users SET window_id = :ref WHERE id = :id"},
	};
	static const char *const ref_check[] = {"SELECT 1 FROM departments WHERE id = :id",
						"SELECT 1 FROM windows WHERE id = :id"};
	static const char *const ref_region[] = {DEPT_REGION_SQL, WINDOW_REGION_SQL};
	for (int k = 0; k < 2; k++) {
		json_t *j = json_object_get(in, ref_sql[k][0]);
		if (!j)
			continue;
		int64_t ref = v_int(v, in, ref_sql[k][0], 0, INT64_MAX, false, 0);
		if (ref && !exists(db, ref_check[k], NULL, ref, &rc))
			v_error(v, ref_sql[k][0], "不存在");
		else if (!ref_within(db, actor, ref_region[k], ref, &rc))
			v_error(v, ref_sql[k][0], "超出您的管理范围");
		st = db_prepare(db, ref_sql[k][1]);
		db_bind_id(st, "ref", ref);
		db_bind_int(st, "id", id);
		if (v_ok(v) && !rc)
			rc = db_run(st);
	}
	/* Disabling an account or setting its password ends every session and API token it has
	 * (auth_end_account), so a leaked credential does not outlive the change. */
	bool end_account = false;
	if (json_object_get(in, "disabled")) {
		bool disabled = v_bool(v, in, "disabled", false);
		if (actor && actor->id == id && disabled)
			v_error(v, "disabled", "不能停用自己的账号");
		st = db_prepare(db, "UPDATE users SET disabled = :disabled WHERE id = :id");
		db_bind_int(st, "disabled", disabled);
		db_bind_int(st, "id", id);
		if (v_ok(v) && !rc)
			rc = db_run(st);
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
	if (rc)
		return rc;
	if (!v_ok(v))
		return YW_EINVAL;
	rc = audit_record_id(db, actor, "user.update", "users", id);
	return rc || !end_account ? rc : auth_end_account(db, actor, id);
}

int org_user_set_password(db_t *db, const auth_user_t *actor, int64_t id, const char *password)
{
	int rc = set_password_hash(db, id, password);
	rc = rc ? rc : audit_record_id(db, actor, "user.password", "users", id);
	return rc ? rc : auth_end_account(db, actor, id);
}

/* ---- import of the organisation sections ---- */

/* The id sql (with :name) finds: 0 with *id, 0 with *id = 0 when there is none, or the store's error. */
static int id_by_name(db_t *db, const char *sql, const char *name, int64_t *id)
{
	*id = 0;
	db_stmt_t *st = db_prepare(db, sql);
	db_bind_text(st, "name", name);
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
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
	int64_t hall_id, dept_id = 0;
	const char *dept = json_string_value(json_object_get(e, "dept"));
	int rc = id_by_name(db, "SELECT id FROM halls WHERE name = :name",
			    json_string_value(json_object_get(e, "hall")), &hall_id);
	if (!rc && dept)
		rc = id_by_name(db, "SELECT id FROM departments WHERE name = :name", dept, &dept_id);
	if (rc)
		return rc;
	json_t *w = json_deep_copy(e);
	json_object_set_new(w, "hall_id", json_integer(hall_id));
	json_object_del(w, "dept");
	json_object_del(w, "hall");
	if (dept)
		json_object_set_new(w, "dept_id", json_integer(dept_id));
	rc = org_window_write(db, actor, w, 0, v, NULL);
	json_decref(w);
	return rc;
}

/* The window of a number (unique across the city's halls in the exchange format): 0 with *id,
 * *id = 0 when there is none, or the store's error. */
static int window_by_number(db_t *db, int64_t number, int64_t *id)
{
	*id = 0;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM windows WHERE number = :number ORDER BY hall_id LIMIT 1");
	db_bind_int(st, "number", number);
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Staff work in their department's region; staff without a department (centre-wide roles) in the
 * city's. region_out gets "" when there is none. */
static int staff_region(db_t *db, int64_t dept_id, char region_out[16])
{
	db_stmt_t *st;
	if (dept_id) {
		st = db_prepare(db, "SELECT region_code FROM departments WHERE id = :id");
		db_bind_int(st, "id", dept_id);
	} else {
		st = db_prepare(db, "SELECT code FROM regions WHERE level = 1 ORDER BY code LIMIT 1");
	}
	region_out[0] = 0;
	int rc = db_one(st);
	if (rc == 0) {
		snprintf(region_out, 16, "%s", db_col_text(st, 0));
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

static int import_staff(db_t *db, const auth_user_t *actor, json_t *e, const char *password, vctx_t *v)
{
	if (!password) {
		v_error(v, "", "工作人员账号不能通过导入创建，请在用户管理中添加");
		return YW_EINVAL;
	}
	const char *dept = json_string_value(json_object_get(e, "dept"));
	int64_t dept_id = 0, window_id = 0;
	char dept_region[16];
	json_t *win = json_object_get(e, "window");
	int rc = dept ? id_by_name(db, "SELECT id FROM departments WHERE name = :name", dept, &dept_id) : 0;
	if (!rc && json_is_integer(win))
		rc = window_by_number(db, json_integer_value(win), &window_id);
	if (!rc)
		rc = staff_region(db, dept_id, dept_region);
	if (rc)
		return rc;
	json_t *s = json_deep_copy(e);
	json_object_set_new(s, "password", json_string(password));
	json_object_del(s, "dept");
	json_object_del(s, "window");
	json_object_del(s, "region");
	if (dept_id)
		json_object_set_new(s, "dept_id", json_integer(dept_id));
	if (window_id)
		json_object_set_new(s, "window_id", json_integer(window_id));
	/* the entry's own region, else its department's, else the city's */
	const char *region = json_string_value(json_object_get(e, "region"));
	if (region)
		json_object_set_new(s, "region_code", json_string(region));
	else if (*dept_region)
		json_object_set_new(s, "region_code", json_string(dept_region));
	int64_t id;
	rc = org_user_create(db, actor, s, "staff", v, &id);
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
	db_stmt_t *st = db_prepare(db, "SELECT code, name, level, parent_code FROM regions ORDER BY level, code");
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(regions, json_pack("{s:s, s:s, s:I, s:o}", "code", db_col_text(st, 0), "name",
							 db_col_text(st, 1), "level", (json_int_t)db_col_int(st, 2),
							 "parent", db_col_json(st, 3)));
	if (rc < 0)
		goto done;
	st = db_prepare(db, "SELECT name, short_name, uscc, region_code, phone, address, kind FROM departments ORDER BY id");
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(depts, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", db_col_text(st, 0),
						       "short_name", db_col_text(st, 1), "uscc", db_col_text(st, 2),
						       "region", db_col_text(st, 3), "phone", db_col_text(st, 4),
						       "address", db_col_text(st, 5), "kind", db_col_text(st, 6)));
	if (rc < 0)
		goto done;
	st = db_prepare(db, "SELECT name, region_code, address, hours FROM halls ORDER BY id");
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(halls, json_pack("{s:s, s:s, s:s, s:s}", "name", db_col_text(st, 0), "region",
						       db_col_text(st, 1), "address", db_col_text(st, 2), "hours",
						       db_col_text(st, 3)));
	if (rc < 0)
		goto done;
	st = db_prepare(db,
			"SELECT h.name, w.number, w.name, d.name, w.kind, w.active FROM windows w "
			"JOIN halls h ON h.id = w.hall_id LEFT JOIN departments d ON d.id = w.dept_id ORDER BY w.id");
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(windows, json_pack("{s:s, s:I, s:s, s:o, s:s, s:b}", "hall", db_col_text(st, 0),
							 "number", (json_int_t)db_col_int(st, 1), "name",
							 db_col_text(st, 2), "dept", db_col_json(st, 3), "kind",
							 db_col_text(st, 4), "active", (int)db_col_int(st, 5)));
	if (rc < 0)
		goto done;
	rc = 0;
	json_object_set(doc, "regions", regions);
	json_object_set(doc, "departments", depts);
	json_object_set(doc, "halls", halls);
	json_object_set(doc, "windows", windows);
done:
	json_decref(regions);
	json_decref(depts);
	json_decref(halls);
	json_decref(windows);
	return rc;
}

/* ---- for the routes: the rows as the lists show them ---- */

static json_t *region_row(db_stmt_t *st)
{
	json_t *r = json_pack("{s:s, s:s, s:I}", "code", db_col_text(st, 0), "name", db_col_text(st, 1), "level",
			      (json_int_t)db_col_int(st, 2));
	json_object_set_new(r, "parent", db_col_json(st, 3));
	return r;
}

#define REGION_COLS "SELECT code, name, level, parent_code FROM regions"

static json_t *dept_row(db_stmt_t *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
			 db_col_text(st, 1), "short_name", db_col_text(st, 2), "uscc", db_col_text(st, 3),
			 "region_code", db_col_text(st, 4), "phone", db_col_text(st, 5), "address", db_col_text(st, 6),
			 "item_count", (json_int_t)db_col_int(st, 7), "kind", db_col_text(st, 8));
}

/* A written department answers with item_count 0: the count is the list's. */
#define DEPT_ONE                                                                                                       \
	"SELECT d.id, d.name, d.short_name, d.uscc, d.region_code, d.phone, d.address, 0, d.kind FROM departments d "  \
	"WHERE d.id = :id"

static json_t *hall_row(db_stmt_t *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
			 "region_code", db_col_text(st, 2), "address", db_col_text(st, 3), "hours", db_col_text(st, 4));
}

#define HALL_COLS "SELECT id, name, region_code, address, hours FROM halls"

static json_t *window_row(db_stmt_t *st)
{
	json_t *r = json_pack("{s:I, s:I, s:I, s:s, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "hall_id",
			      (json_int_t)db_col_int(st, 1), "number", (json_int_t)db_col_int(st, 2), "name",
			      db_col_text(st, 3), "kind", db_col_text(st, 5), "active", (int)db_col_int(st, 6));
	json_object_set_new(r, "dept_id", db_col_json(st, 4));
	return r;
}

#define WINDOW_COLS "SELECT id, hall_id, number, name, dept_id, kind, active FROM windows"

static json_t *user_row(db_stmt_t *st)
{
	unsigned roles = 0;
	auth_roles_parse(db_col_text(st, 4), &roles);
	json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:b}", "id", (json_int_t)db_col_int(st, 0), "username",
			      db_col_text(st, 1), "name", db_col_text(st, 2), "kind", db_col_text(st, 3), "roles",
			      auth_roles_json(roles), "phone", db_col_text(st, 8), "disabled", (int)db_col_int(st, 9));
	json_object_set_new(r, "dept_id", db_col_json(st, 5));
	json_object_set_new(r, "region_code", db_col_json(st, 6));
	json_object_set_new(r, "window_id", db_col_json(st, 7));
	return r;
}

#define USER_COLS "SELECT id, username, name, kind, roles, dept_id, region_code, window_id, phone, disabled FROM users"

/* Every row of st (its parameters bound) as a new JSON array in *out: 0 or the step's error. */
static int rows_json(db_stmt_t *st, json_t *(*row)(db_stmt_t *), json_t **out)
{
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, row(st));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

int org_regions_list(db_t *db, json_t **out)
{
	return rows_json(db_prepare(db, REGION_COLS " ORDER BY code"), region_row, out);
}

int org_depts_list(db_t *db, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT d.id, d.name, d.short_name, d.uscc, d.region_code, d.phone, d.address, "
				       "(SELECT COUNT(*) FROM items i JOIN item_versions v ON v.item_id = i.id AND "
				       "v.status = 'published' WHERE i.dept_id = d.id), d.kind FROM departments d "
				       "ORDER BY d.region_code, d.id");
	return rows_json(st, dept_row, out);
}

int org_halls_list(db_t *db, json_t **out)
{
	return rows_json(db_prepare(db, HALL_COLS " ORDER BY id"), hall_row, out);
}

int org_windows_list(db_t *db, int64_t hall_id, json_t **out)
{
	db_stmt_t *st =
		db_prepare(db, WINDOW_COLS " WHERE :hall_id = 0 OR hall_id = :hall_id ORDER BY hall_id, number");
	db_bind_int(st, "hall_id", hall_id);
	return rows_json(st, window_row, out);
}

/* Does the comma-separated list hold role? */
static bool has_role(const char *list, const char *role)
{
	size_t n = strlen(role);
	for (const char *p = list; (p = strstr(p, role)) != NULL; p++)
		if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == 0))
			return true;
	return false;
}

int org_staff_list(db_t *db, const char *scope, const char *q, const char *role, int64_t page, int64_t size,
		   json_t **items_out, int64_t *total_out)
{
	/* Filtered here rather than in SQL: the region scope already is, and a substring test in C
	 * (byte for byte, like SQLite's instr) needs no function the two engines spell differently. */
	db_stmt_t *st = db_prepare(db, USER_COLS " WHERE kind = 'staff' ORDER BY id");
	json_t *items = json_array();
	int64_t total = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!auth_region_within(db_col_text(st, 6), scope))
			continue;
		if (q && !strstr(db_col_text(st, 2), q) && !strstr(db_col_text(st, 1), q))
			continue;
		if (role && !has_role(db_col_text(st, 4), role))
			continue;
		if (total++ >= (page - 1) * size && (int64_t)json_array_size(items) < size)
			json_array_append_new(items, user_row(st));
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*items_out = items;
	*total_out = total;
	return 0;
}

/* ---- for the routes: writes in their own transaction, answered with the row ---- */

/* The row of sql (with :id or :code) as row() makes it; {} when it is gone. */
static int row_json(db_stmt_t *st, json_t *(*row)(db_stmt_t *), json_t **out)
{
	int rc = db_one(st);
	if (rc == 0) {
		*out = row(st);
		db_reset(st);
	} else if (rc == YW_ENOTFOUND) {
		*out = json_object();
		rc = 0;
	}
	return rc;
}

/* Ends the transaction a route's write opened: commits when rc is 0 (then *out stands), else
 * rolls back and drops *out. */
static int finish(db_t *db, int rc, json_t **out)
{
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

typedef int (*org_writer_fn)(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out);

static int save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, org_writer_fn fn,
		const char *one_sql, json_t *(*row)(db_stmt_t *), json_t **out)
{
	*out = NULL;
	int rc = db_begin(db);
	if (rc)
		return rc;
	int64_t nid = 0;
	rc = fn(db, actor, in, id, v, &nid);
	if (!rc) {
		db_stmt_t *st = db_prepare(db, one_sql);
		db_bind_int(st, "id", nid);
		rc = row_json(st, row, out);
	}
	return finish(db, rc, out);
}

int org_region_save(db_t *db, const auth_user_t *actor, json_t *in, const char *code, vctx_t *v, json_t **out)
{
	*out = NULL;
	int rc = db_begin(db);
	if (rc)
		return rc;
	const char *key = code ? code : json_string_value(json_object_get(in, "code"));
	char keybuf[16];
	snprintf(keybuf, sizeof keybuf, "%s", key ? key : "");
	rc = org_region_write(db, actor, in, code, v);
	if (!rc) {
		db_stmt_t *st = db_prepare(db, REGION_COLS " WHERE code = :code");
		db_bind_text(st, "code", keybuf);
		rc = row_json(st, region_row, out);
	}
	return finish(db, rc, out);
}

int org_dept_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out)
{
	return save(db, actor, in, id, v, org_dept_write, DEPT_ONE, dept_row, out);
}

int org_hall_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out)
{
	return save(db, actor, in, id, v, org_hall_write, HALL_COLS " WHERE id = :id", hall_row, out);
}

int org_window_save(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, json_t **out)
{
	return save(db, actor, in, id, v, org_window_write, WINDOW_COLS " WHERE id = :id", window_row, out);
}

static int staff_create_writer(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	(void)id;
	return org_user_create(db, actor, in, "staff", v, id_out);
}

static int staff_update_writer(db_t *db, const auth_user_t *actor, json_t *in, int64_t id, vctx_t *v, int64_t *id_out)
{
	*id_out = id;
	return org_user_update(db, actor, id, in, v);
}

int org_staff_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, json_t **out)
{
	return save(db, actor, in, 0, v, staff_create_writer, USER_COLS " WHERE id = :id", user_row, out);
}

int org_staff_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, json_t **out)
{
	return save(db, actor, in, id, v, staff_update_writer, USER_COLS " WHERE id = :id", user_row, out);
}

/* ---- for the sign-in routes: accounts and API tokens, each change in its own transaction ---- */

int org_applicant_register(db_t *db, json_t *in, const char *kind, vctx_t *v, int64_t *id_out)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = org_user_create(db, NULL, in, kind, v, id_out);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int org_password_change(db_t *db, const auth_user_t *actor, const char *password)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = org_user_set_password(db, actor, actor->id, password);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int org_token_create(db_t *db, const auth_user_t *actor, const char *name, int64_t expires_at, char token_out[64],
		     int64_t *id_out)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = auth_token_create(db, actor->id, name, expires_at, token_out, id_out);
	rc = rc ? rc : audit_record_id(db, actor, "token.create", "api_tokens", *id_out);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int org_token_revoke(db_t *db, const auth_user_t *actor, int64_t token_id)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = auth_token_revoke(db, actor, token_id);
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int org_user_region(db_t *db, int64_t id, char region_out[16])
{
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(region_code, '') FROM users WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		snprintf(region_out, 16, "%s", db_col_text(st, 0));
		db_reset(st);
	}
	return rc;
}

/* ---- for the command line ---- */

int org_user_count(db_t *db, int64_t *n)
{
	return db_query_int(db, "SELECT COUNT(*) FROM users", NULL, n);
}

int org_dept_id_by_name(db_t *db, const char *name, int64_t *id)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM departments WHERE name = :name");
	db_bind_text(st, "name", name);
	int rc = db_one(st);
	if (rc)
		return rc;
	*id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int org_user_set_hash_by_name(db_t *db, const char *username, const char *hash)
{
	db_stmt_t *st = db_prepare(db, "UPDATE users SET password_hash = :hash WHERE username = :username RETURNING id");
	db_bind_text(st, "hash", hash);
	db_bind_text(st, "username", username);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, NULL, "user.password", "users", id);
}

int org_accounts_each(db_t *db, bool demo, int (*fn)(void *arg, const org_account_t *a), void *arg)
{
	db_stmt_t *st =
		demo ? db_prepare(db, "SELECT u.username, u.name, u.kind, u.roles, u.disabled, COALESCE(d.name, '') "
				      "FROM users u LEFT JOIN departments d ON d.id = u.dept_id "
				      "WHERE u.id <= 8 OR u.kind != 'staff' ORDER BY u.id")
		     : db_prepare(db, "SELECT username, name, kind, roles, disabled, '' FROM users ORDER BY id");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		org_account_t a = {.username = db_col_text(st, 0), .name = db_col_text(st, 1), .kind = db_col_text(st, 2),
				   .roles = db_col_text(st, 3), .disabled = db_col_int(st, 4) != 0,
				   .dept = db_col_text(st, 5)};
		if ((rc = fn(arg, &a)) != 0) {
			db_reset(st);
			return rc;
		}
	}
	return rc < 0 ? rc : 0;
}
