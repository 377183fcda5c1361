/* The audit trail's store (audit.h): the records of the chain (table audit, the platform's own),
 * appended, verified and listed here, with the keys and hashes of audit.c. A row snapshot is the
 * row's columns as a JSON object in table order; secret columns are replaced by their SHA-256 so
 * the trail can be read by supervisors without exposing password hashes. The audit reads every
 * audited table by its key, whichever module owns it, and never writes one: the one reader of all
 * of them (docs/architecture.md, "Read models"). */
#include "platform/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/arena.h"
#include "platform/audit_priv.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/jsonw.h"
#include "platform/log.h"

typedef struct audited {
	const char *table;
	const char *select_one; /* the row by :key (text: the audit record's entity_id) */
	const char *select_all; /* key as text, then the row, for verification */
	const char *secret;     /* a column stored hashed in snapshots, or NULL */
	bool adopt;             /* audited since the chain was keyed: a legacy database's rows are
				   recorded as they stand when its chain is first keyed */
} audited_t;

/* A table keyed by an integer column; the key arrives as text and is compared as an integer. */
#define AUDITED(t, pk, secret)                                                                                  \
	{t, "SELECT * FROM " t " WHERE " pk " = CAST(:key AS INTEGER)", "SELECT CAST(" pk " AS TEXT), * FROM " t, \
	 secret, false}
/* A table keyed by a text column. */
#define AUDITED_TEXT(t, pk, secret)                                                                             \
	{t, "SELECT * FROM " t " WHERE " pk " = :key", "SELECT " pk ", * FROM " t, secret, false}
