/* Disclosure store: the SQL of 政府信息公开 (disclosure_store.h). Documents move through their
 * versions' states, requests through their steps; each write is one transaction with its audit
 * records, and a request's due day and signal are recomputed by the clock (disclosure_clock.h)
 * after every step and by the background job. Scope is one SQL condition per kind of row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure.h"
#include "disclosure/disclosure_clock.h"
#include "disclosure/disclosure_codes.h"
#include "disclosure/disclosure_store.h"
#include "platform/arena.h"
#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "supervision/supervision.h"
#include "supervision/supervision_store.h"

/* ---- common ---- */

static yw_date_t today_of(int64_t now)
{
	return date_today_local(now);
}

static void fmt_day(yw_date_t d, char out[11])
{
	date_format(d, out);
}

static int parse_day(const char *s, yw_date_t *out)
{
	return s && *s ? date_parse(s, strlen(s), out) : YW_EINVAL;
}

static int commit_or_rollback(db_t *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static bool is_centre(const auth_user_t *u)
{
	return u && (u->roles & ROLE_CENTER_ADMIN);
}

static bool is_officer(const auth_user_t *u)
{
	return u && (u->roles & ROLE_DISCLOSURE_OFFICER) && u->dept_id;
}

static bool is_citizen(const auth_user_t *u)
{
	return u && strcmp(u->kind, "staff") != 0;
}

/* May u handle the documents and requests of organ dept_id? The centre the organs of its region
 * (docs/domain.md §1: centre admins act within their region), the organ's officers their own. */
static bool may_handle(db_t *db, const auth_user_t *u, int64_t dept_id)
{
	if (is_officer(u) && u->dept_id == dept_id)
		return true;
	if (!is_centre(u))
		return false;
	if (!*u->region_code)
		return true;
	if (!dept_id) { /* the whole government: no organ outside the centre's region */
		db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n FROM departments WHERE NOT ("
					       AUTH_REGION_WITHIN_SQL("COALESCE(region_code, '')", "scope") ")");
		auth_region_bind(st, "scope", u->region_code);
		if (db_one(st) != 0)
			return false;
		bool all = db_col_int(st, 0) == 0;
		db_reset(st);
		return all;
	}
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(region_code, '') FROM departments WHERE id = :id");
	db_bind_int(st, "id", dept_id);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND; /* no such organ: the caller's own check answers (404 or 422) */
	bool within = auth_region_within(db_col_text(st, 0), u->region_code);
	db_reset(st);
	return within;
}

bool disclosure_may_handle(db_t *db, const auth_user_t *u, int64_t dept_id)
{
	return may_handle(db, u, dept_id);
}

/* Who sees a request r: the centre (:all) the organs of its region (:scope), the organ's officers
 * (:organ), its applicant (:me). */
#define CENTRE_SCOPE(col)                                                                                              \
	"(:all = 1 AND " col " IN (SELECT sd.id FROM departments sd WHERE "                                           \
	AUTH_REGION_WITHIN_SQL("COALESCE(sd.region_code, '')", "scope") "))"
#define REQ_SCOPE                                                                                                      \
	"(" CENTRE_SCOPE("r.dept_id") " OR (r.dept_id = :organ AND :organ <> 0) OR (r.applicant_id = :me AND :me <> 0))"
/* Who manages a document d: the centre of its region, the organ's officers. */
#define DOC_SCOPE "(" CENTRE_SCOPE("d.dept_id") " OR (d.dept_id = :organ AND :organ <> 0))"

static void bind_scope(db_stmt_t *st, const auth_user_t *u, bool with_me)
{
	db_bind_int(st, "all", is_centre(u) ? 1 : 0);
	auth_region_bind(st, "scope", u ? u->region_code : "");
	db_bind_int(st, "organ", is_officer(u) ? u->dept_id : 0);
	if (with_me)
		db_bind_int(st, "me", is_citizen(u) ? u->id : 0);
}

/* A day field: absent or null gives def; else 'YYYY-MM-DD' within [min, max] (0: no bound). */
static yw_date_t v_day(vctx_t *v, json_t *in, const char *key, bool required, yw_date_t def, yw_date_t min,
		       const char *min_why, yw_date_t max, const char *max_why)
{
	json_t *j = json_object_get(in, key);
	if (!j || json_is_null(j)) {
		if (required)
			v_error(v, key, "不能为空");
		return def;
	}
	yw_date_t d;
	if (!json_is_string(j) || parse_day(json_string_value(j), &d) != 0) {
		v_error(v, key, "日期格式应为 YYYY-MM-DD");
		return def;
	}
	if (min && d < min) {
		v_error(v, key, min_why);
		return def;
	}
	if (max && d > max) {
		v_error(v, key, max_why);
		return def;
	}
	return d;
}

/* A code field checked with find (a disclosure_codes.h lookup); "" when absent and optional. */
static const char *v_code(vctx_t *v, json_t *in, const char *key, bool required, const char *def, int (*find)(const char *),
			  const char *why)
{
	json_t *j = json_object_get(in, key);
	if (!j || json_is_null(j)) {
		if (required)
			v_error(v, key, why);
		return def;
	}
	const char *s = json_string_value(j);
	if (!s || find(s) < 0) {
		v_error(v, key, why);
		return def;
	}
	return s;
}

static int find_doc_kind(const char *s)
{
	return disc_doc_kind_find(s);
}
static int find_validity(const char *s)
{
	return disc_validity_find(s);
}
static int find_channel(const char *s)
{
	return disc_channel_find(s);
}
static int find_applicant_type(const char *s)
{
	return disc_applicant_type_find(s);
}
static int find_result(const char *s)
{
	return disc_result_find(s);
}
static int find_remedy_stage(const char *s)
{
	return disc_remedy_stage_find(s);
}
static int find_remedy_result(const char *s)
{
	return disc_remedy_result_find(s);
}

static int dept_exists(db_t *db, int64_t id, bool *exists)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM departments WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0)
		db_reset(st);
	*exists = rc == 0;
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* The next number of a serial (索引号 and request numbers), audited. */
static int next_serial(db_t *db, const char *prefix, int64_t *out)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_serials(prefix, last) VALUES (:prefix, 1) "
				       "ON CONFLICT(prefix) DO UPDATE SET last = disclosure_serials.last + 1 RETURNING last");
	db_bind_text(st, "prefix", prefix);
	int rc = db_one(st);
	if (rc)
		return rc;
	*out = db_col_int(st, 0);
	db_reset(st);
	return audit_record(db, NULL, "disclosure.serial", "disclosure_serials", prefix);
}

/* ---- categories ---- */

static const char *const seed_categories[][2] = {
	{"org", "机构职能"},        {"rules", "法规文件"},     {"plans", "规划计划"},
	{"budget", "财政预决算"},   {"personnel", "人事信息"}, {"permits", "行政许可"},
	{"penalties", "行政处罚"},  {"proposals", "建议提案办理"}, {"interpretation", "政策解读"},
	{"annual_report", "政府信息公开年报"},
};

int disclosure_store_seed(db_t *db)
{
	for (size_t i = 0; i < sizeof seed_categories / sizeof seed_categories[0]; i++) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_categories(code, name, sort) VALUES (:code, :name, :sort) "
					       "ON CONFLICT(code) DO NOTHING RETURNING id");
		db_bind_text(st, "code", seed_categories[i][0]);
		db_bind_text(st, "name", seed_categories[i][1]);
		db_bind_int(st, "sort", (int64_t)(i + 1) * 10);
		int rc = db_one(st);
		if (rc == YW_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		int64_t id = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(db, NULL, "disclosure.category.create", "disclosure_categories", id)) != 0)
			return rc;
	}
	return 0;
}

int disclosure_categories_list(db_t *db, bool all, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, parent_id, code, name, sort, active FROM disclosure_categories "
				       "WHERE active = 1 OR :all = 1 ORDER BY sort, id");
	db_bind_int(st, "all", all ? 1 : 0);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:b}", "id", db_col_json(st, 0),
						       "parent_id", db_col_json(st, 1), "code", db_col_json(st, 2),
						       "name", db_col_json(st, 3), "sort", db_col_json(st, 4), "active",
						       db_col_int(st, 5) != 0));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

static int category_check(db_t *db, int64_t id, bool need_active, bool *ok)
{
	db_stmt_t *st = db_prepare(db, "SELECT active FROM disclosure_categories WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	*ok = false;
	if (rc == 0) {
		*ok = !need_active || db_col_int(st, 0) == 1;
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

static bool code_chars_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int disclosure_category_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out)
{
	const char *code = v_str(v, in, "code", 1, 32);
	if (*code && !code_chars_ok(code))
		v_error(v, "code", "只能由小写字母、数字和下划线组成");
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t parent = v_int(v, in, "parent_id", 1, INT64_MAX, false, 0);
	int64_t sort = v_int(v, in, "sort", 0, 100000, false, 1000);
	bool ok = true;
	int rc = parent ? category_check(db, parent, false, &ok) : 0;
	if (rc)
		return rc;
	if (!ok)
		v_error(v, "parent_id", "上级分类不存在");
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_categories(parent_id, code, name, sort) "
				       "VALUES (:parent, :code, :name, :sort) ON CONFLICT(code) DO NOTHING RETURNING id");
	db_bind_id(st, "parent", parent);
	db_bind_text(st, "code", code);
	db_bind_text(st, "name", name);
	db_bind_int(st, "sort", sort);
	rc = db_one(st);
	if (rc == YW_ENOTFOUND) {
		v_error(v, "code", "分类代码已存在");
		db_rollback(db);
		return YW_EINVAL;
	}
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, actor, "disclosure.category.create", "disclosure_categories", *id_out);
	}
	return commit_or_rollback(db, rc);
}

int disclosure_category_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v)
{
	bool ok = false;
	int rc = category_check(db, id, false, &ok);
	if (rc || !ok)
		return rc ? rc : YW_ENOTFOUND;
	const char *name = json_object_get(in, "name") ? v_str(v, in, "name", 1, 50) : NULL;
	int64_t sort = v_int(v, in, "sort", 0, 100000, false, -1);
	int64_t active = json_object_get(in, "active") ? (v_bool(v, in, "active", true) ? 1 : 0) : -1;
	int64_t parent = v_int(v, in, "parent_id", 1, INT64_MAX, false, 0);
	if (parent == id)
		v_error(v, "parent_id", "不能以自身为上级分类");
	else if (parent && (rc = category_check(db, parent, false, &ok)) == 0 && !ok)
		v_error(v, "parent_id", "上级分类不存在");
	/* no cycle: the new parent is not below the category */
	for (int64_t up = parent, hops = 0; !rc && up && v_ok(v) && hops < 100; hops++) {
		db_stmt_t *st = db_prepare(db, "SELECT COALESCE(parent_id, 0) FROM disclosure_categories WHERE id = :id");
		db_bind_int(st, "id", up);
		if ((rc = db_one(st)) != 0) {
			rc = rc == YW_ENOTFOUND ? 0 : rc;
			break;
		}
		up = db_col_int(st, 0);
		db_reset(st);
		if (up == id)
			v_error(v, "parent_id", "不能以下级分类为上级分类");
	}
	if (rc)
		return rc;
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_categories SET name = COALESCE(:name, name), "
				       "sort = CASE WHEN CAST(:sort AS BIGINT) < 0 THEN sort ELSE :sort END, "
				       "active = CASE WHEN CAST(:active AS BIGINT) < 0 THEN active ELSE :active END, "
				       "parent_id = CASE WHEN CAST(:parent AS BIGINT) = 0 THEN parent_id ELSE :parent END "
				       "WHERE id = :id");
	db_bind_text(st, "name", name);
	db_bind_int(st, "sort", sort);
	db_bind_int(st, "active", active);
	db_bind_int(st, "parent", parent);
	db_bind_int(st, "id", id);
	rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "disclosure.category.update", "disclosure_categories", id);
	return commit_or_rollback(db, rc);
}

/* ---- organs and 索引号 ---- */

#define DEFAULT_INDEX_RULE "{organ}/{category}/{year}-{seq}"

int disclosure_organs_list(db_t *db, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT d.id, d.name, d.short_name, COALESCE(o.code, d.uscc), "
				       "COALESCE(o.index_rule, '" DEFAULT_INDEX_RULE "'), d.phone FROM departments d "
				       "LEFT JOIN disclosure_organs o ON o.dept_id = d.id ORDER BY d.id");
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "dept_id", db_col_json(st, 0),
						       "name", db_col_json(st, 1), "short_name", db_col_json(st, 2),
						       "code", db_col_json(st, 3), "index_rule", db_col_json(st, 4),
						       "phone", db_col_json(st, 5)));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int disclosure_organ_update(db_t *db, const auth_user_t *actor, int64_t dept_id, json_t *in, vctx_t *v)
{
	bool exists = false;
	int rc = dept_exists(db, dept_id, &exists);
	if (rc || !exists)
		return rc ? rc : YW_ENOTFOUND;
	if (!may_handle(db, actor, dept_id))
		return YW_EFORBIDDEN;
	const char *code = v_str(v, in, "code", 1, 40);
	for (const char *p = code; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || *p == '-')) {
			v_error(v, "code", "只能由数字、大写字母和连字符组成");
			break;
		}
	const char *rule = v_str(v, in, "index_rule", 0, 100);
	if (!*rule)
		rule = DEFAULT_INDEX_RULE;
	if (!strstr(rule, "{seq}"))
		v_error(v, "index_rule", "索引号规则须包含顺序号 {seq}");
	for (const char *p = rule; *p; p++)
		if (*p == '{' && strncmp(p, "{organ}", 7) && strncmp(p, "{category}", 10) && strncmp(p, "{year}", 6) &&
		    strncmp(p, "{seq}", 5)) {
			v_error(v, "index_rule", "只能使用 {organ}、{category}、{year}、{seq}");
			break;
		}
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_organs(dept_id, code, index_rule, updated_at) "
				       "VALUES (:dept, :code, :rule, :now) ON CONFLICT(dept_id) DO UPDATE SET "
				       "code = excluded.code, index_rule = excluded.index_rule, updated_at = excluded.updated_at");
	db_bind_int(st, "dept", dept_id);
	db_bind_text(st, "code", code);
	db_bind_text(st, "rule", rule);
	db_bind_int(st, "now", yw_now());
	rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "disclosure.organ.update", "disclosure_organs", dept_id);
	return commit_or_rollback(db, rc);
}

static void put_str(char *out, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n >= size)
		n = size - 1 - *len;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = 0;
}

/* The organ's 索引号 for a document published in `year` under category_code. */
static int make_index_no(db_t *db, int64_t dept_id, const char *category_code, int year, char *out, size_t size)
{
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(o.code, d.uscc), COALESCE(o.index_rule, '" DEFAULT_INDEX_RULE
				       "') FROM departments d LEFT JOIN disclosure_organs o ON o.dept_id = d.id "
				       "WHERE d.id = :dept");
	db_bind_int(st, "dept", dept_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	char code[64], rule[128];
	snprintf(code, sizeof code, "%s", db_col_text(st, 0));
	snprintf(rule, sizeof rule, "%s", db_col_text(st, 1));
	db_reset(st);
	/* the prefix: the rule with everything but {seq} filled in; the serial counts per prefix */
	char prefix[256];
	size_t len = 0;
	prefix[0] = 0;
	char ybuf[8];
	snprintf(ybuf, sizeof ybuf, "%d", year);
	for (const char *p = rule; *p;) {
		if (strncmp(p, "{organ}", 7) == 0) {
			put_str(prefix, sizeof prefix, &len, code);
			p += 7;
		} else if (strncmp(p, "{category}", 10) == 0) {
			put_str(prefix, sizeof prefix, &len, category_code);
			p += 10;
		} else if (strncmp(p, "{year}", 6) == 0) {
			put_str(prefix, sizeof prefix, &len, ybuf);
			p += 6;
		} else {
			char c[2] = {*p++, 0};
			put_str(prefix, sizeof prefix, &len, c);
		}
	}
	char key[300];
	snprintf(key, sizeof key, "doc:%s", prefix);
	int64_t seq;
	if ((rc = next_serial(db, key, &seq)) != 0)
		return rc;
	char sbuf[24];
	snprintf(sbuf, sizeof sbuf, "%05lld", (long long)seq);
	const char *at = strstr(prefix, "{seq}");
	if (!at)
		return YW_EINVAL;
	snprintf(out, size, "%.*s%s%s", (int)(at - prefix), prefix, sbuf, at + 5);
	return 0;
}

/* ---- documents ---- */

/* A version with its document, organ and category. */
#define DOC_COLS                                                                                                       \
	"SELECT v.id, v.document_id, v.version, v.state, v.category_id, c.name, c.code, v.title, v.doc_no, v.publisher, " \
	"v.written_date, v.published_date, v.topic, v.keywords, v.validity, v.validity_date, v.kind, v.body, "         \
	"d.dept_id, dp.name, d.index_no, d.first_published_date, v.author_id, v.created_at, v.submitted_at, "          \
	"v.reviewer_id, v.reviewed_at, v.review_result, v.review_note, v.published_by, v.published_at, v.ended_at, "    \
	"v.end_reason, au.name, rv.name "
#define DOC_FROM                                                                                                       \
	" FROM disclosure_doc_versions v JOIN disclosure_documents d ON d.id = v.document_id "                        \
	"JOIN departments dp ON dp.id = d.dept_id JOIN disclosure_categories c ON c.id = v.category_id "              \
	"LEFT JOIN users au ON au.id = v.author_id LEFT JOIN users rv ON rv.id = v.reviewer_id "

static const char *const doc_public_cols[] = {
	"version_id", "id", "version", "state", "category_id", "category", "category_code", "title", "doc_no",
	"publisher", "written_date", "published_date", "topic", "keywords", "validity", "validity_date", "kind", "body",
	"dept_id", "dept", "index_no", "first_published_date"};
static const char *const doc_internal_cols[] = {
	"author_id", "created_at", "submitted_at", "reviewer_id", "reviewed_at", "review_result", "review_note",
	"published_by", "published_at", "ended_at", "end_reason", "author", "reviewer"};
#define N_PUBLIC ((int)(sizeof doc_public_cols / sizeof doc_public_cols[0]))
#define N_INTERNAL ((int)(sizeof doc_internal_cols / sizeof doc_internal_cols[0]))

static json_t *version_json(db_t *db, db_stmt_t *st, bool body, bool internal)
{
	json_t *o = json_object();
	for (int k = 0; k < N_PUBLIC; k++) {
		if (k == 17 && !body)
			continue;
		json_object_set_new(o, doc_public_cols[k], db_col_json(st, k));
	}
	const char *lbl = disc_doc_state_label(disc_doc_state_find(db_col_text(st, 3)));
	json_object_set_new(o, "state_label", json_string(lbl ? lbl : ""));
	lbl = disc_validity_label(disc_validity_find(db_col_text(st, 14)));
	json_object_set_new(o, "validity_label", json_string(lbl ? lbl : ""));
	lbl = disc_doc_kind_label(disc_doc_kind_find(db_col_text(st, 16)));
	json_object_set_new(o, "kind_label", json_string(lbl ? lbl : ""));
	if (internal)
		for (int k = 0; k < N_INTERNAL; k++)
			json_object_set_new(o, doc_internal_cols[k], db_col_json(st, N_PUBLIC + k));
	if (body) {
		/* the attachments, read after the version's row is done with (the caller resets st) */
		json_object_set_new(o, "attachments", json_array());
	}
	(void)db;
	return o;
}

static int attach_files(db_t *db, json_t *version)
{
	json_t *list = json_object_get(version, "attachments");
	if (!list)
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT f.upload_id, f.name, fl.size, fl.mime FROM disclosure_doc_files f "
				       "JOIN uploads u ON u.id = f.upload_id JOIN files fl ON fl.sha256 = u.sha256 "
				       "WHERE f.version_id = :v ORDER BY f.id");
	db_bind_int(st, "v", json_integer_value(json_object_get(version, "version_id")));
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(list, json_pack("{s:o, s:o, s:o, s:o}", "upload_id", db_col_json(st, 0), "name",
						      db_col_json(st, 1), "size", db_col_json(st, 2), "mime",
						      db_col_json(st, 3)));
	return rc < 0 ? rc : 0;
}

