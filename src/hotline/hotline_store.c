/* Hotline store: the work orders of the 12345 hotline and their loop (hotline_store.h,
 * docs/domain.md §9). Every write validates its whole input first (422 with every field), then
 * runs in one transaction with its audit records; a state that does not allow the step is 409. */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files/files.h"
#include "hotline/hotline_kb.h"
#include "hotline/hotline_store.h"
#include "platform/audit.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "supervision/supervision.h"
#include "supervision/supervision_store.h"

static int commit_or_rollback(db_t *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* A random code from an alphabet without look-alikes (no 0/O, 1/I/L): n characters of 31 symbols,
 * about 4.95 bits each. */
static void random_code(char *out, size_t n)
{
	static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	enum { K = sizeof alphabet - 1 };
	/* one call to the kernel's generator for the whole code (one per character was 3% of an
	 * intake's CPU); bytes from 256 - 256 % K up are dropped so every character stays uniform */
	unsigned char r[64];
	size_t used = sizeof r;
	for (size_t i = 0; i < n;) {
		if (used == sizeof r) {
			randombytes_buf(r, sizeof r);
			used = 0;
		}
		unsigned char b = r[used++];
		if (b < 256 - 256 % K)
			out[i++] = alphabet[b % K];
	}
	out[n] = 0;
}

static bool is_centre(const auth_user_t *u)
{
	return u && (auth_has_perm(u, PERM_HOTLINE_OPERATE) || auth_has_perm(u, PERM_HOTLINE_SUPERVISE) ||
		     auth_has_perm(u, PERM_HOTLINE_MANAGE));
}

static bool is_unit(const auth_user_t *u)
{
	return u && auth_has_perm(u, PERM_HOTLINE_HANDLE) && u->dept_id > 0;
}

/* ---- the order row ---- */

typedef struct order_row {
	int64_t id, unit_id, due_at, sign_due_at, signed_at, created_at, merged_into, last_at, matter_id;
	int limit_days, limit_hours, reopen_count;
	bool urgent, confidential;
	char number[24], state[16], category[16], satisfaction[16], district[16];
} order_row_t;

static int load_order(db_t *db, int64_t id, order_row_t *o)
{
	db_stmt_t *st = db_prepare(db, "SELECT o.id, COALESCE(o.unit_id, 0), COALESCE(o.due_at, 0), COALESCE(o.sign_due_at, 0),"
				       " COALESCE(o.signed_at, 0), o.created_at, COALESCE(o.merged_into, 0),"
				       " COALESCE((SELECT MAX(s.at) FROM hotline_steps s WHERE s.order_id = o.id), o.created_at),"
				       " COALESCE(o.matter_id, 0), o.limit_days, o.limit_hours, o.reopen_count, o.urgent,"
				       " o.confidential, o.number, o.state, o.category, COALESCE(o.satisfaction, ''),"
				       " COALESCE(o.district, '') FROM hotline_orders o WHERE o.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc;
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->unit_id = db_col_int(st, 1);
	o->due_at = db_col_int(st, 2);
	o->sign_due_at = db_col_int(st, 3);
	o->signed_at = db_col_int(st, 4);
	o->created_at = db_col_int(st, 5);
	o->merged_into = db_col_int(st, 6);
	o->last_at = db_col_int(st, 7);
	o->matter_id = db_col_int(st, 8);
	o->limit_days = (int)db_col_int(st, 9);
	o->limit_hours = (int)db_col_int(st, 10);
	o->reopen_count = (int)db_col_int(st, 11);
	o->urgent = db_col_int(st, 12) != 0;
	o->confidential = db_col_int(st, 13) != 0;
	snprintf(o->number, sizeof o->number, "%s", db_col_text(st, 14));
	snprintf(o->state, sizeof o->state, "%s", db_col_text(st, 15));
	snprintf(o->category, sizeof o->category, "%s", db_col_text(st, 16));
	snprintf(o->satisfaction, sizeof o->satisfaction, "%s", db_col_text(st, 17));
	snprintf(o->district, sizeof o->district, "%s", db_col_text(st, 18));
	db_reset(st);
	return 0;
}

/* Servers on one PostgreSQL do not serialise their writers (BEGIN, not an exclusive lock): the
 * order's row is locked until the commit, so two steps on one order are taken one after the
 * other, each seeing the state the other left (SQLite's write transaction excludes every other
 * writer already). YW_ENOTFOUND for no such order. */
static int lock_order(db_t *db, int64_t id)
{
	if (db_engine(db) != DB_POSTGRES)
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_orders WHERE id = :id FOR UPDATE");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (!rc)
		db_reset(st);
	return rc;
}

/* The unit's part in the order: 0 none, 1 co-unit, 2 lead; active only, or ever (seen). */
static int unit_role(db_t *db, int64_t order_id, int64_t unit_id, bool active_only)
{
	if (unit_id <= 0)
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT role, active FROM hotline_order_units WHERE order_id = :order_id"
				       " AND unit_id = :unit_id");
	db_bind_int(st, "order_id", order_id);
	db_bind_int(st, "unit_id", unit_id);
	if (db_one(st) != 0)
		return 0;
	int role = strcmp(db_col_text(st, 0), "lead") == 0 ? 2 : 1;
	bool active = db_col_int(st, 1) != 0;
	db_reset(st);
	return active || !active_only ? role : 0;
}

static bool may_see(db_t *db, const auth_user_t *u, const order_row_t *o)
{
	if (is_centre(u))
		return true;
	return is_unit(u) && unit_role(db, o->id, u->dept_id, false) > 0;
}

static int load_scoped(db_t *db, const auth_user_t *u, int64_t id, order_row_t *o)
{
	int rc = load_order(db, id, o);
	if (rc)
		return rc;
	return may_see(db, u, o) ? 0 : YW_ENOTFOUND;
}

/* Against whom the time an order spent in a state counts: the unit it was with while dispatched
 * or in handling, otherwise the centre. */
static const char *party_of(const char *state)
{
	return strcmp(state, "dispatched") == 0 || strcmp(state, "handling") == 0 ? "unit" : "centre";
}

typedef struct step {
	const char *action, *from, *to, *note;
	int64_t unit_id; /* the unit acting or acted on, 0 none */
	json_t *data;    /* stolen */
	bool overdue;
} step_t;

static int add_step(db_t *db, hotline_ctx_t *x, const order_row_t *o, step_t *s)
{
	const char *party = s->from ? party_of(s->from) : "citizen";
	char *data = s->data ? json_dumps(s->data, JSON_COMPACT) : NULL;
	json_decref(s->data);
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_steps(order_id, at, actor_id, actor, unit_id, action, state_from,"
				       " state_to, note, data, elapsed, party, party_unit_id, overdue) VALUES (:order_id, :at,"
				       " :actor_id, :actor, :unit_id, :action, :state_from, :state_to, :note, :data, :elapsed,"
				       " :party, :party_unit_id, :overdue) RETURNING id");
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "at", x->now);
	db_bind_id(st, "actor_id", x->actor ? x->actor->id : 0);
	db_bind_text(st, "actor", x->actor ? x->actor->name : "系统");
	db_bind_id(st, "unit_id", s->unit_id);
	db_bind_text(st, "action", s->action);
	db_bind_text(st, "state_from", s->from);
	db_bind_text(st, "state_to", s->to);
	db_bind_text(st, "note", s->note ? s->note : "");
	db_bind_text(st, "data", data);
	int64_t elapsed = x->now - (s->from ? o->last_at : o->created_at);
	db_bind_int(st, "elapsed", elapsed > 0 ? elapsed : 0);
	db_bind_text(st, "party", party);
	db_bind_id(st, "party_unit_id", strcmp(party, "unit") == 0 ? o->unit_id : 0);
	db_bind_int(st, "overdue", s->overdue);
	free(data);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, x->actor, "hotline.step", "hotline_steps", id);
}

static int audit_order(db_t *db, hotline_ctx_t *x, const char *action, int64_t id)
{
	return audit_record_id(db, x->actor, action, "hotline_orders", id);
}

static int audit_unit_row(db_t *db, hotline_ctx_t *x, int64_t order_id, int64_t unit_id)
{
	char key[48];
	snprintf(key, sizeof key, "%lld/%lld", (long long)order_id, (long long)unit_id);
	return audit_record(db, x->actor, "hotline.unit", "hotline_order_units", key);
}

/* Does the department exist? */
static bool unit_exists(db_t *db, int64_t id)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM departments WHERE id = :id");
	db_bind_int(st, "id", id);
	if (db_one(st) != 0)
		return false;
	db_reset(st);
	return true;
}

static bool region_exists(db_t *db, const char *code)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM regions WHERE code = :code");
	db_bind_text(st, "code", code);
	if (db_one(st) != 0)
		return false;
	db_reset(st);
	return true;
}

static bool matter_active(db_t *db, int64_t id)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM hotline_matters WHERE id = :id AND active = 1");
	db_bind_int(st, "id", id);
	if (db_one(st) != 0)
		return false;
	db_reset(st);
	return true;
}

/* ---- intake ---- */

static const char *const console_channels[] = {"phone", "mayor_mailbox", "web", "wechat", "people_cn", "media"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* An optional string: NULL when absent or null. */
static const char *opt_str(vctx_t *v, json_t *in, const char *key, size_t max)
{
	json_t *j = json_object_get(in, key);
	if (!j || json_is_null(j))
		return NULL;
	return v_str(v, in, key, 0, max);
}

/* A text field as v_str, with its leading and trailing blanks (utf8_blank_len) removed first, so that a
 * text of spaces or invisible characters is empty and one padded with them is not longer than it
 * reads. The trimmed string replaces the field in `in`. */
static const char *v_text(vctx_t *v, json_t *in, const char *key, size_t min, size_t max)
{
	json_t *j = json_object_get(in, key);
	const char *s = json_string_value(j);
	if (s && strlen(s) == json_string_length(j)) {
		const char *b = s, *e = b + strlen(s);
		for (size_t d; (d = utf8_blank_len(b)) != 0;)
			b += d;
		/* backwards: the last character that is not blank ends the text */
		const char *end = b;
		for (const char *p = b; p < e;) {
			size_t d = utf8_blank_len(p);
			p += d ? d : 1;
			if (!d)
				end = p;
		}
		if (b != s || end != e)
			json_object_set_new(in, key, json_stringn(b, (size_t)(end - b)));
	}
	return v_str(v, in, key, min, max);
}

/* A required boolean. */
static bool req_bool(vctx_t *v, json_t *in, const char *key)
{
	json_t *j = json_object_get(in, key);
	if (!json_is_boolean(j)) {
		v_error(v, key, "必须填写（是或否）");
		return false;
	}
	return json_is_true(j);
}

/* An optional coordinate in [min, max]; *has says whether one was given. */
static double opt_coord(vctx_t *v, json_t *in, const char *key, double min, double max, bool *has)
{
	json_t *j = json_object_get(in, key);
	*has = false;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_number(j) || json_number_value(j) < min || json_number_value(j) > max) {
		v_error(v, key, "坐标不在有效范围内");
		return 0;
	}
	*has = true;
	return json_number_value(j);
}

/* ---- attachments (docs/api.md "Hotline", attachments) ---- */

/* Reads "attachments": distinct upload ids (POST /api/v1/files), at most HOTLINE_ATTACH_MAX. */
static void read_attachments(vctx_t *v, json_t *in, int64_t *ids, size_t *n)
{
	*n = 0;
	json_t *a = v_array(v, in, "attachments", false);
	if (json_array_size(a) > HOTLINE_ATTACH_MAX) {
		v_error(v, "attachments", "一次最多添加10个附件");
		return;
	}
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		char field[40];
		snprintf(field, sizeof field, "attachments[%zu]", i);
		if (!json_is_integer(e) || json_integer_value(e) < 1) {
			v_error(v, field, "应为已上传文件的编号");
			continue;
		}
		bool dup = false;
		for (size_t k = 0; k < *n; k++)
			dup |= ids[k] == json_integer_value(e);
		if (dup)
			v_error(v, field, "附件重复");
		else
			ids[(*n)++] = json_integer_value(e);
	}
}

/* Each id is an upload of the actor's own (422 otherwise: someone else's file is not theirs to attach). */
static void check_attachments(db_t *db, vctx_t *v, const auth_user_t *actor, const int64_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		db_stmt_t *st = db_prepare(db, "SELECT 1 FROM uploads WHERE id = :id AND owner_id = :me");
		db_bind_int(st, "id", ids[i]);
		db_bind_int(st, "me", actor ? actor->id : 0);
		if (db_one(st) == 0) {
			db_reset(st);
			continue;
		}
		char field[40];
		snprintf(field, sizeof field, "attachments[%zu]", i);
		v_error(v, field, "文件不存在或不是本人上传的文件");
	}
}

/* Attaches the uploads ids to the order, given by party (centre, unit) for unit (0 none), with the reply
 * or not; audited. */
