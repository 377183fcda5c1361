/* The demo city's disclosure (政府信息公开): the category tree of 主动公开 (disclosure_demo_load), and
 * with the demo's history (disclosure_demo_year) the organs' work from December three years back to
 * today, day by day with the clock pinned to each day (as the cases' year is made), so that
 * every date, clock, card and audit record is what the live system would have made:
 *   - documents in every category, with 文号, 成文日期 and validity, through 保密审查 (passed by the
 *     centre), some later superseded by a new version, repealed or declared lapsed, or withdrawn;
 *   - requests by every channel and applicant type, on every path of the clock (on the spot, within
 *     the 20 working days, late (carded), extended, 补正 corrected or abandoned, a third party
 *     consulted, a fee paid or not paid, withdrawn) and with every result, some carried over from
 *     one year into the next and some still open today;
 *   - reconsiderations and suits against some replies, decided or still pending;
 *   - table 二's entered figures (行政处罚, 行政强制, 行政事业性收费) for last year and this.
 * Everything goes through the store functions, audited; the background job (disclosure_store_tick)
 * runs each morning, closing abandoned requests and issuing the cards of late ones. The organs are
 * 市政务服务中心 (gongkai01) and 市自然资源和规划局 (gongkai02), whose officers act, and four more
 * departments the centre (center_admin) acts for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "disclosure/disclosure_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "platform/log.h"

static int load_user(db_t *db, const char *username, auth_user_t *u);

/* Policy documents of higher governments that demo items cite as their 设定依据, reposted by the
 * organs that implement those items under 法规文件, so that an item guide links to them (docs/api.md
 * /lookup). Kind "other": not the organ's own 规章 or 规范性文件, outside table 二. Drafted by the
 * centre and passed in 保密审查 by its second administrator, today. A demo city without those
 * organs or accounts gets none. */
static int cited_documents(db_t *db)
{
	static const struct {
		const char *organ, *title, *doc_no, *publisher, *written, *body;
	} docs[] = {
		{"长沙市公安局", "国务院关于进一步推进户籍制度改革的意见", "国发〔2014〕25号", "国务院", "2014-07-24",
		 "为深入贯彻落实党的十八大、十八届三中全会和中央城镇化工作会议关于进一步推进户籍制度改革的要求，促进有能力在城镇稳定就业和生活的常住人口有序实现市民化，稳步推进城镇基本公共服务常住人口全覆盖，现就进一步推进户籍制度改革提出如下意见。\n一、总体要求\n二、进一步调整户口迁移政策\n三、创新人口管理\n四、切实保障农业转移人口及其他常住人口合法权益\n五、切实加强组织领导"},
		{"长沙市人力资源和社会保障局", "城镇企业职工基本养老保险关系转移接续暂行办法", "国办发〔2009〕66号", "国务院办公厅",
		 "2009-12-28",
		 "第一条 为切实保障参加城镇企业职工基本养老保险人员的合法权益，促进人力资源合理配置和有序流动，保证参保人员跨省、自治区、直辖市流动并在城镇就业时基本养老保险关系的顺畅转移接续，制定本办法。\n（其余条文略）"},
		{"长沙市医疗保障局", "国务院办公厅关于健全重特大疾病医疗保险和救助制度的意见", "国办发〔2021〕42号", "国务院办公厅",
		 "2021-10-28",
		 "为深入贯彻党中央、国务院关于深化医疗保障制度改革和完善社会救助制度的决策部署，巩固拓展医疗保障脱贫攻坚成果，不断增强医疗救助托底保障功能，经国务院同意，现就健全重特大疾病医疗保险和救助制度提出以下意见。\n（其余内容略）"},
	};
	auth_user_t centre, centre2;
	int64_t rules;
	if (load_user(db, "center_admin", &centre) != 0 || load_user(db, "center_admin2", &centre2) != 0 ||
	    db_query_int(db, "SELECT id FROM disclosure_categories WHERE code = :arg", "rules", &rules) != 0)
		return 0;
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		int64_t dept, id = 0;
		int rc = db_query_int(db, "SELECT id FROM departments WHERE name = :arg", docs[i].organ, &dept);
		if (rc == YW_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dept_id", (json_int_t)dept,
				       "category_id", (json_int_t)rules, "title", docs[i].title, "doc_no", docs[i].doc_no,
				       "publisher", docs[i].publisher, "written_date", docs[i].written, "topic", "上级文件",
				       "keywords", docs[i].doc_no, "kind", "other", "body", docs[i].body);
		vctx_t v = {0};
		const char *why = NULL;
		rc = disclosure_doc_create(db, &centre, in, &v, &id);
		json_decref(in);
		json_t *none = json_object();
		json_t *pass = json_pack("{s:s, s:s}", "result", "pass", "note", "上级公开发布的文件，可以公开");
		if (!rc)
			rc = disclosure_doc_act(db, &centre, id, DDS_SUBMIT, none, &v, &why);
		if (!rc)
			rc = disclosure_doc_act(db, &centre2, id, DDS_REVIEW_STEP, pass, &v, &why);
		json_decref(none);
		json_decref(pass);
		json_decref(v.errors);
		if (rc)
			return rc;
	}
	return 0;
}

