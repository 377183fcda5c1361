/* See http.h. libmicrohttpd runs an epoll thread pool; each request gets an arena, its body is
 * collected up to max_body, and on the last call the dispatcher resolves the route, checks the
 * user and the route's permission and CSRF, runs the handler and maps its status to a response. */
#include "platform/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/ratelimit.h"
#include "platform/routes.h"
#include "platform/spa.h"
#include "platform/sse.h"

static const http_config_t *g_cfg; /* set once before the daemon starts, read-only afterwards */

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	while (s < end) {
		unsigned c = *s;
		if (c < 0x80) {
			if (c == 0)
				return false;
			s++;
			continue;
		}
		int n;
		unsigned cp;
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (end - s < n + 1)
			return false;
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}

int http_status_for(int st)
{
	switch (st) {
	case YW_OK: return 200;
	case YW_EMALFORMED: return 400;
	case YW_EINVAL: return 422;
	case YW_EAUTH: return 401;
	case YW_EFORBIDDEN: return 403;
	case YW_ENOTFOUND: return 404;
	case YW_ECONFLICT: return 409;
	case YW_ETOOLARGE: return 413;
	case YW_EMEDIATYPE: return 415;
	case YW_ETHROTTLED: return 429;
	case YW_EUNAVAILABLE: return 503;
	default: return 500;
	}
}

static const char *code_for(int http_status)
{
	switch (http_status) {
	case 400: return "malformed_request";
	case 401: return "not_signed_in";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 405: return "method_not_allowed";
	case 409: return "conflict";
	case 413: return "payload_too_large";
	case 415: return "unsupported_media_type";
	case 422: return "validation_failed";
	case 429: return "too_many_requests";
	case 503: return "unavailable";
	default: return "internal_error";
	}
}

static const char *message_for(int http_status)
{
	switch (http_status) {
	case 400: return "请求格式错误";
	case 401: return "请先登录";
	case 403: return "没有权限执行此操作";
	case 404: return "请求的资源不存在";
	case 405: return "不支持该请求方法";
	case 409: return "当前状态不允许此操作";
	case 413: return "请求内容过大";
	case 415: return "请求内容类型不受支持，请使用 application/json";
	case 422: return "数据校验失败";
	case 429: return "请求过于频繁，请稍后再试";
	case 503: return "服务正在停止，本次请求未执行，请稍后重试";
	default: return "服务器内部错误，请稍后再试";
	}
}

