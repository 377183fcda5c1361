/* Hall devices (大厅设备, docs/domain.md §8): the kiosks (取号机), display boards (叫号屏) and rating
 * pads (评价器, each bound to one window) a hall manager has registered. The manager creates a
 * device and gets a one-time six-digit pairing code valid for HALL_PAIR_TTL_S; the device's page
 * sends the code once and receives its token, shown once and kept by the device. Only the
 * SHA-256 of the token and of the code are stored, the code's outside the audited row (six digits
 * could be recovered from a hash in the audit trail). A revoked device is refused at once. Anonymous
 * writes that consume hall resources (tickets, check-ins, ratings) need such a device. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/audit.h"
#include "platform/db.h"
#include "platform/err.h"

static void sha256_hex(const char *s, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int finish(db_t *db, int rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

bool hall_device_kind_valid(const char *kind)
{
	return kind && (strcmp(kind, "kiosk") == 0 || strcmp(kind, "board") == 0 || strcmp(kind, "pad") == 0);
}

/* A fresh pairing code for device id (inside the caller's transaction): its hash and expiry in
 * hall_device_codes, the expiry also on the audited row; retried on the rare collision with
 * another live code. */
static int set_code(db_t *db, int64_t id, int64_t now, char code_out[HALL_PAIR_CODE_LEN + 1])
{
	/* codes that expired unused free their digits */
	db_stmt_t *st = db_prepare(db, "DELETE FROM hall_device_codes WHERE expires_at <= :now OR device_id = :device_id");
	db_bind_int(st, "now", now);
	db_bind_int(st, "device_id", id);
	int rc = db_run(st);
	if (rc)
		return rc;
	/* a collision inserts nothing (ON CONFLICT DO NOTHING) rather than failing: on PostgreSQL a
	 * failed statement would end the whole transaction */
	st = db_prepare(db, "INSERT INTO hall_device_codes(device_id, code_hash, expires_at)"
			    " VALUES (:device_id, :code_hash, :expires_at) ON CONFLICT DO NOTHING");
	bool inserted = false;
	for (int attempt = 0; attempt < 8 && !inserted; attempt++) {
		snprintf(code_out, HALL_PAIR_CODE_LEN + 1, "%06u", (unsigned)randombytes_uniform(1000000));
		char h[65];
		sha256_hex(code_out, h);
		db_bind_int(st, "device_id", id);
		db_bind_text(st, "code_hash", h);
		db_bind_int(st, "expires_at", now + HALL_PAIR_TTL_S);
		if ((rc = db_run(st)) != 0)
			return rc;
		inserted = db_changes(st) == 1;
	}
	if (!inserted)
		return YW_EDB; /* eight collisions in a row */
	st = db_prepare(db, "UPDATE hall_devices SET pair_expires_at = :expires_at WHERE id = :id");
	db_bind_int(st, "expires_at", now + HALL_PAIR_TTL_S);
	db_bind_int(st, "id", id);
	return db_run(st);
}

int hall_device_create(db_t *db, const auth_user_t *actor, int64_t hall_id, const char *kind, int64_t window_id,
		       const char *name, int64_t now, int64_t *id_out, char code_out[HALL_PAIR_CODE_LEN + 1])
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "INSERT INTO hall_devices(hall_id, kind, window_id, name, created_by, created_at)"
				       " VALUES (:hall_id, :kind, :window_id, :name, :created_by, :now) RETURNING id");
	db_bind_int(st, "hall_id", hall_id);
	db_bind_text(st, "kind", kind);
	db_bind_id(st, "window_id", window_id);
	db_bind_text(st, "name", name);
	db_bind_id(st, "created_by", actor ? actor->id : 0);
	db_bind_int(st, "now", now);
	*id_out = 0;
	if ((rc = db_one(st)) != 0)
		return finish(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
	*id_out = db_col_int(st, 0);
	db_reset(st);
	rc = set_code(db, *id_out, now, code_out);
	if (!rc)
		rc = audit_record_id(db, actor, "hall.device.create", "hall_devices", *id_out);
	return finish(db, rc);
}

int hall_device_recode(db_t *db, const auth_user_t *actor, int64_t id, int64_t now, char code_out[HALL_PAIR_CODE_LEN + 1])
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "SELECT CASE WHEN paired_at IS NULL AND revoked_at IS NULL THEN 1 ELSE 0 END"
				       " FROM hall_devices WHERE id = :id");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return finish(db, rc);
	bool pending = db_col_int(st, 0);
	db_reset(st);
	if (!pending)
		return finish(db, YW_ECONFLICT);
	rc = set_code(db, id, now, code_out);
	if (!rc)
		rc = audit_record_id(db, actor, "hall.device.code", "hall_devices", id);
	return finish(db, rc);
}

static void device_row(db_stmt_t *st, hall_device_t *d)
{
	d->id = db_col_int(st, 0);
	d->hall_id = db_col_int(st, 1);
	snprintf(d->kind, sizeof d->kind, "%s", db_col_text(st, 2));
	d->window_id = db_col_int(st, 3);
	snprintf(d->name, sizeof d->name, "%s", db_col_text(st, 4));
}

