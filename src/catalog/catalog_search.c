/* Catalogue search over published items, in memory. Chinese has no spaces and people type one or
 * two characters ("社保", "户"), which SQLite's FTS5 trigram tokenizer cannot match, so the index
 * maps every character and every pair of adjacent characters of an item's searchable text (name,
 * keywords, materials, department) to the items containing it. A query takes the shortest
 * posting list among its characters' pairs and confirms each candidate by substring match.
 *
 * Entries are numbered in tie-break order (shorter name first, then code), and a match is placed
 * in one of four rank buckets (exact name, name prefix, name contains, other field), so results
 * come out ranked without sorting. The index is rebuilt when meta.catalog (bumped by every publish
 * and withdraw, in any server process sharing the database) moves on. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/arena.h"
#include "platform/err.h"

typedef struct entry {
	char *name;  /* lower-cased copy for matching */
	char *text;  /* lower-cased searchable text, '\n'-separated fields */
	char *json;  /* the result-list object, pre-rendered */
	size_t name_len;
	int64_t dept_id, targets, tags, lists, life_events;
	int level;
	char type[4];
	char region[16];
} entry_t;

typedef struct plist {
	uint64_t key; /* 0 = empty slot */
	uint32_t *ids;
	uint32_t n, cap;
} plist_t;

typedef struct index {
	entry_t *e;
	uint32_t n;
	plist_t *tab;
	size_t tab_size; /* power of two, kept at most half full */
	size_t nkeys;
	int64_t generation;
	arena_t *arena;
} index_t;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static index_t *current; /* guarded by lock */

/* Decodes one UTF-8 code point (input already validated); ASCII letters lower-cased. */
static uint32_t next_cp(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t c = *s;
	int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	if (n)
		c &= 0x3F >> n;
	for (int i = 1; i <= n && s[i]; i++)
		c = (c << 6) | (s[i] & 0x3F);
	*p += n + 1;
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 32;
}

static uint64_t key_pair(uint32_t a, uint32_t b)
{
	return ((uint64_t)a << 21 | b) + 1;
}

static uint64_t key_one(uint32_t a)
{
	return ((uint64_t)1 << 62 | a) + 1;
}

/* The same key restricted to items whose name holds the character or pair. */
#define IN_NAME ((uint64_t)1 << 63)

static size_t probe_start(const index_t *ix, uint64_t key)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (ix->tab_size - 1);
}

static void grow(index_t *ix)
{
	plist_t *old = ix->tab;
	size_t old_size = ix->tab_size;
	ix->tab_size = old_size ? old_size * 2 : 4096;
	ix->tab = xcalloc(ix->tab_size, sizeof *ix->tab);
	for (size_t k = 0; k < old_size; k++) {
		if (!old[k].key)
			continue;
		size_t i = probe_start(ix, old[k].key);
		while (ix->tab[i].key)
			i = (i + 1) & (ix->tab_size - 1);
		ix->tab[i] = old[k];
	}
	free(old);
}

static plist_t *slot(index_t *ix, uint64_t key, bool create)
{
	if (create && (ix->nkeys + 1) * 2 > ix->tab_size)
		grow(ix);
	for (size_t i = probe_start(ix, key);; i = (i + 1) & (ix->tab_size - 1)) {
		if (ix->tab[i].key == key)
			return &ix->tab[i];
		if (!ix->tab[i].key) {
			if (!create)
				return NULL;
			ix->tab[i].key = key;
			ix->nkeys++;
			return &ix->tab[i];
		}
	}
}

static void add_posting(index_t *ix, uint64_t key, uint32_t id)
{
	plist_t *p = slot(ix, key, true);
	if (p->n && p->ids[p->n - 1] == id)
		return; /* the same pair twice in one item */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->ids = xrealloc(p->ids, p->cap * sizeof *p->ids);
	}
	p->ids[p->n++] = id;
}

static void index_free(index_t *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->tab_size; i++)
		free(ix->tab[i].ids);
	free(ix->tab);
	free(ix->e);
	arena_free(ix->arena);
	free(ix);
}

