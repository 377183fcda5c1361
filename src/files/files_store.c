/* File store and its rows: blobs written once by SHA-256 (temporary file, fsync, rename), upload
 * rows owned by the uploader and attached to cases, and applicant profiles. Who may see a case is
 * decided by cases_check_visible alone; every row change is audited in its transaction. */
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/cases_store.h"
#include "files/files.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "platform/log.h"

/* ---- blobs ---- */

char *files_blob_path(const char *dir, const char *sha_hex)
{
	size_t n = strlen(dir) + 70;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%.2s/%s", dir, sha_hex, sha_hex + 2);
	return p;
}

/* mkdir -p for the store's folders. */
static int make_dirs(const char *path)
{
	char buf[600];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return YW_EIO;
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		if (mkdir(buf, 0750) != 0 && errno != EEXIST)
			return YW_EIO;
		*s = '/';
	}
	return mkdir(buf, 0750) != 0 && errno != EEXIST ? YW_EIO : 0;
}

static int write_all(int fd, const unsigned char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return YW_EIO;
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Held while a blob is looked at and written, and while the sweep looks at one and removes it, so
 * that content an upload finds stored (and reuses) is never removed under it. Several servers
 * share files_dir (docs/operations.md): the mutex orders this process's threads, and a POSIX
 * record lock on files_dir/.lock orders the processes (NFSv4 and local file systems keep such
 * locks; closing the descriptor releases it). */
static pthread_mutex_t g_blob_mu = PTHREAD_MUTEX_INITIALIZER;

/* Takes the blob lock of dir; returns the descriptor for blob_unlock (-1 when the lock file could
 * not be used: the mutex alone then orders this process, as with a single server). */
static int blob_lock(const char *dir)
{
	pthread_mutex_lock(&g_blob_mu);
	char path[600];
	snprintf(path, sizeof path, "%s/.lock", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
	while (fcntl(fd, F_SETLKW, &fl) != 0) {
		if (errno != EINTR) {
			log_warn("files: cannot lock %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void blob_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
	pthread_mutex_unlock(&g_blob_mu);
}

int files_store_blob(const char *dir, const unsigned char *data, size_t len, char sha_hex[65])
{
	/* the same path as a streamed upload: a temporary file in dir, then files_store_file */
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, (unsigned long long)len);
	sodium_bin2hex(sha_hex, 65, h, sizeof h);
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%s/.upload-XXXXXX", dir);
	int rc = make_dirs(dir);
	int fd = rc ? -1 : mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return YW_EIO;
	rc = write_all(fd, data, len);
	if (rc)
		unlink(tmp);
	else
		rc = files_store_file(dir, tmp, fd, len, sha_hex);
	close(fd);
	return rc;
}

int files_store_file(const char *dir, const char *tmp, int fd, size_t len, const char *sha_hex)
{
	char *path = files_blob_path(dir, sha_hex);
	char sub[600];
	snprintf(sub, sizeof sub, "%s/%.2s", dir, sha_hex);
	int rc = 0;
	struct stat stbuf;
	int lk = blob_lock(dir);
	if (stat(path, &stbuf) == 0 && (size_t)stbuf.st_size == len) {
		/* the same content is stored already: touch it, so the sweep sees it as new until the
		 * upload's row has committed, and drop the copy */
		utimensat(AT_FDCWD, path, NULL, 0);
		unlink(tmp);
		goto done;
	}
	if ((rc = make_dirs(sub)) != 0 || fsync(fd) != 0 || rename(tmp, path) != 0) {
		rc = YW_EIO;
		unlink(tmp);
		goto done;
	}
	int dfd = open(sub, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
done:
	blob_unlock(lk);
	free(path);
	return rc;
}

/* Removes path when it is older than min_age seconds and, for a blob (sha_hex not NULL), no files
 * row refers to it, counting it in *removed. A failed look-up keeps the file and is returned. */
static int sweep_one(db_t *db, const char *dir, const char *path, const char *sha_hex, int64_t now, int64_t min_age,
		     int *removed)
{
	struct stat sb;
	int rc = 0;
	int lk = blob_lock(dir);
	if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && now - (int64_t)sb.st_mtime > min_age) {
		int64_t known = 0; /* a temporary file is nobody's */
		if (sha_hex)
			rc = db_query_int(db, "SELECT count(*) FROM files WHERE sha256 = :arg", sha_hex, &known);
		if (!rc && !known && unlink(path) == 0)
			(*removed)++;
	}
	blob_unlock(lk);
	return rc;
}

int files_sweep_dir(db_t *db, const char *dir, int64_t now, int *removed)
{
	*removed = 0;
	DIR *top = opendir(dir);
	if (!top)
		return 0; /* nothing uploaded yet */
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(top)) != NULL) {
		if (strncmp(e->d_name, ".upload-", 8) == 0) {
			/* an upload a crash interrupted while its body was arriving */
			char path[700];
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			rc = sweep_one(db, dir, path, NULL, now, FILES_SWEEP_AGE, removed);
			continue;
		}
		if (strlen(e->d_name) != 2 || !isxdigit((unsigned char)e->d_name[0]) || !isxdigit((unsigned char)e->d_name[1]))
			continue;
		char sub[600];
		snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
		DIR *d = opendir(sub);
		if (!d)
			continue;
		struct dirent *f;
		while (rc == 0 && (f = readdir(d)) != NULL) {
			char path[700], sha[65];
			snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
			if (strncmp(f->d_name, ".tmp-", 5) == 0) {
				/* a write a crash interrupted */
				rc = sweep_one(db, dir, path, NULL, now, FILES_SWEEP_AGE, removed);
			} else if (strlen(f->d_name) == 62 && strspn(f->d_name, "0123456789abcdef") == 62) {
				snprintf(sha, sizeof sha, "%s%s", e->d_name, f->d_name);
				rc = sweep_one(db, dir, path, sha, now, FILES_SWEEP_AGE, removed);
			}
		}
		closedir(d);
	}
	closedir(top);
	return rc;
}

int files_sweep(db_t *db, int64_t now)
{
	static yw_date_t last_day;
	yw_date_t today = date_today_local(now);
	if (today == last_day)
		return 0;
	int removed = 0;
	int rc = files_sweep_dir(db, config_current()->files_dir, now, &removed);
	last_day = today;
	if (removed)
		log_info("files: removed %d stored files no upload refers to", removed);
	return rc;
}

/* ---- uploads ---- */

static json_t *upload_json(int64_t id, const char *sha, int64_t size, const char *mime, const char *name)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:o}", "id", (json_int_t)id, "sha256", sha, "size", (json_int_t)size,
			 "mime", mime, "name", name, "url", json_sprintf("/api/v1/files/%lld", (long long)id));
}

