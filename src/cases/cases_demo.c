/* Demo cases (`yiwang demo --cases N`): applications in every state, made by the demo accounts
 * through the same store functions the API uses, so that `make run` shows windows an inbox,
 * approvers their steps, supervisors a dashboard and the applicants a history. Every case is
 * audited like any other; the choices are drawn from a fixed seed, so two demo cities are alike. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "catalog/catalog.h"
#include "platform/calendar_store.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "reviews/reviews_store.h"

static uint64_t g_rand = 0x5eed2026;

static unsigned pick(unsigned n)
{
	g_rand = g_rand * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((g_rand >> 33) % n);
}

static int load_user(db_t *db, const char *username, auth_user_t *u)
{
	int64_t id;
	int rc = db_query_int(db, "SELECT id FROM users WHERE username = $1", username, &id);
	return rc ? rc : auth_user_load(db, id, u);
}

/* A GB 11643 number for a walk-in applicant born in 1960-1999 in 长沙市芙蓉区. */
static void person_id(char out[19])
{
	snprintf(out, 19, "430102%04u%02u%02u%03u", 1960 + pick(40), 1 + pick(12), 1 + pick(28), pick(1000));
	out[17] = idcheck_person_check_char(out);
	out[18] = 0;
}

typedef struct demo_item {
	char code[40];
	int64_t approver_id;
	int steps; /* back-office steps after the window */
	bool person, org; /* its service targets (服务对象) admit persons, organisations */
	json_t *materials;
} demo_item_t;

/* A GB 32100 code for a walk-in company registered in 长沙市. */
static void org_uscc(char out[19])
{
	snprintf(out, 19, "91430100MA4L%05u", pick(100000));
	out[17] = idcheck_uscc_check_char(out);
	out[18] = 0;
}

/* Published items whose department has an approver account, with the approver. */
static int load_items(db_t *db, demo_item_t *items, int max, int *n)
{
	sqlite3_stmt *st = db_prepare(
		db, "SELECT i.code, v.id, (SELECT u.id FROM users u WHERE u.dept_id = i.dept_id AND "
		    "(',' || u.roles || ',') LIKE '%,approver,%' ORDER BY u.id LIMIT 1) AS approver "
		    "FROM items i JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
		    "WHERE approver IS NOT NULL ORDER BY i.id");
	*n = 0;
	while (*n < max && sqlite3_step(st) == SQLITE_ROW) {
		demo_item_t *it = &items[*n];
		json_t *g = catalog_version_data(db, sqlite3_column_int64(st, 1));
		size_t k;
		json_t *s;
		it->steps = 0;
		json_array_foreach(json_object_get(g, "steps"), k, s)
			it->steps += strcmp(json_string_value(json_object_get(s, "role")), "window") != 0;
		it->materials = json_incref(json_object_get(g, "materials"));
		it->person = it->org = false;
		json_array_foreach(json_object_get(g, "targets"), k, s) {
			it->person |= json_integer_value(s) == 1;
			it->org |= json_integer_value(s) >= 2;
		}
		json_decref(g);
		snprintf(it->code, sizeof it->code, "%s", db_col_text(st, 0));
		it->approver_id = sqlite3_column_int64(st, 2);
		if (it->steps > 0 && json_array_size(it->materials) > 0)
			(*n)++;
		else
			json_decref(it->materials);
	}
	sqlite3_reset(st);
	return 0;
}

static int act(db_t *db, const auth_user_t *u, int64_t id, enum case_action a, json_t *body, const calendar_t *cal)
{
	vctx_t v = {0};
	char why[CASE_WHY_MAX] = "";
	int rc = cases_act(db, u, id, a, body, cal, &v, why);
	if (rc)
		fprintf(stderr, "demo case %lld: %s failed (%d) %s\n", (long long)id, case_action_name(a), rc, why);
	json_decref(v.errors);
	json_decref(body);
	return rc;
}

