/* The route table: every route names the permission it needs (auth.h). The dispatcher checks
 * it before the handler runs; handlers then check data scope. */
#ifndef YW_ROUTES_H
#define YW_ROUTES_H
#include "platform/auth.h"
#include "platform/http.h"

typedef int (*route_fn)(http_req_t *req);

typedef struct route {
	const char *method;
	const char *pattern; /* "/api/v1/items/{code}" */
	enum perm perm;
	route_fn fn;
} route_t;

/* Adds a module's table (which must live for the whole program), before the server starts.
 * ROUTES_REGISTER(table) passes a static array with its length. */
void routes_register(const route_t *routes, int n);
#define ROUTES_REGISTER(table) routes_register(table, (int)(sizeof table / sizeof table[0]))
/* Every registered route, the platform's first, then in registration order. */
int routes_count(void);
const route_t *routes_at(int i);

/* Finds the route for method + path, filling req->param. Returns the route, or NULL and sets
 * *path_matched when the path exists under another method (405). */
const route_t *routes_match(http_req_t *req, const char *method, const char *path, bool *path_matched);

#endif
