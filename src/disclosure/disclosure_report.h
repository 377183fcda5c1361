/* The annual report on government information disclosure (政府信息公开工作年度报告), computed from the
 * organ's records in the national template of 国办公开办函〔2021〕30号 (docs/domain.md, "The annual
 * report"): six sections, tables 二 (主动公开, 条例 §20), 三 (依申请公开) and 四 (复议诉讼) with every row
 * and column of the template, the template's cross-checks, a drafted narrative for the officer to
 * edit, and an XLSX of the tables.
 *
 * Pure functions over plain arrays: nothing here reads the database, so the rules are tested by hand
 * (tests/unit/test_disclosure_report.c). The store fills the arrays; the officer's edited text lives
 * with the disclosure module. */
#ifndef YW_DISCLOSURE_REPORT_H
#define YW_DISCLOSURE_REPORT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "disclosure/disclosure_codes.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/auth.h"
#include "platform/http.h"
#include "platform/jsonv.h"

/* A date field left open (a request not yet replied to, a remedy not closed, a document in force). */
#define DREP_NO_DATE 0

/* Table 三's six applicant columns, in the template's order; DREP_APPLICANT_N is also the index of
 * the 总计 column in the per-column arrays below. */
enum drep_applicant {
	DREP_PERSON = DA_PERSON,       /* person 自然人 */
	DREP_COMPANY = DA_COMPANY,     /* company 商业企业 */
	DREP_RESEARCH = DA_RESEARCH,   /* research 科研机构 */
	DREP_NONPROFIT = DA_NONPROFIT, /* nonprofit 社会公益组织 */
	DREP_LEGAL = DA_LEGAL,         /* legal 法律服务机构 */
	DREP_OTHER_ORG = DA_OTHER_ORG, /* other_org 其他 (法人或其他组织) */
	DREP_APPLICANT_N = DA_COUNT,
};
#define DREP_COLUMNS (DREP_APPLICANT_N + 1)

/* Table 三's result rows (本年度办理结果), in the template's order: 21 rows under (一)…(六). */
enum drep_result {
	DREP_PUBLIC = DR_PUBLIC,                           /* (一) 予以公开 */
	DREP_PARTIAL = DR_PARTIAL,                         /* (二) 部分公开 */
	DREP_DENY_STATE_SECRET = DR_DENY_STATE_SECRET,     /* (三)1 属于国家秘密 */
	DREP_DENY_LAW = DR_DENY_LAW,                       /* (三)2 其他法律行政法规禁止公开 */
	DREP_DENY_SAFETY = DR_DENY_SAFETY,                 /* (三)3 危及“三安全一稳定” */
	DREP_DENY_THIRD_PARTY = DR_DENY_THIRD_PARTY,       /* (三)4 保护第三方合法权益 */
	DREP_DENY_INTERNAL = DR_DENY_INTERNAL,             /* (三)5 属于三类内部事务信息 */
	DREP_DENY_PROCESS = DR_DENY_PROCESS,               /* (三)6 属于四类过程性信息 */
	DREP_DENY_ENFORCEMENT = DR_DENY_ENFORCEMENT,       /* (三)7 属于行政执法案卷 */
	DREP_DENY_INQUIRY = DR_DENY_INQUIRY,               /* (三)8 属于行政查询事项 */
	DREP_UNABLE_NOT_HELD = DR_UNABLE_NOT_HELD,         /* (四)1 本机关不掌握相关政府信息 */
	DREP_UNABLE_NEED_CREATE = DR_UNABLE_NEED_CREATE,   /* (四)2 没有现成信息需要另行制作 */
	DREP_UNABLE_UNCLEAR = DR_UNABLE_UNCLEAR,           /* (四)3 补正后申请内容仍不明确 */
	DREP_REJECT_PETITION = DR_REJECT_PETITION,         /* (五)1 信访举报投诉类申请 */
	DREP_REJECT_REPEAT = DR_REJECT_REPEAT,             /* (五)2 重复申请 */
	DREP_REJECT_PUBLICATION = DR_REJECT_PUBLICATION,   /* (五)3 要求提供公开出版物 */
	DREP_REJECT_MASS = DR_REJECT_MASS,                 /* (五)4 无正当理由大量反复申请 */
	DREP_REJECT_CONFIRM = DR_REJECT_CONFIRM,           /* (五)5 要求行政机关确认或重新出具已获取信息 */
	DREP_OTHER_NO_CORRECTION = DR_OTHER_NO_CORRECTION, /* (六)1 逾期不补正 */
	DREP_OTHER_NO_FEE = DR_OTHER_NO_FEE,               /* (六)2 逾期不缴费 */
	DREP_OTHER = DR_OTHER,                             /* (六)3 其他 */
	DREP_RESULT_N = DR_COUNT,
};

