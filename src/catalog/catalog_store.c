/* Catalogue store: items, their versions and the lifecycle (docs/domain.md §3). A published version
 * is never edited: changing a published guide means a new draft version that goes through review
 * again, so an applicant never sees a guide change under their feet, and the history stays. */
#include <stdio.h>
#include "platform/db_legacy.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "org/org.h"
#include "platform/arena.h"
#include "platform/audit.h"
#include "platform/err.h"

static int dept_lookup(db_t *db, const char *name, int64_t *id, char region[16])
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id, region_code FROM departments WHERE name = $1");
	dbl_bind_text(st, 1, name);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		snprintf(region, 16, "%s", dbl_col_text(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : YW_ENOTFOUND;
}

static int insert_version(db_t *db, const auth_user_t *actor, int64_t item_id, int64_t version, const char *status,
			  json_t *data, const item_cols_t *c, int64_t *vid)
{
	char *text = json_dumps(data, JSON_COMPACT);
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *st = dbl_prepare(
		db, "INSERT INTO item_versions(item_id, version, status, data, name, type, level, region_code, targets, "
		    "tags, lists, life_events, handling_class, visits, online_depth, search_text, created_by, created_at, "
		    "published_at, promised_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
		    "$16, $17, $18, $19, $20) RETURNING id");
	dbl_bind_int(st, 1, item_id);
	dbl_bind_int(st, 2, version);
	dbl_bind_text(st, 3, status);
	dbl_bind_text(st, 4, text);
	dbl_bind_text(st, 5, c->name);
	dbl_bind_text(st, 6, c->type);
	dbl_bind_int(st, 7, c->level);
	dbl_bind_text(st, 8, c->region);
	dbl_bind_int(st, 9, c->targets);
	dbl_bind_int(st, 10, c->tags);
	dbl_bind_int(st, 11, c->lists);
	dbl_bind_int(st, 12, c->life_events);
	dbl_bind_int(st, 13, c->handling_class);
	dbl_bind_int(st, 14, c->visits);
	dbl_bind_int(st, 15, c->online_depth);
	dbl_bind_text(st, 16, c->search_text);
	if (actor)
		dbl_bind_int(st, 17, actor->id);
	dbl_bind_int(st, 18, now);
	if (strcmp(status, "published") == 0)
		dbl_bind_int(st, 19, now);
	dbl_bind_int(st, 20, c->promised_days);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*vid = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	free(text);
	return rc == SQLITE_ROW ? audit_record_id(db, actor, "item.version.create", "item_versions", *vid) : YW_EDB;
}

/* Validates item, resolves and scope-checks its department. */
static int prepare(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, json_t **canon, item_cols_t *cols,
		   int64_t *dept_id)
{
	if (catalog_validate(item, v, canon, cols) != 0)
		return YW_EINVAL;
	char region[16];
	if (dept_lookup(db, cols->dept, dept_id, region) != 0) {
		v_error(v, "dept", "实施部门不存在");
		return YW_EINVAL;
	}
	if (actor && !auth_dept_in_scope(actor, *dept_id, region))
		return YW_EFORBIDDEN;
	return 0;
}

/* A new item without a 实施编码 gets one: the department's USCC, the item type and a sequence
 * number, the shape implementation codes take in provincial catalogues. */
static void assign_code(db_t *db, json_t *item)
{
	const char *code = json_string_value(json_object_get(item, "code"));
	const char *dept = json_string_value(json_object_get(item, "dept"));
	const char *type = json_string_value(json_object_get(item, "type"));
	if ((code && *code) || !dept)
		return;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT d.uscc, (SELECT COUNT(*) FROM items i WHERE i.dept_id = d.id) "
					  "FROM departments d WHERE d.name = $1");
	dbl_bind_text(st, 1, dept);
	char uscc[24] = "";
	int64_t seq = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(uscc, sizeof uscc, "%s", dbl_col_text(st, 0));
		seq = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (!*uscc)
		return; /* validation reports the unknown department */
	char buf[48];
	for (bool taken = true; taken;) {
		snprintf(buf, sizeof buf, "%s%s%06lld", uscc, type && strlen(type) == 2 ? type : "00", (long long)++seq);
		st = dbl_prepare(db, "SELECT 1 FROM items WHERE code = $1");
		dbl_bind_text(st, 1, buf);
		taken = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
	}
	json_object_set_new(item, "code", json_string(buf));
}

