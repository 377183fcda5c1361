/* 政府信息公开 (government information disclosure, 政府信息公开条例 2019; docs/domain.md
 * "Government information disclosure"): proactive documents (主动公开) in a category tree with
 * their 保密审查 and versions, and requests (依申请公开) with their statutory clock
 * (disclosure_clock.h), results (disclosure_codes.h), letters and remedies. This header holds the
 * letters, the background job and the route handlers. */
#ifndef YW_DISCLOSURE_H
#define YW_DISCLOSURE_H
#include <stddef.h>
#include <stdint.h>

#include "platform/db.h"
#include "platform/http.h"

/* The fields a letter (告知书) is made of; NULL or 0 where a kind does not use them. */
typedef struct disc_letter {
	const char *kind; /* reply, correction, extension, fee, consult */
	const char *organ, *organ_phone, *region_name;
	const char *request_no, *applicant_name, *channel_label, *content, *received_date;
	/* reply */
	const char *result, *reply_note, *reply_date;
	int on_spot;
	/* correction */
	const char *const *items;
	size_t n_items;
	const char *notice_date, *correction_due;
	/* extension */
	int extension_days;
	const char *extension_reason, *extension_date, *due_date;
	/* consult: to the third party */
	const char *third_party, *consult_sent, *consult_due;
	/* fee */
	const char *fee_basis, *fee_notice, *fee_due;
	int64_t fee_quantity, fee_fen;
} disc_letter_t;

/* The letter as a printable HTML page (A4), malloc'd; NULL for an unknown kind. */
char *disclosure_letter_html(const disc_letter_t *in);
/* What a reply says for result r (enum disc_result) and the articles it rests on; NULL out of range. */
const char *disclosure_result_decision(int result);
const char *disclosure_result_basis(int result);

/* Background job (ticker.h): closes requests whose 补正 or fee time ran out and refreshes the due
 * day and supervision signal of open requests (disclosure_store_tick). */
int disclosure_tick(db_t *db, int64_t now);

/* Route handlers (docs/api.md "Disclosure"). */
int h_disc_categories_list(http_req_t *req);
int h_disc_category_create(http_req_t *req);
int h_disc_category_update(http_req_t *req);
int h_disc_organs_list(http_req_t *req);
int h_disc_organ_update(http_req_t *req);
int h_disc_docs_public(http_req_t *req);
int h_disc_docs_manage(http_req_t *req);
int h_disc_doc_get(http_req_t *req);
int h_disc_doc_create(http_req_t *req);
int h_disc_doc_edit(http_req_t *req);
int h_disc_doc_submit(http_req_t *req);
int h_disc_doc_review(http_req_t *req);
int h_disc_doc_withdraw(http_req_t *req);
int h_disc_doc_validity(http_req_t *req);
int h_disc_doc_file(http_req_t *req);
int h_disc_requests_create(http_req_t *req);
int h_disc_requests_list(http_req_t *req);
int h_disc_request_get(http_req_t *req);
int h_disc_request_letter(http_req_t *req);
int h_disc_reply_preview(http_req_t *req);
int h_disc_request_correction(http_req_t *req);
int h_disc_request_corrected(http_req_t *req);
int h_disc_request_consult(http_req_t *req);
int h_disc_request_answer(http_req_t *req);
int h_disc_request_extend(http_req_t *req);
int h_disc_request_fee(http_req_t *req);
int h_disc_request_paid(http_req_t *req);
int h_disc_request_reply(http_req_t *req);
int h_disc_request_withdraw(http_req_t *req);
int h_disc_remedy_create(http_req_t *req);
int h_disc_remedy_update(http_req_t *req);
int h_disc_figures_get(http_req_t *req);
int h_disc_figures_put(http_req_t *req);
int h_disc_summary(http_req_t *req);

/* Registers the module's routes and background job; called once by main(). */
void disclosure_module_register(void);

#endif
