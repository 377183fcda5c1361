/* Catalogue store: items, their versions and the lifecycle (docs/domain.md §3). A published version
 * is never edited: changing a published guide means a new draft version that goes through review
 * again, so an applicant never sees a guide change under their feet, and the history stays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "org/org.h"
#include "platform/arena.h"
#include "platform/audit.h"
#include "platform/db.h"
#include "platform/err.h"

/* The department's id and region by name (departments belong to org). */
static int dept_lookup(db_t *db, const char *name, int64_t *id, char region[16])
{
	db_stmt_t *st = db_prepare(db, "SELECT id, region_code FROM departments WHERE name = :name");
	db_bind_text(st, "name", name);
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		snprintf(region, 16, "%s", db_col_text(st, 1));
		db_reset(st);
	}
	return rc;
}

static int insert_version(db_t *db, const auth_user_t *actor, int64_t item_id, int64_t version, const char *status,
			  json_t *data, const item_cols_t *c, int64_t *vid)
{
	char *text = json_dumps(data, JSON_COMPACT);
	int64_t now = (int64_t)time(NULL);
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO item_versions(item_id, version, status, data, name, type, level, region_code, targets, "
		    "tags, lists, life_events, handling_class, visits, online_depth, search_text, created_by, created_at, "
		    "published_at, promised_days) VALUES (:item_id, :version, :status, :data, :name, :type, :level, "
		    ":region_code, :targets, :tags, :lists, :life_events, :handling_class, :visits, :online_depth, "
		    ":search_text, :created_by, :created_at, :published_at, :promised_days) RETURNING id");
	db_bind_int(st, "item_id", item_id);
	db_bind_int(st, "version", version);
	db_bind_text(st, "status", status);
	db_bind_text(st, "data", text);
	db_bind_text(st, "name", c->name);
	db_bind_text(st, "type", c->type);
	db_bind_int(st, "level", c->level);
	db_bind_text(st, "region_code", c->region);
	db_bind_int(st, "targets", c->targets);
	db_bind_int(st, "tags", c->tags);
	db_bind_int(st, "lists", c->lists);
	db_bind_int(st, "life_events", c->life_events);
	db_bind_int(st, "handling_class", c->handling_class);
	db_bind_int(st, "visits", c->visits);
	db_bind_int(st, "online_depth", c->online_depth);
	db_bind_text(st, "search_text", c->search_text);
	db_bind_id(st, "created_by", actor ? actor->id : 0);
	db_bind_int(st, "created_at", now);
	if (strcmp(status, "published") == 0)
		db_bind_int(st, "published_at", now);
	else
		db_bind_null(st, "published_at");
	db_bind_int(st, "promised_days", c->promised_days);
	int rc = db_one(st);
	free(text);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* RETURNING always gives the row */
	*vid = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, actor, "item.version.create", "item_versions", *vid);
}

/* Validates item, resolves and scope-checks its department. */
static int prepare(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, json_t **canon, item_cols_t *cols,
		   int64_t *dept_id)
{
	if (catalog_validate(item, v, canon, cols) != 0)
		return YW_EINVAL;
	char region[16];
	int rc = dept_lookup(db, cols->dept, dept_id, region);
	if (rc == YW_ENOTFOUND) {
		v_error(v, "dept", "实施部门不存在");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (actor && !auth_dept_in_scope(actor, *dept_id, region))
		return YW_EFORBIDDEN;
	return 0;
}

/* Whether an item has code: 0 and *taken, or the error status. */
static int code_taken(db_t *db, const char *code, bool *taken)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM items WHERE code = :code");
	db_bind_text(st, "code", code);
	int rc = db_one(st);
	*taken = rc == 0;
	if (rc == 0)
		db_reset(st);
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* A new item without a 实施编码 gets one: the department's USCC, the item type and a sequence
 * number, the shape implementation codes take in provincial catalogues. */
static int assign_code(db_t *db, json_t *item)
{
	const char *code = json_string_value(json_object_get(item, "code"));
	const char *dept = json_string_value(json_object_get(item, "dept"));
	const char *type = json_string_value(json_object_get(item, "type"));
	if ((code && *code) || !dept)
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT d.uscc, (SELECT COUNT(*) FROM items i WHERE i.dept_id = d.id) "
				       "FROM departments d WHERE d.name = :dept");
	db_bind_text(st, "dept", dept);
	char uscc[24] = "";
	int64_t seq = 0;
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND)
		return 0; /* validation reports the unknown department */
	if (rc)
		return rc;
	snprintf(uscc, sizeof uscc, "%s", db_col_text(st, 0));
	seq = db_col_int(st, 1);
	db_reset(st);
	if (!*uscc)
		return 0; /* validation reports the unknown department */
	char buf[48];
	for (bool taken = true; taken;) {
		snprintf(buf, sizeof buf, "%s%s%06lld", uscc, type && strlen(type) == 2 ? type : "00", (long long)++seq);
		if ((rc = code_taken(db, buf, &taken)) != 0)
			return rc;
	}
	json_object_set_new(item, "code", json_string(buf));
	return 0;
}

