/* The files module's part of the program: uploads, case files and applicant
 * profiles. main() registers it; platform/ knows no domain module
 * (docs/architecture.md). Every route names the permission it needs. */
#include "files/files.h"
#include "platform/routes.h"
#include "platform/ticker.h"

static const route_t routes[] = {
	/* case.apply's holders for their cases' materials, and the disclosure officers and the centre for
	 * documents' attachments (政府信息公开); either way attaching is the owning route's own check */
	{"POST", FILES_UPLOAD_PATH, PERM_FILE_UPLOAD, h_file_upload},
	{"GET", "/api/v1/files/{id}", PERM_SIGNED_IN, h_file_get},
	{"POST", "/api/v1/cases/{id}/files", PERM_CASE_APPLY_OR_ACCEPT, h_case_files_attach},
	{"GET", "/api/v1/cases/{id}/files", PERM_SIGNED_IN, h_case_files_list},
	{"GET", "/api/v1/me/profile", PERM_SIGNED_IN, h_profile_get},
	{"PUT", "/api/v1/me/profile", PERM_SIGNED_IN, h_profile_put},
};

void files_module_register(void)
{
	ROUTES_REGISTER(routes);
	ticker_register_reader("files", files_sweep);
}
