/* The cases module's part of the program: cases (办件): applications,
 * acceptance, steps, flows, notices and their public verification. main()
 * registers it; platform/ knows no domain module (docs/architecture.md). Every
 * route names the permission it needs. */
#include "cases/cases.h"
#include "platform/routes.h"
#include "platform/ticker.h"

static const route_t routes[] = {
	{"POST", "/api/v1/cases", PERM_CASE_APPLY_OR_ACCEPT, h_cases_create},
	{"GET", "/api/v1/cases", PERM_SIGNED_IN, h_cases_list},
	{"GET", "/api/v1/cases/{id}", PERM_SIGNED_IN, h_case_get},
	{"POST", "/api/v1/cases/{id}/submit", PERM_CASE_APPLY_OR_ACCEPT, h_case_submit},
	{"POST", "/api/v1/cases/{id}/withdraw", PERM_CASE_APPLY_OR_ACCEPT, h_case_withdraw},
	{"POST", "/api/v1/cases/{id}/resubmit", PERM_CASE_APPLY_OR_ACCEPT, h_case_resubmit},
	{"POST", "/api/v1/cases/{id}/accept", PERM_CASE_ACCEPT, h_case_accept},
	{"POST", "/api/v1/cases/{id}/refuse", PERM_CASE_ACCEPT, h_case_refuse},
	{"POST", "/api/v1/cases/{id}/correction", PERM_CASE_ACCEPT, h_case_correction},
	{"POST", "/api/v1/cases/{id}/step", PERM_CASE_HANDLE, h_case_step},
	{"POST", "/api/v1/cases/{id}/suspend", PERM_CASE_HANDLE, h_case_suspend},
	{"POST", "/api/v1/cases/{id}/resume", PERM_CASE_HANDLE, h_case_resume},
	{"POST", "/api/v1/cases/{id}/supply", PERM_CASE_APPLY_OR_ACCEPT, h_case_supply},
	{"POST", "/api/v1/cases/{id}/followup", PERM_CASE_HANDLE, h_case_followup},
	{"POST", "/api/v1/cases/{id}/deliver", PERM_CASE_HANDLE, h_case_deliver},
	{"POST", "/api/v1/cases/{id}/opinion", PERM_CASE_HANDLE, h_case_opinion},
	{"GET", "/api/v1/cases/{id}/qr.svg", PERM_SIGNED_IN, h_case_qr},
	{"GET", "/api/v1/public/verify", PERM_PUBLIC, h_public_verify},
	{"GET", "/api/v1/bundles", PERM_PUBLIC, h_bundles_list},
};

void cases_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register("cases.parallel", cases_parallel_tick);
}