static int create_in_tx(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, const char *status,
			int64_t *id_out)
{
	json_t *canon = NULL;
	item_cols_t cols = {0};
	int64_t dept_id, vid;
	bool exists;
	int rc = assign_code(db, item);
	if (rc)
		goto done;
	if ((rc = prepare(db, actor, item, v, &canon, &cols, &dept_id)) != 0)
		goto done;
	if ((rc = code_taken(db, cols.code, &exists)) != 0)
		goto done;
	if (exists) {
		v_error(v, "code", "实施编码已存在");
		rc = YW_EINVAL;
		goto done;
	}
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO items(code, dept_id, created_at) VALUES (:code, :dept_id, :created_at) RETURNING id");
	db_bind_text(st, "code", cols.code);
	db_bind_int(st, "dept_id", dept_id);
	db_bind_int(st, "created_at", (int64_t)time(NULL));
	rc = db_one(st);
	if (rc) {
		rc = rc == YW_ENOTFOUND ? YW_EDB : rc;
		goto done;
	}
	*id_out = db_col_int(st, 0);
	db_reset(st);
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
	db_stmt_t *st = db_prepare(
		db, "SELECT i.id, i.dept_id, v.id, v.version, v.status, i.code, d.region_code FROM items i "
		    "JOIN item_versions v ON v.item_id = i.id JOIN departments d ON d.id = i.dept_id "
		    "WHERE i.id = :item_id ORDER BY v.version DESC LIMIT 1");
	db_bind_int(st, "item_id", item_id);
	int rc = db_one(st);
	if (rc == 0) {
		l->item_id = db_col_int(st, 0);
		l->dept_id = db_col_int(st, 1);
		l->vid = db_col_int(st, 2);
		l->version = db_col_int(st, 3);
		snprintf(l->status, sizeof l->status, "%s", db_col_text(st, 4));
		snprintf(l->code, sizeof l->code, "%s", db_col_text(st, 5));
		snprintf(l->region, sizeof l->region, "%s", db_col_text(st, 6));
		db_reset(st);
	}
	return rc;
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
	db_stmt_t *st = db_prepare(
		db, "UPDATE item_versions SET data = :data, name = :name, type = :type, level = :level, "
		    "region_code = :region_code, targets = :targets, tags = :tags, lists = :lists, "
		    "life_events = :life_events, handling_class = :handling_class, visits = :visits, "
		    "online_depth = :online_depth, search_text = :search_text, review_note = '', "
		    "promised_days = :promised_days WHERE id = :version_id");
	db_bind_text(st, "data", text);
	db_bind_text(st, "name", cols.name);
	db_bind_text(st, "type", cols.type);
	db_bind_int(st, "level", cols.level);
	db_bind_text(st, "region_code", cols.region);
	db_bind_int(st, "targets", cols.targets);
	db_bind_int(st, "tags", cols.tags);
	db_bind_int(st, "lists", cols.lists);
	db_bind_int(st, "life_events", cols.life_events);
	db_bind_int(st, "handling_class", cols.handling_class);
	db_bind_int(st, "visits", cols.visits);
	db_bind_int(st, "online_depth", cols.online_depth);
	db_bind_text(st, "search_text", cols.search_text);
	db_bind_int(st, "promised_days", cols.promised_days);
	db_bind_int(st, "version_id", l.vid);
	rc = db_run(st);
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
	db_stmt_t *st;
	switch (stamp) {
	case STAMP_SUBMITTED:
		st = db_prepare(db, "UPDATE item_versions SET status = :status, submitted_at = :now "
				    "WHERE id = :version_id");
		db_bind_int(st, "now", now);
		break;
	case STAMP_PUBLISHED:
		st = db_prepare(db, "UPDATE item_versions SET status = :status, published_at = :now, review_note = '', "
				    "reviewed_by = :reviewer WHERE id = :version_id");
		db_bind_int(st, "now", now);
		db_bind_id(st, "reviewer", actor ? actor->id : 0);
		break;
	case STAMP_REJECTED:
		st = db_prepare(db, "UPDATE item_versions SET status = :status, review_note = :note, "
				    "submitted_at = NULL, reviewed_by = :reviewer WHERE id = :version_id");
		db_bind_text(st, "note", note ? note : "");
		db_bind_id(st, "reviewer", actor ? actor->id : 0);
		break;
	default:
		st = db_prepare(db, "UPDATE item_versions SET status = :status WHERE id = :version_id");
		break;
	}
	db_bind_text(st, "status", status);
	db_bind_int(st, "version_id", vid);
	int rc = db_run(st);
	return rc ? rc : audit_record_id(db, actor, action, "item_versions", vid);
}

