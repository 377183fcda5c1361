/* 好差评 (good/bad reviews of government services, 国办发〔2019〕51号; GB/T 39734/39735-2020):
 * one rating per case (一事一评) and per window visit (一次一评) on GB/T 39046's five levels, and
 * the path of a bad review: verified (核实, with the department's appeal 申诉), rectified within
 * the configured working days (整改), and a call-back to the applicant (回访). Late rectification
 * is flagged with a card (docs/domain.md §7). This header holds the rules other systems may use and
 * the route handlers. */
#ifndef YW_REVIEWS_H
#define YW_REVIEWS_H
#include <stdbool.h>
#include <stdint.h>

#include "platform/db.h"
#include "platform/http.h"

/* GB/T 39046's level codes. A bad review (差评) is level 4 or 5. */
enum review_level {
	REVIEW_VERY_SATISFIED = 1,    /* 非常满意 */
	REVIEW_SATISFIED = 2,         /* 满意 */
	REVIEW_FAIRLY_SATISFIED = 3,  /* 基本满意 */
	REVIEW_DISSATISFIED = 4,      /* 不满意 */
	REVIEW_VERY_DISSATISFIED = 5, /* 非常不满意 */
};
#define REVIEW_LEVEL_MIN REVIEW_VERY_SATISFIED
#define REVIEW_LEVEL_MAX REVIEW_VERY_DISSATISFIED

/* The Chinese label of a level code, or NULL when the code is not 1-5. */
const char *review_level_label(int level);
bool review_is_bad(int level);

/* Rating channels as stored (pc, app, pad, sms, phone, kiosk, wechat) and their labels; NULL
 * for an unknown channel. */
const char *review_channel_label(const char *channel);

/* The steps of a bad review. Statuses: verifying (待核实) → appealed (申诉中) → rectifying
 * (整改中) → callback (待回访) → closed (已办结); a good review is closed at once. */
enum review_action {
	RA_APPEAL,   /* the department appeals: verifying → appealed */
	RA_GENUINE,  /* the supervisor finds it genuine: verifying / appealed → rectifying */
	RA_REJECT,   /* the supervisor finds it not genuine (appeal accepted, malicious): → closed */
	RA_RECTIFY,  /* the department reports its rectification: rectifying → callback */
	RA_CALLBACK, /* the applicant was called back: callback → closed */
};
/* The status after action a from status `from`, or NULL when a is not allowed there. */
const char *review_next_status(const char *from, enum review_action a);
const char *review_status_label(const char *status); /* NULL for an unknown status */
bool review_status_valid(const char *status);

/* Counts behind the satisfaction rate (满意率). by_level[k] counts level k (index 0 unused);
 * not_genuine counts bad reviews verified as not genuine, which are left out of the rate. */
typedef struct review_tally {
	int64_t by_level[REVIEW_LEVEL_MAX + 1];
	int64_t not_genuine;
} review_tally_t;
int64_t review_tally_total(const review_tally_t *t);
/* 满意率 = reviews at levels 1-3 / (all reviews − those verified not genuine). false (and *rate
 * untouched) when nothing counts. */
bool review_satisfaction_rate(const review_tally_t *t, double *rate);

/* Has the hall ticket its window rating (一次一评)? *rated says; the status is the store's. */
int reviews_ticket_rated(db_t *db, int64_t ticket_id, bool *rated);

/* Background job (ticker.h): a review still rectifying after its rectify_due_day is marked late
 * and gets one 'rectify_late' card (level 2, 黄牌) for its department. Audited as the system. */
int reviews_tick(db_t *db, int64_t now);

/* Route handlers (platform/routes.c; docs/api.md "Reviews"). */
int h_case_review_create(http_req_t *req);
int h_case_review_get(http_req_t *req);
int h_reviews_create(http_req_t *req);
int h_reviews_list(http_req_t *req);
int h_reviews_summary(http_req_t *req);
int h_review_appeal(http_req_t *req);
int h_review_verify(http_req_t *req);
int h_review_rectify(http_req_t *req);
int h_review_callback(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void reviews_module_register(void);

#endif