static int create_in_tx(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, const char *status,
			int64_t *id_out)
{
	json_t *canon = NULL;
	item_cols_t cols;
	int64_t dept_id, vid;
	assign_code(db, item);
	int rc = prepare(db, actor, item, v, &canon, &cols, &dept_id);
	if (rc)
		goto done;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT 1 FROM items WHERE code = $1");
	dbl_bind_text(st, 1, cols.code);
	bool exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (exists) {
		v_error(v, "code", "实施编码已存在");
		rc = YW_EINVAL;
		goto done;
	}
	st = dbl_prepare(db, "INSERT INTO items(code, dept_id, created_at) VALUES ($1, $2, $3) RETURNING id");
	dbl_bind_text(st, 1, cols.code);
	dbl_bind_int(st, 2, dept_id);
	dbl_bind_int(st, 3, (int64_t)time(NULL));
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : YW_EDB;
	*id_out = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == 0)
		rc = audit_record_id(db, actor, "item.create", "items", *id_out);
	if (rc == 0)
		rc = insert_version(db, actor, *id_out, 1, status, canon, &cols, &vid);
	if (rc == 0 && strcmp(status, "published") == 0)
		rc = db_bump_generation(db, "catalog");
done:
	json_decref(canon);
	free(cols.search_text);
	return rc;
}

