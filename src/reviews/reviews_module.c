/* The reviews module's part of the program: 好差评: ratings and the bad-review
 * path. main() registers it; platform/ knows no domain module
 * (docs/architecture.md). Every route names the permission it needs. */
#include "cases/cases.h"
#include "platform/routes.h"
#include "platform/ticker.h"
#include "reviews/reviews.h"
#include "reviews/reviews_store.h"

static const route_t routes[] = {
	{"POST", "/api/v1/cases/{id}/review", PERM_CASE_APPLY_OR_ACCEPT, h_case_review_create},
	{"GET", "/api/v1/cases/{id}/review", PERM_SIGNED_IN, h_case_review_get},
	{"POST", "/api/v1/reviews", PERM_PUBLIC, h_reviews_create}, /* the window's paired rating pad only */
	{"GET", "/api/v1/reviews", PERM_SIGNED_IN, h_reviews_list},
	{"GET", "/api/v1/reviews/summary", PERM_STATS_VIEW, h_reviews_summary},
	{"POST", "/api/v1/reviews/{id}/appeal", PERM_DEPT_RESPOND, h_review_appeal},
	{"POST", "/api/v1/reviews/{id}/verify", PERM_SUPERVISE, h_review_verify},
	{"POST", "/api/v1/reviews/{id}/rectify", PERM_DEPT_RESPOND, h_review_rectify},
	{"POST", "/api/v1/reviews/{id}/callback", PERM_SUPERVISE, h_review_callback},
};

void reviews_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register("reviews", reviews_tick);
	/* 一事一评: the case detail offers the rating by the same check that takes it */
	cases_action_register("review", reviews_case_rate_check);
}
