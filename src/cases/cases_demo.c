/* Demo cases: `yiwang demo --cases N` makes applications in every state today, and `yiwang demo`
 * a year of them (the second part of this file). Both are made by the demo accounts
 * through the same store functions the API uses, so that `make run` shows windows an inbox,
 * approvers their steps, supervisors a dashboard and the applicants a history. Every case is
 * audited like any other; the choices are drawn from a fixed seed, so two demo cities are alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_priv.h"
#include "cases/cases_store.h"
#include "catalog/catalog.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "reviews/reviews_store.h"
#include "supervision/supervision_store.h"

static uint64_t g_rand = 0x5eed2026;

static unsigned pick(unsigned n)
{
	g_rand = g_rand * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((g_rand >> 33) % n);
}

static int load_user(db_t *db, const char *username, auth_user_t *u)
{
	int64_t id;
	int rc = db_query_int(db, "SELECT id FROM users WHERE username = :arg", username, &id);
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
	bool web;         /* applied for online too (办理形式 电脑端 or 移动端), not at the window only */
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
	/* the approver in a derived table: a select-list alias is not visible to WHERE in PostgreSQL */
	db_stmt_t *st = db_prepare(
		db, "SELECT code, version_id, approver FROM (SELECT i.id, i.code, v.id AS version_id, "
		    "(SELECT u.id FROM users u WHERE u.dept_id = i.dept_id AND "
		    "(',' || u.roles || ',') LIKE '%,approver,%' ORDER BY u.id LIMIT 1) AS approver "
		    "FROM items i JOIN item_versions v ON v.item_id = i.id AND v.status = 'published') t "
		    "WHERE approver IS NOT NULL ORDER BY id");
	*n = 0;
	int rc = DB_DONE;
	while (*n < max && (rc = db_step(st)) == DB_ROW) {
		demo_item_t *it = &items[*n];
		json_t *g;
		if ((rc = catalog_version_get(db, db_col_int(st, 1), &g)) != 0) {
			db_reset(st);
			break;
		}
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
		it->web = cases_channel_problem(g) == NULL;
		json_decref(g);
		snprintf(it->code, sizeof it->code, "%s", db_col_text(st, 0));
		it->approver_id = db_col_int(st, 2);
		if (it->steps > 0 && json_array_size(it->materials) > 0)
			(*n)++;
		else
			json_decref(it->materials);
	}
	if (rc == DB_ROW) /* stopped at max */
		db_reset(st);
	return rc < 0 ? rc : 0;
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
	int rc;
	if ((rc = load_user(db, "zhangsan", &citizen[0])) != 0 ||
	    (rc = load_user(db, "xiangjiang_food", &citizen[1])) != 0 || (rc = load_user(db, "window01", &clerk)) != 0)
		return rc;
	demo_item_t items[256];
	int nitems = 0;
	if ((rc = load_items(db, items, 256, &nitems)) != 0) {
		for (int k = 0; k < nitems; k++)
			json_decref(items[k].materials);
		return rc;
	}
	if (!nitems)
		return YW_ENOTFOUND;
	const calendar_t *cal;
	if ((rc = calendar_acquire(db, &cal)) != 0) {
		for (int k = 0; k < nitems; k++)
			json_decref(items[k].materials);
		return rc;
	}
	*made = 0;
	for (int i = 0; i < n && !rc; i++) {
		demo_item_t *it = &items[pick((unsigned)nitems)];
		auth_user_t approver;
		if ((rc = auth_user_load(db, it->approver_id, &approver)) != 0)
			break;
		bool online = pick(10) < 6 && it->web;
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
					   json_object_get(json_array_get(it->materials, 0), "name"), "reason", "复印件不清晰，请提供原件扫描件"),
				 cal);
			continue;
		}
		if (fate < 20) {
			rc = act(db, &clerk, id, CA_REFUSE,
				 json_pack("{s:s}", "reasons", "申请事项不属于本机关职权范围，请向所在区县行政审批服务局申请"), cal);
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
			rc = act(db, &approver, id, CA_PASS, json_pack("{s:s}", "note", "材料齐全，符合条件"), cal);
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
					      "comment", "办事效率高，工作人员态度好");
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

/* ---- a city that has lived a year (yiwang demo) ----
 *
 * The day loop is the caller's (main.c cmd_demo): for each day of the past year it pins the
 * clock (yw_clock_set), runs the background jobs and calls cases_demo_year_day on working days.
 * Everything here goes through the store functions with the clock at the simulated instant, so
 * the history has the events, clocks, signals, cards and audit records the live system makes. */

enum { YEAR_MAX_USERS = 1024, YEAR_MAX_ITEMS = 256, YEAR_MAX_STEPS = 8 };

typedef struct year_item {
	char code[40];
	int64_t dept;
	bool person;   /* 自然人 among the service targets */
	bool company;  /* 企业法人 among the service targets */
	bool web;      /* applied for online too, not at the window only (办理形式) */
	int nsteps;    /* back-office steps */
	int budget[YEAR_MAX_STEPS];
	int weight;
	json_t *required; /* names of the required materials */
	int nclerks, napprovers;
	int64_t clerks[48], approvers[4];
	int64_t admin;
} year_item_t;

enum year_stage { YS_SUBMITTED, YS_CORRECTING, YS_STEP, YS_SUSPENDED, YS_RATE, YS_DONE };

typedef struct year_case {
	int64_t id;
	int item;
	int64_t applicant; /* the account that applied online, 0 for a walk-in */
	int64_t clerk;
	int next;          /* working-day index of the next action */
	uint8_t stage, fate, step, suspend_step;
	int8_t missing; /* the required material left out, for the 补正; -1 none */
	bool deny;
} year_case_t;

typedef struct year_review {
	int64_t id, dept;
	int next;
} year_review_t;

