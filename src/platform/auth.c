/* See auth.h: roles, permissions, scopes and passwords; the sessions, the sign-in throttle and the
 * API tokens are auth_store.c's. Secrets are never stored: sessions and API tokens are kept as
 * SHA-256 of the random token, passwords as argon2id strings (libsodium, interactive limits). */
#include "platform/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform/err.h"
#include "platform/http.h"

static const struct {
	unsigned bit;
	const char *name, *label;
} roles[] = {
	{ROLE_APPLICANT, "applicant", "申请人"},
	{ROLE_CLERK, "clerk", "窗口人员"},
	{ROLE_APPROVER, "approver", "审批人员"},
	{ROLE_DEPT_ADMIN, "dept_admin", "部门管理员"},
	{ROLE_CENTER_ADMIN, "center_admin", "中心管理员"},
	{ROLE_SUPERVISOR, "supervisor", "电子监察"},
	{ROLE_HOTLINE_OPERATOR, "hotline_operator", "12345话务员"},
	{ROLE_HANDLING_UNIT, "handling_unit", "承办单位"},
	{ROLE_DISCLOSURE_OFFICER, "disclosure_officer", "信息公开工作人员"},
};
#define NROLES (sizeof roles / sizeof roles[0])

/* Which roles hold each permission (docs/domain.md §1). PERM_PUBLIC and PERM_SIGNED_IN are special. */
static const unsigned perm_roles[PERM__COUNT] = {
	[PERM_CATALOG_VIEW] = ROLE_DEPT_ADMIN | ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_CATALOG_EDIT] = ROLE_DEPT_ADMIN | ROLE_CENTER_ADMIN,
	[PERM_CATALOG_REVIEW] = ROLE_CENTER_ADMIN,
	[PERM_CATALOG_IMPORT] = ROLE_CENTER_ADMIN,
	[PERM_ORG_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_USERS_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_CALENDAR_EDIT] = ROLE_CENTER_ADMIN,
	[PERM_AUDIT_READ] = ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_CASE_APPLY_OR_ACCEPT] = ROLE_APPLICANT | ROLE_CLERK,
	[PERM_CASE_ACCEPT] = ROLE_CLERK,
	[PERM_CASE_HANDLE] = ROLE_APPROVER | ROLE_CLERK,
	[PERM_SUPERVISE] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN,
	[PERM_DEPT_RESPOND] = ROLE_DEPT_ADMIN | ROLE_APPROVER,
	[PERM_STATS_VIEW] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN | ROLE_DEPT_ADMIN,
	[PERM_HALL_SERVE] = ROLE_CLERK,
	[PERM_HALL_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_SUPERVISION_VIEW] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN | ROLE_DEPT_ADMIN | ROLE_APPROVER,
	[PERM_DISCLOSURE_HANDLE] = ROLE_DISCLOSURE_OFFICER | ROLE_CENTER_ADMIN,
	[PERM_DISCLOSURE_CONFIG] = ROLE_CENTER_ADMIN,
	[PERM_DISCLOSURE_APPLY] = ROLE_APPLICANT | ROLE_DISCLOSURE_OFFICER | ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_VIEW] = ROLE_HOTLINE_OPERATOR | ROLE_HANDLING_UNIT | ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_HOTLINE_OPERATE] = ROLE_HOTLINE_OPERATOR | ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_HANDLE] = ROLE_HANDLING_UNIT,
	[PERM_HOTLINE_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_SUPERVISE] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN,
	[PERM_FILE_UPLOAD] = ROLE_APPLICANT | ROLE_CLERK | ROLE_DISCLOSURE_OFFICER | ROLE_HOTLINE_OPERATOR | ROLE_HANDLING_UNIT |
			     ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_STATS] = ROLE_HOTLINE_OPERATOR | ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
};