static int insert_attachments(db_t *db, hotline_ctx_t *x, int64_t order_id, const int64_t *ids, size_t n,
			      const char *party, int64_t unit, bool reply)
{
	for (size_t i = 0; i < n; i++) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_attachments(order_id, sha256, name, party, unit_id, reply,"
					       " created_by, created_at) SELECT CAST(:order_id AS BIGINT), sha256, name, :party,"
					       " CAST(:unit AS BIGINT), :reply, CAST(:by AS BIGINT), :now FROM uploads WHERE id = :id"
					       " RETURNING id");
		db_bind_int(st, "order_id", order_id);
		db_bind_text(st, "party", party);
		db_bind_id(st, "unit", unit);
		db_bind_int(st, "reply", reply);
		db_bind_id(st, "by", x->actor ? x->actor->id : 0);
		db_bind_int(st, "now", x->now);
		db_bind_int(st, "id", ids[i]);
		int rc = db_one(st);
		if (rc)
			return rc == YW_ENOTFOUND ? YW_EDB : rc;
		int64_t aid = db_col_int(st, 0);
		db_reset(st);
		if ((rc = audit_record_id(db, x->actor, "hotline.attach", "hotline_attachments", aid)) != 0)
			return rc;
	}
	return 0;
}

typedef struct order_in {
	const char *channel, *source_name, *category, *title, *text, *caller_name, *address, *district;
	const char *call_id, *answer;
	char phone[24], title_buf[160];
	int64_t matter_id, article_id; /* article_id: the knowledge-base article whose answer closed it */
	double lat, lng;
	bool has_coord, urgent, confidential;
	int64_t att[HOTLINE_ATTACH_MAX]; /* the console's attachments (upload ids) */
	size_t natt;
} order_in_t;

static void read_order(vctx_t *v, json_t *in, bool public_form, const char *open311, order_in_t *o)
{
	memset(o, 0, sizeof *o);
	o->channel = open311 ? "open311" : v_str(v, in, "channel", public_form ? 0 : 1, 20);
	if (open311) {
		/* an Open311 client (docs/api.md "Open311 GeoReport v2"): the channel is fixed */
	} else if (public_form) {
		if (!*o->channel)
			o->channel = "web";
		else if (strcmp(o->channel, "web") != 0 && strcmp(o->channel, "mayor_mailbox") != 0)
			v_error(v, "channel", "只能是网上留言（web）或市长信箱（mayor_mailbox）");
	} else if (*o->channel && !in_list(o->channel, console_channels, sizeof console_channels / sizeof *console_channels)) {
		v_error(v, "channel", "应为 phone、mayor_mailbox、web、wechat、people_cn 或 media");
	}
	o->source_name = open311 ? open311 : public_form ? "" : v_str(v, in, "source_name", 0, 100);
	/* 微建议, 人民网留言 and media mailboxes are entered with where they came from */
	if (!public_form && (strcmp(o->channel, "wechat") == 0 || strcmp(o->channel, "people_cn") == 0 ||
			     strcmp(o->channel, "media") == 0) && !*o->source_name)
		v_error(v, "source_name", "该渠道须填写来源（如栏目、媒体名称）");
	o->category = v_str(v, in, "category", 1, 20);
	if (*o->category && !hotline_category_label(o->category))
		v_error(v, "category", "应为 consult（咨询）、help（求助）、complaint（投诉）、report（举报）、suggestion（建议）或 praise（表扬）");
	o->matter_id = public_form ? 0 : v_int(v, in, "matter_id", 1, INT32_MAX, open311 != NULL, 0);
	o->text = v_text(v, in, "text", public_form ? 10 : 5, public_form ? 2000 : 4000);
	o->title = v_text(v, in, "title", public_form ? 2 : 0, 100);
	if (!*o->title && *o->text) {
		/* the console may leave the title to the first words of the text */
		size_t n = 0, cps = 0;
		while (o->text[n] && cps < 30 && n < sizeof o->title_buf - 5) {
			n++;
			while ((o->text[n] & 0xC0) == 0x80)
				n++;
			cps++;
		}
		memcpy(o->title_buf, o->text, n);
		o->title_buf[n] = 0;
		o->title = o->title_buf;
	}
	o->caller_name = v_text(v, in, "caller_name", public_form ? 1 : 0, 50);
	const char *phone = v_str(v, in, "caller_phone", public_form ? 1 : 0, 30);
	if (*phone && !hotline_phone_normalize(phone, o->phone))
		v_error(v, "caller_phone", "电话号码格式不正确");
	o->address = v_text(v, in, "address", 0, 200);
	o->district = opt_str(v, in, "district", 12);
	bool has_lat, has_lng;
	o->lat = opt_coord(v, in, "lat", -90, 90, &has_lat);
	o->lng = opt_coord(v, in, "lng", -180, 180, &has_lng);
	if (has_lat != has_lng)
		v_error(v, has_lat ? "lng" : "lat", "经纬度须同时填写");
	o->has_coord = has_lat && has_lng;
	o->urgent = public_form ? false : v_bool(v, in, "urgent", false);
	o->confidential = v_bool(v, in, "confidential", false);
	o->call_id = public_form || open311 ? NULL : opt_str(v, in, "call_id", 64);
	o->answer = public_form || open311 ? NULL : opt_str(v, in, "answer", 4000);
	if (o->answer && utf8_chars(o->answer) < 5)
		v_error(v, "answer", "直接办结的答复不少于5个字");
	o->article_id = public_form ? 0 : v_int(v, in, "article_id", 1, INT32_MAX, false, 0);
	if (o->article_id && !o->answer)
		v_error(v, "article_id", "引用知识库文章须同时直接办结");
	if (!public_form && !open311)
		read_attachments(v, in, o->att, &o->natt);
	else if (json_object_get(in, "attachments"))
		v_error(v, "attachments", public_form ? "请在提交留言后凭查询码上传图片" : "不接受附件");
}

/* The next order number of the local day: 'RX' + YYYYMMDD + five digits. The day's counter is not
 * audited (docs/operations.md, "Tables not audited"): every number it gives is in an audited order,
 * and a counter changed behind the program's back can only make the next number collide (refused)
 * or skip. Its audit record was an eighth of the intake writer's time. */
static int next_number(db_t *db, hotline_ctx_t *x, char *number)
{
	char day[11], key[9];
	date_format(date_today_local(x->now), day);
	snprintf(key, sizeof key, "%.4s%.2s%.2s", day, day + 5, day + 8);
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_serials(day, last) VALUES (:day, 1)"
				       " ON CONFLICT(day) DO UPDATE SET last = hotline_serials.last + 1 RETURNING last");
	db_bind_text(st, "day", key);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t seq = db_col_int(st, 0);
	db_reset(st);
	if (seq > 99999)
		snprintf(number, 24, "RX%s%lld", key, (long long)seq);
	else
		snprintf(number, 24, "RX%s%05lld", key, (long long)seq);
	return 0;
}

int hotline_order_create(db_t *db, hotline_ctx_t *x, json_t *in, bool public_form, int64_t *id_out, char *number,
			 char *code)
{
	order_in_t o;
	read_order(x->v, in, public_form, public_form ? NULL : x->open311_client, &o);
	if (!v_ok(x->v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	if (o.matter_id && !matter_active(db, o.matter_id))
		v_error(x->v, "matter_id", "事项分类不存在或已停用");
	if (o.district && !region_exists(db, o.district))
		v_error(x->v, "district", "区划代码不存在");
	check_attachments(db, x->v, x->actor, o.att, o.natt);
	if (!v_ok(x->v))
		return commit_or_rollback(db, YW_EINVAL);
	char hash[65];
	random_code(code, 12);
	sha256_hex(code, hash);
	int rc = next_number(db, x, number);
	if (rc)
		return commit_or_rollback(db, rc);
	char day[11];
	date_format(date_today_local(x->now), day);
	const char *state = x->created_state = o.answer ? "closed" : "pending";
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_orders(number, channel, source_name, category, matter_id, title, text,"
				       " caller_name, caller_phone, address, lat, lng, district, urgent, confidential, state,"
				       " limit_days, limit_hours, created_by, created_at, created_day, closed_at, closed_by, direct,"
				       " reply, query_hash, updated_at) VALUES (:number, :channel, :source_name, :category, :matter_id,"
				       " :title, :text, :caller_name, :caller_phone, :address, :lat, :lng, :district, :urgent,"
				       " :confidential, :state, :limit_days, :limit_hours, :created_by, :now, :day, :closed_at,"
				       " :closed_by, :direct, :reply, :query_hash, :now) RETURNING id");
	db_bind_text(st, "number", number);
	db_bind_text(st, "channel", o.channel);
	db_bind_text(st, "source_name", o.source_name);
	db_bind_text(st, "category", o.category);
	db_bind_id(st, "matter_id", o.matter_id);
	db_bind_text(st, "title", o.title);
	db_bind_text(st, "text", o.text);
	db_bind_text(st, "caller_name", o.caller_name);
	db_bind_text(st, "caller_phone", o.phone);
	db_bind_text(st, "address", o.address);
	if (o.has_coord) {
		db_bind_double(st, "lat", o.lat);
		db_bind_double(st, "lng", o.lng);
	}
	db_bind_text(st, "district", o.district);
	db_bind_int(st, "urgent", o.urgent);
	db_bind_int(st, "confidential", o.confidential);
	db_bind_text(st, "state", state);
	db_bind_int(st, "limit_days", hotline_limit_days(x->cfg, o.category));
	db_bind_int(st, "limit_hours", o.urgent ? x->cfg->hotline_urgent_hours : 0);
	db_bind_id(st, "created_by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "day", day);
	if (o.answer) {
		db_bind_int(st, "closed_at", x->now);
		db_bind_id(st, "closed_by", x->actor ? x->actor->id : 0);
	}
	db_bind_int(st, "direct", o.answer != NULL);
	db_bind_text(st, "reply", o.answer ? o.answer : "");
	db_bind_text(st, "query_hash", hash);
	rc = db_one(st);
	if (rc)
		return commit_or_rollback(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
	*id_out = db_col_int(st, 0);
	db_reset(st);
	rc = audit_order(db, x, "hotline.create", *id_out);
	order_row_t row = {.id = *id_out, .created_at = x->now, .last_at = x->now};
	if (!rc) {
		step_t s = {.action = "create", .to = "pending",
			    .data = json_pack("{s:s, s:s}", "channel", o.channel, "category", o.category)};
		rc = add_step(db, x, &row, &s);
	}
	if (!rc && o.answer) {
		step_t s = {.action = "direct_close", .from = "pending", .to = "closed", .note = o.answer};
		rc = add_step(db, x, &row, &s);
	}
	if (!rc && o.article_id)
		rc = hotline_kb_cite(db, x, o.article_id, *id_out);
	if (!rc)
		rc = insert_attachments(db, x, *id_out, o.att, o.natt, "centre", 0, false);
	if (!rc && o.call_id) {
		/* the call this order was taken from (pushed by the call centre) */
		st = db_prepare(db, "UPDATE hotline_call_events SET order_id = :order_id WHERE call_id = :call_id"
				    " AND order_id IS NULL RETURNING id");
		db_bind_int(st, "order_id", *id_out);
		db_bind_text(st, "call_id", o.call_id);
		int64_t ids[8];
		int n = 0;
		while ((rc = db_step(st)) == DB_ROW)
			if (n < 8)
				ids[n++] = db_col_int(st, 0);
		rc = rc < 0 ? rc : 0;
		for (int i = 0; i < n && !rc; i++)
			rc = audit_record_id(db, x->actor, "hotline.call_link", "hotline_call_events", ids[i]);
	}
	return commit_or_rollback(db, rc);
}

/* ---- the loop ---- */

/* Reads [ids] of departments: distinct, at most max, none equal to `not`. */
static int read_units(vctx_t *v, json_t *in, const char *key, size_t max, bool required, int64_t not,
		      int64_t *ids, size_t *n)
{
	*n = 0;
	json_t *a = v_array(v, in, key, required);
	if (!a)
		return 0;
	if (required && json_array_size(a) == 0) {
		v_error(v, key, "至少选择一个单位");
		return 0;
	}
	if (json_array_size(a) > max) {
		v_error(v, key, "单位过多");
		return 0;
	}
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) <= 0) {
			v_error(v, key, "应为单位编号的数组");
			return 0;
		}
		int64_t id = json_integer_value(e);
		if (id == not) {
			v_error(v, key, "协办单位不能是主办单位");
			return 0;
		}
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == id) {
				v_error(v, key, "单位重复");
				return 0;
			}
		ids[(*n)++] = id;
	}
	return 0;
}

#define MAX_CO 10

/* The order's units now with it go inactive (audited): 改派, 重办 and 并单 release them. */
static int release_units(db_t *db, hotline_ctx_t *x, int64_t order_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT unit_id FROM hotline_order_units WHERE order_id = :order_id AND active = 1");
	db_bind_int(st, "order_id", order_id);
	int64_t old[MAX_CO + 2];
	size_t nold = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		if (nold < MAX_CO + 2)
			old[nold++] = db_col_int(st, 0);
	if (rc < 0)
		return rc;
	st = db_prepare(db, "UPDATE hotline_order_units SET active = 0 WHERE order_id = :order_id AND active = 1");
	db_bind_int(st, "order_id", order_id);
	if ((rc = db_run(st)) != 0)
		return rc;
	for (size_t i = 0; i < nold && !rc; i++)
		rc = audit_unit_row(db, x, order_id, old[i]);
	return rc;
}

/* Puts the order with lead unit `lead` and co-units: earlier units' rows go inactive, the new ones
 * are (re)activated unsigned. Sets the deadlines from now. */
