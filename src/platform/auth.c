/* See auth.h. Secrets are never stored: sessions and API tokens are kept as SHA-256 of the
 * random token, passwords as argon2id strings (libsodium, interactive limits). */
#include "platform/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/http.h"
#include "platform/ratelimit.h"

static const struct {
	unsigned bit;
	const char *name, *label;
} roles[] = {
	{ROLE_APPLICANT, "applicant", "申请人"},
	{ROLE_CLERK, "clerk", "窗口人员"},
	{ROLE_APPROVER, "approver", "审批人员"},
	{ROLE_DEPT_ADMIN, "dept_admin", "部门管理员"},
	{ROLE_CENTER_ADMIN, "center_admin", "中心管理员"},
	{ROLE_SUPERVISOR, "supervisor", "电子监察"},
	{ROLE_HOTLINE_OPERATOR, "hotline_operator", "12345话务员"},
	{ROLE_HANDLING_UNIT, "handling_unit", "承办单位"},
	{ROLE_DISCLOSURE_OFFICER, "disclosure_officer", "信息公开工作人员"},
};
#define NROLES (sizeof roles / sizeof roles[0])

/* Which roles hold each permission (docs/domain.md §1). PERM_PUBLIC and PERM_SIGNED_IN are special. */
static const unsigned perm_roles[PERM__COUNT] = {
	[PERM_CATALOG_VIEW] = ROLE_DEPT_ADMIN | ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_CATALOG_EDIT] = ROLE_DEPT_ADMIN | ROLE_CENTER_ADMIN,
	[PERM_CATALOG_REVIEW] = ROLE_CENTER_ADMIN,
	[PERM_CATALOG_IMPORT] = ROLE_CENTER_ADMIN,
	[PERM_ORG_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_USERS_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_CALENDAR_EDIT] = ROLE_CENTER_ADMIN,
	[PERM_AUDIT_READ] = ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_CASE_APPLY_OR_ACCEPT] = ROLE_APPLICANT | ROLE_CLERK,
	[PERM_CASE_ACCEPT] = ROLE_CLERK,
	[PERM_CASE_HANDLE] = ROLE_APPROVER | ROLE_CLERK,
	[PERM_SUPERVISE] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN,
	[PERM_DEPT_RESPOND] = ROLE_DEPT_ADMIN | ROLE_APPROVER,
	[PERM_STATS_VIEW] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN | ROLE_DEPT_ADMIN,
	[PERM_HALL_SERVE] = ROLE_CLERK,
	[PERM_HALL_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_SUPERVISION_VIEW] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN | ROLE_DEPT_ADMIN | ROLE_APPROVER,
	[PERM_HOTLINE_VIEW] = ROLE_HOTLINE_OPERATOR | ROLE_HANDLING_UNIT | ROLE_CENTER_ADMIN | ROLE_SUPERVISOR,
	[PERM_HOTLINE_OPERATE] = ROLE_HOTLINE_OPERATOR | ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_HANDLE] = ROLE_HANDLING_UNIT,
	[PERM_HOTLINE_MANAGE] = ROLE_CENTER_ADMIN,
	[PERM_HOTLINE_SUPERVISE] = ROLE_SUPERVISOR | ROLE_CENTER_ADMIN,
};