const char *http_query(http_req_t *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(http_req_t *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req_t *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

int http_parse_int(const char *v, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!(*v == '-' || (*v >= '0' && *v <= '9')) || errno || *end || n < min || n > max)
		return YW_EINVAL;
	*out = n;
	return 0;
}

int http_query_int(http_req_t *req, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out)
{
	const char *v = http_query(req, name);
	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (http_parse_int(v, min, max, out) != 0) {
		http_fail_field(req, name, arena_printf(req->arena, "应为 %lld 到 %lld 之间的整数", (long long)min,
							(long long)max));
		return YW_EINVAL;
	}
	return 0;
}

void http_fail_field(http_req_t *req, const char *field, const char *message)
{
	if (!req->err_details)
		req->err_details = json_array();
	json_array_append_new(req->err_details, json_pack("{s:s, s:s}", "field", field, "message", message));
}

int http_fail_fields(http_req_t *req, json_t **errors)
{
	if (*errors) {
		if (!req->err_details)
			req->err_details = json_array();
		json_array_extend(req->err_details, *errors);
		json_decref(*errors);
		*errors = NULL;
	}
	return YW_EINVAL;
}

int http_fail(http_req_t *req, int status, const char *message)
{
	req->err_msg = message;
	return status;
}

void http_add_header(http_req_t *req, const char *name, const char *value)
{
	if (req->nresp_headers < 8) {
		req->resp_headers[req->nresp_headers][0] = name;
		req->resp_headers[req->nresp_headers][1] = value;
		req->nresp_headers++;
	}
}

void http_reply_bytes(http_req_t *req, int status, const char *type, const char *body, size_t len)
{
	req->status = status;
	req->resp_type = type;
	req->resp_body = arena_alloc(req->arena, len + 1);
	memcpy(req->resp_body, body, len);
	req->resp_len = len;
}

void http_reply_stream(http_req_t *req, const char *type, http_stream_read read, http_stream_done done, void *cls)
{
	req->status = 200;
	req->resp_type = type;
	req->stream_read = read;
	req->stream_done = done;
	req->stream_cls = cls;
}

void http_reply_json(http_req_t *req, int status, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(j);
	http_reply_bytes(req, status, "application/json; charset=utf-8", s, strlen(s));
	free(s);
}

int http_reply_xlsx(http_req_t *req, const char *filename, int (*write)(const char *path, void *arg), void *arg)
{
	char path[] = "/tmp/yiwang-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return YW_EIO;
	close(fd);
	int rc = write(path, arg);
	FILE *f = rc ? NULL : fopen(path, "rb");
	if (f) {
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		char *buf = n > 0 ? arena_alloc(req->arena, (size_t)n) : NULL;
		if (buf && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			http_add_header(req, "Content-Disposition",
					arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
			http_reply_bytes(req, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf,
					 (size_t)n);
		} else {
			rc = YW_EIO;
		}
		fclose(f);
	} else if (!rc) {
		rc = YW_EIO;
	}
	unlink(path);
	return rc;
}

const char *http_client_addr(http_req_t *req)
{
	/* Behind nginx every connection comes from nginx: its X-Real-IP names the client. The
	 * header is believed only from the configured proxy, since anyone else could set it. */
	const char *proxy = config_current()->trusted_proxy;
	if (*proxy && strcmp(req->client_ip, proxy) == 0) {
		const char *real = http_header(req, "X-Real-IP");
		if (real && *real && strlen(real) < 48 && strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
			return real;
	}
	return req->client_ip;
}

/* The origin links are built from: public_origin, or http://BIND:PORT once the port is known.
 * Written once in http_serve before the daemon starts, read-only afterwards. Never the Host
 * header, which any client can set (a ticket's follow_url must not point to evil.example). */
static char g_origin[300] = "http://127.0.0.1:8080";

const char *http_public_origin(void)
{
	return g_origin;
}

bool http_origin_is_https(void)
{
	return strncmp(g_origin, "https://", 8) == 0;
}

const char *http_origin(http_req_t *req)
{
	(void)req;
	return g_origin;
}

int http_body_json(http_req_t *req, json_t **out)
{
	const char *ct = http_header(req, "Content-Type");
	if (!ct || strncasecmp(ct, "application/json", 16) != 0)
		return http_fail(req, YW_EMEDIATYPE, NULL);
	if (!utf8_valid(req->body ? req->body : "", req->body_len))
		return http_fail(req, YW_EMALFORMED, "请求内容不是有效的 UTF-8 文本");
	json_error_t err;
	json_t *j = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		return http_fail(req, YW_EMALFORMED,
				 arena_printf(req->arena, "JSON 格式错误（第 %d 行第 %d 列）：%s", err.line, err.column,
					      err.text));
	req->body_json = j; /* released with the request */
	if (!json_is_object(j))
		return http_fail(req, YW_EMALFORMED, "请求内容应为 JSON 对象");
	*out = j;
	return 0;
}

/* ---- static files ---- */

static const char *mime_for(const char *path)
{
	static const char *const map[][2] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
		{".png", "image/png"}, {".ico", "image/x-icon"}, {".woff2", "font/woff2"},
		{".woff", "font/woff"}, {".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"},
		{".map", "application/json"},
	};
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (strcmp(dot, map[i][0]) == 0)
				return map[i][1];
	return "application/octet-stream";
}

/* UI libraries come from node_modules (installed by scripts/setup.sh) under fixed names, so the
 * browser never sees the rest of node_modules. */
static const char *const vendor_map[][2] = {
	{"vue.js", "vue/dist/vue.global.prod.js"},
	{"element-plus.js", "element-plus/dist/index.full.min.js"},
	{"element-plus.css", "element-plus/dist/index.css"},
	{"element-plus-zh-cn.js", "element-plus/dist/locale/zh-cn.min.js"},
	{"element-plus-icons.js", "@element-plus/icons-vue/dist/index.iife.min.js"},
	{"echarts.js", "echarts/dist/echarts.min.js"},
};

static bool safe_path(const char *p)
{
	/* MHD has already percent-decoded the path; refuse any "..", backslash or NUL-ish trick. */
	if (p[0] != '/' || strstr(p, "..") || strchr(p, '\\') || strstr(p, "//"))
		return false;
	return utf8_valid(p, strlen(p));
}

/* Headers of every UI response (index.html, app files, vendor libraries). The policy allows
 * scripts only from this origin; 'unsafe-eval' is needed because the UI is served without a
 * bundler, so Vue compiles the components' string templates in the browser (vue.global.prod.js
 * calls Function() on the generated render code); there is no inline script to allow. Inline
 * style attributes are set by Element Plus and ECharts, hence style-src 'unsafe-inline'. */
static const char *const ui_headers[][2] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
	 "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
	 "base-uri 'self'; form-action 'self'; object-src 'none'"},
	{"Referrer-Policy", "same-origin"},
	{"X-Frame-Options", "DENY"},
};

