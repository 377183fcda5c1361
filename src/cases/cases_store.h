/* Case store (cases_store.c). Every function checks that actor may see (404 otherwise) and act
 * on (403) the case; writes run in their own transaction with event and audit records. */
#ifndef YW_CASES_STORE_H
#define YW_CASES_STORE_H
#include "cases/cases.h"

/* An application for a published item: applicants apply for themselves (online), window
 * clerks for a walk-in applicant named in "applicant". Submitted at once unless "submit":false. */
int cases_create(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, int64_t *id_out);
/* Takes action a on case id; body carries reasons, notices and notes. YW_ECONFLICT when the
 * case's state does not allow it. */
int cases_act(db_t *db, const auth_user_t *actor, int64_t id, enum case_action a, json_t *body, const calendar_t *cal,
	      vctx_t *v);
/* Cases the actor may see, newest first; state < 0 for all. */
int cases_list(db_t *db, const auth_user_t *actor, int state, int64_t page, int64_t size, json_t **out);
/* 0 when actor may see case id; YW_ENOTFOUND otherwise (also when it does not exist). Other
 * modules (uploads, reviews, supervision) use it so that case visibility has one definition. */
int cases_check_visible(db_t *db, const auth_user_t *actor, int64_t id);
/* One case with its form, timeline, steps and clock. */
int cases_get(db_t *db, const auth_user_t *actor, int64_t id, const calendar_t *cal, json_t **out);

#endif