/* Table 四: the three stages and the four outcomes (then 总计). */
enum drep_stage {
	DREP_RECONSIDERATION = DRS_RECONSIDERATION, /* 行政复议 */
	DREP_SUIT_DIRECT = DRS_SUIT_DIRECT,         /* 行政诉讼: 未经复议直接起诉 */
	DREP_SUIT_AFTER = DRS_SUIT_AFTER,           /* 行政诉讼: 复议后起诉 */
	DREP_STAGE_N = DRS_COUNT,
};
enum drep_outcome {
	DREP_UPHELD = DRR_UPHELD,       /* 结果维持 */
	DREP_CORRECTED = DRR_CORRECTED, /* 结果纠正 */
	DREP_OUTCOME_OTHER = DRR_OTHER, /* 其他结果 */
	DREP_PENDING = DRR_PENDING,     /* 尚未审结 */
	DREP_OUTCOME_N = DRR_COUNT,
};

/* Table 二 (一): only 规章 and 行政规范性文件 are counted; other documents count as published only. */
enum drep_doc_kind {
	DREP_REGULATION = DK_REGULATION, /* 规章 */
	DREP_NORMATIVE = DK_NORMATIVE,   /* 行政规范性文件 */
	DREP_DOC_OTHER = DK_OTHER,
	DREP_DOC_KIND_N = DK_COUNT,
};
enum drep_validity {
	DREP_VALID = DV_VALID,       /* 有效 */
	DREP_EXPIRED = DV_EXPIRED,   /* 失效 */
	DREP_REPEALED = DV_REPEALED, /* 废止 */
	DREP_VALIDITY_N = DV_COUNT,
};

/* The code strings the disclosure module stores (disclosure_codes.h, whose enums give the values above),
 * to and from the enums above. *_from_code returns the enum value or -1 for an unknown code (or NULL). */
int drep_applicant_from_code(const char *code);
int drep_result_from_code(const char *code);
int drep_stage_from_code(const char *code);
int drep_outcome_from_code(const char *code);
int drep_doc_kind_from_code(const char *code);
int drep_validity_from_code(const char *code);
/* Static strings; NULL for a value out of range. */
const char *drep_applicant_code(int v);
const char *drep_result_code(int v);

/* One request (依申请公开). */
typedef struct drep_request {
	yw_date_t received; /* the day it was received (收到申请之日) */
	yw_date_t decided;  /* the day of the reply that ended it; DREP_NO_DATE while open */
	uint8_t applicant;  /* enum drep_applicant */
	uint8_t result;     /* enum drep_result; read only when decided */
	uint8_t late;       /* 1: replied after its statutory deadline (for the narrative's section 五) */
} drep_request_t;

/* One published document (主动公开). Only documents ever published are passed. */
typedef struct drep_document {
	yw_date_t made;      /* 成文日期: counts as 制发 in its year */
	yw_date_t published; /* 发布日期 */
	yw_date_t ended;     /* the day it was repealed or lapsed; DREP_NO_DATE while in force */
	uint8_t kind;        /* enum drep_doc_kind */
	uint8_t validity;    /* enum drep_validity as it stands now (废止 or 失效 when ended) */
} drep_document_t;

/* One reconsideration or suit (行政复议, 行政诉讼) about a request of this organ. */
typedef struct drep_remedy {
	yw_date_t filed;  /* 申请复议 / 起诉 date */
	yw_date_t closed; /* the day of the decision or judgment; DREP_NO_DATE while pending */
	uint8_t stage;    /* enum drep_stage */
	uint8_t outcome;  /* enum drep_outcome (DREP_PENDING until closed) */
} drep_remedy_t;

/* Last year's figures, for 同比 in the narrative and for the carry-over and in-force checks. Any
 * figure may be -1 (unknown): the sentence or check that needs it is left out. drep_prev_unknown()
 * gives a value with every figure unknown. */