struct cases_demo {
	db_t *db;
	const calendar_t *cal;
	yw_date_t today;
	int day;           /* working-day index of the day being simulated */
	int64_t t, t_end, dt;
	double per_day;
	year_item_t items[YEAR_MAX_ITEMS];
	int nitems, total_weight;
	auth_user_t *users[YEAR_MAX_USERS];
	int64_t zhangsan, company, supervisor;
	year_case_t *cases;
	size_t ncases, cap;
	year_review_t *reviews;
	size_t nreviews, rcap;
	int64_t last_review;
	int64_t *orders; /* open or answered 督办 orders we follow, with their next action day */
	int *order_next;
	size_t norders, ocap;
	int64_t last_card;
	cases_demo_counts_t n;
};

static const auth_user_t *year_user(cases_demo_t *s, int64_t id)
{
	if (id <= 0 || id >= YEAR_MAX_USERS)
		return NULL;
	if (!s->users[id]) {
		auth_user_t *u = calloc(1, sizeof *u);
		if (!u || auth_user_load(s->db, id, u) != 0) {
			free(u);
			return NULL;
		}
		s->users[id] = u;
	}
	return s->users[id];
}

/* The next instant of the simulated day: actions follow one another through office hours. */
static void year_tick(cases_demo_t *s)
{
	if (s->t + s->dt < s->t_end)
		s->t += s->dt;
	yw_clock_set(s->t);
}

static int year_roll(unsigned pct)
{
	return pick(100) < pct;
}

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
				       "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢",
				       "唐", "彭", "曾", "肖", "邓", "谭", "龙", "易", "贺", "文", "颜", "袁"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
				    "杰", "娟", "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "志强",
				    "晓燕", "海波", "丹", "湘", "湘君", "子涵", "浩然", "雨欣", "思远", "嘉怡"};
static const char *const trades[] = {"餐饮管理", "商贸", "科技", "建筑工程", "物业管理", "文化传媒", "医药",
				     "农业开发", "物流", "教育咨询", "环保科技", "食品"};
static const char *const brands[] = {"湘江", "岳麓", "橘洲", "星城", "麓山", "芙蓉", "天心", "开福", "雨花",
				     "望城", "浏阳河", "洞庭", "潇湘", "楚天", "长郡", "金霞"};

/* A walk-in applicant: a person with a GB 11643 number, or a company with a GB 32100 code. */
static json_t *year_applicant(bool company)
{
	char name[96], no[19], phone[12];
	static const char *const mobile[] = {"138", "139", "137", "150", "151", "158", "186", "187", "135", "177"};
	snprintf(phone, sizeof phone, "%s%08u", mobile[pick(10)], pick(100000000));
	if (company) {
		snprintf(name, sizeof name, "长沙%s%s有限公司", brands[pick(16)], trades[pick(12)]);
		/* the organisation code (GB 11714): eight digits and their check character */
		static const int w[] = {3, 7, 9, 10, 5, 8, 4, 2};
		memcpy(no, "91430100", 8); /* an enterprise (9, 1) registered in 长沙市 */
		int sum = 0;
		for (int i = 0; i < 8; i++) {
			no[8 + i] = (char)('0' + pick(10));
			sum += (no[8 + i] - '0') * w[i];
		}
		int c9 = 11 - sum % 11;
		no[16] = c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
		no[17] = idcheck_uscc_check_char(no);
		no[18] = 0;
	} else {
		snprintf(name, sizeof name, "%s%s", surnames[pick(36)], given[pick(34)]);
		static const char *const areas[] = {"430102", "430103", "430104", "430105", "430111", "430112", "430121", "430181"};
		snprintf(no, 19, "%s%04u%02u%02u%03u", areas[pick(8)], 1950 + pick(55), 1 + pick(12), 1 + pick(28), pick(1000));
		no[17] = idcheck_person_check_char(no);
		no[18] = 0;
	}
	return json_pack("{s:s, s:s, s:s, s:s}", "kind", company ? "legal" : "person", "name", name,
			 company ? "uscc" : "id_number", no, "phone", phone);
}