static int dispatch_to(db_t *db, hotline_ctx_t *x, order_row_t *o, int64_t lead, const int64_t *co, size_t nco,
		       bool reset_due)
{
	int rc = release_units(db, x, o->id);
	db_stmt_t *st;
	for (size_t i = 0; i <= nco && !rc; i++) {
		int64_t unit = i == 0 ? lead : co[i - 1];
		st = db_prepare(db, "INSERT INTO hotline_order_units(order_id, unit_id, role, active, dispatched_at)"
				    " VALUES (:order_id, :unit_id, :role, 1, :now) ON CONFLICT(order_id, unit_id) DO UPDATE SET"
				    " role = excluded.role, active = 1, dispatched_at = excluded.dispatched_at, signed_at = NULL,"
				    " replied_at = NULL");
		db_bind_int(st, "order_id", o->id);
		db_bind_int(st, "unit_id", unit);
		db_bind_text(st, "role", i == 0 ? "lead" : "co");
		db_bind_int(st, "now", x->now);
		rc = db_run(st);
		if (!rc)
			rc = audit_unit_row(db, x, o->id, unit);
	}
	if (rc)
		return rc;
	if (reset_due) {
		/* a new limit starts: an extension asked under the old one is moot */
		st = db_prepare(db, "UPDATE hotline_extensions SET state = 'refused', decided_by = :by, decided_at = :now,"
				    " decision_note = '已重新派单' WHERE order_id = :id AND state = 'pending' RETURNING id");
		db_bind_id(st, "by", x->actor ? x->actor->id : 0);
		db_bind_int(st, "now", x->now);
		db_bind_int(st, "id", o->id);
		rc = db_one(st);
		if (rc == 0) {
			int64_t eid = db_col_int(st, 0);
			db_reset(st);
			rc = audit_record_id(db, x->actor, "hotline.extension_decide", "hotline_extensions", eid);
		} else if (rc == YW_ENOTFOUND) {
			rc = 0;
		}
		if (rc)
			return rc;
	}
	int64_t sign_due, due = o->due_at;
	bool beyond = false;
	rc = hotline_due_at(x->cal, x->now, false, x->cfg->hotline_sign_days, 0, &sign_due, NULL);
	if (!rc && (reset_due || due == 0))
		rc = hotline_due_at(x->cal, x->now, o->urgent, o->limit_days, o->limit_hours, &due, &beyond);
	if (rc)
		return rc;
	if (o->urgent && sign_due > due)
		sign_due = due;
	if (beyond)
		log_info("hotline: order %s is due in a year whose holiday notice is not loaded", o->number);
	st = db_prepare(db, "UPDATE hotline_orders SET unit_id = :unit_id, state = 'dispatched', dispatched_at = :now,"
			    " signed_at = NULL, sign_due_at = :sign_due, due_at = :due, updated_at = :now WHERE id = :id");
	db_bind_int(st, "unit_id", lead);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "sign_due", sign_due);
	db_bind_int(st, "due", due);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0)
		return rc;
	o->unit_id = lead;
	o->due_at = due;
	o->sign_due_at = sign_due;
	return 0;
}

static int conflict(hotline_ctx_t *x, const char *why)
{
	x->why = why;
	return YW_ECONFLICT;
}

static int forbidden(hotline_ctx_t *x, const char *why)
{
	x->why = why;
	return YW_EFORBIDDEN;
}

/* The state after op, or a 409 with the reason. */
static int next(hotline_ctx_t *x, const order_row_t *o, enum hotline_action a, const char **to)
{
	*to = hotline_next_state(o->state, a, o->signed_at > 0);
	if (*to)
		return 0;
	const char *label = hotline_state_label(o->state);
	snprintf(x->why_buf, sizeof x->why_buf, "工单当前状态为“%s”，不能进行此操作", label ? label : o->state);
	return conflict(x, x->why_buf);
}

static int set_state(db_t *db, hotline_ctx_t *x, order_row_t *o, const char *to)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET state = :state, updated_at = :now WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	return db_run(st);
}

/* The merged orders follow their main order's 办结: the same reply, closed at the same time, each
 * then called back on its own. */
static int close_children(db_t *db, hotline_ctx_t *x, const order_row_t *main)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET state = 'closed', closed_at = :now, closed_by = :by,"
				       " reply = (SELECT m.reply FROM hotline_orders m WHERE m.id = :main),"
				       " reply_unit_id = (SELECT m.reply_unit_id FROM hotline_orders m WHERE m.id = :main),"
				       " unit_id = (SELECT m.unit_id FROM hotline_orders m WHERE m.id = :main),"
				       " updated_at = :now WHERE merged_into = :main AND state = 'merged' RETURNING id");
	db_bind_int(st, "now", x->now);
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "main", main->id);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *p = realloc(ids, (cap = cap ? cap * 2 : 8) * sizeof *ids);
			if (!p) {
				db_reset(st);
				free(ids);
				return YW_EDB;
			}
			ids = p;
		}
		ids[n++] = db_col_int(st, 0);
	}
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; i < n && !rc; i++) {
		order_row_t c;
		rc = load_order(db, ids[i], &c);
		if (!rc)
			rc = audit_order(db, x, "hotline.update", c.id);
		if (!rc) {
			step_t s = {.action = "close", .from = "merged", .to = "closed", .note = main->number,
				    .unit_id = main->unit_id};
			rc = add_step(db, x, &c, &s);
		}
	}
	free(ids);
	return rc;
}

/* The input of each op, read before the transaction. */
typedef struct op_in {
	int64_t unit_id, co[MAX_CO], suggested, into, days, hours, meeting_at, article_id;
	size_t nco;
	bool flag, reached, solved;
	const char *note, *text, *satisfaction, *place, *hard_class;
	int64_t att[HOTLINE_ATTACH_MAX]; /* attachments (upload ids): HO_REPLY, HO_ATTACH */
	size_t natt;
} op_in_t;

static void read_op(vctx_t *v, json_t *in, enum hotline_op op, op_in_t *p)
{
	memset(p, 0, sizeof *p);
	p->note = "";
	p->text = "";
	switch (op) {
	case HO_DISPATCH:
		p->unit_id = v_int(v, in, "unit_id", 1, INT32_MAX, true, 0);
		read_units(v, in, "co_unit_ids", MAX_CO, false, p->unit_id, p->co, &p->nco);
		p->note = v_str(v, in, "note", 0, 500);
		break;
	case HO_DIRECT_CLOSE:
		p->text = v_str(v, in, "answer", 5, 4000);
		p->article_id = v_int(v, in, "article_id", 1, INT32_MAX, false, 0);
		break;
	case HO_SIGN: p->note = v_str(v, in, "note", 0, 500); break;
	case HO_RETURN:
		p->note = v_str(v, in, "reason", 5, 1000);
		p->suggested = v_int(v, in, "suggested_unit_id", 1, INT32_MAX, false, 0);
		break;
	case HO_RETURN_REVIEW:
		p->flag = req_bool(v, in, "accept");
		p->note = v_str(v, in, "note", 0, 1000);
		if (json_is_true(json_object_get(in, "accept"))) {
			p->unit_id = v_int(v, in, "unit_id", 1, INT32_MAX, true, 0);
			read_units(v, in, "co_unit_ids", MAX_CO, false, p->unit_id, p->co, &p->nco);
		} else if (json_is_false(json_object_get(in, "accept")) && utf8_chars(p->note) < 2) {
			v_error(v, "note", "驳回退单须说明理由");
		}
		break;
	case HO_EXTENSION:
		p->days = v_int(v, in, "days", 1, 30, false, 0);
		p->hours = v_int(v, in, "hours", 1, 72, false, 0);
		if (!p->days == !p->hours)
			v_error(v, "days", "须填写延期的工作日数（days）或紧急工单的小时数（hours）之一");
		p->note = v_str(v, in, "reason", 5, 1000);
		break;
	case HO_EXTENSION_DECIDE:
		p->flag = req_bool(v, in, "approve");
		p->note = v_str(v, in, "note", 0, 1000);
		break;
	case HO_OPINION: p->text = v_str(v, in, "text", 2, 2000); break;
	case HO_REPLY:
		p->text = v_str(v, in, "text", 10, 4000);
		read_attachments(v, in, p->att, &p->natt);
		break;
	case HO_ATTACH:
		read_attachments(v, in, p->att, &p->natt);
		if (!p->natt && v_ok(v))
			v_error(v, "attachments", "请选择要添加的附件");
		break;
	case HO_REVIEW:
		p->flag = req_bool(v, in, "approve");
		p->note = v_str(v, in, "reason", 0, 1000);
		if (json_is_false(json_object_get(in, "approve")) && utf8_chars(p->note) < 2)
			v_error(v, "reason", "退回重办须说明理由（如答复为空、答非所问或推诿）");
		break;
	case HO_CALLBACK:
		p->reached = v_bool(v, in, "reached", true);
		p->note = v_str(v, in, "note", 0, 1000);
		if (p->reached) {
			p->satisfaction = v_str(v, in, "satisfaction", 1, 20);
			if (*p->satisfaction && !hotline_satisfaction_label(p->satisfaction))
				v_error(v, "satisfaction", "应为 satisfied（满意）、basic（基本满意）或 dissatisfied（不满意）");
			p->solved = req_bool(v, in, "solved");
		}
		break;
	case HO_REOPEN:
		p->note = v_str(v, in, "note", 2, 1000);
		p->unit_id = v_int(v, in, "unit_id", 1, INT32_MAX, false, 0);
		break;
	case HO_MERGE: p->into = v_int(v, in, "into", 1, INT64_MAX, true, 0); break;
	case HO_SUPERVISE: p->note = v_str(v, in, "note", 2, 1000); break;
	case HO_CONSULT:
		read_units(v, in, "unit_ids", 20, true, 0, p->co, &p->nco);
		p->meeting_at = v_int(v, in, "meeting_at", 946684800, 4102444800, true, 0);
		p->place = v_str(v, in, "place", 0, 200);
		p->hard_class = v_str(v, in, "hard_class", 0, 100);
		p->text = v_str(v, in, "decision", 2, 4000);
		p->unit_id = v_int(v, in, "lead_unit_id", 1, INT32_MAX, false, 0);
		break;
	}
}

/* Every unit named in the input exists (422 otherwise). */
static void check_units(db_t *db, vctx_t *v, enum hotline_op op, const op_in_t *p)
{
	const char *lead_key = op == HO_CONSULT ? "lead_unit_id" : "unit_id";
	if (p->unit_id && !unit_exists(db, p->unit_id))
		v_error(v, lead_key, "单位不存在");
	if (p->suggested && !unit_exists(db, p->suggested))
		v_error(v, "suggested_unit_id", "单位不存在");
	for (size_t i = 0; i < p->nco; i++)
		if (!unit_exists(db, p->co[i])) {
			v_error(v, op == HO_CONSULT ? "unit_ids" : "co_unit_ids", "单位不存在");
			break;
		}
}

static int op_dispatch(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_DISPATCH, &to);
	if (rc)
		return rc;
	const char *from = o->state;
	bool redispatch = strcmp(from, "pending") != 0;
	int64_t before = o->unit_id;
	if (strcmp(from, "returned") == 0) {
		/* 改派 while a return waits decides it: the return was justified */
		db_stmt_t *st = db_prepare(db, "UPDATE hotline_returns SET state = 'accepted', decided_by = :by, decided_at = :now,"
					       " decision_note = :note WHERE order_id = :id AND state = 'pending' RETURNING id");
		db_bind_id(st, "by", x->actor ? x->actor->id : 0);
		db_bind_int(st, "now", x->now);
		db_bind_text(st, "note", p->note);
		db_bind_int(st, "id", o->id);
		if ((rc = db_one(st)) == 0) {
			int64_t rid = db_col_int(st, 0);
			db_reset(st);
			rc = audit_record_id(db, x->actor, "hotline.return_accept", "hotline_returns", rid);
		} else if (rc == YW_ENOTFOUND) {
			rc = 0;
		}
		if (rc)
			return rc;
	}
	rc = dispatch_to(db, x, o, p->unit_id, p->co, p->nco, redispatch || o->due_at == 0);
	if (!rc)
		rc = audit_order(db, x, "hotline.update", o->id);
	if (!rc) {
		json_t *co = json_array();
		for (size_t i = 0; i < p->nco; i++)
			json_array_append_new(co, json_integer(p->co[i]));
		step_t s = {.action = redispatch ? "redispatch" : "dispatch", .from = from, .to = to, .note = p->note,
			    .unit_id = p->unit_id,
			    .data = json_pack("{s:I, s:o, s:I}", "from_unit_id", (json_int_t)before, "co_unit_ids", co,
					      "due_at", (json_int_t)o->due_at)};
		o->unit_id = before; /* the time before counts against whoever had it */
		rc = add_step(db, x, o, &s);
		o->unit_id = p->unit_id;
	}
	return rc;
}

