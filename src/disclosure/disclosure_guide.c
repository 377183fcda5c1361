/* The 政府信息公开指南 of an organ (docs/domain.md §10, "The guide"; docs/api.md "Disclosure guide"):
 * the stored office data and the officer's text (disclosure_guide_store.c) with the parts every
 * organ's guide says alike, written here from the rules the module applies (the clock of
 * disclosure_clock.h, the fee bands of 国办函〔2020〕109号, the remedies of the letters), so that the
 * guide never promises what the system does not do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure_clock.h"
#include "disclosure/disclosure_guide.h"
#include "disclosure/disclosure_store.h"
#include "platform/arena.h"
#include "platform/err.h"
#include "platform/jsonv.h"
#include "platform/routes.h"

static json_t *section(const char *key, const char *title, const char *text)
{
	return json_pack("{s:s, s:s, s:s}", "key", key, "title", title, "text", text);
}

/* A section written into a memory stream: opened by text_open, appended to a by text_close. */
typedef struct text {
	char *p;
	size_t n;
	FILE *f;
} text_t;

static FILE *text_open(text_t *t)
{
	t->p = NULL;
	t->f = open_memstream(&t->p, &t->n);
	if (!t->f) /* out of memory: the section comes out empty */
		t->f = fopen("/dev/null", "w");
	return t->f;
}

static void text_close(text_t *t, json_t *a, const char *key, const char *title)
{
	if (t->f)
		fclose(t->f);
	json_array_append_new(a, section(key, title, t->p ? t->p : ""));
	free(t->p);
}

/* The sections of the guide, paragraphs separated by \n. */
static json_t *sections(const disc_guide_t *g)
{
	json_t *a = json_array();
	text_t t;
	FILE *b;

	b = text_open(&t);
	fprintf(b, "%s主动公开的政府信息，在本平台“政务公开”栏目的主动公开目录中发布，可以按机关、主题分类和年度浏览，"
		   "按标题、文号、索引号和正文检索，并可打印。\n"
		   "属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开"
		   "（《中华人民共和国政府信息公开条例》第二十六条）。每年1月31日前公布上一年度政府信息公开工作年度报告。",
		g->organ);
	text_close(&t, a, "proactive", "主动公开");

	b = text_open(&t);
	fprintf(b, "除主动公开的政府信息外，公民、法人或者其他组织可以向%s申请获取相关政府信息。受理机构：%s。\n",
		g->organ, *g->office ? g->office : g->organ);
	fputs("申请方式：\n（一）网上申请：登录本平台，在“政务公开”栏目填写《政府信息公开申请表》提交，申请人身份以实名账户为准；\n", b);
	if (*g->address)
		fprintf(b, "（二）信函申请：邮寄至%s%s%s，并在信封上注明“政府信息公开申请”；\n（三）当面申请：到%s%s%s填写申请表；\n",
			g->address, *g->postcode ? "，邮政编码" : "", g->postcode, g->address, *g->hours ? "，办公时间" : "",
			g->hours);
	else
		fputs("（二）信函申请、（三）当面申请：地址见下方联系方式；\n", b);
	if (*g->fax)
		fprintf(b, "（四）传真申请：传真至%s；\n", g->fax);
	if (*g->email)
		fprintf(b, "（%s）电子邮件申请：发送至%s。\n", *g->fax ? "五" : "四", g->email);
	fputs("申请应当包括：申请人的姓名或者名称、身份证明、联系方式；申请公开的政府信息的名称、文号或者便于查询的其他"
	      "特征性描述；申请公开的政府信息的形式要求，包括获取信息的方式、途径（条例第二十九条）。"
	      "申请人以自然人或者法人、其他组织名义提出申请，须提供身份证件或者统一社会信用代码。",
	      b);
	text_close(&t, a, "request", "依申请公开");

	b = text_open(&t);
	fprintf(b, "能够当场答复的，当场予以答复；不能当场答复的，自收到申请之日起%d个工作日内予以答复；需要延长答复期限的，"
		   "经政府信息公开工作机构负责人同意并告知申请人，延长的期限最长不超过%d个工作日（条例第三十三条）。\n"
		   "申请内容不明确的，自收到申请之日起%d个工作日内一次性告知申请人作出补正，答复期限自收到补正的申请之日起计算；"
		   "申请人无正当理由逾期不补正的，视为放弃申请（条例第三十条）。\n"
		   "公开可能损害第三方合法权益的，书面征求第三方的意见，第三方自收到征求意见书之日起%d个工作日内提出意见；"
		   "征求第三方意见所需时间不计算在答复期限内（条例第三十二条、第三十三条）。\n"
		   "期限按工作日计算，遇法定节假日顺延，以国务院办公厅公布的放假安排为准。",
		DISC_REPLY_WORKDAYS, DISC_EXTENSION_MAX_WORKDAYS, DISC_CORRECTION_NOTICE_WORKDAYS, DISC_CONSULT_WORKDAYS);
	text_close(&t, a, "time", "办理时限");

	b = text_open(&t);
	fprintf(b, "依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，按照《政府信息公开"
		   "信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，按件计收或者按量计收，二者不同时适用：\n"
		   "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，每件收费100元；"
		   "31件以上的部分，每增加10件，收费标准提高100元/件。\n"
		   "按量计收：同一政府信息公开申请，30页以下（含30页）的，不收费；31—100页（含100页）的部分，每页收费10元；"
		   "101—200页（含200页）的部分，每页收费20元；200页以上的部分，每页收费40元。\n"
		   "申请人应当自收到收费通知之日起%d个工作日内缴纳，逾期未缴纳的视为放弃申请；收费期间不计算在答复期限内。",
		DISC_FEE_PAY_WORKDAYS);
	text_close(&t, a, "fees", "收费");

	b = text_open(&t);
	fprintf(b, "公民、法人或者其他组织认为%s在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开"
		   "工作主管部门投诉、举报；也可以自知道该行政行为之日起六十日内向%s%s申请行政复议，或者自知道该行政行为之日起"
		   "六个月内依法向人民法院提起行政诉讼（条例第五十一条）。",
		g->organ, *g->region ? g->region : "有管辖权的", *g->region ? "人民政府" : "行政复议机关");
	text_close(&t, a, "remedies", "监督和救济");

	if (g->notes && *g->notes)
		json_array_append_new(a, section("notes", "其他说明", g->notes));
	return a;
}

