/* Case store (cases_store.c). Every function checks that actor may see (404 otherwise) and act
 * on (403) the case; writes run in their own transaction with event and audit records. */
#ifndef YW_CASES_STORE_H
#define YW_CASES_STORE_H
#include "cases/cases.h"

/* An application for a published item: applicants apply for themselves (online), window
 * clerks for a walk-in applicant named in "applicant". Submitted at once unless "submit":false.
 * YW_EINVAL with v for bad input (numbers, phones, targets, form, materials); YW_ECONFLICT
 * when the item's duplicate_policy is refuse and the applicant has an open case for it: v's
 * one error (field item_code) then names that case. */
int cases_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out);
/* Takes action a on case id; body carries reasons, notices and notes. YW_ECONFLICT when the
 * case's state does not allow it; why then says what stands in the way when it is more than the
 * state (容缺 materials, 并联 opinions), else it is "". */
int cases_act(db_t *db, const auth_user_t *actor, int64_t id, enum case_action a, json_t *body, const calendar_t *cal,
	      vctx_t *v, char why[CASE_WHY_MAX]);
/* Cases the actor may see, newest first; state < 0 for all; todo: only those waiting for the
 * actor (the inbox: windows 已接件 / 补正结束, approvers their steps and 并联 opinions,
 * applicants their 补正). */
int cases_list(db_t *db, const auth_user_t *actor, int state, bool todo, int64_t page, int64_t size, json_t **out);
/* Binds the parameters of CASE_VISIBLE_SQL (cases.h) for scope, e.g. case_scope_of(viewer). */
void cases_scope_bind(db_stmt_t *st, const case_scope_t *scope);
/* 0 when actor may see case id; YW_ENOTFOUND otherwise (also when it does not exist). Other
 * modules (uploads, reviews, supervision) use it so that case visibility has one definition. */
int cases_check_visible(db_t *db, const auth_user_t *actor, int64_t id);
/* The state of case id and whether its guide (all of a bundle's items for a 一件事 case) names
 * material; when it does and the material lists file_types that do not include ext (a file's
 * sniffed type, files_ext_of), types_why says so, else it is "". YW_ENOTFOUND when there is no
 * such case. */
int cases_material_named(db_t *db, int64_t id, const char *material, const char *ext, int *state, bool *named,
			 char types_why[CASE_WHY_MAX]);
/* One case with its form, timeline, steps, step clocks and clock (docs/api.md, "Cases"). */
int cases_get(db_t *db, const auth_user_t *actor, int64_t id, const calendar_t *cal, json_t **out);
/* What POST /api/v1/cases answers (docs/api.md): {id, state, state_label, created_at, duplicates,
 * warnings}; the whole case is its GET. */
int cases_receipt(db_t *db, int64_t id, json_t **out);

/* Case flows after acceptance (cases_flows_store.c); each in its own transaction with its event and
 * audit records; YW_ECONFLICT with why when the case is not in a state for it. */
/* 容缺: the applicant or the window hands in materials still to come. */
int cases_supply(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX]);
/* 告知承诺: the department's follow-up check, 合格 or 不合格 (with a note). */
int cases_followup(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX]);
/* 送达 after 办结: pickup, express (tracking number) or ecert (licence number); once. */
int cases_deliver(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX]);
/* 并联审批: a co-department's opinion on its item of a bundle case. */
int cases_opinion(db_t *db, const auth_user_t *actor, int64_t id, json_t *body, vctx_t *v, char why[CASE_WHY_MAX]);
/* Public verification of a notice: the masked summary when no and code match, else YW_ENOTFOUND. */
int cases_verify(db_t *db, const char *no, const char *code, json_t **out);
/* The case's number and verification code for its QR link; YW_ENOTFOUND when not visible or
 * when no notice has been issued yet. */
int cases_verify_link(db_t *db, const auth_user_t *actor, int64_t id, char no[40], char code[32]);
/* 一件事 bundles with their items. */
int cases_bundles_list(db_t *db, json_t **out);

/* Electronic supervision's signal (supervision.h enum sv_signal) of case id (step false) or of its
 * step id (step true), moved from old_signal to new_signal, and audited as supervision.signal by the
 * system, only while the clock is still the one the signal was computed from: the case (the
 * step's case) in progress with suspended_day `stopped` ("" while its clock runs), the case's
 * promised_day or the open step's due_day equal to `due`. *changed false when a request has moved
 * it since (nothing written). Called by the supervision job (supervision_tick.c). */
int cases_store_set_signal(db_t *db, bool step, int64_t id, int old_signal, int new_signal, const char *due,
			   const char *stopped, bool *changed);

/* Demo city: n applications in every state by the demo accounts (cases_demo.c). */
int cases_demo_load(db_t *db, int n, int *made);

/* Demo city that has lived a year (cases_demo.c): begin once, then call day for every working day
 * in order (day_index counts working days) with office hours [t0, t1] of that day; the caller pins
 * the clock and runs the background jobs between days. Applications arrive by item popularity
 * (cases_per_day on an ordinary day), are handled within and sometimes beyond their clocks, get
 * 补正, 特别程序, 不予受理, ratings, the bad-review path and 督办 on red cards. */
typedef struct cases_demo cases_demo_t;
typedef struct cases_demo_counts {
	int cases, accepted, decided, denied, refused, withdrawn, corrected, suspended, reviews, bad_reviews, orders;
} cases_demo_counts_t;
int cases_demo_year_begin(db_t *db, const calendar_t *cal, yw_date_t today, int cases_per_day, cases_demo_t **out);
int cases_demo_year_day(cases_demo_t *s, int day_index, int64_t t0, int64_t t1);
void cases_demo_year_end(cases_demo_t *s, cases_demo_counts_t *counts);

/* A generated city-year for the statistics benchmark (cases_year_demo.c, `yiwang gen-cases`): n
 * cases over the working days of year up to today, with their events, reviews and cards, written
 * in one transaction without audit records; before_commit (may be NULL) runs last inside it. */
typedef struct cases_gen_counts {
	int64_t cases, events, reviews, cards;
} cases_gen_counts_t;
int cases_generate_year(db_t *db, int year, int n, unsigned seed, int (*before_commit)(db_t *db),
			cases_gen_counts_t *counts);

/* Decided cases (办结: 准予 and 不予 alike) of items of one type (item_versions.type, e.g. "01"
 * 行政许可) decided from day from to day to (inclusive, 'YYYY-MM-DD'), of one department or all
 * (dept_id 0): the disclosure report's table 二 (五). */
int cases_decided_count(db_t *db, const char *item_type, int64_t dept_id, const char *from, const char *to,
			int64_t *out);

#endif
