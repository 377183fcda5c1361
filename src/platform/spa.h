/* The single-page UI's routes, as the server must know them to answer an unknown UI address
 * with 404 (docs/architecture.md, HTTP conventions) while still serving index.html for every known one. The one list is
 * the UI's own route table in web/app/main.js: each `path: '...'` there is read at start-up, so
 * a route added to the UI is known to the server without a second list. Patterns use the UI
 * router's syntax (web/app/router.js): `:name` is one non-empty segment, a trailing slash is
 * optional; the catch-all `/(.*)` (the not-found page) is not a route. */
#ifndef YW_SPA_H
#define YW_SPA_H
#include <stdbool.h>

/* Reads the route patterns from WEB_DIR/app/main.js; returns how many (0 when unreadable). Call
 * once before serving; the list is read-only afterwards. */
int spa_routes_load(const char *web_dir);
/* Is path (no query string) one of the UI's routes? */
bool spa_route_known(const char *path);

#endif