int disclosure_demo_load(db_t *db)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	rc = disclosure_store_seed(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	if ((rc = db_commit(db)) != 0)
		return rc;
	return cited_documents(db);
}

/* ---- the year(s) of disclosure ---- */

enum { N_ORGANS = 6, MAX_CATS = 32 };

enum path {
	P_PLAIN,       /* replied within the 20 working days */
	P_SPOT,        /* in person, answered on the spot */
	P_LATE,        /* replied after the due day (carded by supervision) */
	P_CORR_OK,     /* 补正, corrected, replied */
	P_CORR_LAPSE,  /* 补正 never corrected: closed by the job as 逾期不补正 */
	P_EXTEND,      /* extended once, replied */
	P_CONSULT,     /* a third party consulted, replied */
	P_FEE_PAID,    /* fee notice, paid, replied */
	P_FEE_LAPSE,   /* fee never paid: closed by the job as 逾期不缴费 */
	P_WITHDRAW,    /* withdrawn by the applicant online */
};
/* the paths in turn (a cycle of 16 requests) */
static const enum path path_cycle[] = {P_PLAIN, P_SPOT,	  P_PLAIN,     P_CORR_OK, P_PLAIN,   P_LATE,
				       P_PLAIN, P_EXTEND, P_CONSULT,   P_PLAIN,	  P_FEE_PAID, P_CORR_LAPSE,
				       P_PLAIN, P_WITHDRAW, P_FEE_LAPSE, P_PLAIN};
/* the results in turn, every row of table 三 (逾期不补正 and 逾期不缴费 come from the job) */
static const char *const result_cycle[] = {
	"public",	    "public",	      "partial",	   "unable_not_held",	"public",
	"deny_state_secret", "reject_repeat", "public",	   "deny_law",		"partial",
	"unable_need_create", "deny_safety",  "public",	   "deny_third_party",	"reject_petition",
	"deny_internal",     "public",	      "deny_process",	   "reject_publication", "partial",
	"deny_enforcement",  "reject_mass",   "public",	   "deny_inquiry",	"reject_confirm",
	"other",	     "public"};
static const char *const types[] = {"person", "company", "person", "research", "person", "nonprofit", "legal",
				    "person", "other_org", "company"};
static const char *const channels[] = {"letter", "email", "in_person", "fax", "letter", "email"};
static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"};
static const char *const orgs[] = {"湖南湘江建设有限公司", "长沙市规划设计研究院", "湖南公益服务促进会", "湖南楚天律师事务所",
				   "长沙市岳麓区某业主委员会", "长沙星城商贸有限公司"};
static const char *const topics[] = {
	"%s2024年度部门预算及“三公”经费情况", "%s办理的行政许可事项数量及办理时限",
	"%s关于某地块规划条件的批复文件",     "%s内设机构设置及职能配置情况",
	"%s政府购买服务项目清单及合同金额",   "%s窗口服务满意度统计结果",
	"%s某小区配套设施建设的审批情况",     "%s信访事项办理情况的统计数据",
	"%s关于征收补偿安置方案的相关文件",   "%s行政处罚案件的处罚决定书"};

typedef struct dq {
	int64_t id;
	int organ;
	enum path path;
	int stage;
	yw_date_t next; /* the day of the next step; 0: nothing more (done, or left to the job) */
	const char *result;
	bool online;
	int online_who;
	int64_t remedy_id;
} dq_t;

typedef struct dd {
	int64_t id;
	int organ;
	int stage; /* 0 published; then an edit (new version), a change of validity or a withdrawal */
	yw_date_t next;
	bool rules;
} dd_t;

typedef struct demo {
	db_t *db;
	const calendar_t *cal;
	yw_date_t today, day;
	uint64_t rand;
	auth_user_t officer[2], centre, centre2, citizen[2];
	int64_t dept[N_ORGANS];
	char organ_name[N_ORGANS][128];
	int64_t cats[MAX_CATS];
	char cat_code[MAX_CATS][32], cat_name[MAX_CATS][64];
	int ncats;
	dq_t *q;
	size_t nq, capq;
	dd_t *d;
	size_t nd, capd;
	unsigned next_path, next_result, next_type, next_channel, next_doc, remedy_turn;
	disclosure_demo_counts_t n;
} demo_t;

