/* The demo city: data/demo/city.json (a Changsha-like city: regions, about twenty departments,
 * halls, windows, staff in every role and real items with complete guides), loaded and published,
 * plus `--scale N`, which spreads N more items over the four service levels for load tests
 * (seed 000's city has 30,000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "org/org.h"
#include "platform/calendar_store.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "platform/log.h"

extern const char yw_data_city[];
extern const size_t yw_data_city_len;

static void print_errors(vctx_t *v)
{
	size_t i;
	json_t *e;
	json_array_foreach(v->errors, i, e) {
		if (i >= 20)
			break;
		log_error("demo: %s: %s", json_string_value(json_object_get(e, "field")),
			  json_string_value(json_object_get(e, "message")));
	}
}

/* Two applicant accounts so the portal can be tried as a citizen and as a company. */
static int demo_applicants(db_t *db, const char *password)
{
	static const char *const people[][5] = {
		{"person", "zhangsan", "张三", "id_number", "430102198507150011"},
		{"legal", "xiangjiang_food", "长沙湘江餐饮有限公司", "uscc", "91430102MA4L0000"},
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
		char id[19];
		snprintf(id, sizeof id, "%s", people[i][4]);
		if (strcmp(people[i][0], "person") == 0) {
			id[17] = idcheck_person_check_char(id);
			id[18] = 0;
		} else {
			snprintf(id, sizeof id, "%s1", people[i][4]);
			id[17] = idcheck_uscc_check_char(id);
			id[18] = 0;
		}
		json_t *u = json_pack("{s:s, s:s, s:s, s:s, s:s}", "username", people[i][1], "name", people[i][2], "password",
				      password, people[i][3], id, "phone", "13800000000");
		vctx_t v = {0};
		int64_t uid;
		int rc = org_user_create(db, NULL, u, people[i][0], &v, &uid);
		json_decref(u);
		if (rc) {
			print_errors(&v);
			json_decref(v.errors);
			return rc;
		}
	}
	return 0;
}

int catalog_demo_load(db_t *db, const char *password, int *items_out)
{
	json_error_t err;
	json_t *doc = json_loadb(yw_data_city, yw_data_city_len, 0, &err);
	if (!doc) {
		log_error("demo: city.json line %d: %s", err.line, err.text);
		return YW_EMALFORMED;
	}
	vctx_t v = {0};
	int rc = catalog_import(db, NULL, doc, true, password, &v, items_out);
	if (!rc)
		rc = db_begin(db);
	if (!rc) {
		rc = calendar_store_seed(db);
		if (!rc)
			rc = demo_applicants(db, password);
		rc = rc ? rc : db_commit(db);
		if (rc)
			db_rollback(db);
	}
	if (rc)
		print_errors(&v);
	json_decref(v.errors);
	json_decref(doc);
	return rc;
}

int catalog_demo_scale(db_t *db, int n)
{
	json_t *templates;
	int rc = catalog_export(db, false, &templates);
	if (rc)
		return rc;
	if (json_array_size(templates) == 0) {
		json_decref(templates);
		log_error("demo: --scale needs the demo city's items as templates");
		return YW_ENOTFOUND;
	}
	/* Regions below the city, with the service level (4 县, 5 镇/街道, 6 村/社区) their items run at. */
	json_t *regions = json_array();
	db_stmt_t *st = db_prepare(db, "SELECT code, name, level FROM regions WHERE level >= 2 ORDER BY code");
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(regions, json_pack("{s:s, s:s, s:i}", "code", db_col_text(st, 0), "name",
							 db_col_text(st, 1), "level", (int)db_col_int(st, 2) + 2));
	if (rc < 0) {
		json_decref(templates);
		json_decref(regions);
		return rc;
	}
	size_t nt = json_array_size(templates), nr = json_array_size(regions);
	int done = 0;
	while (done < n && rc == 0) {
		json_t *batch = json_array();
		for (int k = 0; k < 1000 && done + k < n; k++) {
			int i = done + k;
			json_t *it = json_deep_copy(json_array_get(templates, (size_t)i % nt));
			char code[40], name[256];
			snprintf(code, sizeof code, "S%09d%s", i, json_string_value(json_object_get(it, "base_code")));
			code[32] = 0;
			/* A quarter stays at city level; the rest go to districts, streets and communities. */
			if (i % 4 == 0 || nr == 0) {
				snprintf(name, sizeof name, "%s(%d)", json_string_value(json_object_get(it, "name")), i / (int)nt + 1);
			} else {
				json_t *r = json_array_get(regions, (size_t)i % nr);
				snprintf(name, sizeof name, "%s%s", json_string_value(json_object_get(r, "name")),
					 json_string_value(json_object_get(it, "name")));
				json_object_set(it, "region", json_object_get(r, "code"));
				json_object_set(it, "level", json_object_get(r, "level"));
			}
			json_object_set_new(it, "code", json_string(code));
			json_object_set_new(it, "name", json_string(name));
			json_array_append_new(batch, it);
		}
		vctx_t v = {0};
		int imported;
		rc = catalog_import(db, NULL, batch, true, NULL, &v, &imported);
		if (rc)
			print_errors(&v);
		json_decref(v.errors);
		json_decref(batch);
		done += imported;
		if (imported == 0)
			break;
	}
	json_decref(templates);
	json_decref(regions);
	return rc;
}