static const char *const perm_names[PERM__COUNT] = {
	[PERM_PUBLIC] = "public",
	[PERM_SIGNED_IN] = "signed_in",
	[PERM_CATALOG_VIEW] = "catalog.view",
	[PERM_CATALOG_EDIT] = "catalog.edit",
	[PERM_CATALOG_REVIEW] = "catalog.review",
	[PERM_CATALOG_IMPORT] = "catalog.import",
	[PERM_ORG_MANAGE] = "org.manage",
	[PERM_USERS_MANAGE] = "users.manage",
	[PERM_CALENDAR_EDIT] = "calendar.edit",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_CASE_APPLY_OR_ACCEPT] = "case.apply",
	[PERM_CASE_ACCEPT] = "case.accept",
	[PERM_CASE_HANDLE] = "case.handle",
	[PERM_SUPERVISE] = "supervise",
	[PERM_DEPT_RESPOND] = "dept.respond",
	[PERM_STATS_VIEW] = "stats.view",
	[PERM_HALL_SERVE] = "hall.serve",
	[PERM_HALL_MANAGE] = "hall.manage",
	[PERM_SUPERVISION_VIEW] = "supervision.view",
	[PERM_HOTLINE_VIEW] = "hotline.view",
	[PERM_HOTLINE_OPERATE] = "hotline.operate",
	[PERM_HOTLINE_HANDLE] = "hotline.handle",
	[PERM_HOTLINE_MANAGE] = "hotline.manage",
	[PERM_HOTLINE_SUPERVISE] = "hotline.supervise",
};

const char *auth_perm_name(enum perm p)
{
	return p < PERM__COUNT ? perm_names[p] : "?";
}

const char *auth_role_name(unsigned bit)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].bit == bit)
			return roles[i].name;
	return NULL;
}

const char *auth_role_label(unsigned bit)
{
	for (size_t i = 0; i < NROLES; i++)
		if (roles[i].bit == bit)
			return roles[i].label;
	return NULL;
}

int auth_roles_parse(const char *csv, unsigned *out)
{
	unsigned r = 0;
	const char *p = csv;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		bool found = false;
		for (size_t i = 0; i < NROLES; i++)
			if (strlen(roles[i].name) == n && strncmp(roles[i].name, p, n) == 0) {
				r |= roles[i].bit;
				found = true;
			}
		if (!found && n)
			return YW_EINVAL;
		p += n + (e ? 1 : 0);
	}
	*out = r;
	return 0;
}

void auth_roles_format(unsigned r, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = 0;
	for (size_t i = 0; i < NROLES; i++)
		if (r & roles[i].bit)
			off += (size_t)snprintf(buf + off, off < size ? size - off : 0, "%s%s", off ? "," : "",
						roles[i].name);
}

json_t *auth_roles_json(unsigned r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < NROLES; i++)
		if (r & roles[i].bit)
			json_array_append_new(a, json_string(roles[i].name));
	return a;
}

bool auth_has_perm(const auth_user_t *u, enum perm p)
{
	if (p == PERM_PUBLIC)
		return true;
	if (!u)
		return false;
	if (p == PERM_SIGNED_IN)
		return true;
	return p < PERM__COUNT && (u->roles & perm_roles[p]) != 0;
}

/* GB/T 2260: 430000 province, 430100 city, 430102 district, 430102001 street, 430102001001
 * community. A code's scope prefix drops the trailing zero pairs of its first six digits. */
size_t auth_region_prefix_len(const char *scope)
{
	size_t n = strlen(scope);
	if (n != 6)
		return n;
	if (strcmp(scope + 2, "0000") == 0)
		return 2;
	if (strcmp(scope + 4, "00") == 0)
		return 4;
	return 6;
}

bool auth_region_within(const char *code, const char *scope)
{
	if (!scope || !*scope)
		return true;
	if (!code)
		return false;
	size_t n = auth_region_prefix_len(scope);
	return strncmp(code, scope, n) == 0;
}

void auth_region_bind(db_stmt_t *st, const char *p, const char *scope)
{
	char len_name[64];
	int n = (int)auth_region_prefix_len(scope ? scope : "");
	snprintf(len_name, sizeof len_name, "%s_len", p);
	db_bind_int(st, len_name, n);
	char prefix[16];
	snprintf(prefix, sizeof prefix, "%.*s", n, scope ? scope : "");
	db_bind_text(st, p, prefix);
}

bool auth_dept_in_scope(const auth_user_t *u, int64_t dept_id, const char *dept_region)
{
	if (!u)
		return false;
	if (u->roles & (ROLE_CENTER_ADMIN | ROLE_SUPERVISOR))
		return auth_region_within(dept_region, u->region_code);
	return u->dept_id != 0 && u->dept_id == dept_id;
}

