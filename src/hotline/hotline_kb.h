/* The hotline's knowledge base (知识库, docs/domain.md §9 "Knowledge base"): articles by matter,
 * written by handling units for their own department, reviewed and published by the centre, served
 * between their effective and expiry dates, edited by new versions, and counted each time their
 * answer closes an order on the spot (直接办结). The operator's search (hotline_kb_search.c) ranks
 * articles and the catalogue's item guides in one list with the catalogue's machinery. */
#ifndef YW_HOTLINE_KB_H
#define YW_HOTLINE_KB_H
#include <jansson.h>

#include "hotline/hotline_store.h"
#include "platform/db.h"
#include "platform/http.h"

/* ---- store (hotline_kb_store.c) ---- */

/* Creates (id 0) or edits the latest draft of an article: {"matter_id","title","question","answer",
 * "keywords":[],"effective_from","expires_on"}. The actor writes for its own department (a
 * handling unit). YW_EINVAL (x->v), YW_ENOTFOUND, YW_EFORBIDDEN / YW_ECONFLICT (x->why). */
int hotline_kb_put(db_t *db, hotline_ctx_t *x, int64_t id, json_t *in, int64_t *id_out);

enum hotline_kb_action {
	KB_SUBMIT,      /* the unit: draft -> submitted */
	KB_APPROVE,     /* the centre: submitted -> published (the published one before it: superseded) */
	KB_REJECT,      /* the centre: submitted -> draft, with a note */
	KB_WITHDRAW,    /* the centre: the published version -> withdrawn */
	KB_NEW_VERSION, /* the unit: a new draft from the latest published or withdrawn version */
};
/* {"note"} for the centre's actions. */
int hotline_kb_act(db_t *db, hotline_ctx_t *x, int64_t id, enum hotline_kb_action a, json_t *in);

/* One article with its versions (a unit sees its own department's in every state, other units'
 * only published; the centre everything). now: for the dates. */
int hotline_kb_get(db_t *db, const auth_user_t *actor, int64_t now, int64_t id, json_t **out);
/* The list, newest first; state "" or one of draft, submitted, published, withdrawn, expired. */
int hotline_kb_list(db_t *db, const auth_user_t *actor, int64_t now, const char *state, int64_t page, int64_t size,
		    json_t **out);

/* Inside the caller's transaction (hotline_store.c's 直接办结): records that article_id's answer
 * closed order_id and counts the use. The article must be served (published, within its dates):
 * otherwise an error on field "article_id" in x->v and YW_EINVAL. */
int hotline_kb_cite(db_t *db, hotline_ctx_t *x, int64_t article_id, int64_t order_id);
/* The article that answered an order ({"id","version","title"}), or NULL (*out) when none. */
int hotline_kb_order_article(db_t *db, int64_t order_id, json_t **out);

/* What the search index reads: every published version. Texts valid during the callback. */
typedef struct hotline_kb_row {
	int64_t article_id, version, matter_id, unit_id, uses;
	const char *title, *question, *answer, *keywords, *matter, *unit, *effective_from, *expires_on;
} hotline_kb_row_t;
int hotline_kb_store_published_each(db_t *db, int (*fn)(void *arg, const hotline_kb_row_t *r), void *arg);
/* The knowledge base's generation (meta "hotline_kb"), bumped by every publish, withdrawal and use. */
int hotline_kb_store_generation(db_t *db, int64_t *gen);

/* ---- demo (hotline_kb_demo.c) ---- */
/* Published articles of the demo's hotline units (after hotline_demo_matters). */
int hotline_kb_demo_load(db_t *db);

/* ---- search (hotline_kb_search.c) ---- */
/* Articles served today and published item guides for the caller's words, best first, at most
 * limit: {"items":[{"kind":"article"|"guide","score",...}]} as JSON text (malloc'd). */
int hotline_kb_search(db_t *db, const char *q, int64_t limit, int64_t now, char **json_out, size_t *len_out);

/* ---- routes (hotline_kb_http.c) ---- */
int h_hotline_kb_search(http_req_t *req);
int h_hotline_kb_list(http_req_t *req);
int h_hotline_kb_get(http_req_t *req);
int h_hotline_kb_create(http_req_t *req);
int h_hotline_kb_update(http_req_t *req);
int h_hotline_kb_submit(http_req_t *req);
int h_hotline_kb_review(http_req_t *req);
int h_hotline_kb_withdraw(http_req_t *req);
int h_hotline_kb_new_version(http_req_t *req);

#endif