/* The characters a citizen types around a 文号's year: 〔〕 as written, or [ ] ( ) （ ） 【 】 ［ ］ 〖 〗;
 * in a search each is a one-character wildcard, so 长政办发[2025]12号 finds 长政办发〔2025〕12号. */
static size_t bracket_len(const char *p)
{
	static const char *const br[] = {"〔", "〕", "（", "）", "【", "】", "［", "］", "〖", "〗"};
	if (*p == '[' || *p == ']' || *p == '(' || *p == ')')
		return 1;
	for (size_t i = 0; i < sizeof br / sizeof br[0]; i++)
		if (strncmp(p, br[i], strlen(br[i])) == 0)
			return strlen(br[i]);
	return 0;
}

enum { DOC_TERMS = 4 };

/* Filters of both lists; the bound names are the same in both statements. The search text is cut
 * at blanks into up to DOC_TERMS words, each a LIKE pattern that every match must contain (the
 * words of a longer text than that go into the last, in order); like holds the patterns. */
static void bind_doc_filter(db_stmt_t *st, const disc_doc_filter_t *f, char *like, size_t like_size)
{
	static const char *const names[DOC_TERMS] = {"q1", "q2", "q3", "q4"};
	size_t n = 0, start[DOC_TERMS] = {0}, terms = 0;
	const char *p = f->q ? f->q : "";
	while (*p) {
		size_t b = utf8_blank_len(p);
		if (b) {
			p += b;
			continue;
		}
		if (terms < DOC_TERMS) {
			start[terms++] = n;
			like[n++] = '%';
		} else {
			n--; /* the last word's closing NUL: joined to it by % */
		}
		while (*p && !utf8_blank_len(p) && n + 5 < like_size) {
			size_t k = bracket_len(p);
			if (k) {
				like[n++] = '_';
				p += k;
				continue;
			}
			if (*p == '%' || *p == '_' || *p == '\\')
				like[n++] = '\\';
			like[n++] = *p++;
		}
		like[n++] = '%';
		like[n++] = 0;
		if (n + 5 >= like_size)
			break;
	}
	for (size_t i = 0; i < DOC_TERMS; i++)
		db_bind_text(st, names[i], i < terms ? like + start[i] : "");
	db_bind_int(st, "dept", f->dept_id);
	db_bind_int(st, "cat", f->category_id);
	char year[8] = "";
	if (f->year)
		snprintf(year, sizeof year, "%04d", f->year);
	db_bind_text(st, "year", year);
	db_bind_text(st, "validity", f->validity ? f->validity : "");
	db_bind_text(st, "kind", f->kind ? f->kind : "");
}

/* One search word in the title, 文号, 索引号 or body */
#define DOC_TERM(q)                                                                                                    \
	" AND (v.title LIKE " q " ESCAPE '\\' OR v.doc_no LIKE " q " ESCAPE '\\' OR COALESCE(d.index_no, '') LIKE " q \
	" ESCAPE '\\' OR v.body LIKE " q " ESCAPE '\\' OR " q " = '')"
/* 0 when every word is in the title or the 文号: the public list shows those first */
#define DOC_RANK                                                                                                       \
	"CASE WHEN (v.title LIKE :q1 ESCAPE '\\' OR v.doc_no LIKE :q1 ESCAPE '\\' OR :q1 = '') "                      \
	"AND (v.title LIKE :q2 ESCAPE '\\' OR v.doc_no LIKE :q2 ESCAPE '\\' OR :q2 = '') "                            \
	"AND (v.title LIKE :q3 ESCAPE '\\' OR v.doc_no LIKE :q3 ESCAPE '\\' OR :q3 = '') "                            \
	"AND (v.title LIKE :q4 ESCAPE '\\' OR v.doc_no LIKE :q4 ESCAPE '\\' OR :q4 = '') THEN 0 ELSE 1 END"

/* category_id: the category and its subcategories, at any depth (UNION stops at a cycle) */
#define DOC_FILTER                                                                                                     \
	DOC_TERM(":q1") DOC_TERM(":q2") DOC_TERM(":q3") DOC_TERM(":q4")                                                \
	" AND (d.dept_id = :dept OR :dept = 0) "                                                                        \
	"AND (v.category_id IN (WITH RECURSIVE sub(id) AS (SELECT CAST(:cat AS BIGINT) UNION SELECT c.id "             \
	"FROM disclosure_categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub) OR :cat = 0) "              \
	"AND (substr(COALESCE(v.published_date, ''), 1, 4) = :year OR :year = '') "                                     \
	"AND (v.validity = :validity OR :validity = '') AND (v.kind = :kind OR :kind = '') "

static int page_out(db_stmt_t *count, db_stmt_t *st, db_t *db, bool internal, int64_t page, int64_t size, json_t **out)
{
	int rc = db_one(count);
	if (rc)
		return rc;
	int64_t total = db_col_int(count, 0);
	db_reset(count);
	db_bind_int(st, "limit", size);
	db_bind_int(st, "offset", (page - 1) * size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, version_json(db, st, false, internal));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

int disclosure_docs_public(db_t *db, const disc_doc_filter_t *f, int64_t page, int64_t size, json_t **out)
{
	char like[640];
	db_stmt_t *count = db_prepare(db, "SELECT COUNT(*) AS n" DOC_FROM "WHERE v.state = 'published'" DOC_FILTER);
	bind_doc_filter(count, f, like, sizeof like);
	db_stmt_t *st = db_prepare(db, DOC_COLS DOC_FROM "WHERE v.state = 'published'" DOC_FILTER
					       "ORDER BY " DOC_RANK ", v.published_date DESC, v.id DESC LIMIT :limit OFFSET :offset");
	bind_doc_filter(st, f, like, sizeof like);
	return page_out(count, st, db, false, page, size, out);
}

/* The organ's list: each document's latest version. */
#define LATEST " AND v.version = (SELECT MAX(x.version) FROM disclosure_doc_versions x WHERE x.document_id = d.id)"

int disclosure_docs_manage(db_t *db, const auth_user_t *actor, const disc_doc_filter_t *f, int64_t page, int64_t size,
			   json_t **out)
{
	char like[640];
	db_stmt_t *count = db_prepare(db, "SELECT COUNT(*) AS n" DOC_FROM "WHERE " DOC_SCOPE LATEST DOC_FILTER
						  "AND (v.state = :state OR :state = '')");
	bind_scope(count, actor, false);
	bind_doc_filter(count, f, like, sizeof like);
	db_bind_text(count, "state", f->state ? f->state : "");
	db_stmt_t *st = db_prepare(db, DOC_COLS DOC_FROM "WHERE " DOC_SCOPE LATEST DOC_FILTER
					       "AND (v.state = :state OR :state = '') ORDER BY d.id DESC "
					       "LIMIT :limit OFFSET :offset");
	bind_scope(st, actor, false);
	bind_doc_filter(st, f, like, sizeof like);
	db_bind_text(st, "state", f->state ? f->state : "");
	return page_out(count, st, db, true, page, size, out);
}

typedef struct doc_row {
	int64_t id, dept_id, published_id, working_id, latest_id;
	int latest_version;
	char latest_state[16], index_no[128];
} doc_row_t;

static int load_doc(db_t *db, int64_t id, doc_row_t *d)
{
	memset(d, 0, sizeof *d);
	db_stmt_t *st = db_prepare(
		db, "SELECT d.id, d.dept_id, COALESCE(d.index_no, ''), "
		    "COALESCE((SELECT v.id FROM disclosure_doc_versions v WHERE v.document_id = d.id AND v.state = 'published'), 0), "
		    "COALESCE((SELECT v.id FROM disclosure_doc_versions v WHERE v.document_id = d.id "
		    "AND v.state IN ('draft', 'review')), 0), "
		    "COALESCE((SELECT MAX(v.version) FROM disclosure_doc_versions v WHERE v.document_id = d.id), 0) "
		    "FROM disclosure_documents d WHERE d.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	d->id = db_col_int(st, 0);
	d->dept_id = db_col_int(st, 1);
	snprintf(d->index_no, sizeof d->index_no, "%s", db_col_text(st, 2));
	d->published_id = db_col_int(st, 3);
	d->working_id = db_col_int(st, 4);
	d->latest_version = (int)db_col_int(st, 5);
	db_reset(st);
	st = db_prepare(db, "SELECT id, state FROM disclosure_doc_versions WHERE document_id = :id AND version = :ver");
	db_bind_int(st, "id", id);
	db_bind_int(st, "ver", d->latest_version);
	if ((rc = db_one(st)) == 0) {
		d->latest_id = db_col_int(st, 0);
		snprintf(d->latest_state, sizeof d->latest_state, "%s", db_col_text(st, 1));
		db_reset(st);
	}
	return rc;
}

static int version_by_id(db_t *db, int64_t vid, bool internal, json_t **out)
{
	db_stmt_t *st = db_prepare(db, DOC_COLS DOC_FROM "WHERE v.id = :vid");
	db_bind_int(st, "vid", vid);
	int rc = db_one(st);
	if (rc)
		return rc;
	*out = version_json(db, st, true, internal);
	db_reset(st);
	return attach_files(db, *out);
}

int disclosure_doc_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out)
{
	doc_row_t d;
	int rc = load_doc(db, id, &d);
	if (rc)
		return rc;
	bool manage = actor && may_handle(db, actor, d.dept_id);
	if (!manage && !d.published_id)
		return YW_ENOTFOUND;
	json_t *o = NULL, *pub = NULL, *work = NULL;
	if (d.published_id && (rc = version_by_id(db, d.published_id, manage, &pub)) != 0)
		return rc;
	if (manage && d.working_id && (rc = version_by_id(db, d.working_id, true, &work)) != 0) {
		json_decref(pub);
		return rc;
	}
	/* the document's own fields, from whichever version there is (a withdrawn document: its last) */
	json_t *last = NULL;
	if (!pub && !work && (rc = version_by_id(db, d.latest_id, true, &last)) != 0)
		return rc;
	json_t *main = pub ? pub : work ? work : last;
	o = json_pack("{s:I, s:O, s:O, s:O, s:O}", "id", (json_int_t)id, "dept_id", json_object_get(main, "dept_id"),
		      "dept", json_object_get(main, "dept"), "index_no", json_object_get(main, "index_no"),
		      "first_published_date", json_object_get(main, "first_published_date"));
	json_object_set_new(o, "published", pub ? pub : json_null());
	json_object_set_new(o, "working", work ? work : json_null());
	json_decref(last);
	if (manage) {
		db_stmt_t *st = db_prepare(db, DOC_COLS DOC_FROM "WHERE v.document_id = :id ORDER BY v.version DESC");
		db_bind_int(st, "id", id);
		json_t *hist = json_array();
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(hist, version_json(db, st, false, true));
		json_object_set_new(o, "versions", hist);
		if (rc < 0) {
			json_decref(o);
			return rc;
		}
	}
	*out = o;
	return 0;
}

/* The fields of a version, validated; in is the merged object (edit: the base version's fields
 * with the input over them). */
typedef struct doc_input {
	int64_t category_id;
	const char *title, *doc_no, *publisher, *topic, *keywords, *kind, *validity, *body;
	yw_date_t written;
	bool has_written;
	json_t *attachments; /* array of upload ids, or NULL */
} doc_input_t;

static int read_doc(db_t *db, const auth_user_t *actor, json_t *in, int64_t document_id, vctx_t *v, doc_input_t *p)
{
	yw_date_t today = today_of(yw_now());
	p->category_id = v_int(v, in, "category_id", 1, INT64_MAX, true, 0);
	bool ok = true;
	int rc = p->category_id ? category_check(db, p->category_id, true, &ok) : 0;
	if (rc)
		return rc;
	if (!ok)
		v_error(v, "category_id", "主题分类不存在或已停用");
	p->title = v_str(v, in, "title", 1, 200);
	p->doc_no = v_str(v, in, "doc_no", 0, 100);
	p->publisher = v_str(v, in, "publisher", 1, 100);
	p->topic = v_str(v, in, "topic", 0, 100);
	p->keywords = v_str(v, in, "keywords", 0, 200);
	p->kind = v_code(v, in, "kind", false, "other", find_doc_kind, "应为 regulation（规章）、normative（行政规范性文件）或 other");
	p->validity = v_code(v, in, "validity", false, "valid", find_validity, "应为 valid（有效）、expired（失效）或 repealed（废止）");
	p->body = v_str(v, in, "body", 1, 200000);
	json_t *w = json_object_get(in, "written_date");
	p->has_written = w && !json_is_null(w);
	p->written = v_day(v, in, "written_date", false, 0, date_from_ymd(1949, 10, 1), "成文日期不正确", today,
			   "成文日期不能晚于今天");
	p->attachments = v_array(v, in, "attachments", false);
	size_t i;
	json_t *a;
	json_array_foreach(p->attachments, i, a) {
		char field[40];
		snprintf(field, sizeof field, "attachments[%zu]", i);
		if (!json_is_integer(a) || json_integer_value(a) < 1) {
			v_error(v, field, "应为已上传文件的编号");
			continue;
		}
		/* the actor's own upload, or one this document carries already */
		db_stmt_t *st = db_prepare(db, "SELECT 1 FROM uploads u WHERE u.id = :id AND (u.owner_id = :me OR EXISTS "
					       "(SELECT 1 FROM disclosure_doc_files f JOIN disclosure_doc_versions x ON "
					       "x.id = f.version_id WHERE f.upload_id = u.id AND x.document_id = :doc))");
		db_bind_int(st, "id", json_integer_value(a));
		db_bind_int(st, "me", actor->id);
		db_bind_int(st, "doc", document_id);
		rc = db_one(st);
		if (rc == 0)
			db_reset(st);
		else if (rc == YW_ENOTFOUND)
			v_error(v, field, "文件不存在或不是本人上传的文件");
		else
			return rc;
	}
	if (json_array_size(p->attachments) > 50)
		v_error(v, "attachments", "附件最多50个");
	return v_ok(v) ? 0 : YW_EINVAL;
}

static int insert_files(db_t *db, const auth_user_t *actor, int64_t vid, json_t *attachments)
{
	size_t i;
	json_t *a;
	json_array_foreach(attachments, i, a) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_doc_files(version_id, upload_id, name) "
					       "SELECT CAST(:v AS BIGINT), u.id, u.name FROM uploads u WHERE u.id = :u "
					       "ON CONFLICT(version_id, upload_id) DO NOTHING RETURNING id");
		db_bind_int(st, "v", vid);
		db_bind_int(st, "u", json_integer_value(a));
		int rc = db_one(st);
		if (rc == YW_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		int64_t fid = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(db, actor, "disclosure.doc.attach", "disclosure_doc_files", fid)) != 0)
			return rc;
	}
	return 0;
}

