/* The disclosure module's part of the program: 政府信息公开, proactive documents and requests.
 * main() registers it; platform/ knows no domain module (docs/architecture.md). Every route names
 * the permission it needs; the scope within it (an officer's own organ, an applicant's own
 * requests) is the store's. */
#include "disclosure/disclosure.h"
#include "disclosure/disclosure_guide.h"
#include "disclosure/disclosure_store.h"
#include "platform/routes.h"
#include "platform/ticker.h"

static const route_t routes[] = {
	{"GET", "/api/v1/disclosure/categories", PERM_PUBLIC, h_disc_categories_list},
	{"POST", "/api/v1/disclosure/categories", PERM_DISCLOSURE_CONFIG, h_disc_category_create},
	{"PUT", "/api/v1/disclosure/categories/{id}", PERM_DISCLOSURE_CONFIG, h_disc_category_update},
	{"GET", "/api/v1/disclosure/organs", PERM_PUBLIC, h_disc_organs_list},
	{"PUT", "/api/v1/disclosure/organs/{id}", PERM_DISCLOSURE_HANDLE, h_disc_organ_update},
	/* 主动公开目录: the public reads published documents only */
	{"GET", "/api/v1/disclosure/documents", PERM_PUBLIC, h_disc_docs_public},
	{"GET", "/api/v1/disclosure/documents/{id}", PERM_PUBLIC, h_disc_doc_get},
	{"GET", "/api/v1/disclosure/documents/{id}/files/{file}", PERM_PUBLIC, h_disc_doc_file},
	{"GET", "/api/v1/disclosure/manage/documents", PERM_DISCLOSURE_HANDLE, h_disc_docs_manage},
	{"POST", "/api/v1/disclosure/documents", PERM_DISCLOSURE_HANDLE, h_disc_doc_create},
	{"PUT", "/api/v1/disclosure/documents/{id}", PERM_DISCLOSURE_HANDLE, h_disc_doc_edit},
	{"POST", "/api/v1/disclosure/documents/{id}/submit", PERM_DISCLOSURE_HANDLE, h_disc_doc_submit},
	{"POST", "/api/v1/disclosure/documents/{id}/review", PERM_DISCLOSURE_HANDLE, h_disc_doc_review},
	{"POST", "/api/v1/disclosure/documents/{id}/withdraw", PERM_DISCLOSURE_HANDLE, h_disc_doc_withdraw},
	{"POST", "/api/v1/disclosure/documents/{id}/validity", PERM_DISCLOSURE_HANDLE, h_disc_doc_validity},
	/* 依申请公开: applicants file online and follow their own; the organ handles */
	{"POST", "/api/v1/disclosure/requests", PERM_DISCLOSURE_APPLY, h_disc_requests_create},
	{"GET", "/api/v1/disclosure/requests", PERM_SIGNED_IN, h_disc_requests_list},
	{"GET", "/api/v1/disclosure/requests/{id}", PERM_SIGNED_IN, h_disc_request_get},
	{"GET", "/api/v1/disclosure/requests/{id}/letter", PERM_SIGNED_IN, h_disc_request_letter},
	{"POST", "/api/v1/disclosure/requests/{id}/correction", PERM_DISCLOSURE_HANDLE, h_disc_request_correction},
	{"POST", "/api/v1/disclosure/requests/{id}/corrected", PERM_DISCLOSURE_APPLY, h_disc_request_corrected},
	{"POST", "/api/v1/disclosure/requests/{id}/consult", PERM_DISCLOSURE_HANDLE, h_disc_request_consult},
	{"POST", "/api/v1/disclosure/requests/{id}/consult/{cid}/answer", PERM_DISCLOSURE_HANDLE,
	 h_disc_request_answer},
	{"POST", "/api/v1/disclosure/requests/{id}/extend", PERM_DISCLOSURE_HANDLE, h_disc_request_extend},
	{"POST", "/api/v1/disclosure/requests/{id}/fee", PERM_DISCLOSURE_HANDLE, h_disc_request_fee},
	{"POST", "/api/v1/disclosure/requests/{id}/fee/paid", PERM_DISCLOSURE_HANDLE, h_disc_request_paid},
	{"POST", "/api/v1/disclosure/requests/{id}/reply", PERM_DISCLOSURE_HANDLE, h_disc_request_reply},
	{"POST", "/api/v1/disclosure/requests/{id}/letter-preview", PERM_DISCLOSURE_HANDLE, h_disc_reply_preview},
	{"POST", "/api/v1/disclosure/requests/{id}/withdraw", PERM_DISCLOSURE_APPLY, h_disc_request_withdraw},
	{"POST", "/api/v1/disclosure/requests/{id}/remedies", PERM_DISCLOSURE_HANDLE, h_disc_remedy_create},
	{"PUT", "/api/v1/disclosure/requests/{id}/remedies/{rid}", PERM_DISCLOSURE_HANDLE, h_disc_remedy_update},
	{"GET", "/api/v1/disclosure/figures", PERM_DISCLOSURE_HANDLE, h_disc_figures_get},
	{"PUT", "/api/v1/disclosure/figures", PERM_DISCLOSURE_HANDLE, h_disc_figures_put},
	{"GET", "/api/v1/disclosure/summary", PERM_DISCLOSURE_HANDLE, h_disc_summary},
};

int disclosure_tick(db_t *db, int64_t now)
{
	return disclosure_store_tick(db, now);
}

void disclosure_module_register(void)
{
	ROUTES_REGISTER(routes);
	disclosure_guide_module_register();
	ticker_register("disclosure", disclosure_tick);
}