static const char *const names[] = {"李明", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄丽", "周强", "吴敏", "徐涛"};

int cases_demo_load(db_t *db, int n, int *made)
{
	auth_user_t citizen[2], clerk;
	if (load_user(db, "zhangsan", &citizen[0]) || load_user(db, "xiangjiang_food", &citizen[1]) ||
	    load_user(db, "window01", &clerk))
		return YW_ENOTFOUND;
	demo_item_t items[256];
	int nitems = 0;
	load_items(db, items, 256, &nitems);
	if (!nitems)
		return YW_ENOTFOUND;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	*made = 0;
	for (int i = 0; i < n && !rc; i++) {
		demo_item_t *it = &items[pick((unsigned)nitems)];
		auth_user_t approver;
		if ((rc = auth_user_load(db, it->approver_id, &approver)) != 0)
			break;
		bool online = pick(10) < 6;
		/* the applicant the item serves: 张三 a person, 湘江餐饮 a company */
		bool legal = it->org && (!it->person || pick(2));
		const auth_user_t *applicant = online ? &citizen[legal] : &clerk;
		/* every material the guide names, so that 受理 finds the required ones in hand */
		json_t *mats = json_array();
		size_t mi;
		json_t *m;
		json_array_foreach(it->materials, mi, m)
			json_array_append(mats, json_object_get(m, "name"));
		json_t *in = json_pack("{s:s, s:o, s:{s:s}}", "item_code", it->code, "materials", mats, "form", "address",
				       "长沙市芙蓉区五一大道1号");
		if (!online) {
			char no[19];
			if (legal)
				org_uscc(no);
			else
				person_id(no);
			json_object_set_new(in, "applicant",
					    legal ? json_pack("{s:s, s:s, s:s, s:s}", "kind", "legal", "name", "长沙岳麓山商贸有限公司",
							      "uscc", no, "phone", "0731-88886666")
						  : json_pack("{s:s, s:s, s:s}", "name", names[pick(10)], "id_number", no,
							      "phone", "13800138000"));
			json_object_set_new(in, "agent", json_boolean(pick(10) == 0)); /* 帮代办 */
		}
		vctx_t v = {0};
		int64_t id = 0;
		rc = cases_create(db, applicant, in, &v, &id);
		json_decref(in);
		json_decref(v.errors);
		if (rc == YW_ECONFLICT) {
			rc = 0; /* the item refuses a second open application (duplicate_policy) */
			continue;
		}
		if (rc)
			break;
		(*made)++;
		/* where this case stops: 已接件, 补正中, 不予受理, 撤件, in its steps, 特别程序, 办结 */
		unsigned fate = pick(100);
		if (fate < 10)
			continue;
		if (fate < 16) {
			rc = act(db, &clerk, id, CA_CORRECTION,
				 json_pack("{s:[{s:O, s:s}]}", "items", "material",
					   json_object_get(json_array_get(it->materials, 0), "name"), "reason", "复印件不清晰,请提供原件扫描件"),
				 cal);
			continue;
		}
		if (fate < 20) {
			rc = act(db, &clerk, id, CA_REFUSE,
				 json_pack("{s:s}", "reasons", "申请事项不属于本机关职权范围,请向所在区县行政审批服务局申请"), cal);
			continue;
		}
		if (fate < 24) {
			rc = act(db, online ? applicant : &clerk, id, CA_WITHDRAW, json_pack("{s:s}", "note", "申请人主动撤回"), cal);
			continue;
		}
		if ((rc = act(db, &clerk, id, CA_ACCEPT, json_object(), cal)) != 0)
			break;
		int passes = fate < 60 ? (int)pick((unsigned)it->steps) : it->steps - 1;
		for (int k = 0; k < passes && !rc; k++)
			rc = act(db, &approver, id, CA_PASS, json_pack("{s:s}", "note", "材料齐全,符合条件"), cal);
		if (rc || fate < 55)
			continue;
		if (fate < 60) {
			rc = act(db, &approver, id, CA_SUSPEND,
				 json_pack("{s:s, s:s, s:i}", "kind", "现场勘验", "reason", "需对经营场所进行现场核查", "days", 5),
				 cal);
			continue;
		}
		bool deny = pick(12) == 0;
		rc = act(db, &approver, id, deny ? CA_DENY : CA_APPROVE,
			 deny ? json_pack("{s:s}", "reason", "现场核查发现经营场所与申请材料不符")
			      : json_pack("{s:s}", "note", "准予许可"),
			 cal);
		if (!rc && online && pick(3) > 0) {
			/* 一事一评: most applicants rate; one in ten is unhappy */
			json_t *r = json_pack("{s:i, s:s, s:s}", "level", pick(10) ? 1 + (int)pick(2) : 4, "channel", "pc",
					      "comment", "办事效率高,工作人员态度好");
			vctx_t rv = {0};
			int64_t rid;
			rc = reviews_rate_case(db, applicant, id, r, &rv, &rid);
			json_decref(r);
			json_decref(rv.errors);
		}
	}
	calendar_release();
	for (int k = 0; k < nitems; k++)
		json_decref(items[k].materials);
	return rc;
}