static unsigned pick(demo_t *s, unsigned n)
{
	s->rand = s->rand * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((s->rand >> 33) % n);
}

static yw_date_t after(demo_t *s, yw_date_t from, int workdays)
{
	yw_date_t out = from + workdays;
	calendar_add_workdays(s->cal, from, workdays, &out, NULL);
	return out;
}

static const auth_user_t *handler(demo_t *s, int organ)
{
	return organ < 2 ? &s->officer[organ] : &s->centre;
}

static void day_text(yw_date_t d, char out[11])
{
	date_format(d, out);
}

/* A step's outcome: a refusal by the rules (a plan that met something unexpected) is counted and
 * skipped, as an officer would; a store failure stops the demo. */
static int outcome(demo_t *s, int rc, vctx_t *v, const char *what, int64_t id)
{
	if (rc == YW_EINVAL || rc == YW_ECONFLICT || rc == YW_EFORBIDDEN || rc == YW_ENOTFOUND) {
		if (getenv("YW_DEMO_DEBUG")) {
			char *e = v->errors ? json_dumps(v->errors, JSON_COMPACT) : NULL;
			fprintf(stderr, "yiwang: demo disclosure: %s of %lld refused (%d) %s\n", what, (long long)id, rc, e ? e : "");
			free(e);
		}
		s->n.skipped++;
		rc = 0;
	}
	json_decref(v->errors);
	v->errors = NULL;
	return rc;
}

static int act(demo_t *s, const auth_user_t *u, dq_t *r, enum disc_req_step step, int64_t sub, json_t *body,
	       const char *what)
{
	vctx_t v = {0};
	const char *why = NULL;
	int rc = disclosure_request_act(s->db, u, r->id, step, sub, body, s->cal, &v, &why);
	json_decref(body);
	if (rc)
		r->next = 0; /* the plan stops here */
	return outcome(s, rc, &v, what, r->id);
}

static void person_no(demo_t *s, char out[19])
{
	snprintf(out, 19, "430102%04u%02u%02u%03u", 1960 + pick(s, 40), 1 + pick(s, 12), 1 + pick(s, 28), pick(s, 1000));
	out[17] = idcheck_person_check_char(out);
	out[18] = 0;
}

static void org_no(demo_t *s, char out[19])
{
	snprintf(out, 19, "91430100MA4L%05u", pick(s, 100000));
	out[17] = idcheck_uscc_check_char(out);
	out[18] = 0;
}

static int reply(demo_t *s, dq_t *r);

/* A new request received today, with its plan. */
static int new_request(demo_t *s)
{
	enum path path = path_cycle[s->next_path++ % (sizeof path_cycle / sizeof path_cycle[0])];
	int organ = (int)pick(s, 10);
	organ = organ < 4 ? 0 : organ < 7 ? 1 : 2 + (int)pick(s, N_ORGANS - 2);
	if (!s->dept[organ])
		organ = 0;
	/* about one request in five is filed online by the two demo applicants (and every withdrawal) */
	bool online = path == P_WITHDRAW || (path != P_SPOT && pick(s, 5) == 0);
	int who = (int)pick(s, 2);
	char content[300];
	snprintf(content, sizeof content, topics[pick(s, sizeof topics / sizeof topics[0])], s->organ_name[organ]);
	json_t *in;
	if (online) {
		in = json_pack("{s:I, s:s, s:s, s:s}", "dept_id", (json_int_t)s->dept[organ], "content", content, "purpose",
			       "了解相关情况", "delivery", "online");
		if (who == 1)
			json_object_set_new(in, "applicant_type", json_string("company"));
		if (who == 1)
			json_object_set_new(in, "contact_person", json_string("周建国"));
	} else {
		const char *type = types[s->next_type++ % (sizeof types / sizeof types[0])];
		const char *channel = path == P_SPOT ? "in_person" : channels[s->next_channel++ % (sizeof channels / sizeof channels[0])];
		bool person = strcmp(type, "person") == 0;
		char name[64], no[19], phone[16];
		if (person) {
			unsigned k = pick(s, 20);
			snprintf(name, sizeof name, "%.3s%s%s", surnames + 3 * k, given[pick(s, 15)],
				 pick(s, 2) ? given[pick(s, 15)] : "");
			person_no(s, no);
		} else {
			snprintf(name, sizeof name, "%s", orgs[pick(s, sizeof orgs / sizeof orgs[0])]);
			org_no(s, no);
		}
		snprintf(phone, sizeof phone, "139%08u", pick(s, 100000000));
		char received[11];
		day_text(s->day, received);
		in = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dept_id", (json_int_t)s->dept[organ],
			       "channel", channel, "applicant_type", type, "applicant_name", name, "applicant_no", no, "phone",
			       phone, "content", content, "purpose", "生产生活需要", "delivery",
			       strcmp(channel, "email") == 0 ? "email" : "post", "received_date", received);
		if (!person)
			json_object_set_new(in, "contact_person", json_string("刘敏"));
	}
	vctx_t v = {0};
	int64_t id = 0;
	const auth_user_t *actor = online ? &s->citizen[who] : handler(s, organ);
	int rc = disclosure_request_create(s->db, actor, in, s->cal, &v, &id);
	json_decref(in);
	if (rc)
		return outcome(s, rc, &v, "request", 0);
	s->n.requests++;
	if (s->nq == s->capq) {
		s->capq = s->capq ? s->capq * 2 : 256;
		s->q = realloc(s->q, s->capq * sizeof *s->q);
		if (!s->q)
			return YW_EIO;
	}
	dq_t *r = &s->q[s->nq++];
	*r = (dq_t){.id = id, .organ = organ, .path = path, .online = online, .online_who = who};
	switch (path) {
	case P_PLAIN: r->next = after(s, s->day, 3 + (int)pick(s, 17)); break;
	case P_SPOT: r->next = s->day; return reply(s, r); /* answered on the spot, the day it arrives */
	case P_LATE: r->next = after(s, s->day, 21 + (int)pick(s, 6)); break;
	case P_CORR_OK:
	case P_CORR_LAPSE: r->next = after(s, s->day, 1 + (int)pick(s, 5)); break;
	case P_EXTEND: r->next = after(s, s->day, 16 + (int)pick(s, 3)); break;
	case P_CONSULT:
	case P_FEE_PAID:
	case P_FEE_LAPSE:
	case P_WITHDRAW: r->next = after(s, s->day, 2 + (int)pick(s, 3)); break;
	}
	return 0;
}

