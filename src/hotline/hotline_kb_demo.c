/* The demo city's knowledge base (docs/domain.md §9 "Knowledge base"): answers the hotline units
 * of the demo write for the questions callers ask most, submitted and published through the
 * store like any article (so audited), served from a year ago. */
#include <stdio.h>
#include <string.h>

#include "hotline/hotline_kb.h"
#include "platform/clock.h"
#include "platform/date.h"
#include "platform/err.h"
#include "platform/log.h"

typedef struct demo_article {
	const char *unit, *matter, *title, *question, *answer, *keywords[4];
} demo_article_t;

static const demo_article_t articles[] = {
	{"chengban01", "户外广告", "店铺招牌和户外广告牌的设置",
	 "门口想挂个招牌要不要审批？",
	 "设置户外广告和店铺招牌须向所在区城管部门申请，提交营业执照、设置方案和效果图、场地使用证明，审批时限5个工作日。"
	 "招牌应牢固安全，不得遮挡消防通道和窗户；松动或破损的广告牌由设置人负责维修或拆除。",
	 {"招牌", "广告牌", "门头"}},
	{"chengban01", "渣土运输", "渣土车抛洒滴漏的投诉",
	 "渣土车把路上弄得全是泥怎么办？",
	 "渣土运输车辆须密闭运输、冲洗后出场。市民反映抛洒滴漏时请说明路段、时间和车牌号，城管执法部门将通知环卫清扫，"
	 "并对运输企业和工地依法处罚、记入信用档案。",
	 {"渣土车", "泥土", "抛洒"}},
	{"chengban02", "房屋质量", "住宅专项维修资金的使用",
	 "楼顶漏水，维修基金怎么用？",
	 "屋面防水、外墙、电梯等共用部位和共用设施设备的维修可使用住宅专项维修资金：由业主委员会或物业服务企业提出方案，"
	 "经相关业主表决同意后向区住房和城乡建设局申请划转；紧急情况可走应急使用程序，3个工作日内审核。",
	 {"维修基金", "维修资金", "房屋漏水"}},
	{"chengban03", "社会救助", "临时救助的申请",
	 "家里突发变故生活困难，能申请什么救助？",
	 "因火灾、交通事故、重大疾病等导致基本生活暂时困难的家庭，可向户籍所在地或居住地街道（乡镇）申请临时救助；"
	 "情况紧急的可先行救助、事后补办手续。申请时携带身份证、户口簿和困难情况证明。",
	 {"临时救助", "急难救助", "突发困难"}},
	{"chengban04", "大气污染", "餐饮油烟扰民的处理",
	 "楼下饭店油烟熏到家里，归谁管？",
	 "餐饮服务单位须安装油烟净化设施并保持正常使用。居民住宅楼内未配套专用烟道的商住楼层不得新建产生油烟的餐饮项目。"
	 "市民反映后，生态环境部门会同城管部门现场检测，超标排放的责令限期整改并依法处罚。",
	 {"油烟", "饭店油烟", "油烟扰民"}},
};

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

static int64_t matter(db_t *db, const char *name)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_matters WHERE name = :name ORDER BY id LIMIT 1");
	db_bind_text(st, "name", name);
	if (db_one(st) != 0)
		return 0;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return id;
}

int hotline_kb_demo_load(db_t *db)
{
	auth_user_t admin, unit;
	int rc = user(db, "center_admin", &admin);
	if (rc) {
		log_error("demo: the centre's account is missing (%d)", rc);
		return rc;
	}
	int64_t now = yw_now();
	char from[11];
	date_format(date_today_local(now) - 365, from);
	for (size_t i = 0; i < sizeof articles / sizeof articles[0] && !rc; i++) {
		const demo_article_t *a = &articles[i];
		if ((rc = user(db, a->unit, &unit)) != 0)
			break;
		json_t *kw = json_array();
		for (int k = 0; k < 4 && a->keywords[k]; k++)
			json_array_append_new(kw, json_string(a->keywords[k]));
		json_t *in = json_pack("{s:I, s:s, s:s, s:s, s:o, s:s}", "matter_id", (json_int_t)matter(db, a->matter), "title",
				       a->title, "question", a->question, "answer", a->answer, "keywords", kw,
				       "effective_from", from);
		vctx_t v = {0};
		hotline_ctx_t x = {.actor = &unit, .now = now, .v = &v, .why = ""};
		int64_t id = 0;
		rc = hotline_kb_put(db, &x, 0, in, &id);
		if (!rc)
			rc = hotline_kb_act(db, &x, id, KB_SUBMIT, in);
		x.actor = &admin;
		json_t *note = json_pack("{s:s}", "note", "内容准确，同意发布");
		if (!rc)
			rc = hotline_kb_act(db, &x, id, KB_APPROVE, note);
		json_decref(note);
		json_decref(in);
		if (rc)
			log_error("demo: knowledge-base article %s: %d %s", a->title, rc, x.why);
		json_decref(v.errors);
	}
	return rc;
}
