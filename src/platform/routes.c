/* The route table: every route of the program, with the permission it needs. The authorization
 * test (tests/api/authz.test.mjs) walks this table through `yiwang routes`. */
#include "platform/routes.h"

#include <string.h>

#include "cases/cases.h"
#include "catalog/catalog_http.h"
#include "files/files.h"
#include "hall/hall.h"
#include "org/org.h"
#include "platform/audit.h"
#include "platform/calendar_http.h"
#include "platform/err.h"
#include "platform/sse_http.h"
#include "reviews/reviews.h"
#include "supervision/supervision.h"
#include "stats/stats.h"

static int h_health(http_req_t *req)
{
	http_reply_json(req, 200, json_pack("{s:s, s:s}", "status", "ok", "version", YW_VERSION));
	return 0;
}

static int h_audit(http_req_t *req)
{
	int64_t page, size;
	if (http_query_int(req, "page", 1, 1000000, 1, &page) || http_query_int(req, "page_size", 1, 200, 50, &size))
		return YW_EINVAL;
	json_t *out;
	int rc = audit_list(db_thread(), http_query(req, "entity"), http_query(req, "entity_id"), page, size, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

const route_t yw_routes[] = {
	{"GET", "/api/v1/health", PERM_PUBLIC, h_health},
	{"GET", "/api/v1/meta/codes", PERM_PUBLIC, h_meta_codes},

	{"POST", "/api/v1/auth/login", PERM_PUBLIC, h_auth_login},
	{"POST", "/api/v1/auth/logout", PERM_SIGNED_IN, h_auth_logout},
	{"GET", "/api/v1/auth/me", PERM_SIGNED_IN, h_auth_me},
	{"POST", "/api/v1/auth/register", PERM_PUBLIC, h_auth_register},
	{"POST", "/api/v1/auth/tokens", PERM_SIGNED_IN, h_auth_token},
	{"GET", "/api/v1/auth/tokens", PERM_SIGNED_IN, h_auth_tokens_list},
	{"DELETE", "/api/v1/auth/tokens/{id}", PERM_SIGNED_IN, h_auth_token_revoke},
	{"POST", "/api/v1/auth/password", PERM_SIGNED_IN, h_auth_password},

	{"GET", "/api/v1/calendar/deadline", PERM_PUBLIC, h_calendar_deadline},
	{"GET", "/api/v1/calendar/is-workday", PERM_PUBLIC, h_calendar_is_workday},
	{"GET", "/api/v1/calendar/between", PERM_PUBLIC, h_calendar_between},
	{"GET", "/api/v1/calendar", PERM_PUBLIC, h_calendar_year},
	{"PUT", "/api/v1/calendar/days/{date}", PERM_CALENDAR_EDIT, h_calendar_set_day},
	{"PUT", "/api/v1/calendar/years/{year}", PERM_CALENDAR_EDIT, h_calendar_set_year},

	{"GET", "/api/v1/regions", PERM_PUBLIC, h_regions_list},
	{"POST", "/api/v1/regions", PERM_ORG_MANAGE, h_region_create},
	{"PUT", "/api/v1/regions/{code}", PERM_ORG_MANAGE, h_region_update},
	{"GET", "/api/v1/departments", PERM_PUBLIC, h_depts_list},
	{"POST", "/api/v1/departments", PERM_ORG_MANAGE, h_dept_create},
	{"PUT", "/api/v1/departments/{id}", PERM_ORG_MANAGE, h_dept_update},
	{"GET", "/api/v1/halls", PERM_PUBLIC, h_halls_list},
	{"POST", "/api/v1/halls", PERM_ORG_MANAGE, h_hall_create},
	{"PUT", "/api/v1/halls/{id}", PERM_ORG_MANAGE, h_hall_update},
	{"GET", "/api/v1/windows", PERM_PUBLIC, h_windows_list},
	{"POST", "/api/v1/windows", PERM_ORG_MANAGE, h_window_create},
	{"PUT", "/api/v1/windows/{id}", PERM_ORG_MANAGE, h_window_update},
	{"GET", "/api/v1/users", PERM_USERS_MANAGE, h_users_list},
	{"POST", "/api/v1/users", PERM_USERS_MANAGE, h_user_create},
	{"PUT", "/api/v1/users/{id}", PERM_USERS_MANAGE, h_user_update},
	{"GET", "/api/v1/users/{id}/tokens", PERM_USERS_MANAGE, h_user_tokens_list},

	{"GET", "/api/v1/items", PERM_PUBLIC, h_items_search},
	{"GET", "/api/v1/items/{code}", PERM_PUBLIC, h_item_guide},
	{"GET", "/api/v1/items/{code}/qr.svg", PERM_PUBLIC, h_item_qr},
	{"GET", "/api/v1/items/{code}/versions", PERM_PUBLIC, h_item_versions},
	{"GET", "/api/v1/lists", PERM_PUBLIC, h_lists},

	{"GET", "/api/v1/admin/items", PERM_CATALOG_VIEW, h_admin_items},
	{"POST", "/api/v1/admin/items", PERM_CATALOG_EDIT, h_admin_item_create},
	{"GET", "/api/v1/admin/items/{id}", PERM_CATALOG_VIEW, h_admin_item_get},
	{"PUT", "/api/v1/admin/items/{id}", PERM_CATALOG_EDIT, h_admin_item_update},
	{"POST", "/api/v1/admin/items/{id}/submit", PERM_CATALOG_EDIT, h_admin_item_submit},
	{"POST", "/api/v1/admin/items/{id}/new-version", PERM_CATALOG_EDIT, h_admin_item_new_version},
	{"POST", "/api/v1/admin/items/{id}/publish", PERM_CATALOG_REVIEW, h_admin_item_publish},
	{"POST", "/api/v1/admin/items/{id}/reject", PERM_CATALOG_REVIEW, h_admin_item_reject},
	{"POST", "/api/v1/admin/items/{id}/withdraw", PERM_CATALOG_REVIEW, h_admin_item_withdraw},
	{"GET", "/api/v1/admin/review-queue", PERM_CATALOG_REVIEW, h_review_queue},
	{"GET", "/api/v1/export/catalog.json", PERM_CATALOG_IMPORT, h_export_json},
	{"GET", "/api/v1/export/catalog.xlsx", PERM_CATALOG_VIEW, h_export_xlsx},
	{"POST", "/api/v1/import/catalog", PERM_CATALOG_IMPORT, h_import},

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
	/* case flows: 容缺, 告知承诺 follow-up, 送达, 并联审批, notices' QR and public verification */
	{"POST", "/api/v1/cases/{id}/supply", PERM_CASE_APPLY_OR_ACCEPT, h_case_supply},
	{"POST", "/api/v1/cases/{id}/followup", PERM_CASE_HANDLE, h_case_followup},
	{"POST", "/api/v1/cases/{id}/deliver", PERM_CASE_HANDLE, h_case_deliver},
	{"POST", "/api/v1/cases/{id}/opinion", PERM_CASE_HANDLE, h_case_opinion},
	{"GET", "/api/v1/cases/{id}/qr.svg", PERM_SIGNED_IN, h_case_qr},
	{"GET", "/api/v1/public/verify", PERM_PUBLIC, h_public_verify},
	{"GET", "/api/v1/bundles", PERM_PUBLIC, h_bundles_list},

	/* 好差评 (reviews): ratings, the bad-review path, list and summary (src/reviews) */
	{"POST", "/api/v1/cases/{id}/review", PERM_CASE_APPLY_OR_ACCEPT, h_case_review_create},
	{"GET", "/api/v1/cases/{id}/review", PERM_SIGNED_IN, h_case_review_get},
	{"POST", "/api/v1/reviews", PERM_PUBLIC, h_reviews_create}, /* the window's paired rating pad only */
	{"GET", "/api/v1/reviews", PERM_SIGNED_IN, h_reviews_list},
	{"GET", "/api/v1/reviews/summary", PERM_STATS_VIEW, h_reviews_summary},
	{"POST", "/api/v1/reviews/{id}/appeal", PERM_DEPT_RESPOND, h_review_appeal},
	{"POST", "/api/v1/reviews/{id}/verify", PERM_SUPERVISE, h_review_verify},
	{"POST", "/api/v1/reviews/{id}/rectify", PERM_DEPT_RESPOND, h_review_rectify},
	{"POST", "/api/v1/reviews/{id}/callback", PERM_SUPERVISE, h_review_callback},
	/* electronic supervision (电子监察): signals, cards, 督办 orders */
	{"GET", "/api/v1/supervision/signals", PERM_SUPERVISE, h_sv_signals},
	{"GET", "/api/v1/supervision/cards", PERM_SUPERVISION_VIEW, h_sv_cards},
	{"GET", "/api/v1/supervision/summary", PERM_SUPERVISE, h_sv_summary},
	{"POST", "/api/v1/supervision/orders", PERM_SUPERVISE, h_sv_orders_create},
	{"GET", "/api/v1/supervision/orders", PERM_SUPERVISION_VIEW, h_sv_orders_list},
	{"POST", "/api/v1/supervision/orders/{id}/answer", PERM_DEPT_RESPOND, h_sv_order_answer},
	{"POST", "/api/v1/supervision/orders/{id}/close", PERM_SUPERVISE, h_sv_order_close},

	/* Uploads, case files and applicant profiles (src/files) */
	{"POST", FILES_UPLOAD_PATH, PERM_CASE_APPLY_OR_ACCEPT, h_file_upload},
	{"GET", "/api/v1/files/{id}", PERM_SIGNED_IN, h_file_get},
	{"POST", "/api/v1/cases/{id}/files", PERM_CASE_APPLY_OR_ACCEPT, h_case_files_attach},
	{"GET", "/api/v1/cases/{id}/files", PERM_SIGNED_IN, h_case_files_list},
	{"GET", "/api/v1/me/profile", PERM_SIGNED_IN, h_profile_get},
	{"PUT", "/api/v1/me/profile", PERM_SIGNED_IN, h_profile_put},

	{"GET", "/api/v1/audit", PERM_AUDIT_READ, h_audit},

	/* Service hall (智能大厅, src/hall): queues, tickets, window work, appointments, board, status */
	{"GET", "/api/v1/hall/queues", PERM_PUBLIC, h_hall_queues_list},
	{"POST", "/api/v1/hall/queues", PERM_HALL_MANAGE, h_hall_queue_create},
	{"PUT", "/api/v1/hall/queues/{id}", PERM_HALL_MANAGE, h_hall_queue_update},
	{"GET", "/api/v1/hall/queues/{id}/slots", PERM_PUBLIC, h_hall_slots},
	{"PUT", "/api/v1/hall/windows/{id}/queues", PERM_HALL_MANAGE, h_hall_window_queues},
	{"POST", "/api/v1/hall/tickets", PERM_PUBLIC, h_hall_ticket_create},
	{"GET", "/api/v1/hall/tickets/{token}", PERM_PUBLIC, h_hall_ticket_get},
	{"GET", "/api/v1/hall/tickets/{token}/qr.svg", PERM_PUBLIC, h_hall_ticket_qr},
	{"GET", "/api/v1/hall/windows/{id}", PERM_HALL_SERVE, h_hall_window_get},
	{"GET", "/api/v1/hall/windows/{id}/next-preview", PERM_HALL_SERVE, h_hall_window_preview},
	{"POST", "/api/v1/hall/windows/{id}/call", PERM_HALL_SERVE, h_hall_window_call},
	{"POST", "/api/v1/hall/windows/{id}/recall", PERM_HALL_SERVE, h_hall_window_recall},
	{"POST", "/api/v1/hall/windows/{id}/skip", PERM_HALL_SERVE, h_hall_window_skip},
	{"POST", "/api/v1/hall/windows/{id}/transfer", PERM_HALL_SERVE, h_hall_window_transfer},
	{"POST", "/api/v1/hall/windows/{id}/pause", PERM_HALL_SERVE, h_hall_window_pause},
	{"POST", "/api/v1/hall/windows/{id}/resume", PERM_HALL_SERVE, h_hall_window_resume},
	{"POST", "/api/v1/hall/windows/{id}/start", PERM_HALL_SERVE, h_hall_window_start},
	{"POST", "/api/v1/hall/windows/{id}/finish", PERM_HALL_SERVE, h_hall_window_finish},
	{"POST", "/api/v1/hall/appointments", PERM_CASE_APPLY_OR_ACCEPT, h_hall_appointment_create},
	{"GET", "/api/v1/hall/appointments", PERM_SIGNED_IN, h_hall_appointments_list},
	{"POST", "/api/v1/hall/appointments/{id}/cancel", PERM_CASE_APPLY_OR_ACCEPT, h_hall_appointment_cancel},
	{"POST", "/api/v1/hall/checkin", PERM_PUBLIC, h_hall_checkin},
	{"GET", "/api/v1/hall/appointments/{id}/qr.svg", PERM_SIGNED_IN, h_hall_appointment_qr},
	/* hall devices: the manager registers and revokes kiosks, boards and rating pads; a device pairs
	 * once with its code and then identifies itself with its token */
	{"GET", "/api/v1/hall/{id}/devices", PERM_HALL_MANAGE, h_hall_devices_list},
	{"POST", "/api/v1/hall/{id}/devices", PERM_HALL_MANAGE, h_hall_device_create},
	{"POST", "/api/v1/hall/devices/{id}/code", PERM_HALL_MANAGE, h_hall_device_code},
	{"POST", "/api/v1/hall/devices/{id}/revoke", PERM_HALL_MANAGE, h_hall_device_revoke},
	{"POST", "/api/v1/hall/{id}/devices/pair", PERM_PUBLIC, h_hall_device_pair},
	{"GET", "/api/v1/hall/device", PERM_PUBLIC, h_hall_device_me},
	{"GET", "/api/v1/hall/pad", PERM_PUBLIC, h_hall_pad},
	{"GET", "/api/v1/hall/{id}/board", PERM_PUBLIC, h_hall_board},
	{"GET", "/api/v1/hall/{id}/status", PERM_HALL_MANAGE, h_hall_status},
	{"GET", "/api/v1/hall/{id}/stats", PERM_HALL_MANAGE, h_hall_stats},
	{"GET", "/api/v1/hall/{id}/stats.xlsx", PERM_HALL_MANAGE, h_hall_stats_xlsx},

	/* statistics (统计): summary, dashboard, monthly report, XLSX export */
	{"GET", "/api/v1/stats/summary", PERM_STATS_VIEW, h_stats_summary},
	{"GET", "/api/v1/stats/dashboard", PERM_STATS_VIEW, h_stats_dashboard},
	{"GET", "/api/v1/stats/report", PERM_STATS_VIEW, h_stats_report},
	{"GET", "/api/v1/stats/export.xlsx", PERM_STATS_VIEW, h_stats_export},

	/* Server-Sent Events: the display board's stream of a hall and its announcements (大厅公告) */
	{"GET", "/api/v1/hall/{id}/events", PERM_PUBLIC, h_hall_events},
	{"POST", "/api/v1/hall/{id}/announce", PERM_HALL_MANAGE, h_hall_announce},
};
const int yw_route_count = (int)(sizeof yw_routes / sizeof yw_routes[0]);

/* Matches one pattern against path; {name} takes one non-empty segment. */
static bool match(const char *pat, const char *path, http_req_t *req)
{
	int n = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			const char *seg = path;
			while (*path && *path != '/')
				path++;
			if (path == seg || n >= HTTP_MAX_PARAMS)
				return false;
			/* a parameter is followed either by the end or by a literal such as "/qr.svg" */
			req->param[n++] = arena_strndup(req->arena, seg, (size_t)(path - seg));
			pat = end + 1;
			continue;
		}
		if (*pat++ != *path++)
			return false;
	}
	if (*pat || *path)
		return false;
	req->nparams = n;
	return true;
}

const route_t *routes_match(http_req_t *req, const char *method, const char *path, bool *path_matched)
{
	*path_matched = false;
	for (int i = 0; i < yw_route_count; i++) {
		if (!match(yw_routes[i].pattern, path, req))
			continue;
		if (strcmp(yw_routes[i].method, method) == 0 ||
		    (strcmp(method, "HEAD") == 0 && strcmp(yw_routes[i].method, "GET") == 0))
			return &yw_routes[i];
		*path_matched = true;
	}
	return NULL;
}