/* The department's first active account with role, 0 when there is none. */
static int year_first_of(db_t *db, const char *role, int64_t dept, int64_t *id)
{
	char like[40];
	snprintf(like, sizeof like, "%%,%s,%%", role);
	db_stmt_t *st = db_prepare(db,
				   "SELECT id FROM users WHERE dept_id = :dept_id AND (',' || roles || ',') LIKE :role "
				   "AND disabled = 0 ORDER BY id LIMIT 1");
	db_bind_int(st, "dept_id", dept);
	db_bind_text(st, "role", like);
	int rc = db_one(st);
	*id = 0;
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Published items with their targets, back-office step budgets, required materials, the windows
 * that may take them (clerks of the item's region, those of its own department first) and the
 * department's approvers; a popularity weight that falls off with a seeded rank. */
static int year_load_items(cases_demo_t *s)
{
	db_t *db = s->db;
	db_stmt_t *st = db_prepare(db,
				   "SELECT i.code, v.id, i.dept_id, d.region_code FROM items i "
				   "JOIN item_versions v ON v.item_id = i.id AND v.status = 'published' "
				   "JOIN departments d ON d.id = i.dept_id WHERE i.code NOT LIKE 'GEN%' ORDER BY i.id");
	db_stmt_t *cl = db_prepare(
		db, "SELECT u.id, u.region_code, COALESCE(w.dept_id, 0) FROM users u "
		    "LEFT JOIN windows w ON w.id = u.window_id WHERE (',' || u.roles || ',') LIKE '%,clerk,%' "
		    "AND u.disabled = 0 ORDER BY u.id");
	int rc = DB_DONE;
	while (s->nitems < YEAR_MAX_ITEMS && (rc = db_step(st)) == DB_ROW) {
		year_item_t *it = &s->items[s->nitems];
		memset(it, 0, sizeof *it);
		snprintf(it->code, sizeof it->code, "%s", db_col_text(st, 0));
		it->dept = db_col_int(st, 2);
		char region[16];
		snprintf(region, sizeof region, "%s", db_col_text(st, 3));
		json_t *g;
		if ((rc = catalog_version_get(db, db_col_int(st, 1), &g)) != 0) {
			db_reset(st);
			break;
		}
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(g, "targets"), k, x) {
			it->person = it->person || json_integer_value(x) == 1;
			it->company = it->company || json_integer_value(x) == 2;
		}
		it->web = cases_channel_problem(g) == NULL;
		int promised = (int)json_integer_value(json_object_get(g, "promised_limit_days"));
		json_t *steps = json_object_get(g, "steps");
		json_array_foreach(steps, k, x)
			if (strcmp(json_string_value(json_object_get(x, "role")) ? json_string_value(json_object_get(x, "role")) : "",
				   "window") != 0 && it->nsteps < YEAR_MAX_STEPS)
				it->budget[it->nsteps++] = case_step_budget((int)json_integer_value(json_object_get(x, "days")),
									    promised, (int)json_array_size(steps));
		it->required = json_array();
		json_array_foreach(json_object_get(g, "materials"), k, x)
			if (json_is_true(json_object_get(x, "required")))
				json_array_append(it->required, json_object_get(x, "name"));
		json_decref(g);
		/* approvers of the department */
		char like[] = "%,approver,%";
		db_stmt_t *ap = db_prepare(
			db, "SELECT id FROM users WHERE dept_id = :dept_id AND (',' || roles || ',') LIKE :role "
			    "AND disabled = 0 ORDER BY id LIMIT 4");
		db_bind_int(ap, "dept_id", it->dept);
		db_bind_text(ap, "role", like);
		int q;
		while ((q = db_step(ap)) == DB_ROW)
			it->approvers[it->napprovers++] = db_col_int(ap, 0);
		if (q == 0)
			q = year_first_of(db, "dept_admin", it->dept, &it->admin);
		/* windows: the department's own first, then the general ones */
		for (int pass = 0; q == 0 && pass < 2; pass++) {
			while (it->nclerks < 48 && (q = db_step(cl)) == DB_ROW) {
				int64_t wdept = db_col_int(cl, 2);
				if (!auth_region_within(region, db_col_text(cl, 1)) ||
				    (pass == 0) != (wdept == it->dept))
					continue;
				it->clerks[it->nclerks++] = db_col_int(cl, 0);
			}
			if (q == DB_ROW) { /* stopped at 48 */
				db_reset(cl);
				q = 0;
			}
			if (pass == 0 && it->nclerks > 0)
				break;
		}
		if (q < 0) {
			json_decref(it->required);
			db_reset(st);
			return q;
		}
		/* 即办件: the window's own step only; the window decides on the spot */
		if ((it->nsteps > 0 && it->napprovers == 0) || it->nclerks == 0 || !(it->person || it->company) || !it->admin) {
			json_decref(it->required);
			continue;
		}
		s->nitems++;
	}
	if (rc == DB_ROW) /* stopped at YEAR_MAX_ITEMS */
		db_reset(st);
	if (rc < 0)
		return rc;
	/* popularity: a seeded rank, weight ~ 1/rank */
	for (int i = 0; i < s->nitems; i++) {
		int rank = 1 + (int)pick((unsigned)s->nitems);
		s->items[i].weight = 1 + 6000 / (rank + 4);
		s->total_weight += s->items[i].weight;
	}
	return s->nitems ? 0 : YW_ENOTFOUND;
}

static int year_pick_item(cases_demo_t *s)
{
	int r = (int)pick((unsigned)s->total_weight);
	for (int i = 0; i < s->nitems; i++)
		if ((r -= s->items[i].weight) < 0)
			return i;
	return s->nitems - 1;
}

static year_case_t *year_push(cases_demo_t *s)
{
	if (s->ncases == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		year_case_t *v = realloc(s->cases, cap * sizeof *v);
		if (!v)
			return NULL;
		s->cases = v;
		s->cap = cap;
	}
	year_case_t *c = &s->cases[s->ncases++];
	memset(c, 0, sizeof *c);
	return c;
}

/* n working days after the current one, on the index the loop counts (the caller makes sure the
 * index moves one per working day). */
static int year_after(const cases_demo_t *s, int n)
{
	return s->day + n;
}

static int year_act(cases_demo_t *s, int64_t actor, int64_t id, enum case_action a, json_t *body)
{
	const auth_user_t *u = year_user(s, actor);
	year_tick(s);
	if (!u) {
		json_decref(body);
		return YW_ENOTFOUND;
	}
	return act(s->db, u, id, a, body, s->cal);
}

int cases_demo_year_begin(db_t *db, const calendar_t *cal, yw_date_t today, int cases_per_day, cases_demo_t **out)
{
	cases_demo_t *s = calloc(1, sizeof *s);
	if (!s)
		return YW_EIO;
	s->db = db;
	s->cal = cal;
	s->today = today;
	s->per_day = cases_per_day;
	g_rand = 0x5eed2026;
	int rc;
	if ((rc = db_query_int(db, "SELECT id FROM users WHERE username = :arg", "zhangsan", &s->zhangsan)) != 0 ||
	    (rc = db_query_int(db, "SELECT id FROM users WHERE username = :arg", "xiangjiang_food", &s->company)) !=
		    0 ||
	    (rc = db_query_int(db, "SELECT id FROM users WHERE username = :arg", "jiandu01", &s->supervisor)) != 0) {
		free(s);
		return rc;
	}
	rc = year_load_items(s);
	if (rc) {
		cases_demo_year_end(s, NULL);
		return rc;
	}
	*out = s;
	return 0;
}

void cases_demo_year_end(cases_demo_t *s, cases_demo_counts_t *counts)
{
	if (!s)
		return;
	if (counts)
		*counts = s->n;
	for (int i = 0; i < s->nitems; i++)
		json_decref(s->items[i].required);
	for (int i = 0; i < YEAR_MAX_USERS; i++)
		free(s->users[i]);
	free(s->cases);
	free(s->reviews);
	free(s->orders);
	free(s->order_next);
	free(s);
}

/* A new application: online by the demo applicant a target fits, else at a window for a walk-in
 * applicant; every required material listed, or all but one when the window will ask for it
 * (补正). Its fate is drawn now. */
static int year_arrive(cases_demo_t *s, bool today)
{
	int i = year_pick_item(s);
	year_item_t *it = &s->items[i];
	bool company = it->company && (!it->person || year_roll(35));
	bool online = year_roll(30) && it->web && (company ? it->company : it->person);
	int64_t applicant = online ? (company ? s->company : s->zhangsan) : 0;
	int64_t clerk = it->clerks[pick((unsigned)it->nclerks)];
	unsigned fate = pick(1000);
	/* today's online applications wait for the window; so do a few walk-ins */
	if (today && (online || year_roll(25)))
		fate = 1000;
	json_t *materials = json_copy(it->required);
	int missing = -1;
	if (fate >= 55 && fate < 165 && json_array_size(materials) > 0)
		json_array_remove(materials, (size_t)(missing = (int)pick((unsigned)json_array_size(materials))));
	else if (fate >= 55 && fate < 165)
		fate = 200;
	json_t *in = json_pack("{s:s, s:o, s:{s:s}}", "item_code", it->code, "materials", materials, "form", "address",
			       "长沙市芙蓉区五一大道1号");
	if (!online) {
		json_object_set_new(in, "applicant", year_applicant(!it->person || company));
		json_object_set_new(in, "agent", json_boolean(year_roll(4))); /* 帮代办 */
	}
	vctx_t v = {0};
	int64_t id = 0;
	year_tick(s);
	int rc = cases_create(s->db, year_user(s, online ? applicant : clerk), in, &v, &id);
	if (rc == YW_ECONFLICT) {
		/* the account's second open application of an item refusing one (duplicate_policy refuse):
		 * refused as it would be for anyone, and the applicant does without */
		json_decref(in);
		json_decref(v.errors);
		return 0;
	}
	if (rc) {
		char *e = json_dumps(v.errors, JSON_COMPACT);
		fprintf(stderr, "demo case of %s: not created (%d) %s\n", it->code, rc, e ? e : "");
		free(e);
	}
	json_decref(in);
	json_decref(v.errors);
	if (rc)
		return rc;
	s->n.cases++;
	year_case_t *c = year_push(s);
	if (!c)
		return YW_EIO;
	*c = (year_case_t){.id = id, .item = i, .applicant = applicant, .clerk = clerk, .stage = YS_SUBMITTED,
			   .fate = (uint8_t)(fate / 5 > 200 ? 200 : fate / 5), .missing = (int8_t)missing};
	/* walk-ins are mostly taken in at once; online ones the next working day or two; today's
	 * online applications and a few walk-ins wait in the windows' inbox */
	c->next = year_after(s, fate == 1000 ? 1 : online ? 1 + (int)pick(2) : (year_roll(85) ? 0 : 1));
	c->deny = it->nsteps > 0 && year_roll(5);
	c->suspend_step = it->nsteps > 0 && year_roll(3) ? (uint8_t)(1 + pick((unsigned)it->nsteps)) : 0;
	return 0;
}

/* Working days a step takes: mostly well within its budget, some on the last day, a few over. */
static int year_step_days(int budget)
{
	unsigned r = pick(100);
	if (r < 78)
		return (int)((double)budget * (double)pick(1000) / 1000.0 + 0.5);
	if (r < 92)
		return budget;
	return budget + 1 + (int)pick(r < 97 ? 3 : 8);
}

static int year_rate(cases_demo_t *s, year_case_t *c)
{
	static const char *const good[] = {"办事效率高，工作人员态度好", "材料一次告知清楚，没有多跑", "网上办很方便",
					   "审批比承诺时限快", "窗口指导很耐心"};
	static const char *const bad[] = {"等了很久才有结果，进度查询看不到说明", "补正要求前后不一致，多跑了一趟",
					  "电话一直打不通", "办理时间超过了承诺时限"};
	unsigned r = pick(100);
	int level = r < 62 ? 1 : r < 86 ? 2 : r < 93 ? 3 : r < 98 ? 4 : 5;
	json_t *in = json_pack("{s:i, s:s, s:s}", "level", level, "channel", year_roll(60) ? "app" : "pc", "comment",
			       level >= 4 ? bad[pick(4)] : good[pick(5)]);
	vctx_t v = {0};
	int64_t rid = 0;
	year_tick(s);
	int rc = reviews_rate_case(s->db, year_user(s, c->applicant), c->id, in, &v, &rid);
	json_decref(in);
	json_decref(v.errors);
	if (!rc)
		s->n.reviews++;
	return rc;
}

/* The next action of case c, due today. */
static int year_advance(cases_demo_t *s, year_case_t *c, bool today)
{
	year_item_t *it = &s->items[c->item];
	int64_t approver = it->nsteps ? it->approvers[pick((unsigned)it->napprovers)] : c->clerk;
	int64_t own = c->applicant ? c->applicant : c->clerk;
	int rc = 0;
	switch (c->stage) {
	case YS_SUBMITTED:
		if (today && c->applicant) {
			c->next = year_after(s, 1); /* left in the window's inbox */
			return 0;
		}
		if (c->fate < 5) {
			c->stage = YS_DONE;
			s->n.withdrawn++;
			return year_act(s, own, c->id, CA_WITHDRAW, json_pack("{s:s}", "note", "申请人主动撤回申请"));
		}
		if (c->fate < 11) {
			c->stage = YS_DONE;
			s->n.refused++;
			return year_act(s, c->clerk, c->id, CA_REFUSE,
					json_pack("{s:s}", "reasons", "申请事项依法不需要取得行政许可，已告知申请人"));
		}
		if (c->fate < 33) {
			/* 补正: the one material left out, all at once (一次性告知) */
			json_t *need = json_array_get(it->required, (size_t)(c->missing < 0 ? 0 : c->missing));
			c->stage = YS_CORRECTING;
			c->fate = 40;
			c->next = year_after(s, 1 + (int)pick(5));
			s->n.corrected++;
			return year_act(s, c->clerk, c->id, CA_CORRECTION,
					json_pack("{s:[{s:O, s:s}]}", "items", "material", need, "reason",
						  "材料不全或不符合法定形式，请补齐后重新提交"));
		}
		if ((rc = year_act(s, c->clerk, c->id, CA_ACCEPT, json_pack("{s:s}", "note", "材料齐全，予以受理"))) != 0)
			return rc;
		s->n.accepted++;
		c->stage = YS_STEP;
		c->step = 0;
		c->next = year_after(s, year_step_days(it->budget[0]));
		return 0;
	case YS_CORRECTING:
		/* 补正结束: every required material, then the window takes it in */
		if ((rc = year_act(s, own, c->id, CA_RESUBMIT, json_pack("{s:O}", "materials", it->required))) != 0)
			return rc;
		c->stage = YS_SUBMITTED;
		c->next = year_after(s, c->applicant ? 1 : 0);
		return 0;
	case YS_STEP:
		if (c->suspend_step == c->step + 1 && it->nsteps) {
			static const char *const kinds[][2] = {{"现场勘验", "需对申请人的经营场所进行现场核查"},
							       {"专家评审", "技术方案需组织专家评审"},
							       {"听证", "涉及利害关系人重大利益，依申请举行听证"}};
			int k = (int)pick(3);
			c->suspend_step = 0;
			c->stage = YS_SUSPENDED;
			c->next = year_after(s, 2 + (int)pick(6));
			s->n.suspended++;
			return year_act(s, approver, c->id, CA_SUSPEND,
					json_pack("{s:s, s:s, s:i}", "kind", kinds[k][0], "reason", kinds[k][1], "days", 10));
		}
		if (c->step + 1 < it->nsteps) {
			if ((rc = year_act(s, approver, c->id, CA_PASS, json_pack("{s:s}", "note", "经审查，材料齐全，符合条件"))) != 0)
				return rc;
			c->step++;
			c->next = year_after(s, year_step_days(it->budget[c->step]));
			return 0;
		}
		rc = c->deny ? year_act(s, approver, c->id, CA_DENY,
					json_pack("{s:s, s:s}", "reason", "经现场核查，经营场所条件不符合法定要求，不予许可", "note",
						  "经现场核查，经营场所条件不符合法定要求，不予许可"))
			     : year_act(s, approver, c->id, CA_APPROVE,
					json_pack("{s:s}", "note", "经审查，申请材料齐全，符合法定条件和标准，准予许可"));
		if (rc)
			return rc;
		s->n.decided++;
		s->n.denied += c->deny;
		/* the online applicant rates most cases within a few days (一事一评) */
		c->stage = c->applicant && year_roll(70) ? YS_RATE : YS_DONE;
		c->next = year_after(s, (int)pick(4));
		return 0;
	case YS_SUSPENDED:
		if ((rc = year_act(s, approver, c->id, CA_RESUME, json_pack("{s:s}", "note", "特别程序结束，恢复计时"))) != 0)
			return rc;
		c->stage = YS_STEP;
		c->next = year_after(s, (int)pick(2));
		return 0;
	case YS_RATE:
		c->stage = YS_DONE;
		return year_rate(s, c);
	default: return 0;
	}
}

static int year_review_push(cases_demo_t *s, int64_t id, int64_t dept, int next)
{
	if (s->nreviews == s->rcap) {
		size_t cap = s->rcap ? s->rcap * 2 : 256;
		year_review_t *v = realloc(s->reviews, cap * sizeof *v);
		if (!v)
			return YW_EIO;
		s->reviews = v;
		s->rcap = cap;
	}
	s->reviews[s->nreviews++] = (year_review_t){.id = id, .dept = dept, .next = next};
	return 0;
}

/* The bad-review path (差评): the department appeals some, the supervisor verifies, the
 * department rectifies (some late, which the reviews job cards), the supervisor calls back. */
static int year_reviews(cases_demo_t *s)
{
	db_stmt_t *st = db_prepare(s->db,
				   "SELECT id, dept_id FROM reviews WHERE id > :after AND level >= 4 ORDER BY id");
	db_bind_int(st, "after", s->last_review);
	int rc = 0, q;
	while ((q = db_step(st)) == DB_ROW) {
		s->n.bad_reviews++;
		if ((rc = year_review_push(s, db_col_int(st, 0), db_col_int(st, 1), year_after(s, 1 + (int)pick(3)))) !=
		    0) {
			db_reset(st);
			return rc;
		}
	}
	if (q < 0)
		return q;
	if ((rc = db_query_int(s->db, "SELECT COALESCE(MAX(id), 0) FROM reviews", NULL, &s->last_review)) != 0)
		return rc;
	for (size_t i = 0; !rc && i < s->nreviews; i++) {
		year_review_t *r = &s->reviews[i];
		if (r->next != s->day)
			continue;
		char status[16] = "";
		st = db_prepare(s->db, "SELECT status FROM reviews WHERE id = :review_id");
		db_bind_int(st, "review_id", r->id);
		if ((q = db_one(st)) == 0) {
			snprintf(status, sizeof status, "%s", db_col_text(st, 0));
			db_reset(st);
		} else if (q != YW_ENOTFOUND) {
			return q;
		}
		int64_t admin;
		if ((rc = year_first_of(s->db, "dept_admin", r->dept, &admin)) != 0)
			return rc;
		enum review_step step;
		json_t *in;
		int64_t actor = s->supervisor;
		if (strcmp(status, "verifying") == 0 && admin && year_roll(30)) {
			step = RS_APPEAL;
			actor = admin;
			in = json_pack("{s:s}", "note", "经调取窗口录像，工作人员按规定一次性告知，申请人误解了办理要求");
		} else if (strcmp(status, "verifying") == 0 || strcmp(status, "appealed") == 0) {
			bool genuine = strcmp(status, "verifying") == 0 || year_roll(45);
			step = RS_VERIFY;
			in = genuine ? json_pack("{s:b, s:s}", "genuine", 1, "note", "经核实，差评反映情况属实")
				     : json_pack("{s:b, s:s}", "genuine", 0, "note", "经核实，申诉理由成立，差评不属实");
		} else if (strcmp(status, "rectifying") == 0 && admin) {
			step = RS_RECTIFY;
			actor = admin;
			in = json_pack("{s:s}", "note", "已对相关人员进行批评教育，完善一次性告知清单并在窗口公示");
		} else if (strcmp(status, "callback") == 0) {
			step = RS_CALLBACK;
			in = json_pack("{s:s, s:b}", "note", "电话回访申请人，对整改结果表示认可", "satisfied", year_roll(85));
		} else {
			continue;
		}
		const auth_user_t *u = year_user(s, actor);
		vctx_t v = {0};
		year_tick(s);
		rc = u ? reviews_act(s->db, u, r->id, step, in, s->cal, &v) : YW_ENOTFOUND;
		json_decref(in);
		json_decref(v.errors);
		if (rc)
			fprintf(stderr, "demo review %lld: step %d failed (%d)\n", (long long)r->id, (int)step, rc);
		/* rectification takes its time: now and then past the due day */
		r->next = year_after(s, step == RS_VERIFY ? 1 + (int)pick(7) : 1 + (int)pick(3));
	}
	return rc;
}

static int year_order_push(cases_demo_t *s, int64_t id, int next)
{
	if (s->norders == s->ocap) {
		size_t cap = s->ocap ? s->ocap * 2 : 64;
		int64_t *v = realloc(s->orders, cap * sizeof *v);
		int *n = realloc(s->order_next, cap * sizeof *n);
		if (v)
			s->orders = v;
		if (n)
			s->order_next = n;
		if (!v || !n)
			return YW_EIO;
		s->ocap = cap;
	}
	s->orders[s->norders] = id;
	s->order_next[s->norders++] = next;
	return 0;
}

/* 督办: the supervisor sends an order on about half of the red cards of open cases; the
 * department answers in a few working days (now and then late, which the supervision job cards);
 * the supervisor closes answered orders. */
static int year_orders(cases_demo_t *s)
{
	db_stmt_t *st = db_prepare(
		s->db,
		"SELECT k.id, k.case_id, c.case_no, i.name FROM cards k JOIN cases c ON c.id = k.case_id "
		"JOIN item_versions i ON i.id = c.item_version_id WHERE k.id > :after AND k.level = 3 "
		"AND k.kind = 'overdue_long' AND k.step = -1 AND " CASE_IN_PROGRESS_SQL("c.state") " ORDER BY k.id");
	db_bind_int(st, "after", s->last_card);
	typedef struct { int64_t case_id; char no[40], item[120]; } red_t;
	red_t red[64];
	int nred = 0, rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (nred < 64 && year_roll(50)) {
			red[nred].case_id = db_col_int(st, 1);
			snprintf(red[nred].no, sizeof red[nred].no, "%s", db_col_text(st, 2));
			snprintf(red[nred].item, sizeof red[nred].item, "%s", db_col_text(st, 3));
			nred++;
		}
	}
	if (rc < 0)
		return rc;
	if ((rc = db_query_int(s->db, "SELECT COALESCE(MAX(id), 0) FROM cards", NULL, &s->last_card)) != 0)
		return rc;
	const auth_user_t *sup = year_user(s, s->supervisor);
	for (int i = 0; !rc && sup && i < nred; i++) {
		yw_date_t due;
		char due_s[11], title[200];
		if (calendar_add_workdays(s->cal, date_today_local(s->t), 3, &due, NULL) != 0)
			break;
		date_format(due, due_s);
		snprintf(title, sizeof title, "关于%s办件严重超期的督办", red[i].no);
		json_t *in = json_pack("{s:I, s:s, s:s, s:s}", "case_id", (json_int_t)red[i].case_id, "title", title, "content",
				       "该办件已严重超过承诺时限，请于期限内说明超期原因、办理进度和整改措施。", "due_day", due_s);
		vctx_t v = {0};
		int64_t oid = 0;
		year_tick(s);
		rc = sv_order_create(s->db, sup, in, s->cal, date_today_local(s->t), &v, &oid);
		json_decref(in);
		json_decref(v.errors);
		if (!rc) {
			s->n.orders++;
			rc = year_order_push(s, oid, year_after(s, 1 + (int)pick(5)));
		}
	}
	for (size_t i = 0; !rc && i < s->norders; i++) {
		if (s->order_next[i] != s->day)
			continue;
		char state[16] = "";
		int64_t dept = 0;
		st = db_prepare(s->db, "SELECT state, dept_id FROM supervision_orders WHERE id = :order_id");
		db_bind_int(st, "order_id", s->orders[i]);
		if ((rc = db_one(st)) == 0) {
			snprintf(state, sizeof state, "%s", db_col_text(st, 0));
			dept = db_col_int(st, 1);
			db_reset(st);
		} else if (rc != YW_ENOTFOUND) {
			break;
		}
		rc = 0;
		year_tick(s);
		if (strcmp(state, "open") == 0) {
			int64_t admin;
			if ((rc = year_first_of(s->db, "dept_admin", dept, &admin)) != 0)
				break;
			const auth_user_t *u = year_user(s, admin);
			json_t *in = json_pack("{s:s}", "answer", "超期原因为申请人补充技术资料耗时较长，已安排专人跟进，将于3个工作日内办结。");
			vctx_t v = {0};
			rc = u ? sv_order_answer(s->db, u, s->orders[i], in, &v) : 0;
			json_decref(in);
			json_decref(v.errors);
			s->order_next[i] = year_after(s, 1 + (int)pick(2));
		} else if (strcmp(state, "answered") == 0) {
			rc = sv_order_close(s->db, sup, s->orders[i]);
		}
	}
	return rc;
}