static const audited_t audited[] = {
	AUDITED_TEXT("regions", "code", NULL),
	AUDITED("departments", "id", NULL),
	AUDITED("halls", "id", NULL),
	AUDITED("windows", "id", NULL),
	AUDITED("users", "id", "password_hash"),
	AUDITED("api_tokens", "id", "token_hash"),
	AUDITED("calendar_years", "year", NULL),
	AUDITED_TEXT("calendar_days", "day", NULL),
	AUDITED("items", "id", NULL),
	AUDITED("item_versions", "id", NULL),
	AUDITED("cases", "id", NULL),
	AUDITED("case_events", "id", NULL),
	{"case_serials", "SELECT * FROM case_serials WHERE prefix = :key", "SELECT prefix, * FROM case_serials", NULL,
	 true},
	AUDITED("reviews", "id", NULL),
	AUDITED("cards", "id", NULL),
	AUDITED("case_steps", "id", NULL),
	AUDITED("supervision_orders", "id", NULL),
	AUDITED("case_parallel", "id", NULL),
	AUDITED("bundles", "id", NULL),
	/* key "BUNDLE/ITEM": ltrim of the digits leaves "/ITEM" (both engines' ltrim(text, characters)) */
	{"bundle_items",
	 "SELECT * FROM bundle_items "
	 "WHERE bundle_id = CAST(substr(:key, 1, length(:key) - length(ltrim(:key, '0123456789'))) AS INTEGER) "
	 "AND item_id = CAST(substr(ltrim(:key, '0123456789'), 2) AS INTEGER)",
	 "SELECT CAST(bundle_id AS TEXT) || '/' || CAST(item_id AS TEXT), * FROM bundle_items", NULL, true},
	AUDITED_TEXT("files", "sha256", NULL),
	AUDITED("uploads", "id", NULL),
	AUDITED("profiles", "user_id", NULL),
	AUDITED("hall_queues", "id", NULL),
	AUDITED("hall_windows", "window_id", NULL),
	AUDITED("hall_tickets", "id", "token"),
	AUDITED("hall_appointments", "id", "code"),
	AUDITED("hall_devices", "id", NULL),
	AUDITED("disclosure_categories", "id", NULL),
	AUDITED("disclosure_organs", "dept_id", NULL),
	AUDITED_TEXT("disclosure_serials", "prefix", NULL),
	AUDITED("disclosure_documents", "id", NULL),
	AUDITED("disclosure_doc_versions", "id", NULL),
	AUDITED("disclosure_doc_files", "id", NULL),
	AUDITED("disclosure_requests", "id", NULL),
	AUDITED("disclosure_request_events", "id", NULL),
	AUDITED("disclosure_corrections", "id", NULL),
	AUDITED("disclosure_consultations", "id", NULL),
	AUDITED("disclosure_fees", "id", NULL),
	AUDITED("disclosure_remedies", "id", NULL),
	AUDITED("disclosure_figures", "id", NULL),
	/* 12345 hotline (src/hotline) */
	AUDITED("hotline_matters", "id", NULL),
	/* hotline_serials, the day's counter of order numbers, is not audited (next_number): its
	 * records from before stay in the chain and verify as records */
	AUDITED("hotline_orders", "id", "query_hash"),
	/* key "ORDER/UNIT", as bundle_items */
	{"hotline_order_units",
	 "SELECT * FROM hotline_order_units "
	 "WHERE order_id = CAST(substr(:key, 1, length(:key) - length(ltrim(:key, '0123456789'))) AS INTEGER) "
	 "AND unit_id = CAST(substr(ltrim(:key, '0123456789'), 2) AS INTEGER)",
	 "SELECT CAST(order_id AS TEXT) || '/' || CAST(unit_id AS TEXT), * FROM hotline_order_units", NULL, false},
	AUDITED("hotline_steps", "id", NULL),
	AUDITED("hotline_returns", "id", NULL),
	AUDITED("hotline_extensions", "id", NULL),
	AUDITED("hotline_callbacks", "id", NULL),
	AUDITED("hotline_consultations", "id", NULL),
	AUDITED("hotline_attachments", "id", NULL),
	AUDITED("hotline_clients", "id", "key_hash"),
	AUDITED("hotline_call_events", "id", NULL),
	AUDITED("hotline_history", "id", NULL),
	AUDITED("disclosure_reports", "id", NULL),
	AUDITED("hotline_kb_articles", "id", NULL),
	AUDITED("hotline_kb_versions", "id", NULL),
	AUDITED("hotline_kb_uses", "id", NULL),
	AUDITED("disclosure_gov_reports", "id", NULL),
	AUDITED("disclosure_guides", "dept_id", NULL),
};
#define NAUDITED (sizeof audited / sizeof audited[0])

/* Key records: entity KEY_ENTITY, entity_id the key's id. */
#define KEY_ENTITY "audit_key"

const char *audit_table(size_t i)
{
	return i < NAUDITED ? audited[i].table : NULL;
}

static const audited_t *find_table(const char *table)
{
	for (size_t i = 0; i < NAUDITED; i++)
		if (strcmp(audited[i].table, table) == 0)
			return &audited[i];
	return NULL;
}


/* Snapshot of the row at st's current position, columns from `first` on, as the compact JSON
 * object json_dumps would write (tests/unit/test_audit.c holds the two side by side); written
 * directly because a submission's audit record was a tenth of its cost through jansson's
 * objects. The secret column is stored as its SHA-256. Caller frees. */
static void json_text(jsonw_t *b, const char *s)
{
	jsonw_string(b, s, strlen(s));
}