int files_content_record(db_t *db, const auth_user_t *actor, const char *sha_hex, size_t size, const char *mime)
{
	/* A row back: the content is new here (else another upload stored it already). */
	db_stmt_t *st = db_prepare(db, "INSERT INTO files(sha256, size, mime, created_at) VALUES (:sha256, :size, "
				       ":mime, :created_at) ON CONFLICT(sha256) DO NOTHING RETURNING sha256");
	db_bind_text(st, "sha256", sha_hex);
	db_bind_int(st, "size", (int64_t)size);
	db_bind_text(st, "mime", mime);
	db_bind_int(st, "created_at", (int64_t)yw_now());
	int rc = db_one(st);
	if (rc == 0) {
		db_reset(st);
		rc = audit_record(db, actor, "file.store", "files", sha_hex);
	} else if (rc == YW_ENOTFOUND) {
		rc = 0;
	}
	return rc;
}

int files_upload_create(db_t *db, const auth_user_t *actor, const char *sha_hex, size_t size, const char *mime,
			const char *name, json_t **out)
{
	if (db_begin(db))
		return YW_EDB;
	int64_t now = (int64_t)yw_now(), id = 0;
	int rc = files_content_record(db, actor, sha_hex, size, mime);
	db_stmt_t *st;
	if (!rc) {
		st = db_prepare(db, "INSERT INTO uploads(sha256, name, owner_id, created_at) VALUES (:sha256, :name, "
				    ":owner_id, :created_at) RETURNING id");
		db_bind_text(st, "sha256", sha_hex);
		db_bind_text(st, "name", name);
		db_bind_int(st, "owner_id", actor->id);
		db_bind_int(st, "created_at", now);
		rc = db_one(st);
		if (rc == 0) {
			id = db_col_int(st, 0);
			db_reset(st);
		} else if (rc == YW_ENOTFOUND) {
			rc = YW_EDB; /* RETURNING always gives the row */
		}
	}
	if (!rc)
		rc = audit_record_id(db, actor, "upload.create", "uploads", id);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	*out = upload_json(id, sha_hex, (int64_t)size, mime, name);
	return 0;
}

/* Cases past these states take no more material: 撤件, 不予受理, 办结. */
static bool case_closed(int state)
{
	return state == CASE_WITHDRAWN || state == CASE_REFUSED || state == CASE_DONE_APPROVED ||
	       state == CASE_DONE_DENIED;
}