/* the demo command's one reused hash (auth_hash_reuse_for_demo); the command is single-threaded */
static struct {
	bool on;
	char password[129], hash[128];
} g_demo_hash;

void auth_hash_reuse_for_demo(bool on)
{
	sodium_memzero(&g_demo_hash, sizeof g_demo_hash);
	g_demo_hash.on = on;
}

/* auth_hash_preset: the calling thread's next hash of exactly this password */
static __thread struct {
	bool set;
	char password[129], hash[128];
} t_preset;

void auth_hash_preset(const char *password, const char *hash)
{
	sodium_memzero(&t_preset, sizeof t_preset);
	if (password && hash && strlen(password) < sizeof t_preset.password && strlen(hash) < sizeof t_preset.hash) {
		t_preset.set = true;
		snprintf(t_preset.password, sizeof t_preset.password, "%s", password);
		snprintf(t_preset.hash, sizeof t_preset.hash, "%s", hash);
	}
}

int auth_hash_password(const char *password, char out[128])
{
	if (t_preset.set && strcmp(t_preset.password, password) == 0) {
		memcpy(out, t_preset.hash, sizeof t_preset.hash);
		sodium_memzero(&t_preset, sizeof t_preset);
		return 0;
	}
	if (g_demo_hash.on && g_demo_hash.hash[0] && strcmp(g_demo_hash.password, password) == 0) {
		memcpy(out, g_demo_hash.hash, sizeof g_demo_hash.hash);
		return 0;
	}
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return YW_EIO;
	if (g_demo_hash.on && strlen(password) < sizeof g_demo_hash.password) {
		snprintf(g_demo_hash.password, sizeof g_demo_hash.password, "%s", password);
		memcpy(g_demo_hash.hash, out, sizeof g_demo_hash.hash);
	}
	return 0;
}

bool auth_check_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

const char *auth_password_problem(const char *pw)
{
	size_t n = strlen(pw);
	if (n < 8)
		return "密码至少8位";
	if (n > 128)
		return "密码不能超过128位";
	bool digit = false, letter = false;
	for (const char *p = pw; *p; p++) {
		digit |= *p >= '0' && *p <= '9';
		letter |= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z');
	}
	if (!digit || !letter)
		return "密码须同时包含字母和数字";
	return NULL;
}