char *audit_row_snapshot(db_stmt_t *st, int first, const char *secret)
{
	jsonw_t b = {.p = xmalloc(1024), .cap = 1024};
	jsonw_put(&b, "{", 1);
	int n = db_col_count(st);
	for (int i = first; i < n; i++) {
		const char *name = db_col_name(st, i);
		if (i > first)
			jsonw_put(&b, ",", 1);
		json_text(&b, name);
		jsonw_put(&b, ":", 1);
		db_type_t type = db_col_type(st, i);
		char num[80];
		if (secret && strcmp(name, secret) == 0 && (type == DB_TEXT || type == DB_BLOB)) {
			const char *t = db_col_text(st, i);
			unsigned char h[32];
			char hex[65];
			crypto_hash_sha256(h, (const unsigned char *)t, (unsigned long long)strlen(t));
			sodium_bin2hex(hex, sizeof hex, h, sizeof h);
			snprintf(num, sizeof num, "sha256:%s", hex);
			json_text(&b, num);
		} else if (type == DB_NULL) {
			jsonw_put(&b, "null", 4);
		} else if (type == DB_INT) {
			jsonw_int(&b, db_col_int(st, i));
		} else if (type == DB_FLOAT) {
			/* rare (no audited column is REAL today): jansson's own number format */
			json_t *v = db_col_json(st, i);
			char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
			jsonw_put(&b, d, strlen(d));
			free(d);
			json_decref(v);
		} else {
			json_text(&b, db_col_text(st, i));
		}
	}
	jsonw_put(&b, "}", 1);
	return b.p;
}


/* The id of the key the chain is keyed with (of its latest key record) into id; 0, YW_ENOTFOUND
 * when the chain is not keyed, YW_EDB. Few rows: the index on entity finds the key records. */
static int chain_key_id(db_t *db, char id[17])
{
	db_stmt_t *st = db_prepare(db, "SELECT entity_id FROM audit WHERE entity = '" KEY_ENTITY "' ORDER BY id DESC LIMIT 1");
	int rc = db_one(st);
	if (rc == 0) {
		snprintf(id, 17, "%s", db_col_text(st, 0));
		db_reset(st);
	}
	return rc;
}

