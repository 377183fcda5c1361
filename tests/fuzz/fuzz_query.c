/* Fuzz target: a raw query string ("q=%E8%AE%B8%E5%8F%AF&page=2&level=3&from=2025-10-01")
 * decoded by libmicrohttpd's own unescaper and then handled as the search and calendar routes
 * handle it: UTF-8 check, integer and date parsing, and a search over a small published
 * catalogue in an in-memory database. Invariant: the search answer is valid JSON whose total
 * is at least the number of items on the page. */
#include <stdio.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/http.h"

/* Release builds drop assert(); a fuzz invariant must hold in every build. */
#define CHECK(x) ((x) ? (void)0 : (fprintf(stderr, "invariant failed: %s\n", #x), abort()))

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static db_t *db;

static void setup(void)
{
	if (db_open(":memory:", &db) != 0)
		abort();
	db_exec(db, "INSERT INTO regions(code, name, level) VALUES ('430100', '长沙市', 1);"
		    "INSERT INTO departments(name, uscc, region_code) VALUES ('长沙市民政局', '124301006803170439', '430100');");
	static const char *const names[] = {"结婚登记", "离婚登记", "最低生活保障", "临时救助", "食品经营许可(新办)"};
	json_t *items = json_array();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char code[16];
		snprintf(code, sizeof code, "FUZZ%zu", i);
		json_array_append_new(
			items, json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:[i], s:i, s:i, s:i, s:[i], s:i, s:i, s:[s], "
					 "s:[{s:s}], s:[{s:s, s:i}]}",
					 "code", code, "name", names[i], "dept", "长沙市民政局", "type", "07", "level", 3,
					 "region", "430100", "targets", 1, "handling_class", 1, "legal_limit_days", 20,
					 "promised_limit_days", 1, "forms", 1, "visits", 1, "online_depth", 3, "tags", "马上办",
					 "materials", "name", "居民身份证", "steps", "name", "受理", "days", 1));
	}
	vctx_t v = {0};
	int n;
	if (catalog_import(db, NULL, items, true, NULL, &v, &n) != 0)
		abort();
	json_decref(items);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (!db)
		setup();
	char *raw = malloc(size + 1);
	memcpy(raw, data, size);
	raw[size] = 0;
	catalog_query_t q = {.page = 1, .page_size = 20};
	char *save = NULL;
	for (char *pair = strtok_r(raw, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(pair, '=');
		if (!eq)
			continue;
		*eq = 0;
		char *val = eq + 1;
		MHD_http_unescape(val);
		if (!utf8_valid(val, strlen(val)))
			continue;
		int64_t n;
		if (strcmp(pair, "q") == 0)
			q.q = val;
		else if (strcmp(pair, "type") == 0)
			q.type = val;
		else if (strcmp(pair, "tag") == 0)
			q.tag = val;
		else if (strcmp(pair, "region") == 0)
			q.region = val;
		else if (strcmp(pair, "page") == 0 && http_parse_int(val, 1, 1000000, &n) == 0)
			q.page = n;
		else if (strcmp(pair, "level") == 0 && http_parse_int(val, 0, 6, &n) == 0)
			q.level = n;
		else if (strcmp(pair, "from") == 0) {
			yw_date_t d;
			if (date_parse(val, strlen(val), &d) == 0) {
				char back[11];
				date_format(d, back);
				CHECK(strcmp(back, val) == 0);
			}
		}
	}
	char *out;
	size_t len;
	if (catalog_search(db, &q, &out, &len) == 0) {
		json_t *j = json_loadb(out, len, 0, NULL);
		CHECK(j);
		CHECK(json_integer_value(json_object_get(j, "total")) >= (json_int_t)json_array_size(json_object_get(j, "items")));
		json_decref(j);
		free(out);
	}
	free(raw);
	return 0;
}
