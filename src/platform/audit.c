/* See audit.h. The chain: hash(n) = SHA-256 over length-prefixed fields of record n and
 * hash(n-1); the first record chains to 64 zeros. A row snapshot is the row's columns as a JSON
 * object in table order; secret columns are replaced by their SHA-256 so the trail can be read by
 * supervisors without exposing password hashes. */
#include "platform/audit.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "platform/arena.h"
#include "platform/err.h"

typedef struct audited {
	const char *table;
	const char *select_one; /* the row by key */
	const char *select_all; /* key and row, for verification */
	const char *secret;     /* a column stored hashed in snapshots, or NULL */
} audited_t;

#define AUDITED(t, pk, secret) {t, "SELECT * FROM " t " WHERE " pk " = $1", "SELECT " pk ", * FROM " t, secret}
static const audited_t audited[] = {
	AUDITED("regions", "code", NULL),
	AUDITED("departments", "id", NULL),
	AUDITED("halls", "id", NULL),
	AUDITED("windows", "id", NULL),
	AUDITED("users", "id", "password_hash"),
	AUDITED("api_tokens", "id", "token_hash"),
	AUDITED("calendar_years", "year", NULL),
	AUDITED("calendar_days", "day", NULL),
	AUDITED("items", "id", NULL),
	AUDITED("item_versions", "id", NULL),
	AUDITED("cases", "id", NULL),
	AUDITED("case_events", "id", NULL),
	AUDITED("reviews", "id", NULL),
	AUDITED("cards", "id", NULL),
	AUDITED("case_steps", "id", NULL),
	AUDITED("supervision_orders", "id", NULL),
	AUDITED("case_parallel", "id", NULL),
	AUDITED("bundles", "id", NULL),
	AUDITED("files", "sha256", NULL),
	AUDITED("uploads", "id", NULL),
	AUDITED("profiles", "user_id", NULL),
	AUDITED("hall_queues", "id", NULL),
	AUDITED("hall_windows", "window_id", NULL),
	AUDITED("hall_tickets", "id", "token"),
	AUDITED("hall_appointments", "id", "code"),
	AUDITED("hall_devices", "id", NULL),
};
#define NAUDITED (sizeof audited / sizeof audited[0])

static const char genesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

static const audited_t *find_table(const char *table)
{
	for (size_t i = 0; i < NAUDITED; i++)
		if (strcmp(audited[i].table, table) == 0)
			return &audited[i];
	return NULL;
}

/* Snapshot of the row at st's current position, columns from `first` on. Caller frees. */
static char *snapshot(sqlite3_stmt *st, int first, const char *secret)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(st);
	for (int i = first; i < n; i++) {
		const char *name = sqlite3_column_name(st, i);
		json_t *v;
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st, i)); break;
		case SQLITE_FLOAT: v = json_real(sqlite3_column_double(st, i)); break;
		case SQLITE_NULL: v = json_null(); break;
		default: {
			const unsigned char *t = sqlite3_column_text(st, i);
			int len = sqlite3_column_bytes(st, i);
			if (secret && strcmp(name, secret) == 0) {
				unsigned char h[32];
				char hex[65];
				crypto_hash_sha256(h, t, (unsigned long long)len);
				sodium_bin2hex(hex, sizeof hex, h, sizeof h);
				v = json_sprintf("sha256:%s", hex);
			} else {
				v = json_stringn((const char *)t, (size_t)len);
			}
		}
		}
		json_object_set_new(o, name, v ? v : json_string(""));
	}
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void hash_field(crypto_hash_sha256_state *h, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) : 0xFFFFFFFFu; /* NULL differs from "" */
	unsigned char len[4] = {n >> 24, n >> 16, n >> 8, n};
	crypto_hash_sha256_update(h, len, 4);
	if (s)
		crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

static void chain_hash(const char *prev, int64_t id, int64_t at, int64_t actor_id, const char *actor,
		       const char *action, const char *entity, const char *entity_id, const char *before,
		       const char *after, char out[65])
{
	char nums[64];
	snprintf(nums, sizeof nums, "%lld|%lld|%lld", (long long)id, (long long)at, (long long)actor_id);
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	const char *fields[] = {prev, nums, actor, action, entity, entity_id};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		hash_field(&h, fields[i]);
	hash_field(&h, before);
	hash_field(&h, after);
	unsigned char bin[32];
	crypto_hash_sha256_final(&h, bin);
	sodium_bin2hex(out, 65, bin, sizeof bin);
}