static void token_hash(const char *token, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static void random_token(char *out, size_t size)
{
	unsigned char rnd[32];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2base64(out, size, rnd, sizeof rnd, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void fill_user(db_stmt_t *st, int c, auth_user_t *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, c + 0);
	snprintf(u->username, sizeof u->username, "%s", db_col_text(st, c + 1));
	snprintf(u->name, sizeof u->name, "%s", db_col_text(st, c + 2));
	snprintf(u->kind, sizeof u->kind, "%s", db_col_text(st, c + 3));
	auth_roles_parse(db_col_text(st, c + 4), &u->roles);
	u->dept_id = db_col_int(st, c + 5);
	snprintf(u->region_code, sizeof u->region_code, "%s", db_col_text(st, c + 6));
	u->window_id = db_col_int(st, c + 7);
}

int auth_user_load(db_t *db, int64_t id, auth_user_t *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT id, username, name, kind, roles, COALESCE(dept_id, 0), "
				       "COALESCE(region_code, ''), COALESCE(window_id, 0) FROM users WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		fill_user(st, 0, out);
		db_reset(st);
	}
	return rc;
}

/* ---- sign-in throttle ----
 * Failures are counted per client address (in memory, platform/ratelimit.h) and per account (one
 * row of login_failures per real account, updated in place and pruned after a day; names that
 * are not accounts are counted in memory, so the table is bounded by the number of accounts and
 * an unknown name is throttled like a real one). While either is in its delay the attempt is
 * answered 429 before the password is hashed, so a flood costs no argon2 time. Nothing here is an
 * audited state change. */

/* A session row's keyed MAC (platform/audit.h), so the sessions table cannot be written by hand. */
static int session_mac(const char *th, int64_t user_id, const char *csrf, int64_t created, int64_t expires, char out[65])
{
	char nums[72];
	snprintf(nums, sizeof nums, "%lld|%lld|%lld", (long long)user_id, (long long)created, (long long)expires);
	const char *fields[] = {th, csrf, nums};
	return audit_mac("session", fields, 3, out);
}

static int64_t max_delay(void)
{
	return config_current()->login_max_delay_s;
}

/* The account's failure row: count, delay end and last failure, zeros when none. */
static int failures_load(db_t *db, const char *username, int64_t f[3])
{
	db_stmt_t *st =
		db_prepare(db, "SELECT count, locked_until, last_at FROM login_failures WHERE username = :username");
	db_bind_text(st, "username", username);
	f[0] = f[1] = f[2] = 0;
	int rc = db_one(st);
	if (rc == 0) {
		for (int i = 0; i < 3; i++)
			f[i] = db_col_int(st, i);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

static int failures_record(db_t *db, const char *username, const int64_t f[3], int64_t now)
{
	const yw_config_t *cfg = config_current();
	/* A name idle for the longest delay after its last delay ended starts again from zero. */
	int64_t count = now > (f[1] > f[2] ? f[1] : f[2]) + max_delay() ? 1 : f[0] + 1;
	int64_t d = ratelimit_delay(count, cfg->login_free_failures, cfg->login_max_delay_s);
	int rc = db_begin(db);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "INSERT INTO login_failures(username, count, locked_until, last_at) "
				       "VALUES (:username, :count, :locked_until, :now) "
				       "ON CONFLICT(username) DO UPDATE SET count = excluded.count, "
				       "locked_until = excluded.locked_until, last_at = excluded.last_at");
	db_bind_text(st, "username", username);
	db_bind_int(st, "count", count);
	db_bind_int(st, "locked_until", d ? now + d : 0);
	db_bind_int(st, "now", now);
	rc = db_run(st);
	if (rc == 0) {
		st = db_prepare(db, "DELETE FROM login_failures WHERE last_at < :before");
		db_bind_int(st, "before", now - 86400 - max_delay());
		rc = db_run(st);
	}
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* Whether this browser's known-device cookie was issued for the account and is still valid. */
static int device_known(db_t *db, const char *device, int64_t user_id, int64_t now, bool *known)
{
	*known = false;
	if (!device || !*device || strlen(device) > 64)
		return 0;
	char th[65];
	token_hash(device, th);
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM known_devices WHERE token_hash = :token_hash "
				       "AND user_id = :user_id AND expires_at > :now");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "user_id", user_id);
	db_bind_int(st, "now", now);
	int rc = db_one(st);
	if (rc == 0) {
		*known = true;
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Remembers this browser for the account (at most AUTH_DEVICES_PER_USER, the newest). */
static int device_add(db_t *db, int64_t user_id, int64_t now, char device_out[64])
{
	char th[65];
	random_token(device_out, 64);
	token_hash(device_out, th);
	db_stmt_t *st = db_prepare(db, "INSERT INTO known_devices(token_hash, user_id, created_at, expires_at) "
				       "VALUES (:token_hash, :user_id, :now, :expires_at)");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "user_id", user_id);
	db_bind_int(st, "now", now);
	db_bind_int(st, "expires_at", now + AUTH_DEVICE_SECONDS);
	int rc = db_run(st);
	if (rc)
		return rc;
	st = db_prepare(db, "DELETE FROM known_devices WHERE user_id = :user_id AND (expires_at <= :now OR token_hash "
			    "NOT IN (SELECT token_hash FROM known_devices WHERE user_id = :user_id "
			    "ORDER BY created_at DESC, token_hash LIMIT :keep))");
	db_bind_int(st, "user_id", user_id);
	db_bind_int(st, "now", now);
	db_bind_int(st, "keep", AUTH_DEVICES_PER_USER);
	return db_run(st);
}

/* The new session's rows, in the caller's transaction: the account's failures ended (unless
 * exempt), the session, expired sessions swept, the browser remembered. */
static int session_open(db_t *db, const auth_user_t *u, bool exempt, const char *username, const char *device,
			int64_t now, const char *th, const char *csrf, auth_login_result_t *res)
{
	/* A sign-in that went past the account's delay ends it; one from a known device or session
	 * does not, since the failures were most likely someone else's. */
	db_stmt_t *st = db_prepare(db, "DELETE FROM login_failures WHERE username = :username");
	db_bind_text(st, "username", exempt ? "" : username);
	int rc = db_run(st);
	if (rc)
		return rc;
	/* Sessions run on the wall clock, not yw_now(): a test moving the domain clock by days
	 * keeps its browsers signed in, as the program did before the clock existed. */
	int64_t wall = (int64_t)time(NULL);
	char mac[65] = "";
	if (session_mac(th, u->id, csrf, wall, wall + AUTH_SESSION_SECONDS, mac) != 0)
		return YW_EDB;
	st = db_prepare(db, "INSERT INTO sessions(token_hash, user_id, csrf, created_at, expires_at, mac) "
			    "VALUES (:token_hash, :user_id, :csrf, :created_at, :expires_at, :mac)");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "user_id", u->id);
	db_bind_text(st, "csrf", csrf);
	db_bind_int(st, "created_at", wall);
	db_bind_int(st, "expires_at", wall + AUTH_SESSION_SECONDS);
	db_bind_text(st, "mac", mac);
	if ((rc = db_run(st)) != 0)
		return rc;
	/* Expired sessions are swept as new ones are made, so the table stays small. */
	st = db_prepare(db, "DELETE FROM sessions WHERE expires_at < :now");
	db_bind_int(st, "now", wall);
	if ((rc = db_run(st)) != 0)
		return rc;
	bool known;
	if ((rc = device_known(db, device, u->id, now, &known)) != 0)
		return rc;
	return known ? 0 : device_add(db, u->id, now, res->device);
}

void auth_login_for_session(const auth_user_t *u, const char *device, auth_login_result_t *res, auth_login_write_t *w)
{
	memset(w, 0, sizeof *w);
	w->user = *u;
	w->exempt = true;
	w->now = yw_now();
	snprintf(w->username, sizeof w->username, "%s", u->username);
	snprintf(w->device, sizeof w->device, "%s", device && strlen(device) <= 64 ? device : "");
	random_token(res->token, sizeof res->token);
	random_token(w->csrf, sizeof w->csrf);
	token_hash(res->token, w->th);
}

int auth_login_check(db_t *db, const auth_login_t *in, auth_login_result_t *res, auth_login_write_t *w)
{
	const yw_config_t *cfg = config_current();
	int64_t now = yw_now();
	memset(res, 0, sizeof *res);
	memset(w, 0, sizeof *w);
	char akey[80], ukey[80];
	snprintf(akey, sizeof akey, "a:%s", in->addr ? in->addr : "");
	snprintf(ukey, sizeof ukey, "u:%s", in->username);
	res->retry_after = ratelimit_fail_wait(akey, now, cfg->login_max_delay_s);
	if (res->retry_after)
		return YW_ETHROTTLED;

	db_stmt_t *st = db_prepare(db, "SELECT id, username, name, kind, roles, COALESCE(dept_id, 0), "
				       "COALESCE(region_code, ''), COALESCE(window_id, 0), password_hash FROM users "
				       "WHERE username = :username AND disabled = 0");
	db_bind_text(st, "username", in->username);
	/* Unknown names are checked against a real hash too, so timing does not reveal accounts. */
	char hash[crypto_pwhash_STRBYTES];
	snprintf(hash, sizeof hash, "%s",
		 "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Lq7vDbyQ9l4nzN3IrZ7Ky6Yg8QdJ8b8YXkWw1V9x3zE");
	auth_user_t u = {0};
	int rc = db_one(st);
	bool found = rc == 0;
	if (found) {
		fill_user(st, 0, &u);
		snprintf(hash, sizeof hash, "%s", db_col_text(st, 8));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		return rc;
	}

	/* The account's own delay, unless this browser already holds a session of the account or
	 * signed in to it before: the real user is never locked out by someone else's guesses. */
	int64_t f[3] = {0, 0, 0};
	if (found && (rc = failures_load(db, in->username, f)) != 0)
		return rc;
	bool exempt = found && in->session_user_id == u.id;
	if (found && !exempt && (rc = device_known(db, in->device, u.id, now, &exempt)) != 0)
		return rc;
	if (!exempt) {
		res->retry_after = found ? (f[1] > now ? f[1] - now : 0) : ratelimit_fail_wait(ukey, now, cfg->login_max_delay_s);
		if (res->retry_after)
			return YW_ETHROTTLED;
	}

	bool ok = auth_check_password(hash, in->password) && found;
	if (!ok) {
		ratelimit_fail_record(akey, now, cfg->login_address_free_failures, cfg->login_max_delay_s);
		if (!found) {
			ratelimit_fail_record(ukey, now, cfg->login_free_failures, cfg->login_max_delay_s);
			return YW_EAUTH;
		}
		/* a known account's failure is recorded by auth_login_write */
		w->failure = true;
		w->now = now;
		memcpy(w->f, f, sizeof f);
		snprintf(w->username, sizeof w->username, "%s", in->username);
		return 0;
	}
	auth_login_for_session(&u, in->device, res, w);
	w->exempt = exempt;
	w->now = now;
	snprintf(w->username, sizeof w->username, "%s", in->username);
	return 0;
}

int auth_login_write(db_t *db, const auth_login_write_t *w, auth_login_result_t *res, auth_user_t *user_out)
{
	int rc;
	if (w->failure)
		return (rc = failures_record(db, w->username, w->f, w->now)) != 0 ? rc : YW_EAUTH;
	if ((rc = db_begin(db)) != 0)
		return rc;
	rc = session_open(db, &w->user, w->exempt, w->username, w->device, w->now, w->th, w->csrf, res);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	*user_out = w->user;
	snprintf(user_out->csrf, sizeof user_out->csrf, "%s", w->csrf);
	return 0;
}

int auth_login(db_t *db, const auth_login_t *in, auth_login_result_t *res, auth_user_t *user_out)
{
	auth_login_write_t w;
	int rc = auth_login_check(db, in, res, &w);
	return rc ? rc : auth_login_write(db, &w, res, user_out);
}

int auth_logout(db_t *db, const char *token)
{
	char th[65];
	token_hash(token, th);
	db_stmt_t *st = db_prepare(db, "DELETE FROM sessions WHERE token_hash = :token_hash");
	db_bind_text(st, "token_hash", th);
	return db_run(st);
}

int auth_session_user(db_t *db, const char *token, auth_user_t *out)
{
	char th[65];
	token_hash(token, th);
	db_stmt_t *st = db_prepare(
		db, "SELECT u.id, u.username, u.name, u.kind, u.roles, COALESCE(u.dept_id, 0), "
		    "COALESCE(u.region_code, ''), COALESCE(u.window_id, 0), s.csrf, s.created_at, s.expires_at, s.mac "
		    "FROM sessions s JOIN users u ON u.id = s.user_id "
		    "WHERE s.token_hash = :token_hash AND s.expires_at > :now AND u.disabled = 0");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "now", (int64_t)time(NULL));
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
	char mac[65];
	/* A row whose MAC does not hold was written behind the program's back. */
	const char *stored = db_col_text(st, 11);
	if (session_mac(th, db_col_int(st, 0), db_col_text(st, 8), db_col_int(st, 9), db_col_int(st, 10), mac) != 0 ||
	    strlen(stored) != 64 || sodium_memcmp(mac, stored, 64) != 0) {
		rc = YW_EAUTH;
	} else {
		fill_user(st, 0, out);
		snprintf(out->csrf, sizeof out->csrf, "%s", db_col_text(st, 8));
	}
	db_reset(st);
	return rc;
}