int audit_chain_keyed(db_t *db, bool *keyed)
{
	char id[17];
	int rc = chain_key_id(db, id);
	*keyed = rc == 0;
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* The key of the PostgreSQL advisory lock that serialises appends to the chain (ASCII "ywaudit"). */
#define CHAIN_LOCK "34189732647037300"

/* The chain grows one record at a time across every process writing the database: two writers
 * must never read the same head and link a record each to it. SQLite's write transaction (BEGIN
 * IMMEDIATE) already shuts other writers out; PostgreSQL's read-committed transactions do not, so
 * there the append takes a transaction-level advisory lock first, held until the commit. The
 * named engine difference of the append. */
static int chain_lock(db_t *db)
{
	if (db_engine(db) != DB_POSTGRES)
		return 0;
	return db_run(db_prepare(db, "SELECT pg_advisory_xact_lock(" CHAIN_LOCK ")"));
}

/* Appends one record linked with key (NULL: unkeyed). */
/* What this thread's appends learned inside the writer's current group transaction (the same
 * db_group_epoch): the chain is locked for it and its key checked, and the head is the record it
 * appended last. Nobody else can append while the group holds the chain (SQLite's write lock,
 * PostgreSQL's advisory lock, both until the commit), and any rollback changes the epoch, so the
 * second and later records of a group skip three statements each. */
static __thread struct {
	db_t *db;
	uint64_t epoch;
	int64_t id;
	char hash[65];
} t_head;

static bool head_known(db_t *db)
{
	uint64_t epoch = db_group_epoch(db);
	return epoch && t_head.db == db && t_head.epoch == epoch;
}

static int append(db_t *db, const audit_key_t *key, const auth_user_t *actor, const char *action, const char *entity,
		  const char *entity_id, const char *before, const char *after)
{
	char *prev = NULL;
	int64_t last_id = 0;
	int rc;
	if (head_known(db)) {
		last_id = t_head.id;
		prev = xstrdup(t_head.hash);
	} else {
		rc = chain_lock(db);
		if (rc)
			return rc;
		db_stmt_t *st = db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
		rc = db_one(st);
		if (rc == 0) {
			last_id = db_col_int(st, 0);
			prev = xstrdup(db_col_text(st, 1));
			db_reset(st);
		} else if (rc != YW_ENOTFOUND) {
			return rc;
		}
	}

	int64_t id = last_id + 1, at = (int64_t)time(NULL), actor_id = actor ? actor->id : 0;
	const char *actor_name = actor ? actor->username : "system";
	char hash[65];
	audit_chain_hash(key, prev ? prev : audit_genesis, id, at, actor_id, actor_name, action, entity, entity_id, before, after,
		   hash);
	db_stmt_t *st = db_prepare(db, "INSERT INTO audit(id, at, actor_id, actor, action, entity, entity_id, before, after, "
			    "prev_hash, hash) VALUES (:id, :at, :actor_id, :actor, :action, :entity, :entity_id, "
			    ":before, :after, :prev_hash, :hash)");
	db_bind_int(st, "id", id);
	db_bind_int(st, "at", at);
	if (actor)
		db_bind_int(st, "actor_id", actor_id);
	db_bind_text(st, "actor", actor_name);
	db_bind_text(st, "action", action);
	db_bind_text(st, "entity", entity);
	db_bind_text(st, "entity_id", entity_id);
	db_bind_text(st, "before", before);
	db_bind_text(st, "after", after);
	db_bind_text(st, "prev_hash", prev ? prev : audit_genesis);
	db_bind_text(st, "hash", hash);
	rc = db_run(st);
	free(prev);
	if (rc == 0 && db_group_epoch(db)) {
		t_head.db = db;
		t_head.epoch = db_group_epoch(db);
		t_head.id = id;
		memcpy(t_head.hash, hash, sizeof t_head.hash);
	}
	return rc;
}

/* 0 when the chain is keyed with the key this process writes with (or both are unkeyed): another
 * process may have rotated it. Not asked again while the group holds the chain (head_known): an
 * earlier record of the group asked, and nobody can rotate it meanwhile. */
static int key_is_ours(db_t *db)
{
	char kid[17];
	int k = chain_key_id(db, kid);
	if (k != 0 && k != YW_ENOTFOUND)
		return k;
	if ((k == 0) != (audit_cur != NULL) || (k == 0 && strcmp(kid, audit_cur->id) != 0)) {
		log_error("audit chain is keyed with key %s, this process writes with %s: restart it", k ? "(none)" : kid,
			  audit_cur ? audit_cur->id : "(none)");
		return YW_EDB; /* the store cannot take the write; nothing the user can change */
	}
	return 0;
}

int audit_record(db_t *db, const auth_user_t *actor, const char *action, const char *table, const char *key)
{
	const audited_t *t = find_table(table);
	if (!t)
		return YW_EINVAL;
	char *after = NULL, *before = NULL;

	int rc = head_known(db) ? 0 : key_is_ours(db);
	if (rc)
		return rc;

	db_stmt_t *st = db_prepare(db, t->select_one);
	db_bind_text(st, "key", key);
	rc = db_one(st);
	if (rc == 0) {
		after = audit_row_snapshot(st, 0, t->secret);
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		goto done;
	}

	st = db_prepare(db, "SELECT after FROM audit WHERE entity = :entity AND entity_id = :entity_id "
			    "ORDER BY id DESC LIMIT 1");
	db_bind_text(st, "entity", table);
	db_bind_text(st, "entity_id", key);
	rc = db_one(st);
	if (rc == 0) {
		if (!db_col_null(st, 0))
			before = xstrdup(db_col_text(st, 0));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		goto done;
	}

	rc = append(db, audit_cur, actor, action, table, key, before, after);
done:
	free(after);
	free(before);
	return rc;
}

int audit_record_id(db_t *db, const auth_user_t *actor, const char *action, const char *table, int64_t id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)id);
	return audit_record(db, actor, action, table, key);
}