int catalog_create(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, int64_t *id_out)
{
	if (db_begin(db))
		return YW_EDB;
	int rc = create_in_tx(db, actor, item, v, "draft", id_out);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

typedef struct latest {
	int64_t item_id, dept_id, vid, version;
	char status[16];
	char code[40];
	char region[16];
} latest_t;

static int load_latest(db_t *db, int64_t item_id, latest_t *l)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT i.id, i.dept_id, v.id, v.version, v.status, i.code, d.region_code FROM items i "
		    "JOIN item_versions v ON v.item_id = i.id JOIN departments d ON d.id = i.dept_id "
		    "WHERE i.id = $1 ORDER BY v.version DESC LIMIT 1");
	dbl_bind_int(st, 1, item_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		l->item_id = sqlite3_column_int64(st, 0);
		l->dept_id = sqlite3_column_int64(st, 1);
		l->vid = sqlite3_column_int64(st, 2);
		l->version = sqlite3_column_int64(st, 3);
		snprintf(l->status, sizeof l->status, "%s", dbl_col_text(st, 4));
		snprintf(l->code, sizeof l->code, "%s", dbl_col_text(st, 5));
		snprintf(l->region, sizeof l->region, "%s", dbl_col_text(st, 6));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int catalog_update_draft(db_t *db, const auth_user_t *actor, int64_t id, json_t *item, vctx_t *v)
{
	json_t *canon = NULL;
	item_cols_t cols = {0};
	int64_t dept_id;
	latest_t l;
	if (db_begin(db))
		return YW_EDB;
	int rc = load_latest(db, id, &l);
	if (rc)
		goto done;
	if (!auth_dept_in_scope(actor, l.dept_id, l.region)) {
		rc = YW_EFORBIDDEN;
		goto done;
	}
	if (strcmp(l.status, "draft") != 0) {
		rc = YW_ECONFLICT;
		goto done;
	}
	if ((rc = prepare(db, actor, item, v, &canon, &cols, &dept_id)) != 0)
		goto done;
	if (strcmp(cols.code, l.code) != 0)
		v_error(v, "code", "实施编码创建后不能修改");
	if (dept_id != l.dept_id)
		v_error(v, "dept", "实施部门创建后不能修改");
	if (!v_ok(v)) {
		rc = YW_EINVAL;
		goto done;
	}
	char *text = json_dumps(canon, JSON_COMPACT);
	sqlite3_stmt *st = dbl_prepare(
		db, "UPDATE item_versions SET data = $1, name = $2, type = $3, level = $4, region_code = $5, targets = $6, "
		    "tags = $7, lists = $8, life_events = $9, handling_class = $10, visits = $11, online_depth = $12, "
		    "search_text = $13, review_note = '', promised_days = $14 WHERE id = $15");
	dbl_bind_text(st, 1, text);
	dbl_bind_text(st, 2, cols.name);
	dbl_bind_text(st, 3, cols.type);
	dbl_bind_int(st, 4, cols.level);
	dbl_bind_text(st, 5, cols.region);
	dbl_bind_int(st, 6, cols.targets);
	dbl_bind_int(st, 7, cols.tags);
	dbl_bind_int(st, 8, cols.lists);
	dbl_bind_int(st, 9, cols.life_events);
	dbl_bind_int(st, 10, cols.handling_class);
	dbl_bind_int(st, 11, cols.visits);
	dbl_bind_int(st, 12, cols.online_depth);
	dbl_bind_text(st, 13, cols.search_text);
	dbl_bind_int(st, 14, cols.promised_days);
	dbl_bind_int(st, 15, l.vid);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	free(text);
	if (rc == 0)
		rc = audit_record_id(db, actor, "item.draft.update", "item_versions", l.vid);
done:
	json_decref(canon);
	free(cols.search_text);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* The lifecycle's status changes; each stamps what the change means (submitted_at,
 * published_at and the reviewer, or the reviewer's note on a rejection). */
enum stamp { STAMP_NONE, STAMP_SUBMITTED, STAMP_PUBLISHED, STAMP_REJECTED };

static int set_status(db_t *db, const auth_user_t *actor, int64_t vid, const char *status, enum stamp stamp,
		      const char *note, const char *action)
{
	int64_t now = (int64_t)time(NULL);
	sqlite3_stmt *st;
	switch (stamp) {
	case STAMP_SUBMITTED:
		st = dbl_prepare(db, "UPDATE item_versions SET status = $1, submitted_at = $2 WHERE id = $3");
		dbl_bind_int(st, 2, now);
		break;
	case STAMP_PUBLISHED:
		st = dbl_prepare(db, "UPDATE item_versions SET status = $1, published_at = $2, review_note = '', "
				    "reviewed_by = $3 WHERE id = $4");
		dbl_bind_int(st, 2, now);
		break;
	case STAMP_REJECTED:
		st = dbl_prepare(db, "UPDATE item_versions SET status = $1, review_note = $2, submitted_at = NULL, "
				    "reviewed_by = $3 WHERE id = $4");
		dbl_bind_text(st, 2, note ? note : "");
		break;
	default:
		st = dbl_prepare(db, "UPDATE item_versions SET status = $1 WHERE id = $2");
		dbl_bind_int(st, 2, vid);
		break;
	}
	dbl_bind_text(st, 1, status);
	if (stamp == STAMP_SUBMITTED)
		dbl_bind_int(st, 3, vid);
	if (stamp == STAMP_PUBLISHED || stamp == STAMP_REJECTED) {
		if (actor)
			dbl_bind_int(st, 3, actor->id);
		dbl_bind_int(st, 4, vid);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	return rc ? rc : audit_record_id(db, actor, action, "item_versions", vid);
}

static int copy_version(db_t *db, const auth_user_t *actor, const latest_t *l)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "INSERT INTO item_versions(item_id, version, status, data, name, type, level, region_code, targets, "
		    "tags, lists, life_events, handling_class, visits, online_depth, search_text, promised_days, created_by, "
		    "created_at) SELECT item_id, version + 1, 'draft', data, name, type, level, region_code, targets, tags, "
		    "lists, life_events, handling_class, visits, online_depth, search_text, promised_days, $1, $2 "
		    "FROM item_versions "
		    "WHERE id = $3 RETURNING id");
	if (actor)
		dbl_bind_int(st, 1, actor->id);
	dbl_bind_int(st, 2, (int64_t)time(NULL));
	dbl_bind_int(st, 3, l->vid);
	int rc = sqlite3_step(st);
	int64_t vid = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? audit_record_id(db, actor, "item.version.create", "item_versions", vid) : YW_EDB;
}

static int transition_in_tx(db_t *db, const auth_user_t *actor, int64_t id, enum catalog_action action,
			    const char *note)
{
	latest_t l;
	int rc = load_latest(db, id, &l);
	if (rc)
		return rc;
	if (actor && !auth_dept_in_scope(actor, l.dept_id, l.region))
		return YW_EFORBIDDEN;
	switch (action) {
	case CAT_SUBMIT:
		if (strcmp(l.status, "draft") != 0)
			return YW_ECONFLICT;
		return set_status(db, actor, l.vid, "submitted", STAMP_SUBMITTED, NULL, "item.submit");
	case CAT_REJECT:
		if (strcmp(l.status, "submitted") != 0)
			return YW_ECONFLICT;
		return set_status(db, actor, l.vid, "draft", STAMP_REJECTED, note, "item.reject");
	case CAT_PUBLISH: {
		if (strcmp(l.status, "submitted") != 0)
			return YW_ECONFLICT;
		sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM item_versions WHERE item_id = $1 AND status = 'published'");
		dbl_bind_int(st, 1, l.item_id);
		int64_t old = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (old && (rc = set_status(db, actor, old, "superseded", STAMP_NONE, NULL, "item.supersede")) != 0)
			return rc;
		if ((rc = set_status(db, actor, l.vid, "published", STAMP_PUBLISHED, NULL, "item.publish")) != 0)
			return rc;
		return db_bump_generation(db, "catalog");
	}
	case CAT_WITHDRAW: {
		sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM item_versions WHERE item_id = $1 AND status = 'published'");
		dbl_bind_int(st, 1, l.item_id);
		int64_t pub = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!pub)
			return YW_ECONFLICT;
		if ((rc = set_status(db, actor, pub, "withdrawn", STAMP_NONE, NULL, "item.withdraw")) != 0)
			return rc;
		return db_bump_generation(db, "catalog");
	}
	case CAT_NEW_VERSION:
		if (strcmp(l.status, "draft") == 0 || strcmp(l.status, "submitted") == 0)
			return YW_ECONFLICT;
		return copy_version(db, actor, &l);
	}
	return YW_EINVAL;
}