int hall_device_pair(db_t *db, int64_t hall_id, const char *kind, const char *code, int64_t now,
		     char token_out[HALL_DEVICE_TOKEN_LEN], hall_device_t *out)
{
	char h[65], th[65];
	sha256_hex(code, h);
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "SELECT d.id, d.hall_id, d.kind, COALESCE(d.window_id, 0), d.name FROM hall_devices d"
				       " JOIN hall_device_codes c ON c.device_id = d.id WHERE c.code_hash = :code_hash"
				       " AND d.hall_id = :hall_id AND c.expires_at > :now AND d.paired_at IS NULL"
				       " AND d.revoked_at IS NULL");
	db_bind_text(st, "code_hash", h);
	db_bind_int(st, "hall_id", hall_id);
	db_bind_int(st, "now", now);
	if ((rc = db_one(st)) != 0)
		return finish(db, rc);
	device_row(st, out);
	db_reset(st);
	if (strcmp(out->kind, kind) != 0)
		return finish(db, YW_EINVAL);
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token_out, HALL_DEVICE_TOKEN_LEN, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sha256_hex(token_out, th);
	/* single use: the code is gone once the device holds its token */
	st = db_prepare(db, "DELETE FROM hall_device_codes WHERE device_id = :device_id");
	db_bind_int(st, "device_id", out->id);
	if ((rc = db_run(st)) != 0)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE hall_devices SET token_hash = :token_hash, pair_expires_at = NULL,"
			    " paired_at = :now WHERE id = :id AND paired_at IS NULL");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "now", now);
	db_bind_int(st, "id", out->id);
	if ((rc = db_run(st)) != 0)
		return finish(db, rc);
	if (db_changes(st) != 1)
		return finish(db, YW_ENOTFOUND);
	return finish(db, audit_record_id(db, NULL, "hall.device.pair", "hall_devices", out->id));
}

int hall_device_revoke(db_t *db, const auth_user_t *actor, int64_t id, int64_t now)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "DELETE FROM hall_device_codes WHERE device_id = :device_id");
	db_bind_int(st, "device_id", id);
	if ((rc = db_run(st)) != 0)
		return finish(db, rc);
	st = db_prepare(db, "UPDATE hall_devices SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL");
	db_bind_int(st, "now", now);
	db_bind_int(st, "id", id);
	if ((rc = db_run(st)) != 0)
		return finish(db, rc);
	if (db_changes(st) != 1)
		return finish(db, YW_ECONFLICT);
	return finish(db, audit_record_id(db, actor, "hall.device.revoke", "hall_devices", id));
}

int hall_device_hall(db_t *db, int64_t id, int64_t *hall_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT hall_id FROM hall_devices WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*hall_id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int hall_device_by_token(db_t *db, const char *token, int64_t now, hall_device_t *out)
{
	if (!token || !*token || strlen(token) >= HALL_DEVICE_TOKEN_LEN)
		return YW_EAUTH;
	char th[65];
	sha256_hex(token, th);
	db_stmt_t *st = db_prepare(db, "SELECT d.id, d.hall_id, d.kind, COALESCE(d.window_id, 0), d.name, COALESCE(s.at, 0)"
				       " FROM hall_devices d LEFT JOIN hall_device_seen s ON s.device_id = d.id"
				       " WHERE d.token_hash = :token_hash AND d.revoked_at IS NULL");
	db_bind_text(st, "token_hash", th);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
	device_row(st, out);
	/* last_seen tells the manager a device is alive; written at most once a minute, not audited
	 * (it is no decision of anyone's, like a session's use), by the writer (hall_device_seen) */
	out->seen_due = now - db_col_int(st, 5) >= 60;
	db_reset(st);
	return 0;
}

int hall_device_seen(db_t *db, int64_t id, int64_t now)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO hall_device_seen(device_id, at) VALUES (:device_id, :now)"
				       " ON CONFLICT(device_id) DO UPDATE SET at = excluded.at");
	db_bind_int(st, "device_id", id);
	db_bind_int(st, "now", now);
	return db_run(st);
}

int hall_devices_json(db_t *db, int64_t hall_id, int64_t now, json_t **out)
{
	db_stmt_t *st = db_prepare(
		db, "SELECT d.id, d.kind, d.name, d.window_id, w.number, w.name, d.created_at, d.paired_at, d.revoked_at,"
		    " s.at, d.pair_expires_at FROM hall_devices d LEFT JOIN windows w ON w.id = d.window_id"
		    " LEFT JOIN hall_device_seen s ON s.device_id = d.id"
		    " WHERE d.hall_id = :hall_id ORDER BY CASE WHEN d.revoked_at IS NULL THEN 0 ELSE 1 END, d.kind, d.id");
	db_bind_int(st, "hall_id", hall_id);
	json_t *arr = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *state = !db_col_null(st, 8) ? "revoked"
				    : !db_col_null(st, 7) ? "paired"
				    : db_col_int(st, 10) > now ? "pending"
							       : "expired";
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)db_col_int(st, 0), "kind", db_col_text(st, 1),
				      "name", db_col_text(st, 2), "state", state);
		static const char *const ints[] = {"window_id", "window_number", NULL, "created_at", "paired_at", "revoked_at",
						   "last_seen", "pairing_expires_at"};
		for (int i = 0; i < 8; i++)
			if (ints[i])
				json_object_set_new(o, ints[i], db_col_json(st, 3 + i));
		json_object_set_new(o, "window_name", db_col_json(st, 5));
		if (strcmp(state, "pending") != 0)
			json_object_set_new(o, "pairing_expires_at", json_null());
		json_array_append_new(arr, o);
	}
	if (rc < 0) {
		json_decref(arr);
		return rc;
	}
	*out = json_pack("{s:o}", "items", arr);
	return 0;
}
