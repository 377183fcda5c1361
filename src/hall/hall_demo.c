/* Demo queues for the demo city's three halls (yiwang demo): the service categories of a city
 * centre (A 综合受理, B 不动产, C 公积金, D 社保医保, E 公安, F 企业开办, G 税务) and of the
 * district and street centres, each window serving its queues in order, with an appointment day
 * template of 30-minute slots. Loaded once, as the system, with audit records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/err.h"

typedef struct demo_queue {
	const char *hall, *letter, *name;
	int capacity;
	int windows[10]; /* window numbers serving the queue (first in their list), 0-terminated */
	int also[10];    /* windows serving it after their own queue */
} demo_queue_t;

static const demo_queue_t demo[] = {
	{"长沙市政务服务中心", "A", "综合受理", 5, {1, 2, 3, 4, 5, 6, 7, 8, 24}, {11}},
	{"长沙市政务服务中心", "B", "不动产登记", 4, {16, 17}, {8}},
	{"长沙市政务服务中心", "C", "住房公积金", 3, {21}, {7}},
	{"长沙市政务服务中心", "D", "社保医保", 4, {19, 20}, {6}},
	{"长沙市政务服务中心", "E", "公安(户政、出入境、车驾管)", 4, {13, 14, 15}, {0}},
	{"长沙市政务服务中心", "F", "企业开办", 3, {22, 23}, {5}},
	{"长沙市政务服务中心", "G", "税务", 3, {18}, {0}},
	{"芙蓉区政务服务中心", "A", "综合受理", 3, {101, 102, 106}, {0}},
	{"芙蓉区政务服务中心", "B", "社会事务与婚姻登记", 2, {104, 105}, {102}},
	{"芙蓉区文艺路街道便民服务中心", "A", "综合受理", 2, {201, 202, 203}, {0}},
};
#define NDEMO (sizeof demo / sizeof demo[0])

/* The id the one-parameter query finds, or 0. */
static int64_t lookup(sqlite3_stmt *st)
{
	int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return id;
}

/* Appends queue_id to the window's ordered list (window numbers are unique in the demo city). */
static int serve(db_t *db, int number, int64_t queue_id, json_t *lists)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id FROM windows WHERE number = $1");
	db_bind_int(st, 1, number);
	int64_t wid = lookup(st);
	if (!wid)
		return YW_ENOTFOUND;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)wid);
	json_t *l = json_object_get(lists, key);
	if (!l)
		json_object_set_new(lists, key, l = json_array());
	return json_array_append_new(l, json_integer(queue_id)) ? YW_EDB : 0;
}

int hall_demo_load(db_t *db)
{
	json_t *lists = json_object();
	int rc = 0;
	/* first every queue's own windows, then the windows that help out, so order holds */
	int64_t ids[NDEMO];
	for (size_t i = 0; !rc && i < NDEMO; i++) {
		sqlite3_stmt *st = db_prepare(db, "SELECT id FROM halls WHERE name = $1");
		db_bind_text(st, 1, demo[i].hall);
		int64_t hall_id = lookup(st);
		json_t *in = json_pack("{s:I, s:s, s:s, s:i}", "hall_id", (json_int_t)hall_id, "letter", demo[i].letter, "name",
				       demo[i].name, "slot_capacity", demo[i].capacity);
		vctx_t v = {0};
		rc = hall_queue_save(db, NULL, 0, in, &v, &ids[i]);
		json_decref(v.errors);
		json_decref(in);
		for (int w = 0; !rc && w < 10 && demo[i].windows[w]; w++)
			rc = serve(db, demo[i].windows[w], ids[i], lists);
	}
	for (size_t i = 0; !rc && i < NDEMO; i++)
		for (int w = 0; !rc && w < 10 && demo[i].also[w]; w++)
			rc = serve(db, demo[i].also[w], ids[i], lists);
	const char *key;
	json_t *l;
	json_object_foreach(lists, key, l) {
		vctx_t v = {0};
		if (!rc)
			rc = hall_window_set_queues(db, NULL, strtoll(key, NULL, 10), l, &v);
		json_decref(v.errors);
	}
	json_decref(lists);
	return rc;
}