int catalog_transition(db_t *db, const auth_user_t *actor, int64_t id, enum catalog_action action, const char *note)
{
	if (db_begin(db))
		return YW_EDB;
	int rc = transition_in_tx(db, actor, id, action, note);
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int catalog_published_guide(db_t *db, const char *code, char **json_out, int64_t *version_id)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT v.id, v.version, v.published_at, i.dept_id, v.data FROM items i JOIN item_versions v "
		    "ON v.item_id = i.id AND v.status = 'published' WHERE i.code = $1");
	dbl_bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		/* Splice the version fields into the stored object without re-parsing it: data is a
		 * canonical JSON object, so it starts with '{'. */
		const char *data = dbl_col_text(st, 4);
		char head[160];
		int n = snprintf(head, sizeof head, "{\"version\":%lld,\"published_at\":%lld,\"dept_id\":%lld,",
				 (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2),
				 (long long)sqlite3_column_int64(st, 3));
		size_t dl = strlen(data);
		char *out = xmalloc((size_t)n + dl);
		memcpy(out, head, (size_t)n);
		memcpy(out + n, data + 1, dl); /* includes the NUL */
		*json_out = out;
		*version_id = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int catalog_admin_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out)
{
	latest_t l;
	int rc = load_latest(db, id, &l);
	if (rc)
		return rc;
	if (!auth_dept_in_scope(actor, l.dept_id, l.region))
		return YW_EFORBIDDEN;
	json_t *versions = json_array(), *latest = NULL;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id, version, status, created_at, submitted_at, published_at, review_note, "
					  "data FROM item_versions WHERE item_id = $1 ORDER BY version DESC");
	dbl_bind_int(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *r = json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "version",
				      (json_int_t)sqlite3_column_int64(st, 1), "status", dbl_col_text(st, 2), "created_at",
				      (json_int_t)sqlite3_column_int64(st, 3), "review_note", dbl_col_text(st, 6));
		for (int c = 4; c <= 5; c++)
			json_object_set_new(r, c == 4 ? "submitted_at" : "published_at",
					    sqlite3_column_type(st, c) == SQLITE_NULL ? json_null()
										     : json_integer(sqlite3_column_int64(st, c)));
		json_array_append_new(versions, r);
		if (!latest)
			latest = json_loads(dbl_col_text(st, 7), 0, NULL);
	}
	sqlite3_reset(st);
	*out = json_pack("{s:I, s:s, s:I, s:o, s:o, s:I, s:s}", "id", (json_int_t)id, "code", l.code, "dept_id",
			 (json_int_t)l.dept_id, "versions", versions, "latest", latest ? latest : json_null(),
			 "latest_version", (json_int_t)l.version, "latest_status", l.status);
	return 0;
}