/* Today's desks, whatever the draw gave: each demo applicant has a case waiting for their 补正
 * and a finished one still to rate; the market regulator's department (scjg_admin) has a bad
 * review it may appeal and an open 督办 to answer. */
static int year_today(cases_demo_t *s)
{
	int rc = 0;
	int64_t ids[2] = {s->zhangsan, s->company};
	for (int a = 0; !rc && a < 2; a++) {
		int64_t n = 0;
		db_stmt_t *st = db_prepare(s->db, "SELECT COUNT(*) FROM cases WHERE applicant_id = :applicant_id "
						  "AND state = " CASE_SQL_CORRECTING);
		db_bind_int(st, "applicant_id", ids[a]);
		if ((rc = db_one(st)) != 0)
			return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always has its row */
		n = db_col_int(st, 0);
		db_reset(st);
		if (n > 0)
			continue;
		/* the first item the applicant may apply for online, with a material to ask for, that takes
		 * the application (an item refusing a second open one may already have the applicant's) */
		year_item_t *it = NULL;
		int64_t id = 0;
		for (int k = 0; k < s->nitems && !it && !rc; k++) {
			year_item_t *c = &s->items[k];
			if (!(a ? c->company : c->person) || !c->web || json_array_size(c->required) < 2)
				continue;
			json_t *materials = json_copy(c->required);
			json_array_remove(materials, 0);
			json_t *in = json_pack("{s:s, s:o, s:{s:s}}", "item_code", c->code, "materials", materials, "form",
					       "address", "长沙市芙蓉区五一大道1号");
			vctx_t v = {0};
			year_tick(s);
			rc = cases_create(s->db, year_user(s, ids[a]), in, &v, &id);
			json_decref(in);
			json_decref(v.errors);
			if (rc == YW_ECONFLICT)
				rc = 0;
			else if (!rc)
				it = c;
		}
		if (it) {
			s->n.cases++;
			s->n.corrected++;
			rc = year_act(s, it->clerks[0], id, CA_CORRECTION,
				      json_pack("{s:[{s:O, s:s}]}", "items", "material", json_array_get(it->required, 0), "reason",
						"缺少该项材料，请补齐后重新提交"));
		}
	}
	int64_t dept = 0, admin = 0;
	int q = 0;
	/* the department's approver (scjg_shenpi) has a step to handle: a walk-in taken in today */
	if (!rc && (q = db_query_int(s->db, "SELECT COALESCE(dept_id, 0) FROM users WHERE username = :arg",
				     "scjg_shenpi", &dept)) == 0) {
		int64_t n = 0;
		db_stmt_t *st = db_prepare(s->db,
					   "SELECT COUNT(*) FROM case_steps st JOIN cases c ON c.id = st.case_id "
					   "WHERE c.dept_id = :dept_id AND c.state = " CASE_SQL_ACCEPTED " "
					   "AND st.finished_at IS NULL AND st.role = 'approver'");
		db_bind_int(st, "dept_id", dept);
		if ((rc = db_one(st)) != 0)
			return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always has its row */
		n = db_col_int(st, 0);
		db_reset(st);
		int i = -1;
		for (int k = 0; k < s->nitems && !n; k++)
			if (s->items[k].dept == dept && s->items[k].nsteps > 0 && (i < 0 || s->items[k].weight > s->items[i].weight))
				i = k;
		if (i >= 0) {
			year_item_t *it = &s->items[i];
			json_t *in = json_pack("{s:s, s:O, s:{s:s}, s:o}", "item_code", it->code, "materials", it->required, "form",
					       "address", "长沙市芙蓉区五一大道1号", "applicant", year_applicant(!it->person));
			vctx_t v = {0};
			int64_t id = 0;
			year_tick(s);
			rc = cases_create(s->db, year_user(s, it->clerks[0]), in, &v, &id);
			json_decref(in);
			json_decref(v.errors);
			if (!rc) {
				s->n.cases++;
				s->n.accepted++;
				rc = year_act(s, it->clerks[0], id, CA_ACCEPT, json_pack("{s:s}", "note", "材料齐全，予以受理"));
			}
		}
		dept = 0;
	}
	if (q && q != YW_ENOTFOUND)
		return q;
	if (!rc && (q = db_query_int(s->db, "SELECT id FROM users WHERE username = :arg", "scjg_admin", &admin)) == 0 &&
	    (q = db_query_int(s->db, "SELECT COALESCE(dept_id, 0) FROM users WHERE username = :arg", "scjg_admin",
			      &dept)) == 0 &&
	    dept) {
		/* the company rates its latest finished case of that department: not satisfied */
		db_stmt_t *st = db_prepare(s->db, "SELECT c.id FROM cases c WHERE c.applicant_id = :applicant_id "
						  "AND c.dept_id = :dept_id AND " CASE_DECIDED_SQL("c.state") " "
						  "AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.case_id = c.id) "
						  "ORDER BY c.id DESC LIMIT 1");
		db_bind_int(st, "applicant_id", s->company);
		db_bind_int(st, "dept_id", dept);
		int64_t cid = 0;
		if ((q = db_one(st)) == 0) {
			cid = db_col_int(st, 0);
			db_reset(st);
		} else if (q != YW_ENOTFOUND) {
			return q;
		}
		if (cid) {
			json_t *in = json_pack("{s:i, s:s, s:s}", "level", 4, "channel", "pc", "comment",
					       "现场核查预约了两次才来，耽误了开业时间");
			vctx_t v = {0};
			int64_t rid;
			year_tick(s);
			rc = reviews_rate_case(s->db, year_user(s, s->company), cid, in, &v, &rid);
			json_decref(in);
			json_decref(v.errors);
			s->n.reviews += rc == 0;
			s->n.bad_reviews += rc == 0;
		}
		int64_t open = 0;
		st = db_prepare(s->db,
				"SELECT COUNT(*) FROM supervision_orders WHERE dept_id = :dept_id AND state = 'open'");
		db_bind_int(st, "dept_id", dept);
		if ((q = db_one(st)) != 0)
			return q == YW_ENOTFOUND ? YW_EDB : q; /* COUNT(*) always has its row */
		open = db_col_int(st, 0);
		db_reset(st);
		if (!rc && !open) {
			/* its case in progress with the worst signal, else an order to the department */
			st = db_prepare(s->db, "SELECT id, case_no FROM cases WHERE dept_id = :dept_id "
					       "AND " CASE_IN_PROGRESS_SQL("state") " ORDER BY signal DESC, promised_day LIMIT 1");
			db_bind_int(st, "dept_id", dept);
			int64_t cid2 = 0;
			char no[40] = "";
			if ((q = db_one(st)) == 0) {
				cid2 = db_col_int(st, 0);
				snprintf(no, sizeof no, "%s", db_col_text(st, 1));
				db_reset(st);
			} else if (q != YW_ENOTFOUND) {
				return q;
			}
			yw_date_t due;
			char due_s[11], title[120];
			if (calendar_add_workdays(s->cal, s->today, 3, &due, NULL) == 0) {
				date_format(due, due_s);
				snprintf(title, sizeof title, cid2 ? "关于%s办件办理进度的督办" : "关于食品经营许可办理时效的督办", no);
				json_t *in = cid2 ? json_pack("{s:I, s:s, s:s, s:s}", "case_id", (json_int_t)cid2, "title", title,
							      "content", "该办件临近或超过承诺时限，请说明办理进度并按时办结。",
							      "due_day", due_s)
						  : json_pack("{s:I, s:s, s:s, s:s}", "dept_id", (json_int_t)dept, "title", title,
							      "content", "近期差评反映现场核查预约周期较长，请说明原因并提出改进措施。",
							      "due_day", due_s);
				vctx_t v = {0};
				int64_t oid;
				year_tick(s);
				rc = sv_order_create(s->db, year_user(s, s->supervisor), in, s->cal, s->today, &v, &oid);
				json_decref(in);
				json_decref(v.errors);
				s->n.orders += rc == 0;
			}
		}
	}
	if (!rc && q && q != YW_ENOTFOUND)
		rc = q;
	return rc;
}

