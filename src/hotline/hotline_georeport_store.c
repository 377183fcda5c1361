/* Open311 store (hotline_open311.h; docs/api.md "Open311 GeoReport v2"): keyed clients, the
 * matter classification as services, and work orders as GeoReport service requests. What a
 * request shows is public: never the caller's name or phone, and a confidential (保密) order or a
 * 举报 shows neither its text, its place nor its reply. A merged order (并单) follows its main order,
 * but never publishes the reply of a confidential or 举报 main order. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_open311.h"
#include "platform/err.h"

int open311_client_by_key(db_t *db, const char *key, int64_t *id_out, char *name_out)
{
	if (!key || !*key || strlen(key) > 128)
		return YW_EAUTH;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)key, strlen(key));
	char hash[65];
	sodium_bin2hex(hash, sizeof hash, h, sizeof h);
	db_stmt_t *st = db_prepare(db, "SELECT id, name FROM hotline_clients WHERE key_hash = :hash AND kind = 'open311'"
				       " AND revoked_at IS NULL");
	db_bind_text(st, "hash", hash);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
	*id_out = db_col_int(st, 0);
	snprintf(name_out, 101, "%s", db_col_text(st, 1));
	db_reset(st);
	return 0;
}

static json_t *service_json(db_stmt_t *st)
{
	char code[24];
	snprintf(code, sizeof code, "%lld", (long long)db_col_int(st, 0));
	const char *name = db_col_text(st, 1), *group = db_col_text_or_null(st, 2);
	json_t *j = json_object();
	json_object_set_new(j, "service_code", json_string(code));
	json_object_set_new(j, "service_name", json_string(name));
	json_object_set_new(j, "description", group ? json_sprintf("%s / %s", group, name) : json_string(name));
	json_object_set_new(j, "metadata", json_true()); /* every service has the order's attributes */
	json_object_set_new(j, "type", json_string("realtime"));
	json_object_set_new(j, "keywords", json_string(group ? group : ""));
	json_object_set_new(j, "group", json_string(group ? group : ""));
	return j;
}

int open311_services(db_t *db, json_t **out)
{
	/* the leaves: active matters without an active child, under an active parent */
	db_stmt_t *st = db_prepare(db, "SELECT m.id, m.name, p.name AS parent FROM hotline_matters m"
				       " LEFT JOIN hotline_matters p ON p.id = m.parent_id"
				       " WHERE m.active = 1 AND (p.id IS NULL OR p.active = 1)"
				       " AND NOT EXISTS (SELECT 1 FROM hotline_matters c WHERE c.parent_id = m.id AND c.active = 1)"
				       " ORDER BY COALESCE(p.sort, m.sort), COALESCE(p.id, m.id), m.sort, m.id");
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(a, service_json(st));
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}

int open311_service_get(db_t *db, int64_t code, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT m.id, m.name, p.name AS parent FROM hotline_matters m"
				       " LEFT JOIN hotline_matters p ON p.id = m.parent_id"
				       " WHERE m.id = :id AND m.active = 1 AND (p.id IS NULL OR p.active = 1)"
				       " AND NOT EXISTS (SELECT 1 FROM hotline_matters c WHERE c.parent_id = m.id AND c.active = 1)");
	db_bind_int(st, "id", code);
	int rc = db_one(st);
	if (rc)
		return rc;
	*out = service_json(st);
	db_reset(st);
	return 0;
}