static const char *const perm_names[PERM__COUNT] = {
	[PERM_PUBLIC] = "public",
	[PERM_SIGNED_IN] = "signed_in",
	[PERM_CATALOG_VIEW] = "catalog.view",
	[PERM_CATALOG_EDIT] = "catalog.edit",
	[PERM_CATALOG_REVIEW] = "catalog.review",
	[PERM_CATALOG_IMPORT] = "catalog.import",
	[PERM_ORG_MANAGE] = "org.manage",
	[PERM_USERS_MANAGE] = "users.manage",
	[PERM_CALENDAR_EDIT] = "calendar.edit",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_CASE_APPLY_OR_ACCEPT] = "case.apply",
	[PERM_CASE_ACCEPT] = "case.accept",
	[PERM_CASE_HANDLE] = "case.handle",
	[PERM_SUPERVISE] = "supervise",
	[PERM_DEPT_RESPOND] = "dept.respond",
	[PERM_STATS_VIEW] = "stats.view",
	[PERM_HALL_SERVE] = "hall.serve",
	[PERM_HALL_MANAGE] = "hall.manage",
	[PERM_SUPERVISION_VIEW] = "supervision.view",
	[PERM_DISCLOSURE_HANDLE] = "disclosure.handle",
	[PERM_DISCLOSURE_CONFIG] = "disclosure.config",
	[PERM_DISCLOSURE_APPLY] = "disclosure.apply",
	[PERM_HOTLINE_VIEW] = "hotline.view",
	[PERM_HOTLINE_OPERATE] = "hotline.operate",
	[PERM_HOTLINE_HANDLE] = "hotline.handle",
	[PERM_HOTLINE_MANAGE] = "hotline.manage",
	[PERM_HOTLINE_SUPERVISE] = "hotline.supervise",
	[PERM_FILE_UPLOAD] = "file.upload",
	[PERM_HOTLINE_STATS] = "hotline.stats",
};

const char *auth_perm_name(enum perm p)
{
	return p < PERM__COUNT ? perm_names[p] : "?";
}

const char *auth_role_name(unsigned bit)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].bit == bit)
			return roles[i].name;
	return NULL;
}

const char *auth_role_label(unsigned bit)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].bit == bit)
			return roles[i].label;
	return NULL;
}

int auth_roles_parse(const char *csv, unsigned *out)
{
	unsigned r = 0;
	const char *p = csv;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool found = false;
		for (size_t i = 0; i < NROLES; i++)
			if (strlen(roles[i].name) == n && strncmp(roles[i].name, p, n) == 0) {
				r |= roles[i].bit;
				found = true;
			}
		if (!found && n)
			return YW_EINVAL;
		p += n + (e ? 1 : 0);
	}
	*out = r;
	return 0;
}

void auth_roles_format(unsigned r, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = 0;
	for (size_t i = 0; i < NROLES; i++)
		if (r & roles[i].bit)
			off += (size_t)snprintf(buf + off, off < size ? size - off : 0, "%s%s", off ? "," : "",
						roles[i].name);
}

json_t *auth_roles_json(unsigned r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < NROLES; i++)
		if (r & roles[i].bit)
			json_array_append_new(a, json_string(roles[i].name));
	return a;
}

bool auth_has_perm(const auth_user_t *u, enum perm p)
{
	if (p == PERM_PUBLIC)
		return true;
	if (!u)
		return false;
	if (p == PERM_SIGNED_IN)
		return true;
	return p < PERM__COUNT && (u->roles & perm_roles[p]) != 0;
}

/* GB/T 2260: 430000 province, 430100 city, 430102 district, 430102001 street, 430102001001
 * community. A code's scope prefix drops the trailing zero pairs of its first six digits. */
size_t auth_region_prefix_len(const char *scope)
{
	size_t n = strlen(scope);
	if (n != 6)
		return n;
	if (strcmp(scope + 2, "0000") == 0)
		return 2;
	if (strcmp(scope + 4, "00") == 0)
		return 4;
	return 6;
}

bool auth_region_within(const char *code, const char *scope)
{
	if (!scope || !*scope)
		return true;
	if (!code)
		return false;
	size_t n = auth_region_prefix_len(scope);
	return strncmp(code, scope, n) == 0;
}

void auth_region_bind(db_stmt_t *st, const char *p, const char *scope)
{
	char len_name[64];
	int n = (int)auth_region_prefix_len(scope ? scope : "");
	snprintf(len_name, sizeof len_name, "%s_len", p);
	db_bind_int(st, len_name, n);
	char prefix[16];
	snprintf(prefix, sizeof prefix, "%.*s", n, scope ? scope : "");
	db_bind_text(st, p, prefix);
}

