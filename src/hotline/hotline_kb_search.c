/* The operator's search (docs/architecture.md "Search"): as the operator types the caller's words,
 * the knowledge base's articles and the catalogue's item guides in one ranked list. Both are
 * ranked by the catalogue's machinery (catalog.h: the same characters and pairs, filler words and
 * field weights), so their scores are on one scale and merge by score. An article is indexed as
 * a guide is: its title as the name (100), the citizen's question as the result (70), its keywords
 * as aliases (60), its unit and matter as the department (25), its answer as the rest (10). The
 * index holds every published version and is rebuilt when meta.hotline_kb moves on (a publish, a
 * withdrawal or a use); the dates are checked at each query, so an article stops being served the
 * day after it expires without any write. A guide brings the names of its materials (from the
 * catalogue's index, no database read), for "要带什么". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "hotline/hotline_kb.h"
#include "platform/arena.h"
#include "platform/date.h"
#include "platform/err.h"

typedef struct doc {
	char *json;        /* the article's object in the answer, without kind and score */
	char from[11], to[11]; /* served from, to (to "" when open) */
} doc_t;

typedef struct kb_index {
	catalog_textindex_t *ix;
	doc_t *docs;
	size_t n, cap;
	int64_t generation;
} kb_index_t;

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static kb_index_t *current; /* guarded by lock */

typedef struct loading {
	kb_index_t *k;
	catalog_textdoc_t *td;
	size_t tcap;
	char **texts, **titles; /* owned: the row's own text is gone once the next row is read */
} loading_t;

static json_t *keywords_json(const char *s)
{
	json_t *a = json_array();
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s = nl ? nl + 1 : s + n;
	}
	return a;
}

static int load_doc(void *arg, const hotline_kb_row_t *r)
{
	loading_t *l = arg;
	kb_index_t *k = l->k;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		k->docs = xrealloc(k->docs, k->cap * sizeof *k->docs);
		l->td = xrealloc(l->td, k->cap * sizeof *l->td);
		l->texts = xrealloc(l->texts, k->cap * sizeof *l->texts);
		l->titles = xrealloc(l->titles, k->cap * sizeof *l->titles);
	}
	doc_t *d = &k->docs[k->n];
	memset(d, 0, sizeof *d);
	snprintf(d->from, sizeof d->from, "%s", r->effective_from);
	snprintf(d->to, sizeof d->to, "%s", r->expires_on);
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:I, s:s, s:I, s:s, s:I, s:s, s:o}", "id",
			      (json_int_t)r->article_id, "version", (json_int_t)r->version, "title", r->title, "question",
			      r->question, "answer", r->answer, "keywords", keywords_json(r->keywords), "matter_id",
			      (json_int_t)r->matter_id, "matter", r->matter, "unit_id", (json_int_t)r->unit_id, "unit",
			      r->unit, "uses", (json_int_t)r->uses, "effective_from", r->effective_from, "expires_on",
			      *r->expires_on ? json_string(r->expires_on) : json_null());
	d->json = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	/* the fields in the catalogue's layout: name, result, aliases and keywords, department, rest */
	size_t len = strlen(r->title) + strlen(r->question) + strlen(r->keywords) + strlen(r->unit) + strlen(r->matter) +
		     strlen(r->answer) + 16;
	char *t = xmalloc(len);
	snprintf(t, len, "%s\x1f%s\n\x1f%s\n\x1f%s\n%s\n\x1f%s", r->title, r->question, r->keywords, r->unit, r->matter,
		 r->answer);
	l->texts[k->n] = t;
	l->titles[k->n] = xstrdup(r->title);
	l->td[k->n] = (catalog_textdoc_t){l->titles[k->n], t, (int64_t)k->n};
	k->n++;
	return 0;
}

static void kb_index_free(kb_index_t *k)
{
	if (!k)
		return;
	catalog_textindex_free(k->ix);
	for (size_t i = 0; i < k->n; i++)
		free(k->docs[i].json);
	free(k->docs);
	free(k);
}