int cases_demo_year_day(cases_demo_t *s, int day_index, int64_t t0, int64_t t1)
{
	yw_date_t day = date_today_local(t0);
	bool today = day == s->today;
	s->day = day_index;
	/* arrivals: more on Mondays, fewer on Fridays and make-up Saturdays, fewer in a holiday week */
	static const double weekday[] = {0.6, 1.35, 1.1, 1.0, 0.95, 0.85, 0.6}; /* Sun .. Sat */
	double f = weekday[date_weekday(day) % 7];
	for (int k = -3; k <= 3; k++) {
		int wd = date_weekday(day + k);
		if (k && wd >= 1 && wd <= 5 && !calendar_is_workday(s->cal, day + k)) {
			f *= 0.7;
			break;
		}
	}
	int n = (int)(s->per_day * f * (0.8 + 0.4 * pick(1000) / 1000.0) + 0.5);
	size_t due = 0;
	for (size_t i = 0; i < s->ncases; i++)
		due += s->cases[i].stage != YS_DONE && s->cases[i].next <= day_index;
	s->t = t0;
	s->t_end = t1;
	s->dt = (t1 - t0) / (int64_t)(n + due + 8);
	if (s->dt < 1)
		s->dt = 1;
	int rc = 0;
	for (int i = 0; !rc && i < n; i++)
		rc = year_arrive(s, today);
	for (size_t i = 0; !rc && i < s->ncases; i++) {
		year_case_t *c = &s->cases[i];
		if (c->stage != YS_DONE && c->next <= day_index)
			rc = year_advance(s, c, today);
	}
	if (!rc)
		rc = year_reviews(s);
	if (!rc)
		rc = year_orders(s);
	if (!rc && today)
		rc = year_today(s);
	/* drop finished cases now and then so the daily walk stays short */
	if (!rc && day_index % 20 == 0) {
		size_t k = 0;
		for (size_t i = 0; i < s->ncases; i++)
			if (s->cases[i].stage != YS_DONE)
				s->cases[k++] = s->cases[i];
		s->ncases = k;
	}
	return rc;
}
