/* The letters of a disclosure request (告知书, docs/domain.md "Government information disclosure",
 * "Letters"): the reply for each result with its legal basis in the 政府信息公开条例 (2019) and the
 * applicant's remedies, and the notices of 补正, extension and fee. Printable HTML (A4), built from
 * the request's fields; nothing here reads the database. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure.h"
#include "disclosure/disclosure_codes.h"
#include "platform/arena.h"

/* What the letter says for each result (disclosure_codes.h order): the decision and its basis. */
static const struct {
	const char *decision, *basis;
} result_text[DR_COUNT] = {
	[DR_PUBLIC] = {"经审查，您申请获取的政府信息属于可以公开的政府信息，本机关决定予以公开，现向您提供（或告知获取的方式、途径和时间）。",
		       "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项"},
	[DR_PARTIAL] = {"经审查，您申请获取的政府信息中含有不应当公开或者不属于政府信息的内容，但能够作区分处理，本机关决定公开可以公开的部分，对不予公开的部分说明理由如下。",
			"《中华人民共和国政府信息公开条例》第三十六条第（三）项、第三十七条"},
	[DR_DENY_STATE_SECRET] = {"经审查，您申请获取的政府信息依法确定为国家秘密，本机关决定不予公开。",
				  "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"},
	[DR_DENY_LAW] = {"经审查，您申请获取的政府信息属于法律、行政法规禁止公开的政府信息，本机关决定不予公开。",
			 "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"},
	[DR_DENY_SAFETY] = {"经审查，您申请获取的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，本机关决定不予公开。",
			    "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"},
	[DR_DENY_THIRD_PARTY] = {"经审查，您申请获取的政府信息涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关决定不予公开。",
				 "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项"},
	[DR_DENY_INTERNAL] = {"经审查，您申请获取的信息属于行政机关的人事管理、后勤管理、内部工作流程等方面的内部事务信息，本机关决定不予公开。",
			      "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项"},
	[DR_DENY_PROCESS] = {"经审查，您申请获取的信息属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。",
			     "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"},
	[DR_DENY_ENFORCEMENT] = {"经审查，您申请获取的信息属于行政执法案卷信息，本机关决定不予公开。",
				 "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项"},
	[DR_DENY_INQUIRY] = {"经审查，您申请获取的信息属于有关法律、行政法规对信息的获取有特别规定的行政查询事项，请依照有关法律、行政法规的规定办理。",
			     "《中华人民共和国政府信息公开条例》第三十六条第（七）项"},
	[DR_UNABLE_NOT_HELD] = {"经检索，本机关未制作或者获取您申请公开的政府信息，该政府信息不存在或者不属于本机关负责公开；能够确定负责公开的行政机关的，其名称和联系方式见下文说明。",
				"《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项"},
	[DR_UNABLE_NEED_CREATE] = {"经审查，本机关没有您申请获取的现成信息，需要对现有政府信息进行加工、分析或者另行制作，本机关不予提供。",
				   "《中华人民共和国政府信息公开条例》第三十八条"},
	[DR_UNABLE_UNCLEAR] = {"本机关已告知您补正申请，补正后您的申请内容仍不明确，本机关无法确定您所需的政府信息，无法提供。",
			       "《中华人民共和国政府信息公开条例》第二十九条、第三十条"},
	[DR_REJECT_PETITION] = {"经审查，您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。",
				"《中华人民共和国政府信息公开条例》第三十九条第一款"},
	[DR_REJECT_REPEAT] = {"经审查，本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同的政府信息，本机关不予重复处理。",
			      "《中华人民共和国政府信息公开条例》第三十六条第（六）项"},
	[DR_REJECT_PUBLICATION] = {"经审查，您申请获取的是政府公报、报刊、书籍等公开出版物，本机关告知您获取的途径，不作为政府信息公开申请处理。",
				   "《中华人民共和国政府信息公开条例》第三十九条第二款"},
	[DR_REJECT_MASS] = {"您申请公开政府信息的数量、频次明显超过合理范围，经要求说明理由，本机关认为申请理由不合理，不予处理。",
			    "《中华人民共和国政府信息公开条例》第三十五条"},
	[DR_REJECT_CONFIRM] = {"经审查，您的申请是要求行政机关确认或者重新出具您已获取的信息，不属于申请获取行政机关在履行行政管理职能过程中制作或者获取的、以一定形式记录和保存的政府信息，本机关不作为政府信息公开申请处理。",
			       "《中华人民共和国政府信息公开条例》第二条、第三十八条"},
	[DR_OTHER_NO_CORRECTION] = {"本机关已书面告知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
				    "《中华人民共和国政府信息公开条例》第三十条"},
	[DR_OTHER_NO_FEE] = {"本机关已向您发出收费通知，您逾期未按收费通知要求缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。",
			     "《中华人民共和国政府信息公开条例》第四十二条，《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"},
	[DR_OTHER] = {"本机关对您的申请作出如下处理。", "《中华人民共和国政府信息公开条例》"},
};

