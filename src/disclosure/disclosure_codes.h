/* Codes of government information disclosure (政府信息公开, docs/domain.md "Government information
 * disclosure"): the strings stored in the database and spoken by the API, with their Chinese labels,
 * in the order of the annual report template's rows and columns (国办公开办函〔2021〕30号).
 *
 * Each list is an X-macro: X(enum name, code, label[, group]). The enums count from 0 in the
 * template's order; *_COUNT is the number of codes. The lookups are static inline so that any module
 * (the store, the letters, the annual report) can use them without linking anything. */
#ifndef YW_DISCLOSURE_CODES_H
#define YW_DISCLOSURE_CODES_H
#include <stddef.h>
#include <string.h>

/* ---- Applicant types: table 三's six applicant columns (总计 is their sum) ---- */
#define DISC_APPLICANT_TYPES(X)                                                                          \
	X(DA_PERSON, "person", "自然人")                                                                   \
	X(DA_COMPANY, "company", "商业企业")                                                                 \
	X(DA_RESEARCH, "research", "科研机构")                                                               \
	X(DA_NONPROFIT, "nonprofit", "社会公益组织")                                                         \
	X(DA_LEGAL, "legal", "法律服务机构")                                                                 \
	X(DA_OTHER_ORG, "other_org", "其他")

/* ---- Results of a request: table 三's rows under 三、本年度办理结果 ----
 * X(enum, code, label, group code). Groups: (一) public, (二) partial, (三) deny 不予公开,
 * (四) unable 无法提供, (五) reject 不予处理, (六) other 其他处理. */
#define DISC_RESULTS(X)                                                                                  \
	X(DR_PUBLIC, "public", "予以公开", "public")                                                       \
	X(DR_PARTIAL, "partial", "部分公开", "partial")                                                    \
	X(DR_DENY_STATE_SECRET, "deny_state_secret", "属于国家秘密", "deny")                               \
	X(DR_DENY_LAW, "deny_law", "其他法律行政法规禁止公开", "deny")                                     \
	X(DR_DENY_SAFETY, "deny_safety", "危及“三安全一稳定”", "deny")                                     \
	X(DR_DENY_THIRD_PARTY, "deny_third_party", "保护第三方合法权益", "deny")                           \
	X(DR_DENY_INTERNAL, "deny_internal", "属于三类内部事务信息", "deny")                               \
	X(DR_DENY_PROCESS, "deny_process", "属于四类过程性信息", "deny")                                   \
	X(DR_DENY_ENFORCEMENT, "deny_enforcement", "属于行政执法案卷", "deny")                             \
	X(DR_DENY_INQUIRY, "deny_inquiry", "属于行政查询事项", "deny")                                     \
	X(DR_UNABLE_NOT_HELD, "unable_not_held", "本机关不掌握相关政府信息", "unable")                     \
	X(DR_UNABLE_NEED_CREATE, "unable_need_create", "没有现成信息需要另行制作", "unable")               \
	X(DR_UNABLE_UNCLEAR, "unable_unclear", "补正后申请内容仍不明确", "unable")                         \
	X(DR_REJECT_PETITION, "reject_petition", "信访举报投诉类申请", "reject")                           \
	X(DR_REJECT_REPEAT, "reject_repeat", "重复申请", "reject")                                         \
	X(DR_REJECT_PUBLICATION, "reject_publication", "要求提供公开出版物", "reject")                     \
	X(DR_REJECT_MASS, "reject_mass", "无正当理由大量反复申请", "reject")                               \
	X(DR_REJECT_CONFIRM, "reject_confirm", "要求行政机关确认或重新出具已获取信息", "reject")           \
	X(DR_OTHER_NO_CORRECTION, "other_no_correction",                                                   \
	  "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other")                       \
	X(DR_OTHER_NO_FEE, "other_no_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", \
	  "other")                                                                                         \
	X(DR_OTHER, "other", "其他", "other")

/* The result groups (table 三's (一)-(六)), X(enum, code, label). */
#define DISC_RESULT_GROUPS(X)                                                                            \
	X(DRG_PUBLIC, "public", "予以公开")                                                                \
	X(DRG_PARTIAL, "partial", "部分公开（区分处理的，只计这一情形，不计其他情形）")                    \
	X(DRG_DENY, "deny", "不予公开")                                                                    \
	X(DRG_UNABLE, "unable", "无法提供")                                                                \
	X(DRG_REJECT, "reject", "不予处理")                                                                \
	X(DRG_OTHER, "other", "其他处理")

