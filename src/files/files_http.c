/* Upload, attachment, download and profile routes (docs/api.md, "Files and profile"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "files/files.h"
#include "platform/config.h"
#include "platform/err.h"

static int path_id(http_req_t *req, int64_t *id, const char *what)
{
	char *end;
	long long n = strtoll(req->param[0], &end, 10);
	if (*end || n <= 0)
		return http_fail(req, YW_ENOTFOUND, what);
	*id = n;
	return 0;
}

/* The file name from ?name=: its last path component, 1-200 characters, no control characters. */
static const char *upload_name(http_req_t *req)
{
	return files_upload_name(req, 200);
}

const char *files_upload_name(http_req_t *req, size_t max_chars)
{
	const char *name = http_query(req, "name");
	if (!name || !*name || !utf8_valid(name, strlen(name)))
		return NULL;
	const char *slash = strrchr(name, '/'), *back = strrchr(name, '\\');
	if (slash || back)
		name = (slash > back ? slash : back) + 1;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return NULL;
	return *name && utf8_chars(name) <= max_chars ? name : NULL;
}

/* Writes go through the group-commit writer: the job calls the store, the answer follows the commit. */
typedef struct files_job {
	const auth_user_t *user;
	const char *sha, *mime, *name;
	size_t size;
	int64_t id;
	json_t *body, *out;
	vctx_t v;
} files_job_t;

static int upload_in_group(db_t *db, void *arg)
{
	files_job_t *j = arg;
	return files_upload_create(db, j->user, j->sha, j->size, j->mime, j->name, &j->out);
}

static int upload_respond(http_req_t *req, int rc, void *arg)
{
	files_job_t *j = arg;
	if (rc) {
		json_decref(j->out);
		return rc;
	}
	http_reply_json(req, 201, j->out);
	return 0;
}

int h_file_upload(http_req_t *req)
{
	const char *name = upload_name(req);
	if (!name) {
		http_fail_field(req, "name", "请在 ?name= 中给出文件名（不超过 200 个字，不含控制字符）");
		return http_fail(req, YW_EINVAL, "数据校验失败");
	}
	if (!req->body_len || req->upload_fd < 0) {
		http_fail_field(req, "file", "文件内容为空");
		return http_fail(req, YW_EINVAL, "数据校验失败");
	}
	/* The body is in a temporary file (the HTTP layer streamed it there). The type is judged on
	 * a read-only mapping: only the pages the sniffer touches (the head, a PDF's trailer, a zip's
	 * central directory) are read, from the page cache, and none is copied to the heap. */
	void *m = mmap(NULL, req->body_len, PROT_READ, MAP_PRIVATE, req->upload_fd, 0);
	if (m == MAP_FAILED)
		return http_fail(req, YW_EIO, "文件读取失败，请稍后再试");
	const files_type_t *t = files_sniff(m, req->body_len);
	munmap(m, req->body_len);
	if (!t)
		return http_fail(req, YW_EMEDIATYPE,
				 "文件类型不受支持：仅接受 PDF、JPG、PNG、OFD、DOCX、XLSX 文件（按文件内容识别，与扩展名无关）");
	int rc = files_store_file(config_current()->files_dir, req->upload_tmp, req->upload_fd, req->body_len,
				  req->upload_sha);
	req->upload_tmp = NULL; /* moved into the store, or removed */
	if (rc)
		return http_fail(req, rc, "文件保存失败，请稍后再试");
	/* the content is stored (on this worker thread); its rows go through the writer */
	files_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (files_job_t){.user = req->user, .sha = req->upload_sha, .size = req->body_len, .mime = t->mime, .name = name};
	return http_write(req, upload_in_group, j, upload_respond);
}

