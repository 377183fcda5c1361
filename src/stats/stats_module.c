/* The stats module's part of the program: statistics (统计): summary,
 * dashboard, monthly report, XLSX export. main() registers it; platform/ knows
 * no domain module (docs/architecture.md). Every route names the permission it
 * needs. */
#include "platform/routes.h"
#include "platform/ticker.h"
#include "stats/stats.h"

static const route_t routes[] = {
	{"GET", "/api/v1/stats/summary", PERM_STATS_VIEW, h_stats_summary},
	{"GET", "/api/v1/stats/dashboard", PERM_STATS_VIEW, h_stats_dashboard},
	{"GET", "/api/v1/stats/report", PERM_STATS_VIEW, h_stats_report},
	{"GET", "/api/v1/stats/export.xlsx", PERM_STATS_VIEW, h_stats_export},
};

void stats_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register_reader("stats", stats_tick); /* loads here, trims the change log via writer_run */
}
