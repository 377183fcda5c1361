/* The demo city's hotline (`yiwang demo`): the matter classification the centre starts from, and
 * with the past year some orders of the last days waiting in the demo accounts' inboxes: to
 * dispatch, sign for, answer, check and call back (docs/domain.md §9). Everything goes through the
 * store functions, audited, with the clock set to when each step happened. */
#include <stdio.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/log.h"

static const char *const matters[][6] = {
	{"城乡建设", "施工噪音", "违法建设", "物业管理", "房屋质量", NULL},
	{"市容环境", "占道经营", "垃圾清运", "渣土运输", "户外广告", NULL},
	{"交通出行", "公交地铁", "道路设施", "出租车网约车", "停车管理", NULL},
	{"社会保障", "社保医保", "就业创业", "养老服务", "社会救助", NULL},
	{"生态环境", "大气污染", "水污染", "噪声污染", NULL, NULL},
	{"政务服务", "办事咨询", "证照办理", "窗口服务", NULL, NULL},
};

static int64_t matter_id(db_t *db, const char *name)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_matters WHERE name = :name AND parent_id IS NOT NULL");
	db_bind_text(st, "name", name);
	if (db_one(st) != 0)
		return 0;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return id;
}

static int load_matters(db_t *db)
{
	for (size_t i = 0; i < sizeof matters / sizeof matters[0]; i++) {
		json_t *in = json_pack("{s:s, s:i}", "name", matters[i][0], "sort", (int)i);
		vctx_t v = {0};
		int64_t top;
		int rc = hotline_matter_put(db, NULL, 0, in, &v, &top);
		json_decref(in);
		json_decref(v.errors);
		if (rc)
			return rc;
		for (size_t k = 1; k < 6 && matters[i][k]; k++) {
			in = json_pack("{s:s, s:I, s:i}", "name", matters[i][k], "parent_id", (json_int_t)top, "sort", (int)k);
			vctx_t w = {0};
			int64_t id;
			rc = hotline_matter_put(db, NULL, 0, in, &w, &id);
			json_decref(in);
			json_decref(w.errors);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int user(db_t *db, const char *username, auth_user_t *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM users WHERE username = :username");
	db_bind_text(st, "username", username);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return auth_user_load(db, id, out);
}

static int64_t dept(db_t *db, const char *name)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM departments WHERE name = :name");
	db_bind_text(st, "name", name);
	if (db_one(st) != 0)
		return 0;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return id;
}

/* An order of the demo: what the caller said and how far it has come. */
typedef struct demo_order {
	const char *channel, *source, *category, *matter, *text, *caller, *phone, *address, *district;
	bool urgent;
	const char *unit, *co_unit; /* dispatched to */
	int stage; /* 0 pending, 1 dispatched, 2 signed, 3 returned, 4 replied, 5 closed, 6 visited, 7 direct */
	const char *reply;
	int hours_ago;
} demo_order_t;

static const demo_order_t orders[] = {
	{"phone", "", "complaint", "施工噪音", "芙蓉区文艺路某工地连续多晚施工到凌晨，噪音很大，影响休息", "李女士",
	 "13807310101", "芙蓉区文艺路", "430102", false, NULL, NULL, 0, NULL, 2},
	{"mayor_mailbox", "", "suggestion", "公交地铁", "建议地铁2号线晚高峰加密班次，五一广场站候车人数过多", "周先生",
	 "13807310102", "五一广场站", "430102", false, NULL, NULL, 0, NULL, 5},
	{"phone", "", "help", "道路设施", "岳麓区望月湖路口窨井盖缺失，夜间有行人跌倒的危险，请尽快处理", "陈先生",
	 "13807310103", "岳麓区望月湖路口", "430104", true, NULL, NULL, 0, NULL, 1},
	{"phone", "", "complaint", "占道经营", "芙蓉区五一大道人行道上有流动摊贩长期占道经营，行人只能走机动车道", "刘女士",
	 "13807310104", "芙蓉区五一大道", "430102", false, "长沙市城市管理和综合执法局", NULL, 1, NULL, 20},
	{"web", "", "complaint", "渣土运输", "夜间渣土车在万家丽路上抛洒严重，路面全是泥土，雨天很滑", "彭先生",
	 "13807310105", "万家丽路", "430102", false, "长沙市城市管理和综合执法局", NULL, 2, NULL, 48},
	{"phone", "", "report", "违法建设", "某小区顶楼住户正在加盖玻璃房，已施工一周，物业劝阻无效", "匿名",
	 "13807310106", "芙蓉区某小区", "430102", false, "长沙市城市管理和综合执法局", "长沙市住房和城乡建设局", 2,
	 NULL, 72},
	{"wechat", "市政协微建议", "help", "养老服务", "社区老人多，希望开设老年食堂，解决独居老人吃饭难", "张先生",
	 "13807310107", "岳麓区望月湖街道", "430104", false, "长沙市住房和城乡建设局", NULL, 3, NULL, 30},
	{"phone", "", "complaint", "垃圾清运", "岳麓区望月湖小区三栋楼下垃圾站长期不清运，臭气熏天", "赵女士",
	 "13807310108", "岳麓区望月湖小区三栋", "430104", false, "长沙市城市管理和综合执法局", NULL, 4,
	 "经现场核查，该垃圾站清运车辆故障导致清运不及时，已调派车辆每日清运两次并对站点消杀。", 60},
	{"phone", "", "complaint", "户外广告", "芙蓉中路一商铺门头广告牌松动，大风天有坠落危险", "黄先生",
	 "13807310109", "芙蓉中路", "430102", false, "长沙市城市管理和综合执法局", NULL, 5,
	 "已责令商铺当日拆除松动的广告牌并重新安装加固，现场复查已无安全隐患。", 96},
	{"people_cn", "人民网地方领导留言板", "complaint", "噪声污染", "小区旁边的KTV每晚音乐声很大，持续到凌晨两点",
	 "吴女士", "13807310110", "芙蓉区解放西路", "430102", false, "长沙市生态环境局", NULL, 6,
	 "经夜间监测，该KTV噪声超标，已责令整改并加装隔音设施，复测已达标。", 150},
	{"phone", "", "consult", "证照办理", "请问身份证过期了在哪里换领，需要带什么材料", "孙先生", "13807310111", "", "430104",
	 false, NULL, NULL, 7, "可到户籍所在地或居住地派出所户政窗口换领，携带原身份证，现场采集照片和指纹。", 3},
};

/* Takes the order to its stage, each step an hour or more after the one before. */
static int advance(db_t *db, const demo_order_t *d, int64_t id, int64_t t, const auth_user_t *op,
		   const auth_user_t *admin, const auth_user_t *unit, const auth_user_t *co, hotline_ctx_t *x)
{
	int rc = 0;
	int64_t order;
	json_t *in = NULL;
#define STEP(who, opcode, ...)                                                                                         \
	do {                                                                                                           \
		t += 3600;                                                                                             \
		yw_clock_set(t);                                                                                       \
		x->now = t;                                                                                            \
		x->actor = who;                                                                                        \
		in = json_pack(__VA_ARGS__);                                                                           \
		vctx_t v = {0};                                                                                        \
		x->v = &v;                                                                                             \
		rc = hotline_act(db, x, id, opcode, in, &order);                                                       \
		json_decref(in);                                                                                       \
		json_decref(v.errors);                                                                                 \
		if (rc)                                                                                                \
			return rc;                                                                                     \
	} while (0)
	if (d->stage == 0 || d->stage == 7)
		return 0;
	int64_t lead = dept(db, d->unit), co_id = d->co_unit ? dept(db, d->co_unit) : 0;
	if (!lead)
		return YW_ENOTFOUND;
	if (co_id)
		STEP(op, HO_DISPATCH, "{s:I, s:[I], s:s}", "unit_id", (json_int_t)lead, "co_unit_ids", (json_int_t)co_id,
		     "note", "请核实处理并按时答复");
	else
		STEP(op, HO_DISPATCH, "{s:I, s:s}", "unit_id", (json_int_t)lead, "note", "请核实处理并按时答复");
	if (d->stage == 1)
		return 0;
	STEP(unit, HO_SIGN, "{}");
	if (co)
		STEP(co, HO_SIGN, "{}");
	if (d->stage == 2)
		return 0;
	if (d->stage == 3) {
		STEP(unit, HO_RETURN, "{s:s}", "reason", "该事项属街道社区养老服务职责，不属本单位职能，请改派");
		return 0;
	}
	STEP(unit, HO_REPLY, "{s:s}", "text", d->reply);
	if (d->stage == 4)
		return 0;
	STEP(op, HO_REVIEW, "{s:b}", "approve", 1);
	if (d->stage == 5)
		return 0;
	STEP(op, HO_CALLBACK, "{s:s, s:b, s:s}", "satisfaction", "satisfied", "solved", 1, "note", "市民表示问题已解决");
	(void)admin;
	return 0;
#undef STEP
}

int hotline_demo_load(db_t *db, bool inbox)
{
	int rc = load_matters(db);
	if (rc || !inbox)
		return rc;
	auth_user_t op, admin, unit, zj, hb;
	if ((rc = user(db, "rexian01", &op)) != 0 || (rc = user(db, "center_admin", &admin)) != 0 ||
	    (rc = user(db, "chengban01", &unit)) != 0 || (rc = user(db, "chengban02", &zj)) != 0 ||
	    (rc = user(db, "chengban04", &hb)) != 0) {
		log_error("demo: the hotline accounts are missing (%d)", rc);
		return rc;
	}
	const calendar_t *cal;
	if ((rc = calendar_acquire(db, &cal)) != 0)
		return rc;
	int64_t now = yw_now();
	for (size_t i = 0; i < sizeof orders / sizeof orders[0] && !rc; i++) {
		const demo_order_t *d = &orders[i];
		int64_t t = now - (int64_t)d->hours_ago * 3600;
		yw_clock_set(t);
		vctx_t v = {0};
		hotline_ctx_t x = {.actor = &op, .cal = cal, .cfg = config_current(), .now = t, .v = &v, .why = ""};
		json_t *in = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "channel", d->channel,
				       "source_name", d->source, "category", d->category, "matter_id",
				       (json_int_t)matter_id(db, d->matter), "text", d->text, "caller_name", d->caller,
				       "caller_phone", d->phone, "address", d->address, "district", d->district, "urgent",
				       d->urgent);
		if (d->stage == 7)
			json_object_set_new(in, "answer", json_string(d->reply));
		int64_t id;
		char number[24], code[16];
		rc = hotline_order_create(db, &x, in, false, &id, number, code);
		json_decref(in);
		json_decref(v.errors);
		const auth_user_t *u = strcmp(d->unit ? d->unit : "", "长沙市住房和城乡建设局") == 0 ? &zj
				       : strcmp(d->unit ? d->unit : "", "长沙市生态环境局") == 0    ? &hb
												      : &unit;
		const auth_user_t *co = d->co_unit ? &zj : NULL;
		if (!rc)
			rc = advance(db, d, id, t, &op, &admin, u, co, &x);
	}
	yw_clock_set(0);
	calendar_release();
	if (rc)
		log_error("demo: the hotline's orders stopped (%d)", rc);
	return rc;
}