static enum MHD_Result serve_file(http_req_t *req, const char *fs_path, const char *mime, bool immutable, int status)
{
	int fd = open(fs_path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return MHD_NO; /* caller answers 404 */
	}
	char etag[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)sb.st_mtime, (unsigned long long)sb.st_size);
	const char *inm = http_header(req, "If-None-Match");
	struct MHD_Response *r;
	if (status == MHD_HTTP_OK && inm && strcmp(inm, etag) == 0) {
		close(fd);
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else {
		r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		MHD_add_response_header(r, "Content-Type", mime);
	}
	MHD_add_response_header(r, "ETag", etag);
	MHD_add_response_header(r, "Cache-Control", immutable ? "public, max-age=86400" : "no-cache");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	for (size_t i = 0; i < sizeof ui_headers / sizeof ui_headers[0]; i++)
		MHD_add_response_header(r, ui_headers[i][0], ui_headers[i][1]);
	MHD_add_response_header(r, "X-Request-Id", req->req_id);
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	req->status = status;
	return ret;
}

static enum MHD_Result try_static(http_req_t *req)
{
	const char *p = req->path;
	if (strncmp(p, "/vendor/", 8) == 0) {
		for (size_t i = 0; i < sizeof vendor_map / sizeof vendor_map[0]; i++)
			if (strcmp(p + 8, vendor_map[i][0]) == 0) {
				char *fs = arena_printf(req->arena, "%s/%s", g_cfg->vendor_dir, vendor_map[i][1]);
				return serve_file(req, fs, mime_for(vendor_map[i][0]), true, MHD_HTTP_OK);
			}
		return MHD_NO;
	}
	if (!safe_path(p))
		return MHD_NO;
	const char *rel = strcmp(p, "/") == 0 ? "/index.html" : p;
	char *fs = arena_printf(req->arena, "%s%s", g_cfg->web_dir, rel);
	enum MHD_Result r = serve_file(req, fs, mime_for(rel), false, MHD_HTTP_OK);
	if (r == MHD_NO && !strchr(strrchr(rel, '/'), '.')) {
		/* A client-side route of the single-page UI ("/admin/items"); any other address gets
		 * the UI too, which shows its not-found page, but with status 404 (platform/spa.h). */
		fs = arena_printf(req->arena, "%s/index.html", g_cfg->web_dir);
		r = serve_file(req, fs, "text/html; charset=utf-8", false,
			       spa_route_known(p) ? MHD_HTTP_OK : MHD_HTTP_NOT_FOUND);
	}
	return r;
}

/* ---- request life cycle ---- */

static enum MHD_Result send_response(http_req_t *req)
{
	struct MHD_Response *r;
	if (req->stream_read) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 8192, req->stream_read, req->stream_cls,
						      req->stream_done);
		if (!r) {
			req->stream_done(req->stream_cls);
			return MHD_NO;
		}
	} else {
		r = MHD_create_response_from_buffer(req->resp_len, req->resp_body ? req->resp_body : (void *)"",
						    MHD_RESPMEM_MUST_COPY);
	}
	if (req->resp_type)
		MHD_add_response_header(r, "Content-Type", req->resp_type);
	MHD_add_response_header(r, "X-Request-Id", req->req_id);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	bool has_cc = false;
	for (int i = 0; i < req->nresp_headers; i++) {
		MHD_add_response_header(r, req->resp_headers[i][0], req->resp_headers[i][1]);
		has_cc |= strcasecmp(req->resp_headers[i][0], "Cache-Control") == 0;
	}
	if (!has_cc)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void set_error(http_req_t *req, int http_status)
{
	/* A message that is not valid UTF-8 (a programming error) falls back to the generic one
	 * rather than taking the error response down with it. */
	const char *msg = req->err_msg && utf8_valid(req->err_msg, strlen(req->err_msg)) ? req->err_msg
											     : message_for(http_status);
	json_t *e = json_pack("{s:s, s:s}", "code", req->err_code ? req->err_code : code_for(http_status), "message", msg);
	if (req->err_details)
		json_object_set(e, "details", req->err_details);
	/* The handler's headers go, except those that belong to the error (Retry-After of a 429,
	 * Allow of a 405). */
	int keep = 0;
	for (int i = 0; i < req->nresp_headers; i++)
		if (strcasecmp(req->resp_headers[i][0], "Retry-After") == 0 || strcasecmp(req->resp_headers[i][0], "Allow") == 0) {
			req->resp_headers[keep][0] = req->resp_headers[i][0];
			req->resp_headers[keep++][1] = req->resp_headers[i][1];
		}
	req->nresp_headers = keep;
	http_reply_json(req, http_status, json_pack("{s:o}", "error", e));
}