static const char *next_result(demo_t *s, enum path path)
{
	if (path == P_CORR_OK && pick(s, 3) == 0)
		return "unable_unclear";
	if (path == P_CONSULT)
		return pick(s, 2) ? "deny_third_party" : "public";
	return result_cycle[s->next_result++ % (sizeof result_cycle / sizeof result_cycle[0])];
}

static int reply(demo_t *s, dq_t *r)
{
	char day[11];
	day_text(s->day, day);
	r->result = next_result(s, r->path);
	json_t *in = json_pack("{s:s, s:s, s:b}", "result", r->result, "reply_date", day, "on_spot", r->path == P_SPOT);
	if (strcmp(r->result, "other") == 0)
		json_object_set_new(in, "note", json_string("申请人要求以其他方式处理，已另行告知"));
	int rc = act(s, handler(s, r->organ), r, DRQ_REPLY, 0, in, "reply");
	if (rc || !r->next)
		return rc; /* refused: the plan stops */
	s->n.replied++;
	/* one in three refusals is taken to 复议 or court some days later */
	bool refused = strncmp(r->result, "deny_", 5) == 0 || strcmp(r->result, "partial") == 0 ||
		       strncmp(r->result, "reject_", 7) == 0;
	r->next = refused && s->remedy_turn++ % 3 == 0 ? after(s, s->day, 5 + (int)pick(s, 10)) : 0;
	r->stage = 100; /* remedies follow */
	return 0;
}

static int remedy_step(demo_t *s, dq_t *r)
{
	static const char *const stages[] = {"reconsideration", "suit_direct", "reconsideration", "suit_after"};
	static const char *const results[] = {"upheld", "upheld", "corrected", "other"};
	char day[11];
	day_text(s->day, day);
	vctx_t v = {0};
	int rc;
	const auth_user_t *u = handler(s, r->organ);
	if (r->stage == 100) {
		const char *stage = stages[s->n.remedies % 4];
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s}", "stage", stage, "filed_date", day, "authority",
				       strcmp(stage, "reconsideration") == 0 ? "长沙市人民政府" : "长沙市天心区人民法院",
				       "case_ref", strcmp(stage, "reconsideration") == 0 ? "长政复〔受〕字第号" : "（行初）字第号",
				       "note", "申请人对答复不服");
		rc = disclosure_remedy_create(s->db, u, r->id, in, &v, &r->remedy_id);
		json_decref(in);
		if (!rc) {
			s->n.remedies++;
			r->stage = 101;
			r->next = after(s, s->day, 30 + (int)pick(s, 30));
			return 0;
		}
		r->next = 0;
		return outcome(s, rc, &v, "remedy", r->id);
	}
	json_t *in = json_pack("{s:s, s:s, s:s}", "result", results[pick(s, 4)], "decided_date", day, "note", "已审结");
	rc = disclosure_remedy_update(s->db, u, r->id, r->remedy_id, in, &v);
	json_decref(in);
	r->next = 0;
	return outcome(s, rc, &v, "remedy decision", r->id);
}

