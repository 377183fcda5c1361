/* Cases (办件): applications online or at a window, acceptance (受理, 不予受理, 补正) kept apart
 * from handling (受办分离), the back-office steps of the item's process, the decision (办结) and
 * the working-day clock (行政许可法 §32, §42-45; docs/domain.md §4). This first part covers the path
 * 申请 → 受理 / 不予受理 / 补正 → steps → 办结, withdrawal (撤件) and the clock. */
#ifndef YW_CASES_H
#define YW_CASES_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/jsonv.h"

/* State codes as deployed platforms report them (docs/domain.md §4), plus 0 for a saved draft. */
enum case_state {
	CASE_DRAFT = 0,
	CASE_SUBMITTED = 1,        /* 已接件 */
	CASE_WITHDRAWN = 2,        /* 已撤件 */
	CASE_ACCEPTED = 3,         /* 窗口受理: steps are running */
	CASE_REFUSED = 5,          /* 不予受理 */
	CASE_CORRECTING = 6,       /* 补正开始: waiting for the applicant */
	CASE_CORRECTED = 7,        /* 补正结束: back with the window */
	CASE_SUSPENDED = 9,        /* 特别程序: the clock is stopped */
	CASE_DONE_APPROVED = 11,   /* 办结(通过) */
	CASE_DONE_DENIED = 13,     /* 办结(不通过) */
};

/* The state sets every figure counts with (one definition, used by cases, supervision and
 * statistics alike; docs/api.md "Supervision" and "Statistics"):
 * - open (未结): submitted and not ended — 已接件 1, 受理 3, 补正开始 6, 补正结束 7, 特别程序 9;
 * - in progress (在办): accepted and not yet decided — 受理 3, 特别程序 9: the cases that carry a
 *   working-day clock, counted as 在办 by the supervision page and the dashboard;
 * - decided (办结): 办结通过 11, 办结不通过 13.
 * The SQL forms take the column, e.g. CASE_IN_PROGRESS_SQL("c.state"). */
/* The same codes as SQL text, for statements: "c.state = " CASE_SQL_ACCEPTED. Each equals its enum
 * value above (checked in tests/unit/test_cases.c). */
#define CASE_SQL_DRAFT "0"
#define CASE_SQL_SUBMITTED "1"
#define CASE_SQL_WITHDRAWN "2"
#define CASE_SQL_ACCEPTED "3"
#define CASE_SQL_REFUSED "5"
#define CASE_SQL_CORRECTING "6"
#define CASE_SQL_CORRECTED "7"
#define CASE_SQL_SUSPENDED "9"
#define CASE_SQL_DONE_APPROVED "11"
#define CASE_SQL_DONE_DENIED "13"
/* The open states as an OR chain rather than an IN list: SQLite (3.40) builds a temporary index of
 * a constant IN list of three or more each time it evaluates one, and the partial indexes cases_open
 * and cases_item_applicant_no evaluate their condition at every insert and state change. Those
 * indexes are written with this same chain (migration 23), which a query must repeat for SQLite to
 * use them; SQLite still searches an index by the chain as by an IN list. */
#define CASE_OPEN_SQL(col)                                                                                              \
	"(" col " = " CASE_SQL_SUBMITTED " OR " col " = " CASE_SQL_ACCEPTED " OR " col " = " CASE_SQL_CORRECTING      \
	" OR " col " = " CASE_SQL_CORRECTED " OR " col " = " CASE_SQL_SUSPENDED ")"
#define CASE_IN_PROGRESS_SQL(col) col " IN (" CASE_SQL_ACCEPTED ", " CASE_SQL_SUSPENDED ")"
#define CASE_DECIDED_SQL(col) col " IN (" CASE_SQL_DONE_APPROVED ", " CASE_SQL_DONE_DENIED ")"
static inline bool case_state_open(int s)
{
	return s == CASE_SUBMITTED || s == CASE_ACCEPTED || s == CASE_CORRECTING || s == CASE_CORRECTED ||
	       s == CASE_SUSPENDED;
}
static inline bool case_state_in_progress(int s)
{
	return s == CASE_ACCEPTED || s == CASE_SUSPENDED;
}
static inline bool case_state_decided(int s)
{
	return s == CASE_DONE_APPROVED || s == CASE_DONE_DENIED;
}