static int insert_version(db_t *db, const auth_user_t *actor, int64_t doc_id, int version, const doc_input_t *p,
			  int64_t *vid)
{
	char written[11];
	if (p->has_written)
		fmt_day(p->written, written);
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO disclosure_doc_versions(document_id, version, state, category_id, title, doc_no, publisher, "
		    "written_date, topic, keywords, validity, kind, body, author_id, created_at) VALUES (:doc, :ver, 'draft', "
		    ":cat, :title, :doc_no, :publisher, :written, :topic, :keywords, :validity, :kind, :body, :author, :now) "
		    "RETURNING id");
	db_bind_int(st, "doc", doc_id);
	db_bind_int(st, "ver", version);
	db_bind_int(st, "cat", p->category_id);
	db_bind_text(st, "title", p->title);
	db_bind_text(st, "doc_no", p->doc_no);
	db_bind_text(st, "publisher", p->publisher);
	db_bind_text(st, "written", p->has_written ? written : NULL);
	db_bind_text(st, "topic", p->topic);
	db_bind_text(st, "keywords", p->keywords);
	db_bind_text(st, "validity", p->validity);
	db_bind_text(st, "kind", p->kind);
	db_bind_text(st, "body", p->body);
	db_bind_id(st, "author", actor->id);
	db_bind_int(st, "now", yw_now());
	int rc = db_one(st);
	if (rc)
		return rc;
	*vid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, actor, "disclosure.doc.version", "disclosure_doc_versions", *vid)) != 0)
		return rc;
	return insert_files(db, actor, *vid, p->attachments);
}

int disclosure_doc_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out)
{
	int64_t dept = v_int(v, in, "dept_id", 1, INT64_MAX, false, 0);
	if (!dept && is_officer(actor))
		dept = actor->dept_id;
	bool exists = false;
	int rc = dept ? dept_exists(db, dept, &exists) : 0;
	if (rc)
		return rc;
	if (!dept)
		v_error(v, "dept_id", "须指定发布机关");
	else if (!exists)
		v_error(v, "dept_id", "机关不存在");
	doc_input_t p = {0};
	if ((rc = read_doc(db, actor, in, 0, v, &p)) != 0 && rc != YW_EINVAL)
		return rc;
	if (!v_ok(v))
		return YW_EINVAL;
	if (!may_handle(db, actor, dept))
		return YW_EFORBIDDEN;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_documents(dept_id, created_by, created_at) "
				       "VALUES (:dept, :by, :now) RETURNING id");
	db_bind_int(st, "dept", dept);
	db_bind_id(st, "by", actor->id);
	db_bind_int(st, "now", yw_now());
	rc = db_one(st);
	int64_t vid = 0;
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, actor, "disclosure.doc.create", "disclosure_documents", *id_out);
	}
	if (rc == 0)
		rc = insert_version(db, actor, *id_out, 1, &p, &vid);
	return commit_or_rollback(db, rc);
}

int disclosure_doc_edit(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v)
{
	doc_row_t d;
	int rc = load_doc(db, id, &d);
	if (rc)
		return rc;
	if (!may_handle(db, actor, d.dept_id))
		return YW_ENOTFOUND;
	if (strcmp(d.latest_state, "review") == 0)
		return YW_ECONFLICT;
	/* an annual report, once published, never changes (its text is the report's: disclosure_annual_store.c) */
	if (d.published_id) {
		db_stmt_t *st = db_prepare(db, "SELECT 1 FROM disclosure_reports WHERE document_id = :id");
		db_bind_int(st, "id", id);
		rc = db_one(st);
		if (rc == 0) {
			db_reset(st);
			return YW_ECONFLICT;
		}
		if (rc != YW_ENOTFOUND)
			return rc;
	}
	/* the base: the draft being edited, else the latest version (published, withdrawn, superseded) */
	json_t *base;
	if ((rc = version_by_id(db, d.working_id ? d.working_id : d.latest_id, true, &base)) != 0)
		return rc;
	json_t *merged = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "category_id",
				   json_object_get(base, "category_id"), "title", json_object_get(base, "title"), "doc_no",
				   json_object_get(base, "doc_no"), "publisher", json_object_get(base, "publisher"),
				   "topic", json_object_get(base, "topic"), "keywords", json_object_get(base, "keywords"),
				   "kind", json_object_get(base, "kind"), "validity", json_object_get(base, "validity"),
				   "body", json_object_get(base, "body"), "written_date",
				   json_object_get(base, "written_date"));
	json_t *ids = json_array(), *a;
	size_t i;
	json_array_foreach(json_object_get(base, "attachments"), i, a)
		json_array_append(ids, json_object_get(a, "upload_id"));
	json_object_set_new(merged, "attachments", ids);
	json_decref(base);
	if (json_is_object(in))
		json_object_update(merged, in);
	doc_input_t p = {0};
	rc = read_doc(db, actor, merged, id, v, &p);
	if (rc) {
		json_decref(merged);
		return rc;
	}
	if (db_begin(db)) {
		json_decref(merged);
		return YW_EDB;
	}
	if (d.working_id) {
		char written[11];
		if (p.has_written)
			fmt_day(p.written, written);
		db_stmt_t *st = db_prepare(db, "UPDATE disclosure_doc_versions SET category_id = :cat, title = :title, "
					       "doc_no = :doc_no, publisher = :publisher, written_date = :written, topic = :topic, "
					       "keywords = :keywords, validity = :validity, kind = :kind, body = :body "
					       "WHERE id = :vid AND state = 'draft'");
		db_bind_int(st, "cat", p.category_id);
		db_bind_text(st, "title", p.title);
		db_bind_text(st, "doc_no", p.doc_no);
		db_bind_text(st, "publisher", p.publisher);
		db_bind_text(st, "written", p.has_written ? written : NULL);
		db_bind_text(st, "topic", p.topic);
		db_bind_text(st, "keywords", p.keywords);
		db_bind_text(st, "validity", p.validity);
		db_bind_text(st, "kind", p.kind);
		db_bind_text(st, "body", p.body);
		db_bind_int(st, "vid", d.working_id);
		rc = db_run(st);
		if (!rc && db_changes(st) != 1)
			rc = YW_ECONFLICT; /* submitted for review meanwhile */
		if (!rc)
			rc = audit_record_id(db, actor, "disclosure.doc.edit", "disclosure_doc_versions", d.working_id);
		/* the attachments: replaced by the list given */
		if (!rc && json_object_get(in, "attachments")) {
			st = db_prepare(db, "SELECT id FROM disclosure_doc_files WHERE version_id = :vid");
			db_bind_int(st, "vid", d.working_id);
			json_t *old = json_array();
			int s;
			while ((s = db_step(st)) == DB_ROW)
				json_array_append_new(old, json_integer(db_col_int(st, 0)));
			rc = s < 0 ? s : 0;
			json_array_foreach(old, i, a) {
				if (rc)
					break;
				st = db_prepare(db, "DELETE FROM disclosure_doc_files WHERE id = :id");
				db_bind_int(st, "id", json_integer_value(a));
				if ((rc = db_run(st)) == 0)
					rc = audit_record_id(db, actor, "disclosure.doc.detach", "disclosure_doc_files",
							     json_integer_value(a));
			}
			json_decref(old);
			if (!rc)
				rc = insert_files(db, actor, d.working_id, p.attachments);
		}
	} else {
		int64_t vid;
		rc = insert_version(db, actor, id, d.latest_version + 1, &p, &vid);
	}
	json_decref(merged);
	return commit_or_rollback(db, rc);
}

/* Ends the published version vid (superseded or withdrawn) with its reason. */
static int end_version(db_t *db, const auth_user_t *actor, int64_t vid, const char *state, const char *reason)
{
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_doc_versions SET state = :state, ended_at = :now, "
				       "end_reason = :reason WHERE id = :vid AND state = 'published'");
	db_bind_text(st, "state", state);
	db_bind_int(st, "now", yw_now());
	db_bind_text(st, "reason", reason);
	db_bind_int(st, "vid", vid);
	int rc = db_run(st);
	if (!rc && db_changes(st) != 1)
		rc = YW_ECONFLICT;
	return rc ? rc : audit_record_id(db, actor, "disclosure.doc.end", "disclosure_doc_versions", vid);
}

/* Publishes version vid of document d on day `day`: supersedes the published one, gives the
 * document its 索引号 on its first publication. */
static int publish_version(db_t *db, const auth_user_t *actor, const doc_row_t *d, int64_t vid, int version,
			   yw_date_t day)
{
	int rc = 0;
	if (d->published_id) {
		char reason[64];
		snprintf(reason, sizeof reason, "由第%d版替代", version);
		if ((rc = end_version(db, actor, d->published_id, "superseded", reason)) != 0)
			return rc;
	}
	char dbuf[11];
	fmt_day(day, dbuf);
	if (!d->index_no[0]) {
		db_stmt_t *st = db_prepare(db, "SELECT c.code FROM disclosure_doc_versions v JOIN disclosure_categories c "
					       "ON c.id = v.category_id WHERE v.id = :vid");
		db_bind_int(st, "vid", vid);
		if ((rc = db_one(st)) != 0)
			return rc;
		char cat[40];
		snprintf(cat, sizeof cat, "%s", db_col_text(st, 0));
		db_reset(st);
		int y, m, dd;
		date_to_ymd(day, &y, &m, &dd);
		char index_no[128];
		if ((rc = make_index_no(db, d->dept_id, cat, y, index_no, sizeof index_no)) != 0)
			return rc;
		st = db_prepare(db, "UPDATE disclosure_documents SET index_no = :no, first_published_date = :day WHERE id = :id");
		db_bind_text(st, "no", index_no);
		db_bind_text(st, "day", dbuf);
		db_bind_int(st, "id", d->id);
		if ((rc = db_run(st)) != 0)
			return rc;
		if ((rc = audit_record_id(db, actor, "disclosure.doc.index", "disclosure_documents", d->id)) != 0)
			return rc;
	}
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_doc_versions SET state = 'published', published_by = :by, "
				       "published_at = :now, published_date = :day WHERE id = :vid");
	db_bind_id(st, "by", actor ? actor->id : 0);
	db_bind_int(st, "now", yw_now());
	db_bind_text(st, "day", dbuf);
	db_bind_int(st, "vid", vid);
	if ((rc = db_run(st)) != 0)
		return rc;
	return audit_record_id(db, actor, "disclosure.doc.publish", "disclosure_doc_versions", vid);
}

static int version_author(db_t *db, int64_t vid, int64_t *author, int *version)
{
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(author_id, 0), version FROM disclosure_doc_versions WHERE id = :vid");
	db_bind_int(st, "vid", vid);
	int rc = db_one(st);
	if (rc == 0) {
		*author = db_col_int(st, 0);
		*version = (int)db_col_int(st, 1);
		db_reset(st);
	}
	return rc;
}

int disclosure_doc_act(db_t *db, const auth_user_t *actor, int64_t id, enum disc_doc_step s, json_t *in, vctx_t *v,
		       const char **why)
{
	doc_row_t d;
	int rc = load_doc(db, id, &d);
	if (rc)
		return rc;
	if (!may_handle(db, actor, d.dept_id))
		return YW_ENOTFOUND;
	yw_date_t today = today_of(yw_now());
	/* the body first: nothing is written when it is wrong */
	const char *result = "", *note = "", *reason = "", *validity = "";
	yw_date_t day = today;
	switch (s) {
	case DDS_SUBMIT: break;
	case DDS_REVIEW_STEP:
		result = v_str(v, in, "result", 1, 8);
		if (*result && strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0)
			v_error(v, "result", "应为 pass（通过）或 fail（不通过）");
		note = v_str(v, in, "note", strcmp(result, "fail") == 0 ? 1 : 0, 1000);
		day = v_day(v, in, "published_date", false, today, today - 30, "发布日期不能早于30天前", today,
			    "发布日期不能晚于今天");
		break;
	case DDS_WITHDRAW: reason = v_str(v, in, "reason", 1, 500); break;
	case DDS_VALIDITY:
		validity = v_code(v, in, "validity", true, "", find_validity, "应为 valid（有效）、expired（失效）或 repealed（废止）");
		reason = v_str(v, in, "reason", 1, 500);
		day = v_day(v, in, "date", false, today, date_from_ymd(1949, 10, 1), "日期不正确", today, "日期不能晚于今天");
		break;
	}
	if (!v_ok(v))
		return YW_EINVAL;
	int64_t author = 0;
	int version = 0;
	if (db_begin(db))
		return YW_EDB;
	switch (s) {
	case DDS_SUBMIT: {
		if (!d.working_id || strcmp(d.latest_state, "draft") != 0) {
			*why = "只有草稿可以提交保密审查";
			rc = YW_ECONFLICT;
			break;
		}
		db_stmt_t *st = db_prepare(db, "UPDATE disclosure_doc_versions SET state = 'review', submitted_at = :now "
					       "WHERE id = :vid AND state = 'draft'");
		db_bind_int(st, "now", yw_now());
		db_bind_int(st, "vid", d.working_id);
		rc = db_run(st);
		if (!rc && db_changes(st) != 1) {
			*why = "只有草稿可以提交保密审查";
			rc = YW_ECONFLICT;
		}
		if (!rc)
			rc = audit_record_id(db, actor, "disclosure.doc.submit", "disclosure_doc_versions", d.working_id);
		break;
	}
	case DDS_REVIEW_STEP: {
		if (!d.working_id || strcmp(d.latest_state, "review") != 0) {
			*why = "该文件没有待保密审查的版本";
			rc = YW_ECONFLICT;
			break;
		}
		if ((rc = version_author(db, d.working_id, &author, &version)) != 0)
			break;
		if (author == actor->id) {
			*why = "保密审查须由起草人以外的人员进行";
			rc = YW_EFORBIDDEN;
			break;
		}
		db_stmt_t *st = db_prepare(db, "UPDATE disclosure_doc_versions SET reviewer_id = :by, reviewed_at = :now, "
					       "review_result = :result, review_note = :note, "
					       "state = CASE WHEN :result = 'pass' THEN state ELSE 'draft' END "
					       "WHERE id = :vid AND state = 'review'");
		db_bind_int(st, "by", actor->id);
		db_bind_int(st, "now", yw_now());
		db_bind_text(st, "result", result);
		db_bind_text(st, "note", note);
		db_bind_int(st, "vid", d.working_id);
		if ((rc = db_run(st)) != 0)
			break;
		if (db_changes(st) != 1) {
			*why = "该文件没有待保密审查的版本";
			rc = YW_ECONFLICT;
			break;
		}
		if ((rc = audit_record_id(db, actor, "disclosure.doc.review", "disclosure_doc_versions", d.working_id)) != 0)
			break;
		if (strcmp(result, "pass") == 0)
			rc = publish_version(db, actor, &d, d.working_id, version, day);
		break;
	}
	case DDS_WITHDRAW:
		if (!d.published_id) {
			*why = "只有已发布的文件可以撤回";
			rc = YW_ECONFLICT;
			break;
		}
		rc = end_version(db, actor, d.published_id, "withdrawn", reason);
		break;
	case DDS_VALIDITY: {
		if (!d.published_id) {
			*why = "只有已发布的文件可以变更有效性";
			rc = YW_ECONFLICT;
			break;
		}
		if (d.working_id) {
			*why = "该文件有正在起草或审查的新版本，请先完成后再变更有效性";
			rc = YW_ECONFLICT;
			break;
		}
		/* a published version never changes: the new validity is a new version, published at once
		 * (the content is the one already reviewed and published) */
		char dbuf[11];
		fmt_day(day, dbuf);
		db_stmt_t *st = db_prepare(
			db, "INSERT INTO disclosure_doc_versions(document_id, version, state, category_id, title, doc_no, "
			    "publisher, written_date, topic, keywords, validity, validity_date, kind, body, author_id, created_at, "
			    "review_result, review_note) SELECT document_id, CAST(:ver AS BIGINT), 'draft', category_id, title, doc_no, "
			    "publisher, written_date, topic, keywords, CAST(:validity AS TEXT), CAST(:vday AS TEXT), kind, body, "
			    "CAST(:by AS BIGINT), CAST(:now AS BIGINT), 'unchanged', CAST(:reason AS TEXT) "
			    "FROM disclosure_doc_versions WHERE id = :vid RETURNING id");
		db_bind_int(st, "ver", d.latest_version + 1);
		db_bind_text(st, "validity", validity);
		db_bind_text(st, "vday", dbuf);
		db_bind_int(st, "by", actor->id);
		db_bind_int(st, "now", yw_now());
		db_bind_text(st, "reason", reason);
		db_bind_int(st, "vid", d.published_id);
		if ((rc = db_one(st)) != 0)
			break;
		int64_t nv = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(db, actor, "disclosure.doc.validity", "disclosure_doc_versions", nv)) != 0)
			break;
		st = db_prepare(db, "INSERT INTO disclosure_doc_files(version_id, upload_id, name) SELECT CAST(:nv AS BIGINT), "
				    "upload_id, name FROM disclosure_doc_files WHERE version_id = :vid RETURNING id");
		db_bind_int(st, "nv", nv);
		db_bind_int(st, "vid", d.published_id);
		json_t *fids = json_array();
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(fids, json_integer(db_col_int(st, 0)));
		rc = rc < 0 ? rc : 0;
		size_t i;
		json_t *f;
		json_array_foreach(fids, i, f) {
			if (!rc)
				rc = audit_record_id(db, actor, "disclosure.doc.attach", "disclosure_doc_files",
						     json_integer_value(f));
		}
		json_decref(fids);
		/* the same document as published: it keeps its 发布日期; the change has its own day */
		yw_date_t pday = today;
		if (!rc) {
			st = db_prepare(db, "SELECT COALESCE(published_date, '') FROM disclosure_doc_versions WHERE id = :vid");
			db_bind_int(st, "vid", d.published_id);
			if ((rc = db_one(st)) == 0) {
				if (parse_day(db_col_text(st, 0), &pday))
					pday = today;
				db_reset(st);
			}
		}
		if (!rc)
			rc = publish_version(db, actor, &d, nv, d.latest_version + 1, pday);
		break;
	}
	}
	return commit_or_rollback(db, rc);
}

