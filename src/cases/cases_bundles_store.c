/* 高效办成一件事 bundles (docs/domain.md §3, seed 004): one application for several items, handled at
 * once by the lead item's department (牵头) and the co-items' departments (并联审批), each
 * with its budget in working days. Loaded from the catalogue file's "bundles" section. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"

/* The id of the item with code, 0 when there is none. */
static int item_id_of(db_t *db, const char *code, int64_t *id)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM items WHERE code = :code");
	db_bind_text(st, "code", code);
	int rc = db_one(st);
	*id = 0;
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* One bundle's items: [item id, lead, budget] triples, checked, into *out (also after an error). */
static int bundle_items(db_t *db, json_t *b, vctx_t *v, json_t **out_p)
{
	json_t *items = v_array(v, b, "items", true), *out = json_array();
	*out_p = out;
	int leads = 0, rc = 0;
	size_t i;
	json_t *it;
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	if (items && json_array_size(items) < 2)
		v_error(v, "items", "一件事至少包含牵头事项和一个协办事项");
	json_array_foreach(items, i, it) {
		snprintf(v->prefix, sizeof v->prefix, "%sitems[%zu].", prefix, i);
		if (!json_is_object(it)) {
			v_error(v, "", "应为对象");
			continue;
		}
		const char *code = v_str(v, it, "item", 1, 40);
		bool lead = v_bool(v, it, "lead", false);
		int64_t budget = v_int(v, it, "budget_days", 1, 60, true, 0);
		int64_t id = 0;
		if (*code && (rc = item_id_of(db, code, &id)) != 0)
			break;
		if (*code && !id)
			v_error(v, "item", "事项不存在");
		leads += lead;
		json_array_append_new(out, json_pack("[I, b, I]", (json_int_t)id, lead, (json_int_t)budget));
	}
	memcpy(v->prefix, prefix, sizeof prefix);
	if (!rc && items && leads != 1)
		v_error(v, "items", "须有且只有一个牵头事项（lead）");
	return rc;
}

int cases_bundles_import(db_t *db, const auth_user_t *actor, json_t *bundles, vctx_t *v)
{
	if (!bundles || json_is_null(bundles))
		return 0;
	if (!json_is_array(bundles)) {
		v_error(v, "bundles", "应为数组");
		return YW_EINVAL;
	}
	char prefix[sizeof v->prefix];
	memcpy(prefix, v->prefix, sizeof prefix);
	int rc = 0;
	size_t i;
	json_t *b;
	json_array_foreach(bundles, i, b) {
		snprintf(v->prefix, sizeof v->prefix, "%sbundles[%zu].", prefix, i);
		const char *code = v_str(v, b, "code", 1, 32), *name = v_str(v, b, "name", 1, 100);
		const char *desc = v_str(v, b, "description", 0, 2000);
		json_t *items;
		if ((rc = bundle_items(db, b, v, &items)) != 0) {
			json_decref(items);
			break;
		}
		if (!v_ok(v)) {
			json_decref(items);
			continue;
		}
		db_stmt_t *st = db_prepare(db, "INSERT INTO bundles(code, name, description, created_at) "
					       "VALUES (:code, :name, :description, :now) "
					       "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
					       "description = excluded.description RETURNING id");
		db_bind_text(st, "code", code);
		db_bind_text(st, "name", name);
		db_bind_text(st, "description", desc);
		db_bind_int(st, "now", (int64_t)yw_now());
		int64_t id = 0;
		rc = db_one(st);
		if (rc == 0) {
			id = db_col_int(st, 0);
			db_reset(st);
			rc = audit_record_id(db, actor, "bundle.import", "bundles", id);
		} else if (rc == YW_ENOTFOUND) {
			rc = YW_EDB; /* an upsert ... RETURNING always has its row */
		}
		/* a bundle's composition is replaced as a whole; each row that was or now is there gets
		 * its audit record (a removed one with no state) */
		json_t *touched = json_array();
		if (!rc) {
			st = db_prepare(db, "DELETE FROM bundle_items WHERE bundle_id = :bundle_id RETURNING item_id");
			db_bind_int(st, "bundle_id", id);
			int s;
			while ((s = db_step(st)) == DB_ROW)
				json_array_append_new(touched, json_integer(db_col_int(st, 0)));
			if (s < 0)
				rc = s;
		}
		size_t k;
		json_t *it;
		json_array_foreach(items, k, it) {
			if (rc)
				break;
			st = db_prepare(db, "INSERT INTO bundle_items(bundle_id, item_id, lead, budget_days) "
					    "VALUES (:bundle_id, :item_id, :lead, :budget_days)");
			db_bind_int(st, "bundle_id", id);
			db_bind_int(st, "item_id", json_integer_value(json_array_get(it, 0)));
			db_bind_int(st, "lead", json_is_true(json_array_get(it, 1)));
			db_bind_int(st, "budget_days", json_integer_value(json_array_get(it, 2)));
			rc = db_run(st);
			json_array_append(touched, json_array_get(it, 0));
		}
		json_t *item;
		json_array_foreach(touched, k, item) {
			char key[48];
			snprintf(key, sizeof key, "%lld/%lld", (long long)id, (long long)json_integer_value(item));
			bool seen = false; /* a row both removed and added gets one record */
			for (size_t j = 0; j < k && !seen; j++)
				seen = json_integer_value(json_array_get(touched, j)) == json_integer_value(item);
			if (!rc && !seen)
				rc = audit_record(db, actor, "bundle.import", "bundle_items", key);
		}
		json_decref(touched);
		json_decref(items);
		if (rc)
			break;
	}
	memcpy(v->prefix, prefix, sizeof prefix);
	return rc ? rc : v_ok(v) ? 0 : YW_EINVAL;
}

int cases_bundles_list(db_t *db, json_t **out)
{
	json_t *list = json_array();
	db_stmt_t *st = db_prepare(
		db,
		"SELECT b.id, b.code, b.name, b.description, i.code, COALESCE(v.name, i.code), d.name, bi.lead, "
		"bi.budget_days FROM bundles b JOIN bundle_items bi ON bi.bundle_id = b.id JOIN items i ON i.id = bi.item_id "
		"LEFT JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
		"JOIN departments d ON d.id = i.dept_id ORDER BY b.code, bi.lead DESC, i.code");
	int64_t last = 0;
	json_t *cur = NULL;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (!cur || db_col_int(st, 0) != last) {
			last = db_col_int(st, 0);
			cur = json_pack("{s:s, s:s, s:s, s:[]}", "code", db_col_text(st, 1), "name", db_col_text(st, 2),
					"description", db_col_text(st, 3), "items");
			json_array_append_new(list, cur);
		}
		json_array_append_new(json_object_get(cur, "items"),
				      json_pack("{s:s, s:s, s:s, s:b, s:i}", "item_code", db_col_text(st, 4),
						"item_name", db_col_text(st, 5), "dept", db_col_text(st, 6), "lead",
						(int)db_col_int(st, 7), "budget_days", (int)db_col_int(st, 8)));
	}
	if (rc < 0) {
		json_decref(list);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(list), "items", list);
	return 0;
}