static int op_sign(db_t *db, hotline_ctx_t *x, order_row_t *o, int role)
{
	if (strcmp(o->state, "dispatched") != 0 && strcmp(o->state, "handling") != 0) {
		const char *label = hotline_state_label(o->state);
		snprintf(x->why_buf, sizeof x->why_buf, "工单当前状态为“%s”，不能签收", label ? label : o->state);
		return conflict(x, x->why_buf);
	}
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_order_units SET signed_at = :now WHERE order_id = :id"
				       " AND unit_id = :unit AND signed_at IS NULL");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	db_bind_int(st, "unit", x->actor->dept_id);
	int rc = db_run(st);
	if (rc)
		return rc;
	if (db_changes(st) == 0)
		return conflict(x, "本单位已签收该工单");
	if ((rc = audit_unit_row(db, x, o->id, x->actor->dept_id)) != 0)
		return rc;
	bool late = o->sign_due_at > 0 && x->now > o->sign_due_at;
	if (role == 1) {
		step_t s = {.action = "co_sign", .from = o->state, .to = o->state, .unit_id = x->actor->dept_id,
			    .overdue = late};
		return add_step(db, x, o, &s);
	}
	const char *to;
	if ((rc = next(x, o, HA_SIGN, &to)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE hotline_orders SET state = :state, signed_at = :now, updated_at = :now WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	step_t s = {.action = "sign", .from = o->state, .to = to, .unit_id = x->actor->dept_id, .overdue = late};
	return add_step(db, x, o, &s);
}

static int op_return(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_RETURN, &to);
	if (rc)
		return rc;
	if (p->suggested == x->actor->dept_id)
		return conflict(x, "建议改派的单位不能是本单位");
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_returns(order_id, unit_id, reason, suggested_unit_id, returned_by,"
				       " returned_at) VALUES (:order_id, :unit_id, :reason, :suggested, :by, :now) RETURNING id");
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "unit_id", x->actor->dept_id);
	db_bind_text(st, "reason", p->note);
	db_bind_id(st, "suggested", p->suggested);
	db_bind_id(st, "by", x->actor->id);
	db_bind_int(st, "now", x->now);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t rid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, x->actor, "hotline.return", "hotline_returns", rid)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE hotline_orders SET state = :state, return_count = return_count + 1, updated_at = :now"
			    " WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	step_t s = {.action = "return", .from = o->state, .to = to, .note = p->note, .unit_id = x->actor->dept_id,
		    .data = json_pack("{s:I, s:I}", "return_id", (json_int_t)rid, "suggested_unit_id",
				      (json_int_t)p->suggested)};
	return add_step(db, x, o, &s);
}

static int op_return_review(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (strcmp(o->state, "returned") != 0)
		return conflict(x, "该工单没有待审核的退单");
	if (p->flag) {
		db_stmt_t *st = db_prepare(db, "SELECT unit_id FROM hotline_returns WHERE order_id = :id AND state = 'pending'");
		db_bind_int(st, "id", o->id);
		int rc = db_one(st);
		if (rc)
			return rc == YW_ENOTFOUND ? conflict(x, "该工单没有待审核的退单") : rc;
		int64_t returned_by_unit = db_col_int(st, 0);
		db_reset(st);
		if (returned_by_unit == p->unit_id)
			return conflict(x, "改派的单位不能是退单的单位；如退单理由不成立，请驳回退单");
		return op_dispatch(db, x, o, p);
	}
	const char *to;
	int rc = next(x, o, HA_RETURN_REJECT, &to);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_returns SET state = 'rejected', decided_by = :by, decided_at = :now,"
				       " decision_note = :note WHERE order_id = :id AND state = 'pending' RETURNING id");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "note", p->note);
	db_bind_int(st, "id", o->id);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? conflict(x, "该工单没有待审核的退单") : rc;
	int64_t rid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, x->actor, "hotline.return_reject", "hotline_returns", rid)) != 0)
		return rc;
	if ((rc = set_state(db, x, o, to)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	step_t s = {.action = "return_reject", .from = o->state, .to = to, .note = p->note, .unit_id = o->unit_id,
		    .data = json_pack("{s:I}", "return_id", (json_int_t)rid)};
	return add_step(db, x, o, &s);
}

static int op_extension(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (strcmp(o->state, "handling") != 0)
		return conflict(x, "签收后、答复前方可申请延期");
	if (o->urgent && !p->hours)
		return conflict(x, "紧急工单按小时延期，请填写 hours");
	if (!o->urgent && !p->days)
		return conflict(x, "非紧急工单按工作日延期，请填写 days");
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM hotline_extensions WHERE order_id = :id AND state = 'pending'");
	db_bind_int(st, "id", o->id);
	int rc = db_one(st);
	if (rc == 0) {
		db_reset(st);
		return conflict(x, "已有待审批的延期申请");
	}
	if (rc != YW_ENOTFOUND)
		return rc;
	st = db_prepare(db, "INSERT INTO hotline_extensions(order_id, unit_id, days, hours, reason, requested_by, requested_at,"
			    " old_due_at) VALUES (:order_id, :unit_id, :days, :hours, :reason, :by, :now, :due) RETURNING id");
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "unit_id", x->actor->dept_id);
	db_bind_int(st, "days", p->days);
	db_bind_int(st, "hours", p->hours);
	db_bind_text(st, "reason", p->note);
	db_bind_id(st, "by", x->actor->id);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "due", o->due_at);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t eid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, x->actor, "hotline.extension", "hotline_extensions", eid)) != 0)
		return rc;
	step_t s = {.action = "extension_request", .from = o->state, .to = o->state, .note = p->note,
		    .unit_id = x->actor->dept_id,
		    .data = json_pack("{s:I, s:I, s:I}", "extension_id", (json_int_t)eid, "days", (json_int_t)p->days,
				      "hours", (json_int_t)p->hours)};
	return add_step(db, x, o, &s);
}

static int op_extension_decide(db_t *db, hotline_ctx_t *x, int64_t eid, const op_in_t *p, int64_t *order_out)
{
	/* read again after the order's lock below: pending is decided under it */
	db_stmt_t *st = db_prepare(db, "SELECT order_id, days, hours, state FROM hotline_extensions WHERE id = :id");
	db_bind_int(st, "id", eid);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t order_id = db_col_int(st, 0);
	int days = (int)db_col_int(st, 1), hours = (int)db_col_int(st, 2);
	bool pending = strcmp(db_col_text(st, 3), "pending") == 0;
	db_reset(st);
	*order_out = order_id;
	order_row_t o;
	if ((rc = lock_order(db, order_id)) != 0 || (rc = load_order(db, order_id, &o)) != 0)
		return rc;
	if (!pending)
		return conflict(x, "该延期申请已审批");
	if (!hotline_state_open(o.state) || strcmp(o.state, "replied") == 0)
		return conflict(x, "工单已答复或已办结，延期申请不再需要审批");
	int64_t due = o.due_at;
	if (p->flag) {
		if (hours)
			due = o.due_at + (int64_t)hours * 3600;
		else if ((rc = hotline_due_at(x->cal, o.due_at, false, days, 0, &due, NULL)) != 0)
			return rc;
	}
	st = db_prepare(db, "UPDATE hotline_extensions SET state = :state, decided_by = :by, decided_at = :now,"
			    " decision_note = :note, new_due_at = :due WHERE id = :id AND state = 'pending'");
	db_bind_text(st, "state", p->flag ? "approved" : "refused");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "note", p->note);
	db_bind_int(st, "due", due);
	db_bind_int(st, "id", eid);
	if ((rc = db_run(st)) != 0)
		return rc;
	if (db_changes(st) == 0)
		return conflict(x, "该延期申请已审批");
	if ((rc = audit_record_id(db, x->actor, "hotline.extension_decide", "hotline_extensions", eid)) != 0)
		return rc;
	if (p->flag) {
		st = db_prepare(db, "UPDATE hotline_orders SET due_at = :due, updated_at = :now WHERE id = :id");
		db_bind_int(st, "due", due);
		db_bind_int(st, "now", x->now);
		db_bind_int(st, "id", o.id);
		if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o.id)) != 0)
			return rc;
	}
	step_t s = {.action = p->flag ? "extension_approve" : "extension_refuse", .from = o.state, .to = o.state,
		    .note = p->note, .unit_id = o.unit_id,
		    .data = json_pack("{s:I, s:I, s:I}", "extension_id", (json_int_t)eid, "old_due_at",
				      (json_int_t)o.due_at, "due_at", (json_int_t)due)};
	return add_step(db, x, &o, &s);
}

static int op_opinion(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (strcmp(o->state, "dispatched") != 0 && strcmp(o->state, "handling") != 0)
		return conflict(x, "工单不在办理中，不能提交协办意见");
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_order_units SET opinion = :text, replied_at = :now,"
				       " signed_at = COALESCE(signed_at, :now) WHERE order_id = :id AND unit_id = :unit");
	db_bind_text(st, "text", p->text);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	db_bind_int(st, "unit", x->actor->dept_id);
	int rc = db_run(st);
	if (!rc)
		rc = audit_unit_row(db, x, o->id, x->actor->dept_id);
	if (!rc) {
		step_t s = {.action = "co_opinion", .from = o->state, .to = o->state, .note = p->text,
			    .unit_id = x->actor->dept_id};
		rc = add_step(db, x, o, &s);
	}
	return rc;
}

static int op_reply(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_REPLY, &to);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET state = :state, reply = :text, reply_unit_id = :unit,"
				       " replied_at = :now, updated_at = :now WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_text(st, "text", p->text);
	db_bind_int(st, "unit", x->actor->dept_id);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE hotline_order_units SET replied_at = :now WHERE order_id = :id AND unit_id = :unit");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	db_bind_int(st, "unit", x->actor->dept_id);
	if ((rc = db_run(st)) != 0 || (rc = audit_unit_row(db, x, o->id, x->actor->dept_id)) != 0)
		return rc;
	step_t s = {.action = "reply", .from = o->state, .to = to, .note = p->text, .unit_id = x->actor->dept_id,
		    .overdue = o->due_at > 0 && x->now > o->due_at};
	if ((rc = add_step(db, x, o, &s)) != 0)
		return rc;
	return insert_attachments(db, x, o->id, p->att, p->natt, "unit", x->actor->dept_id, true);
}

/* Attachments added later: the centre's to any order not merged into another, a unit's (lead or
 * co-unit) while the order is with it and being handled. */
static int op_attach(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (strcmp(o->state, "merged") == 0)
		return conflict(x, "工单已并入其他工单，请在主工单上添加附件");
	if (auth_has_perm(x->actor, PERM_HOTLINE_OPERATE))
		return insert_attachments(db, x, o->id, p->att, p->natt, "centre", 0, false);
	if (!is_unit(x->actor))
		return forbidden(x, "仅12345中心和承办单位可以添加附件");
	if (strcmp(o->state, "dispatched") != 0 && strcmp(o->state, "handling") != 0)
		return conflict(x, "工单不在办理中，不能添加附件");
	return insert_attachments(db, x, o->id, p->att, p->natt, "unit", x->actor->dept_id, false);
}

static int op_review(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, p->flag ? HA_CLOSE : HA_REPLY_REJECT, &to);
	if (rc)
		return rc;
	db_stmt_t *st;
	if (p->flag) {
		st = db_prepare(db, "UPDATE hotline_orders SET state = :state, closed_at = :now, closed_by = :by,"
				    " updated_at = :now WHERE id = :id");
		db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	} else {
		st = db_prepare(db, "UPDATE hotline_orders SET state = :state, replied_at = NULL, updated_at = :now WHERE id = :id");
	}
	db_bind_text(st, "state", to);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	step_t s = {.action = p->flag ? "close" : "reply_reject", .from = o->state, .to = to, .note = p->note,
		    .unit_id = o->unit_id};
	if ((rc = add_step(db, x, o, &s)) != 0)
		return rc;
	return p->flag ? close_children(db, x, o) : 0;
}

static int op_direct_close(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_DIRECT_CLOSE, &to);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET state = :state, reply = :text, direct = 1, closed_at = :now,"
				       " closed_by = :by, updated_at = :now WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_text(st, "text", p->text);
	db_bind_int(st, "now", x->now);
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	step_t s = {.action = "direct_close", .from = o->state, .to = to, .note = p->text};
	if ((rc = add_step(db, x, o, &s)) != 0)
		return rc;
	if (p->article_id && (rc = hotline_kb_cite(db, x, p->article_id, o->id)) != 0)
		return rc;
	return close_children(db, x, o);
}

static int op_callback(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to = o->state;
	int rc = 0;
	if (p->reached && (rc = next(x, o, HA_CALLBACK, &to)) != 0)
		return rc;
	if (!p->reached && strcmp(o->state, "closed") != 0)
		return conflict(x, "工单办结后、回访完成前方可登记回访");
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_callbacks(order_id, at, by_id, reached, satisfaction, solved, unit_id,"
				       " note) VALUES (:order_id, :now, :by, :reached, :satisfaction, :solved, :unit, :note)"
				       " RETURNING id");
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "now", x->now);
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "reached", p->reached);
	db_bind_text(st, "satisfaction", p->reached ? p->satisfaction : NULL);
	if (p->reached)
		db_bind_int(st, "solved", p->solved);
	db_bind_id(st, "unit", o->unit_id);
	db_bind_text(st, "note", p->note);
	if ((rc = db_one(st)) != 0)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t cid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, x->actor, "hotline.callback", "hotline_callbacks", cid)) != 0)
		return rc;
	if (p->reached) {
		st = db_prepare(db, "UPDATE hotline_orders SET state = :state, visited_at = :now, satisfaction = :satisfaction,"
				    " solved = :solved, updated_at = :now WHERE id = :id");
		db_bind_text(st, "state", to);
		db_bind_int(st, "now", x->now);
		db_bind_text(st, "satisfaction", p->satisfaction);
		db_bind_int(st, "solved", p->solved);
		db_bind_int(st, "id", o->id);
		if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
			return rc;
	}
	step_t s = {.action = p->reached ? "callback" : "callback_unreached", .from = o->state, .to = to, .note = p->note,
		    .unit_id = o->unit_id,
		    .data = p->reached ? json_pack("{s:s, s:b}", "satisfaction", p->satisfaction, "solved", p->solved)
				       : NULL};
	return add_step(db, x, o, &s);
}

