/* What the case store files share among themselves (cases_store.c, cases_flows.c,
 * cases_bundles.c): the loaded case, who may see it, and the event and step-clock records.
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
	char par_depts[256]; /* ",5,7,": departments with a 并联审批 opinion on the case */
	json_t *guide;       /* the item version's data */
	json_t *pending;     /* 容缺: material names still to come (an array, never NULL after load) */
} case_row_t;

/* Loads case id; YW_ENOTFOUND when there is none. Free with cases_row_free. */
int cases_load(db_t *db, int64_t id, case_row_t *c);
void cases_row_free(case_row_t *c);
/* Who may see a case: its applicant, the windows of its region, its department's staff, the
 * staff of a co-department of its 并联审批, and supervisors and centre admins of its region. */
bool cases_visible(const auth_user_t *u, const case_row_t *c);
/* Is id in a list like ",5,7,"? */
bool cases_ids_has(const char *csv, int64_t id);
/* Appends a case event (actor NULL = the system) with its audit record. */
int cases_event(db_t *db, const auth_user_t *actor, int64_t case_id, const char *action, int from, int to, int step,
		const char *note, json_t *data);
/* Audit record for the case row after an update. */
int cases_audit(db_t *db, const auth_user_t *actor, int64_t id);
/* The open step of a case ends with outcome (pass, return, approve, deny, withdraw). */
int cases_step_finish(db_t *db, const auth_user_t *actor, int64_t case_id, const char *outcome, int64_t now,
		      yw_date_t today);

#endif
