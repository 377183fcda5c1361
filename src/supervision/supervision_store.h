/* Supervision store (supervision_store.c): 督办 orders and the read models of electronic
 * supervision (signals, cards, summary), always within a scope: a supervisor's region, or a
 * responding department's own department. */
#ifndef YW_SUPERVISION_STORE_H
#define YW_SUPERVISION_STORE_H
#include <jansson.h>

#include "platform/auth.h"
#include "platform/jsonv.h"
#include "supervision/supervision.h"

/* Which departments a reader sees: those in the region with the code prefix, and only dept_id
 * when it is not 0. A department that only responds sees itself (dept_id < 0: nothing). */
typedef struct sv_scope {
	int64_t dept_id;
	char prefix[16];
	int prefix_len;
} sv_scope_t;

/* Supervisors and centre admins: their region, narrowed to dept_filter when not 0; everyone
 * else: their own department. */
void sv_scope_of(const auth_user_t *u, int64_t dept_filter, sv_scope_t *out);

/* 督办: {case_id?, disclosure_request_id?, dept_id?, title, content, due_day}; due_day a working
 * day after today; the case visible to the actor, the department in the actor's scope and the
 * case's (or one of its 并联 co-departments), or for a disclosure request its organ (in the
 * actor's scope). YW_EINVAL with field errors in v. */
int sv_order_create(db_t *db, const auth_user_t *actor, json_t *in, const calendar_t *cal, yw_date_t today, vctx_t *v,
		    int64_t *id_out);
/* One order; YW_ENOTFOUND outside the scope. New reference in *out. */
int sv_order_get(db_t *db, const sv_scope_t *sc, int64_t id, json_t **out);
/* state NULL for all; newest first. */
int sv_orders_list(db_t *db, const sv_scope_t *sc, const char *state, int64_t page, int64_t size, json_t **out);
/* The department's answer: YW_ENOTFOUND unless the order is the actor's department's,
 * YW_ECONFLICT unless it is open. */
int sv_order_answer(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v);
/* Closes an answered order in the supervisor's scope; YW_ECONFLICT unless answered. */
int sv_order_close(db_t *db, const auth_user_t *actor, int64_t id);

/* Open cases with a signal (level 0 = any above normal), worst first, with working days left. */
int sv_signals(db_t *db, const sv_scope_t *sc, const calendar_t *cal, yw_date_t today, int level, int64_t page,
	       int64_t size, json_t **out);
/* Cards issued on days from..to (NULL: open-ended), newest first; level 0 and kind NULL for all. */
int sv_cards(db_t *db, const sv_scope_t *sc, const char *from, const char *to, int level, const char *kind,
	     int64_t page, int64_t size, json_t **out);
/* The dashboard's figures: open cases by signal, this month's cards by level and kind, orders. */
int sv_summary(db_t *db, const sv_scope_t *sc, yw_date_t today, json_t **out);

/* ---- cards: supervision owns table cards; other modules issue theirs through these ---- */

/* A card to issue: on a case (step -1: the case's own clock, or a card of the case as a whole),
 * on a review's rectification, on a 督办 order, on a disclosure request's clock (政府信息公开,
 * its department the request's organ), or on a 12345 work order's clock (its department the unit
 * the order is with). Ids 0 for none. */
typedef struct sv_card {
	int64_t case_id, review_id, order_id, disclosure_request_id, hotline_order_id;
	int step;                 /* the step's number; -1 for none (set it: 0 is a step) */
	int level;                /* enum sv_signal: 1 预警, 2 黄牌, 3 红牌 */
	const char *kind;         /* warning, overdue, overdue_long, repeat_correction, rectify_late, ... */
	int64_t dept_id, user_id; /* the responsible department (责任单位) and person (责任人); 0: none */
	const char *day;          /* 'YYYY-MM-DD' of issue */
	int64_t at;               /* Unix seconds of issue */
	const char *note;         /* NULL for none */
} sv_card_t;

/* The cards of case id, oldest first, for the case's detail: [{level, kind, step, day, note}]. */
int supervision_case_cards_json(db_t *db, int64_t case_id, json_t **out);
/* The cards of disclosure request id, oldest first: [{id, level, level_label, kind, kind_label, day, note}]. */
int supervision_request_cards_json(db_t *db, int64_t request_id, json_t **out);
/* Issues card c once: nothing happens when its (case, step, kind), (review, kind), (order, kind),
 * (disclosure request, kind) or (hotline order, kind)
 * has a card already. A new card is audited as card.issue by actor (NULL: the system). *id_out
 * (may be NULL): the new card's id, 0 when it had been issued before. */
int supervision_store_card_add(db_t *db, const auth_user_t *actor, const sv_card_t *c, int64_t *id_out);
/* The generated city-year's cards (cases_year_demo.c): inserted as they are, without an audit
 * record (a generated database is for benchmarks only); a duplicate is YW_ECONFLICT. */
int supervision_store_card_add_generated(db_t *db, const sv_card_t *c);

/* ---- what the supervision job reads and writes (supervision_tick_store.c) ----
 * The clocks are the cases' read model (docs/architecture.md, "Read models"): supervision reads
 * cases and case_steps but never writes them (cases_store_set_signal does). */

enum sv_clock_kind {
	SV_CLOCK_CASE,     /* an open case's promised_day (cases.signal) */
	SV_CLOCK_STEP,     /* an open step of an open case (case_steps.signal) */
	SV_CLOCK_FOLLOWUP, /* a 告知承诺 case's follow-up check, overdue and not yet carded */
	SV_CLOCK_ORDER,    /* an open 督办 order past its due day and not yet flagged */
};

/* One clock as stored. */
typedef struct sv_clock {
	int64_t id;       /* cases.id, case_steps.id or supervision_orders.id */
	int signal;       /* the stored signal (cases and steps; 0 for the others) */
	char due[11];     /* the due day */
	char stopped[11]; /* the case's suspended_day, "" while its clock runs (cases and steps) */
	char start[11];   /* the day the clock started (accepted_day, started_day), "" when none */
} sv_clock_t;

/* Calls fn for every clock of kind; follow-ups and orders only when due before today
 * ('YYYY-MM-DD'). Stops at fn's first non-zero status and returns it, or a read error. */
int sv_store_clocks(db_t *db, enum sv_clock_kind kind, const char *today, int (*fn)(void *arg, const sv_clock_t *c),
		    void *arg);

/* Who a deadline card of case id (step false) or step id (step true) goes to: the case, the step's
 * number (-1 for the case), the department, the responsible person (0: none found) and what the
 * clock is ("承诺办结日", "<step name>时限"). YW_ENOTFOUND when there is no such row. */
typedef struct sv_card_owner {
	int64_t case_id, dept_id, user_id;
	int step;
	char what[160];
} sv_card_owner_t;
int sv_store_clock_owner(db_t *db, bool step, int64_t id, sv_card_owner_t *out);

/* The department and person (the decider, else the accepting clerk; 0: none) of 告知承诺 case id
 * while its follow-up check is still unrecorded and due on `due`; YW_ENOTFOUND once checked. */
int sv_store_followup_owner(db_t *db, int64_t id, const char *due, int64_t *dept_id, int64_t *user_id);

/* Flags open 督办 order id, still due on `due`, as overdue (audited as order.overdue):
 * *dept_id its department and title its title, or *dept_id 0 when it was answered (or flagged)
 * since it was read. */
int sv_store_order_flag_overdue(db_t *db, int64_t id, const char *due, int64_t *dept_id, char *title,
				size_t title_size);

#endif
