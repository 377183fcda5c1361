/* The hotline module's part of the program: 12345 work orders and their loop
 * (docs/domain.md §9). main() registers it; platform/ knows no domain module
 * (docs/architecture.md). Every route names the permission it needs. */

#include "hotline/hotline.h"
#include "hotline/hotline_kb.h"
#include "hotline/hotline_open311.h"
#include "hotline/hotline_stats.h"
#include "hotline/hotline_store.h"
#include "platform/err.h"
#include "platform/routes.h"
#include "platform/ticker.h"

static const route_t routes[] = {
	{"GET", "/api/v1/hotline/orders", PERM_HOTLINE_VIEW, h_hotline_orders_list},
	{"POST", "/api/v1/hotline/orders", PERM_HOTLINE_OPERATE, h_hotline_orders_create},
	{"GET", "/api/v1/hotline/orders/{id}", PERM_HOTLINE_VIEW, h_hotline_order_get},
	{"POST", "/api/v1/hotline/orders/{id}/dispatch", PERM_HOTLINE_OPERATE, h_hotline_order_dispatch},
	{"POST", "/api/v1/hotline/orders/{id}/direct-close", PERM_HOTLINE_OPERATE, h_hotline_order_direct_close},
	{"POST", "/api/v1/hotline/orders/{id}/sign", PERM_HOTLINE_HANDLE, h_hotline_order_sign},
	{"POST", "/api/v1/hotline/orders/{id}/return", PERM_HOTLINE_HANDLE, h_hotline_order_return},
	{"POST", "/api/v1/hotline/orders/{id}/return-review", PERM_HOTLINE_OPERATE, h_hotline_order_return_review},
	{"POST", "/api/v1/hotline/orders/{id}/extension", PERM_HOTLINE_HANDLE, h_hotline_order_extension},
	{"POST", "/api/v1/hotline/extensions/{id}/decide", PERM_HOTLINE_MANAGE, h_hotline_extension_decide},
	{"POST", "/api/v1/hotline/orders/{id}/opinion", PERM_HOTLINE_HANDLE, h_hotline_order_opinion},
	{"POST", "/api/v1/hotline/orders/{id}/reply", PERM_HOTLINE_HANDLE, h_hotline_order_reply},
	{"POST", "/api/v1/hotline/orders/{id}/review", PERM_HOTLINE_OPERATE, h_hotline_order_review},
	{"POST", "/api/v1/hotline/orders/{id}/callback", PERM_HOTLINE_OPERATE, h_hotline_order_callback},
	{"POST", "/api/v1/hotline/orders/{id}/reopen", PERM_HOTLINE_MANAGE, h_hotline_order_reopen},
	{"POST", "/api/v1/hotline/orders/{id}/merge", PERM_HOTLINE_OPERATE, h_hotline_order_merge},
	{"GET", "/api/v1/hotline/orders/{id}/duplicates", PERM_HOTLINE_OPERATE, h_hotline_order_duplicates},
	{"POST", "/api/v1/hotline/orders/{id}/supervise", PERM_HOTLINE_SUPERVISE, h_hotline_order_supervise},
	{"POST", "/api/v1/hotline/orders/{id}/consultations", PERM_HOTLINE_MANAGE, h_hotline_order_consultation},
	/* attachments: the centre and the units attach their uploads (file.upload); the scope, the handler */
	{"POST", "/api/v1/hotline/orders/{id}/attachments", PERM_FILE_UPLOAD, h_hotline_order_attach},
	{"GET", "/api/v1/hotline/orders/{id}/attachments/{aid}", PERM_HOTLINE_VIEW, h_hotline_order_attachment},
	{"GET", "/api/v1/hotline/matters", PERM_HOTLINE_VIEW, h_hotline_matters_list},
	{"POST", "/api/v1/hotline/matters", PERM_HOTLINE_MANAGE, h_hotline_matter_create},
	{"PUT", "/api/v1/hotline/matters/{id}", PERM_HOTLINE_MANAGE, h_hotline_matter_update},
	{"GET", "/api/v1/hotline/settings", PERM_HOTLINE_VIEW, h_hotline_settings},
	{"GET", "/api/v1/hotline/calls", PERM_HOTLINE_OPERATE, h_hotline_calls_list},
	/* the knowledge base (知识库): units write and submit, the centre reviews, everyone of the hotline reads */
	{"GET", "/api/v1/hotline/kb/search", PERM_HOTLINE_VIEW, h_hotline_kb_search},
	{"GET", "/api/v1/hotline/kb/articles", PERM_HOTLINE_VIEW, h_hotline_kb_list},
	{"POST", "/api/v1/hotline/kb/articles", PERM_HOTLINE_HANDLE, h_hotline_kb_create},
	{"GET", "/api/v1/hotline/kb/articles/{id}", PERM_HOTLINE_VIEW, h_hotline_kb_get},
	{"PUT", "/api/v1/hotline/kb/articles/{id}", PERM_HOTLINE_HANDLE, h_hotline_kb_update},
	{"POST", "/api/v1/hotline/kb/articles/{id}/submit", PERM_HOTLINE_HANDLE, h_hotline_kb_submit},
	{"POST", "/api/v1/hotline/kb/articles/{id}/new-version", PERM_HOTLINE_HANDLE, h_hotline_kb_new_version},
	{"POST", "/api/v1/hotline/kb/articles/{id}/review", PERM_HOTLINE_MANAGE, h_hotline_kb_review},
	{"POST", "/api/v1/hotline/kb/articles/{id}/withdraw", PERM_HOTLINE_MANAGE, h_hotline_kb_withdraw},
	/* the call centre's system: its API key (X-API-Key), checked by the handler */
	{"POST", "/api/v1/hotline/call-events", PERM_PUBLIC, h_hotline_call_event},
	/* the citizen: 网上留言 / 市长信箱 and the follow-up by number and query code */
	{"POST", "/api/v1/hotline/public/orders", PERM_PUBLIC, h_hotline_public_create},
	{"GET", "/api/v1/hotline/public/orders/{number}", PERM_PUBLIC, h_hotline_public_get},
	/* the citizen's photos: the body streamed to a file (http_upload_handler), typed by content */
	{"POST", "/api/v1/hotline/public/orders/{number}/attachments", PERM_PUBLIC, h_hotline_public_attach},
	{"GET", "/api/v1/hotline/public/orders/{number}/attachments/{aid}", PERM_PUBLIC, h_hotline_public_attachment},
	/* Open311 GeoReport v2 (docs/api.md): public reading; posting with a client's api_key, checked by
	 * the handler, and limited per address like every anonymous write */
	{"GET", "/open311/discovery.json", PERM_PUBLIC, h_open311_discovery},
	{"GET", "/open311/discovery.xml", PERM_PUBLIC, h_open311_discovery},
	{"GET", "/open311/v2/services.json", PERM_PUBLIC, h_open311_services},
	{"GET", "/open311/v2/services.xml", PERM_PUBLIC, h_open311_services},
	{"GET", "/open311/v2/services/{code}", PERM_PUBLIC, h_open311_service},
	{"GET", "/open311/v2/requests.json", PERM_PUBLIC, h_open311_requests},
	{"GET", "/open311/v2/requests.xml", PERM_PUBLIC, h_open311_requests},
	{"POST", "/open311/v2/requests.json", PERM_PUBLIC, h_open311_requests_post},
	{"POST", "/open311/v2/requests.xml", PERM_PUBLIC, h_open311_requests_post},
	{"GET", "/open311/v2/requests/{id}", PERM_PUBLIC, h_open311_request},
	{"GET", "/open311/v2/tokens/{token}", PERM_PUBLIC, h_open311_token},
	/* statistics (hotline_stats_http.c): each handler narrows to the centre / the unit's own row */
	{"GET", "/api/v1/hotline/rankings", PERM_HOTLINE_VIEW, h_hotline_rankings},
	{"GET", "/api/v1/hotline/bulletin", PERM_HOTLINE_VIEW, h_hotline_bulletin},
	{"GET", "/api/v1/hotline/bulletin.html", PERM_HOTLINE_VIEW, h_hotline_bulletin_html},
	{"GET", "/api/v1/hotline/dashboard", PERM_HOTLINE_STATS, h_hotline_dashboard},
	{"GET", "/api/v1/hotline/dashboard.xlsx", PERM_HOTLINE_STATS, h_hotline_dashboard_xlsx},
};

void hotline_module_register(void)
{
	ROUTES_REGISTER(routes);
	http_upload_handler(h_hotline_public_attach, HOTLINE_PUBLIC_IMAGE_MAX);
	http_error_format("/open311/", open311_error_reply);
	ticker_register("hotline", hotline_tick);
	ticker_register_reader("hotline_stats", hls_tick); /* loads here, trims the change log via writer_run */
}
