/* Parsed item versions, shared by every thread. A version that has been published never changes
 * again (docs/domain.md §3: a new version is made instead), so once its data is parsed it can be kept
 * for the life of the process: cases read their guide (materials, steps, limits) on every action
 * without parsing its JSON again. Drafts and submitted versions are never cached. The cache is
 * direct-mapped by version id; jansson's reference counts are atomic, so entries are handed out
 * with json_incref and a collision simply replaces the older entry. */
#include <pthread.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/err.h"
#include "platform/log.h"

#define SLOTS 4096

static struct {
	int64_t id;
	json_t *data;
} g_slots[SLOTS];
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;

int catalog_version_get(db_t *db, int64_t version_id, json_t **out)
{
	size_t k = (size_t)version_id % SLOTS;
	pthread_mutex_lock(&g_mu);
	json_t *hit = g_slots[k].id == version_id ? json_incref(g_slots[k].data) : NULL;
	pthread_mutex_unlock(&g_mu);
	if (hit) {
		*out = hit;
		return 0;
	}
	bool fixed;
	json_t *data;
	int rc = catalog_store_version_data(db, version_id, &fixed, &data);
	if (rc)
		return rc;
	if (!data) {
		/* the store writes only canonical JSON here */
		log_error("catalog: item version %lld holds no valid JSON", (long long)version_id);
		return YW_EDB;
	}
	if (fixed) {
		pthread_mutex_lock(&g_mu);
		json_t *old = g_slots[k].data;
		g_slots[k].id = version_id;
		g_slots[k].data = json_incref(data);
		pthread_mutex_unlock(&g_mu);
		json_decref(old);
	}
	*out = data;
	return 0;
}