/* The item's object in a result list, rendered once when the index is built. */
static char *render(arena_t *a, sqlite3_stmt *st)
{
	/* columns: 1 code, 2 name, 3 dept, 4 dept_id, 5 type, 6 level, 7 region, 8 targets, 9 tags,
	 * 12 handling_class, 13 promised days, 14 visits, 15 online_depth */
	json_t *targets = json_array();
	for (int t = 1; t <= 6; t++)
		if (sqlite3_column_int64(st, 8) & ((int64_t)1 << t))
			json_array_append_new(targets, json_integer(t));
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:o, s:o}", "code",
			      db_col_text(st, 1), "name", db_col_text(st, 2), "dept", db_col_text(st, 3), "dept_id",
			      (json_int_t)sqlite3_column_int64(st, 4), "type", db_col_text(st, 5), "level",
			      sqlite3_column_int(st, 6), "region", db_col_text(st, 7), "handling_class",
			      sqlite3_column_int(st, 12), "promised_limit_days", sqlite3_column_int(st, 13), "visits",
			      sqlite3_column_int(st, 14), "online_depth", sqlite3_column_int(st, 15), "tags",
			      catalog_bits_json(catalog_tags, sqlite3_column_int64(st, 9)), "targets", targets);
	char *s = json_dumps(o, JSON_COMPACT);
	char *out = arena_strdup(a, s);
	free(s);
	json_decref(o);
	return out;
}

static int entry_order(const void *a, const void *b)
{
	const entry_t *x = a, *y = b;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	return strcmp(x->json, y->json); /* starts with the code */
}

static int build(db_t *db, int64_t generation, index_t **out)
{
	index_t *ix = xcalloc(1, sizeof *ix);
	ix->arena = arena_new();
	ix->generation = generation;
	sqlite3_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM item_versions WHERE status = 'published'");
	int64_t count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	ix->e = xcalloc((size_t)count + 1, sizeof *ix->e);
	st = db_prepare(db, "SELECT i.id, i.code, v.name, d.name, i.dept_id, v.type, v.level, v.region_code, v.targets, "
			    "v.tags, v.lists, v.life_events, v.handling_class, v.promised_days, v.visits, v.online_depth, "
			    "v.search_text FROM item_versions v JOIN items i ON i.id = v.item_id "
			    "JOIN departments d ON d.id = i.dept_id WHERE v.status = 'published'");
	while (ix->n < count && sqlite3_step(st) == SQLITE_ROW) {
		entry_t *e = &ix->e[ix->n++];
		e->name = arena_strdup(ix->arena, db_col_text(st, 2));
		lower_ascii(e->name);
		e->name_len = strlen(e->name);
		e->text = arena_strdup(ix->arena, db_col_text(st, 16));
		lower_ascii(e->text);
		e->json = render(ix->arena, st);
		e->dept_id = sqlite3_column_int64(st, 4);
		snprintf(e->type, sizeof e->type, "%s", db_col_text(st, 5));
		e->level = sqlite3_column_int(st, 6);
		snprintf(e->region, sizeof e->region, "%s", db_col_text(st, 7));
		e->targets = sqlite3_column_int64(st, 8);
		e->tags = sqlite3_column_int64(st, 9);
		e->lists = sqlite3_column_int64(st, 10);
		e->life_events = sqlite3_column_int64(st, 11);
	}
	sqlite3_reset(st);
	qsort(ix->e, ix->n, sizeof *ix->e, entry_order);

	grow(ix);
	for (uint32_t i = 0; i < ix->n; i++) {
		const char *p = ix->e[i].text;
		uint32_t prev = '\n';
		uint64_t name = IN_NAME; /* the name is the first field of the text */
		while (*p) {
			uint32_t c = next_cp(&p);
			if (c == '\n' || c == ' ') {
				prev = '\n';
				if (c == '\n')
					name = 0;
				continue;
			}
			add_posting(ix, key_one(c), i);
			if (name)
				add_posting(ix, key_one(c) | name, i);
			if (prev != '\n') {
				add_posting(ix, key_pair(prev, c), i);
				if (name)
					add_posting(ix, key_pair(prev, c) | name, i);
			}
			prev = c;
		}
	}
	/* Posting lists grew by doubling; give the slack back. */
	for (size_t k = 0; k < ix->tab_size; k++)
		if (ix->tab[k].key && ix->tab[k].cap > ix->tab[k].n) {
			ix->tab[k].ids = xrealloc(ix->tab[k].ids, ix->tab[k].n * sizeof(uint32_t));
			ix->tab[k].cap = ix->tab[k].n;
		}
	*out = ix;
	return 0;
}