typedef struct drep_prev {
	int64_t received[DREP_COLUMNS];    /* last year's row 一 (本年新收), per column and 总计 */
	int64_t carried_out[DREP_COLUMNS]; /* last year's row 四 (结转下年度): this year's row 二 */
	int64_t in_force[2];               /* 现行有效件数 at the end of last year: 规章, 行政规范性文件 */
	int64_t published;                 /* documents proactively published last year */
	int64_t remedies;                  /* last year's reconsiderations and suits, all stages */
} drep_prev_t;
drep_prev_t drep_prev_unknown(void);

typedef struct drep_input {
	const char *organ; /* the organ's name (机关名称), for the title and the narrative */
	int year;          /* the report's year, DATE_YEAR_MIN < year < DATE_YEAR_MAX */
	const drep_request_t *requests;
	size_t n_requests; /* every request received up to the year's end (earlier ones may be omitted
			    * only if they were decided before the year began) */
	const drep_document_t *documents;
	size_t n_documents;
	const drep_remedy_t *remedies;
	size_t n_remedies;
	/* Figures from other modules (table 二 (五), (六), (八)). */
	int64_t licenses;   /* 行政许可 decisions of the year */
	int64_t penalties;  /* 行政处罚 decisions of the year */
	int64_t coercions;  /* 行政强制 decisions of the year */
	int64_t fees_fen;   /* 行政事业性收费 collected in the year, in fen (shown in 万元) */
	/* 信息处理费 (国办函〔2020〕109号), reported in section 六. */
	int64_t fee_notices;    /* 收费通知 sent in the year */
	int64_t fee_notice_fen; /* their total */
	int64_t fee_paid_fen;   /* actually collected */
	const drep_prev_t *prev; /* NULL: no comparison with last year */
} drep_input_t;

/* Computes last year's figures (year - 1) from the same arrays, for a caller whose records cover
 * the whole of last year. Fields the arrays cannot give (none today) are -1. */
void drep_prev_compute(const drep_input_t *in, drep_prev_t *out);

/* Reads last year's figures back from last year's report (as built here and perhaps edited by the
 * officer); figures it cannot find are -1. */
void drep_prev_from_report(const json_t *report, drep_prev_t *out);

/* Builds the report (docs/domain.md, "The annual report"):
 *   {"organ","year","title","preface",
 *    "sections":[{"key","no","title","text","todo":[...]}... six of them],
 *    "table2":{...},"table3":{...},"table4":{...},
 *    "figures":{...the narrative's other figures...},
 *    "checks":[{"name","label","ok","detail"}...]}
 * 0 and *out (the caller json_decrefs it), or YW_EINVAL for a year out of range or a field holding a
 * value outside its enum (nothing is built). */
int disclosure_report_build(const drep_input_t *in, json_t **out);

/* The cross-checks over a report's tables, which may have been edited by the officer since they were
 * built: a new array of {"name","label","ok","detail"} (the caller json_decrefs it). prev may be NULL;
 * a report built with prev carries last year's figures in "figures" and they are used when prev is
 * NULL. Names: cells, table3_balance, table3_total_column, table3_results_total, table3_carried_in,
 * table4_totals, table2_in_force, records (the last only in a freshly built report). */
json_t *disclosure_report_checks(const json_t *report, const drep_prev_t *prev);

/* Drafts the narrative from a report's tables and figures: replaces "preface" and each section's
 * "text" and "todo" in report. Called by disclosure_report_build; call it again after the officer
 * edits figures only if the officer asks for a new draft (it overwrites the text). */
void disclosure_report_draft(json_t *report);

/* Writes tables 二, 三 and 四 of a report, in the template's layout with its merged header cells, one
 * worksheet each, as an XLSX file at path (created or replaced). 0 or YW_EINVAL (not a report) or
 * YW_EIO. */
int disclosure_report_write_xlsx(const json_t *report, const char *path);

/* ---- From the database (disclosure_report_store.c) ---- */

/* The input of one report as read from the tables, with the arrays it owns. */
typedef struct drep_data {
	drep_input_t in; /* points into this struct: do not copy it elsewhere */
	drep_prev_t prev; /* in.prev points here when the records cover last year */
	char organ[256];
	drep_request_t *requests;
	drep_document_t *documents;
	drep_remedy_t *remedies;
} drep_data_t;

