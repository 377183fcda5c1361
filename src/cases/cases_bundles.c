/* 高效办成一件事 bundles (docs/domain.md §3, seed 004): one application for several items, handled at
 * once by the lead item's department (牵头) and the co-items' departments (并联审批), each
 * with its budget in working days. Loaded from the catalogue file's "bundles" section. */
#include <stdio.h>
#include "platform/db_legacy.h"
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"

static int64_t item_id_of(db_t *db, const char *code)
{
	int64_t id = 0;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT id FROM items WHERE code = $1");
	dbl_bind_text(st, 1, code);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* One bundle's items: [item id, lead, budget] triples, checked. */
static json_t *bundle_items(db_t *db, json_t *b, vctx_t *v)
{
	json_t *items = v_array(v, b, "items", true), *out = json_array();
	int leads = 0;
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
		int64_t id = *code ? item_id_of(db, code) : 0;
		if (*code && !id)
			v_error(v, "item", "事项不存在");
		leads += lead;
		json_array_append_new(out, json_pack("[I, b, I]", (json_int_t)id, lead, (json_int_t)budget));
	}
	memcpy(v->prefix, prefix, sizeof prefix);
	if (items && leads != 1)
		v_error(v, "items", "须有且只有一个牵头事项（lead）");
	return out;
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
		json_t *items = bundle_items(db, b, v);
		if (!v_ok(v)) {
			json_decref(items);
			continue;
		}
		sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO bundles(code, name, description, created_at) VALUES ($1, $2, $3, $4) "
						  "ON CONFLICT(code) DO UPDATE SET name = excluded.name, "
						  "description = excluded.description RETURNING id");
		dbl_bind_text(st, 1, code);
		dbl_bind_text(st, 2, name);
		dbl_bind_text(st, 3, desc);
		dbl_bind_int(st, 4, (int64_t)yw_now());
		int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		rc = id ? audit_record_id(db, actor, "bundle.import", "bundles", id) : YW_EDB;
		/* a bundle's composition is replaced as a whole; each row that was or now is there gets
		 * its audit record (a removed one with no state) */
		json_t *touched = json_array();
		st = dbl_prepare(db, "DELETE FROM bundle_items WHERE bundle_id = $1 RETURNING item_id");
		dbl_bind_int(st, 1, id);
		int s = SQLITE_DONE;
		while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW)
			json_array_append_new(touched, json_integer(sqlite3_column_int64(st, 0)));
		if (!rc && s != SQLITE_DONE)
			rc = YW_EDB;
		sqlite3_reset(st);
		size_t k;
		json_t *it;
		json_array_foreach(items, k, it) {
			if (rc)
				break;
			st = dbl_prepare(db, "INSERT INTO bundle_items(bundle_id, item_id, lead, budget_days) VALUES ($1, $2, $3, $4)");
			dbl_bind_int(st, 1, id);
			dbl_bind_int(st, 2, json_integer_value(json_array_get(it, 0)));
			dbl_bind_int(st, 3, json_is_true(json_array_get(it, 1)));
			dbl_bind_int(st, 4, json_integer_value(json_array_get(it, 2)));
			rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
			sqlite3_reset(st);
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
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT b.id, b.code, b.name, b.description, i.code, COALESCE(v.name, i.code), d.name, bi.lead, "
		    "bi.budget_days FROM bundles b JOIN bundle_items bi ON bi.bundle_id = b.id JOIN items i ON i.id = bi.item_id "
		    "LEFT JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
		    "JOIN departments d ON d.id = i.dept_id ORDER BY b.code, bi.lead DESC, i.code");
	int64_t last = 0;
	json_t *cur = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!cur || sqlite3_column_int64(st, 0) != last) {
			last = sqlite3_column_int64(st, 0);
			cur = json_pack("{s:s, s:s, s:s, s:[]}", "code", dbl_col_text(st, 1), "name", dbl_col_text(st, 2),
					"description", dbl_col_text(st, 3), "items");
			json_array_append_new(list, cur);
		}
		json_array_append_new(json_object_get(cur, "items"),
				      json_pack("{s:s, s:s, s:s, s:b, s:i}", "item_code", dbl_col_text(st, 4), "item_name",
						dbl_col_text(st, 5), "dept", dbl_col_text(st, 6), "lead", sqlite3_column_int(st, 7),
						"budget_days", sqlite3_column_int(st, 8)));
	}
	sqlite3_reset(st);
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(list), "items", list);
	return 0;
}