/* Turns a handler's status into the response. */
static enum MHD_Result finish(http_req_t *req, int st)
{
	if (st == HTTP_PENDING)
		return MHD_YES; /* suspended until the writer's group has committed */
	if (st != 0)
		set_error(req, http_status_for(st));
	else if (!req->status)
		http_reply_bytes(req, 204, NULL, "", 0);
	return send_response(req);
}

static void write_done(void *ctx, int status)
{
	http_req_t *req = ctx;
	req->write_status = status;
	req->write_done = true;
	MHD_resume_connection(req->conn);
}

int http_write(http_req_t *req, writer_fn fn, void *arg)
{
	/* Suspend before queueing, so the writer can never resume a connection not yet suspended. */
	MHD_suspend_connection(req->conn);
	req->write_arg = arg;
	int rc = writer_submit(fn, arg, write_done, req);
	if (rc)
		write_done(req, rc);
	return HTTP_PENDING;
}

static enum MHD_Result dispatch(http_req_t *req)
{
	if (req->write_done)
		return finish(req, ((const route_t *)req->route)->fn(req));
	if (req->body_too_large) {
		set_error(req, 413);
		return send_response(req);
	}
	if (!utf8_valid(req->path, strlen(req->path))) {
		set_error(req, 400);
		return send_response(req);
	}
	bool api = strncmp(req->path, "/api/", 5) == 0;
	bool path_matched = false;
	const route_t *rt = routes_match(req, req->method, req->path, &path_matched);
	if (!rt) {
		if (!api && (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)) {
			enum MHD_Result r = try_static(req);
			if (r == MHD_YES)
				return r;
		}
		if (path_matched)
			http_add_header(req, "Allow", "GET, POST, PUT, DELETE");
		set_error(req, path_matched ? 405 : 404);
		return send_response(req);
	}
	req->route = rt;
	int st = auth_resolve_request(req);
	if (st == 0 && !req->user && rt->perm == PERM_PUBLIC && strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		/* Anonymous writes (sign-in, registration, tickets, check-in …) are limited per client
		 * address here, once for every such route (config anon_write_burst, _per_minute). */
		const yw_config_t *c = config_current();
		int64_t wait = ratelimit_anon_write(http_client_addr(req), yw_now(), c->anon_write_burst, c->anon_write_per_minute);
		if (wait) {
			set_error(req, 429);
			http_add_header(req, "Retry-After", arena_printf(req->arena, "%lld", (long long)wait));
			return send_response(req);
		}
	}
	if (st == 0 && rt->perm != PERM_PUBLIC) {
		if (!req->user)
			st = YW_EAUTH;
		else if (!auth_has_perm(req->user, rt->perm))
			st = YW_EFORBIDDEN;
	}
	if (st == 0 && req->via_cookie && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
		/* A browser write must carry the session's CSRF token in a header a foreign page cannot set. */
		const char *tok = http_header(req, "X-CSRF-Token");
		if (!tok || strlen(tok) != strlen(req->user->csrf) ||
		    sodium_memcmp(tok, req->user->csrf, strlen(tok)) != 0)
			st = http_fail(req, YW_EFORBIDDEN, "缺少或错误的 CSRF 令牌，请刷新页面后重试");
	}
	return finish(req, st == 0 ? rt->fn(req) : st);
}

