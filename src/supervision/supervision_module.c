/* The supervision module's part of the program: electronic supervision
 * (电子监察): signals, cards, 督办 orders. main() registers it; platform/ knows
 * no domain module (docs/architecture.md). Every route names the permission it
 * needs. */
#include "platform/routes.h"
#include "platform/ticker.h"
#include "supervision/supervision.h"

static const route_t routes[] = {
	{"GET", "/api/v1/supervision/signals", PERM_SUPERVISE, h_sv_signals},
	{"GET", "/api/v1/supervision/cards", PERM_SUPERVISION_VIEW, h_sv_cards},
	{"GET", "/api/v1/supervision/summary", PERM_SUPERVISE, h_sv_summary},
	{"POST", "/api/v1/supervision/orders", PERM_SUPERVISE, h_sv_orders_create},
	{"GET", "/api/v1/supervision/orders", PERM_SUPERVISION_VIEW, h_sv_orders_list},
	{"POST", "/api/v1/supervision/orders/{id}/answer", PERM_DEPT_RESPOND, h_sv_order_answer},
	{"POST", "/api/v1/supervision/orders/{id}/close", PERM_SUPERVISE, h_sv_order_close},
};

void supervision_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register_reader("supervision", supervision_tick); /* scans here, writes by batch via writer_run */
}