static int copy_version(db_t *db, const auth_user_t *actor, const latest_t *l)
{
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO item_versions(item_id, version, status, data, name, type, level, region_code, targets, "
		    "tags, lists, life_events, handling_class, visits, online_depth, search_text, promised_days, created_by, "
		    "created_at) SELECT item_id, version + 1, 'draft', data, name, type, level, region_code, targets, tags, "
		    "lists, life_events, handling_class, visits, online_depth, search_text, promised_days, :created_by, "
		    ":created_at FROM item_versions WHERE id = :version_id RETURNING id");
	db_bind_id(st, "created_by", actor ? actor->id : 0);
	db_bind_int(st, "created_at", (int64_t)time(NULL));
	db_bind_int(st, "version_id", l->vid);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* the version was read in this transaction */
	int64_t vid = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, actor, "item.version.create", "item_versions", vid);
}

/* The item's published version id, 0 when it has none; or the error status. */
static int published_version(db_t *db, int64_t item_id, int64_t *vid)
{
	db_stmt_t *st =
		db_prepare(db, "SELECT id FROM item_versions WHERE item_id = :item_id AND status = 'published'");
	db_bind_int(st, "item_id", item_id);
	int rc = db_one(st);
	*vid = 0;
	if (rc == 0) {
		*vid = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
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
		int64_t old;
		if ((rc = published_version(db, l.item_id, &old)) != 0)
			return rc;
		if (old && (rc = set_status(db, actor, old, "superseded", STAMP_NONE, NULL, "item.supersede")) != 0)
			return rc;
		if ((rc = set_status(db, actor, l.vid, "published", STAMP_PUBLISHED, NULL, "item.publish")) != 0)
			return rc;
		return db_bump_generation(db, "catalog");
	}
	case CAT_WITHDRAW: {
		int64_t pub;
		if ((rc = published_version(db, l.item_id, &pub)) != 0)
			return rc;
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
	db_stmt_t *st = db_prepare(
		db, "SELECT v.id, v.version, v.published_at, i.dept_id, v.data FROM items i JOIN item_versions v "
		    "ON v.item_id = i.id AND v.status = 'published' WHERE i.code = :code");
	db_bind_text(st, "code", code);
	int rc = db_one(st);
	if (rc)
		return rc;
	/* Splice the version fields into the stored object without re-parsing it: data is a
	 * canonical JSON object, so it starts with '{'. */
	const char *data = db_col_text(st, 4);
	char head[160];
	int n = snprintf(head, sizeof head, "{\"version\":%lld,\"published_at\":%lld,\"dept_id\":%lld,",
			 (long long)db_col_int(st, 1), (long long)db_col_int(st, 2), (long long)db_col_int(st, 3));
	size_t dl = strlen(data);
	char *out = xmalloc((size_t)n + dl);
	memcpy(out, head, (size_t)n);
	memcpy(out + n, data + 1, dl); /* includes the NUL */
	*json_out = out;
	*version_id = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

/* An integer column as JSON, null when NULL. */
static json_t *int_or_null(db_stmt_t *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
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
	db_stmt_t *st = db_prepare(db, "SELECT id, version, status, created_at, submitted_at, published_at, "
				       "review_note, data FROM item_versions WHERE item_id = :item_id "
				       "ORDER BY version DESC");
	db_bind_int(st, "item_id", id);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *r = json_pack("{s:I, s:I, s:s, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "version",
				      (json_int_t)db_col_int(st, 1), "status", db_col_text(st, 2), "created_at",
				      (json_int_t)db_col_int(st, 3), "review_note", db_col_text(st, 6));
		json_object_set_new(r, "submitted_at", int_or_null(st, 4));
		json_object_set_new(r, "published_at", int_or_null(st, 5));
		json_array_append_new(versions, r);
		if (!latest)
			latest = db_col_parse_json(st, 7);
	}
	if (rc < 0) {
		json_decref(versions);
		json_decref(latest);
		return rc;
	}
	*out = json_pack("{s:I, s:s, s:I, s:o, s:o, s:I, s:s}", "id", (json_int_t)id, "code", l.code, "dept_id",
			 (json_int_t)l.dept_id, "versions", versions, "latest", latest ? latest : json_null(),
			 "latest_version", (json_int_t)l.version, "latest_status", l.status);
	return 0;
}

/* The admin list's scope and filters, the same in the count and the page. */
#define ADMIN_WHERE                                                                                                    \
	" FROM items i JOIN departments d ON d.id = i.dept_id"                                                         \
	" JOIN item_versions v ON v.item_id = i.id AND v.version = (SELECT MAX(version) FROM item_versions"            \
	" WHERE item_id = i.id)"                                                                                       \
	" WHERE ((:regional = 1 AND d.region_code LIKE :prefix) OR (:regional = 0 AND i.dept_id = :own_dept))"        \
	" AND (CAST(:status AS TEXT) IS NULL OR v.status = :status) AND (:dept_id = 0 OR i.dept_id = :dept_id)"       \
	" AND (CAST(:q AS TEXT) IS NULL OR replace(v.name, :q, '') <> v.name OR i.code = :q)"

static void bind_admin_where(db_stmt_t *st, const auth_user_t *actor, bool regional, const char *prefix,
			     const char *status, int64_t dept_id, const char *q)
{
	db_bind_int(st, "regional", regional);
	db_bind_text(st, "prefix", prefix);
	db_bind_int(st, "own_dept", actor->dept_id);
	db_bind_text(st, "status", status && *status ? status : NULL);
	db_bind_int(st, "dept_id", dept_id);
	db_bind_text(st, "q", q && *q ? q : NULL);
}

int catalog_admin_list(db_t *db, const auth_user_t *actor, const char *status, int64_t dept_id, const char *q,
		       int64_t page, int64_t page_size, json_t **out)
{
	/* Scope: centre admins and supervisors by region prefix, others by their department. */
	bool regional = actor->roles & (ROLE_CENTER_ADMIN | ROLE_SUPERVISOR);
	char prefix[24];
	snprintf(prefix, sizeof prefix, "%.*s%%", (int)auth_region_prefix_len(actor->region_code), actor->region_code);
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*)" ADMIN_WHERE);
	bind_admin_where(st, actor, regional, prefix, status, dept_id, q);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always gives a row */
	int64_t total = db_col_int(st, 0);
	db_reset(st);

	st = db_prepare(db, "SELECT i.id, i.code, v.name, d.name, i.dept_id, v.version, v.status, "
			    "(SELECT MAX(version) FROM item_versions p WHERE p.item_id = i.id AND "
			    "p.status = 'published'), COALESCE(v.submitted_at, v.created_at)" ADMIN_WHERE
			    " ORDER BY i.id DESC LIMIT :limit OFFSET :offset");
	bind_admin_where(st, actor, regional, prefix, status, dept_id, q);
	db_bind_int(st, "limit", page_size);
	db_bind_int(st, "offset", (page - 1) * page_size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *r = json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
				      "code", db_col_text(st, 1), "name", db_col_text(st, 2), "dept",
				      db_col_text(st, 3), "dept_id", (json_int_t)db_col_int(st, 4), "version",
				      (json_int_t)db_col_int(st, 5), "status", db_col_text(st, 6), "updated_at",
				      (json_int_t)db_col_int(st, 8));
		json_object_set_new(r, "published_version", int_or_null(st, 7));
		json_array_append_new(items, r);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)page_size, "items", items);
	return 0;
}
#undef ADMIN_WHERE

