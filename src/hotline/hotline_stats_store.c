/* Hotline statistics store: the in-memory facts of hotline_stats.h, loaded from the orders, their
 * lead units, rejected returns, call-backs and 重办 steps once per process, then kept current from
 * the change log hotline_stats_changes (migration 20), which triggers fill with the order's id on
 * every insert or update of those rows. platform/changelog.h follows the log (the newest sequence
 * number per request, PostgreSQL's commit order, the trim), as for the case statistics; only the
 * changed orders are read again, each whole (its row and its events: the old events are marked dead
 * and new ones appended). When the log was trimmed past the point this process had seen, or dead
 * events pile up, the facts are loaded afresh. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_stats.h"
#include "platform/calendar_store.h"
#include "platform/changelog.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/writer.h"

#define HLS_LOG_KEEP 100000
#define HLS_REREAD_MAX 5000
/* Changes read one order at a time; more and the facts are loaded afresh. */
#define HLS_CHANGES_MAX 50000
#define HLS_TITLE_MAX 120

static hls_facts_t facts;

const char *const hls_channels[8] = {NULL, "phone", "mayor_mailbox", "web", "wechat", "people_cn", "media", "open311"};
const char *const hls_categories[7] = {NULL, "consult", "help", "complaint", "report", "suggestion", "praise"};

