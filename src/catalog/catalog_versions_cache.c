/* Two caches shared by every thread: parsed item versions, and the portal's published guides.
 *
 * Parsed item versions. A version that has been published never changes
 * again (docs/domain.md §3: a new version is made instead), so once its data is parsed it can be kept
 * for the life of the process: cases read their guide (materials, steps, limits) on every action
 * without parsing its JSON again. Drafts and submitted versions are never cached. The cache is
 * direct-mapped by version id; jansson's reference counts are atomic, so entries are handed out
 * with json_incref and a collision simply replaces the older entry. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/arena.h"
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

/* The published guides the portal asks for (GET /api/v1/items/{code}), as the JSON it sends, for
 * the catalogue's generation: publishing or withdrawing bumps it, and the entry is read afresh
 * (on PostgreSQL another node's change shows within db_generation's keeping time). Without it a
 * guide read is a statement with a join, and on PostgreSQL a round trip carrying the guide.
 * Direct-mapped by the code's hash: popular guides stay, at most GUIDE_SLOTS of them (a guide is a
 * few kilobytes). Unknown codes are not kept. */
#define GUIDE_SLOTS 1024

static struct {
	char code[48];
	int64_t generation, version_id;
	char *json;
} g_guides[GUIDE_SLOTS];
static pthread_mutex_t g_guides_mu = PTHREAD_MUTEX_INITIALIZER;

static size_t guide_slot(const char *code)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t)(h % GUIDE_SLOTS);
}

int catalog_guide(db_t *db, const char *code, char **json_out, int64_t *version_id)
{
	int64_t gen;
	int rc = db_generation(db, "catalog", &gen);
	if (rc)
		return rc;
	size_t k = guide_slot(code);
	bool keep = strlen(code) < sizeof g_guides[k].code;
	pthread_mutex_lock(&g_guides_mu);
	if (keep && g_guides[k].json && g_guides[k].generation == gen && strcmp(g_guides[k].code, code) == 0) {
		*json_out = xstrdup(g_guides[k].json);
		*version_id = g_guides[k].version_id;
		pthread_mutex_unlock(&g_guides_mu);
		return 0;
	}
	pthread_mutex_unlock(&g_guides_mu);
	if ((rc = catalog_published_guide(db, code, json_out, version_id)) != 0 || !keep)
		return rc;
	char *copy = xstrdup(*json_out);
	pthread_mutex_lock(&g_guides_mu);
	char *old = g_guides[k].json;
	snprintf(g_guides[k].code, sizeof g_guides[k].code, "%s", code);
	g_guides[k].generation = gen;
	g_guides[k].version_id = *version_id;
	g_guides[k].json = copy;
	pthread_mutex_unlock(&g_guides_mu);
	free(old);
	return 0;
}
