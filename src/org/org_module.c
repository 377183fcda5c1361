/* The org module's part of the program: the organisation (regions, departments,
 * halls, windows, users) and sign-in. main() registers it; platform/ knows no
 * domain module (docs/architecture.md). Every route names the permission it
 * needs. */
#include "org/org.h"
#include "platform/routes.h"

static const route_t routes[] = {
	{"POST", "/api/v1/auth/login", PERM_PUBLIC, h_auth_login},
	{"POST", "/api/v1/auth/logout", PERM_SIGNED_IN, h_auth_logout},
	{"GET", "/api/v1/auth/me", PERM_SIGNED_IN, h_auth_me},
	{"POST", "/api/v1/auth/register", PERM_PUBLIC, h_auth_register},
	{"POST", "/api/v1/auth/tokens", PERM_SIGNED_IN, h_auth_token},
	{"GET", "/api/v1/auth/tokens", PERM_SIGNED_IN, h_auth_tokens_list},
	{"DELETE", "/api/v1/auth/tokens/{id}", PERM_SIGNED_IN, h_auth_token_revoke},
	{"POST", "/api/v1/auth/password", PERM_SIGNED_IN, h_auth_password},
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
};

void org_module_register(void)
{
	ROUTES_REGISTER(routes);
}