static int op_reopen(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_REOPEN, &to);
	if (rc)
		return rc;
	if (strcmp(o->satisfaction, "dissatisfied") != 0)
		return conflict(x, "只有回访不满意的工单可以重办");
	if (o->reopen_count >= 1)
		return conflict(x, "该工单已重办过一次，不能再次重办");
	int64_t unit = p->unit_id ? p->unit_id : o->unit_id;
	if (unit <= 0)
		return conflict(x, "直接办结的工单重办时须指定承办单位（unit_id）");
	const char *from = o->state;
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET reopen_count = reopen_count + 1, satisfaction = NULL,"
				       " solved = NULL, closed_at = NULL, closed_by = NULL, visited_at = NULL, replied_at = NULL,"
				       " updated_at = :now WHERE id = :id");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0)
		return rc;
	int64_t before = o->unit_id;
	o->due_at = 0;
	if ((rc = dispatch_to(db, x, o, unit, NULL, 0, true)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)))
		return rc;
	step_t s = {.action = "reopen", .from = from, .to = to, .note = p->note, .unit_id = unit,
		    .data = json_pack("{s:I, s:I}", "from_unit_id", (json_int_t)before, "due_at", (json_int_t)o->due_at)};
	return add_step(db, x, o, &s);
}

static int op_merge(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	const char *to;
	int rc = next(x, o, HA_MERGE, &to);
	if (rc)
		return rc;
	if (p->into == o->id)
		return conflict(x, "不能并入工单自身");
	order_row_t m;
	rc = load_order(db, p->into, &m);
	if (rc == YW_ENOTFOUND) {
		v_error(x->v, "into", "主工单不存在");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (strcmp(m.state, "merged") == 0)
		return conflict(x, "主工单本身已并入其他工单，请并入最终的主工单");
	if (strcmp(m.state, "visited") == 0)
		return conflict(x, "主工单已回访完毕，不能再并入");
	const char *from = o->state;
	/* the merged order's units are released; it follows the main order from now on */
	if ((rc = release_units(db, x, o->id)) != 0)
		return rc;
	db_stmt_t *st;
	/* a return or an extension still waiting is moot once the order follows another */
	st = db_prepare(db, "UPDATE hotline_returns SET state = 'accepted', decided_by = :by, decided_at = :now,"
			    " decision_note = '已并单' WHERE order_id = :id AND state = 'pending' RETURNING id");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	int64_t moot[2] = {0, 0};
	if ((rc = db_one(st)) == 0) {
		moot[0] = db_col_int(st, 0);
		db_reset(st);
	}
	if (rc && rc != YW_ENOTFOUND)
		return rc;
	st = db_prepare(db, "UPDATE hotline_extensions SET state = 'refused', decided_by = :by, decided_at = :now,"
			    " decision_note = '已并单' WHERE order_id = :id AND state = 'pending' RETURNING id");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_one(st)) == 0) {
		moot[1] = db_col_int(st, 0);
		db_reset(st);
	}
	if (rc && rc != YW_ENOTFOUND)
		return rc;
	rc = moot[0] ? audit_record_id(db, x->actor, "hotline.return_accept", "hotline_returns", moot[0]) : 0;
	if (!rc && moot[1])
		rc = audit_record_id(db, x->actor, "hotline.extension_decide", "hotline_extensions", moot[1]);
	if (rc)
		return rc;
	/* closed already: the merged order takes the main order's answer at once */
	bool main_closed = strcmp(m.state, "closed") == 0;
	st = db_prepare(db, "UPDATE hotline_orders SET state = :state, merged_into = :into, updated_at = :now WHERE id = :id");
	db_bind_text(st, "state", to);
	db_bind_int(st, "into", m.id);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	if ((rc = db_run(st)) != 0 || (rc = audit_order(db, x, "hotline.update", o->id)) != 0)
		return rc;
	/* nested merges point at the final main order */
	st = db_prepare(db, "UPDATE hotline_orders SET merged_into = :into, updated_at = :now WHERE merged_into = :id"
			    " RETURNING id");
	db_bind_int(st, "into", m.id);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	int64_t moved[64];
	size_t nm = 0;
	while ((rc = db_step(st)) == DB_ROW)
		if (nm < 64)
			moved[nm++] = db_col_int(st, 0);
	if (rc < 0)
		return rc;
	rc = 0;
	for (size_t i = 0; i < nm && !rc; i++)
		rc = audit_order(db, x, "hotline.update", moved[i]);
	if (rc)
		return rc;
	step_t s = {.action = "merge", .from = from, .to = to, .note = m.number,
		    .data = json_pack("{s:I, s:s}", "into", (json_int_t)m.id, "into_number", m.number)};
	if ((rc = add_step(db, x, o, &s)) != 0)
		return rc;
	step_t sm = {.action = "merge_main", .from = m.state, .to = m.state, .note = o->number,
		     .data = json_pack("{s:I, s:s}", "merged", (json_int_t)o->id, "merged_number", o->number)};
	if ((rc = add_step(db, x, &m, &sm)) != 0)
		return rc;
	return main_closed ? close_children(db, x, &m) : 0;
}

static int op_supervise(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (!hotline_state_open(o->state))
		return conflict(x, "只能督办尚未办结的工单");
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_orders SET supervise_count = supervise_count + 1, updated_at = :now"
				       " WHERE id = :id");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", o->id);
	int rc = db_run(st);
	if (!rc)
		rc = audit_order(db, x, "hotline.supervise", o->id);
	if (!rc) {
		step_t s = {.action = "supervise", .from = o->state, .to = o->state, .note = p->note, .unit_id = o->unit_id,
			    .overdue = o->due_at > 0 && x->now > o->due_at};
		rc = add_step(db, x, o, &s);
	}
	return rc;
}

static int op_consult(db_t *db, hotline_ctx_t *x, order_row_t *o, const op_in_t *p)
{
	if (strcmp(o->state, "merged") == 0)
		return conflict(x, "已并单的工单随主工单办理，请在主工单上记录会商");
	json_t *units = json_array();
	for (size_t i = 0; i < p->nco; i++)
		json_array_append_new(units, json_integer(p->co[i]));
	char *u = json_dumps(units, JSON_COMPACT);
	json_decref(units);
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_consultations(order_id, units, meeting_at, place, hard_class, decision,"
				       " lead_unit_id, created_by, created_at) VALUES (:order_id, :units, :meeting_at, :place,"
				       " :hard_class, :decision, :lead, :by, :now) RETURNING id");
	db_bind_int(st, "order_id", o->id);
	db_bind_text(st, "units", u);
	free(u);
	db_bind_int(st, "meeting_at", p->meeting_at);
	db_bind_text(st, "place", p->place);
	db_bind_text(st, "hard_class", p->hard_class);
	db_bind_text(st, "decision", p->text);
	db_bind_id(st, "lead", p->unit_id);
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	int64_t cid = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(db, x->actor, "hotline.consultation", "hotline_consultations", cid)) != 0)
		return rc;
	step_t s = {.action = "consultation", .from = o->state, .to = o->state, .note = p->text,
		    .unit_id = p->unit_id, .data = json_pack("{s:I}", "consultation_id", (json_int_t)cid)};
	return add_step(db, x, o, &s);
}

int hotline_act(db_t *db, hotline_ctx_t *x, int64_t target, enum hotline_op op, json_t *in, int64_t *order_out)
{
	op_in_t p;
	read_op(x->v, in, op, &p);
	if (!v_ok(x->v))
		return YW_EINVAL;
	*order_out = target;
	if (db_begin(db))
		return YW_EDB;
	check_units(db, x->v, op, &p);
	check_attachments(db, x->v, x->actor, p.att, p.natt);
	if (!v_ok(x->v))
		return commit_or_rollback(db, YW_EINVAL);
	if (op == HO_EXTENSION_DECIDE) {
		int rc = op_extension_decide(db, x, target, &p, order_out);
		return commit_or_rollback(db, rc);
	}
	order_row_t o;
	int rc = lock_order(db, target);
	if (!rc)
		rc = load_scoped(db, x->actor, target, &o);
	if (rc)
		return commit_or_rollback(db, rc);
	/* what a unit may do: its own part of an order with it now */
	bool unit_op = op == HO_SIGN || op == HO_RETURN || op == HO_EXTENSION || op == HO_OPINION || op == HO_REPLY ||
		       (op == HO_ATTACH && !is_centre(x->actor));
	int role = unit_op ? unit_role(db, o.id, x->actor->dept_id, true) : 0;
	if (unit_op && role == 0)
		rc = forbidden(x, "该工单当前不在本单位办理");
	else if (unit_op && role == 1 && op != HO_SIGN && op != HO_OPINION && op != HO_ATTACH)
		rc = forbidden(x, "协办单位只能签收和提交协办意见，退单、延期和答复由主办单位办理");
	else if (op == HO_OPINION && role != 1)
		rc = forbidden(x, "主办单位请直接答复工单");
	if (rc)
		return commit_or_rollback(db, rc);
	switch (op) {
	case HO_DISPATCH: rc = op_dispatch(db, x, &o, &p); break;
	case HO_DIRECT_CLOSE: rc = op_direct_close(db, x, &o, &p); break;
	case HO_SIGN: rc = op_sign(db, x, &o, role); break;
	case HO_RETURN: rc = op_return(db, x, &o, &p); break;
	case HO_RETURN_REVIEW: rc = op_return_review(db, x, &o, &p); break;
	case HO_EXTENSION: rc = op_extension(db, x, &o, &p); break;
	case HO_OPINION: rc = op_opinion(db, x, &o, &p); break;
	case HO_REPLY: rc = op_reply(db, x, &o, &p); break;
	case HO_REVIEW: rc = op_review(db, x, &o, &p); break;
	case HO_CALLBACK: rc = op_callback(db, x, &o, &p); break;
	case HO_REOPEN: rc = op_reopen(db, x, &o, &p); break;
	case HO_MERGE: rc = op_merge(db, x, &o, &p); break;
	case HO_SUPERVISE: rc = op_supervise(db, x, &o, &p); break;
	case HO_CONSULT: rc = op_consult(db, x, &o, &p); break;
	case HO_ATTACH: rc = op_attach(db, x, &o, &p); break;
	case HO_EXTENSION_DECIDE: rc = YW_EINVAL; break;
	}
	return commit_or_rollback(db, rc);
}

/* ---- reading ---- */

/* The columns of an order as read for the console, in order_json's order. */
#define ORDER_COLS                                                                                                     \
	"o.id, o.number, o.channel, o.source_name, o.category, o.matter_id, m.name, o.title, o.text, o.caller_name,"  \
	" o.caller_phone, o.address, o.lat, o.lng, o.district, r.name, o.urgent, o.confidential, o.state, o.unit_id,"  \
	" d.name, o.limit_days, o.limit_hours, o.sign_due_at, o.due_at, o.created_at, o.dispatched_at, o.signed_at,"   \
	" o.replied_at, o.closed_at, o.visited_at, o.direct, o.reply, o.reply_unit_id, o.merged_into, mo.number,"       \
	" o.reopen_count, o.return_count, o.supervise_count, o.satisfaction, o.solved, o.created_by"
#define ORDER_FROM                                                                                                     \
	" FROM hotline_orders o LEFT JOIN hotline_matters m ON m.id = o.matter_id"                                    \
	" LEFT JOIN regions r ON r.code = o.district LEFT JOIN departments d ON d.id = o.unit_id"                      \
	" LEFT JOIN hotline_orders mo ON mo.id = o.merged_into"

static void set_text(json_t *j, const char *key, const char *s)
{
	json_object_set_new(j, key, s ? json_string(s) : json_null());
}

/* The order at st's row as JSON; the caller's personal data is left out for a unit when the
 * citizen asked for confidentiality (保密). */
