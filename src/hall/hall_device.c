/* Hall devices (大厅设备, docs/domain.md §8): the kiosks (取号机), display boards (叫号屏) and rating
 * pads (评价器, each bound to one window) a hall manager has registered. The manager creates a
 * device and gets a one-time six-digit pairing code valid for HALL_PAIR_TTL_S; the device's page
 * sends the code once and receives its token, shown once and kept by the device. Only the
 * SHA-256 of the token and of the code are stored, the code's outside the audited row (six digits
 * could be recovered from a hash in the audit trail). A revoked device is refused at once. Anonymous
 * writes that consume hall resources (tickets, check-ins, ratings) need such a device. */
#include <sodium.h>
#include "platform/db_legacy.h"
#include <stdio.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/audit.h"
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
	sqlite3_stmt *st = dbl_prepare(db, "DELETE FROM hall_device_codes WHERE expires_at <= $1 OR device_id = $2");
	dbl_bind_int(st, 1, now);
	dbl_bind_int(st, 2, id);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return YW_EDB;
	st = dbl_prepare(db, "INSERT INTO hall_device_codes(device_id, code_hash, expires_at) VALUES ($1, $2, $3)");
	for (int attempt = 0; attempt < 8; attempt++) {
		snprintf(code_out, HALL_PAIR_CODE_LEN + 1, "%06u", (unsigned)randombytes_uniform(1000000));
		char h[65];
		sha256_hex(code_out, h);
		dbl_bind_int(st, 1, id);
		dbl_bind_text(st, 2, h);
		dbl_bind_int(st, 3, now + HALL_PAIR_TTL_S);
		s = sqlite3_step(st);
		sqlite3_reset(st);
		if (s == SQLITE_DONE)
			break;
		if ((s & 0xff) != SQLITE_CONSTRAINT)
			return YW_EDB;
	}
	if (s != SQLITE_DONE)
		return YW_EDB;
	st = dbl_prepare(db, "UPDATE hall_devices SET pair_expires_at = $1 WHERE id = $2");
	dbl_bind_int(st, 1, now + HALL_PAIR_TTL_S);
	dbl_bind_int(st, 2, id);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	return s == SQLITE_DONE ? 0 : YW_EDB;
}

int hall_device_create(db_t *db, const auth_user_t *actor, int64_t hall_id, const char *kind, int64_t window_id,
		       const char *name, int64_t now, int64_t *id_out, char code_out[HALL_PAIR_CODE_LEN + 1])
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO hall_devices(hall_id, kind, window_id, name, created_by, created_at)"
			    " VALUES ($1, $2, NULLIF($3, 0), $4, NULLIF($5, 0), $6) RETURNING id");
	dbl_bind_int(st, 1, hall_id);
	dbl_bind_text(st, 2, kind);
	dbl_bind_int(st, 3, window_id);
	dbl_bind_text(st, 4, name);
	dbl_bind_int(st, 5, actor ? actor->id : 0);
	dbl_bind_int(st, 6, now);
	int s = sqlite3_step(st);
	*id_out = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (s != SQLITE_ROW)
		return finish(db, YW_EDB);
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
	sqlite3_stmt *st = dbl_prepare(db, "SELECT paired_at IS NULL AND revoked_at IS NULL FROM hall_devices WHERE id = $1");
	dbl_bind_int(st, 1, id);
	int s = sqlite3_step(st);
	bool pending = s == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (s != SQLITE_ROW)
		return finish(db, s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB);
	if (!pending)
		return finish(db, YW_ECONFLICT);
	rc = set_code(db, id, now, code_out);
	if (!rc)
		rc = audit_record_id(db, actor, "hall.device.code", "hall_devices", id);
	return finish(db, rc);
}

static void device_row(sqlite3_stmt *st, hall_device_t *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->hall_id = sqlite3_column_int64(st, 1);
	snprintf(d->kind, sizeof d->kind, "%s", dbl_col_text(st, 2));
	d->window_id = sqlite3_column_int64(st, 3);
	snprintf(d->name, sizeof d->name, "%s", dbl_col_text(st, 4));
}

int hall_device_pair(db_t *db, int64_t hall_id, const char *kind, const char *code, int64_t now,
		     char token_out[HALL_DEVICE_TOKEN_LEN], hall_device_t *out)
{
	char h[65], th[65];
	sha256_hex(code, h);
	int rc = db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "SELECT d.id, d.hall_id, d.kind, COALESCE(d.window_id, 0), d.name FROM hall_devices d"
					  " JOIN hall_device_codes c ON c.device_id = d.id WHERE c.code_hash = $1 AND d.hall_id = $2"
					  " AND c.expires_at > $3 AND d.paired_at IS NULL AND d.revoked_at IS NULL");
	dbl_bind_text(st, 1, h);
	dbl_bind_int(st, 2, hall_id);
	dbl_bind_int(st, 3, now);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		device_row(st, out);
	sqlite3_reset(st);
	if (s != SQLITE_ROW)
		return finish(db, s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB);
	if (strcmp(out->kind, kind) != 0)
		return finish(db, YW_EINVAL);
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(token_out, HALL_DEVICE_TOKEN_LEN, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sha256_hex(token_out, th);
	/* single use: the code is gone once the device holds its token */
	st = dbl_prepare(db, "DELETE FROM hall_device_codes WHERE device_id = $1");
	dbl_bind_int(st, 1, out->id);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return finish(db, YW_EDB);
	st = dbl_prepare(db, "UPDATE hall_devices SET token_hash = $1, pair_expires_at = NULL,"
			    " paired_at = $2 WHERE id = $3 AND paired_at IS NULL");
	dbl_bind_text(st, 1, th);
	dbl_bind_int(st, 2, now);
	dbl_bind_int(st, 3, out->id);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE || sqlite3_changes(dbl_handle(db)) != 1)
		return finish(db, s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB);
	return finish(db, audit_record_id(db, NULL, "hall.device.pair", "hall_devices", out->id));
}