int disclosure_doc_file(db_t *db, const auth_user_t *actor, int64_t id, int64_t upload_id, char sha_hex[65],
			char mime[128], char name[256])
{
	doc_row_t d;
	int rc = load_doc(db, id, &d);
	if (rc)
		return rc;
	bool manage = actor && may_handle(db, actor, d.dept_id);
	db_stmt_t *st = db_prepare(db, "SELECT u.sha256, fl.mime, f.name FROM disclosure_doc_files f "
				       "JOIN disclosure_doc_versions v ON v.id = f.version_id JOIN uploads u ON u.id = f.upload_id "
				       "JOIN files fl ON fl.sha256 = u.sha256 WHERE v.document_id = :doc AND f.upload_id = :u "
				       "AND (v.state = 'published' OR :manage = 1) LIMIT 1");
	db_bind_int(st, "doc", id);
	db_bind_int(st, "u", upload_id);
	db_bind_int(st, "manage", manage ? 1 : 0);
	if ((rc = db_one(st)) != 0)
		return rc;
	snprintf(sha_hex, 65, "%s", db_col_text(st, 0));
	snprintf(mime, 128, "%s", db_col_text(st, 1));
	snprintf(name, 256, "%s", db_col_text(st, 2));
	db_reset(st);
	return 0;
}

/* ---- requests ---- */

#define REQ_COLS                                                                                                       \
	"SELECT r.id, r.request_no, r.dept_id, dp.name, r.channel, r.applicant_type, r.applicant_name, r.applicant_no, " \
	"r.contact_person, r.phone, r.email, r.address, r.applicant_id, r.content, r.purpose, r.delivery, "            \
	"r.received_date, r.state, r.clock_start, r.due_date, r.extension_days, r.extension_date, r.paused_workdays, " \
	"r.pause_from, r.signal, r.corrections, r.correction_due, r.result, r.reply_date, r.reply_note, r.on_spot, "    \
	"r.created_at, r.updated_at "
#define REQ_FROM " FROM disclosure_requests r JOIN departments dp ON dp.id = r.dept_id "

static const char *const req_cols[] = {
	"id", "request_no", "dept_id", "dept", "channel", "applicant_type", "applicant_name", "applicant_no",
	"contact_person", "phone", "email", "address", "applicant_id", "content", "purpose", "delivery",
	"received_date", "state", "clock_start", "due_date", "extension_days", "extension_date", "paused_workdays",
	"pause_from", "signal", "corrections", "correction_due", "result", "reply_date", "reply_note", "on_spot",
	"created_at", "updated_at"};
#define N_REQ ((int)(sizeof req_cols / sizeof req_cols[0]))

static void set_label(json_t *o, const char *key, const char *label)
{
	json_object_set_new(o, key, label ? json_string(label) : json_null());
}

static json_t *req_json(db_stmt_t *st)
{
	json_t *o = json_object();
	for (int k = 0; k < N_REQ; k++)
		json_object_set_new(o, req_cols[k], db_col_json(st, k));
	set_label(o, "channel_label", disc_channel_label(disc_channel_find(db_col_text(st, 4))));
	set_label(o, "applicant_type_label", disc_applicant_type_label(disc_applicant_type_find(db_col_text(st, 5))));
	set_label(o, "state_label", disc_request_state_label(disc_request_state_find(db_col_text(st, 17))));
	int r = disc_result_find(db_col_text_or_null(st, 27));
	set_label(o, "result_label", disc_result_label(r));
	set_label(o, "result_group", disc_result_group_code(disc_result_group_of(r)));
	set_label(o, "result_group_label", disc_result_group_label(disc_result_group_of(r)));
	set_label(o, "signal_label", supervision_signal_label((int)db_col_int(st, 24)));
	json_object_set_new(o, "on_spot", json_boolean(db_col_int(st, 30) != 0));
	return o;
}

typedef struct req_row {
	int64_t id, dept_id, applicant_id;
	char state[16], received[11], clock_start[11], pause_from[11], correction_due[11], due[11], result[24];
	int extension, paused, corrections, signal;
} req_row_t;

static int load_req(db_t *db, const auth_user_t *actor, int64_t id, req_row_t *r)
{
	db_stmt_t *st = db_prepare(db, "SELECT r.id, r.dept_id, COALESCE(r.applicant_id, 0), r.state, r.received_date, "
				       "r.clock_start, COALESCE(r.pause_from, ''), COALESCE(r.correction_due, ''), r.due_date, "
				       "r.extension_days, r.paused_workdays, r.corrections, r.signal, COALESCE(r.result, '') "
				       "FROM disclosure_requests r WHERE r.id = :id AND " REQ_SCOPE);
	db_bind_int(st, "id", id);
	bind_scope(st, actor, true);
	int rc = db_one(st);
	if (rc)
		return rc;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	r->dept_id = db_col_int(st, 1);
	r->applicant_id = db_col_int(st, 2);
	snprintf(r->state, sizeof r->state, "%s", db_col_text(st, 3));
	snprintf(r->received, sizeof r->received, "%s", db_col_text(st, 4));
	snprintf(r->clock_start, sizeof r->clock_start, "%s", db_col_text(st, 5));
	snprintf(r->pause_from, sizeof r->pause_from, "%s", db_col_text(st, 6));
	snprintf(r->correction_due, sizeof r->correction_due, "%s", db_col_text(st, 7));
	snprintf(r->due, sizeof r->due, "%s", db_col_text(st, 8));
	r->extension = (int)db_col_int(st, 9);
	r->paused = (int)db_col_int(st, 10);
	r->corrections = (int)db_col_int(st, 11);
	r->signal = (int)db_col_int(st, 12);
	snprintf(r->result, sizeof r->result, "%s", db_col_text(st, 13));
	db_reset(st);
	return 0;
}

/* The system's view of a request (the background job): every row. */
static const auth_user_t system_user = {.roles = ROLE_CENTER_ADMIN, .kind = "staff"};

static int clock_of(const req_row_t *r, disc_clock_t *c)
{
	memset(c, 0, sizeof *c);
	if (parse_day(r->clock_start, &c->start))
		return YW_EINVAL;
	c->extension = r->extension;
	c->paused = r->paused;
	c->pause_open = strcmp(r->state, "consulting") == 0 || strcmp(r->state, "fee") == 0;
	if (c->pause_open && parse_day(r->pause_from, &c->pause_from))
		return YW_EINVAL;
	c->pause_cap = strcmp(r->state, "consulting") == 0 ? DISC_CONSULT_WORKDAYS : 0;
	return 0;
}

/* The due day and signal of request r on `today`: while waiting for a correction, the
 * correction's last day and no signal; a replied request keeps what it had. */
static int clock_now(const calendar_t *cal, const req_row_t *r, yw_date_t today, char due[11], int *signal)
{
	if (strcmp(r->state, "replied") == 0) {
		snprintf(due, 11, "%s", r->due);
		*signal = r->signal;
		return 0;
	}
	if (strcmp(r->state, "correction") == 0) {
		snprintf(due, 11, "%s", r->correction_due);
		*signal = SV_NORMAL;
		return 0;
	}
	disc_clock_t c;
	disc_clock_eval_t e;
	int rc = clock_of(r, &c);
	if (rc || (rc = disc_clock_evaluate(cal, &c, today, &e)) != 0)
		return rc;
	fmt_day(e.due, due);
	sv_limits_t lim = {config_current()->warn_workdays, config_current()->red_overdue_workdays};
	sv_eval_t sv;
	if ((rc = supervision_signal(cal, &lim, c.start, e.signal_due, e.signal_day, &sv)) != 0)
		return rc;
	*signal = sv.signal;
	return 0;
}

static int add_event(db_t *db, const auth_user_t *actor, int64_t id, const char *action, const char *from,
		     const char *to, yw_date_t day, const char *note, json_t *data);

/* The officer answerable for request r (责任人): the last of the organ's staff who took a step on it;
 * 0 while nobody has (an online request not yet touched). */
static int request_handler(db_t *db, const req_row_t *r, int64_t *user_id)
{
	*user_id = 0;
	db_stmt_t *st = db_prepare(db, "SELECT actor_id FROM disclosure_request_events WHERE request_id = :id "
				       "AND actor_id IS NOT NULL AND actor_id <> :applicant ORDER BY id DESC LIMIT 1");
	db_bind_int(st, "id", r->id);
	db_bind_int(st, "applicant", r->applicant_id);
	int rc = db_one(st);
	if (rc == 0) {
		*user_id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Electronic supervision's card for a signal the request's clock has reached (docs/domain.md §6, as
 * for cases): to the organ and its answerable officer, once per request and kind, issued through
 * supervision's store (audited as card.issue by the system). */
static int issue_card(db_t *db, const calendar_t *cal, const req_row_t *r, int signal, const char due[11],
		      yw_date_t today)
{
	const char *kind = supervision_card_kind(signal);
	if (!kind)
		return 0;
	yw_date_t d;
	char day[11], note[160];
	int left = 0;
	fmt_day(today, day);
	if (parse_day(due, &d) == 0 && d < today)
		calendar_workdays_between(cal, d, today, &left, NULL);
	if (signal >= SV_YELLOW)
		snprintf(note, sizeof note, "政府信息公开申请答复期限%s，已超期 %d 个工作日", due, left);
	else
		snprintf(note, sizeof note, "政府信息公开申请答复期限%s，即将到期", due);
	int64_t user = 0;
	int rc = request_handler(db, r, &user);
	if (rc)
		return rc;
	sv_card_t c = {.disclosure_request_id = r->id, .step = -1, .level = signal, .kind = kind, .dept_id = r->dept_id,
		       .user_id = user, .day = day, .at = yw_now(), .note = note};
	return supervision_store_card_add(db, NULL, &c, NULL);
}

/* Recomputes and stores the due day and signal of request id, then records the request's state
 * in the audit trail (every step ends here). */
static int reclock(db_t *db, const auth_user_t *actor, const calendar_t *cal, int64_t id, yw_date_t today,
		   const char *action)
{
	req_row_t r;
	int rc = load_req(db, &system_user, id, &r);
	if (rc)
		return rc;
	char due[11];
	int signal;
	if ((rc = clock_now(cal, &r, today, due, &signal)) != 0)
		return rc;
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_requests SET due_date = :due, signal = :signal, "
				       "updated_at = :now WHERE id = :id");
	db_bind_text(st, "due", due);
	db_bind_int(st, "signal", signal);
	db_bind_int(st, "now", yw_now());
	db_bind_int(st, "id", id);
	if ((rc = db_run(st)) != 0)
		return rc;
	/* a signal that rises to 预警 or a card is kept in the request's history, for the organ and
	 * for supervision (docs/domain.md §6) */
	if (signal > r.signal && signal >= SV_WARNING) {
		json_t *data = json_pack("{s:i, s:s}", "signal", signal, "due_date", due);
		rc = add_event(db, NULL, id, "signal", r.state, r.state, today, supervision_signal_label(signal), data);
		json_decref(data);
		if (rc || (rc = issue_card(db, cal, &r, signal, due, today)) != 0)
			return rc;
	}
	return audit_record_id(db, actor, action, "disclosure_requests", id);
}

static int add_event(db_t *db, const auth_user_t *actor, int64_t id, const char *action, const char *from,
		     const char *to, yw_date_t day, const char *note, json_t *data)
{
	char dbuf[11];
	fmt_day(day, dbuf);
	char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_request_events(request_id, at, day, actor_id, actor, action, "
				       "state_from, state_to, note, data) VALUES (:id, :at, :day, :actor_id, :actor, :action, "
				       ":from, :to, :note, :data) RETURNING id");
	db_bind_int(st, "id", id);
	db_bind_int(st, "at", yw_now());
	db_bind_text(st, "day", dbuf);
	db_bind_id(st, "actor_id", actor ? actor->id : 0);
	db_bind_text(st, "actor", actor ? actor->name : "系统");
	db_bind_text(st, "action", action);
	db_bind_text(st, "from", from);
	db_bind_text(st, "to", to);
	db_bind_text(st, "note", note ? note : "");
	db_bind_text(st, "data", text);
	free(text);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t eid = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, actor, "disclosure.request.event", "disclosure_request_events", eid);
}

/* A telephone number as typed into the form, for idcheck_phone: a Chinese input method's full-width
 * ０-９, ＋ and － as ASCII, and spaces (ASCII or U+3000, as in 138 0000 0000) left out; other
 * characters stay for idcheck to name. out holds at most size - 1 bytes. */
static void phone_typed(const char *in, char *out, size_t size)
{
	snprintf(out, size, "%s", in);
	utf8_halfwidth(out);
	size_t n = 0;
	for (const char *s = out; *s; s++)
		if (*s != ' ')
			out[n++] = *s;
	out[n] = 0;
}

/* An address one can send to: local@domain with a dot inside the domain, no blank or separator. */
static bool email_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t\r\n,;<>()[]\"\\"))
		return false;
	const char *dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] && at[1] != '.' && !strstr(at, "..");
}

/* A text field of the request form: as v_str (which refuses a required one with nothing visible in
 * it), and an optional one with nothing visible is empty. */
static const char *form_text(vctx_t *v, json_t *in, const char *key, size_t min, size_t max)
{
	const char *s = v_str(v, in, key, min, max);
	return utf8_has_visible(s) ? s : "";
}

static const char *const deliveries[][2] = {
	{"online", "网上获取"}, {"email", "电子邮件"}, {"post", "邮寄"}, {"pickup", "当面领取"}, {"fax", "传真"}};