bool auth_dept_in_scope(const auth_user_t *u, int64_t dept_id, const char *dept_region)
{
	if (!u)
		return false;
	if (u->roles & (ROLE_CENTER_ADMIN | ROLE_SUPERVISOR))
		return auth_region_within(dept_region, u->region_code);
	return u->dept_id != 0 && u->dept_id == dept_id;
}

/* the demo command's one reused hash (auth_hash_reuse_for_demo); the command is single-threaded */
static struct {
	bool on;
	char password[129], hash[128];
} g_demo_hash;

void auth_hash_reuse_for_demo(bool on)
{
	sodium_memzero(&g_demo_hash, sizeof g_demo_hash);
	g_demo_hash.on = on;
}

/* auth_hash_preset: the calling thread's next hash of exactly this password */
static __thread struct {
	bool set;
	char password[129], hash[128];
} t_preset;

void auth_hash_preset(const char *password, const char *hash)
{
	sodium_memzero(&t_preset, sizeof t_preset);
	if (password && hash && strlen(password) < sizeof t_preset.password && strlen(hash) < sizeof t_preset.hash) {
		t_preset.set = true;
		snprintf(t_preset.password, sizeof t_preset.password, "%s", password);
		snprintf(t_preset.hash, sizeof t_preset.hash, "%s", hash);
	}
}

int auth_hash_password(const char *password, char out[128])
{
	if (t_preset.set && strcmp(t_preset.password, password) == 0) {
		memcpy(out, t_preset.hash, sizeof t_preset.hash);
		sodium_memzero(&t_preset, sizeof t_preset);
		return 0;
	}
	if (g_demo_hash.on && g_demo_hash.hash[0] && strcmp(g_demo_hash.password, password) == 0) {
		memcpy(out, g_demo_hash.hash, sizeof g_demo_hash.hash);
		return 0;
	}
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return YW_EIO;
	if (g_demo_hash.on && strlen(password) < sizeof g_demo_hash.password) {
		snprintf(g_demo_hash.password, sizeof g_demo_hash.password, "%s", password);
		memcpy(g_demo_hash.hash, out, sizeof g_demo_hash.hash);
	}
	return 0;
}

bool auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *auth_password_problem(const char *pw)
{
	size_t n = strlen(pw);
	if (n < 8)
		return "密码至少8位";
	if (n > 128)
		return "密码不能超过128位";
	bool digit = false, letter = false;
	for (const char *p = pw; *p; p++) {
		digit |= *p >= '0' && *p <= '9';
		letter |= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
	}
	if (!digit || !letter)
		return "密码须同时包含字母和数字";
	return NULL;
}

json_t *auth_user_json(const auth_user_t *u)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)u->id, "username", u->username, "name",
			      u->name, "kind", u->kind, "roles", auth_roles_json(u->roles));
	json_object_set_new(j, "dept_id", u->dept_id ? json_integer(u->dept_id) : json_null());
	json_object_set_new(j, "region_code", *u->region_code ? json_string(u->region_code) : json_null());
	json_object_set_new(j, "window_id", u->window_id ? json_integer(u->window_id) : json_null());
	/* What the user may do, so the UI shows only what the server will allow. */
	json_t *perms = json_array();
	for (int p = PERM_SIGNED_IN + 1; p < PERM__COUNT; p++)
		if (auth_has_perm(u, (enum perm)p))
			json_array_append_new(perms, json_string(perm_names[p]));
	json_object_set_new(j, "permissions", perms);
	return j;
}

int auth_resolve_request(http_req_t *req)
{
	db_t *db = db_thread();
	const char *authz = http_header(req, "Authorization");
	auth_user_t *u = arena_zalloc(req->arena, sizeof *u);
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		int rc = auth_token_user(db, authz + 7, u);
		if (rc == YW_EAUTH)
			return http_fail(req, YW_EAUTH, "API 令牌无效或已过期");
		if (rc)
			return rc;
		req->user = u;
		return 0;
	}
	const char *cookie = http_cookie(req, "yw_session");
	if (cookie && *cookie) {
		/* A stale cookie is the same as none: public pages keep working after expiry. */
		int rc = auth_session_user(db, cookie, u);
		if (rc == 0) {
			req->user = u;
			req->via_cookie = true;
		} else if (rc != YW_EAUTH) {
			return rc;
		}
	}
	return 0;
}
