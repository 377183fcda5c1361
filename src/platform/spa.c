/* See spa.h. */
#include "platform/spa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROUTES 256

static char *g_routes[MAX_ROUTES];
static int g_nroutes;

int spa_routes_load(const char *web_dir)
{
	char path[600];
	snprintf(path, sizeof path, "%s/app/main.js", web_dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	char line[1024];
	while (fgets(line, sizeof line, f) && g_nroutes < MAX_ROUTES) {
		const char *p = strstr(line, "path: '");
		if (!p)
			continue;
		p += 7;
		const char *e = strchr(p, '\'');
		if (!e || *p != '/' || memchr(p, '(', (size_t)(e - p)))
			continue;
		g_routes[g_nroutes++] = strndup(p, (size_t)(e - p));
	}
	fclose(f);
	return g_nroutes;
}

static bool match(const char *pat, const char *path)
{
	while (*pat) {
		if (*pat == ':') {
			const char *seg = path;
			while (*path && *path != '/')
				path++;
			if (path == seg)
				return false;
			while (*pat && *pat != '/')
				pat++;
			continue;
		}
		if (*pat++ != *path++)
			return false;
	}
	return !*path || strcmp(path, "/") == 0;
}

bool spa_route_known(const char *path)
{
	for (int i = 0; i < g_nroutes; i++)
		if (match(g_routes[i], path))
			return true;
	return false;
}