static json_t *order_json(db_stmt_t *st, const auth_user_t *actor, const calendar_t *cal, const yw_config_t *cfg,
			  int64_t now)
{
	json_t *j = json_object();
	const char *names[] = {"id", "number", "channel", "source_name", "category", "matter_id", "matter", "title",
			       "text", "caller_name", "caller_phone", "address", "lat", "lng", "district", "district_name",
			       "urgent", "confidential", "state", "unit_id", "unit", "limit_days", "limit_hours",
			       "sign_due_at", "due_at", "created_at", "dispatched_at", "signed_at", "replied_at",
			       "closed_at", "visited_at", "direct", "reply", "reply_unit_id", "merged_into",
			       "merged_into_number", "reopen_count", "return_count", "supervise_count", "satisfaction",
			       "solved", "created_by"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		json_object_set_new(j, names[i], db_col_json(st, (int)i));
	bool urgent = db_col_int(st, 16) != 0, confidential = db_col_int(st, 17) != 0;
	json_object_set_new(j, "urgent", json_boolean(urgent));
	json_object_set_new(j, "confidential", json_boolean(confidential));
	json_object_set_new(j, "direct", json_boolean(db_col_int(st, 31) != 0));
	if (!db_col_null(st, 40))
		json_object_set_new(j, "solved", json_boolean(db_col_int(st, 40) != 0));
	if (confidential && !is_centre(actor)) {
		set_text(j, "caller_name", "（保密）");
		set_text(j, "caller_phone", "");
		set_text(j, "address", "");
		json_object_set_new(j, "lat", json_null());
		json_object_set_new(j, "lng", json_null());
	}
	set_text(j, "channel_label", hotline_channel_label(db_col_text(st, 2)));
	set_text(j, "category_label", hotline_category_label(db_col_text(st, 4)));
	const char *state = db_col_text(st, 18);
	set_text(j, "state_label", hotline_state_label(state));
	set_text(j, "satisfaction_label", hotline_satisfaction_label(db_col_text(st, 39)));
	int64_t due = db_col_int(st, 24);
	int signal = hotline_state_open(state) ? hotline_signal(cal, now, db_col_int(st, 26), due, urgent,
								 (int)db_col_int(st, 22), cfg->warn_workdays,
								 cfg->red_overdue_workdays)
					       : 0;
	json_object_set_new(j, "signal", json_integer(signal));
	set_text(j, "signal_label", hotline_signal_label(signal));
	json_object_set_new(j, "overdue", json_boolean(hotline_state_open(state) && due > 0 && now > due));
	/* 回访 is due within hotline_callback_days working days of 办结 */
	int64_t cb_due = 0;
	if (strcmp(state, "closed") == 0 && !db_col_null(st, 29) &&
	    hotline_due_at(cal, db_col_int(st, 29), false, cfg->hotline_callback_days, 0, &cb_due, NULL) == 0)
		json_object_set_new(j, "callback_due_at", json_integer(cb_due));
	else
		json_object_set_new(j, "callback_due_at", json_null());
	return j;
}

static json_t *rows_json(db_stmt_t *st, int *rc)
{
	json_t *a = json_array();
	while ((*rc = db_step(st)) == DB_ROW) {
		json_t *r = json_object();
		for (int i = 0; i < db_col_count(st); i++)
			json_object_set_new(r, db_col_name(st, i), db_col_json(st, i));
		json_array_append_new(a, r);
	}
	if (*rc == DB_DONE)
		*rc = 0;
	return a;
}

static int add_list(db_t *db, json_t *j, const char *key, const char *sql, int64_t id)
{
	db_stmt_t *st = db_prepare(db, sql);
	db_bind_int(st, "id", id);
	int rc;
	json_t *a = rows_json(st, &rc);
	json_object_set_new(j, key, a);
	return rc;
}

static void label_rows(json_t *a, const char *key, const char *label_key, const char *(*label)(const char *))
{
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e) {
		const char *l = label(json_string_value(json_object_get(e, key)));
		json_object_set_new(e, label_key, l ? json_string(l) : json_null());
	}
}

static const char *step_label(const char *action)
{
	static const char *const t[][2] = {
		{"create", "受理"},	   {"dispatch", "派单"},	    {"redispatch", "改派"},
		{"sign", "签收"},	   {"co_sign", "协办签收"},	    {"return", "退单"},
		{"return_reject", "驳回退单"}, {"extension_request", "申请延期"}, {"extension_approve", "同意延期"},
		{"extension_refuse", "不同意延期"}, {"co_opinion", "协办意见"},	    {"reply", "答复"},
		{"reply_reject", "退回重办"}, {"close", "办结"},		    {"direct_close", "直接办结"},
		{"callback", "回访"},	   {"callback_unreached", "回访未接通"}, {"reopen", "重办"},
		{"merge", "并单"},	   {"merge_main", "并入工单"},	    {"supervise", "督办"},
		{"consultation", "会商"},
	};
	for (size_t i = 0; action && i < sizeof t / sizeof *t; i++)
		if (strcmp(t[i][0], action) == 0)
			return t[i][1];
	return NULL;
}

int hotline_order_get(db_t *db, const auth_user_t *actor, const calendar_t *cal, const yw_config_t *cfg,
		      int64_t id, json_t **out)
{
	order_row_t o;
	int rc = load_scoped(db, actor, id, &o);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "SELECT " ORDER_COLS ORDER_FROM " WHERE o.id = :id");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return rc;
	json_t *j = order_json(st, actor, cal, cfg, yw_now());
	db_reset(st);
	rc = add_list(db, j, "units",
		      "SELECT u.unit_id, d.name AS unit, u.role, u.active, u.dispatched_at, u.signed_at, u.replied_at,"
		      " u.opinion FROM hotline_order_units u JOIN departments d ON d.id = u.unit_id WHERE u.order_id = :id"
		      " ORDER BY u.active DESC, u.role DESC, u.dispatched_at, u.unit_id",
		      id);
	if (!rc)
		rc = add_list(db, j, "steps",
			      "SELECT s.id, s.at, s.actor, s.unit_id, d.name AS unit, s.action, s.state_from, s.state_to,"
			      " s.note, s.data, s.elapsed, s.party, s.party_unit_id, pd.name AS party_unit, s.overdue"
			      " FROM hotline_steps s LEFT JOIN departments d ON d.id = s.unit_id"
			      " LEFT JOIN departments pd ON pd.id = s.party_unit_id WHERE s.order_id = :id ORDER BY s.id",
			      id);
	if (!rc) {
		json_t *steps = json_object_get(j, "steps");
		label_rows(steps, "action", "action_label", step_label);
		size_t i;
		json_t *e;
		json_array_foreach(steps, i, e) {
			const char *d = json_string_value(json_object_get(e, "data"));
			json_object_set_new(e, "data", d ? json_loads(d, 0, NULL) : json_null());
			json_object_set_new(e, "overdue", json_boolean(json_integer_value(json_object_get(e, "overdue"))));
		}
	}
	if (!rc)
		rc = add_list(db, j, "returns",
			      "SELECT t.id, t.unit_id, d.name AS unit, t.reason, t.suggested_unit_id, sd.name AS suggested_unit,"
			      " t.returned_at, t.state, t.decided_at, t.decision_note FROM hotline_returns t"
			      " JOIN departments d ON d.id = t.unit_id LEFT JOIN departments sd ON sd.id = t.suggested_unit_id"
			      " WHERE t.order_id = :id ORDER BY t.id",
			      id);
	if (!rc)
		rc = add_list(db, j, "extensions",
			      "SELECT e.id, e.unit_id, d.name AS unit, e.days, e.hours, e.reason, e.requested_at, e.state,"
			      " e.decided_at, e.decision_note, e.old_due_at, e.new_due_at FROM hotline_extensions e"
			      " JOIN departments d ON d.id = e.unit_id WHERE e.order_id = :id ORDER BY e.id",
			      id);
	if (!rc)
		rc = add_list(db, j, "callbacks",
			      "SELECT c.id, c.at, u.name AS by_name, c.reached, c.satisfaction, c.solved, c.note"
			      " FROM hotline_callbacks c LEFT JOIN users u ON u.id = c.by_id WHERE c.order_id = :id ORDER BY c.id",
			      id);
	if (!rc)
		label_rows(json_object_get(j, "callbacks"), "satisfaction", "satisfaction_label",
			   hotline_satisfaction_label);
	if (!rc)
		rc = add_list(db, j, "consultations",
			      "SELECT c.id, c.units, c.meeting_at, c.place, c.hard_class, c.decision, c.lead_unit_id,"
			      " d.name AS lead_unit, c.created_at FROM hotline_consultations c"
			      " LEFT JOIN departments d ON d.id = c.lead_unit_id WHERE c.order_id = :id ORDER BY c.id",
			      id);
	if (!rc) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(j, "consultations"), i, e) {
			const char *u = json_string_value(json_object_get(e, "units"));
			json_t *ids = u ? json_loads(u, 0, NULL) : NULL;
			json_object_set_new(e, "unit_ids", ids ? ids : json_array());
			json_object_del(e, "units");
		}
	}
	if (!rc)
		rc = add_list(db, j, "merged",
			      "SELECT id, number, state, title, created_at FROM hotline_orders WHERE merged_into = :id"
			      " ORDER BY id",
			      id);
	if (!rc && is_centre(actor) && !o.confidential) {
		/* the caller's earlier orders, for the operator who talks to them */
		st = db_prepare(db, "SELECT e.id, e.number, e.state, e.category, e.title, e.created_at FROM hotline_orders e"
				    " JOIN hotline_orders o ON o.caller_phone = e.caller_phone WHERE o.id = :id"
				    " AND e.id <> o.id AND o.caller_phone <> '' ORDER BY e.id DESC LIMIT 10");
		db_bind_int(st, "id", id);
		json_t *a = rows_json(st, &rc);
		label_rows(a, "state", "state_label", hotline_state_label);
		json_object_set_new(j, "earlier", a);
	}
	if (!rc) {
		/* attachments; a unit does not see what the citizen gave with a confidential (保密) order:
		 * a photo may show who and where they are. The centre attaches what the unit needs. */
		st = db_prepare(db, "SELECT a.id, a.name, f.size, f.mime, a.party, a.unit_id, d.name AS unit, a.reply,"
				    " a.created_at FROM hotline_attachments a JOIN files f ON f.sha256 = a.sha256"
				    " LEFT JOIN departments d ON d.id = a.unit_id WHERE a.order_id = :id"
				    " AND (a.party <> 'citizen' OR :all = 1) ORDER BY a.id");
		db_bind_int(st, "id", id);
		db_bind_int(st, "all", is_centre(actor) || !o.confidential);
		json_t *a = rows_json(st, &rc);
		size_t i;
		json_t *e;
		json_array_foreach(a, i, e)
			json_object_set_new(e, "reply", json_boolean(json_integer_value(json_object_get(e, "reply"))));
		json_object_set_new(j, "attachments", a);
	}
	if (!rc) { /* the knowledge-base article whose answer closed it, if any */
		json_t *art;
		if ((rc = hotline_kb_order_article(db, id, &art)) == 0)
			json_object_set_new(j, "kb_article", art ? art : json_null());
	}
	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return 0;
}

/* LIKE pattern for s anywhere, with % _ and \ escaped. */
static char *like_pattern(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(2 * n + 3), *q = p;
	if (!p)
		return NULL;
	*q++ = '%';
	for (; *s; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			*q++ = '\\';
		*q++ = *s;
	}
	*q++ = '%';
	*q = 0;
	return p;
}

/* The list's filters. :unit scopes a handling unit to the orders dispatched to it; :todo_unit
 * narrows to what waits for that unit now; :todo_centre to what waits for the centre. */
#define LIST_WHERE                                                                                                     \
	" WHERE (EXISTS (SELECT 1 FROM hotline_order_units hu WHERE hu.order_id = o.id AND hu.unit_id = :unit)"         \
	" OR CAST(:unit AS BIGINT) = 0)"                                                                               \
	" AND (EXISTS (SELECT 1 FROM hotline_order_units tu WHERE tu.order_id = o.id AND tu.unit_id = :todo_unit"       \
	" AND tu.active = 1 AND o.state IN ('dispatched', 'handling') AND (tu.role = 'lead' OR tu.replied_at IS NULL))" \
	" OR CAST(:todo_unit AS BIGINT) = 0)"                                                                          \
	" AND (o.state IN ('pending', 'returned', 'replied', 'closed') OR CAST(:todo_centre AS BIGINT) = 0)"          \
	" AND (o.state = :state OR :state = '') AND (o.category = :category OR :category = '')"                        \
	" AND (o.channel = :channel OR :channel = '') AND (o.caller_phone = :phone OR :phone = '')"                     \
	" AND (o.unit_id = :unit_id OR CAST(:unit_id AS BIGINT) = 0)"                                                  \
	" AND (o.number LIKE :q ESCAPE '\\' OR o.title LIKE :q ESCAPE '\\' OR o.text LIKE :q ESCAPE '\\' OR :q = '')"

static void bind_list(db_stmt_t *st, const auth_user_t *actor, const hotline_filter_t *f, const char *q,
		      const char *phone)
{
	int64_t unit = is_centre(actor) ? 0 : actor->dept_id;
	db_bind_int(st, "unit", unit);
	db_bind_int(st, "todo_unit", f->todo && unit ? unit : 0);
	db_bind_int(st, "todo_centre", f->todo && !unit ? 1 : 0);
	db_bind_text(st, "state", f->state ? f->state : "");
	db_bind_text(st, "category", f->category ? f->category : "");
	db_bind_text(st, "channel", f->channel ? f->channel : "");
	db_bind_text(st, "phone", phone);
	db_bind_int(st, "unit_id", f->unit_id);
	db_bind_text(st, "q", q);
}