int catalog_admin_list(db_t *db, const auth_user_t *actor, const char *status, int64_t dept_id, const char *q,
		       int64_t page, int64_t page_size, json_t **out)
{
	/* Scope: centre admins and supervisors by region prefix, others by their department. */
	bool regional = actor->roles & (ROLE_CENTER_ADMIN | ROLE_SUPERVISOR);
	char prefix[24];
	snprintf(prefix, sizeof prefix, "%.*s%%", (int)auth_region_prefix_len(actor->region_code), actor->region_code);
#define ADMIN_WHERE                                                                                                    \
	" FROM items i JOIN departments d ON d.id = i.dept_id"                                                         \
	" JOIN item_versions v ON v.item_id = i.id AND v.version = (SELECT MAX(version) FROM item_versions"            \
	" WHERE item_id = i.id)"                                                                                       \
	" WHERE (($1 = 1 AND d.region_code LIKE $2) OR ($1 = 0 AND i.dept_id = $3))"                                   \
	" AND ($4 IS NULL OR v.status = $4) AND ($5 = 0 OR i.dept_id = $5)"                                            \
	" AND ($6 IS NULL OR instr(v.name, $6) > 0 OR i.code = $6)"
	sqlite3_stmt *st = dbl_prepare(db, "SELECT COUNT(*)" ADMIN_WHERE);
	for (int pass = 0; pass < 2; pass++) {
		dbl_bind_int(st, 1, regional);
		dbl_bind_text(st, 2, prefix);
		dbl_bind_int(st, 3, actor->dept_id);
		dbl_bind_text(st, 4, status && *status ? status : NULL);
		dbl_bind_int(st, 5, dept_id);
		dbl_bind_text(st, 6, q && *q ? q : NULL);
		if (pass == 0) {
			int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
			sqlite3_reset(st);
			*out = json_pack("{s:I, s:I, s:I, s:[]}", "total", (json_int_t)total, "page", (json_int_t)page,
					 "page_size", (json_int_t)page_size, "items");
			st = dbl_prepare(db, "SELECT i.id, i.code, v.name, d.name, i.dept_id, v.version, v.status, "
					    "(SELECT MAX(version) FROM item_versions p WHERE p.item_id = i.id AND "
					    "p.status = 'published'), COALESCE(v.submitted_at, v.created_at)" ADMIN_WHERE
					    " ORDER BY i.id DESC LIMIT $7 OFFSET $8");
			dbl_bind_int(st, 7, page_size);
			dbl_bind_int(st, 8, (page - 1) * page_size);
		}
	}
#undef ADMIN_WHERE
	json_t *items = json_object_get(*out, "items");
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:I}", "id", (json_int_t)sqlite3_column_int64(st, 0),
				      "code", dbl_col_text(st, 1), "name", dbl_col_text(st, 2), "dept", dbl_col_text(st, 3),
				      "dept_id", (json_int_t)sqlite3_column_int64(st, 4), "version",
				      (json_int_t)sqlite3_column_int64(st, 5), "status", dbl_col_text(st, 6), "updated_at",
				      (json_int_t)sqlite3_column_int64(st, 8));
		json_object_set_new(r, "published_version", sqlite3_column_type(st, 7) == SQLITE_NULL
								     ? json_null()
								     : json_integer(sqlite3_column_int64(st, 7)));
		json_array_append_new(items, r);
	}
	sqlite3_reset(st);
	return 0;
}

