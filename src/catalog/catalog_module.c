/* The catalog module's part of the program: the catalogue (事项目录): public
 * search and guides, the editors' workflow, import and export. main() registers
 * it; platform/ knows no domain module (docs/architecture.md). Every route
 * names the permission it needs. */
#include "catalog/catalog.h"
#include "catalog/catalog_http.h"
#include "platform/routes.h"

static const route_t routes[] = {
	{"GET", "/api/v1/meta/codes", PERM_PUBLIC, h_meta_codes},
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
};

void catalog_module_register(void)
{
	ROUTES_REGISTER(routes);
}