/* ---- Remedies against a request (table 四) ---- */
#define DISC_REMEDY_STAGES(X)                                                                            \
	X(DRS_RECONSIDERATION, "reconsideration", "行政复议")                                              \
	X(DRS_SUIT_DIRECT, "suit_direct", "未经复议直接起诉")                                              \
	X(DRS_SUIT_AFTER, "suit_after", "复议后起诉")
#define DISC_REMEDY_RESULTS(X)                                                                           \
	X(DRR_UPHELD, "upheld", "结果维持")                                                                \
	X(DRR_CORRECTED, "corrected", "结果纠正")                                                          \
	X(DRR_OTHER, "other", "其他结果")                                                                  \
	X(DRR_PENDING, "pending", "尚未审结")

/* ---- Proactive documents (主动公开) ---- */
#define DISC_VALIDITIES(X)                                                                               \
	X(DV_VALID, "valid", "有效")                                                                       \
	X(DV_EXPIRED, "expired", "失效")                                                                   \
	X(DV_REPEALED, "repealed", "废止")
/* The kind of a document for table 二's (一): 规章, 行政规范性文件, or anything else. */
#define DISC_DOC_KINDS(X)                                                                                \
	X(DK_REGULATION, "regulation", "规章")                                                             \
	X(DK_NORMATIVE, "normative", "行政规范性文件")                                                     \
	X(DK_OTHER, "other", "其他文件")
/* A document version's life: draft → review (保密审查) → published → withdrawn / superseded. A
 * review that fails sends the version back to draft. */
#define DISC_DOC_STATES(X)                                                                               \
	X(DDS_DRAFT, "draft", "草稿")                                                                      \
	X(DDS_REVIEW, "review", "保密审查中")                                                              \
	X(DDS_PUBLISHED, "published", "已发布")                                                            \
	X(DDS_WITHDRAWN, "withdrawn", "已撤回")                                                            \
	X(DDS_SUPERSEDED, "superseded", "已被新版本替代")

/* ---- Requests (依申请公开) ---- */
#define DISC_CHANNELS(X)                                                                                 \
	X(DC_ONLINE, "online", "网上申请")                                                                 \
	X(DC_LETTER, "letter", "信函申请")                                                                 \
	X(DC_IN_PERSON, "in_person", "当面申请")                                                           \
	X(DC_FAX, "fax", "传真申请")                                                                       \
	X(DC_EMAIL, "email", "电子邮件申请")
/* A request's state. Every state but replied is open (counted as 结转 when a year ends in it). */
#define DISC_REQUEST_STATES(X)                                                                           \
	X(DQ_PROCESSING, "processing", "办理中")                                                           \
	X(DQ_CORRECTION, "correction", "待补正")                                                           \
	X(DQ_CONSULTING, "consulting", "征求第三方意见中")                                                 \
	X(DQ_FEE, "fee", "待缴费")                                                                         \
	X(DQ_REPLIED, "replied", "已答复")

/* Figures for table 二 that no module of this platform records (行政处罚, 行政强制 decisions and
 * 行政事业性收费): entered per organ and year by the officer. 行政许可 is counted from decided cases. */
#define DISC_FIGURES(X)                                                                                  \
	X(DF_PENALTY, "penalty", "行政处罚本年处理决定数量")                                               \
	X(DF_COERCION, "coercion", "行政强制本年处理决定数量")                                             \
	X(DF_FEE_AMOUNT, "fee_amount", "行政事业性收费本年收费金额（万元）")