int disclosure_request_create(db_t *db, const auth_user_t *actor, json_t *in, const calendar_t *cal, vctx_t *v,
			      int64_t *id_out)
{
	yw_date_t today = today_of(yw_now());
	bool citizen = is_citizen(actor);
	const char *name = "", *number = "", *type, *channel;
	const char *account_phone = "";
	char acc_name[101] = "", acc_no[40] = "", acc_phone[24] = "";
	int rc;
	if (citizen) {
		/* online: who applies is the signed-in account, whose identity was checked at registration */
		db_stmt_t *st = db_prepare(db, "SELECT name, COALESCE(id_number, uscc, ''), phone FROM users WHERE id = :id");
		db_bind_int(st, "id", actor->id);
		if ((rc = db_one(st)) != 0)
			return rc;
		snprintf(acc_name, sizeof acc_name, "%s", db_col_text(st, 0));
		snprintf(acc_no, sizeof acc_no, "%s", db_col_text(st, 1));
		snprintf(acc_phone, sizeof acc_phone, "%s", db_col_text(st, 2));
		db_reset(st);
		name = acc_name;
		number = acc_no;
		account_phone = acc_phone;
		channel = v_code(v, in, "channel", false, "online", find_channel, "网上申请的渠道为 online");
		if (strcmp(channel, "online") != 0)
			v_error(v, "channel", "申请人本人只能通过网上提交申请");
		bool person = strcmp(actor->kind, "person") == 0;
		type = v_code(v, in, "applicant_type", !person, person ? "person" : "",
			      find_applicant_type, "应为 company、research、nonprofit、legal 或 other_org");
		if (person && strcmp(type, "person") != 0)
			v_error(v, "applicant_type", "自然人账户只能以自然人身份申请");
		else if (!person && strcmp(type, "person") == 0)
			v_error(v, "applicant_type", "法人账户应选择法人或其他组织的类型");
		if (!*number)
			v_error(v, "applicant", "账户未登记身份证号码或统一社会信用代码，不能网上申请");
	} else {
		channel = v_code(v, in, "channel", true, "", find_channel, "应为 letter、in_person、fax 或 email");
		if (strcmp(channel, "online") == 0)
			v_error(v, "channel", "网上申请须由申请人本人登录提交");
		type = v_code(v, in, "applicant_type", true, "", find_applicant_type,
			      "应为 person、company、research、nonprofit、legal 或 other_org");
		name = form_text(v, in, "applicant_name", 1, 100);
		number = v_str(v, in, "applicant_no", 1, 18);
		if (*number && *type) {
			bool person = strcmp(type, "person") == 0;
			const char *why = person ? idcheck_person_reason_on(number, strlen(number), today)
						 : idcheck_uscc_reason(number, strlen(number));
			if (why) {
				char msg[160];
				snprintf(msg, sizeof msg, "%s%s", person ? "身份证号码" : "统一社会信用代码", why);
				v_error(v, "applicant_no", msg);
			}
		}
	}
	bool org = *type && strcmp(type, "person") != 0;
	const char *contact = form_text(v, in, "contact_person", org ? 1 : 0, 50);
	char typed[64];
	phone_typed(v_str(v, in, "phone", 0, 20), typed, sizeof typed);
	const char *phone = *typed ? typed : account_phone;
	const char *why_phone;
	if (!*phone)
		v_error(v, "phone", "须填写联系电话");
	else if ((why_phone = idcheck_phone_reason(phone, strlen(phone), org)) != NULL)
		v_error(v, "phone", why_phone);
	const char *email = v_str(v, in, "email", 0, 100);
	if (*email && !email_ok(email))
		v_error(v, "email", "电子邮箱格式不正确，应如 name@example.com");
	const char *address = form_text(v, in, "address", 0, 200);
	const char *content = form_text(v, in, "content", 1, 2000);
	const char *purpose = form_text(v, in, "purpose", 0, 500);
	const char *delivery = v_str(v, in, "delivery", 0, 16);
	if (!*delivery)
		delivery = "online";
	bool known = false;
	for (size_t i = 0; i < sizeof deliveries / sizeof deliveries[0]; i++)
		known = known || strcmp(delivery, deliveries[i][0]) == 0;
	if (!known)
		v_error(v, "delivery", "应为 online、email、post、pickup 或 fax");
	/* online, the form asks at once for what the chosen way of delivery needs; a letter taken in
	 * by the organ is what it is (its gaps are for a 补正) */
	if (citizen && strcmp(delivery, "email") == 0 && !*email)
		v_error(v, "email", "选择电子邮件获取时，请填写电子邮箱");
	if (citizen && strcmp(delivery, "post") == 0 && !*address)
		v_error(v, "address", "选择邮寄获取时，请填写邮寄地址");
	int64_t dept = v_int(v, in, "dept_id", 1, INT64_MAX, !is_officer(actor), is_officer(actor) ? actor->dept_id : 0);
	bool exists = false;
	if (dept && (rc = dept_exists(db, dept, &exists)) != 0)
		return rc;
	if (dept && !exists)
		v_error(v, "dept_id", "受理机关不存在");
	yw_date_t received = today;
	if (!citizen)
		received = v_day(v, in, "received_date", false, today, today - 5 * 366, "收到申请日期不能早于五年前", today,
				 "收到申请日期不能晚于今天");
	else if (json_object_get(in, "received_date"))
		v_error(v, "received_date", "网上申请以提交之日为收到申请之日");
	if (!v_ok(v))
		return YW_EINVAL;
	if (!citizen && !may_handle(db, actor, dept))
		return YW_EFORBIDDEN;
	/* the clock from receipt */
	disc_clock_t c = {.start = received};
	disc_clock_eval_t e;
	if ((rc = disc_clock_evaluate(cal, &c, today, &e)) != 0) {
		v_error(v, "received_date", "日期超出工作日历范围");
		return YW_EINVAL;
	}
	char rbuf[11], due[11];
	fmt_day(received, rbuf);
	fmt_day(e.due, due);
	if (db_begin(db))
		return YW_EDB;
	int y, m, d;
	date_to_ymd(received, &y, &m, &d);
	char prefix[40];
	snprintf(prefix, sizeof prefix, "req:%d:%lld", y, (long long)dept);
	int64_t seq;
	if ((rc = next_serial(db, prefix, &seq)) != 0)
		return commit_or_rollback(db, rc);
	char no[48];
	snprintf(no, sizeof no, "YSQ%d%03lld%05lld", y, (long long)dept, (long long)seq);
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO disclosure_requests(request_no, dept_id, channel, applicant_type, applicant_name, applicant_no, "
		    "contact_person, phone, email, address, applicant_id, content, purpose, delivery, received_date, state, "
		    "clock_start, due_date, created_by, created_at, updated_at) VALUES (:no, :dept, :channel, :type, :name, "
		    ":number, :contact, :phone, :email, :address, :applicant, :content, :purpose, :delivery, :received, "
		    "'processing', :received, :due, :by, :now, :now) RETURNING id");
	db_bind_text(st, "no", no);
	db_bind_int(st, "dept", dept);
	db_bind_text(st, "channel", channel);
	db_bind_text(st, "type", type);
	db_bind_text(st, "name", name);
	db_bind_text(st, "number", number);
	db_bind_text(st, "contact", contact);
	db_bind_text(st, "phone", phone);
	db_bind_text(st, "email", email);
	db_bind_text(st, "address", address);
	db_bind_id(st, "applicant", citizen ? actor->id : 0);
	db_bind_text(st, "content", content);
	db_bind_text(st, "purpose", purpose);
	db_bind_text(st, "delivery", delivery);
	db_bind_text(st, "received", rbuf);
	db_bind_text(st, "due", due);
	db_bind_int(st, "by", actor->id);
	db_bind_int(st, "now", yw_now());
	if ((rc = db_one(st)) == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = add_event(db, actor, *id_out, "create", NULL, "processing", received, "", NULL);
	}
	if (!rc)
		rc = reclock(db, actor, cal, *id_out, today, "disclosure.request.create");
	return commit_or_rollback(db, rc);
}

#define REQ_FILTER                                                                                                     \
	" AND (r.state = :state OR :state = '') AND (COALESCE(r.result, '') = :result OR :result = '') "              \
	"AND (r.dept_id = :dept OR :dept = 0) AND (substr(r.received_date, 1, 4) = :year OR :year = '') "             \
	"AND (:overdue = 0 OR (r.state <> 'replied' AND r.state <> 'correction' AND r.due_date < :today)) "            \
	"AND (:signal = 0 OR (r.state <> 'replied' AND r.signal >= :signal)) "                                        \
	"AND (:open = 0 OR r.state <> 'replied') "                                                                      \
	"AND (:due_by = '' OR (r.state <> 'replied' AND r.due_date >= :today AND r.due_date <= :due_by)) "            \
	"AND (:q = '' OR r.content LIKE :q ESCAPE '\\' OR r.applicant_name LIKE :q ESCAPE '\\' "                      \
	"OR r.request_no LIKE :q ESCAPE '\\') "

static void bind_req_filter(db_stmt_t *st, const auth_user_t *actor, const disc_req_filter_t *f, char *like, size_t ls)
{
	bind_scope(st, actor, true);
	db_bind_text(st, "state", f->state ? f->state : "");
	db_bind_text(st, "result", f->result ? f->result : "");
	db_bind_int(st, "dept", f->dept_id);
	char year[8] = "";
	if (f->year)
		snprintf(year, sizeof year, "%04d", f->year);
	db_bind_text(st, "year", year);
	db_bind_int(st, "overdue", f->overdue ? 1 : 0);
	db_bind_int(st, "signal", f->signal);
	db_bind_int(st, "open", f->open ? 1 : 0);
	db_bind_text(st, "due_by", f->due_by ? f->due_by : "");
	char today[11];
	fmt_day(today_of(yw_now()), today);
	db_bind_text(st, "today", today);
	size_t n = 0;
	if (f->q && *f->q) {
		like[n++] = '%';
		for (const char *p = f->q; *p && n + 3 < ls; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				like[n++] = '\\';
			like[n++] = *p;
		}
		like[n++] = '%';
	}
	like[n] = 0;
	db_bind_text(st, "q", like);
}

int disclosure_requests_list(db_t *db, const auth_user_t *actor, const disc_req_filter_t *f, int64_t page,
			     int64_t size, json_t **out)
{
	char like[640];
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n" REQ_FROM "WHERE " REQ_SCOPE REQ_FILTER);
	bind_req_filter(st, actor, f, like, sizeof like);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_prepare(db, REQ_COLS REQ_FROM "WHERE " REQ_SCOPE REQ_FILTER
					      "ORDER BY CASE WHEN :sort = 'due' THEN r.due_date END ASC, "
					      "CASE WHEN :sort = 'due_desc' THEN r.due_date END DESC, "
					      "CASE WHEN :sort = 'received_asc' THEN r.received_date END ASC, "
					      "CASE WHEN :sort = 'received_asc' THEN r.id END ASC, "
					      "r.received_date DESC, r.id DESC LIMIT :limit OFFSET :offset");
	bind_req_filter(st, actor, f, like, sizeof like);
	db_bind_text(st, "sort", f->sort ? f->sort : "received");
	db_bind_int(st, "limit", size);
	db_bind_int(st, "offset", (page - 1) * size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, req_json(st));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

/* Rows of a statement as objects with the given keys. */
static int rows_json(db_stmt_t *st, const char *const *keys, int n, json_t **out)
{
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		for (int k = 0; k < n; k++)
			json_object_set_new(o, keys[k], db_col_json(st, k));
		json_array_append_new(items, o);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = items;
	return 0;
}

/* The steps actor may take on request o (its detail JSON) now, by the rules the steps check
 * (docs/api.md "Disclosure", `actions`); the server still decides each step when it is taken. */
static int request_actions(db_t *db, const auth_user_t *actor, const json_t *o, json_t **out)
{
	const char *state = json_string_value(json_object_get(o, "state"));
	const char *due = json_string_value(json_object_get(o, "due_date"));
	const char *corr_due = json_string_value(json_object_get(o, "correction_due"));
	bool organ = may_handle(db, actor, json_integer_value(json_object_get(o, "dept_id")));
	json_t *aid = json_object_get(o, "applicant_id");
	bool applicant = is_citizen(actor) && json_is_integer(aid) && json_integer_value(aid) == actor->id;
	bool processing = strcmp(state, "processing") == 0, consulting = strcmp(state, "consulting") == 0;
	bool replied = strcmp(state, "replied") == 0;
	yw_date_t today = today_of(yw_now());
	char tbuf[11];
	fmt_day(today, tbuf);
	json_t *a = json_array();
	if (organ && processing && json_integer_value(json_object_get(o, "corrections")) == 0) {
		/* 补正 only within 7 working days of receipt */
		const calendar_t *cal;
		yw_date_t received, last;
		int rc = calendar_acquire(db, &cal);
		if (rc) {
			json_decref(a);
			return rc;
		}
		if (parse_day(json_string_value(json_object_get(o, "received_date")), &received) == 0 &&
		    disc_correction_notice_deadline(cal, received, &last, NULL) == 0 && today <= last)
			json_array_append_new(a, json_string("correction"));
		calendar_release();
	}
	if ((organ || applicant) && strcmp(state, "correction") == 0 && corr_due && strcmp(tbuf, corr_due) <= 0)
		json_array_append_new(a, json_string("corrected"));
	if (organ && (processing || consulting))
		json_array_append_new(a, json_string("consult"));
	bool open_consult = false;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(o, "consultations"), i, e)
		open_consult = open_consult || json_is_null(json_object_get(e, "opinion"));
	if (organ && consulting && open_consult)
		json_array_append_new(a, json_string("consult_answer"));
	if (organ && (processing || consulting) && json_integer_value(json_object_get(o, "extension_days")) == 0 && due &&
	    strcmp(tbuf, due) <= 0)
		json_array_append_new(a, json_string("extend"));
	if (organ && processing && json_array_size(json_object_get(o, "fees")) == 0)
		json_array_append_new(a, json_string("fee"));
	if (organ && strcmp(state, "fee") == 0)
		json_array_append_new(a, json_string("fee_paid"));
	if (organ && processing)
		json_array_append_new(a, json_string("reply"));
	if ((organ || applicant) && !replied)
		json_array_append_new(a, json_string("withdraw"));
	if (organ && replied)
		json_array_append_new(a, json_string("remedy"));
	bool pending = false;
	json_array_foreach(json_object_get(o, "remedies"), i, e) {
		const char *r = json_string_value(json_object_get(e, "result"));
		pending = pending || (r && strcmp(r, "pending") == 0);
	}
	if (organ && pending)
		json_array_append_new(a, json_string("remedy_result"));
	*out = a;
	return 0;
}

int disclosure_request_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, REQ_COLS REQ_FROM "WHERE r.id = :id AND " REQ_SCOPE);
	db_bind_int(st, "id", id);
	bind_scope(st, actor, true);
	int rc = db_one(st);
	if (rc)
		return rc;
	json_t *o = req_json(st);
	db_reset(st);
	json_t *list;
	static const char *const ev[] = {"id", "at", "day", "actor_id", "actor", "action", "state_from", "state_to", "note", "data"};
	st = db_prepare(db, "SELECT id, at, day, actor_id, actor, action, state_from, state_to, note, data "
			    "FROM disclosure_request_events WHERE request_id = :id ORDER BY id");
	db_bind_int(st, "id", id);
	if ((rc = rows_json(st, ev, 10, &list)) != 0)
		goto fail;
	/* data is stored as JSON text */
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		const char *t = json_string_value(json_object_get(e, "data"));
		if (t)
			json_object_set_new(e, "data", json_loads(t, 0, NULL));
	}
	json_object_set_new(o, "events", list);
	static const char *const co[] = {"id", "items", "notice_date", "due_date", "received_date", "content", "lapsed"};
	st = db_prepare(db, "SELECT id, items, notice_date, due_date, received_date, content, lapsed "
			    "FROM disclosure_corrections WHERE request_id = :id");
	db_bind_int(st, "id", id);
	if ((rc = rows_json(st, co, 7, &list)) != 0)
		goto fail;
	json_t *corr = json_array_size(list) ? json_incref(json_array_get(list, 0)) : json_null();
	json_decref(list);
	if (json_is_object(corr)) {
		const char *t = json_string_value(json_object_get(corr, "items"));
		json_object_set_new(corr, "items", t ? json_loads(t, 0, NULL) : json_array());
		json_object_set_new(corr, "lapsed", json_boolean(json_integer_value(json_object_get(corr, "lapsed"))));
	}
	json_object_set_new(o, "correction", corr);
	static const char *const cs[] = {"id", "third_party", "contact", "sent_date", "due_date", "answered_date", "opinion", "note"};
	st = db_prepare(db, "SELECT id, third_party, contact, sent_date, due_date, answered_date, opinion, note "
			    "FROM disclosure_consultations WHERE request_id = :id ORDER BY id");
	db_bind_int(st, "id", id);
	if ((rc = rows_json(st, cs, 8, &list)) != 0)
		goto fail;
	json_object_set_new(o, "consultations", list);
	/* the applicant learns that and when a third party was asked (the clock stops), not who it is,
	 * how to reach it or what it wrote: as the letter to the third party does not name the applicant */
	if (is_citizen(actor)) {
		json_array_foreach(list, i, e) {
			json_object_del(e, "third_party");
			json_object_del(e, "contact");
			json_object_del(e, "note");
		}
		json_array_foreach(json_object_get(o, "events"), i, e) {
			const char *action = json_string_value(json_object_get(e, "action"));
			if (!action || (strcmp(action, "consult") && strcmp(action, "consult_answer")))
				continue;
			json_object_del(json_object_get(e, "data"), "third_party");
			json_object_set_new(e, "note", json_string(""));
		}
	}
	static const char *const fe[] = {"id", "basis", "quantity", "amount_fen", "notice_date", "due_date", "paid_date", "state"};
	st = db_prepare(db, "SELECT id, basis, quantity, amount_fen, notice_date, due_date, paid_date, state "
			    "FROM disclosure_fees WHERE request_id = :id ORDER BY id");
	db_bind_int(st, "id", id);
	if ((rc = rows_json(st, fe, 8, &list)) != 0)
		goto fail;
	json_object_set_new(o, "fees", list);
	static const char *const re[] = {"id", "stage", "result", "filed_date", "decided_date", "authority", "case_ref", "note"};
	st = db_prepare(db, "SELECT id, stage, result, filed_date, decided_date, authority, case_ref, note "
			    "FROM disclosure_remedies WHERE request_id = :id ORDER BY id");
	db_bind_int(st, "id", id);
	if ((rc = rows_json(st, re, 8, &list)) != 0)
		goto fail;
	json_array_foreach(list, i, e) {
		set_label(e, "stage_label", disc_remedy_stage_label(disc_remedy_stage_find(json_string_value(json_object_get(e, "stage")))));
		set_label(e, "result_label", disc_remedy_result_label(disc_remedy_result_find(json_string_value(json_object_get(e, "result")))));
	}
	json_object_set_new(o, "remedies", list);
	/* electronic supervision's cards on the request's clock: for the organ and the centre, not the applicant */
	if (may_handle(db, actor, json_integer_value(json_object_get(o, "dept_id")))) {
		if ((rc = supervision_request_cards_json(db, id, &list)) != 0)
			goto fail;
		json_object_set_new(o, "cards", list);
	}
	if ((rc = request_actions(db, actor, o, &list)) != 0)
		goto fail;
	json_object_set_new(o, "actions", list);
	*out = o;
	return 0;
fail:
	json_decref(o);
	return rc;
}

/* ---- the steps of a request ---- */

static int set_state(db_t *db, int64_t id, const char *from, const char *to)
{
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_requests SET state = :to WHERE id = :id AND state = :from");
	db_bind_text(st, "to", to);
	db_bind_int(st, "id", id);
	db_bind_text(st, "from", from);
	int rc = db_run(st);
	return rc ? rc : db_changes(st) == 1 ? 0 : YW_ECONFLICT;
}

/* Closes an open pause: its working days (capped for a consultation) join paused_workdays. */
static int close_pause(db_t *db, const calendar_t *cal, const req_row_t *r, yw_date_t end, int cap)
{
	yw_date_t from;
	int n = 0;
	int rc = parse_day(r->pause_from, &from);
	if (rc == 0)
		rc = disc_pause_workdays(cal, from, end, cap, &n, NULL);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_requests SET paused_workdays = paused_workdays + :n, "
				       "pause_from = NULL WHERE id = :id");
	db_bind_int(st, "n", n);
	db_bind_int(st, "id", r->id);
	return db_run(st);
}

