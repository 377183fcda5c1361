/* Catalogue search over published items, in memory, ranked by where the query matches.
 * Chinese has no spaces and people type one or two characters ("社保", "户") or the words they
 * use for a thing ("身份证丢了", "开饭店"), so the index maps every character and every pair of
 * adjacent characters of an item's searchable text to the items holding it, once for the whole
 * text and once per weighted field: name, result (办理结果, the licence the item produces),
 * aliases and keywords (俗称 and 关键词, edited by departments), department. Materials count
 * only in the whole-text lists, so they rank last.
 *
 * A query is split into terms on spaces and punctuation, with filler words citizens add
 * ("我要", "怎么办") taken off a term's ends; every term must match (AND). A term matches a field
 * fully when all its pairs occur there, or in part when each of its characters lies in a pair
 * that occurs there ("食品许可" in "食品生产许可"; in order scores a little more). An item's score
 * is the sum over terms of the best field's weight, with a bonus for a second strong field and
 * for a name equal to, or starting with, the whole query. Ties go to the shorter name, then the
 * code: entries are numbered in that order, so candidates, walked in id order, need sorting only
 * by score. The index is rebuilt when meta.catalog (bumped by every publish and withdraw, in any
 * server process sharing the database) moves on. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog.h"
#include "platform/arena.h"
#include "platform/err.h"

/* Posting-list classes: the whole text and each weighted field. */
enum { C_ANY, C_NAME, C_RESULT, C_ALIAS, C_DEPT, C_OTHER };
#define NCLASS 5 /* classes with lists; C_OTHER (materials) is only in C_ANY */

typedef struct entry {
	char *name;  /* lower-cased copy for matching */
	const char *text; /* lower-cased search text, for confirming long terms matched only there (interned) */
	/* the result-list object, rendered the first time the item is in an answer (entry_json) and
	 * kept: a cold start builds the index for its first search and renders only what it answers */
	char *json;
	const char *code, *display_name, *dept; /* what the object shows (an item's; NULL for a document) */
	size_t name_len, text_len;
	uint64_t head; /* the name's first 8 bytes (zero-padded), to test a prefix without reading it */
	int64_t dept_id, targets, tags, lists, life_events;
	int64_t ref; /* a document of another module's index: the caller's reference */
	int level, handling_class, promised_days, visits, online_depth;
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


static uint64_t key_pair(int cls, uint32_t a, uint32_t b)
{
	return ((uint64_t)cls << 48 | (uint64_t)a << 21 | b) + 1;
}

static uint64_t key_one(int cls, uint32_t a)
{
	return ((uint64_t)cls << 48 | (uint64_t)1 << 42 | a) + 1;
}

/* Items with a whole entry (the result, an alias or keyword) equal to a string, by the string's
 * hash: a collision (two strings in 2^47) could only add a small bonus where it is not due. */
static uint64_t key_whole(int cls, uint64_t hash)
{
	return ((uint64_t)(cls + 8) << 48 | (hash & (((uint64_t)1 << 47) - 1))) + 1;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 0x100000001b3ull;
	}
	return h;
}

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
	for (uint32_t i = 0; i < ix->n; i++)
		free(ix->e[i].json);
	free(ix->e);
	arena_free(ix->arena);
	free(ix);
}

/* The item's object in a result list. */
static char *render(const entry_t *e)
{
	json_t *targets = json_array();
	for (int t = 1; t <= 6; t++)
		if (e->targets & ((int64_t)1 << t))
			json_array_append_new(targets, json_integer(t));
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:i, s:s, s:i, s:i, s:i, s:i, s:o, s:o}", "code", e->code,
			      "name", e->display_name, "dept", e->dept, "dept_id", (json_int_t)e->dept_id, "type", e->type,
			      "level", e->level, "region", e->region, "handling_class", e->handling_class,
			      "promised_limit_days", e->promised_days, "visits", e->visits, "online_depth",
			      e->online_depth, "tags", catalog_bits_json(catalog_tags, e->tags), "targets", targets);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s) {
		fputs("yiwang: out of memory\n", stderr); /* arena.h's policy */
		abort();
	}
	return s;
}

/* The entry's result-list object. Queries run under the read lock on many threads at once: the
 * first to need it renders it and publishes it with a compare-and-swap, and a thread that lost the
 * race frees its own copy, so every reader sees one string for the index's life. */