int hall_device_revoke(db_t *db, const auth_user_t *actor, int64_t id, int64_t now)
{
	int rc = db_begin(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = dbl_prepare(db, "DELETE FROM hall_device_codes WHERE device_id = $1");
	dbl_bind_int(st, 1, id);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return finish(db, YW_EDB);
	st = dbl_prepare(db, "UPDATE hall_devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL");
	dbl_bind_int(st, 1, now);
	dbl_bind_int(st, 2, id);
	s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s != SQLITE_DONE)
		return finish(db, YW_EDB);
	if (sqlite3_changes(dbl_handle(db)) != 1)
		return finish(db, YW_ECONFLICT);
	return finish(db, audit_record_id(db, actor, "hall.device.revoke", "hall_devices", id));
}

int hall_device_hall(db_t *db, int64_t id, int64_t *hall_id)
{
	sqlite3_stmt *st = dbl_prepare(db, "SELECT hall_id FROM hall_devices WHERE id = $1");
	dbl_bind_int(st, 1, id);
	int s = sqlite3_step(st);
	if (s == SQLITE_ROW)
		*hall_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return s == SQLITE_ROW ? 0 : s == SQLITE_DONE ? YW_ENOTFOUND : YW_EDB;
}

int hall_device_by_token(db_t *db, const char *token, int64_t now, hall_device_t *out)
{
	if (!token || !*token || strlen(token) >= HALL_DEVICE_TOKEN_LEN)
		return YW_EAUTH;
	char th[65];
	sha256_hex(token, th);
	sqlite3_stmt *st = dbl_prepare(db, "SELECT d.id, d.hall_id, d.kind, COALESCE(d.window_id, 0), d.name, COALESCE(s.at, 0)"
					  " FROM hall_devices d LEFT JOIN hall_device_seen s ON s.device_id = d.id"
					  " WHERE d.token_hash = $1 AND d.revoked_at IS NULL");
	dbl_bind_text(st, 1, th);
	int s = sqlite3_step(st);
	int64_t seen = 0;
	if (s == SQLITE_ROW) {
		device_row(st, out);
		seen = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (s != SQLITE_ROW)
		return s == SQLITE_DONE ? YW_EAUTH : YW_EDB;
	/* last_seen tells the manager a device is alive; written at most once a minute, not audited
	 * (it is no decision of anyone's, like a session's use) */
	if (now - seen >= 60) {
		st = dbl_prepare(db, "INSERT INTO hall_device_seen(device_id, at) VALUES ($1, $2)"
				    " ON CONFLICT(device_id) DO UPDATE SET at = excluded.at");
		dbl_bind_int(st, 1, out->id);
		dbl_bind_int(st, 2, now);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	return 0;
}

int hall_devices_json(db_t *db, int64_t hall_id, int64_t now, json_t **out)
{
	sqlite3_stmt *st = dbl_prepare(
		db, "SELECT d.id, d.kind, d.name, d.window_id, w.number, w.name, d.created_at, d.paired_at, d.revoked_at,"
		    " s.at, d.pair_expires_at FROM hall_devices d LEFT JOIN windows w ON w.id = d.window_id"
		    " LEFT JOIN hall_device_seen s ON s.device_id = d.id"
		    " WHERE d.hall_id = $1 ORDER BY d.revoked_at IS NOT NULL, d.kind, d.id");
	dbl_bind_int(st, 1, hall_id);
	json_t *arr = json_array();
	int s;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = sqlite3_column_type(st, 8) != SQLITE_NULL   ? "revoked"
				    : sqlite3_column_type(st, 7) != SQLITE_NULL ? "paired"
				    : sqlite3_column_int64(st, 10) > now	? "pending"
										: "expired";
		json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 0), "kind",
				      dbl_col_text(st, 1), "name", dbl_col_text(st, 2), "state", state);
		static const char *const ints[] = {"window_id", "window_number", NULL, "created_at", "paired_at", "revoked_at",
						   "last_seen", "pairing_expires_at"};
		for (int i = 0; i < 8; i++) {
			if (!ints[i])
				continue;
			int col = 3 + i;
			json_object_set_new(o, ints[i], sqlite3_column_type(st, col) == SQLITE_NULL
								? json_null()
								: json_integer(sqlite3_column_int64(st, col)));
		}
		json_object_set_new(o, "window_name", sqlite3_column_type(st, 5) == SQLITE_NULL ? json_null()
											      : json_string(dbl_col_text(st, 5)));
		if (strcmp(state, "pending") != 0)
			json_object_set_new(o, "pairing_expires_at", json_null());
		json_array_append_new(arr, o);
	}
	sqlite3_reset(st);
	if (s != SQLITE_DONE) {
		json_decref(arr);
		return YW_EDB;
	}
	*out = json_pack("{s:o}", "items", arr);
	return 0;
}