/* Marks the request replied with result on day `day`. */
static int close_request(db_t *db, int64_t id, const char *result, yw_date_t day, const char *note, bool on_spot)
{
	char dbuf[11];
	fmt_day(day, dbuf);
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_requests SET state = 'replied', result = :result, reply_date = :day, "
				       "reply_note = :note, on_spot = :spot, pause_from = NULL WHERE id = :id AND state <> 'replied'");
	db_bind_text(st, "result", result);
	db_bind_text(st, "day", dbuf);
	db_bind_text(st, "note", note);
	db_bind_int(st, "spot", on_spot ? 1 : 0);
	db_bind_int(st, "id", id);
	int rc = db_run(st);
	return rc ? rc : db_changes(st) == 1 ? 0 : YW_ECONFLICT;
}

static bool state_is(const req_row_t *r, const char *s)
{
	return strcmp(r->state, s) == 0;
}

/* The validated body of a step. */
typedef struct step_in {
	yw_date_t day;
	const char *note, *reason, *approver, *third_party, *contact, *opinion, *basis, *result, *content;
	int64_t days, quantity, before;
	json_t *items;
	bool on_spot;
} step_in_t;

static void read_step(vctx_t *v, json_t *in, enum disc_req_step s, const req_row_t *r, yw_date_t today, step_in_t *p)
{
	yw_date_t received = 0, start = 0, pause = 0;
	parse_day(r->received, &received);
	parse_day(r->clock_start, &start);
	parse_day(r->pause_from, &pause);
	const char *future = "日期不能晚于今天";
	switch (s) {
	case DRQ_CORRECTION: {
		p->items = v_array(v, in, "items", true);
		size_t n = json_array_size(p->items);
		if (p->items && (n < 1 || n > 20))
			v_error(v, "items", "须一次性列明全部需要补正的事项（1至20项）");
		size_t i;
		json_t *it;
		json_array_foreach(p->items, i, it) {
			const char *t = json_string_value(it);
			if (!t || !*t || utf8_chars(t) > 300) {
				char field[32];
				snprintf(field, sizeof field, "items[%zu]", i);
				v_error(v, field, "应为1至300字的补正事项");
			}
		}
		p->days = v_int(v, in, "due_workdays", 1, DISC_CORRECTION_MAX_WORKDAYS, false, DISC_CORRECTION_DEFAULT_WORKDAYS);
		p->note = v_str(v, in, "note", 0, 1000);
		p->day = v_day(v, in, "notice_date", false, today, received, "告知日期不能早于收到申请之日", today, future);
		break;
	}
	case DRQ_CORRECTED:
		p->content = v_str(v, in, "content", 0, 2000);
		p->day = v_day(v, in, "received_date", false, today, received, "补正日期不能早于收到申请之日", today, future);
		break;
	case DRQ_CONSULT:
		p->third_party = v_str(v, in, "third_party", 1, 100);
		p->contact = v_str(v, in, "contact", 0, 100);
		p->day = v_day(v, in, "sent_date", false, today, start, "征求意见日期不能早于答复期限起算之日", today, future);
		break;
	case DRQ_ANSWER:
		p->opinion = v_str(v, in, "opinion", 1, 16);
		if (*p->opinion && strcmp(p->opinion, "agree") && strcmp(p->opinion, "object") && strcmp(p->opinion, "no_reply"))
			v_error(v, "opinion", "应为 agree（同意公开）、object（不同意公开）或 no_reply（逾期未答复）");
		p->note = v_str(v, in, "note", 0, 1000);
		p->day = v_day(v, in, "answered_date", false, today, pause, "答复日期不能早于征求意见之日", today, future);
		break;
	case DRQ_EXTEND:
		p->days = v_int(v, in, "days", 1, DISC_EXTENSION_MAX_WORKDAYS, true, 0);
		p->reason = v_str(v, in, "reason", 1, 500);
		p->approver = v_str(v, in, "approver", 1, 50);
		p->day = v_day(v, in, "notice_date", false, today, start, "告知日期不能早于答复期限起算之日", today, future);
		break;
	case DRQ_FEE:
		p->basis = v_str(v, in, "basis", 1, 8);
		if (*p->basis && strcmp(p->basis, "item") && strcmp(p->basis, "page"))
			v_error(v, "basis", "应为 item（按件计收）或 page（按量计收），二者不得同时适用");
		p->quantity = v_int(v, in, "quantity", 1, 100000, true, 0);
		p->before = v_int(v, in, "items_before", 0, 100000, false, 0);
		if (p->before && strcmp(p->basis, "page") == 0)
			v_error(v, "items_before", "按量计收时不计本月此前的申请件数");
		p->day = v_day(v, in, "notice_date", false, today, start, "收费通知日期不能早于答复期限起算之日", today, future);
		break;
	case DRQ_PAID:
		p->day = v_day(v, in, "paid_date", false, today, pause, "缴费日期不能早于收费通知之日", today, future);
		break;
	case DRQ_REPLY:
		p->result = v_code(v, in, "result", true, "", find_result, "应为答复结果代码之一（见 docs/api.md）");
		p->note = v_str(v, in, "note", strcmp(p->result, "other") == 0 ? 1 : 0, 5000);
		p->on_spot = v_bool(v, in, "on_spot", false);
		p->day = v_day(v, in, "reply_date", false, today, start, "答复日期不能早于答复期限起算之日", today, future);
		break;
	case DRQ_WITHDRAW:
		p->reason = v_str(v, in, "reason", 0, 500);
		p->day = v_day(v, in, "date", false, today, received, "撤回日期不能早于收到申请之日", today, future);
		break;
	}
}

static int open_consultations(db_t *db, int64_t id, int64_t *n, char last[11])
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n, COALESCE(MAX(answered_date), '') AS last "
				       "FROM disclosure_consultations WHERE request_id = :id AND answered_date IS NULL");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	*n = db_col_int(st, 0);
	db_reset(st);
	st = db_prepare(db, "SELECT COALESCE(MAX(answered_date), '') AS last FROM disclosure_consultations "
			    "WHERE request_id = :id");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return rc;
	snprintf(last, 11, "%s", db_col_text(st, 0));
	db_reset(st);
	return 0;
}

static int step_correction(db_t *db, const auth_user_t *actor, const calendar_t *cal, const req_row_t *r,
			   const step_in_t *p, const char **why)
{
	if (!state_is(r, "processing")) {
		*why = "只有办理中的申请可以告知补正";
		return YW_ECONFLICT;
	}
	if (r->corrections > 0) {
		*why = "补正只能告知一次，须一次性告知申请人需要补正的全部事项";
		return YW_ECONFLICT;
	}
	yw_date_t received, last, due;
	int rc = parse_day(r->received, &received);
	if (!rc)
		rc = disc_correction_notice_deadline(cal, received, &last, NULL);
	if (!rc && p->day > last) {
		*why = "补正告知应当自收到申请之日起7个工作日内发出，已超过期限";
		return YW_ECONFLICT;
	}
	if (!rc)
		rc = disc_correction_due(cal, p->day, (int)p->days, &due, NULL);
	if (rc)
		return rc;
	char nbuf[11], dbuf[11];
	fmt_day(p->day, nbuf);
	fmt_day(due, dbuf);
	char *items = json_dumps(p->items, JSON_COMPACT);
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_corrections(request_id, items, notice_date, due_date) "
				       "VALUES (:id, :items, :notice, :due) RETURNING id");
	db_bind_int(st, "id", r->id);
	db_bind_text(st, "items", items);
	db_bind_text(st, "notice", nbuf);
	db_bind_text(st, "due", dbuf);
	free(items);
	if ((rc = db_one(st)) != 0)
		return rc;
	int64_t cid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, actor, "disclosure.correction.create", "disclosure_corrections", cid)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE disclosure_requests SET corrections = corrections + 1, correction_due = :due WHERE id = :id");
	db_bind_text(st, "due", dbuf);
	db_bind_int(st, "id", r->id);
	if ((rc = db_run(st)) != 0 || (rc = set_state(db, r->id, "processing", "correction")) != 0)
		return rc;
	json_t *data = json_pack("{s:O, s:s}", "items", p->items, "due_date", dbuf);
	rc = add_event(db, actor, r->id, "correction", "processing", "correction", p->day, p->note, data);
	json_decref(data);
	return rc;
}

/* Runs st, an UPDATE ... RETURNING id of the step's own record, and audits it as action on table:
 * 0; YW_ECONFLICT (why = missing) when no row matched (the step's day out of its bounds). */
static int update_audited(db_t *db, const auth_user_t *actor, db_stmt_t *st, const char *action, const char *table,
			  const char **why, const char *missing)
{
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND) {
		*why = missing;
		return YW_ECONFLICT;
	}
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, actor, action, table, id);
}

static int step_corrected(db_t *db, const auth_user_t *actor, const req_row_t *r, const step_in_t *p, const char **why)
{
	if (!state_is(r, "correction")) {
		*why = "该申请不在待补正状态";
		return YW_ECONFLICT;
	}
	yw_date_t due;
	if (parse_day(r->correction_due, &due) == 0 && p->day > due) {
		*why = "补正期限已过，申请按逾期不补正处理";
		return YW_ECONFLICT;
	}
	char dbuf[11];
	fmt_day(p->day, dbuf);
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_corrections SET received_date = :day, content = :content "
				       "WHERE request_id = :id AND received_date IS NULL AND notice_date <= :day RETURNING id");
	db_bind_text(st, "day", dbuf);
	db_bind_text(st, "content", p->content);
	db_bind_int(st, "id", r->id);
	int rc = update_audited(db, actor, st, "disclosure.correction.received", "disclosure_corrections", why,
				"补正日期不能早于补正告知之日");
	if (rc)
		return rc;
	/* the 20 working days restart from receipt of the corrected request */
	st = db_prepare(db, "UPDATE disclosure_requests SET clock_start = :day, extension_days = 0, extension_date = NULL, "
			    "paused_workdays = 0, pause_from = NULL WHERE id = :id");
	db_bind_text(st, "day", dbuf);
	db_bind_int(st, "id", r->id);
	if ((rc = db_run(st)) != 0 || (rc = set_state(db, r->id, "correction", "processing")) != 0)
		return rc;
	return add_event(db, actor, r->id, "corrected", "correction", "processing", p->day, p->content, NULL);
}

static int step_consult(db_t *db, const auth_user_t *actor, const calendar_t *cal, const req_row_t *r,
			const step_in_t *p, const char **why)
{
	if (!state_is(r, "processing") && !state_is(r, "consulting")) {
		*why = "只有办理中的申请可以征求第三方意见";
		return YW_ECONFLICT;
	}
	yw_date_t due;
	int rc = disc_consult_due(cal, p->day, &due, NULL);
	if (rc)
		return rc;
	char sbuf[11], dbuf[11];
	fmt_day(p->day, sbuf);
	fmt_day(due, dbuf);
	if (state_is(r, "consulting") && strcmp(sbuf, r->pause_from) < 0) {
		*why = "征求意见日期不能早于本次征求意见开始之日";
		return YW_ECONFLICT;
	}
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_consultations(request_id, third_party, contact, sent_date, "
				       "due_date) VALUES (:id, :party, :contact, :sent, :due) RETURNING id");
	db_bind_int(st, "id", r->id);
	db_bind_text(st, "party", p->third_party);
	db_bind_text(st, "contact", p->contact);
	db_bind_text(st, "sent", sbuf);
	db_bind_text(st, "due", dbuf);
	if ((rc = db_one(st)) != 0)
		return rc;
	int64_t cid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, actor, "disclosure.consultation.create", "disclosure_consultations", cid)) != 0)
		return rc;
	if (state_is(r, "processing")) {
		/* the clock pauses from the day the third party is asked */
		st = db_prepare(db, "UPDATE disclosure_requests SET pause_from = :sent WHERE id = :id");
		db_bind_text(st, "sent", sbuf);
		db_bind_int(st, "id", r->id);
		if ((rc = db_run(st)) != 0 || (rc = set_state(db, r->id, "processing", "consulting")) != 0)
			return rc;
	}
	json_t *data = json_pack("{s:I, s:s, s:s}", "consultation_id", (json_int_t)cid, "third_party", p->third_party,
				 "due_date", dbuf);
	rc = add_event(db, actor, r->id, "consult", r->state, "consulting", p->day, "", data);
	json_decref(data);
	return rc;
}

static int step_answer(db_t *db, const auth_user_t *actor, const calendar_t *cal, const req_row_t *r, int64_t cid,
		       const step_in_t *p, const char **why)
{
	if (!state_is(r, "consulting")) {
		*why = "该申请不在征求第三方意见状态";
		return YW_ECONFLICT;
	}
	db_stmt_t *st = db_prepare(db, "SELECT sent_date, due_date, COALESCE(answered_date, '') FROM disclosure_consultations "
				       "WHERE id = :cid AND request_id = :id");
	db_bind_int(st, "cid", cid);
	db_bind_int(st, "id", r->id);
	int rc = db_one(st);
	if (rc)
		return rc;
	char sent[11], due[11];
	snprintf(sent, sizeof sent, "%s", db_col_text(st, 0));
	snprintf(due, sizeof due, "%s", db_col_text(st, 1));
	bool answered = *db_col_text(st, 2) != 0;
	db_reset(st);
	char abuf[11];
	fmt_day(p->day, abuf);
	if (answered) {
		*why = "该第三方的意见已经记录";
		return YW_ECONFLICT;
	}
	if (strcmp(abuf, sent) < 0) {
		*why = "答复日期不能早于征求意见之日";
		return YW_ECONFLICT;
	}
	if (strcmp(p->opinion, "no_reply") == 0 && strcmp(abuf, due) <= 0) {
		*why = "第三方答复期限（15个工作日）届满后才能记录为逾期未答复";
		return YW_ECONFLICT;
	}
	st = db_prepare(db, "UPDATE disclosure_consultations SET answered_date = :day, opinion = :opinion, note = :note "
			    "WHERE id = :cid AND answered_date IS NULL");
	db_bind_text(st, "day", abuf);
	db_bind_text(st, "opinion", p->opinion);
	db_bind_text(st, "note", p->note);
	db_bind_int(st, "cid", cid);
	if ((rc = db_run(st)) == 0 && db_changes(st) != 1) {
		*why = "该第三方的意见已经记录";
		return YW_ECONFLICT;
	}
	if (rc ||
	    (rc = audit_record_id(db, actor, "disclosure.consultation.answer", "disclosure_consultations", cid)) != 0)
		return rc;
	int64_t open = 0;
	char last[11];
	if ((rc = open_consultations(db, r->id, &open, last)) != 0)
		return rc;
	const char *to = "consulting";
	if (open == 0) {
		/* every third party has answered: the clock runs again; the time not counted is the
		 * consultation's, at most 15 working days */
		yw_date_t end;
		if ((rc = parse_day(last, &end)) != 0 || (rc = close_pause(db, cal, r, end, DISC_CONSULT_WORKDAYS)) != 0 ||
		    (rc = set_state(db, r->id, "consulting", "processing")) != 0)
			return rc;
		to = "processing";
	}
	json_t *data = json_pack("{s:I, s:s}", "consultation_id", (json_int_t)cid, "opinion", p->opinion);
	rc = add_event(db, actor, r->id, "consult_answer", "consulting", to, p->day, p->note, data);
	json_decref(data);
	return rc;
}

static int step_extend(db_t *db, const auth_user_t *actor, const req_row_t *r, const step_in_t *p, const char **why)
{
	if (!state_is(r, "processing") && !state_is(r, "consulting")) {
		*why = "只有办理中的申请可以延期答复";
		return YW_ECONFLICT;
	}
	if (r->extension > 0) {
		*why = "答复期限只能延长一次";
		return YW_ECONFLICT;
	}
	char nbuf[11];
	fmt_day(p->day, nbuf);
	if (strcmp(nbuf, r->due) > 0) {
		*why = "答复期限已届满，不能再延期";
		return YW_ECONFLICT;
	}
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_requests SET extension_days = :days, extension_date = :day "
				       "WHERE id = :id AND extension_days = 0");
	db_bind_int(st, "days", p->days);
	db_bind_text(st, "day", nbuf);
	db_bind_int(st, "id", r->id);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) != 1) {
		*why = "答复期限只能延长一次";
		return YW_ECONFLICT; /* extended at the same moment by another server */
	}
	json_t *data = json_pack("{s:I, s:s, s:s}", "days", (json_int_t)p->days, "reason", p->reason, "approver", p->approver);
	rc = add_event(db, actor, r->id, "extend", r->state, r->state, p->day, p->reason, data);
	json_decref(data);
	return rc;
}