/* ---- API tokens ----
 * A token lives at most token_max_days from its creation, whatever its row says (rows made
 * before the limit, or without an expiry, get the limit): the effective end is computed here,
 * with the limit in seconds as the statement's parameter :max_seconds. */

#define TOKEN_END                                                                                              \
	"CASE WHEN t.expires_at IS NOT NULL AND t.expires_at < t.created_at + :max_seconds THEN t.expires_at "  \
	"ELSE t.created_at + :max_seconds END"

static int64_t token_max_seconds(void)
{
	return (int64_t)config_current()->token_max_days * 86400;
}

int auth_token_user(db_t *db, const char *token, auth_user_t *out)
{
	char th[65];
	token_hash(token, th);
	db_stmt_t *st = db_prepare(db, "SELECT u.id, u.username, u.name, u.kind, u.roles, COALESCE(u.dept_id, 0), "
				       "COALESCE(u.region_code, ''), COALESCE(u.window_id, 0) "
				       "FROM api_tokens t JOIN users u ON u.id = t.user_id "
				       "WHERE t.token_hash = :token_hash AND t.revoked = 0 AND :now < " TOKEN_END
				       " AND u.disabled = 0");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "now", yw_now());
	db_bind_int(st, "max_seconds", token_max_seconds());
	int rc = db_one(st);
	if (rc == 0) {
		fill_user(st, 0, out);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? YW_EAUTH : rc;
}

