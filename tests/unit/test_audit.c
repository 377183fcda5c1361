/* The audit chain's key and checkpoints (platform/audit.h): checkpoint lines parsed strictly; a
 * database from before keying verifies with plain SHA-256 links, is keyed from a key record on
 * (rows of tables audited since adopted), and then refuses a changed record, a wrong checkpoint
 * and a key file beside an unkeyed chain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "platform/audit.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"

static const char H64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void checkpoint_lines(void **state)
{
	(void)state;
	audit_checkpoint_t cp;
	char line[128];
	snprintf(line, sizeof line, "42 %s", H64);
	assert_int_equal(audit_checkpoint_parse(line, &cp), 0);
	assert_int_equal(cp.seq, 42);
	assert_string_equal(cp.hash, H64);
	const char *bad[][2] = {{"", ""},   {"42", ""},  {"0 ", ""},  {"-1 ", ""}, {" 42 ", ""},
				{"42  ", ""}, {"42 ", "\n"}, {"42 ", " "}, {"+42 ", ""}};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(line, sizeof line, "%s%s%s", bad[i][0], *bad[i][0] ? H64 : "", bad[i][1]);
		assert_int_equal(audit_checkpoint_parse(line, &cp), YW_EINVAL);
	}
	snprintf(line, sizeof line, "42 %s", H64);
	line[10] = 'A'; /* upper case */
	assert_int_equal(audit_checkpoint_parse(line, &cp), YW_EINVAL);
	snprintf(line, sizeof line, "7 %.63sG", H64);
	assert_int_equal(audit_checkpoint_parse(line, &cp), YW_EINVAL);
	snprintf(line, sizeof line, "7 %.63s", H64);
	assert_int_equal(audit_checkpoint_parse(line, &cp), YW_EINVAL);
}

static bool chain_keyed(db_t *db)
{
	bool keyed = false;
	assert_int_equal(audit_chain_keyed(db, &keyed), 0);
	return keyed;
}

static int verify(db_t *db, const audit_checkpoint_t *cps, size_t n)
{
	FILE *devnull = fopen("/dev/null", "w");
	int rc = audit_verify_checkpoints(db, cps, n, devnull, NULL);
	fclose(devnull);
	return rc;
}

static void region(db_t *db, const char *code, const char *name)
{
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT INTO regions VALUES ('%s', '%s', 1, NULL) ON CONFLICT(code) DO UPDATE SET name = '%s'",
		 code, name, name);
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(db_exec(db, sql), 0);
	assert_int_equal(audit_record(db, NULL, "test.region", "regions", code), 0);
	assert_int_equal(db_commit(db), 0);
}

