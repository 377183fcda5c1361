/* The demo city's hotline (`yiwang demo`): the matter classification the centre starts from, and
 * with the past year some orders of the last days waiting in the demo accounts' inboxes: to
 * dispatch, sign for, answer, check and call back (docs/domain.md §9). Everything goes through the
 * store functions, audited, with the clock set to when each step happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_store.h"
#include "org/org_store.h"
#include "platform/auth.h"
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
	{"公用事业", "供水", "供电", "燃气", NULL, NULL},
};

/* The enterprises among the handling units (docs/domain.md §9: water, power and gas answer the
 * hotline like departments): made by the demo when the city has none of them, kind enterprise. */
static const struct {
	const char *name, *short_name, *uscc, *phone, *address;
} enterprises[] = {
	{"长沙水务集团有限公司", "长沙水务集团", "91430100183781234G", "0731-96565", "长沙市天心区书院路"},
	{"国网长沙供电公司", "国网长沙供电公司", "91430100183780567N", "0731-95598", "长沙市芙蓉区五一大道"},
	{"长沙新奥燃气有限公司", "长沙燃气公司", "914301007121008907", "0731-96500", "长沙市雨花区韶山路"},
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
	/* the enterprises answer the hotline too: dispatched to the water and the gas company */
	{"phone", "", "help", "供水", "雨花区高桥小区从早上开始停水，没有任何通知，老人孩子用水困难", "钱女士", "13807310112",
	 "雨花区高桥小区", "430111", true, "长沙水务集团有限公司", NULL, 1, NULL, 1},
	{"web", "", "help", "燃气", "开福区伍家岭某小区楼道里有明显的燃气味，担心泄漏，请尽快派人检查", "郑先生",
	 "13807310113", "开福区伍家岭", "430105", true, "长沙新奥燃气有限公司", NULL, 1, NULL, 1},
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

static int64_t dept(db_t *db, const char *name);

static int load_enterprises(db_t *db)
{
	for (size_t i = 0; i < sizeof enterprises / sizeof enterprises[0]; i++) {
		if (dept(db, enterprises[i].name))
			continue;
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "name", enterprises[i].name, "short_name",
				       enterprises[i].short_name, "uscc", enterprises[i].uscc, "region_code", "430100",
				       "phone", enterprises[i].phone, "address", enterprises[i].address, "kind", "enterprise");
		vctx_t v = {0};
		int rc = org_dept_write(db, NULL, in, 0, &v, NULL);
		json_decref(in);
		json_decref(v.errors);
		if (rc)
			return rc;
	}
	return 0;
}

int hotline_demo_matters(db_t *db)
{
	int rc = load_matters(db);
	return rc ? rc : load_enterprises(db);
}