int audit_record(db_t *db, const auth_user_t *actor, const char *action, const char *table, const char *key)
{
	const audited_t *t = find_table(table);
	if (!t)
		return YW_EINVAL;
	int rc = YW_EDB;
	char *after = NULL, *before = NULL, *prev = NULL;

	sqlite3_stmt *st = db_prepare(db, t->select_one);
	db_bind_text(st, 1, key);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		after = snapshot(st, 0, t->secret);
	sqlite3_reset(st);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		goto done;

	st = db_prepare(db, "SELECT after FROM audit WHERE entity = $1 AND entity_id = $2 ORDER BY id DESC LIMIT 1");
	db_bind_text(st, 1, table);
	db_bind_text(st, 2, key);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		before = xstrdup(db_col_text(st, 0));
	sqlite3_reset(st);

	int64_t last_id = 0;
	st = db_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	if (sqlite3_step(st) == SQLITE_ROW) {
		last_id = sqlite3_column_int64(st, 0);
		prev = xstrdup(db_col_text(st, 1));
	}
	sqlite3_reset(st);

	int64_t id = last_id + 1, at = (int64_t)time(NULL), actor_id = actor ? actor->id : 0;
	const char *actor_name = actor ? actor->username : "system";
	char hash[65];
	chain_hash(prev ? prev : genesis, id, at, actor_id, actor_name, action, table, key, before, after, hash);
	st = db_prepare(db, "INSERT INTO audit(id, at, actor_id, actor, action, entity, entity_id, before, after, "
			    "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, at);
	if (actor)
		db_bind_int(st, 3, actor_id);
	db_bind_text(st, 4, actor_name);
	db_bind_text(st, 5, action);
	db_bind_text(st, 6, table);
	db_bind_text(st, 7, key);
	db_bind_text(st, 8, before);
	db_bind_text(st, 9, after);
	db_bind_text(st, 10, prev ? prev : genesis);
	db_bind_text(st, 11, hash);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	rc = s == SQLITE_DONE ? 0 : YW_EDB;
done:
	free(after);
	free(before);
	free(prev);
	return rc;
}

int audit_record_id(db_t *db, const auth_user_t *actor, const char *action, const char *table, int64_t id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)id);
	return audit_record(db, actor, action, table, key);
}

static int verify_chain(db_t *db, FILE *out, int64_t *records, char head[65])
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, at, COALESCE(actor_id, 0), actor, action, entity, entity_id, "
					  "before, after, prev_hash, hash FROM audit ORDER BY id");
	char prev[65];
	memcpy(prev, genesis, sizeof prev);
	int64_t expect_id = 1;
	int bad = 0, s;
	*records = 0;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *before = sqlite3_column_type(st, 7) == SQLITE_NULL ? NULL : db_col_text(st, 7);
		const char *after = sqlite3_column_type(st, 8) == SQLITE_NULL ? NULL : db_col_text(st, 8);
		char h[65];
		chain_hash(prev, id, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), db_col_text(st, 3),
			   db_col_text(st, 4), db_col_text(st, 5), db_col_text(st, 6), before, after, h);
		const char *why = NULL;
		if (id != expect_id)
			why = id > expect_id ? "records before it were deleted" : "record out of sequence";
		else if (strcmp(db_col_text(st, 9), prev) != 0)
			why = "does not link to the previous record (inserted or reordered)";
		else if (strcmp(db_col_text(st, 10), h) != 0)
			why = "contents do not match its hash (changed)";
		if (why) {
			fprintf(out, "audit record %lld (%s %s): %s\n", (long long)id, db_col_text(st, 5),
				db_col_text(st, 6), why);
			bad = 1;
			break;
		}
		memcpy(prev, db_col_text(st, 10), 65);
		expect_id = id + 1;
		(*records)++;
	}
	sqlite3_reset(st);
	memcpy(head, prev, 65);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return YW_EDB;
	return bad ? YW_ECONFLICT : 0;
}