int auth_token_create(db_t *db, int64_t user_id, const char *name, int64_t expires_at, char token_out[64],
		      int64_t *id_out)
{
	char rnd[48], th[65];
	random_token(rnd, sizeof rnd);
	snprintf(token_out, 64, "yw_%s", rnd);
	token_hash(token_out, th);
	int64_t now = yw_now();
	if (!expires_at || expires_at > now + token_max_seconds())
		expires_at = now + token_max_seconds();
	db_stmt_t *st = db_prepare(db, "INSERT INTO api_tokens(token_hash, user_id, name, created_at, expires_at) "
				       "VALUES (:token_hash, :user_id, :name, :now, :expires_at) RETURNING id");
	db_bind_text(st, "token_hash", th);
	db_bind_int(st, "user_id", user_id);
	db_bind_text(st, "name", name);
	db_bind_int(st, "now", now);
	db_bind_int(st, "expires_at", expires_at);
	int rc = db_one(st);
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? YW_EDB : rc; /* an INSERT ... RETURNING that returns nothing */
}

int auth_token_owner(db_t *db, int64_t token_id, int64_t *user_id, char region_out[16])
{
	db_stmt_t *st = db_prepare(db, "SELECT t.user_id, COALESCE(u.region_code, '') FROM api_tokens t "
				       "JOIN users u ON u.id = t.user_id WHERE t.id = :token_id");
	db_bind_int(st, "token_id", token_id);
	int rc = db_one(st);
	if (rc == 0) {
		*user_id = db_col_int(st, 0);
		snprintf(region_out, 16, "%s", db_col_text(st, 1));
		db_reset(st);
	}
	return rc;
}