/* The body limit of a request: the upload route takes files, everything else JSON. */
static size_t body_limit(const http_req_t *req)
{
	if (g_cfg->upload_path && strcmp(req->method, "POST") == 0 && strcmp(req->path, g_cfg->upload_path) == 0)
		return g_cfg->max_upload;
	return g_cfg->max_body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	http_req_t *req = *con_cls;
	if (!req) {
		arena_t *a = arena_new();
		req = arena_zalloc(a, sizeof *req);
		req->arena = a;
		req->conn = conn;
		req->method = arena_strdup(a, method);
		req->path = arena_strdup(a, url);
		req->started_ns = now_ns();
		unsigned char rnd[8];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(req->req_id, sizeof req->req_id, rnd, sizeof rnd);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, req->client_ip,
				  sizeof req->client_ip);
		*con_cls = req;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;
		if (n > body_limit(req)) {
			req->body_too_large = true;
		} else if (n > 4096) {
			/* sized once: doubling a file-sized body in the arena would keep every copy */
			req->body_cap = (size_t)n + 1;
			req->body = arena_alloc(a, req->body_cap);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!req->body_too_large) {
			if (req->body_len + *upload_size > body_limit(req)) {
				req->body_too_large = true;
			} else {
				if (req->body_len + *upload_size + 1 > req->body_cap) {
					size_t cap = req->body_cap ? req->body_cap * 2 : 4096;
					while (cap < req->body_len + *upload_size + 1)
						cap *= 2;
					char *nb = arena_alloc(req->arena, cap);
					if (req->body_len)
						memcpy(nb, req->body, req->body_len);
					req->body = nb;
					req->body_cap = cap;
				}
				memcpy(req->body + req->body_len, upload_data, *upload_size);
				req->body_len += *upload_size;
				req->body[req->body_len] = 0;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	http_req_t *req = *con_cls;
	if (!req)
		return;
	if (!g_cfg->quiet) {
		int64_t us = (now_ns() - req->started_ns) / 1000;
		log_msg("info", req->req_id, "%s %s %d %lldus%s", req->method, req->path, req->status, (long long)us,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	}
	json_decref(req->err_details);
	json_decref(req->body_json);
	arena_free(req->arena);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages (a client that went away mid-response, a refused connection) go
 * into our log as one "info" line each, with our timestamp: they concern one connection, not the
 * program, and --quiet silences them like the access log. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = 0;
	log_msg("info", NULL, "libmicrohttpd: %s", msg);
}

int http_serve(const http_config_t *cfg)
{
	g_cfg = cfg;
	unsigned threads = cfg->threads ? cfg->threads : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;

	/* Block the stop signals in every thread; the main thread waits for them with sigwait. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
	if (inet_pton(AF_INET, cfg->bind, &addr.sin_addr) != 1) {
		log_error("serve: bad bind address %s", cfg->bind);
		return YW_EINVAL;
	}
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_END);
	if (!d) {
		log_error("serve: cannot listen on %s:%d: %s", cfg->bind, cfg->port, strerror(errno));
		return YW_EIO;
	}
	if (sse_start(cfg->sse_heartbeat_s) != 0) {
		MHD_stop_daemon(d);
		return YW_EIO;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	const char *po = config_current()->public_origin;
	if (*po)
		snprintf(g_origin, sizeof g_origin, "%s", po);
	else
		snprintf(g_origin, sizeof g_origin, "http://%s:%u",
			 strcmp(cfg->bind, "0.0.0.0") == 0 ? "127.0.0.1" : cfg->bind, di ? di->port : (unsigned)cfg->port);
	spa_routes_load(cfg->web_dir);
	printf("listening on http://%s:%u\n", cfg->bind, di ? di->port : (unsigned)cfg->port);
	fflush(stdout);
	log_info("serve: %u threads, web %s", threads, cfg->web_dir);

	int sig;
	sigwait(&set, &sig);
	log_info("serve: signal %d, finishing requests", sig);
	/* Event streams end first: none may be left suspended when the daemon stops. */
	sse_shutdown(2000);
	/* New writes are refused (503, not carried out); those queued commit and are answered
	 * before the daemon stops, so no suspended connection is left behind. */
	writer_drain();
	while (!writer_idle())
		usleep(1000);
	MHD_stop_daemon(d); /* waits for the pool threads, which finish their current requests */
	log_info("serve: stopped");
	return 0;
}
