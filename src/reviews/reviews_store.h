/* Review store (reviews_store.c): ratings, the bad-review path and the figures, each write in
 * one transaction with its audit record. Who sees a review: supervisors and centre admins of its
 * department's region (or its hall's), the staff of its department, the applicant who gave it
 * and the clerk it rates; a review outside that scope is "not found". */
#ifndef YW_REVIEWS_STORE_H
#define YW_REVIEWS_STORE_H
#include <jansson.h>

#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/jsonv.h"
#include "reviews/reviews.h"

/* 一事一评: the case's own applicant rates case_id once it is 办结 or 不予受理.
 * {"level":1-5,"channel","comment"}. YW_ENOTFOUND when the case is not the actor's own,
 * YW_EFORBIDDEN for staff (never rating a case, their own least of all), YW_ECONFLICT when it is
 * not finished or was rated already. */
int reviews_rate_case(db_t *db, const auth_user_t *actor, int64_t case_id, json_t *in, vctx_t *v, int64_t *id_out);
/* The same checks without rating: 0 when actor may rate case_id now. The case detail's "review"
 * action (registered with cases_action_register). */
int reviews_case_rate_check(db_t *db, const auth_user_t *actor, int64_t case_id);
/* 一次一评 from the rating pad of window_id (a paired pad device, hall.h): {"ticket_id","level",
 * "comment"}. Only the ticket the window finished last, within hall_rating_window_seconds of its
 * finish, once. signed_in: who is signed in on the pad's browser (may be NULL): a clerk never
 * rates their own window or service. YW_EINVAL (v) for bad fields or an unknown ticket;
 * YW_EFORBIDDEN, YW_ECONFLICT with *why. */
int reviews_rate_visit(db_t *db, const auth_user_t *signed_in, int64_t window_id, json_t *in, int64_t now, vctx_t *v,
		       int64_t *id_out, const char **why);

/* The four steps of a bad review, one per route. verify turns into RA_GENUINE or RA_REJECT by
 * the body's "genuine". */
enum review_step { RS_APPEAL, RS_VERIFY, RS_RECTIFY, RS_CALLBACK };
/* Takes step s on review id. YW_ENOTFOUND outside the actor's scope, YW_EFORBIDDEN when the
 * actor sees it but may not take the step, YW_ECONFLICT when its status does not allow it. */
int reviews_act(db_t *db, const auth_user_t *actor, int64_t id, enum review_step s, json_t *in, const calendar_t *cal,
		vctx_t *v);

/* One review as JSON (new reference), within the actor's scope. */
int reviews_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out);
/* A rating just given on a pad, to the pad (which is no account): without the rater's contact. */
int reviews_get_rated(db_t *db, int64_t id, json_t **out);
/* The review of a case the actor may see (cases_check_visible); YW_ENOTFOUND when none. */
int reviews_get_for_case(db_t *db, const auth_user_t *actor, int64_t case_id, json_t **out);

/* Filters of the list and the summary; "" / 0 for none. Days are 'YYYY-MM-DD', inclusive. */
typedef struct review_filter {
	const char *status;
	bool bad;
	int64_t dept_id;
	const char *from, *to;
} review_filter_t;
int reviews_list(db_t *db, const auth_user_t *actor, const review_filter_t *f, int64_t page, int64_t size,
		 json_t **out);
/* Counts by level, the satisfaction rate and rectification figures (docs/api.md "Reviews"). */
int reviews_summary(db_t *db, const auth_user_t *actor, const review_filter_t *f, json_t **out);

/* A review of the generated city-year (cases_year_demo.c), inserted closed as it is, without an
 * audit record (a generated database is for benchmarks only). Ids 0 for none. */
typedef struct reviews_generated {
	int64_t case_id, window_id, staff_id, dept_id, item_id;
	int level;                   /* GB/T 39046: 1 非常满意 ... 5 非常不满意 */
	const char *channel;         /* pc, app, pad, sms, wechat */
	int64_t at;                  /* Unix seconds */
	const char *day;             /* 'YYYY-MM-DD' */
	int genuine;                 /* -1: not verified, 0 not genuine, 1 genuine */
	const char *rectify_due_day; /* NULL: none */
	int64_t rectified_at;        /* 0: not rectified */
} reviews_generated_t;
int reviews_store_add_generated(db_t *db, const reviews_generated_t *r);

#endif