/* The columns every request query reads, in this order. */
#define REQ_COLS                                                                                                      \
	"SELECT o.number AS number, o.matter_id AS matter_id, mt.name AS matter, o.confidential AS confidential,"     \
	" o.text AS text, o.address AS address, o.lat AS lat, o.lng AS lng, o.state AS own_state,"                     \
	" COALESCE(m.state, o.state) AS state,"                                                                        \
	" CASE WHEN o.state IN ('closed', 'visited') THEN o.reply WHEN m.state IN ('closed', 'visited') THEN m.reply"  \
	" ELSE '' END AS reply, d.name AS unit, o.created_at AS created_at,"                                           \
	" CASE WHEN m.updated_at > o.updated_at THEN m.updated_at ELSE o.updated_at END AS updated_at,"                \
	" COALESCE(m.due_at, o.due_at) AS due_at, m.number AS main_number, o.category AS category,"                    \
	" COALESCE(m.confidential, 0) AS main_confidential, COALESCE(m.category, '') AS main_category"                 \
	" FROM hotline_orders o LEFT JOIN hotline_orders m ON m.id = o.merged_into"                                    \
	" LEFT JOIN hotline_matters mt ON mt.id = o.matter_id"                                                         \
	" LEFT JOIN departments d ON d.id = COALESCE(m.unit_id, o.unit_id)"

static json_t *opt_string(const char *s) { return s && *s ? json_string(s) : json_null(); }

static json_t *time_json(db_stmt_t *st, int i)
{
	if (db_col_null(st, i))
		return json_null();
	char t[26];
	o311_format_datetime(db_col_int(st, i), t);
	return json_string(t);
}

/* The digit at s, ASCII or full-width (０-９, U+FF10-U+FF19): its length in bytes, 0 for none. */
static size_t digit_at(const unsigned char *s)
{
	if (*s >= '0' && *s <= '9')
		return 1;
	return s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99 ? 3 : 0;
}

/* The group of digits from s[i]: its end, and how many digits it holds. */
static size_t digit_group(const unsigned char *s, size_t i, size_t *count)
{
	size_t d;
	*count = 0;
	while ((d = digit_at(s + i)) != 0) {
		i += d;
		++*count;
	}
	return i;
}

/* Text for the public with every run of 7 or more digits (a phone, an identity card or an account
 * number a citizen or an operator wrote into it) masked with '*'; an identity card's final X too. A
 * run is one group of digits, or groups of at least 3 digits joined by single spaces or hyphens (a
 * phone written 138-0013-8000 or 0731 8888 8888; a date's 2-digit groups stay apart); full-width
 * digits count, and each becomes one '*'. */
static json_t *masked(const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = strlen(in), o = 0;
	char *m = malloc(n + 1);
	if (!m)
		return json_string("");
	for (size_t i = 0; i < n;) {
		size_t digits, end = digit_group(s, i, &digits);
		if (!digits) {
			m[o++] = (char)s[i++];
			continue;
		}
		for (size_t more; digits >= 3 && (s[end] == ' ' || s[end] == '-');) {
			size_t next = digit_group(s, end + 1, &more);
			if (more < 3)
				break;
			digits += more;
			end = next;
		}
		if (digits < 7) {
			memcpy(m + o, s + i, end - i);
			o += end - i;
		} else {
			for (size_t d; i < end; i += d ? d : 1)
				m[o++] = (d = digit_at(s + i)) != 0 ? '*' : (char)s[i];
			if (s[end] == 'X' || s[end] == 'x') {
				m[o++] = '*';
				end++;
			}
		}
		i = end;
	}
	m[o] = 0;
	json_t *j = json_string(m);
	free(m);
	return j ? j : json_string("");
}