static uint8_t index_of(const char *const *names, int n, const char *s)
{
	for (int i = 1; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (uint8_t)i;
	return 0;
}

static uint16_t district_of(const char *code)
{
	if (!*code)
		return 0;
	for (int i = 1; i < facts.ndistricts; i++)
		if (strcmp(facts.districts[i], code) == 0)
			return (uint16_t)i;
	if (facts.ndistricts >= HLS_DISTRICTS_MAX || strlen(code) >= sizeof facts.districts[0])
		return 0;
	strcpy(facts.districts[facts.ndistricts], code);
	return (uint16_t)facts.ndistricts++;
}

static uint32_t title_put(const char *t)
{
	size_t len = strlen(t);
	if (len > HLS_TITLE_MAX) {
		len = HLS_TITLE_MAX;
		while (len > 0 && ((unsigned char)t[len] & 0xC0) == 0x80)
			len--; /* cut at a code point's start */
	}
	if (facts.ntitles + len + 1 > facts.ctitles) {
		size_t cap = facts.ctitles ? facts.ctitles : 1 << 20;
		while (cap < facts.ntitles + len + 1)
			cap *= 2;
		char *p = realloc(facts.titles, cap);
		if (!p)
			abort();
		facts.titles = p;
		facts.ctitles = cap;
	}
	uint32_t off = (uint32_t)facts.ntitles;
	memcpy(facts.titles + off, t, len);
	facts.titles[off + len] = 0;
	facts.ntitles += len + 1;
	return off;
}

static void day_bump(int32_t day)
{
	if (day == HLS_NO_DAY || day < facts.day0)
		return;
	size_t i = (size_t)(day - facts.day0);
	if (i >= facts.nday_ver) {
		size_t cap = facts.nday_ver ? facts.nday_ver : 1024;
		while (cap <= i)
			cap *= 2;
		uint32_t *v = realloc(facts.day_ver, cap * sizeof *v);
		if (!v)
			abort();
		memset(v + facts.nday_ver, 0, (cap - facts.nday_ver) * sizeof *v);
		facts.day_ver = v;
		facts.nday_ver = cap;
	}
	facts.day_ver[i]++;
}

static hls_order_t *order_slot(int64_t id)
{
	if (id <= 0 || id > INT32_MAX)
		return NULL;
	if ((size_t)id >= facts.norders) {
		size_t cap = facts.norders ? facts.norders : 1024;
		while (cap <= (size_t)id)
			cap *= 2;
		hls_order_t *a = realloc(facts.orders, cap * sizeof *a);
		if (!a)
			abort();
		for (size_t i = facts.norders; i < cap; i++)
			a[i] = (hls_order_t){.day = HLS_NO_DAY, .closed_day = HLS_NO_DAY, .ev = -1};
		facts.orders = a;
		facts.norders = cap;
	}
	return &facts.orders[id];
}

static void event_add(int64_t order_id, uint8_t kind, int64_t at, int64_t unit, uint8_t a, uint8_t b)
{
	hls_order_t *o = order_slot(order_id);
	if (!o || o->day == HLS_NO_DAY)
		return;
	if (facts.nevents == facts.cevents) {
		size_t cap = facts.cevents ? facts.cevents * 2 : 1 << 16;
		hls_event_t *e = realloc(facts.events, cap * sizeof *e);
		if (!e)
			abort();
		facts.events = e;
		facts.cevents = cap;
	}
	int32_t i = (int32_t)facts.nevents++;
	facts.events[i] = (hls_event_t){.day = date_today_local(at), .unit = (int32_t)unit, .next = o->ev, .kind = kind,
					.a = a, .b = b};
	o->ev = i;
}

#define ORDER_SQL                                                                                                      \
	"SELECT o.id, o.created_at, o.channel, o.category, COALESCE(o.matter_id, 0), COALESCE(o.district, ''),"         \
	" o.urgent, o.state, COALESCE(o.reply_unit_id, 0), o.closed_at, o.replied_at, o.due_at, o.direct, o.title"     \
	" FROM hotline_orders o "
#define UNIT_SQL                                                                                                       \
	"SELECT u.order_id, u.unit_id, u.dispatched_at, u.signed_at, o.urgent, o.limit_hours FROM hotline_order_units"  \
	" u JOIN hotline_orders o ON o.id = u.order_id WHERE u.role = 'lead' "
#define CALLBACK_SQL                                                                                                   \
	"SELECT c.order_id, c.at, COALESCE(c.unit_id, 0), COALESCE(c.satisfaction, ''), COALESCE(c.solved, 0)"         \
	" FROM hotline_callbacks c WHERE c.reached = 1 "
#define RETURN_SQL                                                                                                     \
	"SELECT r.order_id, COALESCE(r.decided_at, r.returned_at), r.unit_id FROM hotline_returns r"                     \
	" WHERE r.state = 'rejected' "
#define REOPEN_SQL "SELECT s.order_id, s.at, COALESCE(s.data, '') FROM hotline_steps s WHERE s.action = 'reopen' "

typedef struct load_ctx {
	const calendar_t *cal;
	int sign_days;
} load_ctx_t;

static void put_order(db_stmt_t *st)
{
	hls_order_t *o = order_slot(db_col_int(st, 0));
	if (!o)
		return;
	const char *state = db_col_text(st, 7);
	uint8_t flags = (db_col_int(st, 6) ? HLS_URGENT : 0) | (db_col_int(st, 12) ? HLS_DIRECT : 0) |
			(strcmp(state, "merged") == 0 ? HLS_MERGED : 0);
	int32_t closed_day = HLS_NO_DAY;
	if (!db_col_null(st, 9) && (strcmp(state, "closed") == 0 || strcmp(state, "visited") == 0)) {
		closed_day = date_today_local(db_col_int(st, 9));
		if (!db_col_null(st, 10) && !db_col_null(st, 11) && db_col_int(st, 10) <= db_col_int(st, 11))
			flags |= HLS_ON_TIME;
	}
	day_bump(o->day); /* the day it was on, when read again */
	*o = (hls_order_t){.day = date_today_local(db_col_int(st, 1)),
			   .closed_day = closed_day,
			   .matter = (int32_t)db_col_int(st, 4),
			   .reply_unit = (flags & HLS_DIRECT) ? 0 : (int32_t)db_col_int(st, 8),
			   .title = title_put(db_col_text(st, 13)),
			   .ev = -1,
			   .district = district_of(db_col_text(st, 5)),
			   .channel = index_of(hls_channels, 8, db_col_text(st, 2)),
			   .category = index_of(hls_categories, 7, db_col_text(st, 3)),
			   .flags = flags};
	day_bump(o->day);
}

static void put_unit(db_stmt_t *st, const load_ctx_t *lc)
{
	int64_t at = db_col_int(st, 2), due = 0;
	uint8_t in_time = 0;
	if (!db_col_null(st, 3) && hotline_due_at(lc->cal, at, false, lc->sign_days, 0, &due, NULL) == 0) {
		if (db_col_int(st, 4) && db_col_int(st, 5) > 0 && at + db_col_int(st, 5) * 3600 < due)
			due = at + db_col_int(st, 5) * 3600;
		in_time = db_col_int(st, 3) <= due;
	}
	event_add(db_col_int(st, 0), HLS_EV_ASSIGN, at, db_col_int(st, 1), in_time, 0);
}

static void put_callback(db_stmt_t *st)
{
	const char *s = db_col_text(st, 3);
	uint8_t a = strcmp(s, "satisfied") == 0 ? 1 : strcmp(s, "basic") == 0 ? 2 : strcmp(s, "dissatisfied") == 0 ? 3 : 0;
	if (a)
		event_add(db_col_int(st, 0), HLS_EV_CALLBACK, db_col_int(st, 1), db_col_int(st, 2), a,
			  db_col_int(st, 4) ? 1 : 0);
}

static void put_return(db_stmt_t *st)
{
	event_add(db_col_int(st, 0), HLS_EV_RETURN, db_col_int(st, 1), db_col_int(st, 2), 0, 0);
}

/* 重办 counts against the unit whose reply the citizen was dissatisfied with (the step's data
 * from_unit_id, hotline_store.c op_reopen). */
static void put_reopen(db_stmt_t *st)
{
	json_t *d = json_loads(db_col_text(st, 2), 0, NULL);
	int64_t unit = d ? json_integer_value(json_object_get(d, "from_unit_id")) : 0;
	json_decref(d);
	if (unit > 0)
		event_add(db_col_int(st, 0), HLS_EV_REOPEN, db_col_int(st, 1), unit, 0, 0);
}

/* Reads the order id (all when 0) and its events. */
static int load_order(db_t *db, int64_t id, const load_ctx_t *lc)
{
	static const char *const all[] = {ORDER_SQL, UNIT_SQL, CALLBACK_SQL, RETURN_SQL, REOPEN_SQL};
	static const char *const one[] = {ORDER_SQL "WHERE o.id = :id", UNIT_SQL "AND u.order_id = :id",
					  CALLBACK_SQL "AND c.order_id = :id", RETURN_SQL "AND r.order_id = :id",
					  REOPEN_SQL "AND s.order_id = :id"};
	if (id) {
		hls_order_t *o = order_slot(id);
		if (!o)
			return 0;
		for (int32_t e = o->ev; e >= 0; e = facts.events[e].next) {
			facts.events[e].kind = HLS_EV_DEAD;
			facts.dead++;
		}
		day_bump(o->day); /* gone or moved: its day's figures change */
		*o = (hls_order_t){.day = HLS_NO_DAY, .closed_day = HLS_NO_DAY, .ev = -1};
	}
	for (int t = 0; t < 5; t++) {
		db_stmt_t *st = db_prepare(db, id ? one[t] : all[t]);
		if (id)
			db_bind_int(st, "id", id);
		int rc;
		while ((rc = db_step(st)) == DB_ROW) {
			switch (t) {
			case 0: put_order(st); break;
			case 1: put_unit(st, lc); break;
			case 2: put_callback(st); break;
			case 3: put_return(st); break;
			default: put_reopen(st); break;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void facts_clear(void)
{
	static uint32_t epoch;
	free(facts.orders);
	free(facts.events);
	free(facts.titles);
	free(facts.day_ver);
	memset(&facts, 0, sizeof facts);
	facts.ndistricts = 1;
	facts.epoch = ++epoch;
	facts.day0 = date_from_ymd(2000, 1, 1);
}

/* The follower's callbacks (changelog.h); arg is the configuration. */
static bool want_full(void *arg, int64_t from, int64_t newest)
{
	(void)arg;
	/* many changes since: one full load reads them faster than one order at a time; or dead events pile up */
	return newest - from > HLS_CHANGES_MAX || (facts.dead > 100000 && facts.dead > facts.nevents / 2);
}

static int refresh(db_t *db, void *arg, bool full, db_stmt_t *changes)
{
	const yw_config_t *cfg = arg;
	load_ctx_t lc = {.sign_days = cfg->hotline_sign_days > 0 ? cfg->hotline_sign_days : 1};
	int rc = calendar_acquire(db, &lc.cal);
	if (rc)
		return rc;
	if (full) {
		facts_clear();
		rc = load_order(db, 0, &lc);
	} else {
		/* collect first: reading an order runs other statements */
		int64_t *ids = NULL;
		size_t n = 0, cap = 0;
		int s;
		while ((s = db_step(changes)) == DB_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				int64_t *p = realloc(ids, cap * sizeof *p);
				if (!p)
					abort();
				ids = p;
			}
			ids[n++] = db_col_int(changes, 0);
		}
		if (s < 0)
			rc = s;
		for (size_t i = 0; i < n && !rc; i++)
			rc = load_order(db, ids[i], &lc);
		free(ids);
	}
	calendar_release();
	return rc;
}

static void clear(void *arg)
{
	(void)arg;
	facts_clear();
}

static const changelog_ops_t log_ops = {
	CHANGELOG_LOG_SQL("hotline_stats_changes"),
	.changes_sql = "SELECT DISTINCT order_id FROM hotline_stats_changes WHERE seq > :from AND seq <= :newest",
	.keep = HLS_LOG_KEEP,
	.reread_max = HLS_REREAD_MAX,
	.refresh = refresh,
	.want_full = want_full,
	.clear = clear,
};
static changelog_t follower = CHANGELOG_INIT(&log_ops);

int hls_acquire(db_t *db, const yw_config_t *cfg, const hls_facts_t **out)
{
	int rc = changelog_acquire(&follower, db, (void *)cfg);
	if (!rc)
		*out = &facts;
	return rc;
}

void hls_release(void)
{
	changelog_release(&follower);
}

int hls_store_log_reset(db_t *db)
{
	return db_run(db_prepare(db, "DELETE FROM hotline_stats_changes WHERE seq < (SELECT max(seq) FROM"
				     " hotline_stats_changes)"));
}

/* The background job: the facts loaded on the ticker's own connection, the log trimmed (changelog.h). */
int hls_tick(db_t *db, int64_t now)
{
	(void)now;
	return changelog_tick(&follower, db, (void *)config_current());
}

int hls_store_matters(db_t *db, hls_matter_t **out, size_t *n)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, COALESCE(parent_id, 0), name FROM hotline_matters ORDER BY id");
	hls_matter_t *a = NULL;
	size_t cnt = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 128;
			hls_matter_t *p = realloc(a, cap * sizeof *p);
			if (!p)
				abort();
			a = p;
		}
		hls_matter_t *m = &a[cnt++];
		m->id = db_col_int(st, 0);
		m->parent = db_col_int(st, 1);
		snprintf(m->name, sizeof m->name, "%s", db_col_text(st, 2));
	}
	if (rc < 0) {
		free(a);
		return rc;
	}
	*out = a;
	*n = cnt;
	return 0;
}

static int names(db_t *db, const char *sql, json_t **out)
{
	db_stmt_t *st = db_prepare(db, sql);
	json_t *o = json_object();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(o, db_col_text(st, 0), json_string(db_col_text(st, 1)));
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int hls_store_unit_names(db_t *db, json_t **out)
{
	return names(db, "SELECT CAST(id AS TEXT) AS id, name FROM departments", out);
}

int hls_store_unit_kinds(db_t *db, json_t **out)
{
	return names(db, "SELECT CAST(id AS TEXT) AS id, kind FROM departments", out);
}

int hls_store_region_names(db_t *db, json_t **out)
{
	return names(db, "SELECT code, name FROM regions", out);
}