int hotline_orders_list(db_t *db, const auth_user_t *actor, const calendar_t *cal, const yw_config_t *cfg,
			const hotline_filter_t *f, int64_t page, int64_t size, json_t **out)
{
	if (!is_centre(actor) && !is_unit(actor)) {
		*out = json_pack("{s:i, s:[]}", "total", 0, "items");
		return 0;
	}
	char phone[24] = "";
	if (f->phone && *f->phone && !hotline_phone_normalize(f->phone, phone))
		snprintf(phone, sizeof phone, "-");
	char *q = f->q && *f->q ? like_pattern(f->q) : NULL;
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n FROM hotline_orders o" LIST_WHERE);
	bind_list(st, actor, f, q ? q : "", phone);
	int rc = db_one(st);
	if (rc) {
		free(q);
		return rc;
	}
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_prepare(db, "SELECT " ORDER_COLS ORDER_FROM LIST_WHERE
			    " ORDER BY o.urgent DESC, CASE WHEN o.due_at IS NULL THEN 1 ELSE 0 END, o.due_at, o.id DESC"
			    " LIMIT :page_size OFFSET :skip");
	bind_list(st, actor, f, q ? q : "", phone);
	db_bind_int(st, "page_size", size);
	db_bind_int(st, "skip", (page - 1) * size);
	json_t *items = json_array();
	int64_t now = yw_now();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *j = order_json(st, actor, cal, cfg, now);
		/* the list shows the start of the text */
		json_object_del(j, "reply");
		json_array_append_new(items, j);
	}
	free(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

typedef struct cand {
	json_t *j;
	double score;
} cand_t;

static int cmp_cand(const void *a, const void *b)
{
	double x = ((const cand_t *)a)->score, y = ((const cand_t *)b)->score;
	return x < y ? 1 : x > y ? -1 : 0;
}

int hotline_duplicates(db_t *db, const auth_user_t *actor, int64_t id, int64_t days, json_t **out)
{
	order_row_t o;
	int rc = load_scoped(db, actor, id, &o);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "SELECT title || ' ' || text, address, caller_phone FROM hotline_orders WHERE id = :id");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return rc;
	char *text = strdup(db_col_text(st, 0)), *addr = strdup(db_col_text(st, 1)), *phone = strdup(db_col_text(st, 2));
	db_reset(st);
	/* the candidates: not merged, within the window, the most recent 500 */
	st = db_prepare(db, "SELECT id, number, state, title, title || ' ' || text, address, COALESCE(district, ''),"
			    " caller_phone, created_at FROM hotline_orders WHERE id <> :id AND state <> 'merged'"
			    " AND created_at BETWEEN :from AND :to ORDER BY created_at DESC LIMIT 500");
	db_bind_int(st, "id", id);
	db_bind_int(st, "from", o.created_at - days * 86400);
	db_bind_int(st, "to", o.created_at + days * 86400);
	cand_t *c = NULL;
	size_t n = 0, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		double sim = hotline_text_similarity(text, db_col_text(st, 4));
		bool same_district = *o.district && strcmp(o.district, db_col_text(st, 6)) == 0;
		bool same_address = *addr && strcmp(addr, db_col_text(st, 5)) == 0;
		bool same_caller = *phone && strcmp(phone, db_col_text(st, 7)) == 0;
		double score = sim + (same_district ? 0.1 : 0) + (same_address ? 0.2 : 0) + (same_caller ? 0.1 : 0);
		if (sim < 0.25 && !(same_address && sim >= 0.1))
			continue;
		if (n == cap) {
			cand_t *p = realloc(c, (cap = cap ? cap * 2 : 16) * sizeof *c);
			if (!p)
				break;
			c = p;
		}
		json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:I, s:f, s:f, s:b, s:b, s:b}", "id",
				      (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1), "state", db_col_text(st, 2),
				      "title", db_col_text(st, 3), "created_at", (json_int_t)db_col_int(st, 8), "similarity",
				      round(sim * 1000) / 1000, "score", round(score * 1000) / 1000, "same_district",
				      same_district, "same_address", same_address, "same_caller", same_caller);
		set_text(j, "state_label", hotline_state_label(db_col_text(st, 2)));
		c[n].j = j;
		c[n++].score = score;
	}
	if (rc == DB_ROW)
		db_reset(st);
	free(text);
	free(addr);
	free(phone);
	if (rc < 0) {
		for (size_t i = 0; i < n; i++)
			json_decref(c[i].j);
		free(c);
		return rc;
	}
	if (n)
		qsort(c, n, sizeof *c, cmp_cand);
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		if (i < 10)
			json_array_append(items, c[i].j);
		json_decref(c[i].j);
	}
	free(c);
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

/* The SHA-256 of a query code as stored (the code is not case-sensitive); false for no code. */
static bool code_hash(const char *code, char hash[65])
{
	if (!code || strlen(code) > 64)
		return false;
	char upper[65];
	size_t i = 0;
	for (; code[i] && i < 64; i++)
		upper[i] = (char)(code[i] >= 'a' && code[i] <= 'z' ? code[i] - 32 : code[i]);
	upper[i] = 0;
	sha256_hex(upper, hash);
	return true;
}

/* The citizen's attachments and, with the published reply, the unit's attachments to it. */
static int public_attachments(db_t *db, int64_t order_id, bool with_reply, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.name, f.size, f.mime, a.party, a.created_at FROM hotline_attachments a"
				       " JOIN files f ON f.sha256 = a.sha256 WHERE a.order_id = :id"
				       " AND (a.party = 'citizen' OR (a.reply = 1 AND :reply = 1)) ORDER BY a.id");
	db_bind_int(st, "id", order_id);
	db_bind_int(st, "reply", with_reply);
	int rc;
	*out = rows_json(st, &rc);
	return rc;
}

int hotline_public_get(db_t *db, const char *number, const char *code, json_t **out)
{
	char hash[65];
	if (!number || !code_hash(code, hash))
		return YW_ENOTFOUND;
	/* a merged order shows its main order's progress and answer */
	db_stmt_t *st = db_prepare(db, "SELECT o.number, o.channel, o.category, o.confidential, o.created_at,"
				       " COALESCE(m.state, o.state), o.title, COALESCE(m.closed_at, o.closed_at),"
				       " CASE WHEN o.state IN ('closed', 'visited') THEN o.reply"
				       " WHEN m.state IN ('closed', 'visited') THEN m.reply ELSE '' END,"
				       " d.name, o.state, o.query_hash, o.id,"
				       " CASE WHEN m.confidential = 1 OR (m.category = 'report' AND o.category <> 'report')"
				       " THEN 1 ELSE 0 END FROM hotline_orders o"
				       " LEFT JOIN hotline_orders m ON m.id = o.merged_into"
				       " LEFT JOIN departments d ON d.id = COALESCE(m.reply_unit_id, o.reply_unit_id)"
				       " WHERE o.number = :number");
	db_bind_text(st, "number", number);
	int rc = db_one(st);
	if (rc)
		return rc;
	if (sodium_memcmp(hash, db_col_text(st, 11), 64) != 0) {
		db_reset(st);
		return YW_ENOTFOUND;
	}
	bool confidential = db_col_int(st, 3) != 0;
	const char *state = db_col_text(st, 5);
	/* what the citizen follows: received, being handled, answered */
	const char *pub = strcmp(state, "pending") == 0 ? "已受理"
			  : strcmp(state, "closed") == 0 || strcmp(state, "visited") == 0 ? "已办结"
											   : "办理中";
	json_t *j = json_pack("{s:s, s:s, s:s, s:b, s:I, s:s}", "number", db_col_text(st, 0), "channel_label",
			      hotline_channel_label(db_col_text(st, 1)), "category_label",
			      hotline_category_label(db_col_text(st, 2)), "confidential", confidential, "created_at",
			      (json_int_t)db_col_int(st, 4), "status", pub);
	json_object_set_new(j, "closed_at", db_col_null(st, 7) ? json_null() : json_integer(db_col_int(st, 7)));
	json_object_set_new(j, "merged", json_boolean(strcmp(db_col_text(st, 10), "merged") == 0));
	/* merged into a 保密 order, or into a 举报 from another kind of order: the reply is the main
	 * order's, written for its citizen, and is told by phone, as Open311 keeps it unpublished */
	bool withheld = db_col_int(st, 13) != 0 && *db_col_text(st, 8);
	if (!confidential) {
		set_text(j, "title", db_col_text(st, 6));
		set_text(j, "reply", *db_col_text(st, 8) && !withheld ? db_col_text(st, 8) : NULL);
		set_text(j, "reply_unit", *db_col_text(st, 8) && !withheld ? db_col_text_or_null(st, 9) : NULL);
		json_object_set_new(j, "reply_withheld", json_boolean(withheld));
	}
	/* the unit's attachments to its reply once the reply is published: the order's own closed reply */
	bool reply = !confidential && !withheld &&
		     (strcmp(db_col_text(st, 10), "closed") == 0 || strcmp(db_col_text(st, 10), "visited") == 0);
	int64_t id = db_col_int(st, 12);
	db_reset(st);
	json_t *a;
	if ((rc = public_attachments(db, id, reply, &a)) != 0) {
		json_decref(j);
		return rc;
	}
	json_object_set_new(j, "attachments", a);
	*out = j;
	return 0;
}

/* The order of number whose query code is code, its state and whether it is confidential. */
static int public_order(db_t *db, const char *number, const char *code, int64_t *id, char state[16], bool *confidential)
{
	char hash[65];
	if (!number || !code_hash(code, hash))
		return YW_ENOTFOUND;
	db_stmt_t *st = db_prepare(db, "SELECT id, state, confidential, query_hash FROM hotline_orders WHERE number = :number");
	db_bind_text(st, "number", number);
	int rc = db_one(st);
	if (rc)
		return rc;
	bool ok = sodium_memcmp(hash, db_col_text(st, 3), 64) == 0;
	*id = db_col_int(st, 0);
	snprintf(state, 16, "%s", db_col_text(st, 1));
	*confidential = db_col_int(st, 2) != 0;
	db_reset(st);
	return ok ? 0 : YW_ENOTFOUND;
}

/* Why a citizen may not add a photo now (NULL: they may): the order is answered, or has its photos. */
static const char *public_attach_refusal(db_t *db, int64_t id, const char *state, int *rc)
{
	*rc = 0;
	if (strcmp(state, "closed") == 0 || strcmp(state, "visited") == 0 || strcmp(state, "merged") == 0)
		return "留言已办结，不能再上传图片";
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) AS n FROM hotline_attachments WHERE order_id = :id AND party = 'citizen'");
	db_bind_int(st, "id", id);
	if ((*rc = db_one(st)) != 0)
		return NULL;
	int64_t n = db_col_int(st, 0);
	db_reset(st);
	return n >= HOTLINE_PUBLIC_IMAGES ? "每条留言最多上传" HOTLINE_PUBLIC_IMAGES_TEXT "张图片" : NULL;
}

int hotline_public_attach_check(db_t *db, const char *number, const char *code, const char **why)
{
	int64_t id;
	char state[16];
	bool conf;
	int rc = public_order(db, number, code, &id, state, &conf);
	if (rc)
		return rc;
	*why = public_attach_refusal(db, id, state, &rc);
	return rc ? rc : *why ? YW_ECONFLICT : 0;
}

int hotline_public_attach(db_t *db, const char *number, const char *code, const char *sha_hex, size_t size,
			  const char *mime, const char *name, int64_t now, const char **why, int64_t *id_out)
{
	if (db_begin(db))
		return YW_EDB;
	int64_t id;
	char state[16];
	bool conf;
	int rc = public_order(db, number, code, &id, state, &conf);
	if (!rc)
		rc = lock_order(db, id);
	if (!rc && (*why = public_attach_refusal(db, id, state, &rc)) != NULL)
		rc = YW_ECONFLICT;
	if (!rc)
		rc = files_content_record(db, NULL, sha_hex, size, mime);
	if (!rc) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_attachments(order_id, sha256, name, party, created_at)"
					       " VALUES (:id, :sha, :name, 'citizen', :now) RETURNING id");
		db_bind_int(st, "id", id);
		db_bind_text(st, "sha", sha_hex);
		db_bind_text(st, "name", name);
		db_bind_int(st, "now", now);
		if ((rc = db_one(st)) == 0) {
			*id_out = db_col_int(st, 0);
			db_reset(st);
			rc = audit_record_id(db, NULL, "hotline.attach", "hotline_attachments", *id_out);
		}
	}
	return commit_or_rollback(db, rc);
}

/* The content of attachment aid of order id as sha, mime and name: staff see the others' attachments
 * and the citizen's when citizen_ok; the citizen (staff false) their own and, when reply, the reply's. */
static int attachment_row(db_t *db, int64_t id, int64_t aid, bool staff, bool citizen_ok, bool reply, char sha_hex[65],
			  char mime[128], char name[HOTLINE_NAME_SIZE])
{
	db_stmt_t *st = db_prepare(db, "SELECT a.sha256, f.mime, a.name FROM hotline_attachments a JOIN files f"
				       " ON f.sha256 = a.sha256 WHERE a.id = :aid AND a.order_id = :id"
				       " AND (a.party <> 'citizen' OR :citizen = 1)"
				       " AND (a.party = 'citizen' OR :staff = 1 OR (a.reply = 1 AND :reply = 1))");
	db_bind_int(st, "aid", aid);
	db_bind_int(st, "id", id);
	db_bind_int(st, "citizen", citizen_ok);
	db_bind_int(st, "staff", staff);
	db_bind_int(st, "reply", reply);
	int rc = db_one(st);
	if (rc)
		return rc;
	snprintf(sha_hex, 65, "%s", db_col_text(st, 0));
	snprintf(mime, 128, "%s", db_col_text(st, 1));
	snprintf(name, HOTLINE_NAME_SIZE, "%s", db_col_text(st, 2));
	db_reset(st);
	return 0;
}