const char *disclosure_result_decision(int result)
{
	return result >= 0 && result < DR_COUNT ? result_text[result].decision : NULL;
}

const char *disclosure_result_basis(int result)
{
	return result >= 0 && result < DR_COUNT ? result_text[result].basis : NULL;
}

/* A growing string. */
typedef struct buf {
	char *p;
	size_t len, cap;
} buf_t;

static void put_n(buf_t *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2 + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void put(buf_t *b, const char *s)
{
	put_n(b, s, strlen(s));
}

/* s with & < > " ' escaped. */
static void esc(buf_t *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': put(b, "&amp;"); break;
		case '<': put(b, "&lt;"); break;
		case '>': put(b, "&gt;"); break;
		case '"': put(b, "&quot;"); break;
		case '\'': put(b, "&#39;"); break;
		case '\n': put(b, "<br>"); break;
		default: put_n(b, s, 1);
		}
	}
}

__attribute__((format(printf, 2, 3))) static void putf(buf_t *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	put(b, tmp);
}

/* "2026-02-10" → "2026年2月10日"; anything else as it is. */
static void day_cn(buf_t *b, const char *day)
{
	int y, m, d;
	if (day && strlen(day) == 10 && sscanf(day, "%4d-%2d-%2d", &y, &m, &d) == 3)
		putf(b, "%d年%d月%d日", y, m, d);
	else
		esc(b, day ? day : "");
}

static void para(buf_t *b, const char *text)
{
	put(b, "<p>");
	esc(b, text);
	put(b, "</p>\n");
}