int catalog_review_queue(db_t *db, const auth_user_t *actor, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT i.id, i.code, v.name, d.name, d.region_code, v.version, v.submitted_at, "
				       "i.dept_id FROM item_versions v JOIN items i ON i.id = v.item_id "
				       "JOIN departments d ON d.id = i.dept_id WHERE v.status = 'submitted' "
				       "ORDER BY v.submitted_at, v.id");
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!auth_dept_in_scope(actor, db_col_int(st, 7), db_col_text(st, 4)))
			continue;
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)db_col_int(st, 0),
						       "code", db_col_text(st, 1), "name", db_col_text(st, 2), "dept",
						       db_col_text(st, 3), "version", (json_int_t)db_col_int(st, 5),
						       "submitted_at", (json_int_t)db_col_int(st, 6)));
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

int catalog_versions(db_t *db, const char *code, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT v.version, v.status, v.published_at FROM items i JOIN item_versions v "
				       "ON v.item_id = i.id WHERE i.code = :code AND v.published_at IS NOT NULL "
				       "ORDER BY v.version DESC");
	db_bind_text(st, "code", code);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, json_pack("{s:I, s:s, s:I}", "version", (json_int_t)db_col_int(st, 0),
						       "status", db_col_text(st, 1), "published_at",
						       (json_int_t)db_col_int(st, 2)));
	if (rc < 0 || json_array_size(items) == 0) {
		json_decref(items);
		return rc < 0 ? rc : YW_ENOTFOUND;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int catalog_counts(db_t *db, json_t **out)
{
	json_t *rows = json_array(), *lists = NULL, *tags = NULL;
	db_stmt_t *st = db_prepare(
		db, "SELECT level, COUNT(*), SUM((tags >> 4) & 1), SUM((tags >> 5) & 1), "
		    "SUM(CASE WHEN online_depth >= 3 THEN 1 ELSE 0 END) "
		    "FROM item_versions WHERE status = 'published' GROUP BY level ORDER BY level");
	int64_t t[4] = {0};
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		char lv[4];
		int level = (int)db_col_int(st, 0);
		snprintf(lv, sizeof lv, "%d", level);
		int64_t n = db_col_int(st, 1), z = db_col_int(st, 2), y = db_col_int(st, 3), on = db_col_int(st, 4);
		t[0] += n, t[1] += z, t[2] += y, t[3] += on;
		json_array_append_new(rows, json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:f}", "level", level, "label",
						      catalog_label(catalog_levels, lv), "items", (json_int_t)n, "zuiduo",
						      (json_int_t)z, "yici_bu", (json_int_t)y, "online", (json_int_t)on,
						      "online_share", n ? (double)on / (double)n : 0.0));
	}
	if (rc < 0)
		goto fail;

	st = db_prepare(db, "SELECT lists, tags FROM item_versions WHERE status = 'published'");
	int64_t lc[64] = {0}, tc[64] = {0};
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t l = db_col_int(st, 0), g = db_col_int(st, 1);
		for (int b = 0; b < 63; b++) {
			lc[b] += (l >> b) & 1;
			tc[b] += (g >> b) & 1;
		}
	}
	if (rc < 0)
		goto fail;
	json_t *total = json_pack("{s:s, s:I, s:I, s:I, s:I, s:f}", "label", "合计", "items", (json_int_t)t[0], "zuiduo",
				  (json_int_t)t[1], "yici_bu", (json_int_t)t[2], "online", (json_int_t)t[3],
				  "online_share", t[0] ? (double)t[3] / (double)t[0] : 0.0);
	lists = json_array();
	tags = json_array();
	for (int b = 0; catalog_lists[b]; b++)
		json_array_append_new(lists, json_pack("{s:s, s:I}", "name", catalog_lists[b], "items", (json_int_t)lc[b]));
	for (int b = 0; catalog_tags[b]; b++)
		json_array_append_new(tags, json_pack("{s:s, s:I}", "name", catalog_tags[b], "items", (json_int_t)tc[b]));
	*out = json_pack("{s:o, s:o, s:o, s:o}", "rows", rows, "total", total, "lists", lists, "tags", tags);
	return 0;