/* The index for the database's current catalogue generation, read-locked; unlock when done. */
static int acquire(db_t *db, index_t **out)
{
	int64_t gen;
	if (db_generation(db, "catalog", &gen) != 0)
		return YW_EDB;
	pthread_rwlock_rdlock(&lock);
	if (current && current->generation == gen) {
		*out = current;
		return 0;
	}
	pthread_rwlock_unlock(&lock);
	pthread_rwlock_wrlock(&lock);
	if (!current || current->generation != gen) {
		index_t *ix;
		build(db, gen, &ix);
		index_free(current);
		current = ix;
	}
	pthread_rwlock_unlock(&lock);
	return acquire(db, out);
}

static bool bit_named(const char *const *set, int64_t bits, const char *name)
{
	int b = catalog_name_bit(set, name);
	return b >= 0 && (bits & ((int64_t)1 << b));
}

static bool passes(const entry_t *e, const catalog_query_t *q)
{
	if (q->dept_id && e->dept_id != q->dept_id)
		return false;
	if (q->level && e->level != q->level)
		return false;
	if (q->target && !(e->targets & ((int64_t)1 << q->target)))
		return false;
	if (q->type && *q->type && strcmp(e->type, q->type) != 0)
		return false;
	if (q->tag && *q->tag && !bit_named(catalog_tags, e->tags, q->tag))
		return false;
	if (q->list && *q->list && !bit_named(catalog_lists, e->lists, q->list))
		return false;
	if (q->life_event && *q->life_event && !bit_named(catalog_life_events, e->life_events, q->life_event))
		return false;
	if (q->region && *q->region && !auth_region_within(e->region, q->region))
		return false;
	return true;
}