/* Reads the report's input for one organ (dept_id > 0) or the whole government (dept_id 0: every
 * organ's records, named after the city): the requests received up to the year's end and not
 * replied to before last year began; the published documents; the remedies filed last year and this
 * year; 行政许可 decisions (decided cases of 行政许可 items); the entered 行政处罚, 行政强制 and
 * 行政事业性收费 figures; 信息处理费 notices. Last year's figures are computed from the same rows when
 * the records cover all of last year, else there is no comparison. 0 (free with
 * disclosure_report_data_free), YW_ENOTFOUND for an unknown department, YW_EINVAL for a year out of
 * range, YW_EDB. */
int disclosure_report_load(db_t *db, int64_t dept_id, int year, drep_data_t *out);
void disclosure_report_data_free(drep_data_t *d);

/* disclosure_report_load then disclosure_report_build; the report also carries "dept_id" (null for
 * the whole government). The caller json_decrefs *out. */
int disclosure_report_for(db_t *db, int64_t dept_id, int year, json_t **out);

/* ---- The report the officer edits and publishes (disclosure_annual.c, pure) ---- */

/* Overlays the officer's edits {"preface"?, "sections"?:[{"key","text"}]} on report, freshly
 * built: the texts come from base (the stored draft, may be NULL) where the edits say nothing, the
 * figures and tables stay the built ones, and the checks run again (disclosure_report_checks; the
 * build's "records" check is kept). 0, or YW_EINVAL with field errors in v (a section key not of the
 * six, twice, an empty or over-long text). */
int disclosure_report_apply(json_t *report, const json_t *base, json_t *edits, vctx_t *v);
/* Whether every check of report is ok; failed gets the failing checks' labels (、-separated). */
bool disclosure_report_checks_ok(const json_t *report, char *failed, size_t size);
/* The report as plain text (preface, the six sections with their text and, under 二, 三 and 四, the
 * tables row by row): the body of the document it is published as. malloc'd; NULL on failure. */
char *disclosure_report_text(const json_t *report);

/* ---- Stored reports (disclosure_annual_store.c; table disclosure_reports) ---- */
typedef struct drep_stored {
	int64_t id, document_id; /* document_id 0 until first submitted for publication */
	json_t *content;         /* the report as saved (owned; disclosure_annual_free) */
	char state[12];          /* draft (editable: never submitted, or returned by 保密审查), review, published, withdrawn */
	int64_t updated_by, updated_at;
	char updated_by_name[64];
} drep_stored_t;
/* The stored report of organ dept_id for year (dept_id 0: the whole government's, 本级政府, in
 * disclosure_gov_reports): 0, or YW_ENOTFOUND when none was saved. */
int disclosure_annual_get(db_t *db, int64_t dept_id, int year, drep_stored_t *out);
void disclosure_annual_free(drep_stored_t *r);
/* Stores (creates or replaces) the report, audited as disclosure.report.save. YW_ECONFLICT (*why)
 * once it is under review or published: a published report never changes. */
int disclosure_annual_save(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, const json_t *content,
			   const char **why);
/* Publishes the stored report as a document of 主动公开 (category_id, 0: the 政府信息公开年报
 * category): its title, the organ as publisher, today as 成文日期, the report's text as body and
 * its tables' XLSX (already stored as blob xlsx_sha) as attachment; the document is submitted to
 * 保密审查 (a draft returned by the review is edited and submitted again), and is published when
 * someone else's review passes (POST /documents/{id}/review). YW_ECONFLICT (why) when not saved, not
 * a draft, or a check fails; YW_EINVAL (v). The whole government's report (dept_id 0) becomes a
 * document of organ publisher_id (422 dept_id when 0), on its first publication; later ones keep
 * the document's organ. */
int disclosure_annual_publish(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, const char *xlsx_sha,
			      size_t xlsx_size, const char *xlsx_mime, int64_t category_id, int64_t publisher_id, vctx_t *v,
			      char *why, size_t why_size);

/* ---- HTTP (disclosure_report_http.c) ---- */
int h_disclosure_report(http_req_t *req);
int h_disclosure_annual_get(http_req_t *req);
int h_disclosure_annual_put(http_req_t *req);
int h_disclosure_annual_publish(http_req_t *req);
/* Registers GET /api/v1/disclosure/report (main()'s register_modules). */
void disclosure_report_module_register(void);

#endif