static void head(buf_t *b, const disc_letter_t *in, const char *title)
{
	put(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	esc(b, title);
	put(b, "</title>\n<style>@page{size:A4;margin:25mm 20mm}body{font-family:\"FangSong\",\"仿宋\",serif;"
	       "font-size:16pt;line-height:1.8;max-width:170mm;margin:0 auto}h1{font-family:\"SimHei\",\"黑体\","
	       "sans-serif;font-size:22pt;text-align:center;margin:0}.organ{text-align:center;font-size:18pt}"
	       ".no{text-align:center;margin-bottom:1em}p{text-indent:2em;margin:.3em 0}.to{text-indent:0}"
	       ".sign{text-align:right;margin-top:2em}ol{margin:.3em 0 .3em 3em}</style></head>\n<body>\n");
	put(b, "<div class=\"organ\">");
	esc(b, in->organ);
	put(b, "</div>\n<h1>");
	esc(b, title);
	put(b, "</h1>\n<div class=\"no\">");
	esc(b, in->request_no);
	put(b, "</div>\n<p class=\"to\">");
	esc(b, in->applicant_name);
	put(b, "：</p>\n<p>本机关于");
	day_cn(b, in->received_date);
	put(b, "收到您（单位）通过");
	esc(b, in->channel_label);
	put(b, "提出的政府信息公开申请，申请获取：“");
	esc(b, in->content);
	put(b, "”。</p>\n");
}

static void tail(buf_t *b, const disc_letter_t *in, const char *date)
{
	put(b, "<p>联系电话：");
	esc(b, in->organ_phone && *in->organ_phone ? in->organ_phone : "（见本机关政府信息公开指南）");
	put(b, "</p>\n<div class=\"sign\">");
	esc(b, in->organ);
	put(b, "<br>");
	day_cn(b, date);
	put(b, "</div>\n</body></html>\n");
}

/* 行政复议 within 60 days, 行政诉讼 within 6 months (条例 第五十一条). */
static void remedies(buf_t *b, const disc_letter_t *in)
{
	put(b, "<p>如对本答复不服，可以自收到本告知书之日起六十日内向");
	if (in->region_name && *in->region_name) {
		esc(b, in->region_name);
		put(b, "人民政府");
	} else {
		put(b, "有管辖权的行政复议机关");
	}
	put(b, "申请行政复议，或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼"
	       "（《中华人民共和国政府信息公开条例》第五十一条，《中华人民共和国行政复议法》，"
	       "《中华人民共和国行政诉讼法》）。</p>\n");
}

static char *reply(const disc_letter_t *in)
{
	buf_t b = {0};
	int r = disc_result_find(in->result);
	head(&b, in, "政府信息公开申请答复告知书");
	if (in->on_spot)
		para(&b, "本机关当场予以答复如下。");
	para(&b, r >= 0 ? result_text[r].decision : "本机关对您的申请作出如下处理。");
	if (in->reply_note && *in->reply_note) {
		put(&b, "<p>具体说明：");
		esc(&b, in->reply_note);
		put(&b, "</p>\n");
	}
	put(&b, "<p>依据：");
	esc(&b, r >= 0 ? result_text[r].basis : "《中华人民共和国政府信息公开条例》");
	put(&b, "。</p>\n<p>处理结果：");
	esc(&b, r >= 0 ? disc_result_label(r) : in->result);
	put(&b, "。</p>\n");
	remedies(&b, in);
	tail(&b, in, in->reply_date);
	return b.p;
}

static char *correction(const disc_letter_t *in)
{
	buf_t b = {0};
	head(&b, in, "政府信息公开申请补正告知书");
	para(&b, "经审查，您的申请内容不明确，请对下列事项一并作出补正（本机关一次性告知如下）：");
	put(&b, "<ol>\n");
	for (size_t i = 0; i < in->n_items; i++) {
		put(&b, "<li>");
		esc(&b, in->items[i]);
		put(&b, "</li>\n");
	}
	put(&b, "</ol>\n<p>请于");
	day_cn(&b, in->correction_due);
	put(&b, "前补正。答复期限自本机关收到补正后的申请之日起重新计算。无正当理由逾期不补正的，视为放弃申请，"
		"本机关不再处理该政府信息公开申请（《中华人民共和国政府信息公开条例》第三十条）。</p>\n");
	tail(&b, in, in->notice_date);
	return b.p;
}

static char *extension(const disc_letter_t *in)
{
	buf_t b = {0};
	head(&b, in, "政府信息公开申请延期答复告知书");
	put(&b, "<p>因");
	esc(&b, in->extension_reason);
	putf(&b, "，需要延长答复期限，经本机关政府信息公开工作机构负责人同意，答复期限延长%d个工作日，"
		 "本机关将于",
	     in->extension_days);
	day_cn(&b, in->due_date);
	put(&b, "前作出答复（《中华人民共和国政府信息公开条例》第三十三条第二款）。</p>\n");
	tail(&b, in, in->extension_date);
	return b.p;
}

static char *fee(const disc_letter_t *in)
{
	buf_t b = {0};
	head(&b, in, "政府信息公开信息处理费收费通知书");
	bool item = in->fee_basis && strcmp(in->fee_basis, "item") == 0;
	putf(&b,
	     "<p>您申请公开政府信息的%s明显超过合理范围，依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
	     "本机关%s计收信息处理费，计费%s数%lld，应缴纳信息处理费%lld.%02lld元。</p>\n",
	     item ? "件数" : "页数", item ? "按件" : "按量", item ? "件" : "页", (long long)in->fee_quantity,
	     (long long)(in->fee_fen / 100), (long long)(in->fee_fen % 100));
	put(&b, "<p>请于");
	day_cn(&b, in->fee_due);
	put(&b, "前缴纳。缴费期间不计算在答复期限内；逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。</p>\n");
	tail(&b, in, in->fee_notice);
	return b.p;
}

/* To the third party (条例 第三十二条): what was asked, by when to answer; the applicant is not named. */
static char *consult(const disc_letter_t *in)
{
	buf_t b = {0};
	const char *title = "政府信息公开征求第三方意见函";
	put(&b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	put(&b, title);
	put(&b, "</title>\n<style>@page{size:A4;margin:25mm 20mm}body{font-family:\"FangSong\",\"仿宋\",serif;"
		"font-size:16pt;line-height:1.8;max-width:170mm;margin:0 auto}h1{font-family:\"SimHei\",\"黑体\","
		"sans-serif;font-size:22pt;text-align:center;margin:0}.organ{text-align:center;font-size:18pt}"
		".no{text-align:center;margin-bottom:1em}p{text-indent:2em;margin:.3em 0}.to{text-indent:0}"
		".sign{text-align:right;margin-top:2em}</style></head>\n<body>\n<div class=\"organ\">");
	esc(&b, in->organ);
	put(&b, "</div>\n<h1>");
	put(&b, title);
	put(&b, "</h1>\n<div class=\"no\">");
	esc(&b, in->request_no);
	put(&b, "</div>\n<p class=\"to\">");
	esc(&b, in->third_party);
	put(&b, "：</p>\n<p>本机关于");
	day_cn(&b, in->received_date);
	put(&b, "收到一件政府信息公开申请，申请获取：“");
	esc(&b, in->content);
	put(&b, "”。经审查，该信息公开后可能损害贵方合法权益。依照《中华人民共和国政府信息公开条例》第三十二条，"
		"现书面征求贵方意见，请于");
	day_cn(&b, in->consult_due);
	put(&b, "前书面提出是否同意公开的意见及理由。逾期未提出意见的，由本机关依照《条例》的规定决定是否公开；"
		"本机关决定公开的，将把决定公开的政府信息内容和理由书面告知贵方。</p>\n");
	tail(&b, in, in->consult_sent);
	return b.p;
}

char *disclosure_letter_html(const disc_letter_t *in)
{
	if (strcmp(in->kind, "consult") == 0)
		return consult(in);
	if (strcmp(in->kind, "reply") == 0)
		return reply(in);
	if (strcmp(in->kind, "correction") == 0)
		return correction(in);
	if (strcmp(in->kind, "extension") == 0)
		return extension(in);
	if (strcmp(in->kind, "fee") == 0)
		return fee(in);
	return NULL;
}