static int verify_rows(db_t *db, FILE *out, int64_t *rows)
{
	int bad = 0;
	*rows = 0;
	for (size_t i = 0; i < NAUDITED && !bad; i++) {
		const audited_t *t = &audited[i];
		/* A database from before a table's migration simply has none of its rows. */
		sqlite3_stmt *exists = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1");
		db_bind_text(exists, 1, t->table);
		bool present = sqlite3_step(exists) == SQLITE_ROW;
		sqlite3_reset(exists);
		if (!present)
			continue;
		sqlite3_stmt *st = db_prepare(db, t->select_all);
		sqlite3_stmt *last = db_prepare(db, "SELECT id, after FROM audit WHERE entity = $1 AND entity_id = $2 "
						    "ORDER BY id DESC LIMIT 1");
		while (!bad && sqlite3_step(st) == SQLITE_ROW) {
			const char *key = db_col_text(st, 0);
			char *snap = snapshot(st, 1, t->secret);
			sqlite3_reset(last);
			db_bind_text(last, 1, t->table);
			db_bind_text(last, 2, key);
			if (sqlite3_step(last) != SQLITE_ROW) {
				fprintf(out, "%s row %s: not in the audit trail (inserted outside the program)\n", t->table,
					key);
				bad = 1;
			} else if (strcmp(db_col_text(last, 1), snap) != 0) {
				fprintf(out, "%s row %s: differs from audit record %lld (changed outside the program)\n",
					t->table, key, (long long)sqlite3_column_int64(last, 0));
				bad = 1;
			}
			sqlite3_reset(last);
			free(snap);
			(*rows)++;
		}
		sqlite3_reset(st);
	}
	if (bad)
		return YW_ECONFLICT;

	/* Rows the trail says exist but the table lacks were deleted behind the program's back. */
	sqlite3_stmt *st = db_prepare(db, "SELECT a.id, a.entity, a.entity_id FROM audit a WHERE a.after IS NOT NULL "
					  "AND a.id = (SELECT MAX(b.id) FROM audit b WHERE b.entity = a.entity "
					  "AND b.entity_id = a.entity_id) ORDER BY a.id");
	while (!bad && sqlite3_step(st) == SQLITE_ROW) {
		const audited_t *t = find_table(db_col_text(st, 1));
		if (!t)
			continue;
		sqlite3_stmt *one = db_prepare(db, t->select_one);
		db_bind_text(one, 1, db_col_text(st, 2));
		if (sqlite3_step(one) != SQLITE_ROW) {
			fprintf(out, "%s row %s: deleted outside the program (last audit record %lld)\n", t->table,
				db_col_text(st, 2), (long long)sqlite3_column_int64(st, 0));
			bad = 1;
		}
		sqlite3_reset(one);
	}
	sqlite3_reset(st);
	return bad ? YW_ECONFLICT : 0;
}

int audit_verify(db_t *db, FILE *out)
{
	int64_t records = 0, rows = 0;
	char head[65];
	/* One read transaction so the chain and the rows are a single consistent picture. */
	db_exec(db, "BEGIN");
	int rc = verify_chain(db, out, &records, head);
	if (rc == 0)
		rc = verify_rows(db, out, &rows);
	db_exec(db, "COMMIT");
	if (rc == 0)
		/* Whoever can write the file can rebuild a keyless chain from scratch; keeping the head
		 * hash somewhere else (a daily report, another system) makes that visible too. */
		fprintf(out, "audit chain intact: %lld records, %lld rows match their latest record\nhead %s\n",
			(long long)records, (long long)rows, head);
	return rc;
}

int audit_list(db_t *db, const char *entity, const char *entity_id, int64_t page, int64_t page_size, json_t **out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT COUNT(*) FROM audit WHERE ($1 IS NULL OR entity = $1) "
					  "AND ($2 IS NULL OR entity_id = $2)");
	db_bind_text(st, 1, entity);
	db_bind_text(st, 2, entity_id);
	int64_t total = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	st = db_prepare(db, "SELECT id, at, actor, action, entity, entity_id, before, after, hash FROM audit "
			    "WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) "
			    "ORDER BY id DESC LIMIT $3 OFFSET $4");
	db_bind_text(st, 1, entity);
	db_bind_text(st, 2, entity_id);
	db_bind_int(st, 3, page_size);
	db_bind_int(st, 4, (page - 1) * page_size);
	json_t *items = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *r = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0),
				      "at", (json_int_t)sqlite3_column_int64(st, 1), "actor", db_col_text(st, 2),
				      "action", db_col_text(st, 3), "entity", db_col_text(st, 4), "entity_id",
				      db_col_text(st, 5), "hash", db_col_text(st, 8));
		for (int c = 6; c <= 7; c++) {
			json_t *v = sqlite3_column_type(st, c) == SQLITE_NULL ? NULL : json_loads(db_col_text(st, c), 0, NULL);
			json_object_set_new(r, c == 6 ? "before" : "after", v ? v : json_null());
		}
		json_array_append_new(items, r);
	}
	sqlite3_reset(st);
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)page_size, "items", items);
	return 0;
}