enum case_action {
	CA_SUBMIT,     /* applicant: draft → 已接件 */
	CA_WITHDRAW,   /* applicant: any open state before the decision → 已撤件 */
	CA_ACCEPT,     /* window: 已接件 / 补正结束 → 受理 */
	CA_REFUSE,     /* window: 已接件 / 补正结束 → 不予受理, with reasons */
	CA_CORRECTION, /* window: 已接件 / 补正结束 → 补正开始, listing everything at once */
	CA_RESUBMIT,   /* applicant: 补正开始 → 补正结束 */
	CA_PASS,       /* approver: the current step is done, on to the next */
	CA_RETURN,     /* approver: back to the previous step */
	CA_APPROVE,    /* approver at the last step: 准予 */
	CA_DENY,       /* approver at the last step: 不予, with reasons */
	CA_SUSPEND,    /* approver: 特别程序 (hearing, expert review, inspection, testing, extension) */
	CA_RESUME,     /* approver: 特别程序结束; the promised date moves by the days stopped */
	/* the flows around the state machine: they leave the state as it is */
	CA_SUPPLY,   /* applicant or window: 容缺 materials handed in */
	CA_FOLLOWUP, /* approver: the 告知承诺 follow-up check */
	CA_DELIVER,  /* approver or window: 送达 after 办结 */
	CA_OPINION,  /* approver of a co-department: its 并联审批 opinion */
	CA__COUNT
};

const char *case_state_label(int state);
/* The action's name as the API and the UI use it: "submit", "pass", "opinion", ... */
const char *case_action_name(enum case_action a);
/* The state after action from state `from` (step moves keep CASE_ACCEPTED), or -1 when the
 * action is not allowed there. at_last_step / at_first_step describe the running step. The flows
 * (CA_SUPPLY and after) keep the state; their conditions are case_action_check's. */
int case_next_state(int from, enum case_action a, bool at_first_step, bool at_last_step);

/* Who sees a case (docs/domain.md §4), written once. A viewer's roles give a scope
 * (case_scope_of, the table of role → scope in cases.c); a case lies in the scope when any of its
 * parts admits it:
 * - own: an applicant's own cases (an applicant account sees nothing else);
 * - region: windows, supervisors and centre admins see the cases of their region and below;
 * - dept: approvers and department admins see their department's cases and those on which it
 *   gives a 并联审批 opinion.
 * The same rule in C (case_scope_admits) and in SQL (CASE_VISIBLE_SQL, bound by
 * cases_scope_bind in cases_store.h); tests/unit/test_cases.c checks that the two agree for every
 * role and case shape. */
typedef struct case_scope {
	int64_t own;       /* applicant_id of the viewer's own cases; 0: none */
	bool regional;     /* cases whose region_code starts with prefix */
	int prefix_len;    /* auth_region_prefix_len of the viewer's region */
	char prefix[16];   /* the viewer's region code cut to prefix_len ("" = everywhere) */
	int64_t dept;      /* cases of this department or with its 并联 opinion; 0: none */
} case_scope_t;
void case_scope_of(const auth_user_t *u, case_scope_t *out);
/* Does the scope admit a case of applicant applicant_id (0 for none), region, department dept_id,
 * whose 并联 co-departments are par_depts (a list like ",5,7,", "" for none)? */
bool case_scope_admits(const case_scope_t *s, int64_t applicant_id, const char *region, int64_t dept_id,
		       const char *par_depts);
