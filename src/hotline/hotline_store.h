/* Hotline store (hotline_store.c): work orders and every step of their loop, each write in one
 * transaction with its audit records. Who sees an order: the centre (hotline operators, centre
 * admins) and supervisors every order; a handling unit the orders dispatched to it (as lead or
 * co-unit, now or before); the citizen only their own by number and query code. An order outside
 * the actor's scope is "not found". */
#ifndef YW_HOTLINE_STORE_H
#define YW_HOTLINE_STORE_H
#include <jansson.h>

#include "hotline/hotline.h"
#include "platform/auth.h"
#include "platform/calendar.h"
#include "platform/db.h"
#include "platform/jsonv.h"

/* What a write needs besides the database: who acts (NULL: the public form, a call centre, the
 * system), the calendar, the configuration, the time, where field problems go, and the Chinese
 * reason of a 403 / 409. */
typedef struct hotline_ctx {
	const auth_user_t *actor;
	const calendar_t *cal;
	const yw_config_t *cfg;
	int64_t now;
	vctx_t *v;
	const char *why;
	char why_buf[192];
	/* set by the Open311 intake (hotline_open311_http.c): the client's name, the order's source */
	const char *open311_client;
	/* set by hotline_order_create: the state the new order is in (pending; closed when answered
	 * on the spot) */
	const char *created_state;
} hotline_ctx_t;

/* A new order. From the console (actor set, public false): {"channel","source_name","category",
 * "matter_id","title","text","caller_name","caller_phone","address","lat","lng","district",
 * "urgent","confidential","call_id","answer"}: with "answer" it is closed on the spot (直接办结).
 * From the public form (public true): {"channel": web | mayor_mailbox, "category","title","text",
 * "caller_name","caller_phone","address","district","confidential"}. With x->open311_client set
 * (public false): the console's fields less "channel", "source_name", "call_id" and "answer"; the
 * order comes from channel open311 with the client's name as its source, and "matter_id" is
 * required. *id_out, number (≥ 16 bytes)
 * and code (the query code, ≥ 16 bytes, shown once) on success; YW_EINVAL with x->v. */
int hotline_order_create(db_t *db, hotline_ctx_t *x, json_t *in, bool public_form, int64_t *id_out, char *number,
			 char *code);

/* The steps on an order; one route each (docs/api.md "Hotline"). */
enum hotline_op {
	HO_DISPATCH,         /* {"unit_id","co_unit_ids":[],"note"}: 派单 / 改派 */
	HO_DIRECT_CLOSE,     /* {"answer"} */
	HO_SIGN,             /* {} : the lead unit or a co-unit signs for it */
	HO_RETURN,           /* {"reason","suggested_unit_id"} */
	HO_RETURN_REVIEW,    /* {"accept":bool,"unit_id","co_unit_ids","note"} */
	HO_EXTENSION,        /* {"days" | "hours","reason"} */
	HO_EXTENSION_DECIDE, /* target is the extension's id: {"approve":bool,"note"} */
	HO_OPINION,          /* a co-unit's part: {"text"} */
	HO_REPLY,            /* {"text"} */
	HO_REVIEW,           /* {"approve":bool,"reason"}: 办结 or 退回重办 */
	HO_CALLBACK,         /* {"reached":bool,"satisfaction","solved":bool,"note"} */
	HO_REOPEN,           /* {"note","unit_id"}: 重办 */
	HO_MERGE,            /* {"into"}: 并单 */
	HO_SUPERVISE,        /* {"note"}: 督办 */
	HO_CONSULT,          /* {"unit_ids":[],"meeting_at","place","hard_class","decision","lead_unit_id"} */
	HO_ATTACH,           /* {"attachments":[upload ids]}: the centre, or a unit while it handles the order */
};
/* Takes op on order `target` (the extension for HO_EXTENSION_DECIDE). YW_ENOTFOUND outside the
 * actor's scope, YW_EFORBIDDEN (x->why) when the actor sees it but may not act, YW_ECONFLICT
 * (x->why) when its state does not allow it, YW_EINVAL (x->v) for bad input; nothing is stored
 * unless it returns 0. *order_out: the order acted on. */
int hotline_act(db_t *db, hotline_ctx_t *x, int64_t target, enum hotline_op op, json_t *in, int64_t *order_out);

/* One order as JSON with its units, steps, returns, extensions, call-backs and meetings. */
int hotline_order_get(db_t *db, const auth_user_t *actor, const calendar_t *cal, const yw_config_t *cfg,
		      int64_t id, json_t **out);