/* Rows of the tables audited since keying that a legacy database holds without a record. */
static int adopt_rows(db_t *db)
{
	int rc = 0;
	for (size_t i = 0; i < NAUDITED && !rc; i++) {
		if (!audited[i].adopt)
			continue;
		db_stmt_t *st = db_prepare(db, audited[i].select_all);
		/* keys first: recording while stepping the same table is not safe */
		json_t *keys = json_array();
		int s;
		while ((s = db_step(st)) == DB_ROW)
			json_array_append_new(keys, json_string(db_col_text(st, 0)));
		if (s < 0)
			rc = s;
		size_t k;
		json_t *key;
		json_array_foreach(keys, k, key) {
			if (rc)
				break;
			/* prepared per key: audit_record below runs statements of its own */
			db_stmt_t *has = db_prepare(
				db, "SELECT 1 FROM audit WHERE entity = :entity AND entity_id = :entity_id LIMIT 1");
			db_bind_text(has, "entity", audited[i].table);
			db_bind_text(has, "entity_id", json_string_value(key));
			s = db_one(has);
			if (s == 0)
				db_reset(has);
			else if (s == YW_ENOTFOUND)
				rc = audit_record(db, NULL, "audit.adopt", audited[i].table, json_string_value(key));
			else
				rc = s;
		}
		json_decref(keys);
	}
	return rc;
}

/* Writes the key record that keys the chain with key from itself on. */
static int key_record(db_t *db, const audit_key_t *key, const char *action, const audit_key_t *old)
{
	json_t *b = old ? json_pack("{s:s}", "key_id", old->id) : NULL, *a = json_pack("{s:s}", "key_id", key->id);
	char *before = b ? json_dumps(b, JSON_COMPACT) : NULL, *after = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	json_decref(b);
	int rc = append(db, key, NULL, action, KEY_ENTITY, key->id, before, after);
	free(before);
	free(after);
	return rc;
}

int audit_key_bind(db_t *db, bool created, FILE *err)
{
	char kid[17];
	int rc = chain_key_id(db, kid);
	if (rc == YW_EDB)
		return rc;
	if (rc == 0) {
		audit_cur = audit_find_key(kid);
		if (audit_cur)
			return 0;
		fprintf(err,
			"yiwang: the audit chain is keyed with key %s, but the audit key file %s it: set audit_key_file to "
			"the database's own key file (docs/operations.md)\n",
			kid, audit_nkeys ? "does not hold" : "is missing, so nothing holds");
		return YW_ECONFLICT;
	}
	audit_cur = NULL;
	if (audit_nkeys == 0)
		return 0;
	int64_t records = 0;
	if (db_query_int(db, "SELECT COUNT(*) FROM audit", NULL, &records) != 0)
		return YW_EDB;
	if (records > 0 && !created) {
		/* A key file beside a chain with records that is not keyed: either the chain was rebuilt
		 * without the key (its key records removed), or a key was left from an interrupted start.
		 * Only the operator can tell: refuse. */
		fprintf(err, "yiwang: the audit chain is not keyed although the audit key file exists: it may have been "
			     "rebuilt without the key. Run `yiwang audit verify` (docs/operations.md)\n");
		return YW_ECONFLICT;
	}
	/* Key the chain from here on; a legacy database's rows of tables audited since get their record. */
	const audit_key_t *key = &audit_keys[audit_nkeys - 1];
	if ((rc = db_begin(db)) != 0)
		return rc;
	audit_cur = key;
	rc = key_record(db, key, "audit.key", NULL);
	if (!rc && records > 0)
		rc = adopt_rows(db);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		audit_cur = NULL;
		fprintf(err, "yiwang: the audit chain could not be keyed\n");
	} else if (records > 0) {
		fprintf(err, "yiwang: the audit chain is keyed from record %lld on (key %s)\n", (long long)records + 1,
			key->id);
	}
	return rc;
}

int audit_key_rotate(db_t *db, const char *path, FILE *out)
{
	if (!audit_cur || audit_nkeys == AUDIT_MAX_KEYS)
		return YW_ECONFLICT;
	const audit_key_t *old = audit_cur;
	audit_key_t *fresh = &audit_keys[audit_nkeys];
	randombytes_buf(fresh->k, sizeof fresh->k);
	audit_key_id(fresh->k, fresh->id);
	/* The new key is on disk before any record needs it. */
	int rc = audit_write_keys(path, audit_keys, audit_nkeys + 1, false);
	if (rc)
		return rc;
	audit_nkeys++;
	if ((rc = db_begin(db)) != 0)
		return rc;
	rc = key_record(db, fresh, "audit.rotate_key", old);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	audit_cur = fresh;
	fprintf(out, "audit key rotated: records from now on are keyed with key %s (was %s); %s keeps both\n", fresh->id,
		old->id, path);
	return 0;
}