int hotline_demo_inbox(db_t *db)
{
	int rc;
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

/* ---- the past year ---- */

static uint64_t g_rand = 0x12345aull;

static unsigned rnd(unsigned n)
{
	g_rand = g_rand * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((g_rand >> 33) % n);
}

/* What citizens call about, by matter, and the unit that handles it. */
static const struct {
	const char *matter, *unit, *category;
	const char *what[3];
	const char *reply;
} topics[] = {
	{"施工噪音", "长沙市城市管理和综合执法局", "complaint",
	 {"工地夜间施工到凌晨，噪音扰民", "附近工地早上六点就开始打桩", "周末工地施工机械声音很大"},
	 "经现场核查，该工地存在超时施工，已责令停止夜间作业并立案处罚，将加强夜间巡查。"},
	{"违法建设", "长沙市城市管理和综合执法局", "report",
	 {"小区顶楼有住户违规加盖房屋", "一楼住户私自扩建院子占用绿地", "楼顶搭建铁皮棚"},
	 "经核查，该处搭建属违法建设，已下达限期拆除通知书，当事人已自行拆除。"},
	{"物业管理", "长沙市住房和城乡建设局", "complaint",
	 {"物业公司不履行维修义务，电梯经常停运", "小区物业乱收停车费", "物业不处理楼道堆放杂物"},
	 "已约谈物业服务企业，责令其限期整改并公示收费标准，街道将跟踪督促。"},
	{"房屋质量", "长沙市住房和城乡建设局", "complaint",
	 {"新交付的房屋外墙渗水", "商品房墙体开裂开发商不处理", "地下室返潮严重"},
	 "已组织开发企业和施工单位现场查勘，制定维修方案，维修期间安排专人跟进。"},
	{"占道经营", "长沙市城市管理和综合执法局", "complaint",
	 {"人行道上流动摊贩长期占道经营", "门店把货物摆到人行道上", "夜市摊位占用消防通道"},
	 "已组织执法人员现场整治，清理占道摊点，并纳入日常巡查重点。"},
	{"垃圾清运", "长沙市城市管理和综合执法局", "complaint",
	 {"小区垃圾站长期不清运，臭气熏天", "路边垃圾桶满溢无人处理", "建筑垃圾堆放在路边多日"},
	 "已督促环卫作业单位每日清运两次并对站点消杀，现场已清理干净。"},
	{"渣土运输", "长沙市城市管理和综合执法局", "complaint",
	 {"渣土车夜间抛洒，路面全是泥土", "渣土车不盖篷布沿路撒漏", "渣土车超速行驶存在安全隐患"},
	 "已对相关运输企业立案查处，督促其落实冲洗和密闭运输措施。"},
	{"公交地铁", "长沙市交通运输局", "suggestion",
	 {"建议晚高峰加密公交班次", "公交车到站不停", "地铁站出口指示不清楚"},
	 "已将建议转公交企业研究，高峰时段将增加运力，并加强驾驶员管理。"},
	{"道路设施", "长沙市交通运输局", "help",
	 {"路口窨井盖缺失存在安全隐患", "人行道地砖大面积松动", "路灯连续多日不亮"},
	 "已安排养护单位现场修复，设施已恢复正常，将加强日常巡查。"},
	{"停车管理", "长沙市交通运输局", "complaint",
	 {"小区周边车辆乱停放堵塞道路", "路边停车位收费不规范", "共享单车乱停放占用盲道"},
	 "已会同属地对该路段停车秩序进行整治，增设停车标识并规范收费。"},
	{"社保医保", "长沙市医疗保障局", "consult",
	 {"异地就医备案如何办理", "医保报销比例是多少", "灵活就业人员怎么参保"},
	 "已电话告知市民办理流程和所需材料，可通过网上服务大厅或窗口办理。"},
	{"就业创业", "长沙市人力资源和社会保障局", "consult",
	 {"创业担保贷款怎么申请", "被拖欠工资如何维权", "失业金申领条件是什么"},
	 "已告知市民相关政策和办理渠道，并协助对接属地人社服务窗口。"},
	{"养老服务", "长沙市民政局", "help",
	 {"社区独居老人需要上门照护", "希望社区开设老年食堂", "养老院收费不透明"},
	 "已协调街道社区上门走访，将符合条件的老人纳入居家养老服务。"},
	{"社会救助", "长沙市民政局", "help",
	 {"家庭困难申请低保需要什么条件", "因病致贫希望得到临时救助", "残疾人补贴没有按时发放"},
	 "已告知申请条件和流程，社区已上门协助提交申请材料。"},
	{"大气污染", "长沙市生态环境局", "report",
	 {"附近工厂夜间排放刺鼻气体", "餐馆油烟直排影响居民", "露天焚烧垃圾烟雾很大"},
	 "经现场检查，已责令相关单位整改并立案处罚，后续将跟踪复查。"},
	{"噪声污染", "长沙市生态环境局", "complaint",
	 {"酒吧音乐声持续到凌晨", "商铺大音量播放广告", "冷却塔噪音影响休息"},
	 "经夜间监测，噪声超标，已责令加装隔音设施并复测达标。"},
	{"办事咨询", "长沙市行政审批服务局", "consult",
	 {"营业执照变更需要带哪些材料", "办理施工许可需要多长时间", "网上办事大厅怎么注册"},
	 "已告知办理材料和流程，市民可通过政务服务网预约办理。"},
	{"窗口服务", "长沙市政务服务中心", "praise",
	 {"表扬政务大厅窗口工作人员热情耐心", "感谢窗口延时服务帮我办完业务", "表扬帮办代办人员服务周到"},
	 "感谢市民的肯定，已将表扬转达相关窗口和工作人员。"},
	{"供水", "长沙水务集团有限公司", "help",
	 {"小区突然停水没有提前通知", "自来水水压太低高层用不上水", "水管爆裂路面冒水"},
	 "已派抢修人员到场处置，管道已修复并恢复供水，今后计划停水将提前在小区公告。"},
	{"供电", "国网长沙供电公司", "help",
	 {"小区频繁停电影响生活", "电线老化存在安全隐患", "新装电表迟迟未通电"},
	 "已安排抢修班组现场检修，更换了故障设备，供电已恢复正常。"},
	{"燃气", "长沙新奥燃气有限公司", "help",
	 {"楼道内闻到燃气味道", "燃气开户预约后一直没人上门", "燃气费账单金额异常"},
	 "已派员上门检测并处置，排除了泄漏隐患，相关业务已办理完毕。"},
};
static const char *const places[] = {"芙蓉区五一大道", "芙蓉区文艺路", "天心区南门口", "天心区书院路", "岳麓区望月湖",
				     "岳麓区麓山南路", "开福区湘江中路", "开福区伍家岭", "雨花区韶山路", "雨花区高桥",
				     "望城区金星北路", "长沙县星沙大道"};
static const char *const districts[] = {"430102", "430102", "430103", "430103", "430104", "430104",
					"430105", "430105", "430111", "430111", "430112", "430121"};

/* An order's life, planned ahead and played out day by day: each field the working day on which
 * that step happens (index into the year's working days), -1 when it does not. */
typedef struct plan {
	int64_t id, unit, wrong_unit, merge_into;
	int topic;
	bool direct, returned, extended, rejected, dissatisfied, reopened, supervised, urgent;
	int stage; /* the next step */
	int at;    /* working-day index of the next step */
} plan_t;

struct hotline_demo {
	db_t *db;
	const calendar_t *cal;
	int per_day;
	auth_user_t op, admin, sup;
	struct {
		int64_t dept;
		auth_user_t u;
	} units[16];
	int nunits;
	plan_t *plans;
	size_t n, cap;
	hotline_demo_counts_t c;
};

/* The account that acts for a unit: its demo handling-unit account, or a clerk of it without one. */
static const auth_user_t *unit_user(hotline_demo_t *s, int64_t dept_id)
{
	for (int i = 0; i < s->nunits; i++)
		if (s->units[i].dept == dept_id)
			return &s->units[i].u;
	if (s->nunits == 16)
		return NULL;
	auth_user_t *u = &s->units[s->nunits].u;
	memset(u, 0, sizeof *u);
	s->units[s->nunits].dept = dept_id;
	/* a demo account of the unit if there is one */
	db_stmt_t *st = db_prepare(s->db, "SELECT id FROM users WHERE dept_id = :dept AND roles LIKE '%handling_unit%'"
					  " ORDER BY id LIMIT 1");
	db_bind_int(st, "dept", dept_id);
	if (db_one(st) == 0) {
		int64_t id = db_col_int(st, 0);
		db_reset(st);
		auth_user_load(s->db, id, u);
	} else {
		snprintf(u->name, sizeof u->name, "承办人");
		u->dept_id = dept_id;
		u->roles = ROLE_HANDLING_UNIT;
	}
	s->nunits++;
	return u;
}

int hotline_demo_year_begin(db_t *db, const calendar_t *cal, int per_day, hotline_demo_t **out)
{
	hotline_demo_t *s = calloc(1, sizeof *s);
	if (!s)
		return YW_EIO;
	s->db = db;
	s->cal = cal;
	s->per_day = per_day;
	g_rand = 0x12345aull;
	int rc;
	if ((rc = user(db, "rexian02", &s->op)) != 0 || (rc = user(db, "center_admin", &s->admin)) != 0 ||
	    (rc = user(db, "jiandu01", &s->sup)) != 0) {
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

void hotline_demo_year_end(hotline_demo_t *s, hotline_demo_counts_t *counts)
{
	if (!s)
		return;
	if (counts)
		*counts = s->c;
	free(s->plans);
	free(s);
}

static int act_as(hotline_demo_t *s, const auth_user_t *who, int64_t at, int64_t id, enum hotline_op op, json_t *in)
{
	yw_clock_set(at);
	vctx_t v = {0};
	hotline_ctx_t x = {.actor = who, .cal = s->cal, .cfg = config_current(), .now = at, .v = &v, .why = ""};
	int64_t order;
	int rc = hotline_act(s->db, &x, id, op, in, &order);
	json_decref(in);
	if (rc && rc != YW_ECONFLICT)
		log_error("demo: hotline step %d on order %lld: %d %s", op, (long long)id, rc, x.why);
	json_decref(v.errors);
	/* a step the order's state no longer allows (merged meanwhile) is skipped */
	return rc == YW_ECONFLICT ? 0 : rc;
}

/* The plan's next step, at `at`; sets the following one. */
static int play(hotline_demo_t *s, plan_t *p, int day, int64_t at)
{
	const auth_user_t *unit = p->unit ? unit_user(s, p->unit) : &s->op;
	if (!unit)
		return YW_EIO;
	int rc = 0;
	int limit = hotline_limit_days(config_current(), topics[p->topic].category);
	limit = limit > 1 ? limit : 2;
	switch (p->stage) {
	case 1: /* 派单: to the wrong unit first when it will be returned */
		rc = act_as(s, &s->op, at, p->id, HO_DISPATCH,
			    json_pack("{s:I, s:s}", "unit_id", (json_int_t)(p->returned ? p->wrong_unit : p->unit), "note",
				      "请核实处理并按时答复"));
		p->stage = p->returned ? 2 : 4;
		p->at = day + (rnd(10) == 0 ? 2 : rnd(2));
		if (!rc && p->urgent && !p->returned) {
			/* an urgent order is signed for and answered within its hours */
			rc = act_as(s, unit, at + 600, p->id, HO_SIGN, json_object());
			if (!rc)
				rc = act_as(s, unit, at + 3600 + (int64_t)rnd(2400), p->id, HO_REPLY,
					    json_pack("{s:s}", "text", topics[p->topic].reply));
			p->stage = 8;
			p->at = day + rnd(2);
		}
		break;
	case 2: /* 退单 by the wrong unit */
		rc = act_as(s, unit_user(s, p->wrong_unit), at, p->id, HO_RETURN,
			    json_pack("{s:s}", "reason", "该事项不属本单位职责，请改派相关职能部门"));
		p->stage = 3;
		p->at = day;
		s->c.returned++;
		break;
	case 3: /* 改派 */
		rc = act_as(s, &s->op, at, p->id, HO_RETURN_REVIEW,
			    json_pack("{s:b, s:I, s:s}", "accept", 1, "unit_id", (json_int_t)p->unit, "note", "退单理由成立，改派"));
		p->stage = 4;
		p->at = day + rnd(2);
		break;
	case 4: /* 签收 */
		rc = act_as(s, unit, at, p->id, HO_SIGN, json_object());
		p->stage = p->extended ? 5 : 7;
		/* most answer within the limit, one in twelve late */
		p->at = day + (rnd(12) == 0 ? limit + 1 + (int)rnd(3) : 1 + (int)rnd((unsigned)limit - 1));
		break;
	case 5: /* 延期 */
		rc = act_as(s, unit, at, p->id, HO_EXTENSION,
			    json_pack("{s:i, s:s}", "days", 3 + (int)rnd(5), "reason", "需协调多个部门现场核查，申请延期"));
		p->stage = 6;
		p->at = day + 1;
		s->c.extended++;
		break;
	case 6: { /* the centre admin decides the last extension asked */
		db_stmt_t *st = db_prepare(s->db, "SELECT id FROM hotline_extensions WHERE order_id = :id AND state = 'pending'");
		db_bind_int(st, "id", p->id);
		if (db_one(st) == 0) {
			int64_t eid = db_col_int(st, 0);
			db_reset(st);
			yw_clock_set(at);
			vctx_t v = {0};
			hotline_ctx_t x = {.actor = &s->admin, .cal = s->cal, .cfg = config_current(), .now = at, .v = &v};
			int64_t order;
			json_t *in = json_pack("{s:b, s:s}", "approve", rnd(4) != 0, "note", "经审核");
			rc = hotline_act(s->db, &x, eid, HO_EXTENSION_DECIDE, in, &order);
			json_decref(in);
			json_decref(v.errors);
			rc = rc == YW_ECONFLICT ? 0 : rc;
		}
		p->stage = 7;
		p->at = day + 1 + (int)rnd(3);
		break;
	}
	case 7: /* 答复 */
		if (p->supervised) {
			rc = act_as(s, &s->sup, at - 1800, p->id, HO_SUPERVISE,
				    json_pack("{s:s}", "note", "请加快办理，按时答复市民"));
			s->c.supervised++;
			p->supervised = false;
		}
		if (!rc)
			rc = act_as(s, unit, at, p->id, HO_REPLY, json_pack("{s:s}", "text", topics[p->topic].reply));
		p->stage = 8;
		p->at = day + rnd(2);
		break;
	case 8: /* the centre's check */
		if (p->rejected) {
			rc = act_as(s, &s->op, at, p->id, HO_REVIEW,
				    json_pack("{s:b, s:s}", "approve", 0, "reason", "答复未说明核查结果和处理措施，请重新办理"));
			p->rejected = false;
			p->stage = 7;
			p->at = day + 1;
			s->c.rejected++;
			break;
		}
		rc = act_as(s, &s->op, at, p->id, HO_REVIEW, json_pack("{s:b}", "approve", 1));
		p->stage = 9;
		p->at = day + 1 + rnd(2);
		s->c.closed++;
		break;
	case 9: { /* 回访 */
		bool bad = p->dissatisfied;
		unsigned r = rnd(100);
		const char *sat = bad ? "dissatisfied" : r < 85 ? "satisfied" : "basic";
		rc = act_as(s, &s->op, at, p->id, HO_CALLBACK,
			    json_pack("{s:s, s:b, s:s}", "satisfaction", sat, "solved", !bad && rnd(10) != 0, "note",
				      bad ? "市民表示问题仍未解决" : "市民对办理结果表示认可"));
		s->c.called_back++;
		p->dissatisfied = false;
		if (bad && p->reopened) {
			p->stage = 10;
			p->at = day + 1;
		} else {
			p->stage = 0;
		}
		break;
	}
	case 10: /* 重办 */
		rc = act_as(s, &s->admin, at, p->id, HO_REOPEN, json_pack("{s:s}", "note", "回访不满意，经研究重办"));
		p->stage = 4;
		p->at = day + rnd(2);
		s->c.reopened++;
		break;
	default: p->stage = 0;
	}
	return rc;
}

static int64_t unit_of(db_t *db, const char *name)
{
	return dept(db, name);
}

int hotline_demo_year_day(hotline_demo_t *s, int day, int64_t t0, int64_t t1)
{
	int rc = 0;
	int64_t span = t1 > t0 ? t1 - t0 : 1;
	/* the plans waiting for this working day */
	for (size_t i = 0; i < s->n && !rc; i++) {
		plan_t *p = &s->plans[i];
		if (p->stage == 0 || p->at > day)
			continue;
		rc = play(s, p, day, t0 + 1800 + (int64_t)rnd((unsigned)(span - 3600 > 60 ? span - 3600 : 60)));
	}
	/* today's new orders */
	int n = s->per_day / 2 + (int)rnd((unsigned)s->per_day + 1);
	for (int k = 0; k < n && !rc; k++) {
		int topic = (int)rnd(sizeof topics / sizeof topics[0]);
		int place = (int)rnd(sizeof places / sizeof places[0]);
		int64_t at = t0 + (int64_t)rnd((unsigned)(span / 2 > 60 ? span / 2 : 60));
		char text[256], phone[16];
		snprintf(text, sizeof text, "%s附近%s，希望有关部门尽快处理", places[place],
			 topics[topic].what[rnd(3)]);
		snprintf(phone, sizeof phone, "139%08u", rnd(100000000));
		static const char *const channels[] = {"phone", "phone", "phone", "phone", "phone", "phone",
						       "mayor_mailbox", "web", "web", "wechat", "people_cn", "media"};
		const char *channel = channels[rnd(sizeof channels / sizeof channels[0])];
		const char *source = strcmp(channel, "wechat") == 0	 ? "市政协微建议"
				     : strcmp(channel, "people_cn") == 0 ? "人民网地方领导留言板"
				     : strcmp(channel, "media") == 0	 ? "长沙晚报12345市民直通车"
									 : "";
		bool direct = topics[topic].category[0] == 'c' && topics[topic].category[1] == 'o' && rnd(2) == 0;
		yw_clock_set(at);
		vctx_t v = {0};
		hotline_ctx_t x = {.actor = &s->op, .cal = s->cal, .cfg = config_current(), .now = at, .v = &v, .why = ""};
		json_t *in = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "channel", channel,
				       "source_name", source, "category", topics[topic].category, "matter_id",
				       (json_int_t)matter_id(s->db, topics[topic].matter), "text", text, "caller_name", "市民",
				       "caller_phone", phone, "address", places[place], "district", districts[place], "urgent",
				       rnd(60) == 0);
		if (direct)
			json_object_set_new(in, "answer", json_string(topics[topic].reply));
		bool urgent = json_is_true(json_object_get(in, "urgent"));
		int64_t id;
		char number[24], code[16];
		rc = hotline_order_create(s->db, &x, in, false, &id, number, code);
		json_decref(in);
		json_decref(v.errors);
		if (rc)
			break;
		s->c.orders++;
		if (s->n == s->cap) {
			plan_t *q = realloc(s->plans, (s->cap = s->cap ? s->cap * 2 : 256) * sizeof *q);
			if (!q)
				return YW_EIO;
			s->plans = q;
		}
		plan_t *p = &s->plans[s->n++];
		memset(p, 0, sizeof *p);
		p->id = id;
		p->topic = topic;
		if (direct) {
			/* answered on the spot, and called back like every order */
			s->c.direct++;
			p->stage = 9;
			p->at = day + 1 + (int)rnd(2);
			continue;
		}
		p->unit = unit_of(s->db, topics[topic].unit);
		p->returned = rnd(20) == 0;
		p->wrong_unit = unit_of(s->db, p->unit == unit_of(s->db, "长沙市民政局") ? "长沙市城市管理和综合执法局"
											       : "长沙市民政局");
		p->extended = rnd(12) == 0;
		p->rejected = rnd(20) == 0;
		p->dissatisfied = rnd(12) == 0;
		p->reopened = p->dissatisfied && rnd(2) == 0;
		p->supervised = rnd(40) == 0;
		p->urgent = urgent;
		p->stage = 1;
		p->at = day;
		/* now and then a second caller about the same thing the same day: 并单 */
		if (rnd(30) == 0) {
			yw_clock_set(at + 1200);
			vctx_t w = {0};
			hotline_ctx_t y = {.actor = &s->op, .cal = s->cal, .cfg = config_current(), .now = at + 1200, .v = &w};
			snprintf(phone, sizeof phone, "139%08u", rnd(100000000));
			in = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "channel", "phone", "category",
				       topics[topic].category, "matter_id", (json_int_t)matter_id(s->db, topics[topic].matter),
				       "text", text, "caller_phone", phone, "address", places[place], "district", districts[place]);
			int64_t dup;
			rc = hotline_order_create(s->db, &y, in, false, &dup, number, code);
			json_decref(in);
			json_decref(w.errors);
			if (!rc) {
				s->c.orders++;
				s->c.merged++;
				rc = act_as(s, &s->op, at + 1500, dup, HO_MERGE, json_pack("{s:I}", "into", (json_int_t)id));
			}
		}
	}
	yw_clock_set(0);
	return rc;
}
