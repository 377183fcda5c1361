/* Service catalogue (事项管理): items and their implementation lists (实施清单) with the
 * GB/T 39046-2020 code sets, versioned guides with the lifecycle draft → submitted → published →
 * withdrawn, the published lists (权力清单, 最多跑一次, 四办 ...), search, guides with QR codes,
 * and import/export (docs/catalog-format.md). This header is what other systems may call. */
#ifndef YW_CATALOG_H
#define YW_CATALOG_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "platform/auth.h"
#include "platform/db.h"
#include "platform/jsonv.h"

/* ---- code sets (catalog.c) ---- */
typedef struct code_label {
	const char *code;
	const char *label;
} code_label_t;

extern const code_label_t catalog_item_types[]; /* 事项类型 "01".."10", "20" */
extern const code_label_t catalog_levels[];     /* 行使层级 "1".."6" */
extern const code_label_t catalog_targets[];    /* 服务对象 "1".."6" */
extern const code_label_t catalog_classes[];    /* 办件类型 "1" 即办件, "2" 承诺件, "3" 一审一核件 */
extern const code_label_t catalog_forms[];      /* 办理形式 "1".."4" */
/* Named sets stored as bit masks, in bit order. */
extern const char *const catalog_tags[];        /* 马上办 网上办 就近办 一次办 最多跑一次 一次也不跑 即来即办 */
extern const char *const catalog_lists[];       /* 权力清单 责任清单 ... */
extern const char *const catalog_life_events[]; /* 生育收养 户籍办理 ... */
extern const char *const catalog_tongban[];     /* 无 全市通办 全省通办 跨省通办 */
const char *catalog_label(const code_label_t *set, const char *code);
/* Bit of name in a NULL-terminated name set, or -1. */
int catalog_name_bit(const char *const *set, const char *name);
json_t *catalog_bits_json(const char *const *set, int64_t bits);
/* All code sets for GET /api/v1/meta/codes (new reference). */
json_t *catalog_codes_json(void);

enum { TAG_ZUIDUO = 4, TAG_YICI_BU = 5 }; /* bit numbers of 最多跑一次, 一次也不跑 */

/* What the store keeps beside the item JSON for lists and search. */
typedef struct item_cols {
	const char *code, *name, *dept, *type, *region;
	int level, handling_class, promised_days, visits, online_depth;
	int64_t targets, tags, lists, life_events;
	char *search_text; /* malloc'd: name, result, aliases and keywords, department, materials;
			    * each field closed by '\x1f', each entry by '\n' (catalog_search.c) */
} item_cols_t;

/* Validates an item in the exchange format. On success *out is a new canonical copy (known
 * fields only, fixed order) and cols points into it; the caller frees search_text and *out.
 * Every problem is recorded in v. */
int catalog_validate(json_t *in, vctx_t *v, json_t **out, item_cols_t *cols);

/* ---- store (catalog_store.c) ---- */
/* Creates an item with version 1 as a draft; the actor must have the item's department in scope. */
int catalog_create(db_t *db, const auth_user_t *actor, json_t *item, vctx_t *v, int64_t *id_out);
/* Replaces the latest version's content; YW_ECONFLICT unless it is a draft. */
int catalog_update_draft(db_t *db, const auth_user_t *actor, int64_t id, json_t *item, vctx_t *v);
enum catalog_action { CAT_SUBMIT, CAT_PUBLISH, CAT_REJECT, CAT_WITHDRAW, CAT_NEW_VERSION };
int catalog_transition(db_t *db, const auth_user_t *actor, int64_t id, enum catalog_action action,
		       const char *note);
/* The published guide of code as JSON text (new malloc'd string) and its version row id. */
/* The parsed data of item version version_id into *out (a new reference): YW_ENOTFOUND when
 * there is no such version, YW_EDB when it cannot be read. Versions past review are immutable
 * and served from a process-wide cache (catalog_versions_cache.c). Callers must not modify the
 * result. */
int catalog_version_get(db_t *db, int64_t version_id, json_t **out);
/* The published guide of item code as JSON (free it) and its version id; YW_ENOTFOUND when the item
 * has no published version. catalog_published_guide reads the database; catalog_guide answers the
 * portal from a process-wide cache kept for the catalogue's generation (catalog_versions_cache.c). */
int catalog_published_guide(db_t *db, const char *code, char **json_out, int64_t *version_id);
int catalog_guide(db_t *db, const char *code, char **json_out, int64_t *version_id);
int catalog_admin_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out);
int catalog_admin_list(db_t *db, const auth_user_t *actor, const char *status, int64_t dept_id, const char *q,
		       int64_t page, int64_t page_size, json_t **out);
int catalog_review_queue(db_t *db, const auth_user_t *actor, json_t **out);
int catalog_versions(db_t *db, const char *code, json_t **out);
int catalog_counts(db_t *db, json_t **out);
/* Export: every item's published version (or every item's latest version when all), as an
 * array (new reference). */