static int step_fee(db_t *db, const auth_user_t *actor, const calendar_t *cal, const req_row_t *r, const step_in_t *p,
		    const char **why)
{
	if (!state_is(r, "processing")) {
		*why = "只有办理中的申请可以发出收费通知";
		return YW_ECONFLICT;
	}
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n FROM disclosure_fees WHERE request_id = :id");
	db_bind_int(st, "id", r->id);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t fees = db_col_int(st, 0);
	db_reset(st);
	if (fees > 0) {
		*why = "同一申请只能收费一次，按件或按量计收不得同时适用";
		return YW_ECONFLICT;
	}
	bool item = strcmp(p->basis, "item") == 0;
	int64_t fen = disc_fee_fen(item ? DISC_FEE_ITEM : DISC_FEE_PAGE, p->before, p->quantity);
	if (fen <= 0) {
		*why = item ? "本月申请件数未超过10件，不得收费" : "信息页数未超过30页，不得收费";
		return YW_ECONFLICT;
	}
	yw_date_t due;
	if ((rc = disc_fee_due(cal, p->day, &due, NULL)) != 0)
		return rc;
	char nbuf[11], dbuf[11];
	fmt_day(p->day, nbuf);
	fmt_day(due, dbuf);
	st = db_prepare(db, "INSERT INTO disclosure_fees(request_id, basis, quantity, amount_fen, notice_date, due_date, state) "
			    "VALUES (:id, :basis, :qty, :fen, :notice, :due, 'notified') RETURNING id");
	db_bind_int(st, "id", r->id);
	db_bind_text(st, "basis", p->basis);
	db_bind_int(st, "qty", p->before + p->quantity);
	db_bind_int(st, "fen", fen);
	db_bind_text(st, "notice", nbuf);
	db_bind_text(st, "due", dbuf);
	if ((rc = db_one(st)) != 0)
		return rc;
	int64_t fid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, actor, "disclosure.fee.create", "disclosure_fees", fid)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE disclosure_requests SET pause_from = :notice WHERE id = :id");
	db_bind_text(st, "notice", nbuf);
	db_bind_int(st, "id", r->id);
	if ((rc = db_run(st)) != 0 || (rc = set_state(db, r->id, "processing", "fee")) != 0)
		return rc;
	json_t *data = json_pack("{s:s, s:I, s:I, s:s}", "basis", p->basis, "quantity", (json_int_t)p->quantity,
				 "amount_fen", (json_int_t)fen, "due_date", dbuf);
	rc = add_event(db, actor, r->id, "fee", "processing", "fee", p->day, "", data);
	json_decref(data);
	return rc;
}

static int step_paid(db_t *db, const auth_user_t *actor, const calendar_t *cal, const req_row_t *r, const step_in_t *p,
		     const char **why)
{
	if (!state_is(r, "fee")) {
		*why = "该申请不在待缴费状态";
		return YW_ECONFLICT;
	}
	char pbuf[11];
	fmt_day(p->day, pbuf);
	db_stmt_t *st = db_prepare(db, "UPDATE disclosure_fees SET state = 'paid', paid_date = :day WHERE request_id = :id "
				       "AND state = 'notified' AND due_date >= :day AND notice_date <= :day RETURNING id");
	db_bind_text(st, "day", pbuf);
	db_bind_int(st, "id", r->id);
	int rc = update_audited(db, actor, st, "disclosure.fee.paid", "disclosure_fees", why,
				"缴费日期不在收费通知之日至缴费期限之间");
	if (rc || (rc = close_pause(db, cal, r, p->day, 0)) != 0 || (rc = set_state(db, r->id, "fee", "processing")) != 0)
		return rc;
	return add_event(db, actor, r->id, "fee_paid", "fee", "processing", p->day, "", NULL);
}

/* Whether the reply p may be given now (the reply step and its preview): 0, or YW_ECONFLICT (why). */
static int reply_allowed(const req_row_t *r, const step_in_t *p, const char **why)
{
	if (!state_is(r, "processing")) {
		*why = state_is(r, "consulting")	 ? "征求第三方意见尚未结束，不能答复"
		       : state_is(r, "correction") ? "申请待补正，不能答复"
		       : state_is(r, "fee")	 ? "申请待缴费，不能答复"
						 : "该申请已经答复";
		return YW_ECONFLICT;
	}
	if (strcmp(p->result, "other_no_correction") == 0 || strcmp(p->result, "other_no_fee") == 0) {
		*why = "逾期不补正、逾期不缴费由系统在期限届满后办结";
		return YW_ECONFLICT;
	}
	char dbuf[11];
	fmt_day(p->day, dbuf);
	if (p->on_spot && (strcmp(dbuf, r->received) != 0 || r->corrections || r->extension || r->paused)) {
		*why = "当场答复须在收到申请当日作出，且未经补正、延期或征求意见";
		return YW_ECONFLICT;
	}
	return 0;
}

static int step_reply(db_t *db, const auth_user_t *actor, const req_row_t *r, const step_in_t *p, const char **why)
{
	int rc = reply_allowed(r, p, why);
	if (rc)
		return rc;
	char dbuf[11];
	fmt_day(p->day, dbuf);
	rc = close_request(db, r->id, p->result, p->day, p->note, p->on_spot);
	if (rc)
		return rc;
	json_t *data = json_pack("{s:s, s:b, s:b}", "result", p->result, "on_spot", p->on_spot, "late",
				 strcmp(dbuf, r->due) > 0);
	rc = add_event(db, actor, r->id, "reply", "processing", "replied", p->day, p->note, data);
	json_decref(data);
	(void)why;
	return rc;
}

static int step_withdraw(db_t *db, const auth_user_t *actor, const req_row_t *r, const step_in_t *p, const char **why)
{
	if (state_is(r, "replied")) {
		*why = "该申请已经办结";
		return YW_ECONFLICT;
	}
	char note[700];
	snprintf(note, sizeof note, "申请人撤回申请%s%s", *p->reason ? "：" : "", p->reason);
	int rc = close_request(db, r->id, "other", p->day, note, false);
	if (rc)
		return rc;
	/* an unpaid fee notice and an open consultation end with the request */
	return add_event(db, actor, r->id, "withdraw", r->state, "replied", p->day, note, NULL);
}

static const char *const step_names[] = {
	[DRQ_CORRECTION] = "correction", [DRQ_CORRECTED] = "corrected", [DRQ_CONSULT] = "consult",
	[DRQ_ANSWER] = "consult_answer",  [DRQ_EXTEND] = "extend",       [DRQ_FEE] = "fee",
	[DRQ_PAID] = "fee_paid",          [DRQ_REPLY] = "reply",         [DRQ_WITHDRAW] = "withdraw"};

/* Loads request id and reads step s's body into p: 0; YW_EFORBIDDEN (why) for who may not take it;
 * YW_EINVAL (v) for bad input, a day before the step it follows among them. */
static int step_input(db_t *db, const auth_user_t *actor, int64_t id, enum disc_req_step s, json_t *in, vctx_t *v,
		      const char **why, req_row_t *rp, step_in_t *pp, yw_date_t today)
{
	req_row_t r;
	int rc = load_req(db, actor, id, &r);
	if (rc)
		return rc;
	/* the applicant corrects and withdraws their own request; every other step is the organ's */
	bool organ = may_handle(db, actor, r.dept_id);
	bool applicant = is_citizen(actor) && r.applicant_id == actor->id;
	if (!organ && !(applicant && (s == DRQ_CORRECTED || s == DRQ_WITHDRAW))) {
		*why = "只有受理机关的信息公开工作人员可以办理";
		return YW_EFORBIDDEN;
	}
	step_in_t p = {0};
	read_step(v, in, s, &r, today, &p);
	/* a step is not dated before the step it follows (paper records are entered afterwards) */
	static const char *const day_field[] = {
		[DRQ_CORRECTION] = "notice_date", [DRQ_CORRECTED] = "received_date", [DRQ_CONSULT] = "sent_date",
		[DRQ_ANSWER] = "answered_date",   [DRQ_EXTEND] = "notice_date",      [DRQ_FEE] = "notice_date",
		[DRQ_PAID] = "paid_date",         [DRQ_REPLY] = "reply_date",        [DRQ_WITHDRAW] = "date"};
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(MAX(day), '') AS last FROM disclosure_request_events "
				       "WHERE request_id = :id AND action <> 'signal'");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return rc;
	yw_date_t last = 0;
	bool has_last = parse_day(db_col_text(st, 0), &last) == 0;
	db_reset(st);
	if (v_ok(v) && has_last && p.day < last) {
		char msg[96], lbuf[11];
		fmt_day(last, lbuf);
		snprintf(msg, sizeof msg, "日期不能早于上一办理环节（%s）", lbuf);
		v_error(v, day_field[s], msg);
	}
	if (applicant && !organ && json_object_get(in, s == DRQ_CORRECTED ? "received_date" : "date"))
		v_error(v, s == DRQ_CORRECTED ? "received_date" : "date", "网上提交以提交之日为准");
	/* a correction sent online restarts the 20 working days: it says what it corrects (the organ
	 * records a paper one as it came) */
	json_t *text = json_object_get(in, "content");
	if (s == DRQ_CORRECTED && applicant && !organ && !(json_is_string(text) && utf8_has_visible(json_string_value(text))) &&
	    !(text && !json_is_null(text) && !json_is_string(text)))
		v_error(v, "content", "请填写补正的内容");
	if (!v_ok(v))
		return YW_EINVAL;
	*rp = r;
	*pp = p;
	return 0;
}

int disclosure_request_act(db_t *db, const auth_user_t *actor, int64_t id, enum disc_req_step s, int64_t sub_id,
			   json_t *in, const calendar_t *cal, vctx_t *v, const char **why)
{
	yw_date_t today = today_of(yw_now());
	req_row_t r;
	step_in_t p;
	int rc = step_input(db, actor, id, s, in, v, why, &r, &p, today);
	if (rc)
		return rc;
	if (db_begin(db))
		return YW_EDB;
	switch (s) {
	case DRQ_CORRECTION: rc = step_correction(db, actor, cal, &r, &p, why); break;
	case DRQ_CORRECTED: rc = step_corrected(db, actor, &r, &p, why); break;
	case DRQ_CONSULT: rc = step_consult(db, actor, cal, &r, &p, why); break;
	case DRQ_ANSWER: rc = step_answer(db, actor, cal, &r, sub_id, &p, why); break;
	case DRQ_EXTEND: rc = step_extend(db, actor, &r, &p, why); break;
	case DRQ_FEE: rc = step_fee(db, actor, cal, &r, &p, why); break;
	case DRQ_PAID: rc = step_paid(db, actor, cal, &r, &p, why); break;
	case DRQ_REPLY: rc = step_reply(db, actor, &r, &p, why); break;
	case DRQ_WITHDRAW: rc = step_withdraw(db, actor, &r, &p, why); break;
	}
	if (!rc) {
		char action[48];
		snprintf(action, sizeof action, "disclosure.request.%s", step_names[s]);
		rc = reclock(db, actor, cal, id, today, action);
	}
	return commit_or_rollback(db, rc);
}

/* ---- letters ---- */

static int letter_of(db_t *db, const auth_user_t *actor, int64_t id, const char *kind, int64_t sub_id,
		     const step_in_t *reply, char **out);

int disclosure_request_letter(db_t *db, const auth_user_t *actor, int64_t id, const char *kind, int64_t sub_id,
			      char **out)
{
	return letter_of(db, actor, id, kind, sub_id, NULL, out);
}

int disclosure_reply_preview(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, const char **why,
			     char **out)
{
	req_row_t r;
	step_in_t p;
	int rc = step_input(db, actor, id, DRQ_REPLY, in, v, why, &r, &p, today_of(yw_now()));
	if (!rc)
		rc = reply_allowed(&r, &p, why);
	return rc ? rc : letter_of(db, actor, id, "reply", 0, &p, out);
}

/* The letter kind of request id; reply: the reply as it would be given (its preview), else the one given. */
static int letter_of(db_t *db, const auth_user_t *actor, int64_t id, const char *kind, int64_t sub_id,
		     const step_in_t *reply, char **out)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT r.request_no, dp.name, COALESCE(NULLIF(g.phone, ''), dp.phone), COALESCE(rg.name, ''), "
		    "r.applicant_name, r.channel, r.content, r.received_date, COALESCE(r.result, ''), r.reply_note, "
		    "COALESCE(r.reply_date, ''), r.on_spot, r.extension_days, COALESCE(r.extension_date, ''), r.due_date, r.state "
		    "FROM disclosure_requests r JOIN departments dp ON dp.id = r.dept_id "
		    "LEFT JOIN regions rg ON rg.code = dp.region_code LEFT JOIN disclosure_guides g ON g.dept_id = r.dept_id "
		    "WHERE r.id = :id AND " REQ_SCOPE);
	db_bind_int(st, "id", id);
	bind_scope(st, actor, true);
	int rc = db_one(st);
	if (rc)
		return rc;
	/* copies: the statement is reused below */
	enum { NF = 16 };
	char *f[NF];
	for (int k = 0; k < NF; k++)
		f[k] = strdup(db_col_text(st, k));
	db_reset(st);
	disc_letter_t L = {.kind = kind, .request_no = f[0], .organ = f[1], .organ_phone = f[2], .region_name = f[3],
			   .applicant_name = f[4], .content = f[6], .received_date = f[7], .result = f[8],
			   .reply_note = f[9], .reply_date = f[10], .on_spot = atoi(f[11]), .extension_days = atoi(f[12]),
			   .extension_date = f[13], .due_date = f[14]};
	L.channel_label = disc_channel_label(disc_channel_find(f[5]));
	json_t *items = NULL, *data = NULL;
	char a[4][16] = {{0}}, party[404] = "";
	rc = 0;
	/* a consultation letter is the organ's, never the applicant's to read */
	if (strcmp(kind, "consult") == 0 && is_citizen(actor))
		rc = YW_EFORBIDDEN;
	else if (strcmp(kind, "reply") == 0 && reply) {
		fmt_day(reply->day, a[0]);
		L.result = reply->result;
		L.reply_note = reply->note;
		L.reply_date = a[0];
		L.on_spot = reply->on_spot;
	} else if (strcmp(kind, "reply") == 0) {
		if (strcmp(f[15], "replied") != 0)
			rc = YW_ECONFLICT;
	} else if (strcmp(kind, "correction") == 0) {
		st = db_prepare(db, "SELECT items, notice_date, due_date FROM disclosure_corrections WHERE request_id = :id");
		db_bind_int(st, "id", id);
		if ((rc = db_one(st)) == 0) {
			items = json_loads(db_col_text(st, 0), 0, NULL);
			snprintf(a[0], sizeof a[0], "%s", db_col_text(st, 1));
			snprintf(a[1], sizeof a[1], "%s", db_col_text(st, 2));
			db_reset(st);
		}
		L.notice_date = a[0];
		L.correction_due = a[1];
	} else if (strcmp(kind, "extension") == 0) {
		if (!L.extension_days) {
			rc = YW_ECONFLICT;
		} else {
			st = db_prepare(db, "SELECT data FROM disclosure_request_events WHERE request_id = :id "
					    "AND action = 'extend' ORDER BY id DESC LIMIT 1");
			db_bind_int(st, "id", id);
			if ((rc = db_one(st)) == 0) {
				data = json_loads(db_col_text(st, 0), 0, NULL);
				db_reset(st);
			}
			L.extension_reason = json_string_value(json_object_get(data, "reason"));
		}
	} else if (strcmp(kind, "consult") == 0) {
		st = db_prepare(db, "SELECT third_party, sent_date, due_date FROM disclosure_consultations "
				    "WHERE request_id = :id AND (id = :cid OR :cid = 0) ORDER BY id DESC LIMIT 1");
		db_bind_int(st, "id", id);
		db_bind_int(st, "cid", sub_id);
		if ((rc = db_one(st)) == 0) {
			snprintf(party, sizeof party, "%s", db_col_text(st, 0));
			snprintf(a[0], sizeof a[0], "%s", db_col_text(st, 1));
			snprintf(a[1], sizeof a[1], "%s", db_col_text(st, 2));
			db_reset(st);
		}
		L.third_party = party;
		L.consult_sent = a[0];
		L.consult_due = a[1];
	} else if (strcmp(kind, "fee") == 0) {
		st = db_prepare(db, "SELECT basis, quantity, amount_fen, notice_date, due_date FROM disclosure_fees "
				    "WHERE request_id = :id ORDER BY id DESC LIMIT 1");
		db_bind_int(st, "id", id);
		if ((rc = db_one(st)) == 0) {
			snprintf(a[0], sizeof a[0], "%s", db_col_text(st, 0));
			L.fee_quantity = db_col_int(st, 1);
			L.fee_fen = db_col_int(st, 2);
			snprintf(a[1], sizeof a[1], "%s", db_col_text(st, 3));
			snprintf(a[2], sizeof a[2], "%s", db_col_text(st, 4));
			db_reset(st);
		}
		L.fee_basis = a[0];
		L.fee_notice = a[1];
		L.fee_due = a[2];
	} else {
		rc = YW_EINVAL;
	}
	if (rc == YW_ENOTFOUND)
		rc = YW_ECONFLICT; /* no such step was taken: no such letter */
	const char *list[20];
	size_t n = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		if (n < 20)
			list[n++] = json_string_value(it);
	}
	L.items = list;
	L.n_items = n;
	if (!rc) {
		*out = disclosure_letter_html(&L);
		if (!*out)
			rc = YW_EINVAL;
	}
	json_decref(items);
	json_decref(data);
	for (int k = 0; k < NF; k++)
		free(f[k]);
	return rc;
}

/* ---- remedies ---- */