int files_attach(db_t *db, const auth_user_t *actor, int64_t case_id, json_t *body, vctx_t *v)
{
	int64_t upload_id = v_int(v, body, "upload_id", 1, INT64_MAX, true, 0);
	const char *material = v_str(v, body, "material", 1, 200);
	if (!v_ok(v))
		return YW_EINVAL;
	if (db_begin(db))
		return YW_EDB;
	int rc = cases_check_visible(db, actor, case_id);
	if (rc)
		goto done;
	db_stmt_t *st = db_prepare(db, "SELECT u.owner_id, COALESCE(u.case_id, 0), f.mime FROM uploads u "
				       "JOIN files f ON f.sha256 = u.sha256 WHERE u.id = :upload_id");
	db_bind_int(st, "upload_id", upload_id);
	int64_t owner = 0, attached = 0;
	char mime[128] = "";
	rc = db_one(st);
	if (rc == 0) {
		owner = db_col_int(st, 0);
		attached = db_col_int(st, 1);
		snprintf(mime, sizeof mime, "%s", db_col_text(st, 2));
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		goto done;
	}
	rc = 0;
	if (owner != actor->id) {
		v_error(v, "upload_id", "上传文件不存在");
		rc = YW_EINVAL;
		goto done;
	}
	int state = -1;
	bool named = false;
	char types_why[CASE_WHY_MAX] = "";
	const char *ext = files_ext_of(mime);
	if ((rc = cases_material_named(db, case_id, material, ext ? ext : "", &state, &named, types_why)) != 0)
		goto done;
	if (!named || *types_why) {
		v_error(v, "material", named ? types_why : "不是该事项办事指南列出的申请材料");
		rc = YW_EINVAL;
		goto done;
	}
	if (case_closed(state) || (attached && attached != case_id)) {
		rc = YW_ECONFLICT;
		goto done;
	}
	st = db_prepare(db, "UPDATE uploads SET case_id = :case_id, material = :material WHERE id = :upload_id");
	db_bind_int(st, "case_id", case_id);
	db_bind_text(st, "material", material);
	db_bind_int(st, "upload_id", upload_id);
	rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "upload.attach", "uploads", upload_id);
done:
	if (!rc)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

int files_case_list(db_t *db, const auth_user_t *actor, int64_t case_id, json_t **out)
{
	int rc = cases_check_visible(db, actor, case_id);
	if (rc)
		return rc;
	db_stmt_t *st = db_prepare(db, "SELECT u.id, u.sha256, f.size, f.mime, u.name, u.material, u.created_at, "
				       "us.name FROM uploads u JOIN files f ON f.sha256 = u.sha256 "
				       "JOIN users us ON us.id = u.owner_id WHERE u.case_id = :case_id ORDER BY u.id");
	db_bind_int(st, "case_id", case_id);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_col_int(st, 0);
		json_t *o =
			upload_json(id, db_col_text(st, 1), db_col_int(st, 2), db_col_text(st, 3), db_col_text(st, 4));
		json_object_set_new(o, "material", json_string(db_col_text(st, 5)));
		json_object_set_new(o, "created_at", json_integer(db_col_int(st, 6)));
		json_object_set_new(o, "uploaded_by", json_string(db_col_text(st, 7)));
		json_array_append_new(items, o);
	}
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int files_lookup(db_t *db, const auth_user_t *actor, int64_t id, char sha_hex[65], char mime[128], char name[256])
{
	db_stmt_t *st = db_prepare(db, "SELECT u.owner_id, COALESCE(u.case_id, 0), u.sha256, f.mime, u.name "
				       "FROM uploads u JOIN files f ON f.sha256 = u.sha256 WHERE u.id = :upload_id");
	db_bind_int(st, "upload_id", id);
	int64_t owner = 0, case_id = 0;
	int rc = db_one(st);
	if (rc == 0) {
		owner = db_col_int(st, 0);
		case_id = db_col_int(st, 1);
		snprintf(sha_hex, 65, "%s", db_col_text(st, 2));
		snprintf(mime, 128, "%s", db_col_text(st, 3));
		snprintf(name, 256, "%s", db_col_text(st, 4));
		db_reset(st);
	}
	if (rc || owner == actor->id)
		return rc;
	/* Not the uploader: only through a case the actor may see. */
	return case_id ? cases_check_visible(db, actor, case_id) : YW_ENOTFOUND;
}

/* ---- profiles ---- */

/* The fields a profile may hold: key, label, longest value, and the characters allowed (NULL: any text). */
static const struct {
	const char *key, *label;
	size_t max;
	const char *chars;
} fields[] = {
	{"name", "姓名", 50, NULL},
	{"phone", "联系电话", 20, "0123456789-+ "},
	{"email", "电子邮箱", 100, NULL},
	{"address", "联系地址", 200, NULL},
	{"postcode", "邮政编码", 6, "0123456789"},
	{"company_name", "单位名称", 100, NULL},
	{"legal_person", "法定代表人", 50, NULL},
	{"company_contact", "单位联系人", 50, NULL},
	{"company_phone", "单位电话", 20, "0123456789-+ "},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static json_t *fields_json(void)
{
	json_t *a = json_array();
	for (size_t i = 0; i < NFIELDS; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "key", fields[i].key, "label", fields[i].label, "max",
						   (json_int_t)fields[i].max));
	return a;
}

