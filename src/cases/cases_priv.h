/* What the case store files share among themselves (cases_store.c, cases_flows_store.c,
 * cases_bundles_store.c): the loaded case, who may see it, and the event and step-clock records.
 * Not for other modules: they use cases_store.h. */
#ifndef YW_CASES_PRIV_H
#define YW_CASES_PRIV_H
#include "cases/cases.h"

typedef struct case_row {
	int64_t id, dept_id, applicant_id, created_by, version_id, item_id, bundle_id;
	int state, step, correction_count, commitment;
	int suspended_workdays;
	char region[16], case_no[40], accepted_day[12], promised_day[12], suspended_day[12];
	char delivery[12], followup_result[16], verify_code[32];
	char par_depts[256];   /* ",5,7,": departments with a 并联审批 opinion on the case */
	char par_pending[256]; /* the same list for the opinions still pending */
	int par_pending_n, par_disagreed; /* how many co-items are pending, how many disagreed */
	json_t *guide;       /* the item version's data */
	json_t *pending;     /* 容缺: material names still to come (an array, never NULL after load) */
} case_row_t;

/* Loads case id; YW_ENOTFOUND when there is none, or the database's error status (c is then
 * already freed). Free with cases_row_free. */
int cases_load(db_t *db, int64_t id, case_row_t *c);
void cases_row_free(case_row_t *c);
/* Who may see a case (cases.c: case_scope_of and case_scope_admits, the rule's one definition). */
bool cases_visible(const auth_user_t *u, const case_row_t *c);
/* Is id in a list like ",5,7,"? */
bool cases_ids_has(const char *csv, int64_t id);
/* The role of step k of the case's process ("approver" when the guide names none) and the
 * number of steps. */
const char *cases_step_role(const case_row_t *c, int step);
int cases_step_count(const case_row_t *c);
/* May u take action a on the visible case c now (docs/domain.md §4)? 0 when yes; YW_EFORBIDDEN
 * when the action is not u's to take on this case (role, route permission, department, region);
 * YW_ECONFLICT when it is, but the case's state does not allow it now. why (CASE_WHY_MAX bytes,
 * or NULL) then says what stands in the way when it is more than the state (容缺 materials,
 * 并联 opinions, a delivery made), else it is "". The one rule: the handlers check it before
 * they act, and the case detail lists the actions it allows. */
int case_action_check(const auth_user_t *u, const case_row_t *c, enum case_action a, char *why);
/* The inbox (待办): does c wait for u now? The applicant's 补正; a window's 已接件, 补正结束 and
 * 即办件 at a window step (open_role: the role of the running step, "" for none); an approver's
 * back-office step of the department and its pending 并联 opinions. c needs state, applicant_id,
 * region, dept_id and par_pending only. */
bool case_waits_for(const auth_user_t *u, const case_row_t *c, const char *open_role);
/* The names of the actions u may take on c now (case_action_check), in the order of enum
 * case_action: a new array. */
json_t *case_actions_json(const auth_user_t *u, const case_row_t *c);
/* Appends a case event (actor NULL = the system) with its audit record. */
int cases_event(db_t *db, const auth_user_t *actor, int64_t case_id, const char *action, int from, int to, int step,
		const char *note, json_t *data);
/* Audit record for the case row after an update. */
int cases_audit(db_t *db, const auth_user_t *actor, int64_t id);
/* The open step of a case ends with outcome (pass, return, approve, deny, withdraw). */
int cases_step_finish(db_t *db, const auth_user_t *actor, int64_t case_id, const char *outcome, int64_t now,
		      yw_date_t today);

/* ---- who may apply, and with what (cases_apply.c) ---- */
/* A person or organisation named on an application: a walk-in applicant or an agent (帮代办).
 * Strings point into the checked JSON. */
typedef struct cases_person {
	bool legal; /* an organisation: uscc instead of id_number */
	const char *name, *number, *phone;
} cases_person_t;
/* Checks a {kind, name, id_number | uscc, phone} object under key ("applicant", "agent"); an
 * agent is always a person. Problems go into v; YW_EINVAL when there are any. */
int cases_applicant_check(vctx_t *v, json_t *a, const char *key, bool agent, cases_person_t *out);
/* NULL when the item's service targets (服务对象) admit a person (legal false) or an
 * organisation, else the reason in Chinese. */
const char *cases_target_problem(json_t *guide, bool legal);
/* 办理形式 (docs/domain.md): why the item cannot be applied for online (its forms name neither 2
 * 电脑端 nor 3 移动端: the window only), or NULL. */
const char *cases_channel_problem(json_t *guide);
/* The form checked against the item's fields and the applicant details (files_profile_value_check):
 * known keys, typed values, lengths, max_bytes of compact JSON. Returns the form to store (empty
 * values dropped; a new reference) or NULL when it is not an object; problems go into v. */
json_t *cases_form_check(vctx_t *v, json_t *form, json_t *guide, bool legal, size_t max_bytes);
/* Records one error per required material (免提交 sources aside) neither supplied nor
 * tolerated (容缺); returns how many. */
int cases_required_missing(vctx_t *v, json_t *guide, json_t *supplied, json_t *tolerated);
/* NULL when material takes files of type ext (its file_types, none = any), else a reason
 * written into buf. */
const char *cases_material_types_problem(json_t *guide, const char *material, const char *ext, char *buf, size_t size);
/* A required text, trimmed, of min..max characters: a new string, or NULL with the error in v
 * under key (what names it in the message). */
json_t *cases_text_check(vctx_t *v, json_t *val, const char *key, const char *what, size_t min, size_t max);
enum { CASES_OPINION_MIN = 2, CASES_OPINION_MAX = 2000 };
/* The approver's opinion (审批意见) on a decision: "opinion", or alias ("note", "reason"). */
json_t *cases_opinion_check(vctx_t *v, json_t *body, const char *alias);

#endif
