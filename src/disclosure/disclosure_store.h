/* Disclosure store (disclosure_store.c): the SQL of 政府信息公开, each write in one transaction with
 * its audit record. Who sees what (docs/api.md "Disclosure"):
 *   - the public: published documents only;
 *   - a disclosure officer (信息公开工作人员): every document and request of their organ (department);
 *   - the centre (center_admin): everything;
 *   - an applicant: their own requests.
 * Anything outside the actor's scope is "not found". */
#ifndef YW_DISCLOSURE_STORE_H
#define YW_DISCLOSURE_STORE_H
#include <jansson.h>

#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/jsonv.h"

/* The headings of 主动公开 every organ uses (机构职能, 法规文件, ...), added when missing, audited as
 * the system. Inside the caller's transaction (init and the demo). */
int disclosure_store_seed(db_t *db);
/* The demo city's part (disclosure_demo.c): the seed in a transaction of its own. */
int disclosure_demo_load(db_t *db);
/* The demo's history of disclosure (disclosure_demo.c): the organs' documents, requests on every
 * path and with every result, remedies and table 二's figures, from December three years back to
 * today, day by day with the clock pinned (yw_clock_set), through the store functions. */
typedef struct disclosure_demo_counts {
	int requests, replied, remedies, documents, versions, open, skipped;
} disclosure_demo_counts_t;
int disclosure_demo_year(db_t *db, disclosure_demo_counts_t *out);

/* May u handle organ dept_id's documents, requests, guide and report: its own officers, and the
 * centre admins whose region holds the organ. dept_id 0 is the whole government (every organ): the
 * centre, when its region holds every organ. */
bool disclosure_may_handle(db_t *db, const auth_user_t *u, int64_t dept_id);

/* ---- categories and organs ---- */
int disclosure_categories_list(db_t *db, bool all, json_t **out);
/* {"code","name","parent_id","sort"} (the centre). YW_EINVAL (v), YW_ECONFLICT (code taken). */
int disclosure_category_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out);
/* {"name","sort","active","parent_id"}, each optional. YW_ENOTFOUND, YW_EINVAL. */
int disclosure_category_update(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v);
/* Every department with its 索引号 code and rule. */
int disclosure_organs_list(db_t *db, json_t **out);
/* {"code","index_rule"}: the organ's own officer or the centre. YW_ENOTFOUND, YW_EINVAL. */
int disclosure_organ_update(db_t *db, const auth_user_t *actor, int64_t dept_id, json_t *in, vctx_t *v);

/* ---- documents (主动公开) ---- */
typedef struct disc_doc_filter {
	const char *q;       /* text in the title, 文号, 索引号 or body; "" for none */
	int64_t dept_id, category_id;
	int year;            /* of the 发布日期; 0 for any */
	const char *validity, *kind, *state; /* "" for any; state only for the organ's own list */
} disc_doc_filter_t;
/* The public catalogue (主动公开目录): published versions only. */
int disclosure_docs_public(db_t *db, const disc_doc_filter_t *f, int64_t page, int64_t size, json_t **out);
/* The organ's documents (officer: own organ; centre: all), each with its latest version. */
int disclosure_docs_manage(db_t *db, const auth_user_t *actor, const disc_doc_filter_t *f, int64_t page, int64_t size,
			   json_t **out);
/* One document: its published version for anyone (YW_ENOTFOUND when none and the actor may not
 * manage it); for the organ's officers and the centre also the version in the works and the history. */
int disclosure_doc_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out);
/* A new document with its draft version 1. YW_EINVAL (v), YW_EFORBIDDEN (another organ). */
int disclosure_doc_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out);
/* Edits the draft, or starts a new draft version from the published one (a published version
 * never changes). YW_ECONFLICT while a version is under review or after withdrawal. */
int disclosure_doc_edit(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v);
/* The lifecycle: submit (draft → review), review {"result":"pass"|"fail","note"} (pass publishes,
 * superseding the previous version; fail returns to draft; never by the draft's author), withdraw
 * {"reason"}, validity {"validity":"expired"|"repealed","date","reason"} (a new published version
 * with the new validity). *why: the Chinese reason of a YW_ECONFLICT / YW_EFORBIDDEN. */
enum disc_doc_step { DDS_SUBMIT, DDS_REVIEW_STEP, DDS_WITHDRAW, DDS_VALIDITY };
int disclosure_doc_act(db_t *db, const auth_user_t *actor, int64_t id, enum disc_doc_step s, json_t *in, vctx_t *v,
		       const char **why);
/* The attachment upload_id of a document the actor may read (published, or in scope). */
int disclosure_doc_file(db_t *db, const auth_user_t *actor, int64_t id, int64_t upload_id, char sha_hex[65],
			char mime[128], char name[256]);