static json_t *request_json(db_stmt_t *st)
{
	/* a 举报 read by its id is shown as a confidential order is: the public search leaves it out (the
	 * reporter is protected, the party reported not found at fault), and numbers are sequential */
	bool hidden = db_col_int(st, 3) != 0 || strcmp(db_col_text(st, 16), "report") == 0;
	/* a merged order's reply is its main order's: not published when the main order's is not */
	bool private_reply = hidden || db_col_int(st, 17) != 0 || strcmp(db_col_text(st, 18), "report") == 0;
	const char *own = db_col_text(st, 8), *state = db_col_text(st, 9);
	bool closed = strcmp(state, "closed") == 0 || strcmp(state, "visited") == 0;
	json_t *j = json_object();
	json_object_set_new(j, "service_request_id", json_string(db_col_text(st, 0)));
	json_object_set_new(j, "status", json_string(closed ? "closed" : "open"));
	/* status_notes: the published reply (答复) once the order is closed */
	bool secret = db_col_int(st, 3) != 0 || db_col_int(st, 17) != 0;
	if (closed && private_reply)
		json_object_set_new(j, "status_notes", json_string(secret ? "已办结（保密诉求不公开答复内容）"
									  : "已办结（举报不公开答复内容）"));
	else
		json_object_set_new(j, "status_notes", closed && *db_col_text(st, 10) ? masked(db_col_text(st, 10)) : json_null());
	char code[24];
	snprintf(code, sizeof code, "%lld", (long long)db_col_int(st, 1));
	json_object_set_new(j, "service_name", opt_string(db_col_text_or_null(st, 2)));
	json_object_set_new(j, "service_code", db_col_null(st, 1) ? json_null() : json_string(code));
	json_object_set_new(j, "description", hidden ? json_null() : masked(db_col_text(st, 4)));
	json_object_set_new(j, "agency_responsible", opt_string(db_col_text_or_null(st, 11)));
	if (strcmp(own, "merged") == 0 && !db_col_null(st, 15))
		json_object_set_new(j, "service_notice", json_sprintf("已并入工单 %s 一并办理", db_col_text(st, 15)));
	else
		json_object_set_new(j, "service_notice", json_string(hotline_state_label(own) ? hotline_state_label(own) : own));
	json_object_set_new(j, "requested_datetime", time_json(st, 12));
	json_object_set_new(j, "updated_datetime", time_json(st, 13));
	json_object_set_new(j, "expected_datetime", closed ? json_null() : time_json(st, 14));
	json_object_set_new(j, "address", hidden ? json_null() : opt_string(db_col_text(st, 5)));
	json_object_set_new(j, "address_id", json_null());
	json_object_set_new(j, "zipcode", json_null());
	bool coord = !hidden && !db_col_null(st, 6) && !db_col_null(st, 7);
	json_object_set_new(j, "lat", coord ? json_real(db_col_double(st, 6)) : json_null());
	json_object_set_new(j, "long", coord ? json_real(db_col_double(st, 7)) : json_null());
	json_object_set_new(j, "media_url", json_null());
	return j;
}

int open311_requests(db_t *db, const open311_filter_t *f, json_t **out)
{
	json_t *a = json_array();
	int rc = 0;
	if (f->n_ids > 0) {
		for (int i = 0; i < f->n_ids && !rc; i++) {
			db_stmt_t *st = db_prepare(db, REQ_COLS " WHERE o.number = :number");
			db_bind_text(st, "number", f->ids[i]);
			rc = db_one(st);
			if (rc == 0) {
				json_array_append_new(a, request_json(st));
				db_reset(st);
			} else if (rc == YW_ENOTFOUND) {
				rc = 0; /* an unknown id is left out, as the specification's examples do */
			}
		}
	} else {
		db_stmt_t *st = db_prepare(
			/* the public search lists what may be public: never a confidential (保密) order, nor a 举报 (the
			 * reporter is protected and the party reported is not yet found at fault), nor an order
			 * not yet classified (no service) */
			db, REQ_COLS " WHERE o.created_at >= :from AND o.created_at < :to AND o.confidential = 0"
				     " AND o.category <> 'report' AND o.matter_id IS NOT NULL"
				     " AND (o.matter_id = :matter OR CAST(:matter AS BIGINT) IS NULL)"
				     " AND (CASE WHEN COALESCE(m.state, o.state) IN ('closed', 'visited') THEN 'closed'"
				     " ELSE 'open' END = :status OR CAST(:status AS TEXT) IS NULL)"
				     " ORDER BY o.created_at DESC, o.id DESC LIMIT :limit");
		db_bind_int(st, "from", f->from);
		db_bind_int(st, "to", f->to);
		db_bind_id(st, "matter", f->matter);
		db_bind_text(st, "status", f->status);
		db_bind_int(st, "limit", f->limit);
		while ((rc = db_step(st)) == DB_ROW)
			json_array_append_new(a, request_json(st));
		rc = rc < 0 ? rc : 0;
	}
	if (rc) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