int auth_token_id(db_t *db, const char *token, int64_t *id_out)
{
	char th[65];
	token_hash(token, th);
	db_stmt_t *st = db_prepare(db, "SELECT id FROM api_tokens WHERE token_hash = :token_hash");
	db_bind_text(st, "token_hash", th);
	int rc = db_one(st);
	if (rc == 0) {
		*id_out = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

int auth_token_revoke(db_t *db, const auth_user_t *actor, int64_t token_id)
{
	db_stmt_t *st = db_prepare(db, "UPDATE api_tokens SET revoked = 1 WHERE id = :token_id AND revoked = 0");
	db_bind_int(st, "token_id", token_id);
	int rc = db_run(st);
	if (rc)
		return rc;
	/* Revoking a revoked token changes nothing and leaves no record. */
	return db_changes(st) ? audit_record_id(db, actor, "token.revoke", "api_tokens", token_id) : 0;
}

int auth_end_account(db_t *db, const auth_user_t *actor, int64_t user_id)
{
	db_stmt_t *st = db_prepare(db, "DELETE FROM sessions WHERE user_id = :user_id");
	db_bind_int(st, "user_id", user_id);
	int rc = db_run(st);
	st = db_prepare(db, "SELECT id FROM api_tokens WHERE user_id = :user_id AND revoked = 0 ORDER BY id");
	int64_t ids[64];
	/* In batches: audit_record_id runs its own statements, so the scan is not kept open. */
	while (rc == 0) {
		int n = 0, s = DB_DONE;
		db_bind_int(st, "user_id", user_id);
		while (n < 64 && (s = db_step(st)) == DB_ROW)
			ids[n++] = db_col_int(st, 0);
		if (s == DB_ROW)
			db_reset(st); /* a full batch: the rest on the next round */
		else if (s < 0)
			rc = s;
		for (int i = 0; i < n && rc == 0; i++)
			rc = auth_token_revoke(db, actor, ids[i]);
		if (s != DB_ROW)
			break;
	}
	return rc;
}

int auth_tokens_list(db_t *db, int64_t user_id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT t.id, t.name, t.created_at, " TOKEN_END ", t.revoked FROM api_tokens t "
				       "WHERE t.user_id = :user_id ORDER BY t.id DESC");
	db_bind_int(st, "max_seconds", token_max_seconds());
	db_bind_int(st, "user_id", user_id);
	int64_t now = yw_now();
	json_t *items = json_array();
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t end = db_col_int(st, 3);
		bool revoked = db_col_int(st, 4) != 0;
		json_array_append_new(items, json_pack("{s:I, s:s, s:I, s:I, s:b, s:s}", "id",
						       (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
						       "created_at", (json_int_t)db_col_int(st, 2), "expires_at",
						       (json_int_t)end, "revoked", revoked, "state",
						       revoked ? "revoked" : end <= now ? "expired" : "active"));
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:o}", "total", (json_int_t)json_array_size(items), "items", items);
	return 0;
}

json_t *auth_user_json(const auth_user_t *u)
{
	json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)u->id, "username", u->username, "name",
			      u->name, "kind", u->kind, "roles", auth_roles_json(u->roles));
	json_object_set_new(j, "dept_id", u->dept_id ? json_integer(u->dept_id) : json_null());
	json_object_set_new(j, "region_code", *u->region_code ? json_string(u->region_code) : json_null());
	json_object_set_new(j, "window_id", u->window_id ? json_integer(u->window_id) : json_null());
	/* What the user may do, so the UI shows only what the server will allow. */
	json_t *perms = json_array();
	for (int p = PERM_SIGNED_IN + 1; p < PERM__COUNT; p++)
		if (auth_has_perm(u, (enum perm)p))
			json_array_append_new(perms, json_string(perm_names[p]));
	json_object_set_new(j, "permissions", perms);
	return j;
}

int auth_resolve_request(http_req_t *req)
{
	db_t *db = db_thread();
	const char *authz = http_header(req, "Authorization");
	auth_user_t *u = arena_zalloc(req->arena, sizeof *u);
	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		int rc = auth_token_user(db, authz + 7, u);
		if (rc == YW_EAUTH)
			return http_fail(req, YW_EAUTH, "API 令牌无效或已过期");
		if (rc)
			return rc;
		req->user = u;
		return 0;
	}
	const char *cookie = http_cookie(req, "yw_session");
	if (cookie && *cookie) {
		/* A stale cookie is the same as none: public pages keep working after expiry. */
		int rc = auth_session_user(db, cookie, u);
		if (rc == 0) {
			req->user = u;
			req->via_cookie = true;
		} else if (rc != YW_EAUTH) {
			return rc;
		}
	}
	return 0;
}