/* The list; "" / 0 for no filter. phone matches the caller's number (digits). */
typedef struct hotline_filter {
	const char *state, *category, *channel, *phone, *q;
	int64_t unit_id;
	bool todo; /* a unit: only what waits for it; the centre: what waits for the centre */
} hotline_filter_t;
int hotline_orders_list(db_t *db, const auth_user_t *actor, const calendar_t *cal, const yw_config_t *cfg,
			const hotline_filter_t *f, int64_t page, int64_t size, json_t **out);
/* Candidates for 并单: orders within `days` days of it, scored by text similarity, the same
 * district and the same address. */
int hotline_duplicates(db_t *db, const auth_user_t *actor, int64_t id, int64_t days, json_t **out);
/* The citizen's view by number and query code; YW_ENOTFOUND when either is wrong. */
int hotline_public_get(db_t *db, const char *number, const char *code, json_t **out);

/* Attachments (docs/api.md "Hotline", attachments). Staff attach their own uploads (POST
 * /api/v1/files, typed by content), at most HOTLINE_ATTACH_MAX in one request: at intake
 * ("attachments" of hotline_order_create from the console), with a unit's reply (HO_REPLY) or later
 * (HO_ATTACH). A citizen adds photos (JPEG or PNG, at most HOTLINE_PUBLIC_IMAGE_MAX bytes each and
 * HOTLINE_PUBLIC_IMAGES on an order) to their public message by number and query code while it is
 * not answered. Who sees one: whoever sees the order, except that a unit does not see the citizen's
 * attachments of a confidential (保密) order; the citizen their own and, once the reply is
 * published, the unit's attachments to it. */
#define HOTLINE_ATTACH_MAX 10
#define HOTLINE_PUBLIC_IMAGES 5
#define HOTLINE_PUBLIC_IMAGES_TEXT "5"
#define HOTLINE_PUBLIC_IMAGE_MAX ((size_t)5 << 20)
/* An attachment's name as stored, in bytes with its NUL: an upload's name of up to 200 characters
 * (files_http.c) of up to 4 bytes each, or a citizen's photo's 100 and the extension it may be
 * given (hotline_http.c photo_name). */
#define HOTLINE_NAME_SIZE 1024
/* The content of attachment aid of order id for actor: YW_ENOTFOUND outside the actor's scope. */
int hotline_attachment_get(db_t *db, const auth_user_t *actor, int64_t id, int64_t aid, char sha_hex[65], char mime[128],
			   char name[HOTLINE_NAME_SIZE]);
/* The same for the citizen by number and query code. */
int hotline_public_attachment_get(db_t *db, const char *number, const char *code, int64_t aid, char sha_hex[65],
				  char mime[128], char name[HOTLINE_NAME_SIZE]);
/* May the citizen add a photo now? 0, YW_ENOTFOUND (wrong number or code), YW_ECONFLICT with *why. A
 * read, before the photo is stored. */
int hotline_public_attach_check(db_t *db, const char *number, const char *code, const char **why);
/* Adds the stored content (files_store_file) as the citizen's photo, checking again; *id_out. */
int hotline_public_attach(db_t *db, const char *number, const char *code, const char *sha_hex, size_t size,
			  const char *mime, const char *name, int64_t now, const char **why, int64_t *id_out);

/* The matter classification (事项分类) as a flat list in tree order. */
int hotline_matters_list(db_t *db, bool active_only, json_t **out);
/* {"name","parent_id","active","sort"}; id 0 creates. YW_EINVAL (v), YW_ENOTFOUND. */
int hotline_matter_put(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, int64_t *id_out);

/* Call-centre clients: the client whose API key this is (YW_EAUTH when none or revoked). */
int hotline_client_by_key(db_t *db, const char *key, const char *kind, int64_t *id_out);
/* A new client of kind (callcenter, open311); key_out (≥ 48 bytes) gets the key, shown once. */
int hotline_client_add(db_t *db, const char *kind, const char *name, char *key_out, int64_t *id_out);
/* Revokes key id of kind: YW_ENOTFOUND when there is no such active key of that kind. */
int hotline_client_revoke(db_t *db, int64_t id, const char *kind);
/* The clients of kind: [{"id","name","created_at","revoked_at"}]. */
int hotline_clients_list(db_t *db, const char *kind, json_t **out);
/* A pushed call event {"call_id","caller","agent","started_at","ended_at","recording_url"}; the
 * same call_id again updates it. *created says which. */
int hotline_call_event_put(db_t *db, int64_t client_id, json_t *in, int64_t now, vctx_t *v, int64_t *id_out,
			   bool *created);
/* Recent call events for the console, newest first; caller "" for all. */
int hotline_calls_list(db_t *db, const char *caller, int64_t limit, json_t **out);

#endif