int catalog_export(db_t *db, bool all_versions, json_t **out);
/* The whole exchange document: organisation sections (without staff) and items (*out: new
 * reference), or the store's error status. */
int catalog_exchange_document(db_t *db, bool all_versions, json_t **out);
/* Imports an exchange document (or a bare array of items) in one transaction: organisation
 * sections first, staff with staff_password (NULL refuses staff), then the items; publish puts
 * them straight into the portal. Every problem is recorded in v, and then nothing is written. */
int catalog_import(db_t *db, const auth_user_t *actor, json_t *doc, bool publish, const char *staff_password,
		   vctx_t *v, int *items_out);
int catalog_export_xlsx(db_t *db, const char *path);

/* What the version cache and the search index read (catalog_store.c) */
/* Version id's data (new reference) and whether it is fixed for good (neither draft nor submitted:
 * published versions never change). YW_ENOTFOUND when there is no such version. */
int catalog_store_version_data(db_t *db, int64_t version_id, bool *fixed, json_t **data);
/* The catalogue's generation (table meta), bumped by every change to what is published. */
int catalog_store_generation(db_t *db, int64_t *gen);
/* One published version as the search index reads it; texts valid during the callback. */
typedef struct catalog_published_row {
	int64_t id, dept_id, targets, tags, lists, life_events; /* id: the item's */
	const char *code, *name, *dept, *type, *region, *search_text;
	int level, handling_class, promised_days, visits, online_depth;
} catalog_published_row_t;
/* The number of published versions. */
int catalog_store_published_count(db_t *db, int64_t *n);
/* Calls fn for every published version (no order) until it returns non-zero: 0 when fn stopped it
 * with a positive value or all were read, fn's negative status, or a read error. Gives the
 * connection's cached pages back afterwards (every published version is read once). */
int catalog_store_published_each(db_t *db, int (*fn)(void *arg, const catalog_published_row_t *r), void *arg);

/* ---- search (catalog_search.c) ---- */
typedef struct catalog_query {
	const char *q;
	int64_t dept_id, level, target;
	const char *type, *tag, *list, *life_event, *region;
	int64_t page, page_size;
} catalog_query_t;
/* Searches published items, ranked by the fields a query matches: name, result, aliases and
 * keywords, department, materials (docs/api.md). Terms split on spaces and punctuation must all
 * match, fully or in part; works for queries of any length including 1-2 Chinese characters. The
 * answer is the list response as JSON text (malloc'd, caller frees). */
int catalog_search(db_t *db, const catalog_query_t *q, char **json_out, size_t *len_out);

/* The same machinery for other modules (the hotline's knowledge base, docs/architecture.md
 * "Search"): the tokenizer (characters and pairs of characters), the filler words, the field
 * weights and the scoring, over any documents. A document's text has search_text's layout: name,
 * result, aliases and keywords, department, then the rest, each field closed by '\x1f', each
 * entry by '\n'. An index is immutable once built: queries may run on it from any thread while
 * the caller keeps it alive. */
typedef struct catalog_textindex catalog_textindex_t;
typedef struct catalog_textdoc {
	const char *name, *text; /* copied */
	int64_t ref;             /* the caller's reference, handed back in hits */
} catalog_textdoc_t;
typedef struct catalog_hit {
	int64_t ref;
	int score;
} catalog_hit_t;
catalog_textindex_t *catalog_textindex_new(const catalog_textdoc_t *docs, size_t n);
void catalog_textindex_free(catalog_textindex_t *ix);
/* The best max (at most 1000) documents for q, best first, into out; returns their count.
 * spoken: a caller's phrases ("请问一下", "要带什么", "咋办") go too, and when nothing matches
 * every term the documents holding all but one character of each longer term come, scored low
 * (a typo: "身分证"). Without spoken it ranks exactly as catalog_search. */
size_t catalog_textindex_query(catalog_textindex_t *ix, const char *q, bool spoken, catalog_hit_t *out, size_t max);
/* Published guides ranked for q as catalog_textindex_query ranks documents (scores on the same
 * scale), each as its list object and the names of its materials, one a line, as the index holds
 * them (ASCII letters lower-cased): both malloc'd, the caller frees each. No database read but the
 * generation's. */
typedef struct catalog_guide_hit {
	int score;
	char *json, *materials;
} catalog_guide_hit_t;
int catalog_search_scored(db_t *db, const char *q, bool spoken, size_t max, catalog_guide_hit_t *out, size_t *n_out);

/* ---- demo (catalog_demo.c) ---- */
/* Loads the built-in demo city (data/demo/city.json) and publishes its items. */
int catalog_demo_load(db_t *db, const char *password, int *items_out);
/* Generates n more items spread over four levels and every department, published. */
int catalog_demo_scale(db_t *db, int n);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void catalog_module_register(void);

#endif