static const char *entry_json(entry_t *e)
{
	char *js = __atomic_load_n(&e->json, __ATOMIC_ACQUIRE);
	if (js)
		return js;
	char *mine = render(e), *none = NULL;
	if (__atomic_compare_exchange_n(&e->json, &none, mine, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return mine;
	free(mine);
	return none;
}

/* Adds entry id's characters and pairs to the lists of the whole text and of the field each is
 * in, and its whole result and alias entries. The text is catalog_validate's: fields closed by
 * '\x1f' in class order, entries ended by '\n'. */
static void index_text(index_t *ix, uint32_t id, const char *p)
{
	int cls = C_NAME;
	bool marked = strchr(p, '\x1f') != NULL;
	uint32_t prev = 0;
	const char *entry = p; /* where the current entry ('\n'-ended) began */
	while (*p) {
		const char *at = p;
		uint32_t c = next_cp(&p);
		if (c == '\n' && (cls == C_RESULT || cls == C_ALIAS) && at > entry)
			add_posting(ix, key_whole(cls, hash_bytes(entry, (size_t)(at - entry))), id);
		if (c == 0x1f || c == '\n')
			entry = p;
		if (c == 0x1f || c == '\n' || c == ' ') {
			prev = 0;
			if (c == 0x1f)
				cls = cls < C_DEPT ? cls + 1 : C_OTHER;
			else if (c == '\n' && !marked)
				cls = C_OTHER; /* a text without field marks: the name line, then the rest */
			continue;
		}
		add_posting(ix, key_one(C_ANY, c), id);
		if (prev)
			add_posting(ix, key_pair(C_ANY, prev, c), id);
		if (cls != C_OTHER) {
			add_posting(ix, key_one(cls, c), id);
			if (prev)
				add_posting(ix, key_pair(cls, prev, c), id);
		}
		prev = c;
	}
}

/* Entries [from, to) of part->e into part's own table. */
typedef struct index_range {
	index_t *part;
	uint32_t from, to;
} index_range_t;

static void *index_range(void *arg)
{
	index_range_t *r = arg;
	for (uint32_t i = r->from; i < r->to; i++)
		index_text(r->part, i, r->part->e[i].text);
	return NULL;
}

/* Indexes every entry of ix. A cold start builds the index for its first search, so the second
 * half of the entries is indexed on a thread of its own into a table of its own and then appended
 * list by list: its ids all follow the first half's, so every list stays sorted, and the index is
 * the same as one built in a single pass. */
static void index_entries(index_t *ix)
{
	grow(ix);
	index_t second = {.e = ix->e, .n = ix->n};
	index_range_t a = {ix, 0, ix->n}, b = {&second, ix->n / 2, ix->n};
	pthread_t th;
	bool split = ix->n >= 4096;
	if (split) {
		grow(&second);
		split = pthread_create(&th, NULL, index_range, &b) == 0;
		if (!split)
			free(second.tab);
	}
	if (split)
		a.to = b.from;
	index_range(&a);
	if (!split)
		return;
	pthread_join(th, NULL);
	for (size_t k = 0; k < second.tab_size; k++) {
		plist_t *q = &second.tab[k];
		if (!q->key)
			continue;
		plist_t *p = slot(ix, q->key, true);
		/* copied, not taken over: the thread's allocations are all freed, so the heap the C
		 * library gave that thread empties and can be given back to the system */
		if (p->cap < p->n + q->n) {
			p->cap = p->n + q->n;
			p->ids = xrealloc(p->ids, p->cap * sizeof *p->ids);
		}
		memcpy(p->ids + p->n, q->ids, q->n * sizeof *q->ids);
		p->n += q->n;
		free(q->ids);
	}
	free(second.tab);
}

static int entry_order(const void *a, const void *b)
{
	const entry_t *x = a, *y = b;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	if (!x->code || !y->code) /* another module's documents: by their references */
		return x->ref < y->ref ? -1 : x->ref > y->ref;
	return strcmp(x->code, y->code);
}

/* Texts are interned while an index is built: a service offered by the city, its districts and
 * their streets has the same guide text many times over, and one copy of each is enough. */
typedef struct {
	const char **slots;
	size_t size; /* power of two, at least twice the entries */
} intern_t;

static const char *intern(intern_t *t, arena_t *arena, const char *s, size_t len)
{
	for (size_t k = hash_bytes(s, len) & (t->size - 1);; k = (k + 1) & (t->size - 1)) {
		if (!t->slots[k])
			return t->slots[k] = arena_strndup(arena, s, len);
		if (strlen(t->slots[k]) == len && memcmp(t->slots[k], s, len) == 0)
			return t->slots[k];
	}
}

/* What build() fills while the published versions are read. */
typedef struct loading {
	index_t *ix;
	int64_t count;
	intern_t texts;
	char *lowered;
	size_t lowered_cap;
} loading_t;

static int load_entry(void *arg, const catalog_published_row_t *r)
{
	loading_t *l = arg;
	index_t *ix = l->ix;
	if ((int64_t)ix->n >= l->count)
		return 1; /* stopped at the count read first: items published since wait for the next build */
	entry_t *e = &ix->e[ix->n++];
	e->code = arena_strdup(ix->arena, r->code);
	e->name = arena_strdup(ix->arena, r->name);
	lower_ascii(e->name);
	e->name_len = strlen(e->name);
	e->display_name = strcmp(e->name, r->name) == 0 ? e->name : arena_strdup(ix->arena, r->name);
	e->dept = intern(&l->texts, ix->arena, r->dept, strlen(r->dept));
	memcpy(&e->head, e->name, e->name_len < 8 ? e->name_len : 8);
	e->text_len = strlen(r->search_text);
	if (e->text_len + 1 > l->lowered_cap)
		l->lowered = xrealloc(l->lowered, l->lowered_cap = 2 * (e->text_len + 1));
	memcpy(l->lowered, r->search_text, e->text_len + 1);
	lower_ascii(l->lowered);
	e->text = intern(&l->texts, ix->arena, l->lowered, e->text_len);
	e->dept_id = r->dept_id;
	e->handling_class = r->handling_class;
	e->promised_days = r->promised_days;
	e->visits = r->visits;
	e->online_depth = r->online_depth;
	snprintf(e->type, sizeof e->type, "%s", r->type);
	e->level = r->level;
	snprintf(e->region, sizeof e->region, "%s", r->region);
	e->targets = r->targets;
	e->tags = r->tags;
	e->lists = r->lists;
	e->life_events = r->life_events;
	return 0;
}

static int build(db_t *db, int64_t generation, index_t **out)
{
	int64_t count;
	int rc = catalog_store_published_count(db, &count);
	if (rc)
		return rc;
	index_t *ix = xcalloc(1, sizeof *ix);
	ix->arena = arena_new();
	ix->generation = generation;
	ix->e = xcalloc((size_t)count + 1, sizeof *ix->e);
	loading_t l = {.ix = ix, .count = count, .texts = {NULL, 16}};
	while (l.texts.size < 2 * (size_t)count + 2)
		l.texts.size *= 2;
	l.texts.slots = xcalloc(l.texts.size, sizeof *l.texts.slots);
	rc = catalog_store_published_each(db, load_entry, &l);
	free(l.texts.slots);
	free(l.lowered);
	if (rc < 0) {
		index_free(ix);
		return rc;
	}
	qsort(ix->e, ix->n, sizeof *ix->e, entry_order);

	index_entries(ix);
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
	int rc = catalog_store_generation(db, &gen);
	if (rc)
		return rc;
	pthread_rwlock_rdlock(&lock);
	if (current && current->generation == gen) {
		*out = current;
		return 0;
	}
	pthread_rwlock_unlock(&lock);
	pthread_rwlock_wrlock(&lock);
	if (!current || current->generation != gen) {
		index_t *ix;
		if ((rc = build(db, gen, &ix)) != 0) {
			pthread_rwlock_unlock(&lock); /* the index in use, if any, stays */
			return rc;
		}
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

/* ---- the query ---- */

#define MAX_TERMS 8
#define MAX_TERM_CPS 24

/* A cursor into a posting list, moved forward only: candidates are looked up in id order. */
typedef struct cursor {
	const plist_t *p;
	uint32_t pos;
} cursor_t;

/* has() past the cursor's next entry: galloping, so a long list costs what the lookups need. */
static bool __attribute__((noinline)) has_far(cursor_t *c, uint32_t id)
{
	const plist_t *p = c->p;
	uint32_t i = c->pos, n = p->n;
	if (i < n && p->ids[i] < id) {
		uint32_t lo = i, step = 1, hi = i + 1;
		while (hi < n && p->ids[hi] < id) {
			lo = hi;
			step <<= 1;
			hi = lo + step;
		}
		if (hi > n)
			hi = n;
		lo++;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (p->ids[mid] < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		i = lo;
	}
	c->pos = i;
	return i < n && p->ids[i] == id;
}

/* Whether the list holds id. Candidates come in id order and mostly sit at or next to the
 * cursor, so that case is inline and the gallop is a call. */
static inline bool has(cursor_t *c, uint32_t id)
{
	const plist_t *p = c->p;
	if (!p)
		return false;
	uint32_t i = c->pos;
	if (i < p->n && p->ids[i] >= id)
		return p->ids[i] == id;
	if (i + 1 < p->n && p->ids[i + 1] >= id) {
		c->pos = i + 1;
		return p->ids[i + 1] == id;
	}
	return has_far(c, id);
}

typedef struct term {
	uint32_t cp[MAX_TERM_CPS];
	size_t off[MAX_TERM_CPS + 1]; /* byte offsets of the characters in text */
	char text[MAX_TERM_CPS * 4 + 1];
	int n;
	/* the term's pairs (its character when n == 1) in each class */
	cursor_t cur[NCLASS][MAX_TERM_CPS];
	cursor_t whole[2]; /* items whose result, or one of whose aliases and keywords, is the term */
} term_t;

/* Field weights of a full match, and of a match in part (indexed by class). */
static const int w_full[] = {[C_NAME] = 100, [C_RESULT] = 70, [C_ALIAS] = 60, [C_DEPT] = 25};
static const int w_part[] = {[C_NAME] = 45, [C_RESULT] = 32, [C_ALIAS] = 28, [C_DEPT] = 12};
enum { W_OTHER = 10, W_IN_ORDER = 5, W_SECOND_FULL = 4, W_SECOND_PART = 2, W_EXACT = 300, W_PREFIX = 60,
       W_WHOLE_ENTRY = 8 };

/* Words citizens put around what they want ("我要开饭店", "身份证丢了怎么办"), taken off a
 * term's ends. Longer phrases first. */
static const char *const lead_fillers[] = {"请问", "我要办理", "我想办理", "我要办", "我想办", "我要", "我想", "想要",
					   "想办理", "想办", "如何办理", "怎么办理", "如何", "怎么", "怎样", "在哪里",
					   "在哪", "哪里", "办理", NULL};
static const char *const tail_fillers[] = {"需要什么材料", "需要哪些材料", "要什么材料", "要哪些材料", "怎么办理",
					   "如何办理", "在哪里办", "去哪里办", "去哪办", "在哪办", "怎么办", "怎么弄",
					   "怎么申请", "如何申请", "流程", "手续", "材料", "办理", "了吗", "吗", "呢", "了",
					   "啦", NULL};

/* What a caller says around the matter on the phone ("办身份证要带什么", "请问一下社保卡丢了咋办"),
 * taken off as well by the hotline's searches (spoken); the catalogue's own search leaves them. */
static const char *const spoken_lead[] = {"你好", "您好", "请问一下", "问一下", "一下", "我想问一下", "我想咨询一下",
					  "我想咨询", "咨询一下", "咨询", "我想了解", "了解一下", "我家", "我们", "我的", "想问",
					  "要办", "去办", "办个", "办张", "办", "我", NULL};
static const char *const spoken_tail[] = {"需要带什么材料", "需要带什么", "要带什么东西", "要带什么", "要带哪些", "带什么",
					  "需要什么", "要什么", "要准备什么", "准备什么", "咋办理", "咋办", "咋弄", "怎么搞",
					  "该怎么办", "怎么处理", "怎么投诉", "怎么举报", "找谁", "找哪里", "归谁管", "谁管",
					  "可以吗", "行不行", "能不能办", "能办吗", "在哪", "哪里办", "多少钱", "收费吗", "一下",
					  "要带啥", "带啥", "需要啥", "要啥", "啥", "要准备", "要交", "要带", "得带", "带", "要",
					  "得", "有", "啊", "呀", "吧", NULL};
/* Question words inside a caller's sentence split it into terms ("公积金怎么提取": 公积金, 提取); the
 * longer ones first, so that "驾照过期了咋整" leaves no lone 整 to match. */
static const char *const spoken_breaks[] = {"咋整", "咋办", "咋弄", "咋搞", "怎么整", "怎么弄", "怎么搞", "怎么",
					    "如何", "怎样", "咋", "什么", "哪些", "哪里", "在哪", "需要", "有没有",
					    "能不能", "可不可以", "是不是", "为什么", NULL};

/* A measure word after a verb, as callers say it ("开个饭店", "办个证"): the 个 goes (个体户 stays). */
static const char *const spoken_elide[][2] = {{"开个", "开"}, {"办个", "办"}, {"买个", "买"}, {"换个", "换"},
					      {"补个", "补"}, {"生个", "生"}, {"领个", "领"}, {NULL, NULL}};

static bool is_separator(uint32_t c)
{
	static const uint32_t cjk[] = {0x3000, 0x3001, 0x3002, 0xFF0C, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0x201C, 0x201D,
				       0x2018, 0x2019, 0xFF08, 0xFF09, 0x300A, 0x300B, 0x3010, 0x3011, 0x00B7, 0x2026,
				       0x2014, 0xFF0F, 0xFF5E, 0x7684 /* 的: "父母的房子" */, 0};
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	for (int i = 0; cjk[i]; i++)
		if (cjk[i] == c)
			return true;
	return false;
}

/* Takes one phrase of the list off the term's start (lead) or end; whether it did. */
static bool trim_one(term_t *t, const char *const *list, bool lead)
{
	for (int k = 0; list[k]; k++) {
		size_t n = strlen(list[k]);
		size_t len = strlen(t->text);
		if (len <= n)
			continue;
		if (lead && memcmp(t->text, list[k], n) == 0) {
			memmove(t->text, t->text + n, len - n + 1);
			return true;
		}
		if (!lead && memcmp(t->text + len - n, list[k], n) == 0) {
			t->text[len - n] = 0;
			return true;
		}
	}
	return false;
}

/* Takes filler phrases off the ends of t->text (unless nothing would be left); spoken: a
 * caller's phrases too, each only while two characters or more are left ("办证" stays). */
static void trim_fillers(term_t *t, bool spoken)
{
	for (bool again = true; again;) {
		again = trim_one(t, lead_fillers, true);
		again |= trim_one(t, tail_fillers, false);
		if (spoken) {
			char keep[sizeof t->text];
			memcpy(keep, t->text, sizeof keep);
			if (trim_one(t, spoken_tail, false) || trim_one(t, spoken_lead, true)) {
				size_t cps = 0;
				for (const char *s = t->text; *s; s++)
					cps += ((unsigned char)*s & 0xC0) != 0x80;
				if (cps < 2)
					memcpy(t->text, keep, sizeof keep);
				else
					again = true;
			}
		}
	}
}

/* Whether a spoken term is nothing but a filler ("你好", "请问一下" alone): it is dropped. */
static bool only_filler(const char *text)
{
	const char *const *lists[] = {lead_fillers, tail_fillers, spoken_lead, spoken_tail};
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (int k = 0; lists[l][k]; k++)
			if (strcmp(text, lists[l][k]) == 0)
				return true;
	return false;
}

/* Splits the query into terms (lower-cased, fillers off) on spaces, punctuation and 的;
 * returns their count. */
static int parse_query(const char *q, bool spoken, term_t *terms, char *norm, size_t norm_size)
{
	int nt = 0;
	size_t nl = 0;
	const char *p = q ? q : "";
	char *broken = NULL;
	if (spoken && *p) { /* question words become spaces, measure words go: same length or shorter */
		broken = xstrdup(p);
		size_t w = 0;
		for (const char *r = p; *r;) {
			int k = 0;
			while (spoken_breaks[k] && strncmp(r, spoken_breaks[k], strlen(spoken_breaks[k])) != 0)
				k++;
			int e = 0;
			while (spoken_elide[e][0] && strncmp(r, spoken_elide[e][0], strlen(spoken_elide[e][0])) != 0)
				e++;
			if (spoken_breaks[k]) {
				broken[w++] = ' ';
				r += strlen(spoken_breaks[k]);
			} else if (spoken_elide[e][0]) {
				memcpy(broken + w, spoken_elide[e][1], strlen(spoken_elide[e][1]));
				w += strlen(spoken_elide[e][1]);
				r += strlen(spoken_elide[e][0]);
			} else {
				broken[w++] = *r++;
			}
		}
		broken[w] = 0;
		p = broken;
	}
	while (*p && nt < MAX_TERMS) {
		term_t *t = &terms[nt];
		size_t len = 0;
		int ncp = 0;
		bool de = false; /* the term ended at 的, which the name may have: kept in norm */
		while (*p) {
			const char *start = p;
			uint32_t c = next_cp(&p);
			if (is_separator(c)) {
				if (ncp) {
					de = c == 0x7684;
					break;
				}
				continue;
			}
			size_t n = (size_t)(p - start);
			if (ncp == MAX_TERM_CPS)
				continue; /* the rest of an overlong term is dropped */
			memcpy(t->text + len, start, n);
			for (size_t k = 0; k < n; k++)
				if (t->text[len + k] >= 'A' && t->text[len + k] <= 'Z')
					t->text[len + k] += 32;
			len += n;
			ncp++;
		}
		if (!ncp)
			break;
		t->text[len] = 0;
		trim_fillers(t, spoken);
		if (spoken && only_filler(t->text))
			continue;
		t->n = 0;
		for (const char *s = t->text; *s;) {
			t->off[t->n] = (size_t)(s - t->text);
			t->cp[t->n++] = next_cp(&s);
		}
		t->off[t->n] = strlen(t->text);
		size_t tl = strlen(t->text);
		if (nl + tl + 3 < norm_size) {
			memcpy(norm + nl, t->text, tl);
			nl += tl;
			if (de) {
				memcpy(norm + nl, "的", 3);
				nl += 3;
			}
		}
		nt++;
	}
	norm[nl] = 0;
	free(broken);
	return nt;
}

static void term_lists(index_t *ix, term_t *t)
{
	uint64_t h = hash_bytes(t->text, strlen(t->text));
	t->whole[0] = (cursor_t){slot(ix, key_whole(C_RESULT, h), false), 0};
	t->whole[1] = (cursor_t){slot(ix, key_whole(C_ALIAS, h), false), 0};
	for (int cls = 0; cls < NCLASS; cls++)
		for (int j = 0; j < (t->n == 1 ? 1 : t->n - 1); j++) {
			uint64_t k = t->n == 1 ? key_one(cls, t->cp[0]) : key_pair(cls, t->cp[j], t->cp[j + 1]);
			t->cur[cls][j] = (cursor_t){slot(ix, k, false), 0};
		}
}

/* Whether the term's chunks (runs of pairs present in the name) occur in the name in order. */
static bool in_order(const term_t *t, const bool *present, const char *name)
{
	const char *at = name;
	for (int s = 0; s < t->n;) {
		int e = s;
		while (e < t->n - 1 && present[e])
			e++;
		char chunk[sizeof t->text];
		size_t n = t->off[e + 1] - t->off[s];
		memcpy(chunk, t->text + t->off[s], n);
		chunk[n] = 0;
		const char *f = strstr(at, chunk);
		if (!f)
			return false;
		at = f + n;
		s = e + 1;
	}
	return true;
}

/* A term of four or more characters found only in the text as a whole holds all its pairs
 * there, but they may come from different words ("身份证" and "结婚证丢了" for "身份证丢了"):
 * it matches only as one string. Shorter terms are rarely split that way. */
static bool confirmed(const term_t *t, const entry_t *e)
{
	return t->n < 4 || memmem(e->text, e->text_len, t->text, t->off[t->n]) != NULL;
}

/* Whether the term is a whole entry of the field (the result "营业执照", an alias), not just in one. */
static bool whole_entry(term_t *t, uint32_t id, int cls)
{
	return has(&t->whole[cls == C_RESULT ? 0 : 1], id);
}

/* The term's score for entry id (0: no match); *name_full says whether it is all in the name.
 * any_full: the candidate is known to hold all the term's pairs in its text. */
static int term_score(term_t *t, uint32_t id, const entry_t *e, bool any_full, bool *name_full)
{
	int np = t->n == 1 ? 1 : t->n - 1;
	*name_full = false;
	if (!any_full) {
		any_full = true;
		for (int j = 0; j < np && any_full; j++)
			any_full = has(&t->cur[C_ANY][j], id);
	}
	if (t->n <= 2 && !any_full)
		return 0;
	int best = any_full ? W_OTHER : 0, best_bonus = 0, bonus = 0;
	for (int cls = C_NAME; cls <= C_DEPT; cls++) {
		/* Every character must be in a present pair, fully or in part: the first character has only
		 * the first pair, and a character between two absent pairs has none, so either ends the
		 * field's check early (most fields of most candidates end at the first pair). */
		bool present[MAX_TERM_CPS], full = true, hopeless = false;
		for (int j = 0; j < np && !hopeless; j++) {
			present[j] = has(&t->cur[cls][j], id);
			full &= present[j];
			hopeless = !present[j] && (j == 0 || !present[j - 1] || j == np - 1);
		}
		if (hopeless)
			continue;
		int w = 0, b = 0;
		if (full) {
			w = w_full[cls];
			b = cls == C_DEPT ? 0 : W_SECOND_FULL;
			if ((cls == C_RESULT || cls == C_ALIAS) && whole_entry(t, id, cls))
				w += W_WHOLE_ENTRY;
			if (cls == C_NAME)
				*name_full = true;
		} else if (t->n >= 3) {
			/* in part: every character in a pair present in this field */
			bool covered = true;
			for (int i = 0; i < t->n && covered; i++)
				covered = (i > 0 && present[i - 1]) || (i < t->n - 1 && present[i]);
			if (covered) {
				w = w_part[cls];
				b = W_SECOND_PART;
				if (cls == C_NAME && in_order(t, present, e->name))
					w += W_IN_ORDER;
			}
		}
		bonus += b;
		if (w > best) {
			best = w;
			best_bonus = b;
		}
	}
	if (best == W_OTHER && !confirmed(t, e))
		return 0;
	/* a second strong field adds a little: e.g. a result and a keyword both saying 营业执照 */
	return best + bonus - best_bonus;
}

static bool any_filter(const catalog_query_t *q)
{
	return q->dept_id || q->level || q->target || (q->type && *q->type) || (q->tag && *q->tag) ||
	       (q->list && *q->list) || (q->life_event && *q->life_event) || (q->region && *q->region);
}

/* Ids in every one of the lists (sorted), into out; returns the count. */
static uint32_t intersect(const plist_t **lists, int n, uint32_t *out)
{
	for (int i = 1; i < n; i++)
		if (lists[i]->n < lists[0]->n) {
			const plist_t *t = lists[0];
			lists[0] = lists[i];
			lists[i] = t;
		}
	cursor_t cur[2 * MAX_TERM_CPS];
	for (int i = 0; i < n; i++)
		cur[i] = (cursor_t){lists[i], 0};
	uint32_t m = 0;
	for (uint32_t k = 0; k < lists[0]->n; k++) {
		uint32_t id = lists[0]->ids[k];
		bool all = true;
		for (int i = 1; i < n && all; i++)
			all = has(&cur[i], id);
		if (all)
			out[m++] = id;
	}
	return m;
}

/* The union of two sorted id lists into out; in_a[k] (if given) says whether out[k] is from a. */
static uint32_t merge_union(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb, uint32_t *out,
			    uint8_t *in_a)
{
	uint32_t i = 0, j = 0, n = 0;
	while (i < na || j < nb) {
		bool from_a = j == nb || (i < na && a[i] <= b[j]);
		if (from_a && j < nb && a[i] == b[j])
			j++;
		if (in_a)
			in_a[n] = from_a;
		out[n++] = from_a ? a[i++] : b[j++];
	}
	return n;
}

typedef struct hit {
	uint32_t id;
	int score;
} hit_t;

static int hit_order(const void *a, const void *b)
{
	const hit_t *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Per-thread buffers reused by every query: a 30,000-item city makes candidate lists of
 * hundreds of kilobytes, which malloc would map and unmap each time. */
enum { S_FULL, S_PART, S_PART2, S_IN, S_CAND, S_FROM, S_HITS, S_TOP, S_COUNT, NSCRATCH };
static _Thread_local struct {
	void *p;
	size_t cap;
} scratch[NSCRATCH];

/* The buffers go when their thread ends (a key's destructor runs at thread exit), so a stopped
 * server has nothing left allocated. */
static pthread_key_t g_scratch_key;
static pthread_once_t g_scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *unused)
{
	(void)unused;
	for (int k = 0; k < NSCRATCH; k++) {
		free(scratch[k].p);
		scratch[k].p = NULL;
		scratch[k].cap = 0;
	}
}

static void scratch_key_create(void)
{
	if (pthread_key_create(&g_scratch_key, scratch_free) != 0)
		abort();
}

static void *scratch_get(int k, size_t bytes)
{
	if (!scratch[k].p) {
		pthread_once(&g_scratch_once, scratch_key_create);
		pthread_setspecific(g_scratch_key, scratch); /* any non-NULL value arms the destructor */
	}
	if (bytes > scratch[k].cap) {
		free(scratch[k].p);
		scratch[k].cap = bytes + bytes / 2 + 64;
		scratch[k].p = xmalloc(scratch[k].cap);
	}
	return scratch[k].p;
}

/* A one- or two-character term's score from the fields holding it (bit cls of mask), as
 * term_score gives it: the pair is all of the term, so every match is a full one. */
static int mask_score(term_t *t, uint32_t id, unsigned mask)
{
	int best = W_OTHER, best_bonus = 0, bonus = 0;
	for (int cls = C_NAME; cls <= C_DEPT; cls++) {
		if (!(mask & (1u << cls)))
			continue;
		int w = w_full[cls], b = cls == C_DEPT ? 0 : W_SECOND_FULL;
		if ((cls == C_RESULT || cls == C_ALIAS) && whole_entry(t, id, cls))
			w += W_WHOLE_ENTRY;
		bonus += b;
		if (w > best) {
			best = w;
			best_bonus = b;
		}
	}
	return best + bonus - best_bonus;
}

/* The bonus of a name equal to, or starting with, the whole query (head: the query's first 8
 * bytes, zero-padded, as entry_t.head). */
static int name_bonus(const entry_t *e, const char *norm, size_t norm_len, uint64_t head)
{
	uint64_t mask = norm_len >= 8 ? UINT64_MAX : ((uint64_t)1 << (norm_len * 8)) - 1;
	if (e->name_len < norm_len || (e->head & mask) != head)
		return 0;
	if (norm_len > 8 && memcmp(e->name + 8, norm + 8, norm_len - 8) != 0)
		return 0;
	return e->name_len == norm_len ? W_EXACT : W_PREFIX;
}

/* What rank() found: the hits by score (the first `need` of them at least), and for one short
 * term the list of every entry holding it (those not among the candidates follow the hits). */
typedef struct ranked {
	hit_t *hits;
	uint32_t nh, *cand, ncand;
	const plist_t *rest;
	uint64_t total;
} ranked_t;

/* Ranks the entries of ix for the parsed query (q: the filters, NULL for none). */
static void rank(index_t *ix, term_t *terms, int nt, const char *norm, const catalog_query_t *q, uint64_t need,
		 ranked_t *out)
{
	size_t norm_len = strlen(norm);
	uint64_t head = 0;
	memcpy(&head, norm, norm_len < 8 ? norm_len : 8);
	for (int i = 0; i < nt; i++)
		term_lists(ix, &terms[i]);
	bool filtered = q && any_filter(q);
	uint32_t *cand = NULL, ncand = 0, nh = 0;
	uint8_t *from_full = NULL;
	hit_t *hits;
	uint64_t total = 0;
	/* One term of one or two characters, unfiltered (the common case): the items holding it in
	 * a weighted field, merged from those fields' lists, are scored by which hold it; the other
	 * items holding it (in their materials) score least and only fill the page after them. */
	bool short_path = nt == 1 && terms[0].n <= 2 && !filtered;
	if (short_path) {
		term_t *t = &terms[0];
		size_t most = 1;
		for (int cls = C_NAME; cls <= C_DEPT; cls++)
			most += t->cur[cls][0].p ? t->cur[cls][0].p->n : 0;
		cand = scratch_get(S_CAND, most * sizeof *cand);
		hits = scratch_get(S_HITS, most * sizeof *hits);
		uint32_t pos[C_DEPT + 1] = {0};
		for (;;) {
			uint32_t id = UINT32_MAX;
			for (int cls = C_NAME; cls <= C_DEPT; cls++) {
				const plist_t *p = t->cur[cls][0].p;
				if (p && pos[cls] < p->n && p->ids[pos[cls]] < id)
					id = p->ids[pos[cls]];
			}
			if (id == UINT32_MAX)
				break;
			unsigned mask = 0;
			for (int cls = C_NAME; cls <= C_DEPT; cls++) {
				const plist_t *p = t->cur[cls][0].p;
				if (p && pos[cls] < p->n && p->ids[pos[cls]] == id) {
					mask |= 1u << cls;
					pos[cls]++;
				}
			}
			const entry_t *e = &ix->e[id];
			int score = mask_score(t, id, mask);
			if (mask & (1u << C_NAME))
				score += name_bonus(e, norm, norm_len, head);
			cand[ncand++] = id;
			hits[nh++] = (hit_t){id, score};
		}
		const plist_t *any = t->cur[C_ANY][0].p;
		total = any ? any->n : 0;
	} else {
		/* Candidates: for the term with the shortest lists, the items holding all its pairs,
		 * and for a term of three or more characters also those holding all its characters in
		 * one weighted field (where it may match in part). Any match of the query is among them. */
		int lead = -1;
		if (nt) {
			uint32_t best = UINT32_MAX;
			for (int i = 0; i < nt; i++) {
				uint32_t least = UINT32_MAX;
				int np = terms[i].n == 1 ? 1 : terms[i].n - 1;
				for (int j = 0; j < np; j++) {
					const plist_t *p = terms[i].cur[C_ANY][j].p;
					uint32_t n = p ? p->n : 0;
					if (n < least)
						least = n;
				}
				if (least < best) {
					best = least;
					lead = i;
				}
			}
			term_t *t = &terms[lead];
			int np = t->n == 1 ? 1 : t->n - 1;
			const plist_t *lists[2 * MAX_TERM_CPS];
			int nl = 0;
			for (int j = 0; j < np; j++)
				if ((lists[nl] = t->cur[C_ANY][j].p) != NULL)
					nl++;
			uint32_t nfull = 0, npart = 0, *full = NULL, *part = NULL;
			if (nl == np) {
				full = scratch_get(S_FULL, ((size_t)best + 1) * sizeof *full);
				nfull = intersect(lists, nl, full);
			}
			/* Items where the term matches in part in a field: every character is in a pair present
			 * there, so the first and the last pair are (the end characters have one pair each).
			 * Those two short lists bound the candidates; term_score checks the rest. A term of
			 * three characters has just those two pairs: a match in part is a full one there. */
			int slot_a = S_PART, slot_b = S_PART2;
			for (int cls = C_NAME; t->n >= 4 && cls <= C_DEPT; cls++) {
				const plist_t *ends[2] = {t->cur[cls][0].p, t->cur[cls][np - 1].p};
				if (!ends[0] || !ends[1])
					continue;
				uint32_t least = ends[0]->n < ends[1]->n ? ends[0]->n : ends[1]->n;
				uint32_t *in = scratch_get(S_IN, ((size_t)least + 1) * sizeof *in);
				uint32_t nin = intersect(ends, 2, in);
				uint32_t *u = scratch_get(slot_b, ((size_t)npart + nin + 1) * sizeof *u);
				npart = merge_union(part, npart, in, nin, u, NULL);
				part = u;
				int swap = slot_a;
				slot_a = slot_b;
				slot_b = swap;
			}
			/* the union, in id order, remembering which hold all the pairs */
			cand = scratch_get(S_CAND, ((size_t)nfull + npart + 1) * sizeof *cand);
			from_full = scratch_get(S_FROM, (size_t)nfull + npart + 1);
			ncand = merge_union(full, nfull, part, npart, cand, from_full);
		} else {
			ncand = ix->n;
		}

		hits = scratch_get(S_HITS, ((size_t)ncand + 1) * sizeof *hits);
		uint32_t n_other = 0;
		for (uint32_t k = 0; k < ncand; k++) {
			uint32_t id = nt ? cand[k] : k;
			const entry_t *e = &ix->e[id];
			if (filtered && !passes(e, q))
				continue;
			int score = 0;
			bool all_in_name = true;
			for (int i = 0; i < nt; i++) {
				bool name_full;
				int s = term_score(&terms[i], id, e, i == lead && from_full[k], &name_full);
				if (!s) {
					score = -1;
					break;
				}
				score += s;
				all_in_name &= name_full;
			}
			if (score < 0)
				continue;
			total++;
			if (nt && all_in_name)
				score += name_bonus(e, norm, norm_len, head);
			/* A one-term query's weakest matches (text only) come in id order: once the page
			 * has enough of them, the rest are only counted. */
			if (nt == 1 && score == W_OTHER) {
				if (n_other >= need)
					continue;
				n_other++;
			}
			hits[nh++] = (hit_t){id, score};
		}
	}
	/* Only the first `need` hits by score are wanted; sort all when few, else those above the
	 * score at which `need` is reached plus that score's first in id order. */
	if (nt && nh > need && nh > 64) {
		int lo = INT32_MAX, hi = 0;
		for (uint32_t k = 0; k < nh; k++) {
			if (hits[k].score < lo)
				lo = hits[k].score;
			if (hits[k].score > hi)
				hi = hits[k].score;
		}
		uint32_t *count = scratch_get(S_COUNT, (size_t)(hi - lo + 1) * sizeof *count);
		memset(count, 0, (size_t)(hi - lo + 1) * sizeof *count);
		for (uint32_t k = 0; k < nh; k++)
			count[hits[k].score - lo]++;
		int thr = hi;
		for (uint64_t acc = 0; thr > lo; thr--) {
			acc += count[thr - lo];
			if (acc >= need)
				break;
		}
		hit_t *top = scratch_get(S_TOP, ((size_t)need + 1) * sizeof *top);
		uint32_t m = 0;
		for (uint32_t k = 0; k < nh; k++)
			if (hits[k].score > thr)
				top[m++] = hits[k];
		qsort(top, m, sizeof *top, hit_order);
		for (uint32_t k = 0; k < nh && m < need; k++) /* then the threshold's, in id order */
			if (hits[k].score == thr)
				top[m++] = hits[k];
		hits = top;
		nh = m;
	} else if (nt) {
		qsort(hits, nh, sizeof *hits, hit_order);
	}
	*out = (ranked_t){hits, nh, cand, ncand, short_path ? terms[0].cur[C_ANY][0].p : NULL, total};
}

/* The next entry in rank order, its score in *score; false at the end. The ranked hits, then (one
 * short term) the entries holding it only in their materials. k, r, c: the walk's positions,
 * zero at the start. */
static bool walk(const ranked_t *rk, uint32_t *k, uint32_t *r, uint32_t *c, uint32_t *id, int *score)
{
	if (*k < rk->nh) {
		*score = rk->hits[*k].score;
		*id = rk->hits[(*k)++].id;
		return true;
	}
	while (rk->rest && *r < rk->rest->n) {
		uint32_t x = rk->rest->ids[(*r)++];
		while (*c < rk->ncand && rk->cand[*c] < x)
			(*c)++;
		if (*c < rk->ncand && rk->cand[*c] == x)
			continue;
		*id = x;
		*score = W_OTHER;
		return true;
	}
	return false;
}

int catalog_search(db_t *db, const catalog_query_t *q, char **json_out, size_t *len_out)
{
	static _Thread_local term_t terms[MAX_TERMS];
	char norm[MAX_TERMS * sizeof terms[0].text + 1];
	int nt = parse_query(q->q, false, terms, norm, sizeof norm);

	index_t *ix;
	int rc = acquire(db, &ix);
	if (rc)
		return rc;
	uint64_t need = (uint64_t)(q->page - 1) * (uint64_t)q->page_size + (uint64_t)q->page_size;
	ranked_t rk;
	rank(ix, terms, nt, norm, q, need, &rk);
	/* Nothing for the words as typed: a citizen's sentence ("办身份证要带什么", "我想问一下社保卡丢了咋办")
	 * is read as the hotline reads a caller's, its spoken phrases taken off; a query that matches
	 * as typed ranks as it always did. */
	if (!rk.total && nt && (nt = parse_query(q->q, true, terms, norm, sizeof norm)) != 0)
		rank(ix, terms, nt, norm, q, need, &rk);
	uint64_t skip = (uint64_t)(q->page - 1) * (uint64_t)q->page_size, left = (uint64_t)q->page_size;

	/* Splice the items' rendered objects (entry_json) into one response without re-encoding them. */
	size_t cap = 256, len = 0;
	char *buf = xmalloc(cap);
	len = (size_t)snprintf(buf, cap, "{\"total\":%llu,\"page\":%lld,\"page_size\":%lld,\"items\":[",
			       (unsigned long long)rk.total, (long long)q->page, (long long)q->page_size);
	bool comma = false;
	uint32_t k = 0, r = 0, c = 0, id;
	int score;
	while (left && walk(&rk, &k, &r, &c, &id, &score)) {
		if (skip) {
			skip--;
			continue;
		}
		const char *js = entry_json(&ix->e[id]);
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
	buf = xrealloc(buf, len + 3);
	memcpy(buf + len, "]}", 3);
	*json_out = buf;
	*len_out = len + 2;
	return 0;
}

/* ---- the same machinery for other modules' documents, and the guides with their scores ---- */

/* When nothing matches every term (a typo such as "身分证", a word no text uses), the entries
 * holding all but one of each longer term's characters (all of a term of one or two), scored by
 * where they are: a pair of the term in the name 4, elsewhere 2, a character in the name 2,
 * elsewhere 1; mapped below every full match of a weighted field (at most W_OTHER * 4). Walks
 * every entry once, in id order: for the few queries that match nothing the strict way. */
static uint32_t loose(index_t *ix, term_t *terms, int nt, hit_t *hits, uint32_t max)
{
	if (!nt || !max)
		return 0;
	static _Thread_local cursor_t ch[MAX_TERMS][2][MAX_TERM_CPS];
	int most = 0;
	for (int i = 0; i < nt; i++) {
		term_t *t = &terms[i];
		for (int j = 0; j < t->n; j++) {
			ch[i][0][j] = (cursor_t){slot(ix, key_one(C_ANY, t->cp[j]), false), 0};
			ch[i][1][j] = (cursor_t){slot(ix, key_one(C_NAME, t->cp[j]), false), 0};
		}
		most += (t->n > 1 ? 6 * (t->n - 1) : 0) + 3 * t->n;
	}
	uint32_t nh = 0;
	hit_t *all = scratch_get(S_HITS, ((size_t)ix->n + 1) * sizeof *all);
	for (uint32_t id = 0; id < ix->n; id++) {
		int got = 0;
		bool ok = true;
		for (int i = 0; i < nt && ok; i++) {
			term_t *t = &terms[i];
			int chars = 0;
			for (int j = 0; j < t->n; j++)
				if (has(&ch[i][0][j], id)) {
					chars++;
					got += 1 + 2 * has(&ch[i][1][j], id);
				}
			int slack = t->n < 3 ? 0 : t->n / 4 > 1 ? t->n / 4 : 1;
			ok = chars >= t->n - slack;
			if (ok && t->n > 1)
				for (int j = 0; j < t->n - 1; j++)
					if (has(&t->cur[C_ANY][j], id))
						got += 2 + 4 * has(&t->cur[C_NAME][j], id);
		}
		if (ok)
			all[nh++] = (hit_t){id, 1 + got * (W_OTHER * 4 - 1) / (most ? most : 1)};
	}
	qsort(all, nh, sizeof *all, hit_order);
	uint32_t n = nh < max ? nh : max;
	memmove(hits, all, n * sizeof *hits);
	return n;
}

/* The first max entries for q (spoken: a caller's phrases taken off too) into hits, strict
 * matches if any, else the loose ones; returns their count. The index is held by the caller. */
static uint32_t rank_top(index_t *ix, const char *q, bool spoken, hit_t *hits, uint32_t max)
{
	static _Thread_local term_t terms[MAX_TERMS];
	char norm[MAX_TERMS * sizeof terms[0].text + 1];
	int nt = parse_query(q, spoken, terms, norm, sizeof norm);
	if (!nt || !max)
		return 0;
	ranked_t rk;
	rank(ix, terms, nt, norm, NULL, max, &rk);
	uint32_t k = 0, r = 0, c = 0, id, n = 0;
	int score;
	while (n < max && walk(&rk, &k, &r, &c, &id, &score))
		hits[n++] = (hit_t){id, score};
	if (!n && spoken) {
		hit_t *tmp = xmalloc(max * sizeof *tmp);
		n = loose(ix, terms, nt, tmp, max);
		memcpy(hits, tmp, n * sizeof *hits);
		free(tmp);
	}
	return n;
}

struct catalog_textindex {
	index_t ix;
};

catalog_textindex_t *catalog_textindex_new(const catalog_textdoc_t *docs, size_t n)
{
	catalog_textindex_t *t = xcalloc(1, sizeof *t);
	index_t *ix = &t->ix;
	ix->arena = arena_new();
	ix->e = xcalloc(n + 1, sizeof *ix->e);
	for (size_t i = 0; i < n; i++) {
		entry_t *e = &ix->e[ix->n++];
		e->name = arena_strdup(ix->arena, docs[i].name);
		lower_ascii(e->name);
		e->name_len = strlen(e->name);
		memcpy(&e->head, e->name, e->name_len < 8 ? e->name_len : 8);
		char *text = arena_strdup(ix->arena, docs[i].text);
		lower_ascii(text);
		e->text = text;
		e->text_len = strlen(text);
		e->ref = docs[i].ref;
	}
	qsort(ix->e, ix->n, sizeof *ix->e, entry_order);
	grow(ix);
	for (uint32_t i = 0; i < ix->n; i++)
		index_text(ix, i, ix->e[i].text);
	return t;
}

void catalog_textindex_free(catalog_textindex_t *t)
{
	if (!t)
		return;
	index_t *ix = &t->ix;
	for (size_t i = 0; i < ix->tab_size; i++)
		free(ix->tab[i].ids);
	free(ix->tab);
	free(ix->e); /* a text index's entries are never rendered (entry_json) */
	arena_free(ix->arena);
	free(t);
}

size_t catalog_textindex_query(catalog_textindex_t *t, const char *q, bool spoken, catalog_hit_t *out, size_t max)
{
	if (max > 1000)
		max = 1000;
	hit_t hits[1000];
	uint32_t n = rank_top(&t->ix, q, spoken, hits, (uint32_t)max);
	for (uint32_t i = 0; i < n; i++)
		out[i] = (catalog_hit_t){t->ix.e[hits[i].id].ref, hits[i].score};
	return n;
}

int catalog_search_scored(db_t *db, const char *q, bool spoken, size_t max, catalog_guide_hit_t *out, size_t *n_out)
{
	*n_out = 0;
	if (max > 1000)
		max = 1000;
	index_t *ix;
	int rc = acquire(db, &ix);
	if (rc)
		return rc;
	hit_t hits[1000];
	uint32_t n = rank_top(ix, q, spoken, hits, (uint32_t)max);
	for (uint32_t i = 0; i < n; i++) {
		entry_t *e = &ix->e[hits[i].id];
		/* the materials: the text's last field (after the fourth field mark) */
		const char *m = e->text;
		for (int f = 0; f < 4 && m; f++)
			if ((m = strchr(m, '\x1f')) != NULL)
				m++;
		out[i] = (catalog_guide_hit_t){hits[i].score, xstrdup(entry_json(e)), xstrdup(m ? m : "")};
	}
	pthread_rwlock_unlock(&lock);
	*n_out = n;
	return 0;
}
