/* Parsed item versions, shared by every thread. A version that has been published never changes
 * again (docs/domain.md §3: a new version is made instead), so once its data is parsed it can be kept
 * for the life of the process: cases read their guide (materials, steps, limits) on every action
 * without parsing its JSON again. Drafts and submitted versions are never cached. The cache is
 * direct-mapped by version id; jansson's reference counts are atomic, so entries are handed out
 * with json_incref and a collision simply replaces the older entry. */
#include <pthread.h>
#include "platform/db_legacy.h"
#include <string.h>

#include "catalog/catalog.h"
#include "platform/err.h"

#define SLOTS 4096

static struct {
	int64_t id;
	json_t *data;
} g_slots[SLOTS];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

json_t *catalog_version_data(db_t *db, int64_t version_id)
{
	size_t k = (size_t)version_id % SLOTS;
	pthread_mutex_lock(&g_mu);
	json_t *hit = g_slots[k].id == version_id ? json_incref(g_slots[k].data) : NULL;
	pthread_mutex_unlock(&g_mu);
	if (hit)
		return hit;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT status, data FROM item_versions WHERE id = $1");
	dbl_bind_int(st, 1, version_id);
	json_t *data = NULL;
	bool fixed = false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *status = dbl_col_text(st, 0);
		fixed = strcmp(status, "draft") != 0 && strcmp(status, "submitted") != 0;
		data = json_loads(dbl_col_text(st, 1), 0, NULL);
	}
	sqlite3_reset(st);
	if (data && fixed) {
		pthread_mutex_lock(&g_mu);
		json_t *old = g_slots[k].data;
		g_slots[k].id = version_id;
		g_slots[k].data = json_incref(data);
		pthread_mutex_unlock(&g_mu);
		json_decref(old);
	}
	return data;
}
