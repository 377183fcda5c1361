/* 政府信息公开指南 (the guide to an organ's government information, 条例 第十二条; docs/domain.md §10,
 * "The guide"): how to find what the organ publishes, how to request the rest (the office, its
 * address, post code, phone, fax, email and hours), the time limits, fees and remedies. The office
 * data and the officer's own text (notes) are stored per organ (disclosure_guide_store.c); the rest
 * is written from the rules the module implements (disclosure_guide.c). */
#ifndef YW_DISCLOSURE_GUIDE_H
#define YW_DISCLOSURE_GUIDE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "platform/auth.h"
#include "platform/db.h"
#include "platform/http.h"

typedef struct disc_guide {
	int64_t dept_id, updated_at;
	bool stored; /* false: nothing saved yet, the department's address and phone stand in */
	char organ[128], region[64];
	char office[404], address[804], postcode[8], phone[204], fax[204], email[404], hours[804];
	char *notes; /* malloc'd (disclosure_guide_get); free() */
} disc_guide_t;

/* The guide of organ dept_id: 0, or YW_ENOTFOUND when there is no such department. */
int disclosure_guide_get(db_t *db, int64_t dept_id, disc_guide_t *g);
/* Stores the guide's fields (created or replaced), audited as disclosure.guide.save. */
int disclosure_guide_save(db_t *db, const auth_user_t *actor, int64_t dept_id, const disc_guide_t *g);

/* The published documents whose 文号 or title is one of refs (n ≤ 20), newest first, at most 5 a
 * ref: {"items":[{"ref","id","title","doc_no","dept","published_date","validity","validity_label"}]}. */
int disclosure_docs_cited(db_t *db, const char *const *refs, size_t n, json_t **out);
/* GET /api/v1/disclosure/lookup?ref=A|B (public). */
int h_disc_docs_cited(http_req_t *req);

/* GET (public) and PUT (the organ's officer, the centre) /api/v1/disclosure/organs/{id}/guide. */
int h_disc_guide_get(http_req_t *req);
int h_disc_guide_put(http_req_t *req);
/* Registers the guide's routes (disclosure_module_register). */
void disclosure_guide_module_register(void);

#endif