int catalog_review_queue(db_t *db, const auth_user_t *actor, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT i.id, i.code, v.name, d.name, d.region_code, v.version, v.submitted_at, "
					  "i.dept_id FROM item_versions v JOIN items i ON i.id = v.item_id "
					  "JOIN departments d ON d.id = i.dept_id WHERE v.status = 'submitted' "
					  "ORDER BY v.submitted_at, v.id");
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!auth_dept_in_scope(actor, sqlite3_column_int64(st, 7), dbl_col_text(st, 4)))
			continue;
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id",
						       (json_int_t)sqlite3_column_int64(st, 0), "code", dbl_col_text(st, 1),
						       "name", dbl_col_text(st, 2), "dept", dbl_col_text(st, 3), "version",
						       (json_int_t)sqlite3_column_int64(st, 5), "submitted_at",
						       (json_int_t)sqlite3_column_int64(st, 6)));
	}
	sqlite3_reset(st);
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

int catalog_versions(db_t *db, const char *code, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT v.version, v.status, v.published_at FROM items i JOIN item_versions v "
					  "ON v.item_id = i.id WHERE i.code = $1 AND v.published_at IS NOT NULL "
					  "ORDER BY v.version DESC");
	dbl_bind_text(st, 1, code);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I}", "version", (json_int_t)sqlite3_column_int64(st, 0),
						       "status", dbl_col_text(st, 1), "published_at",
						       (json_int_t)sqlite3_column_int64(st, 2)));
	sqlite3_reset(st);
	if (json_array_size(items) == 0) {
		json_decref(items);
		return YW_ENOTFOUND;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int catalog_counts(db_t *db, json_t **out)
{
	json_t *rows = json_array();
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT level, COUNT(*), SUM((tags >> 4) & 1), SUM((tags >> 5) & 1), SUM(online_depth >= 3) "
		    "FROM item_versions WHERE status = 'published' GROUP BY level ORDER BY level");
	int64_t t[4] = {0};
	while (sqlite3_step(st) == SQLITE_ROW) {
		char lv[4];
		snprintf(lv, sizeof lv, "%d", sqlite3_column_int(st, 0));
		int64_t n = sqlite3_column_int64(st, 1), z = sqlite3_column_int64(st, 2), y = sqlite3_column_int64(st, 3),
			on = sqlite3_column_int64(st, 4);
		t[0] += n, t[1] += z, t[2] += y, t[3] += on;
		json_array_append_new(rows, json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:f}", "level",
						      sqlite3_column_int(st, 0), "label", catalog_label(catalog_levels, lv),
						      "items", (json_int_t)n, "zuiduo", (json_int_t)z, "yici_bu",
						      (json_int_t)y, "online", (json_int_t)on, "online_share",
						      n ? (double)on / (double)n : 0.0));
	}
	sqlite3_reset(st);
	json_t *total = json_pack("{s:s, s:I, s:I, s:I, s:I, s:f}", "label", "合计", "items", (json_int_t)t[0], "zuiduo",
				  (json_int_t)t[1], "yici_bu", (json_int_t)t[2], "online", (json_int_t)t[3],
				  "online_share", t[0] ? (double)t[3] / (double)t[0] : 0.0);

	json_t *lists = json_array(), *tags = json_array();
	st = dbl_prepare(db, "SELECT lists, tags FROM item_versions WHERE status = 'published'");
	int64_t lc[64] = {0}, tc[64] = {0};
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t l = sqlite3_column_int64(st, 0), g = sqlite3_column_int64(st, 1);
		for (int b = 0; b < 63; b++) {
			lc[b] += (l >> b) & 1;
			tc[b] += (g >> b) & 1;
		}
	}
	sqlite3_reset(st);
	for (int b = 0; catalog_lists[b]; b++)
		json_array_append_new(lists, json_pack("{s:s, s:I}", "name", catalog_lists[b], "items", (json_int_t)lc[b]));
	for (int b = 0; catalog_tags[b]; b++)
		json_array_append_new(tags, json_pack("{s:s, s:I}", "name", catalog_tags[b], "items", (json_int_t)tc[b]));
	*out = json_pack("{s:o, s:o, s:o, s:o}", "rows", rows, "total", total, "lists", lists, "tags", tags);
	return 0;
}