/* ---- requests (依申请公开) ---- */
/* Files a request: an applicant online (identity from the account), an officer or the centre for
 * any other channel. YW_EINVAL (v), YW_EFORBIDDEN (an officer for another organ). */
int disclosure_request_create(db_t *db, const auth_user_t *actor, json_t *in, const calendar_t *cal, vctx_t *v,
			      int64_t *id_out);
typedef struct disc_req_filter {
	const char *state, *result, *q; /* "" for any */
	int64_t dept_id;
	int year;                       /* of receipt; 0 for any */
	bool overdue;                   /* open and past its due day */
	int signal;                     /* open with at least this supervision signal; 0 for any */
	bool open;                      /* not replied yet (办理中, 待补正, 征求意见, 待缴费) */
	const char *due_by;             /* open and due from today up to this day (YYYY-MM-DD); "" or NULL for any */
	const char *sort;               /* received (newest first, default), received_asc, due (soonest first), due_desc */
} disc_req_filter_t;
int disclosure_requests_list(db_t *db, const auth_user_t *actor, const disc_req_filter_t *f, int64_t page,
			     int64_t size, json_t **out);
/* One request with its clock, events, 补正, consultations, fees and remedies. */
int disclosure_request_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out);

/* The steps of a request; body fields in docs/api.md "Disclosure". */
enum disc_req_step {
	DRQ_CORRECTION, /* 补正 notice: processing → correction (once, within 7 working days of receipt) */
	DRQ_CORRECTED,  /* the corrected request arrives: correction → processing, the 20 days restart */
	DRQ_CONSULT,    /* a third party is consulted: processing/consulting → consulting (the clock pauses) */
	DRQ_ANSWER,     /* a third party answers: when all have, consulting → processing */
	DRQ_EXTEND,     /* one extension of at most 20 working days, before the due day */
	DRQ_FEE,        /* fee notice: processing → fee (the clock pauses) */
	DRQ_PAID,       /* fee paid: fee → processing */
	DRQ_REPLY,      /* the reply with its result: processing → replied */
	DRQ_WITHDRAW,   /* the applicant withdraws: → replied, result other */
};
/* Takes step s on request id. YW_ENOTFOUND outside the actor's scope, YW_EFORBIDDEN when the actor
 * sees it but may not take the step (an applicant answering for the organ), YW_ECONFLICT when the
 * state or the statutory rules forbid it now (*why says which), YW_EINVAL (v). sub_id: the
 * consultation a DRQ_ANSWER is for. */
int disclosure_request_act(db_t *db, const auth_user_t *actor, int64_t id, enum disc_req_step s, int64_t sub_id,
			   json_t *in, const calendar_t *cal, vctx_t *v, const char **why);
/* The reply letter (告知书) of a replied request, or the notice of a step (kind: reply, correction,
 * extension, fee; consult: the letter to third party sub_id, 0 for the latest, the organ's only) as
 * printable HTML (*out: malloc'd). YW_ENOTFOUND outside scope, YW_ECONFLICT when there is no such
 * letter yet. */
int disclosure_request_letter(db_t *db, const auth_user_t *actor, int64_t id, const char *kind, int64_t sub_id,
			      char **out);
/* The reply letter (告知书) the reply {"result","note","reply_date","on_spot"} would send, before it
 * is sent: the body is checked as POST .../reply checks it (YW_EINVAL v, YW_ECONFLICT why,
 * YW_EFORBIDDEN why) and nothing is stored. *out: the letter's HTML (free()). */
int disclosure_reply_preview(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, const char **why,
			     char **out);

/* ---- remedies (行政复议, 行政诉讼) and table 二's figures ---- */
/* {"stage","result","filed_date","decided_date","authority","case_ref","note"} against a replied
 * request of the actor's organ. */
int disclosure_remedy_create(db_t *db, const auth_user_t *actor, int64_t request_id, json_t *in, vctx_t *v,
			     int64_t *id_out);
/* {"result","decided_date","note"}. */
int disclosure_remedy_update(db_t *db, const auth_user_t *actor, int64_t request_id, int64_t id, json_t *in, vctx_t *v);
/* {"dept_id","year","figures":{"penalty":n,"coercion":n,"fee_amount":fen}} */
int disclosure_figures_put(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v);
int disclosure_figures_get(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, json_t **out);

/* The organ's home page (dept_id 0: the officer's own organ; the centre: all organs): requests by
 * state, open ones by supervision signal, overdue ones, this year's received and replied, document
 * versions by state. YW_EFORBIDDEN for another organ. */
int disclosure_summary(db_t *db, const auth_user_t *actor, int64_t dept_id, json_t **out);

/* Background job: closes requests whose 补正 (other_no_correction) or fee (other_no_fee) time ran
 * out, and refreshes the due day and signal of open requests. Audited as the system. */
int disclosure_store_tick(db_t *db, int64_t now);

#endif