/* ---- Enums and lookups ---- */
#define DISC_ENUM3_(e, c, l) e,
#define DISC_ENUM4_(e, c, l, g) e,
enum disc_applicant_type { DISC_APPLICANT_TYPES(DISC_ENUM3_) DA_COUNT };
enum disc_result { DISC_RESULTS(DISC_ENUM4_) DR_COUNT };
enum disc_result_group { DISC_RESULT_GROUPS(DISC_ENUM3_) DRG_COUNT };
enum disc_remedy_stage { DISC_REMEDY_STAGES(DISC_ENUM3_) DRS_COUNT };
enum disc_remedy_result { DISC_REMEDY_RESULTS(DISC_ENUM3_) DRR_COUNT };
enum disc_validity { DISC_VALIDITIES(DISC_ENUM3_) DV_COUNT };
enum disc_doc_kind { DISC_DOC_KINDS(DISC_ENUM3_) DK_COUNT };
enum disc_doc_state { DISC_DOC_STATES(DISC_ENUM3_) DDS_COUNT };
enum disc_channel { DISC_CHANNELS(DISC_ENUM3_) DC_COUNT };
enum disc_request_state { DISC_REQUEST_STATES(DISC_ENUM3_) DQ_COUNT };
enum disc_figure { DISC_FIGURES(DISC_ENUM3_) DF_COUNT };

#define DISC_CODE3_(e, c, l) c,
#define DISC_LABEL3_(e, c, l) l,
#define DISC_CODE4_(e, c, l, g) c,
#define DISC_LABEL4_(e, c, l, g) l,
#define DISC_GROUP4_(e, c, l, g) g,

/* disc_X_code(i) / disc_X_label(i): the code and label of enum value i, NULL when out of range.
 * disc_X_find(code): the enum value of a code, -1 when code is NULL or unknown. */
#define DISC_LOOKUPS_(name, list, CODE, LABEL, COUNT)                                                    \
	static inline const char *disc_##name##_code(int i)                                              \
	{                                                                                                \
		static const char *const v[] = {list(CODE)};                                             \
		return i >= 0 && i < COUNT ? v[i] : NULL;                                                \
	}                                                                                                \
	static inline const char *disc_##name##_label(int i)                                             \
	{                                                                                                \
		static const char *const v[] = {list(LABEL)};                                            \
		return i >= 0 && i < COUNT ? v[i] : NULL;                                                \
	}                                                                                                \
	static inline int disc_##name##_find(const char *code)                                           \
	{                                                                                                \
		for (int i = 0; code && i < COUNT; i++)                                                  \
			if (strcmp(disc_##name##_code(i), code) == 0)                                    \
				return i;                                                                \
		return -1;                                                                               \
	}

DISC_LOOKUPS_(applicant_type, DISC_APPLICANT_TYPES, DISC_CODE3_, DISC_LABEL3_, DA_COUNT)
DISC_LOOKUPS_(result, DISC_RESULTS, DISC_CODE4_, DISC_LABEL4_, DR_COUNT)
DISC_LOOKUPS_(result_group, DISC_RESULT_GROUPS, DISC_CODE3_, DISC_LABEL3_, DRG_COUNT)
DISC_LOOKUPS_(remedy_stage, DISC_REMEDY_STAGES, DISC_CODE3_, DISC_LABEL3_, DRS_COUNT)
DISC_LOOKUPS_(remedy_result, DISC_REMEDY_RESULTS, DISC_CODE3_, DISC_LABEL3_, DRR_COUNT)
DISC_LOOKUPS_(validity, DISC_VALIDITIES, DISC_CODE3_, DISC_LABEL3_, DV_COUNT)
DISC_LOOKUPS_(doc_kind, DISC_DOC_KINDS, DISC_CODE3_, DISC_LABEL3_, DK_COUNT)
DISC_LOOKUPS_(doc_state, DISC_DOC_STATES, DISC_CODE3_, DISC_LABEL3_, DDS_COUNT)
DISC_LOOKUPS_(channel, DISC_CHANNELS, DISC_CODE3_, DISC_LABEL3_, DC_COUNT)
DISC_LOOKUPS_(request_state, DISC_REQUEST_STATES, DISC_CODE3_, DISC_LABEL3_, DQ_COUNT)
DISC_LOOKUPS_(figure, DISC_FIGURES, DISC_CODE3_, DISC_LABEL3_, DF_COUNT)

/* The group (table 三's (一)-(六)) of result r, or -1 when r is out of range. */
static inline int disc_result_group_of(int r)
{
	static const char *const g[] = {DISC_RESULTS(DISC_GROUP4_)};
	return r >= 0 && r < DR_COUNT ? disc_result_group_find(g[r]) : -1;
}

#endif