static json_t *guide_json(const disc_guide_t *g)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "dept_id",
			 (json_int_t)g->dept_id, "organ", g->organ, "office", *g->office ? g->office : g->organ, "address",
			 g->address, "postcode", g->postcode, "phone", g->phone, "fax", g->fax, "email", g->email, "hours",
			 g->hours, "notes", g->notes ? g->notes : "", "stored", g->stored, "updated_at",
			 g->updated_at ? json_integer(g->updated_at) : json_null(), "sections", sections(g));
}

static int reply_guide(http_req_t *req, int status, int64_t dept_id)
{
	disc_guide_t g;
	int rc = disclosure_guide_get(db_thread(), dept_id, &g);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "机关不存在");
	if (rc)
		return rc;
	json_t *out = guide_json(&g);
	free(g.notes);
	http_reply_json(req, status, out);
	return 0;
}

int h_disc_guide_get(http_req_t *req)
{
	int64_t id;
	if (http_parse_int(req->param[0], 1, INT64_MAX, &id) != 0)
		return http_fail(req, YW_ENOTFOUND, "机关不存在");
	return reply_guide(req, 200, id);
}

typedef struct guide_job {
	const auth_user_t *user;
	disc_guide_t g;
} guide_job_t;

static int save_job(db_t *db, void *arg)
{
	guide_job_t *j = arg;
	return disclosure_guide_save(db, j->user, j->g.dept_id, &j->g);
}

static int save_respond(http_req_t *req, int rc, void *arg)
{
	guide_job_t *j = arg;
	return rc ? rc : reply_guide(req, 200, j->g.dept_id);
}

/* A phone or fax number as offices write them: digits, spaces, + - ( ) and 转 for an extension,
 * several separated by 、 or ，. */
static bool phone_ok(const char *s)
{
	for (const char *p = s; *p;) {
		if ((*p >= '0' && *p <= '9') || strchr(" +-()", *p)) {
			p++;
			continue;
		}
		size_t k = 0;
		static const char *const words[] = {"转", "、", "，", "（", "）"};
		for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
			if (strncmp(p, words[w], strlen(words[w])) == 0)
				k = strlen(words[w]);
		if (!k)
			return false;
		p += k;
	}
	return true;
}

static void copy_field(vctx_t *v, json_t *in, const char *key, size_t min, size_t max, char *out, size_t size)
{
	snprintf(out, size, "%s", v_str(v, in, key, min, max));
}