int disclosure_remedy_create(db_t *db, const auth_user_t *actor, int64_t request_id, json_t *in, vctx_t *v,
			     int64_t *id_out)
{
	req_row_t r;
	int rc = load_req(db, actor, request_id, &r);
	if (rc)
		return rc;
	if (!may_handle(db, actor, r.dept_id))
		return YW_EFORBIDDEN;
	yw_date_t today = today_of(yw_now()), reply = 0;
	parse_day(r.received, &reply);
	const char *stage = v_code(v, in, "stage", true, "", find_remedy_stage,
				   "应为 reconsideration（行政复议）、suit_direct（未经复议直接起诉）或 suit_after（复议后起诉）");
	const char *result = v_code(v, in, "result", false, "pending", find_remedy_result,
				    "应为 upheld（维持）、corrected（纠正）、other（其他）或 pending（尚未审结）");
	yw_date_t filed = v_day(v, in, "filed_date", true, 0, reply, "申请或起诉日期不能早于收到申请之日", today, "日期不能晚于今天");
	bool pending = strcmp(result, "pending") == 0;
	json_t *dd = json_object_get(in, "decided_date");
	yw_date_t decided = 0;
	if (pending && dd && !json_is_null(dd))
		v_error(v, "decided_date", "尚未审结时不应填写审结日期");
	else if (!pending)
		decided = v_day(v, in, "decided_date", true, 0, filed ? filed : reply, "审结日期不能早于申请或起诉日期", today,
				"日期不能晚于今天");
	const char *authority = v_str(v, in, "authority", 0, 100);
	const char *case_ref = v_str(v, in, "case_ref", 0, 100);
	const char *note = v_str(v, in, "note", 0, 1000);
	if (!v_ok(v))
		return YW_EINVAL;
	if (strcmp(r.state, "replied") != 0)
		return YW_ECONFLICT;
	char fbuf[11], dbuf[11];
	fmt_day(filed, fbuf);
	if (decided)
		fmt_day(decided, dbuf);
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_remedies(request_id, stage, result, filed_date, decided_date, "
				       "authority, case_ref, note, created_by, created_at) VALUES (:id, :stage, :result, :filed, "
				       ":decided, :authority, :case_ref, :note, :by, :now) RETURNING id");
	db_bind_int(st, "id", request_id);
	db_bind_text(st, "stage", stage);
	db_bind_text(st, "result", result);
	db_bind_text(st, "filed", fbuf);
	db_bind_text(st, "decided", decided ? dbuf : NULL);
	db_bind_text(st, "authority", authority);
	db_bind_text(st, "case_ref", case_ref);
	db_bind_text(st, "note", note);
	db_bind_int(st, "by", actor->id);
	db_bind_int(st, "now", yw_now());
	if ((rc = db_one(st)) == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, actor, "disclosure.remedy.create", "disclosure_remedies", *id_out);
	}
	return commit_or_rollback(db, rc);
}

int disclosure_remedy_update(db_t *db, const auth_user_t *actor, int64_t request_id, int64_t id, json_t *in, vctx_t *v)
{
	req_row_t r;
	int rc = load_req(db, actor, request_id, &r);
	if (rc)
		return rc;
	if (!may_handle(db, actor, r.dept_id))
		return YW_EFORBIDDEN;
	db_stmt_t *st = db_prepare(db, "SELECT filed_date, result FROM disclosure_remedies WHERE id = :rid AND request_id = :id");
	db_bind_int(st, "rid", id);
	db_bind_int(st, "id", request_id);
	if ((rc = db_one(st)) != 0)
		return rc;
	yw_date_t filed = 0;
	parse_day(db_col_text(st, 0), &filed);
	bool was_pending = strcmp(db_col_text(st, 1), "pending") == 0;
	db_reset(st);
	yw_date_t today = today_of(yw_now());
	const char *result = v_code(v, in, "result", true, "", find_remedy_result,
				    "应为 upheld（维持）、corrected（纠正）、other（其他）或 pending（尚未审结）");
	bool pending = strcmp(result, "pending") == 0;
	yw_date_t decided = 0;
	if (!pending)
		decided = v_day(v, in, "decided_date", true, 0, filed, "审结日期不能早于申请或起诉日期", today, "日期不能晚于今天");
	else if (json_object_get(in, "decided_date") && !json_is_null(json_object_get(in, "decided_date")))
		v_error(v, "decided_date", "尚未审结时不应填写审结日期");
	const char *note = v_str(v, in, "note", 0, 1000);
	if (!v_ok(v))
		return YW_EINVAL;
	if (!was_pending)
		return YW_ECONFLICT; /* a decided remedy's result is recorded once */
	char dbuf[11];
	if (decided)
		fmt_day(decided, dbuf);
	if (db_begin(db))
		return YW_EDB;
	st = db_prepare(db, "UPDATE disclosure_remedies SET result = :result, decided_date = :decided, "
			    "note = CASE WHEN :note = '' THEN note ELSE :note END WHERE id = :rid AND result = 'pending'");
	db_bind_text(st, "result", result);
	db_bind_text(st, "decided", decided ? dbuf : NULL);
	db_bind_text(st, "note", note);
	db_bind_int(st, "rid", id);
	rc = db_run(st);
	if (!rc && db_changes(st) != 1)
		rc = YW_ECONFLICT;
	if (!rc)
		rc = audit_record_id(db, actor, "disclosure.remedy.update", "disclosure_remedies", id);
	return commit_or_rollback(db, rc);
}

/* ---- table 二's figures ---- */

int disclosure_figures_put(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v)
{
	int64_t dept = v_int(v, in, "dept_id", 1, INT64_MAX, !is_officer(actor), is_officer(actor) ? actor->dept_id : 0);
	int64_t year = v_int(v, in, "year", 2000, DATE_YEAR_MAX, true, 0);
	json_t *figs = json_object_get(in, "figures");
	if (!json_is_object(figs) || json_object_size(figs) == 0)
		v_error(v, "figures", "须填写 penalty、coercion 或 fee_amount 中的数值");
	const char *key;
	json_t *val;
	json_object_foreach(figs, key, val) {
		char field[48];
		snprintf(field, sizeof field, "figures.%s", key);
		if (disc_figure_find(key) < 0)
			v_error(v, field, "应为 penalty、coercion 或 fee_amount");
		else if (!json_is_integer(val) || json_integer_value(val) < 0 || json_integer_value(val) > 100000000000LL)
			v_error(v, field, "应为非负整数（收费金额以分计）");
	}
	bool exists = false;
	int rc = dept ? dept_exists(db, dept, &exists) : 0;
	if (rc)
		return rc;
	if (dept && !exists)
		v_error(v, "dept_id", "机关不存在");
	if (!v_ok(v))
		return YW_EINVAL;
	if (!may_handle(db, actor, dept))
		return YW_EFORBIDDEN;
	if (db_begin(db))
		return YW_EDB;
	json_object_foreach(figs, key, val) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_figures(dept_id, year, figure, value, updated_by, updated_at) "
					       "VALUES (:dept, :year, :figure, :value, :by, :now) ON CONFLICT(dept_id, year, figure) "
					       "DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, "
					       "updated_at = excluded.updated_at RETURNING id");
		db_bind_int(st, "dept", dept);
		db_bind_int(st, "year", year);
		db_bind_text(st, "figure", key);
		db_bind_int(st, "value", json_integer_value(val));
		db_bind_int(st, "by", actor->id);
		db_bind_int(st, "now", yw_now());
		if ((rc = db_one(st)) != 0)
			break;
		int64_t fid = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(db, actor, "disclosure.figure.put", "disclosure_figures", fid)) != 0)
			break;
	}
	return commit_or_rollback(db, rc);
}

int disclosure_figures_get(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, json_t **out)
{
	if (!may_handle(db, actor, dept_id))
		return YW_EFORBIDDEN;
	db_stmt_t *st = db_prepare(db, "SELECT figure, value FROM disclosure_figures WHERE dept_id = :dept AND year = :year");
	db_bind_int(st, "dept", dept_id);
	db_bind_int(st, "year", year);
	json_t *figs = json_object();
	for (int k = 0; k < DF_COUNT; k++)
		json_object_set_new(figs, disc_figure_code(k), json_null());
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(figs, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
	if (rc < 0) {
		json_decref(figs);
		return rc;
	}
	*out = json_pack("{s:I, s:i, s:o}", "dept_id", (json_int_t)dept_id, "year", year, "figures", figs);
	return 0;
}

/* ---- the background job ---- */

/* The ids a statement returns (one text parameter :today). */
static int ids_of(db_stmt_t *st, int64_t **ids, size_t *n)
{
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap = cap ? cap * 2 : 16) * sizeof **ids);
		(*ids)[(*n)++] = db_col_int(st, 0);
	}
	return rc < 0 ? rc : 0;
}

int disclosure_store_tick(db_t *db, int64_t now)
{
	yw_date_t today = today_of(now);
	char tbuf[11];
	fmt_day(today, tbuf);
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	int64_t *lapsed_corr = NULL, *lapsed_fee = NULL, *open = NULL;
	size_t n1 = 0, n2 = 0, n3 = 0;
	/* 补正 not received in time; fees not paid in time; and every open request, whose due day and
	 * signal move with the calendar */
	db_stmt_t *st = db_prepare(db, "SELECT id FROM disclosure_requests WHERE state = 'correction' "
				       "AND correction_due < :today ORDER BY id");
	db_bind_text(st, "today", tbuf);
	if ((rc = ids_of(st, &lapsed_corr, &n1)) != 0)
		goto out;
	st = db_prepare(db, "SELECT r.id FROM disclosure_requests r JOIN disclosure_fees f ON f.request_id = r.id "
			    "WHERE r.state = 'fee' AND f.state = 'notified' AND f.due_date < :today ORDER BY r.id");
	db_bind_text(st, "today", tbuf);
	if ((rc = ids_of(st, &lapsed_fee, &n2)) != 0)
		goto out;
	st = db_prepare(db, "SELECT id FROM disclosure_requests WHERE state IN ('processing', 'consulting', 'fee') "
			    "ORDER BY id");
	if ((rc = ids_of(st, &open, &n3)) != 0)
		goto out;
	for (size_t i = 0; i < n1 && !rc; i++) {
		if ((rc = db_begin(db)) != 0)
			break;
		db_stmt_t *u = db_prepare(db, "UPDATE disclosure_corrections SET lapsed = 1 WHERE request_id = :id RETURNING id");
		db_bind_int(u, "id", lapsed_corr[i]);
		if ((rc = db_one(u)) == 0) {
			int64_t cid = db_col_int(u, 0);
			db_reset(u);
			rc = audit_record_id(db, NULL, "disclosure.correction.lapse", "disclosure_corrections", cid);
		}
		if (!rc)
			rc = close_request(db, lapsed_corr[i], "other_no_correction", today, "申请人逾期未补正", false);
		if (!rc)
			rc = add_event(db, NULL, lapsed_corr[i], "lapse_correction", "correction", "replied", today,
				       "补正期限届满，申请人未补正，视为放弃申请", NULL);
		if (!rc)
			rc = reclock(db, NULL, cal, lapsed_corr[i], today, "disclosure.request.lapse_correction");
		rc = commit_or_rollback(db, rc);
	}
	for (size_t i = 0; i < n2 && !rc; i++) {
		if ((rc = db_begin(db)) != 0)
			break;
		db_stmt_t *u = db_prepare(db, "UPDATE disclosure_fees SET state = 'lapsed' WHERE request_id = :id "
					      "AND state = 'notified' RETURNING id");
		db_bind_int(u, "id", lapsed_fee[i]);
		if ((rc = db_one(u)) == 0) {
			int64_t fid = db_col_int(u, 0);
			db_reset(u);
			rc = audit_record_id(db, NULL, "disclosure.fee.lapse", "disclosure_fees", fid);
		}
		if (!rc)
			rc = close_request(db, lapsed_fee[i], "other_no_fee", today, "申请人逾期未缴纳信息处理费", false);
		if (!rc)
			rc = add_event(db, NULL, lapsed_fee[i], "lapse_fee", "fee", "replied", today,
				       "缴费期限届满，申请人未缴费，视为放弃申请", NULL);
		if (!rc)
			rc = reclock(db, NULL, cal, lapsed_fee[i], today, "disclosure.request.lapse_fee");
		rc = commit_or_rollback(db, rc);
	}
	/* due days and signals: written only where they changed */
	for (size_t i = 0; i < n3 && !rc; i++) {
		req_row_t r;
		if ((rc = load_req(db, &system_user, open[i], &r)) != 0)
			break;
		if (strcmp(r.state, "replied") == 0)
			continue;
		char due[11];
		int signal;
		if (clock_now(cal, &r, today, due, &signal) != 0)
			continue; /* outside the calendar: left as it is */
		if (strcmp(due, r.due) == 0 && signal == r.signal)
			continue;
		if ((rc = db_begin(db)) != 0)
			break;
		rc = reclock(db, NULL, cal, r.id, today, "disclosure.request.signal");
		rc = commit_or_rollback(db, rc);
	}
out:
	free(lapsed_corr);
	free(lapsed_fee);
	free(open);
	calendar_release();
	return rc;
}

/* ---- the organ's home page ---- */

static const char *const signal_keys[] = {"normal", "warning", "yellow", "red"};

/* One organ's (:dept), or with :dept 0 every organ of the centre's region (:scope). */
#define SUMMARY_SCOPE(col)                                                                                             \
	"(" col " = :dept OR (:dept = 0 AND " col " IN (SELECT sd.id FROM departments sd WHERE "                   \
	AUTH_REGION_WITHIN_SQL("COALESCE(sd.region_code, '')", "scope") ")))"

int disclosure_summary(db_t *db, const auth_user_t *actor, int64_t dept_id, json_t **out)
{
	if (dept_id && !may_handle(db, actor, dept_id))
		return YW_EFORBIDDEN;
	if (!dept_id && !is_centre(actor))
		dept_id = actor->dept_id;
	char today[11], year[5];
	fmt_day(today_of(yw_now()), today);
	memcpy(year, today, 4);
	year[4] = 0;
	json_t *states = json_object(), *signals = json_object(), *docs = json_object();
	for (int k = 0; k < DQ_COUNT; k++)
		json_object_set_new(states, disc_request_state_code(k), json_integer(0));
	for (int k = 0; k < DDS_COUNT; k++)
		json_object_set_new(docs, disc_doc_state_code(k), json_integer(0));
	for (int k = 0; k <= SV_RED; k++)
		json_object_set_new(signals, signal_keys[k], json_integer(0));
	db_stmt_t *st = db_prepare(db, "SELECT r.state, r.signal, COUNT(*) AS n FROM disclosure_requests r "
				       "WHERE " SUMMARY_SCOPE("r.dept_id") " GROUP BY r.state, r.signal");
	db_bind_int(st, "dept", dept_id);
	auth_region_bind(st, "scope", actor->region_code);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		int64_t n = db_col_int(st, 2);
		json_object_set_new(states, s, json_integer(json_integer_value(json_object_get(states, s)) + n));
		int sig = (int)db_col_int(st, 1);
		const char *lbl = sig >= 0 && sig <= SV_RED ? signal_keys[sig] : NULL;
		if (strcmp(s, "replied") != 0 && lbl)
			json_object_set_new(signals, lbl, json_integer(json_integer_value(json_object_get(signals, lbl)) + n));
	}
	int64_t overdue = 0, received = 0, replied = 0;
	if (rc >= 0) {
		st = db_prepare(db, "SELECT COALESCE(SUM(CASE WHEN r.state NOT IN ('replied', 'correction') AND r.due_date < :today "
				    "THEN 1 ELSE 0 END), 0) AS overdue, COALESCE(SUM(CASE WHEN substr(r.received_date, 1, 4) = :year "
				    "THEN 1 ELSE 0 END), 0) AS received, COALESCE(SUM(CASE WHEN substr(COALESCE(r.reply_date, ''), 1, 4) "
				    "= :year THEN 1 ELSE 0 END), 0) AS replied FROM disclosure_requests r "
				    "WHERE " SUMMARY_SCOPE("r.dept_id"));
		db_bind_text(st, "today", today);
		db_bind_text(st, "year", year);
		db_bind_int(st, "dept", dept_id);
		auth_region_bind(st, "scope", actor->region_code);
		if ((rc = db_one(st)) == 0) {
			overdue = db_col_int(st, 0);
			received = db_col_int(st, 1);
			replied = db_col_int(st, 2);
			db_reset(st);
		}
	}
	if (rc >= 0) {
		st = db_prepare(db, "SELECT v.state, COUNT(*) AS n FROM disclosure_doc_versions v JOIN disclosure_documents d "
				    "ON d.id = v.document_id WHERE " SUMMARY_SCOPE("d.dept_id") " GROUP BY v.state");
		db_bind_int(st, "dept", dept_id);
		auth_region_bind(st, "scope", actor->region_code);
		while ((rc = db_step(st)) == DB_ROW)
			json_object_set_new(docs, db_col_text(st, 0), json_integer(db_col_int(st, 1)));
	}
	if (rc < 0) {
		json_decref(states);
		json_decref(signals);
		json_decref(docs);
		return rc;
	}
	*out = json_pack("{s:I, s:s, s:{s:o, s:o, s:I, s:I, s:I}, s:{s:o}}", "dept_id", (json_int_t)dept_id, "year", year,
			 "requests", "by_state", states, "open_by_signal", signals, "overdue", (json_int_t)overdue,
			 "received_this_year", (json_int_t)received, "replied_this_year", (json_int_t)replied,
			 "documents", "versions_by_state", docs);
	return 0;
}