int hotline_attachment_get(db_t *db, const auth_user_t *actor, int64_t id, int64_t aid, char sha_hex[65], char mime[128],
			   char name[HOTLINE_NAME_SIZE])
{
	order_row_t o;
	int rc = load_scoped(db, actor, id, &o);
	if (rc)
		return rc;
	return attachment_row(db, id, aid, true, is_centre(actor) || !o.confidential, false, sha_hex, mime, name);
}

int hotline_public_attachment_get(db_t *db, const char *number, const char *code, int64_t aid, char sha_hex[65],
				  char mime[128], char name[HOTLINE_NAME_SIZE])
{
	int64_t id;
	char state[16];
	bool conf;
	int rc = public_order(db, number, code, &id, state, &conf);
	if (rc)
		return rc;
	/* the citizen's own photos; the unit's attachments to the reply once it is published */
	bool reply = !conf && (strcmp(state, "closed") == 0 || strcmp(state, "visited") == 0);
	return attachment_row(db, id, aid, false, true, reply, sha_hex, mime, name);
}

/* ---- matters ---- */

int hotline_matters_list(db_t *db, bool active_only, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, parent_id, name, active, sort FROM hotline_matters"
				       " WHERE active = 1 OR CAST(:all AS BIGINT) = 1"
				       " ORDER BY COALESCE(parent_id, 0), sort, id");
	db_bind_int(st, "all", !active_only);
	int rc;
	json_t *a = rows_json(st, &rc);
	if (rc) {
		json_decref(a);
		return rc;
	}
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e)
		json_object_set_new(e, "active", json_boolean(json_integer_value(json_object_get(e, "active"))));
	*out = json_pack("{s:o}", "items", a);
	return 0;
}

int hotline_matter_put(db_t *db, const auth_user_t *actor, int64_t id, json_t *in, vctx_t *v, int64_t *id_out)
{
	const char *name = v_str(v, in, "name", 1, 50);
	int64_t parent = v_int(v, in, "parent_id", 1, INT32_MAX, false, 0);
	bool active = v_bool(v, in, "active", true);
	int64_t sort = v_int(v, in, "sort", 0, 9999, false, 0);
	if (id && parent == id)
		v_error(v, "parent_id", "上级分类不能是自身");
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st;
	int rc = 0;
	if (parent) {
		/* the parent exists and is not below this matter (no cycles) */
		st = db_prepare(db, "SELECT parent_id FROM hotline_matters WHERE id = :id");
		int64_t p = parent;
		for (int depth = 0; p && depth < 32 && !rc; depth++) {
			if (id && p == id) {
				v_error(v, "parent_id", "上级分类不能是自身的下级");
				break;
			}
			db_bind_int(st, "id", p);
			rc = db_one(st);
			if (rc == YW_ENOTFOUND) {
				v_error(v, "parent_id", "上级分类不存在");
				rc = 0;
				break;
			}
			if (!rc) {
				p = db_col_int(st, 0);
				db_reset(st);
			}
		}
	}
	if (!rc && !v_ok(v))
		rc = YW_EINVAL;
	if (!rc && id) {
		st = db_prepare(db, "UPDATE hotline_matters SET name = :name, parent_id = :parent, active = :active, sort = :sort"
				    " WHERE id = :id");
		db_bind_int(st, "id", id);
	} else if (!rc) {
		st = db_prepare(db, "INSERT INTO hotline_matters(name, parent_id, active, sort, created_at)"
				    " VALUES (:name, :parent, :active, :sort, :now) RETURNING id");
		db_bind_int(st, "now", yw_now());
	}
	if (!rc) {
		db_bind_text(st, "name", name);
		db_bind_id(st, "parent", parent);
		db_bind_int(st, "active", active);
		db_bind_int(st, "sort", sort);
		if (id) {
			rc = db_run(st);
			if (!rc && db_changes(st) == 0)
				rc = YW_ENOTFOUND;
			*id_out = id;
		} else {
			rc = db_one(st);
			if (!rc) {
				*id_out = db_col_int(st, 0);
				db_reset(st);
			}
		}
		if (rc == YW_ECONFLICT) {
			v_error(v, "name", "同一上级下已有同名分类");
			rc = YW_EINVAL;
		}
	}
	if (!rc)
		rc = audit_record_id(db, actor, id ? "hotline.matter_update" : "hotline.matter_create", "hotline_matters",
				     *id_out);
	return commit_or_rollback(db, rc);
}

/* ---- call-centre clients and call events ---- */

int hotline_client_by_key(db_t *db, const char *key, const char *kind, int64_t *id_out)
{
	if (!key || !*key || strlen(key) > 128)
		return YW_EAUTH;
	char hash[65];
	sha256_hex(key, hash);
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_clients WHERE key_hash = :hash AND kind = :kind"
				       " AND revoked_at IS NULL");
	db_bind_text(st, "hash", hash);
	db_bind_text(st, "kind", kind);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
	*id_out = db_col_int(st, 0);
	db_reset(st);
	return 0;
}

int hotline_client_add(db_t *db, const char *kind, const char *name, char *key_out, int64_t *id_out)
{
	unsigned char rnd[24];
	randombytes_buf(rnd, sizeof rnd);
	char b64[40];
	sodium_bin2base64(b64, sizeof b64, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	snprintf(key_out, 48, "hk_%s", b64);
	char hash[65];
	sha256_hex(key_out, hash);
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_clients(name, kind, key_hash, created_at)"
				       " VALUES (:name, :kind, :hash, :now) RETURNING id");
	db_bind_text(st, "name", name);
	db_bind_text(st, "kind", kind);
	db_bind_text(st, "hash", hash);
	db_bind_int(st, "now", yw_now());
	int rc = db_one(st);
	if (!rc) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, NULL, "hotline.client_create", "hotline_clients", *id_out);
	}
	return commit_or_rollback(db, rc);
}

int hotline_client_revoke(db_t *db, int64_t id, const char *kind)
{
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_clients SET revoked_at = :now WHERE id = :id AND kind = :kind"
				       " AND revoked_at IS NULL");
	db_bind_int(st, "now", yw_now());
	db_bind_int(st, "id", id);
	db_bind_text(st, "kind", kind);
	int rc = db_run(st);
	if (!rc && db_changes(st) == 0)
		rc = YW_ENOTFOUND;
	if (!rc)
		rc = audit_record_id(db, NULL, "hotline.client_revoke", "hotline_clients", id);
	return commit_or_rollback(db, rc);
}

int hotline_clients_list(db_t *db, const char *kind, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, name, created_at, revoked_at FROM hotline_clients WHERE kind = :kind"
				       " ORDER BY id");
	db_bind_text(st, "kind", kind);
	int rc;
	json_t *a = rows_json(st, &rc);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

static bool url_ok(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return false;
	for (; *u; u++)
		if ((unsigned char)*u <= ' ' || *u == '"' || *u == '<' || *u == '>')
			return false;
	return true;
}

int hotline_call_event_put(db_t *db, int64_t client_id, json_t *in, int64_t now, vctx_t *v, int64_t *id_out,
			   bool *created)
{
	const char *call_id = v_str(v, in, "call_id", 1, 64);
	const char *caller = v_str(v, in, "caller", 1, 30);
	char phone[24] = "";
	if (*caller && !hotline_phone_normalize(caller, phone))
		v_error(v, "caller", "电话号码格式不正确");
	const char *agent = v_str(v, in, "agent", 0, 32);
	int64_t started = v_int(v, in, "started_at", 946684800, 4102444800, true, 0);
	int64_t ended = v_int(v, in, "ended_at", 946684800, 4102444800, false, 0);
	if (ended && started && ended < started)
		v_error(v, "ended_at", "结束时间早于开始时间");
	const char *url = v_str(v, in, "recording_url", 0, 500);
	if (*url && !url_ok(url))
		v_error(v, "recording_url", "录音地址应为 http(s) 网址");
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_call_events WHERE client_id = :client AND call_id = :call_id");
	db_bind_int(st, "client", client_id);
	db_bind_text(st, "call_id", call_id);
	int rc = db_one(st);
	*created = rc == YW_ENOTFOUND;
	if (rc == 0)
		db_reset(st);
	if (rc == 0 || rc == YW_ENOTFOUND) {
		st = db_prepare(db, "INSERT INTO hotline_call_events(client_id, call_id, caller, agent, started_at, ended_at,"
				    " recording_url, received_at) VALUES (:client, :call_id, :caller, :agent, :started, :ended,"
				    " :url, :now) ON CONFLICT(client_id, call_id) DO UPDATE SET caller = excluded.caller,"
				    " agent = excluded.agent, started_at = excluded.started_at,"
				    " ended_at = COALESCE(excluded.ended_at, hotline_call_events.ended_at),"
				    " recording_url = CASE WHEN excluded.recording_url = '' THEN hotline_call_events.recording_url"
				    " ELSE excluded.recording_url END RETURNING id");
		db_bind_int(st, "client", client_id);
		db_bind_text(st, "call_id", call_id);
		db_bind_text(st, "caller", phone);
		db_bind_text(st, "agent", agent);
		db_bind_int(st, "started", started);
		db_bind_id(st, "ended", ended);
		db_bind_text(st, "url", url);
		db_bind_int(st, "now", now);
		rc = db_one(st);
		if (!rc) {
			*id_out = db_col_int(st, 0);
			db_reset(st);
			rc = audit_record_id(db, NULL, *created ? "hotline.call_create" : "hotline.call_update",
					     "hotline_call_events", *id_out);
		}
	}
	return commit_or_rollback(db, rc);
}

int hotline_calls_list(db_t *db, const char *caller, int64_t limit, json_t **out)
{
	char phone[24] = "";
	if (caller && *caller && !hotline_phone_normalize(caller, phone))
		snprintf(phone, sizeof phone, "-");
	db_stmt_t *st = db_prepare(db, "SELECT e.id, e.call_id, e.caller, e.agent, e.started_at, e.ended_at, e.recording_url,"
				       " e.order_id, o.number AS order_number, c.name AS client FROM hotline_call_events e"
				       " JOIN hotline_clients c ON c.id = e.client_id LEFT JOIN hotline_orders o ON o.id = e.order_id"
				       " WHERE e.caller = :caller OR :caller = '' ORDER BY e.started_at DESC, e.id DESC LIMIT :limit");
	db_bind_text(st, "caller", phone);
	db_bind_int(st, "limit", limit);
	int rc;
	json_t *a = rows_json(st, &rc);
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = json_pack("{s:o}", "items", a);
	return 0;
}

/* ---- background ---- */

int hotline_tick(db_t *db, int64_t now)
{
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	const yw_config_t *cfg = config_current();
	/* only orders whose signal can change: due within two weeks (预警 may start a long holiday
	 * before the due day) or showing a signal now (an extension may have taken it back) */
	db_stmt_t *st = db_prepare(db, "SELECT id, due_at, urgent, limit_hours, signal, dispatched_at, unit_id, number"
				       " FROM hotline_orders"
				       " WHERE state IN ('dispatched', 'handling', 'returned', 'replied') AND due_at IS NOT NULL"
				       " AND (due_at <= :horizon OR signal <> 0)");
	db_bind_int(st, "horizon", now + 14 * 86400);
	struct {
		int64_t id, unit_id;
		int signal, was;
		char number[24];
	} *changed = NULL;
	size_t n = 0, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		int s = hotline_signal(cal, now, db_col_int(st, 5), db_col_int(st, 1), db_col_int(st, 2) != 0,
				       (int)db_col_int(st, 3), cfg->warn_workdays, cfg->red_overdue_workdays);
		if (s == db_col_int(st, 4))
			continue;
		if (n == cap) {
			void *p = realloc(changed, (cap = cap ? cap * 2 : 16) * sizeof *changed);
			if (!p)
				break;
			changed = p;
		}
		changed[n].id = db_col_int(st, 0);
		changed[n].signal = s;
		changed[n].was = (int)db_col_int(st, 4);
		changed[n].unit_id = db_col_int(st, 6);
		snprintf(changed[n++].number, sizeof changed[0].number, "%s", db_col_text(st, 7));
	}
	if (rc == DB_ROW)
		db_reset(st);
	calendar_release();
	if (rc < 0 || n == 0) {
		free(changed);
		return rc < 0 ? rc : 0;
	}
	if ((rc = db_begin(db)) != 0) {
		free(changed);
		return rc;
	}
	char day[11];
	date_format(date_today_local(now), day);
	for (size_t i = 0; i < n && !rc; i++) {
		st = db_prepare(db, "UPDATE hotline_orders SET signal = :signal WHERE id = :id");
		db_bind_int(st, "signal", changed[i].signal);
		db_bind_int(st, "id", changed[i].id);
		rc = db_run(st);
		if (!rc)
			rc = audit_record_id(db, NULL, "hotline.signal", "hotline_orders", changed[i].id);
		/* a rising signal earns the unit its card, once per order and kind, as a case's clock does
		 * (docs/domain.md §6) */
		if (!rc && changed[i].signal > changed[i].was && changed[i].unit_id) {
			sv_card_t c = {.hotline_order_id = changed[i].id, .step = -1, .level = changed[i].signal,
				       .kind = supervision_card_kind(changed[i].signal), .dept_id = changed[i].unit_id,
				       .day = day, .at = now, .note = changed[i].number};
			rc = supervision_store_card_add(db, NULL, &c, NULL);
		}
	}
	free(changed);
	return commit_or_rollback(db, rc);
}
