/* Route handlers of the catalogue (registered in platform/routes.c). */
#ifndef YW_CATALOG_HTTP_H
#define YW_CATALOG_HTTP_H
#include "platform/http.h"

int h_items_search(http_req_t *req);
int h_item_guide(http_req_t *req);
int h_item_qr(http_req_t *req);
int h_item_versions(http_req_t *req);
int h_lists(http_req_t *req);
int h_meta_codes(http_req_t *req);
int h_admin_items(http_req_t *req);
int h_admin_item_get(http_req_t *req);
int h_admin_item_create(http_req_t *req);
int h_admin_item_update(http_req_t *req);
int h_admin_item_submit(http_req_t *req);
int h_admin_item_publish(http_req_t *req);
int h_admin_item_reject(http_req_t *req);
int h_admin_item_withdraw(http_req_t *req);
int h_admin_item_new_version(http_req_t *req);
int h_review_queue(http_req_t *req);
int h_export_json(http_req_t *req);
int h_export_xlsx(http_req_t *req);
int h_import(http_req_t *req);

#endif
