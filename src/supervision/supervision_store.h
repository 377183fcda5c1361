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

/* 督办: {case_id?, dept_id?, title, content, due_day}; due_day a working day after today; the
 * case visible to the actor, the department in the actor's scope and the case's (or one of its
 * 并联 co-departments). YW_EINVAL with field errors in v. */
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

#endif