static int consultation_of(demo_t *s, int64_t id, int64_t *cid)
{
	db_stmt_t *st = db_prepare(s->db, "SELECT COALESCE(MAX(id), 0) AS id FROM disclosure_consultations "
					  "WHERE request_id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*cid = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* The next planned step of request r, due today. */
static int request_step(demo_t *s, dq_t *r)
{
	if (r->stage >= 100)
		return remedy_step(s, r);
	const auth_user_t *u = handler(s, r->organ);
	char day[11];
	day_text(s->day, day);
	switch (r->path) {
	case P_PLAIN:
	case P_SPOT:
	case P_LATE: return reply(s, r);
	case P_CORR_OK:
	case P_CORR_LAPSE:
		if (r->stage == 0) {
			r->stage = 1;
			int rc = act(s, u, r, DRQ_CORRECTION, 0,
				     json_pack("{s:[s, s], s:s, s:i}", "items", "请明确所需政府信息的名称、文号或者便于查询的其他特征性描述",
					       "请说明所需信息的时间范围", "notice_date", day, "due_workdays", 10),
				     "correction");
			if (!rc && r->next)
				r->next = r->path == P_CORR_OK ? after(s, s->day, 2 + (int)pick(s, 6)) : 0;
			return rc;
		}
		if (r->stage == 1) {
			r->stage = 2;
			int rc = act(s, r->online ? &s->citizen[r->online_who] : u, r, DRQ_CORRECTED, 0,
				     r->online ? json_pack("{s:s}", "content", "补正后：所需信息为上一年度的相关批复文件")
					       : json_pack("{s:s, s:s}", "content", "补正后：所需信息为上一年度的相关批复文件",
							   "received_date", day),
				     "corrected");
			if (!rc && r->next)
				r->next = after(s, s->day, 4 + (int)pick(s, 14));
			return rc;
		}
		return reply(s, r);
	case P_EXTEND:
		if (r->stage == 0) {
			r->stage = 1;
			int rc = act(s, u, r, DRQ_EXTEND, 0,
				     json_pack("{s:i, s:s, s:s, s:s}", "days", 15, "reason", "所需信息涉及多个内设机构，需调取档案核实",
					       "approver", "办公室主任", "notice_date", day),
				     "extension");
			if (!rc && r->next)
				r->next = after(s, s->day, 8 + (int)pick(s, 6));
			return rc;
		}
		return reply(s, r);
	case P_CONSULT:
		if (r->stage == 0) {
			r->stage = 1;
			int rc = act(s, u, r, DRQ_CONSULT, 0,
				     json_pack("{s:s, s:s, s:s}", "third_party", "湖南湘江建设有限公司", "contact", "0731-88886666",
					       "sent_date", day),
				     "consultation");
			if (!rc && r->next)
				r->next = after(s, s->day, 3 + (int)pick(s, 8));
			return rc;
		}
		if (r->stage == 1) {
			r->stage = 2;
			int64_t cid = 0;
			int rc = consultation_of(s, r->id, &cid);
			if (!rc)
				rc = act(s, u, r, DRQ_ANSWER, cid,
					 json_pack("{s:s, s:s, s:s}", "opinion", pick(s, 2) ? "agree" : "object", "note",
						   "第三方书面答复", "answered_date", day),
					 "consultation answer");
			if (!rc && r->next)
				r->next = after(s, s->day, 2 + (int)pick(s, 5));
			return rc;
		}
		return reply(s, r);
	case P_FEE_PAID:
	case P_FEE_LAPSE:
		if (r->stage == 0) {
			r->stage = 1;
			int rc = act(s, u, r, DRQ_FEE, 0,
				     json_pack("{s:s, s:i, s:s}", "basis", "page", "quantity", 120 + (int)pick(s, 200), "notice_date",
					       day),
				     "fee");
			if (!rc && r->next)
				r->next = r->path == P_FEE_PAID ? after(s, s->day, 2 + (int)pick(s, 8)) : 0;
			return rc;
		}
		if (r->stage == 1) {
			r->stage = 2;
			int rc = act(s, u, r, DRQ_PAID, 0, json_pack("{s:s}", "paid_date", day), "payment");
			if (!rc && r->next)
				r->next = after(s, s->day, 3 + (int)pick(s, 6));
			return rc;
		}
		return reply(s, r);
	case P_WITHDRAW:
		r->next = 0;
		return act(s, &s->citizen[r->online_who], r, DRQ_WITHDRAW, 0,
			   json_pack("{s:s}", "reason", "已通过其他途径获取"), "withdrawal"); /* online: dated today */
	}
	return 0;
}

/* ---- documents ---- */

static const char *const doc_titles[] = {"关于印发《%s工作规则》的通知", "%s%d年工作要点", "%s关于进一步优化营商环境的若干措施",
					 "%s%d年度部门预算公开说明",   "%s人事任免信息",	   "%s行政许可事项办理结果公示",
					 "%s行政处罚决定信息公开",     "%s关于市人大代表建议办理情况的答复", "%s政策解读",
					 "%s%d年政府信息公开工作年度报告"};

static int doc_step(demo_t *s, dd_t *d);

static int new_document(demo_t *s)
{
	int c = (int)(s->next_doc++ % (unsigned)s->ncats);
	int organ = (int)pick(s, N_ORGANS);
	if (!s->dept[organ])
		organ = 0;
	int y, m, dd;
	date_to_ymd(s->day, &y, &m, &dd);
	const char *code = s->cat_code[c];
	bool rules = strcmp(code, "rules") == 0;
	const char *kind = rules ? (pick(s, 4) == 0 ? "regulation" : "normative") : "other";
	char title[300], doc_no[64] = "", written[11], body[600];
	const char *fmt = doc_titles[c % (int)(sizeof doc_titles / sizeof doc_titles[0])];
	if (strcmp(code, "annual_report") == 0)
		fmt = doc_titles[9];
	snprintf(title, sizeof title, fmt, s->organ_name[organ], strcmp(code, "annual_report") == 0 ? y - 1 : y);
	if (rules || pick(s, 2))
		snprintf(doc_no, sizeof doc_no, "%s〔%d〕%u号", rules ? "长政办发" : "长政务函", y, 1 + pick(s, 120));
	day_text(s->day - (yw_date_t)pick(s, 10), written);
	snprintf(body, sizeof body, "%s\n各有关单位：\n根据有关法律法规和上级部署，结合工作实际，现将有关事项通知如下。\n一、总体要求\n二、主要任务\n三、保障措施\n本文件自发布之日起施行。",
		 title);
	const auth_user_t *author = handler(s, organ);
	json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "dept_id", (json_int_t)s->dept[organ],
			       "category_id", (json_int_t)s->cats[c], "title", title, "doc_no", doc_no, "publisher",
			       s->organ_name[organ], "written_date", written, "topic", s->cat_name[c], "keywords", s->cat_name[c],
			       "kind", kind, "body", body);
	vctx_t v = {0};
	int64_t id = 0;
	int rc = disclosure_doc_create(s->db, author, in, &v, &id);
	json_decref(in);
	if (rc)
		return outcome(s, rc, &v, "document", 0);
	s->n.documents++;
	if (s->nd == s->capd) {
		s->capd = s->capd ? s->capd * 2 : 128;
		s->d = realloc(s->d, s->capd * sizeof *s->d);
		if (!s->d)
			return YW_EIO;
	}
	dd_t *d = &s->d[s->nd++];
	*d = (dd_t){.id = id, .organ = organ, .rules = rules};
	return doc_step(s, d);
}

static int doc_act(demo_t *s, const auth_user_t *u, dd_t *d, enum disc_doc_step step, json_t *in, const char *what)
{
	vctx_t v = {0};
	const char *why = NULL;
	int rc = disclosure_doc_act(s->db, u, d->id, step, in, &v, &why);
	json_decref(in);
	if (rc)
		d->next = 0;
	return outcome(s, rc, &v, what, d->id);
}

/* Submits the document's draft and passes its 保密审查 (by the centre, or the centre's second
 * administrator for the centre's own drafts). */
static int publish(demo_t *s, dd_t *d)
{
	const auth_user_t *author = handler(s, d->organ);
	const auth_user_t *reviewer = author == &s->centre ? &s->centre2 : &s->centre;
	int rc = doc_act(s, author, d, DDS_SUBMIT, json_object(), "submit");
	if (!rc)
		rc = doc_act(s, reviewer, d, DDS_REVIEW_STEP,
			     json_pack("{s:s, s:s}", "result", "pass", "note", "经保密审查，不涉及国家秘密、商业秘密和个人隐私，可以公开"),
			     "review");
	if (!rc)
		s->n.versions++;
	return rc;
}

static int doc_step(demo_t *s, dd_t *d)
{
	char day[11];
	day_text(s->day, day);
	const auth_user_t *u = handler(s, d->organ);
	int rc;
	switch (d->stage) {
	case 0: /* published; some change later */
		if ((rc = publish(s, d)) != 0)
			return rc;
		d->stage = 1 + (int)pick(s, d->rules ? 6 : 12);
		d->next = d->stage <= 3 ? after(s, s->day, 20 + (int)pick(s, 120)) : 0;
		return 0;
	case 1: { /* edited: a new version supersedes the published one */
		vctx_t v = {0};
		json_t *in = json_pack("{s:s}", "body", "（修订）根据工作调整，对原文件部分条款作如下修订，其余内容不变。");
		rc = disclosure_doc_edit(s->db, u, d->id, in, &v);
		json_decref(in);
		d->next = 0;
		if ((rc = outcome(s, rc, &v, "edit", d->id)) != 0)
			return rc;
		return publish(s, d);
	}
	case 2: /* withdrawn */
		d->next = 0;
		return doc_act(s, u, d, DDS_WITHDRAW, json_pack("{s:s}", "reason", "内容已过时效，予以撤回"), "withdraw");
	case 3: /* repealed or lapsed (a new published version with the new validity) */
		d->next = 0;
		return doc_act(s, u, d, DDS_VALIDITY,
			       json_pack("{s:s, s:s, s:s}", "validity", pick(s, 2) ? "repealed" : "expired", "date", day, "reason",
					 "已被新文件替代"),
			       "validity");
	}
	d->next = 0;
	return 0;
}

/* ---- setup and the days ---- */

static int load_user(db_t *db, const char *username, auth_user_t *u)
{
	int64_t id;
	int rc = db_query_int(db, "SELECT id FROM users WHERE username = :arg", username, &id);
	return rc ? rc : auth_user_load(db, id, u);
}

static int setup(demo_t *s)
{
	int rc;
	if ((rc = load_user(s->db, "gongkai01", &s->officer[0])) != 0 || (rc = load_user(s->db, "gongkai02", &s->officer[1])) != 0 ||
	    (rc = load_user(s->db, "center_admin", &s->centre)) != 0 || (rc = load_user(s->db, "center_admin2", &s->centre2)) != 0 ||
	    (rc = load_user(s->db, "zhangsan", &s->citizen[0])) != 0 ||
	    (rc = load_user(s->db, "xiangjiang_food", &s->citizen[1])) != 0)
		return rc;
	s->dept[0] = s->officer[0].dept_id;
	s->dept[1] = s->officer[1].dept_id;
	db_stmt_t *st = db_prepare(s->db, "SELECT id, name FROM departments WHERE id <> :a AND id <> :b ORDER BY id LIMIT 4");
	db_bind_int(st, "a", s->dept[0]);
	db_bind_int(st, "b", s->dept[1]);
	int k = 2, r;
	while ((r = db_step(st)) == DB_ROW && k < N_ORGANS) {
		s->dept[k] = db_col_int(st, 0);
		snprintf(s->organ_name[k++], sizeof s->organ_name[0], "%s", db_col_text(st, 1));
	}
	if (r < 0)
		return r;
	if (r == DB_ROW)
		db_reset(st);
	st = db_prepare(s->db, "SELECT id, name FROM departments WHERE id = :a OR id = :b ORDER BY id");
	db_bind_int(st, "a", s->dept[0]);
	db_bind_int(st, "b", s->dept[1]);
	while ((r = db_step(st)) == DB_ROW)
		snprintf(s->organ_name[db_col_int(st, 0) == s->dept[0] ? 0 : 1], sizeof s->organ_name[0], "%s",
			 db_col_text(st, 1));
	if (r < 0)
		return r;
	st = db_prepare(s->db, "SELECT id, code, name FROM disclosure_categories WHERE active = 1 ORDER BY sort, id");
	while ((r = db_step(st)) == DB_ROW && s->ncats < MAX_CATS) {
		s->cats[s->ncats] = db_col_int(st, 0);
		snprintf(s->cat_code[s->ncats], sizeof s->cat_code[0], "%s", db_col_text(st, 1));
		snprintf(s->cat_name[s->ncats++], sizeof s->cat_name[0], "%s", db_col_text(st, 2));
	}
	if (r == DB_ROW)
		db_reset(st);
	return r < 0 ? r : s->ncats ? 0 : YW_ENOTFOUND;
}

/* Table 二's figures no module records, for each organ, last year and this. */
static int figures(demo_t *s, int year)
{
	for (int k = 0; k < N_ORGANS; k++) {
		if (!s->dept[k])
			continue;
		json_t *in = json_pack("{s:I, s:i, s:{s:i, s:i, s:I}}", "dept_id", (json_int_t)s->dept[k], "year", year, "figures",
				       "penalty", 20 + (int)pick(s, 300), "coercion", (int)pick(s, 30), "fee_amount",
				       (json_int_t)(100000 + pick(s, 5000000)) * 100);
		vctx_t v = {0};
		int rc = disclosure_figures_put(s->db, &s->centre, in, &v);
		json_decref(in);
		if ((rc = outcome(s, rc, &v, "figures", s->dept[k])) != 0)
			return rc;
	}
	return 0;
}

/* gongkai01's inbox today: letters received 18 and 16 working days ago, due in two and four
 * working days (the first already 预警), still to be answered. */
static int inbox(demo_t *s)
{
	static const int ago[] = {18, 16};
	for (size_t i = 0; i < sizeof ago / sizeof ago[0]; i++) {
		yw_date_t r = s->today;
		for (int n = 0; n < ago[i] && r > s->today - 60;)
			n += calendar_is_workday(s->cal, --r);
		char received[11], no[19];
		day_text(r, received);
		person_no(s, no);
		json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "channel", "letter", "applicant_type", "person",
				       "applicant_name", i ? "陈静" : "李伟", "applicant_no", no, "phone", "13907310001", "content",
				       i ? "请公开本中心“一件事一次办”事项清单及办理情况" : "请公开本中心窗口工作人员绩效考核办法",
				       "delivery", "post", "received_date", received);
		vctx_t v = {0};
		int64_t id;
		int rc = disclosure_request_create(s->db, &s->officer[0], in, s->cal, &v, &id);
		json_decref(in);
		if ((rc = outcome(s, rc, &v, "inbox request", 0)) != 0)
			return rc;
		s->n.requests++;
	}
	return 0;
}