json_t *catalog_export_document(db_t *db, bool all_versions)
{
	json_t *doc = json_pack("{s:s}", "format", "yiwang-catalog/1"), *items;
	org_export(db, doc);
	if (catalog_export(db, all_versions, &items) == 0)
		json_object_set_new(doc, "items", items);
	return doc;
}

int catalog_export(db_t *db, bool all_versions, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT v.data FROM items i JOIN item_versions v ON v.item_id = i.id WHERE "
		    "($1 = 1 AND v.version = (SELECT MAX(version) FROM item_versions WHERE item_id = i.id)) OR "
		    "($1 = 0 AND v.status = 'published') ORDER BY i.code");
	dbl_bind_int(st, 1, all_versions);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *it = json_loads(dbl_col_text(st, 0), 0, NULL);
		if (it)
			json_array_append_new(items, it);
	}
	sqlite3_reset(st);
	*out = items;
	return 0;
}

int catalog_import(db_t *db, const auth_user_t *actor, json_t *doc, bool publish, const char *staff_password,
		   vctx_t *v, int *items_out)
{
	json_t *items = json_is_array(doc) ? doc : json_object_get(doc, "items");
	*items_out = 0;
	if (!json_is_array(items)) {
		v_error(v, "items", "应为事项数组");
		return YW_EINVAL;
	}
	if (db_begin(db))
		return YW_EDB;
	size_t i;
	json_t *it;
	/* The organisation first, so the items can name its departments. */
	int rc = json_is_object(doc) ? org_import(db, actor, doc, staff_password, v) : 0;
	if (rc == YW_EINVAL)
		rc = 0; /* reported in v; go on to report the items' problems too */
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	json_array_foreach(items, i, it) {
		snprintf(v->prefix, sizeof v->prefix, "%sitems[%zu].", prefix, i);
		int64_t id;
		int r = create_in_tx(db, actor, it, v, publish ? "published" : "draft", &id);
		if (r == YW_EINVAL)
			continue; /* keep validating so every problem is reported at once */
		if (r) {
			rc = r;
			break;
		}
		(*items_out)++;
	}
	memcpy(v->prefix, prefix, sizeof prefix);
	/* 一件事 bundles name items, so they come after them. */
	if (rc == 0 && json_is_object(doc))
		rc = cases_bundles_import(db, actor, json_object_get(doc, "bundles"), v);
	if (rc == YW_EINVAL)
		rc = 0; /* reported in v */
	if (rc == 0 && !v_ok(v))
		rc = YW_EINVAL;
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	*items_out = 0;
	return rc;
}