int audit_checkpoint_at(db_t *db, int64_t before, audit_checkpoint_t *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, hash FROM audit WHERE at < :before ORDER BY id DESC LIMIT 1");
	db_bind_int(st, "before", before);
	int rc = db_one(st);
	if (rc == 0) {
		out->seq = db_col_int(st, 0);
		snprintf(out->hash, sizeof out->hash, "%s", db_col_text(st, 1));
		db_reset(st);
	}
	return rc;
}

typedef struct chain_state {
	int64_t records;
	int64_t keyed_from; /* first keyed record, 0 when none */
	char head[65];
	int64_t head_seq;
	const audit_key_t *key;
} chain_state_t;

static int verify_chain(db_t *db, const audit_checkpoint_t *cps, size_t ncps, FILE *out, chain_state_t *cs)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, at, COALESCE(actor_id, 0), actor, action, entity, entity_id, "
				       "before, after, prev_hash, hash FROM audit ORDER BY id");
	char prev[65];
	memcpy(prev, audit_genesis, sizeof prev);
	int64_t expect_id = 1;
	int bad = 0, s;
	const audit_key_t *key = NULL;
	while ((s = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		const char *before = db_col_text_or_null(st, 7);
		const char *after = db_col_text_or_null(st, 8);
		const char *entity = db_col_text(st, 5), *entity_id = db_col_text(st, 6);
		const char *why = NULL;
		char whybuf[200];
		if (strcmp(entity, KEY_ENTITY) == 0) {
			/* a key record is linked with the key it introduces */
			key = audit_find_key(entity_id);
			if (!key) {
				snprintf(whybuf, sizeof whybuf,
					 "the chain is keyed from here with key %s, which the audit key file %s", entity_id,
					 audit_nkeys ? "does not hold (wrong key file?)" : "is missing, so nothing holds");
				why = whybuf;
			} else if (!cs->keyed_from) {
				cs->keyed_from = id;
			}
		}
		char h[65] = "";
		if (!why)
			audit_chain_hash(key, prev, id, db_col_int(st, 1), db_col_int(st, 2), db_col_text(st, 3),
				   db_col_text(st, 4), entity, entity_id, before, after, h);
		if (why)
			;
		else if (id != expect_id)
			why = id > expect_id ? "records before it were deleted" : "record out of sequence";
		else if (strcmp(db_col_text(st, 9), prev) != 0)
			why = "does not link to the previous record (inserted or reordered)";
		else if (strcmp(db_col_text(st, 10), h) != 0)
			why = key ? "contents do not match its keyed hash (changed, or the chain rebuilt without the key)"
				  : "contents do not match its hash (changed)";
		for (size_t i = 0; !why && i < ncps; i++)
			if (cps[i].seq == id && strcmp(cps[i].hash, h) != 0) {
				snprintf(whybuf, sizeof whybuf,
					 "the chain does not pass through checkpoint %lld %.16s…: history up to it was rewritten",
					 (long long)cps[i].seq, cps[i].hash);
				why = whybuf;
			}
		if (why) {
			fprintf(out, "audit record %lld (%s %s): %s\n", (long long)id, entity, entity_id, why);
			bad = 1;
			break;
		}
		memcpy(prev, h, 65);
		expect_id = id + 1;
		cs->records++;
		cs->head_seq = id;
	}
	if (s == DB_ROW)
		db_reset(st); /* stopped at a bad record */
	memcpy(cs->head, prev, 65);
	cs->key = key;
	if (s < 0)
		return s;
	for (size_t i = 0; !bad && i < ncps; i++)
		if (cps[i].seq > cs->head_seq) {
			fprintf(out, "checkpoint %lld: the chain ends at record %lld: records were removed from its end\n",
				(long long)cps[i].seq, (long long)cs->head_seq);
			bad = 1;
		}
	if (!bad && audit_nkeys > 0 && !key && cs->records > 0) {
		fprintf(out, "audit chain: not keyed, although the audit key file holds a key: the chain was rebuilt without "
			     "the key (its key record removed)\n");
		bad = 1;
	}
	return bad ? YW_ECONFLICT : 0;
}

