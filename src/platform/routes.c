/* The route registry: every route of the program, with the permission it needs. The platform's own
 * routes are here; each domain module registers its table from main() (X_module.c), so platform/
 * includes no domain module. The authorization test (tests/api/authz.test.mjs) walks every
 * registered route through `yiwang routes`. */
#include "platform/routes.h"

#include <stdlib.h>
#include <string.h>

#include "platform/arena.h"
#include "platform/audit.h"
#include "platform/calendar_http.h"
#include "platform/err.h"

static int h_health(http_req_t *req)
{
	http_reply_json(req, 200, json_pack("{s:s, s:s}", "status", "ok", "version", YW_VERSION));
	return 0;
}

/* The audit trail holds every module's records, of every district, with whole rows (an applicant's
 * ID number among them) and no region of their own: it is read at the level that spans the city, by
 * the centre admins and supervisors of a city, a province or the whole platform (a region prefix
 * of at most four digits), not by a district's (docs/domain.md §1, data scope). */
static int h_audit(http_req_t *req)
{
	if (auth_region_prefix_len(req->user->region_code) > 4)
		return http_fail(req, YW_EFORBIDDEN, "审计日志涵盖全市各区县的记录，仅市级及以上的中心管理员和监督人员可以查看");
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

/* The platform's own routes; the domain modules register theirs from main() (X_module.c). */
static const route_t platform_routes[] = {
	{"GET", "/api/v1/health", PERM_PUBLIC, h_health},
	{"GET", "/api/v1/calendar/deadline", PERM_PUBLIC, h_calendar_deadline},
	{"GET", "/api/v1/calendar/is-workday", PERM_PUBLIC, h_calendar_is_workday},
	{"GET", "/api/v1/calendar/between", PERM_PUBLIC, h_calendar_between},
	{"GET", "/api/v1/calendar", PERM_PUBLIC, h_calendar_year},
	{"PUT", "/api/v1/calendar/days/{date}", PERM_CALENDAR_EDIT, h_calendar_set_day},
	{"PUT", "/api/v1/calendar/years/{year}", PERM_CALENDAR_EDIT, h_calendar_set_year},
	{"GET", "/api/v1/audit", PERM_AUDIT_READ, h_audit},
};

/* The registered tables, in registration order: matching takes the first route that fits. Each
 * route's key is the hash of its first three segments ("/api/v1/hotline"), which a path must
 * have literally to match it, so matching runs the pattern only on routes whose key is the
 * path's (a pattern with a parameter among those segments has key 0 and is always tried): a
 * request no longer walks two hundred patterns. */
#define MAX_TABLES 32
static struct {
	const route_t *routes;
	int n;
	uint64_t *keys;
} tables[MAX_TABLES] = {{platform_routes, (int)(sizeof platform_routes / sizeof platform_routes[0]), NULL}};
static int ntables = 1;

/* The hash of s up to its fourth '/' (FNV-1a); 0 for a pattern with '{' before it. */
static uint64_t route_key(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (int slashes = 0; *s && !(*s == '/' && ++slashes == 4); s++) {
		if (*s == '{')
			return 0;
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	}
	return h ? h : 1;
}

static void key_table(int t)
{
	tables[t].keys = xcalloc((size_t)tables[t].n + 1, sizeof *tables[t].keys);
	for (int i = 0; i < tables[t].n; i++)
		tables[t].keys[i] = route_key(tables[t].routes[i].pattern);
}

void routes_register(const route_t *routes, int n)
{
	if (ntables == MAX_TABLES)
		abort(); /* a programming error, found at the first start */
	if (!tables[0].keys)
		key_table(0);
	tables[ntables].routes = routes;
	tables[ntables].n = n;
	key_table(ntables++);
}

int routes_count(void)
{
	int n = 0;
	for (int t = 0; t < ntables; t++)
		n += tables[t].n;
	return n;
}

const route_t *routes_at(int i)
{
	for (int t = 0; t < ntables; t++) {
		if (i < tables[t].n)
			return &tables[t].routes[i];
		i -= tables[t].n;
	}
	return NULL;
}

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
	uint64_t key = route_key(path);
	for (int t = 0; t < ntables; t++)
		for (int i = 0; i < tables[t].n; i++) {
			const route_t *r = &tables[t].routes[i];
			uint64_t k = tables[t].keys ? tables[t].keys[i] : 0;
			if ((k && k != key) || !match(r->pattern, path, req))
				continue;
			if (strcmp(r->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
				return r;
			*path_matched = true;
		}
	return NULL;
}