/* filename*=UTF-8''... (RFC 6266 / 5987) with a plain ASCII fallback for old clients. */
static const char *disposition(http_req_t *req, const char *mime, const char *name)
{
	bool inline_ok = strcmp(mime, "application/pdf") == 0 || strncmp(mime, "image/", 6) == 0;
	size_t n = strlen(name);
	char *ascii = arena_alloc(req->arena, n + 1), *pct = arena_alloc(req->arena, n * 3 + 1);
	size_t a = 0, p = 0;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		bool plain = (*s >= '0' && *s <= '9') || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
			     strchr(".-_", *s);
		ascii[a++] = plain ? (char)*s : '_';
		if (plain)
			pct[p++] = (char)*s;
		else
			p += (size_t)sprintf(pct + p, "%%%02X", *s);
	}
	ascii[a] = pct[p] = 0;
	return arena_printf(req->arena, "%s; filename=\"%s\"; filename*=UTF-8''%s", inline_ok ? "inline" : "attachment",
			    ascii, pct);
}

int h_file_get(http_req_t *req)
{
	int64_t id = 0;
	int rc = path_id(req, &id, "文件不存在");
	if (rc)
		return rc;
	char sha[65], mime[128], name[256];
	rc = files_lookup(db_thread(), req->user, id, sha, mime, name);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "文件不存在") : rc;
	return files_reply(req, sha, mime, name);
}

int files_reply(http_req_t *req, const char *sha, const char *mime, const char *name)
{
	char *path = files_blob_path(config_current()->files_dir, sha);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return http_fail(req, YW_EIO, "文件内容缺失，请联系管理员");
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	rewind(f);
	char *buf = len >= 0 ? arena_alloc(req->arena, (size_t)len + 1) : NULL;
	bool ok = buf && fread(buf, 1, (size_t)len, f) == (size_t)len;
	fclose(f);
	if (!ok)
		return http_fail(req, YW_EIO, "文件读取失败");
	http_add_header(req, "Content-Disposition", disposition(req, mime, name));
	http_add_header(req, "Cache-Control", "private, no-store");
	http_reply_bytes(req, 200, arena_strdup(req->arena, mime), buf, (size_t)len);
	return 0;
}

static int attach_in_group(db_t *db, void *arg)
{
	files_job_t *j = arg;
	return files_attach(db, j->user, j->id, j->body, &j->v);
}

static int attach_respond(http_req_t *req, int rc, void *arg)
{
	files_job_t *j = arg;
	int64_t id = j->id;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "办件不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "该办件已结束，或该文件已用于其他办件");
	if (rc)
		return rc;
	json_t *out;
	if ((rc = files_case_list(db_thread(), req->user, id, &out)) != 0)
		return rc;
	http_reply_json(req, 201, out);
	return 0;
}

int h_case_files_attach(http_req_t *req)
{
	files_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = path_id(req, &j->id, "办件不存在");
	if (rc || (rc = http_body_json(req, &j->body)) != 0)
		return rc;
	j->user = req->user;
	return http_write(req, attach_in_group, j, attach_respond);
}

int h_case_files_list(http_req_t *req)
{
	int64_t id = 0;
	int rc = path_id(req, &id, "办件不存在");
	if (rc)
		return rc;
	json_t *out;
	rc = files_case_list(db_thread(), req->user, id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "办件不存在") : rc;
	http_reply_json(req, 200, out);
	return 0;
}

int h_profile_get(http_req_t *req)
{
	json_t *out;
	int rc = files_profile_get(db_thread(), req->user, &out);
	if (rc)
		return rc;
	http_reply_json(req, 200, out);
	return 0;
}

static int profile_in_group(db_t *db, void *arg)
{
	files_job_t *j = arg;
	return files_profile_put(db, j->user, j->body, &j->v, &j->out);
}

static int profile_respond(http_req_t *req, int rc, void *arg)
{
	files_job_t *j = arg;
	if (rc)
		json_decref(j->out);
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	if (rc)
		return rc;
	http_reply_json(req, 200, j->out);
	return 0;
}

int h_profile_put(http_req_t *req)
{
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	/* {"profile": {...}} as GET answers it, or the bare object */
	json_t *p = json_object_get(body, "profile");
	files_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	j->body = json_is_object(p) ? p : body;
	return http_write(req, profile_in_group, j, profile_respond);
}