static int profile_read(db_t *db, int64_t user_id, json_t **data, int64_t *updated_at)
{
	db_stmt_t *st = db_prepare(db, "SELECT data, updated_at FROM profiles WHERE user_id = :user_id");
	db_bind_int(st, "user_id", user_id);
	*data = NULL;
	*updated_at = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*data = db_col_parse_json(st, 0);
		*updated_at = db_col_int(st, 1);
		db_reset(st);
	} else if (rc != YW_ENOTFOUND) {
		return rc;
	}
	if (!json_is_object(*data)) {
		json_decref(*data);
		*data = json_object();
	}
	return 0;
}

int files_profile_get(db_t *db, const auth_user_t *actor, json_t **out)
{
	json_t *data;
	int64_t at;
	int rc = profile_read(db, actor->id, &data, &at);
	if (rc)
		return rc;
	*out = json_pack("{s:o, s:o, s:o}", "profile", data, "fields", fields_json(), "updated_at",
			 at ? json_integer(at) : json_null());
	return 0;
}

/* One value: a string of at most max characters from the allowed set; "" drops the field.
 * Telephone numbers follow idcheck_phone: a person's phone is a mobile or landline number,
 * a company's may also be a service number (400, 95xxx). */
static void check_value(vctx_t *v, size_t f, const char *s)
{
	bool phone = fields[f].chars && strcmp(fields[f].key, "postcode") != 0;
	const char *why = phone && *s ? idcheck_phone_reason(s, strlen(s), strcmp(fields[f].key, "company_phone") == 0) : NULL;
	if (utf8_chars(s) > fields[f].max) {
		char msg[64];
		snprintf(msg, sizeof msg, "%s不能超过 %zu 个字", fields[f].label, fields[f].max);
		v_error(v, fields[f].key, msg);
	} else if (why) {
		char msg[128];
		snprintf(msg, sizeof msg, "%s%s", fields[f].label, why);
		v_error(v, fields[f].key, msg);
	} else if (fields[f].chars && strspn(s, fields[f].chars) != strlen(s)) {
		v_error(v, fields[f].key, "邮政编码应为 6 位数字");
	} else if (strcmp(fields[f].key, "postcode") == 0 && *s && strlen(s) != 6) {
		v_error(v, fields[f].key, "邮政编码应为 6 位数字");
	} else if (strcmp(fields[f].key, "email") == 0 && *s && (!strchr(s, '@') || strchr(s, ' '))) {
		v_error(v, fields[f].key, "电子邮箱格式不正确");
	}
}

int files_profile_value_check(vctx_t *v, const char *key, json_t *val)
{
	size_t f = 0;
	while (f < NFIELDS && strcmp(fields[f].key, key) != 0)
		f++;
	if (f == NFIELDS)
		return YW_ENOTFOUND;
	if (!json_is_string(val))
		v_error(v, key, "应为文本");
	else
		check_value(v, f, json_string_value(val));
	return 0;
}

int files_profile_put(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, json_t **out)
{
	json_t *data = json_object(), *val;
	const char *key;
	json_object_foreach(in, key, val) {
		size_t f = 0;
		while (f < NFIELDS && strcmp(fields[f].key, key) != 0)
			f++;
		if (f == NFIELDS) {
			v_error(v, key, "不是可保存的资料项");
			continue;
		}
		if (!json_is_string(val)) {
			v_error(v, key, "应为文本");
			continue;
		}
		check_value(v, f, json_string_value(val));
		if (*json_string_value(val))
			json_object_set(data, key, val);
	}
	int rc = YW_EINVAL;
	if (!v_ok(v))
		goto done;
	char *s = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	if ((rc = db_begin(db)) != 0) {
		free(s);
		goto done;
	}
	db_stmt_t *st = db_prepare(db, "INSERT INTO profiles(user_id, data, updated_at) VALUES (:user_id, :data, "
				       ":updated_at) ON CONFLICT(user_id) DO UPDATE SET data = excluded.data, "
				       "updated_at = excluded.updated_at");
	db_bind_int(st, "user_id", actor->id);
	db_bind_text(st, "data", s);
	db_bind_int(st, "updated_at", (int64_t)yw_now());
	rc = db_run(st);
	free(s);
	if (!rc)
		rc = audit_record_id(db, actor, "profile.update", "profiles", actor->id);
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		goto done;
	}
	rc = files_profile_get(db, actor, out);
done:
	json_decref(data);
	return rc;
}