int catalog_search(db_t *db, const catalog_query_t *q, char **json_out, size_t *len_out)
{
	/* Normalise the query: lower-case ASCII, drop spaces. */
	char norm[256];
	size_t nl = 0;
	uint32_t cps[64];
	int ncp = 0;
	for (const char *p = q->q ? q->q : ""; *p && ncp < 64;) {
		const char *start = p;
		uint32_t c = next_cp(&p);
		if (c == ' ' || c == '\t' || c == '\n' || c == 0x3000)
			continue;
		size_t n = (size_t)(p - start);
		if (nl + n >= sizeof norm)
			break;
		memcpy(norm + nl, start, n);
		for (size_t k = 0; k < n; k++)
			if (norm[nl + k] >= 'A' && norm[nl + k] <= 'Z')
				norm[nl + k] += 32;
		nl += n;
		cps[ncp++] = c;
	}
	norm[nl] = 0;

	index_t *ix;
	int rc = acquire(db, &ix);
	if (rc)
		return rc;

	/* Candidates: the shortest posting list among the query's pairs (or its one character). */
	const uint32_t *cand = NULL;
	uint32_t *own = NULL;
	uint32_t ncand = 0;
	bool all = ncp == 0;
	uint64_t key = 0;
	if (ncp == 1) {
		key = key_one(cps[0]);
	} else if (ncp == 2) {
		key = key_pair(cps[0], cps[1]);
	} else if (ncp > 2) {
		/* Items holding every pair of the query: the shortest list filtered by the others. */
		const plist_t *lists[63];
		int nlists = 0;
		for (int i = 1; i < ncp; i++) {
			const plist_t *p = slot(ix, key_pair(cps[i - 1], cps[i]), false);
			if (!p) {
				nlists = 0;
				break;
			}
			lists[nlists++] = p;
		}
		for (int i = 1; i < nlists; i++)
			if (lists[i]->n < lists[0]->n) {
				const plist_t *t = lists[0];
				lists[0] = lists[i];
				lists[i] = t;
			}
		if (nlists) {
			/* Walk the other lists alongside (all are sorted): linear in their lengths. */
			uint32_t pos[63] = {0};
			own = xmalloc(((size_t)lists[0]->n + 1) * sizeof *own);
			for (uint32_t k = 0; k < lists[0]->n; k++) {
				uint32_t id = lists[0]->ids[k];
				bool everywhere = true;
				for (int i = 1; i < nlists && everywhere; i++) {
					while (pos[i] < lists[i]->n && lists[i]->ids[pos[i]] < id)
						pos[i]++;
					everywhere = pos[i] < lists[i]->n && lists[i]->ids[pos[i]] == id;
				}
				if (everywhere)
					own[ncand++] = id;
			}
			cand = own;
		}
	}
	/* A query of one or two characters is its own posting key, so every candidate matches and
	 * the name-only list says which match by name: no substring search needed. */
	const plist_t *in_name = NULL;
	if (key) {
		plist_t *p = slot(ix, key, false);
		cand = p ? p->ids : NULL;
		ncand = p ? p->n : 0;
		in_name = slot(ix, key | IN_NAME, false);
	}
	if (all)
		ncand = ix->n;
	bool filtered = q->dept_id || q->level || q->target || (q->type && *q->type) || (q->tag && *q->tag) ||
			(q->list && *q->list) || (q->life_event && *q->life_event) || (q->region && *q->region);
	uint64_t need = (uint64_t)(q->page - 1) * (uint64_t)q->page_size + (uint64_t)q->page_size;

	uint32_t *bucket[4];
	uint32_t nb[4] = {0};
	uint32_t *space = xmalloc(((size_t)ncand + 1) * 4 * sizeof(uint32_t));
	for (int b = 0; b < 4; b++)
		bucket[b] = space + (size_t)b * (ncand + 1);
	/* Which candidates may hold the query in their name: those in the name-only lists of all
	 * its pairs (exactly the name-only list for one or two characters). */
	const plist_t *name_lists[63];
	uint32_t name_pos[63] = {0};
	int nname = 0;
	if (key) {
		if (in_name)
			name_lists[nname++] = in_name;
	} else if (!all) {
		for (int i = 1; i < ncp; i++) {
			const plist_t *p = slot(ix, key_pair(cps[i - 1], cps[i]) | IN_NAME, false);
			if (!p) {
				nname = 0;
				break;
			}
			name_lists[nname++] = p;
		}
	}
	uint64_t counted = 0;
	for (uint32_t k = 0; k < ncand; k++) {
		uint32_t id = all ? k : cand[k];
		const entry_t *e = &ix->e[id];
		bool name_maybe = nname > 0;
		for (int i = 0; i < nname && name_maybe; i++) {
			const plist_t *p = name_lists[i];
			while (name_pos[i] < p->n && p->ids[name_pos[i]] < id)
				name_pos[i]++;
			name_maybe = name_pos[i] < p->n && p->ids[name_pos[i]] == id;
		}
		/* Unfiltered, the page only needs enough other-field matches after the name ones. */
		if (key && !name_maybe && !filtered && nb[3] >= need)
			continue;
		if (!passes(e, q))
			continue;
		int rank;
		if (all)
			rank = 3;
		else if (name_maybe && (key || strstr(e->name, norm)))
			rank = e->name_len == nl ? 0 : memcmp(e->name, norm, nl) == 0 ? 1 : 2;
		else if (key || strstr(e->text, norm))
			rank = 3;
		else
			continue;
		bucket[rank][nb[rank]++] = id;
		counted++;
	}
	uint64_t total = key && !filtered ? ncand : counted;
	uint64_t skip = (uint64_t)(q->page - 1) * (uint64_t)q->page_size, left = (uint64_t)q->page_size;

	/* Splice the pre-rendered objects into one response without re-encoding them. */
	size_t cap = 256, len = 0;
	char *buf = xmalloc(cap);
	len = (size_t)snprintf(buf, cap, "{\"total\":%llu,\"page\":%lld,\"page_size\":%lld,\"items\":[",
			       (unsigned long long)total, (long long)q->page, (long long)q->page_size);
	bool comma = false;
	for (int b = 0; b < 4 && left; b++)
		for (uint32_t k = 0; k < nb[b] && left; k++) {
			if (skip) {
				skip--;
				continue;
			}
			const char *js = ix->e[bucket[b][k]].json;
			size_t n = strlen(js);
			if (len + n + 4 > cap) {
				cap = (len + n + 4) * 2;
				buf = xrealloc(buf, cap);
			}
			if (comma)
				buf[len++] = ',';
			memcpy(buf + len, js, n);
			len += n;
			comma = true;
			left--;
		}
	pthread_rwlock_unlock(&lock);
	free(space);
	free(own);
	buf = xrealloc(buf, len + 3);
	memcpy(buf + len, "]}", 3);
	*json_out = buf;
	*len_out = len + 2;
	return 0;
}