int h_disc_guide_put(http_req_t *req)
{
	guide_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	int64_t id;
	if (http_parse_int(req->param[0], 1, INT64_MAX, &id) != 0)
		return http_fail(req, YW_ENOTFOUND, "机关不存在");
	const auth_user_t *u = req->user;
	bool centre = (u->roles & ROLE_CENTER_ADMIN) != 0;
	bool own = (u->roles & ROLE_DISCLOSURE_OFFICER) && u->dept_id == id;
	disc_guide_t old;
	int rc = disclosure_guide_get(db_thread(), id, &old);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "机关不存在");
	if (rc)
		return rc;
	free(old.notes);
	if ((!centre && !own) || !disclosure_may_handle(db_thread(), u, id))
		return http_fail(req, YW_EFORBIDDEN, "只能编辑本机关的政府信息公开指南");
	json_t *in;
	if ((rc = http_body_json(req, &in)) != 0)
		return rc;
	vctx_t v = {0};
	if (!json_is_object(in)) {
		v_error(&v, "body", "应为 JSON 对象");
		rc = http_fail_fields(req, &v.errors);
		json_decref(v.errors);
		return rc;
	}
	disc_guide_t *g = &j->g;
	g->dept_id = id;
	copy_field(&v, in, "office", 1, 100, g->office, sizeof g->office);
	copy_field(&v, in, "address", 0, 200, g->address, sizeof g->address);
	copy_field(&v, in, "postcode", 0, 6, g->postcode, sizeof g->postcode);
	copy_field(&v, in, "phone", 0, 50, g->phone, sizeof g->phone);
	copy_field(&v, in, "fax", 0, 50, g->fax, sizeof g->fax);
	copy_field(&v, in, "email", 0, 100, g->email, sizeof g->email);
	copy_field(&v, in, "hours", 0, 200, g->hours, sizeof g->hours);
	const char *notes = v_str(&v, in, "notes", 0, 5000);
	g->notes = arena_strdup(req->arena, notes);
	if (*g->postcode && (strlen(g->postcode) != 6 || strspn(g->postcode, "0123456789") != 6))
		v_error(&v, "postcode", "邮政编码应为6位数字");
	if (!phone_ok(g->phone))
		v_error(&v, "phone", "电话只能包含数字、空格、+、-、括号和“转”");
	if (!phone_ok(g->fax))
		v_error(&v, "fax", "传真只能包含数字、空格、+、-、括号和“转”");
	const char *at = strchr(g->email, '@');
	if (*g->email && (!at || at == g->email || strchr(at + 1, '@') || !strchr(at + 1, '.') || strpbrk(g->email, " ,;<>")))
		v_error(&v, "email", "电子邮箱格式不正确");
	if (!*g->address)
		v_error(&v, "address", "请填写受理申请的地址（信函和当面申请用）");
	if (!v_ok(&v)) {
		rc = http_fail_fields(req, &v.errors);
		json_decref(v.errors);
		return rc;
	}
	return http_write(req, save_job, j, save_respond);
}

/* GET /lookup?ref=A|B|...: up to 20 文号 or titles, each 2-100 characters (an item guide's 设定依据
 * cites them). */
int h_disc_docs_cited(http_req_t *req)
{
	enum { MAX_REFS = 20 };
	const char *q = http_query(req, "ref");
	if (!q || !*q) {
		http_fail_field(req, "ref", "请填写文号或文件标题");
		return YW_EINVAL;
	}
	if (strlen(q) > 4000 || !utf8_valid(q, strlen(q))) {
		http_fail_field(req, "ref", "检索内容过长或不是有效的文字");
		return YW_EINVAL;
	}
	char *copy = arena_strdup(req->arena, q);
	const char *refs[MAX_REFS];
	size_t n = 0;
	for (char *save = NULL, *t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		while (*t == ' ')
			t++;
		size_t len = strlen(t);
		while (len && t[len - 1] == ' ')
			t[--len] = '\0';
		if (!len)
			continue;
		size_t chars = utf8_chars(t);
		if (chars < 2 || chars > 100 || n == MAX_REFS) {
			http_fail_field(req, "ref", n == MAX_REFS ? "一次最多查询20个文号或标题" : "每个文号或标题应为2至100个字");
			return YW_EINVAL;
		}
		refs[n++] = t;
	}
	if (!n) {
		http_fail_field(req, "ref", "请填写文号或文件标题");
		return YW_EINVAL;
	}
	json_t *out;
	int rc = disclosure_docs_cited(db_thread(), refs, n, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static const route_t routes[] = {
	{"GET", "/api/v1/disclosure/lookup", PERM_PUBLIC, h_disc_docs_cited},
	{"GET", "/api/v1/disclosure/organs/{id}/guide", PERM_PUBLIC, h_disc_guide_get},
	/* the organ's own officer or the centre; the handler checks which organ */
	{"PUT", "/api/v1/disclosure/organs/{id}/guide", PERM_DISCLOSURE_HANDLE, h_disc_guide_put},
};

void disclosure_guide_module_register(void)
{
	ROUTES_REGISTER(routes);
}