static int run_day(demo_t *s, int64_t at)
{
	int rc = disclosure_store_tick(s->db, at);
	if (rc || !calendar_is_workday(s->cal, s->day))
		return rc;
	for (size_t i = 0; !rc && i < s->nq; i++)
		while (!rc && s->q[i].next && s->q[i].next <= s->day)
			rc = request_step(s, &s->q[i]);
	for (size_t i = 0; !rc && i < s->nd; i++)
		if (s->d[i].next && s->d[i].next <= s->day)
			rc = doc_step(s, &s->d[i]);
	/* about 1.2 requests a working day, a document every third */
	for (int k = pick(s, 5) < 2 ? 2 : pick(s, 3) ? 1 : 0; !rc && k > 0; k--)
		rc = new_request(s);
	if (!rc && pick(s, 3) == 0)
		rc = new_document(s);
	/* drop what is finished, so the scan stays short */
	size_t w = 0;
	for (size_t i = 0; i < s->nq; i++)
		if (s->q[i].next)
			s->q[w++] = s->q[i];
	s->nq = w;
	w = 0;
	for (size_t i = 0; i < s->nd; i++)
		if (s->d[i].next)
			s->d[w++] = s->d[i];
	s->nd = w;
	return rc;
}

int disclosure_demo_year(db_t *db, disclosure_demo_counts_t *out)
{
	memset(out, 0, sizeof *out);
	demo_t *s = calloc(1, sizeof *s);
	if (!s)
		return YW_EIO;
	s->db = db;
	s->rand = 0xd15c105eu;
	int64_t now = (int64_t)time(NULL);
	s->today = date_today_local(now);
	int y, m, d;
	date_to_ymd(s->today, &y, &m, &d);
	int rc = calendar_acquire(db, &s->cal);
	if (rc) {
		free(s);
		return rc;
	}
	bool sqlite = db_engine(db) == DB_SQLITE;
	rc = setup(s);
	if (!rc && sqlite)
		rc = db_bulk_load(db, true);
	log_set_quiet(1);
	/* from December three years back: last year's report has requests carried in, and the records
	 * cover the whole year before it, so that its report compares with that year (同比) */
	for (s->day = date_from_ymd(y - 3, 12, 1); !rc && s->day <= s->today; s->day++) {
		int64_t midnight = (int64_t)s->day * 86400 - 8 * 3600;
		int64_t at = midnight + 10 * 3600;
		at = at < now ? at : now;
		yw_clock_set(at);
		if ((rc = db_group_begin(db)) != 0)
			break;
		rc = run_day(s, at);
		int c = db_group_commit(db);
		rc = rc ? rc : c;
	}
	if (!rc && (rc = db_group_begin(db)) == 0) {
		rc = figures(s, y - 1);
		if (!rc)
			rc = figures(s, y);
		if (!rc)
			rc = inbox(s);
		int c = db_group_commit(db);
		rc = rc ? rc : c;
	}
	yw_clock_set(0);
	log_set_quiet(0);
	if (sqlite && db_bulk_load(db, false) != 0)
		rc = rc ? rc : YW_EDB;
	/* the job once more now, as the server's ticker will on start */
	if (!rc)
		rc = disclosure_store_tick(db, (int64_t)time(NULL));
	calendar_release();
	for (size_t i = 0; i < s->nq; i++)
		s->n.open += s->q[i].stage < 100 && s->q[i].next;
	*out = s->n;
	free(s->q);
	free(s->d);
	free(s);
	return rc;
}