static void keyed_from_a_legacy_chain(void **state)
{
	(void)state;
	char dir[] = "/tmp/yiwang-test-audit-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], key[140], copy[128];
	snprintf(path, sizeof path, "%s/city.db", dir);
	snprintf(key, sizeof key, "%s.auditkey", path);
	snprintf(copy, sizeof copy, "%s/other.db", dir);
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);

	/* before keying: plain SHA-256 links, and a serial row without a record (not yet audited) */
	assert_int_equal(audit_key_load(key, stderr), YW_ENOTFOUND);
	assert_int_equal(audit_key_bind(db, false, stderr), 0);
	char mac[65];
	assert_int_equal(audit_mac("session", NULL, 0, mac), YW_ENOTFOUND);
	region(db, "430100", "长沙市");
	assert_int_equal(db_exec(db, "INSERT INTO case_serials VALUES ('43010020261203', 4)"), 0);
	assert_false(chain_keyed(db));
	assert_int_equal(verify(db, NULL, 0), 0);

	/* a key file beside an unkeyed chain with records that this process did not just create:
	 * refused (that is what a chain rebuilt without the key looks like) */
	assert_int_equal(audit_key_create(key), 0);
	assert_int_equal(audit_key_create(key), YW_ECONFLICT);
	struct stat sb;
	assert_int_equal(stat(key, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(audit_key_load(key, stderr), 0);
	FILE *devnull = fopen("/dev/null", "w");
	assert_int_equal(audit_key_bind(db, false, devnull), YW_ECONFLICT);
	assert_int_equal(verify(db, NULL, 0), YW_ECONFLICT);

	/* keyed now: record 2 is the key record, the serial row is adopted */
	assert_int_equal(audit_key_bind(db, true, devnull), 0);
	assert_true(chain_keyed(db));
	int64_t n = 0;
	assert_int_equal(db_query_int(db, "SELECT COUNT(*) FROM audit WHERE action = 'audit.adopt'", NULL, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(db_query_int(db, "SELECT id FROM audit WHERE entity = 'audit_key'", NULL, &n), 0);
	assert_int_equal(n, 2);
	region(db, "430100", "长沙");
	assert_int_equal(verify(db, NULL, 0), 0);

	/* MACs: keyed, stable, separated by purpose */
	const char *f[] = {"a", "b"};
	char mac2[65];
	assert_int_equal(audit_mac("session", f, 2, mac), 0);
	assert_int_equal(audit_mac("session", f, 2, mac2), 0);
	assert_string_equal(mac, mac2);
	assert_int_equal(audit_mac("other", f, 2, mac2), 0);
	assert_string_not_equal(mac, mac2);

	/* checkpoints: the last record, accepted; a wrong hash or a record beyond the end refused */
	audit_checkpoint_t cp, head;
	assert_int_equal(audit_checkpoint_at(db, INT64_MAX, &cp), 0);
	assert_int_equal(audit_checkpoint_at(db, 1, &head), YW_ENOTFOUND);
	assert_int_equal(audit_verify_checkpoints(db, &cp, 1, devnull, &head), 0);
	assert_int_equal(head.seq, cp.seq);
	assert_string_equal(head.hash, cp.hash);
	audit_checkpoint_t wrong = cp;
	wrong.hash[0] = wrong.hash[0] == '0' ? '1' : '0';
	assert_int_equal(verify(db, &wrong, 1), YW_ECONFLICT);
	wrong = cp;
	wrong.seq++;
	assert_int_equal(verify(db, &wrong, 1), YW_ECONFLICT);

	/* a keyed record changed: refused; changed back: intact */
	assert_int_equal(db_exec(db, "UPDATE audit SET actor = 'someone' WHERE id = 3"), 0);
	assert_int_equal(verify(db, NULL, 0), YW_ECONFLICT);
	assert_int_equal(db_exec(db, "UPDATE audit SET actor = 'system' WHERE id = 3"), 0);
	assert_int_equal(verify(db, NULL, 0), 0);

	/* another database's key: the chain's key is not in it */
	db_t *other;
	assert_int_equal(db_open(copy, &other), 0);
	char okey[140];
	snprintf(okey, sizeof okey, "%s.auditkey", copy);
	assert_int_equal(audit_key_create(okey), 0);
	assert_int_equal(audit_key_load(okey, stderr), 0);
	assert_int_equal(audit_key_bind(db, false, devnull), YW_ECONFLICT);
	assert_int_equal(verify(db, NULL, 0), YW_ECONFLICT);
	fclose(devnull);
	db_close(other);
	db_close(db);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The key file's default place: beside an SQLite file (with or without "sqlite:"), in files_dir
 * for PostgreSQL, and audit_key_file whenever it is set. */
/* The chain stores snapshots as jansson's json_dumps wrote them before audit_row_snapshot wrote
 * them directly: the two must give the same bytes for every value, or old chains stop verifying.
 * Random text of ASCII (quotes, backslashes, controls), Chinese and broken UTF-8, integers and
 * NULLs, against the same row put through jansson. */
static void snapshot_bytes_as_jansson(void **state)
{
	(void)state;
	char path[] = "/tmp/yiwang-snap-XXXXXX";
	close(mkstemp(path));
	db_t *db;
	assert_int_equal(db_open(path, &db), 0);
	assert_int_equal(db_exec(db, "CREATE TABLE snap(t TEXT, n INTEGER, z TEXT, secret TEXT)"), 0);
	static const char *const pieces[] = {"a", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f", "\x7f", "办件",
					     "\xe4\xb8", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", " ", "é"};
	srand(7);
	for (int round = 0; round < 2000; round++) {
		char text[128] = "";
		int k = rand() % 8;
		for (int i = 0; i < k; i++)
			strcat(text, pieces[rand() % (int)(sizeof pieces / sizeof pieces[0])]);
		int64_t num = round == 0 ? INT64_MIN : round == 1 ? INT64_MAX : round == 2 ? 0 : (int64_t)rand() * (rand() % 2 ? -1 : 1) * 1000003;
		db_stmt_t *st = db_prepare(db, "SELECT :t AS t, :n AS n, :z AS z, :s AS secret");
		db_bind_text(st, "t", text);
		db_bind_int(st, "n", num);
		if (round % 3)
			db_bind_text(st, "z", text);
		db_bind_text(st, "s", text);
		assert_int_equal(db_one(st), 0);
		char *mine = audit_row_snapshot(st, round % 2, "secret");
		json_t *o = json_object();
		for (int c = round % 2; c < 4; c++) {
			json_t *v = db_col_json(st, c);
			if (c == 3) {
				json_decref(v);
				v = NULL;
			}
			json_object_set_new(o, db_col_name(st, c), v ? v : json_string(""));
		}
		/* the secret column is hashed; take that value from the snapshot under test */
		json_t *parsed = json_loads(mine, 0, NULL);
		assert_non_null(parsed);
		json_object_set(o, "secret", json_object_get(parsed, "secret"));
		char *theirs = json_dumps(o, JSON_COMPACT);
		assert_string_equal(mine, theirs);
		free(theirs);
		free(mine);
		json_decref(o);
		json_decref(parsed);
		db_reset(st);
	}
	db_close(db);
	unlink(path);
}

static void key_file_places(void **state)
{
	(void)state;
	yw_config_t c;
	config_defaults(&c);
	char path[600];
	assert_string_equal(config_audit_key_file(&c, path, sizeof path), "var/yiwang.db.auditkey");
	assert_int_equal(config_set(&c, "db", "sqlite:/srv/city.db"), 0);
	assert_string_equal(config_audit_key_file(&c, path, sizeof path), "/srv/city.db.auditkey");
	assert_int_equal(config_set(&c, "db", "postgresql://yw:secret@db.example:5432/city"), 0);
	assert_string_equal(config_audit_key_file(&c, path, sizeof path), "var/files/yiwang.auditkey");
	assert_int_equal(config_set(&c, "files_dir", "/shared/files"), 0);
	assert_string_equal(config_audit_key_file(&c, path, sizeof path), "/shared/files/yiwang.auditkey");
	assert_int_equal(config_set(&c, "audit_key_file", "/etc/yiwang/audit.key"), 0);
	assert_string_equal(config_audit_key_file(&c, path, sizeof path), "/etc/yiwang/audit.key");
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(checkpoint_lines), cmocka_unit_test(keyed_from_a_legacy_chain),
					   cmocka_unit_test(key_file_places), cmocka_unit_test(snapshot_bytes_as_jansson)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