static int build(db_t *db, int64_t generation, kb_index_t **out)
{
	kb_index_t *k = xcalloc(1, sizeof *k);
	k->generation = generation;
	loading_t l = {.k = k};
	int rc = hotline_kb_store_published_each(db, load_doc, &l);
	if (!rc)
		k->ix = catalog_textindex_new(l.td, k->n);
	for (size_t i = 0; i < k->n; i++) {
		free(l.texts[i]);
		free(l.titles[i]);
	}
	free(l.texts);
	free(l.titles);
	free(l.td);
	if (rc) {
		kb_index_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

/* The index for the current generation, read-locked; unlock when done. */
static int acquire(db_t *db, kb_index_t **out)
{
	int64_t gen;
	int rc = hotline_kb_store_generation(db, &gen);
	if (rc)
		return rc;
	for (;;) {
		pthread_rwlock_rdlock(&lock);
		if (current && current->generation == gen) {
			*out = current;
			return 0;
		}
		pthread_rwlock_unlock(&lock);
		pthread_rwlock_wrlock(&lock);
		if (!current || current->generation != gen) {
			kb_index_t *k;
			if ((rc = build(db, gen, &k)) != 0) {
				pthread_rwlock_unlock(&lock);
				return rc;
			}
			kb_index_free(current);
			current = k;
		}
		pthread_rwlock_unlock(&lock);
	}
}

/* A guide's object with its materials' names, for "要带什么". */
static json_t *guide_json(const catalog_guide_hit_t *g, int score)
{
	json_t *o = json_loads(g->json, 0, NULL);
	if (!o)
		return NULL;
	json_t *materials = json_array();
	for (const char *s = g->materials; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n)
			json_array_append_new(materials, json_stringn(s, n));
		s += n + (nl != NULL);
	}
	json_object_set_new(o, "materials", materials);
	json_object_set_new(o, "kind", json_string("guide"));
	json_object_set_new(o, "score", json_integer(score));
	return o;
}

typedef struct merged {
	int score;
	bool article;
	size_t at; /* the article's doc or the guide's hit */
} merged_t;

static int merged_order(const void *a, const void *b)
{
	const merged_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->article != y->article) /* the centre's own answer first on a tie */
		return x->article ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

int hotline_kb_search(db_t *db, const char *q, int64_t limit, int64_t now, char **json_out, size_t *len_out)
{
	char day[11];
	date_format(date_today_local(now), day);
	size_t max = (size_t)limit;
	catalog_guide_hit_t *guides = xcalloc(max, sizeof *guides);
	size_t ng = 0;
	int rc = catalog_search_scored(db, q, true, max, guides, &ng);
	if (rc) {
		free(guides);
		return rc;
	}
	kb_index_t *k;
	if ((rc = acquire(db, &k)) != 0) {
		for (size_t i = 0; i < ng; i++) {
			free(guides[i].json);
			free(guides[i].materials);
		}
		free(guides);
		return rc;
	}
	/* articles out of their dates are skipped: ask for a few more than the page */
	size_t want = max + 32;
	catalog_hit_t *hits = xcalloc(want, sizeof *hits);
	size_t nh = catalog_textindex_query(k->ix, q, true, hits, want);
	merged_t *m = xcalloc(max + ng + 1, sizeof *m);
	size_t nm = 0, na = 0;
	for (size_t i = 0; i < nh && na < max; i++) {
		const doc_t *d = &k->docs[hits[i].ref];
		if (strcmp(d->from, day) > 0 || (*d->to && strcmp(d->to, day) < 0))
			continue;
		m[nm++] = (merged_t){hits[i].score, true, (size_t)hits[i].ref};
		na++;
	}
	for (size_t i = 0; i < ng; i++)
		m[nm++] = (merged_t){guides[i].score, false, i};
	qsort(m, nm, sizeof *m, merged_order);
	if (nm > max)
		nm = max;
	size_t cap = 256, len = 0;
	char *buf = xmalloc(cap);
	len = (size_t)snprintf(buf, cap, "{\"items\":[");
	for (size_t i = 0; i < nm; i++) {
		char *piece, head[64];
		bool own = false;
		if (m[i].article) {
			const char *js = k->docs[m[i].at].json; /* "{...}": kind and score go in front */
			int hn = snprintf(head, sizeof head, "{\"kind\":\"article\",\"score\":%d,", m[i].score);
			size_t n = strlen(js);
			piece = xmalloc((size_t)hn + n);
			memcpy(piece, head, (size_t)hn);
			memcpy(piece + hn, js + 1, n); /* with its NUL */
			own = true;
		} else {
			json_t *g = guide_json(&guides[m[i].at], m[i].score);
			piece = g ? json_dumps(g, JSON_COMPACT) : NULL;
			json_decref(g);
			own = piece != NULL;
		}
		if (!piece)
			continue;
		size_t n = strlen(piece);
		if (len + n + 4 > cap) {
			cap = (len + n + 4) * 2;
			buf = xrealloc(buf, cap);
		}
		if (len > 10)
			buf[len++] = ',';
		memcpy(buf + len, piece, n);
		len += n;
		if (own)
			free(piece);
	}
	pthread_rwlock_unlock(&lock);
	buf = xrealloc(buf, len + 3);
	memcpy(buf + len, "]}", 3);
	*json_out = buf;
	*len_out = len + 2;
	free(m);
	free(hits);
	for (size_t i = 0; i < ng; i++) {
		free(guides[i].json);
		free(guides[i].materials);
	}
	free(guides);
	return 0;
}