/* The SQL of case_scope_admits for the cases row under alias c, with the parameters :scope_own,
 * :scope_regional, :scope_prefix_len, :scope_prefix and :scope_dept (cases_scope_bind). */
#define CASE_VISIBLE_SQL(c)                                                                                            \
	"(" c ".applicant_id = :scope_own OR (:scope_regional = 1 AND " AUTH_REGION_WITHIN_SQL(c ".region_code",      \
											       "scope_prefix") ") OR " c \
	".dept_id = :scope_dept OR " c ".id IN (SELECT case_id FROM case_parallel WHERE dept_id = :scope_dept))"

enum { CASE_WHY_MAX = 1024 };

/* An action on a case that another module owns (the reviews module's "review", 一事一评): check
 * answers 0 when viewer u may take it now on case case_id, else the status its route would answer
 * (YW_EFORBIDDEN, YW_ENOTFOUND, YW_ECONFLICT) or a store error; its handler uses the same check.
 * Registered once at start, before serving (X_module.c); the case detail lists name among the
 * viewer's "actions" when check answers 0. */
typedef int (*cases_action_check_fn)(db_t *db, const auth_user_t *u, int64_t case_id);
void cases_action_register(const char *name, cases_action_check_fn check);

/* The clock of a case: working days used since acceptance, days left to the promised date
 * (negative when overdue), whether the answer reached past the published calendar. */
typedef struct case_clock {
	int used, remaining;
	bool overdue, beyond_published;
} case_clock_t;
void case_clock_compute(const calendar_t *cal, yw_date_t accepted, yw_date_t promised, yw_date_t today,
			case_clock_t *out);

/* 特别程序 (行政许可法 §45): the promised date after a suspension from `suspended` until `resumed`
 * moves by the working days in between (suspended, resumed]; *moved_out gets that number. */
int case_resume_promised(const calendar_t *cal, yw_date_t promised, yw_date_t suspended, yw_date_t resumed,
			 yw_date_t *out, int *moved_out, bool *beyond_published);
/* The kinds of 特别程序, in Chinese as the notices print them; NULL-terminated. */
extern const char *const case_special_kinds[];

/* The working-day budget of step k of a process of n steps: its own days, or when the guide
 * gives none, the promised days split evenly (at least one). */
int case_step_budget(int step_days, int promised_days, int n_steps);

/* The public verification page shows the applicant's name masked: a person's 张三 as 张*,
 * 张小三 as 张*三; an organisation's 长沙湘江餐饮有限公司 as 长沙***公司. out holds size bytes. */
void case_mask_name(const char *name, char *out, size_t size);

/* 超时默认 (seed 004): every co-department opinion of a 并联审批 case whose budget ran out
 * becomes default_agreed, recorded by the system. A ticker job (platform/ticker.h). */
int cases_parallel_tick(db_t *db, int64_t now);

/* Loads the "bundles" section of a catalogue file (docs/catalog-format.md) inside the
 * caller's transaction; problems go into v. */
int cases_bundles_import(db_t *db, const auth_user_t *actor, json_t *bundles, vctx_t *v);

/* Route handlers (platform/routes.c). */
int h_cases_create(http_req_t *req);
int h_cases_list(http_req_t *req);
int h_case_get(http_req_t *req);
int h_case_submit(http_req_t *req);
int h_case_withdraw(http_req_t *req);
int h_case_accept(http_req_t *req);
int h_case_refuse(http_req_t *req);
int h_case_correction(http_req_t *req);
int h_case_resubmit(http_req_t *req);
int h_case_step(http_req_t *req);
int h_case_suspend(http_req_t *req);
int h_case_resume(http_req_t *req);
int h_case_supply(http_req_t *req);
int h_case_followup(http_req_t *req);
int h_case_deliver(http_req_t *req);
int h_case_opinion(http_req_t *req);
int h_case_qr(http_req_t *req);
int h_public_verify(http_req_t *req);
int h_bundles_list(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void cases_module_register(void);

#endif