/* Whether the database has the table: one from before the table's migration has none of its
 * rows. The named engine difference of this file: each engine lists its tables in its own
 * catalogue. */
static int table_present(db_t *db, const char *table, bool *present)
{
	db_stmt_t *st = db_prepare(db, db_engine(db) == DB_POSTGRES
					       ? "SELECT 1 FROM information_schema.tables "
						 "WHERE table_schema = current_schema() AND table_name = :name"
					       : "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = :name");
	db_bind_text(st, "name", table);
	int rc = db_one(st);
	*present = rc == 0;
	if (rc == 0)
		db_reset(st);
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Every row of the audited table matches its latest audit record. */
static int verify_table_rows(db_t *db, const audited_t *t, FILE *out, int64_t *rows)
{
	db_stmt_t *st = db_prepare(db, t->select_all);
	int bad = 0, s;
	while ((s = db_step(st)) == DB_ROW) {
		const char *key = db_col_text(st, 0);
		char *snap = audit_row_snapshot(st, 1, t->secret);
		db_stmt_t *last = db_prepare(db, "SELECT id, after FROM audit WHERE entity = :entity "
						 "AND entity_id = :entity_id ORDER BY id DESC LIMIT 1");
		db_bind_text(last, "entity", t->table);
		db_bind_text(last, "entity_id", key);
		int rc = db_one(last);
		if (rc == YW_ENOTFOUND) {
			fprintf(out, "%s row %s: not in the audit trail (inserted outside the program)\n", t->table,
				key);
			bad = 1;
		} else if (rc == 0) {
			if (strcmp(db_col_text(last, 1), snap) != 0) {
				fprintf(out,
					"%s row %s: differs from audit record %lld (changed outside the program)\n",
					t->table, key, (long long)db_col_int(last, 0));
				bad = 1;
			}
			db_reset(last);
		}
		free(snap);
		(*rows)++;
		if (bad || (rc != 0 && rc != YW_ENOTFOUND)) {
			db_reset(st);
			return bad ? YW_ECONFLICT : rc;
		}
	}
	return s < 0 ? s : 0;
}

static int verify_rows(db_t *db, bool keyed, FILE *out, int64_t *rows)
{
	*rows = 0;
	for (size_t i = 0; i < NAUDITED; i++) {
		const audited_t *t = &audited[i];
		/* A chain from before keying has not recorded these yet: keying it will (adopt_rows). */
		if (t->adopt && !keyed)
			continue;
		/* A database from before a table's migration simply has none of its rows. */
		bool present;
		int rc = table_present(db, t->table, &present);
		if (!rc && present)
			rc = verify_table_rows(db, t, out, rows);
		if (rc)
			return rc;
	}

	/* Rows the trail says exist but the table lacks were deleted behind the program's back. */
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.entity, a.entity_id FROM audit a WHERE a.after IS NOT NULL "
				       "AND a.id = (SELECT MAX(b.id) FROM audit b WHERE b.entity = a.entity "
				       "AND b.entity_id = a.entity_id) ORDER BY a.id");
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		const audited_t *t = find_table(db_col_text(st, 1));
		if (!t)
			continue;
		db_stmt_t *one = db_prepare(db, t->select_one);
		db_bind_text(one, "key", db_col_text(st, 2));
		int rc = db_one(one);
		if (rc == 0) {
			db_reset(one);
			continue;
		}
		if (rc == YW_ENOTFOUND)
			fprintf(out, "%s row %s: deleted outside the program (last audit record %lld)\n", t->table,
				db_col_text(st, 2), (long long)db_col_int(st, 0));
		db_reset(st);
		return rc == YW_ENOTFOUND ? YW_ECONFLICT : rc;
	}
	return s < 0 ? s : 0;
}