fail:
	json_decref(rows);
	return rc;
}

int catalog_exchange_document(db_t *db, bool all_versions, json_t **out)
{
	json_t *doc = json_pack("{s:s}", "format", "yiwang-catalog/1"), *items;
	int rc = org_export(db, doc);
	if (rc == 0)
		rc = catalog_export(db, all_versions, &items);
	if (rc) {
		json_decref(doc);
		return rc;
	}
	json_object_set_new(doc, "items", items);
	*out = doc;
	return 0;
}

int catalog_export(db_t *db, bool all_versions, json_t **out)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT v.data FROM items i JOIN item_versions v ON v.item_id = i.id WHERE "
		    "(:all = 1 AND v.version = (SELECT MAX(version) FROM item_versions WHERE item_id = i.id)) OR "
		    "(:all = 0 AND v.status = 'published') ORDER BY i.code");
	db_bind_int(st, "all", all_versions);
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *it = db_col_parse_json(st, 0);
		if (it)
			json_array_append_new(items, it);
	}
	if (rc < 0) {
		json_decref(items);
		*out = NULL;
		return rc;
	}
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

/* ---- what the version cache and the search index read ---- */

int catalog_store_version_data(db_t *db, int64_t version_id, bool *fixed, json_t **data)
{
	db_stmt_t *st = db_prepare(db, "SELECT status, data FROM item_versions WHERE id = :version_id");
	db_bind_int(st, "version_id", version_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	const char *status = db_col_text(st, 0);
	*fixed = strcmp(status, "draft") != 0 && strcmp(status, "submitted") != 0;
	*data = db_col_parse_json(st, 1);
	db_reset(st);
	return 0;
}

int catalog_store_generation(db_t *db, int64_t *gen)
{
	return db_generation(db, "catalog", gen);
}

int catalog_store_published_count(db_t *db, int64_t *n)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM item_versions WHERE status = 'published'");
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always gives a row */
	*n = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int catalog_store_published_each(db_t *db, int (*fn)(void *arg, const catalog_published_row_t *r), void *arg)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT i.id, i.code, v.name, d.name, i.dept_id, v.type, v.level, v.region_code, v.targets, "
		    "v.tags, v.lists, v.life_events, v.handling_class, v.promised_days, v.visits, v.online_depth, "
		    "v.search_text FROM item_versions v JOIN items i ON i.id = v.item_id "
		    "JOIN departments d ON d.id = i.dept_id WHERE v.status = 'published'");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		catalog_published_row_t r = {
			.id = db_col_int(st, 0), .code = db_col_text(st, 1), .name = db_col_text(st, 2),
			.dept = db_col_text(st, 3), .dept_id = db_col_int(st, 4), .type = db_col_text(st, 5),
			.level = (int)db_col_int(st, 6), .region = db_col_text(st, 7), .targets = db_col_int(st, 8),
			.tags = db_col_int(st, 9), .lists = db_col_int(st, 10), .life_events = db_col_int(st, 11),
			.handling_class = (int)db_col_int(st, 12), .promised_days = (int)db_col_int(st, 13),
			.visits = (int)db_col_int(st, 14), .online_depth = (int)db_col_int(st, 15),
			.search_text = db_col_text(st, 16)};
		int stop = fn(arg, &r);
		if (stop) {
			db_reset(st);
			rc = stop < 0 ? stop : 0;
			break;
		}
	}
	if (rc >= 0)
		db_release_memory(db); /* the pages of every published version, read once */
	return rc < 0 ? rc : 0;
}