int audit_verify_checkpoints(db_t *db, const audit_checkpoint_t *cps, size_t ncps, FILE *out, audit_checkpoint_t *head)
{
	chain_state_t cs = {0};
	int64_t rows = 0;
	/* One read transaction so the chain and the rows are a single consistent picture: SQLite's
	 * transaction reads one snapshot; PostgreSQL's default (read committed) takes a new one for
	 * every statement, so there it is asked for repeatable read. The named engine difference. */
	int rc = db_exec(db, db_engine(db) == DB_POSTGRES ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
							  : "BEGIN");
	if (rc)
		return rc;
	rc = verify_chain(db, cps, ncps, out, &cs);
	if (rc == 0)
		rc = verify_rows(db, cs.keyed_from != 0, out, &rows);
	int c = db_exec(db, "COMMIT");
	rc = rc ? rc : c;
	if (rc == 0) {
		fprintf(out, "audit chain intact: %lld records, %lld rows match their latest record\n", (long long)cs.records,
			(long long)rows);
		if (cs.keyed_from)
			fprintf(out, "keyed from record %lld, now with key %s\n", (long long)cs.keyed_from, cs.key->id);
		else
			fprintf(out, "warning: the chain is not keyed (no audit key): whoever can write the database can "
				     "rebuild it\n");
		for (size_t i = 0; i < ncps; i++)
			fprintf(out, "passes through checkpoint %lld\n", (long long)cps[i].seq);
		/* Published elsewhere, this line pins the history up to here (`yiwang audit checkpoint`). */
		fprintf(out, "head %lld %s\n", (long long)cs.head_seq, cs.head);
		if (head) {
			head->seq = cs.head_seq;
			memcpy(head->hash, cs.head, sizeof head->hash);
		}
	}
	return rc;
}

int audit_verify(db_t *db, FILE *out)
{
	return audit_verify_checkpoints(db, NULL, 0, out, NULL);
}

int audit_list(db_t *db, const char *entity, const char *entity_id, int64_t page, int64_t page_size, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*) FROM audit "
				       "WHERE (CAST(:entity AS TEXT) IS NULL OR entity = :entity) "
				       "AND (CAST(:entity_id AS TEXT) IS NULL OR entity_id = :entity_id)");
	db_bind_text(st, "entity", entity);
	db_bind_text(st, "entity_id", entity_id);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) always has its row */
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_prepare(db, "SELECT id, at, actor, action, entity, entity_id, before, after, hash FROM audit "
			    "WHERE (CAST(:entity AS TEXT) IS NULL OR entity = :entity) "
			    "AND (CAST(:entity_id AS TEXT) IS NULL OR entity_id = :entity_id) "
			    "ORDER BY id DESC LIMIT :limit OFFSET :offset");
	db_bind_text(st, "entity", entity);
	db_bind_text(st, "entity_id", entity_id);
	db_bind_int(st, "limit", page_size);
	db_bind_int(st, "offset", (page - 1) * page_size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *r = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "at",
				      (json_int_t)db_col_int(st, 1), "actor", db_col_text(st, 2), "action",
				      db_col_text(st, 3), "entity", db_col_text(st, 4), "entity_id", db_col_text(st, 5),
				      "hash", db_col_text(st, 8));
		for (int c = 6; c <= 7; c++) {
			json_t *v = db_col_parse_json(st, c);
			json_object_set_new(r, c == 6 ? "before" : "after", v ? v : json_null());
		}
		json_array_append_new(items, r);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)page_size, "items", items);
	return 0;
}
