/* See http.h. libmicrohttpd runs an epoll thread pool; each request gets an arena, its body is
 * collected up to max_body, and on the last call the dispatcher resolves the route, checks the
 * user and the route's permission and CSRF, runs the handler and maps its status to a response. */
#include "platform/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/jsonw.h"
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
	size_t n = 0;
	char *s = jsonw_dump(j, &n);
	json_decref(j);
	if (!s) { /* a programming error: an answer that holds itself */
		http_reply_bytes(req, 500, "application/json; charset=utf-8", "{}", 2);
		return;
	}
	http_reply_bytes(req, status, "application/json; charset=utf-8", s, n);
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
 * style attributes are set by Element Plus and ECharts, hence style-src 'unsafe-inline'. Images may
 * be blob: addresses: the citizen's follow page fetches photos with the query code in a header and
 * shows them from memory (only this origin's scripts can make a blob: address). */
static const char *const ui_headers[][2] = {
	{"Content-Security-Policy",
	 "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
	 "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
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
		/* a small block: it lives in the connection's memory pool (CONN_MEMORY) for as long as the
		 * stream is open, and events are far smaller */
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 2048, req->stream_read, req->stream_cls,
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

static struct {
	const char *prefix;
	http_error_fmt fmt;
} g_error_fmts[8];
static int g_nerror_fmts;

void http_error_format(const char *prefix, http_error_fmt fmt)
{
	if (g_nerror_fmts < (int)(sizeof g_error_fmts / sizeof g_error_fmts[0]))
		g_error_fmts[g_nerror_fmts++] = (typeof(g_error_fmts[0])){prefix, fmt};
}

/* The error formatter of the request's path, or NULL for the platform's own. */
static http_error_fmt error_fmt_of(const char *path)
{
	for (int i = 0; i < g_nerror_fmts; i++)
		if (strncmp(path, g_error_fmts[i].prefix, strlen(g_error_fmts[i].prefix)) == 0)
			return g_error_fmts[i].fmt;
	return NULL;
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
	if (req->retry_after_s && !keep)
		http_add_header(req, "Retry-After", arena_printf(req->arena, "%u", req->retry_after_s));
	http_error_fmt fmt = error_fmt_of(req->path);
	if (fmt) {
		fmt(req, http_status, msg, req->err_details);
		json_decref(e);
		return;
	}
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

struct http_pending_write {
	http_respond_fn respond;
	void *arg;
	int status;
	bool done; /* the job has run (or was refused): the resumed request calls respond */
};

static void write_done(void *ctx, int status)
{
	http_req_t *req = ctx;
	req->pending->status = status;
	req->pending->done = true;
	MHD_resume_connection(req->conn);
}

int http_write(http_req_t *req, writer_fn job, void *arg, http_respond_fn respond)
{
	req->pending = arena_zalloc(req->arena, sizeof *req->pending);
	req->pending->respond = respond;
	req->pending->arg = arg;
	/* Suspend before queueing, so the writer can never resume a connection not yet suspended. */
	MHD_suspend_connection(req->conn);
	int rc = writer_submit(job, arg, write_done, req);
	if (rc)
		write_done(req, rc);
	return HTTP_PENDING;
}

int http_respond_status(http_req_t *req, int status, void *arg)
{
	(void)req;
	(void)arg;
	return status;
}

/* ---- connection deadlines ----
 *
 * libmicrohttpd's connection timeout is an idle timeout that every received byte resets, so a
 * client trickling a byte every few seconds (slowloris) would hold its connection for ever, and
 * enough of them would hold them all. Every connection is therefore tracked from its accept
 * (MHD_OPTION_NOTIFY_CONNECTION) in one of three phases:
 *   HEADERS  waiting for a request's complete headers, since the accept or since the previous
 *            request on a kept-alive connection ended: cut after header_timeout seconds and up
 *            to half as much again, spread so that a flood opened at once is not cut at once
 *            (this is also the keep-alive idle time);
 *   BODY     receiving a request body: cut when, past body_timeout seconds of grace, it has
 *            arrived at less than body_min_rate bytes a second on average since it began
 *            (checked on every chunk, and by the reaper for a body that stops arriving);
 *   BUSY     the handler and the response, including writes waiting for the group commit and
 *            event streams: left to libmicrohttpd's idle timeout and to the stream caps.
 * A reaper thread looks once a second. HEADERS entries are kept in the order they entered
 * the phase, so it reads only the head of that list older than header_timeout; BODY entries are bounded (JSON bodies
 * by the memory budget, uploads by sign-in) and all are looked at. A cut is shutdown(fd, SHUT_RDWR): libmicrohttpd
 * sees the end of the stream and closes the connection on its own thread. An entry is removed,
 * under g_conn_mu, by the CLOSED notification, which libmicrohttpd sends before it closes the
 * socket, so the reaper never shuts down a descriptor number another connection has reused. */

enum { PH_HEADERS, PH_BODY, PH_BUSY, PH_CUT };

typedef struct conn_track {
	struct conn_track *prev, *next; /* in g_phase[phase] for HEADERS and BODY */
	int fd;
	int phase;
	int64_t since_ns;
	int64_t deadline_ns; /* HEADERS: when it is cut */
	_Atomic uint64_t body_bytes;
	bool linger; /* refused with its body unread: closed by the linger thread (below) */
} conn_track_t;

static pthread_mutex_t g_conn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_reaper_wakeup;
static struct {
	conn_track_t *head, *tail;
} g_phase[2];
static bool g_reaper_stop;
static int64_t g_header_ns, g_body_grace_ns;
static uint64_t g_body_min_rate;

static void track_unlink(conn_track_t *t)
{
	if (t->phase != PH_HEADERS && t->phase != PH_BODY)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		g_phase[t->phase].head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		g_phase[t->phase].tail = t->prev;
	t->prev = t->next = NULL;
}

/* Moves t to phase (at the tail of its list), starting the phase's clock now. */
static void track_set(conn_track_t *t, int phase)
{
	if (!t)
		return;
	pthread_mutex_lock(&g_conn_mu);
	if (t->phase != PH_CUT && (t->phase != phase || phase != PH_BUSY)) {
		track_unlink(t);
		t->phase = phase;
		t->since_ns = now_ns();
		/* header_timeout plus up to half as much again, drawn from the clock's nanoseconds:
		 * connections opened in one burst are then not all cut (and re-opened) in one burst */
		t->deadline_ns = t->since_ns + g_header_ns +
				 (int64_t)(((uint64_t)t->since_ns * 0x9E3779B97F4A7C15u >> 33) % 1000) * (g_header_ns / 2000);
		atomic_store_explicit(&t->body_bytes, 0, memory_order_relaxed);
		if (phase == PH_HEADERS || phase == PH_BODY) {
			t->prev = g_phase[phase].tail;
			if (t->prev)
				t->prev->next = t;
			else
				g_phase[phase].head = t;
			g_phase[phase].tail = t;
		}
	}
	pthread_mutex_unlock(&g_conn_mu);
}

/* True when a body that began elapsed_ns ago and has brought bytes so far is below the least
 * average rate, its grace time spent. */
static bool body_too_slow(int64_t elapsed_ns, uint64_t bytes)
{
	if (elapsed_ns <= g_body_grace_ns)
		return false;
	return bytes < (uint64_t)((double)(elapsed_ns - g_body_grace_ns) / 1e9 * (double)g_body_min_rate);
}

static void linger_add(int fd);

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		conn_track_t *t = calloc(1, sizeof *t);
		if (!t)
			abort();
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		t->fd = ci ? ci->connect_fd : -1;
		t->phase = PH_BUSY;
		*socket_context = t;
		track_set(t, PH_HEADERS);
		return;
	}
	conn_track_t *t = *socket_context;
	if (!t)
		return;
	pthread_mutex_lock(&g_conn_mu);
	track_unlink(t);
	pthread_mutex_unlock(&g_conn_mu);
	if (t->linger && t->fd >= 0)
		linger_add(t->fd);
	free(t);
	*socket_context = NULL;
}

/* ---- lingering close ----
 *
 * A request refused before its body was read (401, 403, 413, 503) is answered and its connection
 * closed by libmicrohttpd while the client may still be sending the body. Closing a socket with
 * unread data makes the kernel send a reset, which can reach the client before it has read the
 * answer, so it would see a broken connection instead of the 401 or 413. As nginx does
 * (lingering_close), such a socket is kept open a little longer: its descriptor is duplicated in
 * the CLOSED notification, before libmicrohttpd closes its own (with MHD_USE_TURBO it closes
 * without a shutdown, so the socket stays whole); this thread sends the end of the stream and
 * then reads and discards whatever still arrives, into one static buffer, until the client
 * closes or LINGER_S seconds pass. At most LINGER_MAX sockets linger; past that, one is closed at
 * once. Nothing read here is kept: memory does not grow with the bodies. */
#define LINGER_MAX 256 /* well within the descriptors kept back (NOFILE_RESERVE) */
#define LINGER_S 5
static struct {
	int fd;
	int64_t until_ns;
} g_linger[LINGER_MAX];
static int g_nlinger, g_linger_epoll = -1;
static pthread_mutex_t g_linger_mu = PTHREAD_MUTEX_INITIALIZER;

static void linger_add(int fd)
{
	pthread_mutex_lock(&g_linger_mu);
	int dfd = g_linger_epoll >= 0 && g_nlinger < LINGER_MAX ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
	if (dfd >= 0) {
		shutdown(dfd, SHUT_WR); /* the answer is complete: end of stream after it */
		struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = dfd};
		if (epoll_ctl(g_linger_epoll, EPOLL_CTL_ADD, dfd, &ev) == 0) {
			g_linger[g_nlinger].fd = dfd;
			g_linger[g_nlinger].until_ns = now_ns() + (int64_t)LINGER_S * 1000000000;
			g_nlinger++;
		} else {
			close(dfd);
		}
	}
	pthread_mutex_unlock(&g_linger_mu);
}

/* Removes entry i (g_linger_mu held) and closes its socket. */
static void linger_drop(int i)
{
	epoll_ctl(g_linger_epoll, EPOLL_CTL_DEL, g_linger[i].fd, NULL);
	close(g_linger[i].fd);
	g_linger[i] = g_linger[--g_nlinger];
}

static void *linger_main(void *arg)
{
	(void)arg;
	static char sink[65536];
	struct epoll_event evs[64];
	for (;;) {
		int n = epoll_wait(g_linger_epoll, evs, 64, 200);
		pthread_mutex_lock(&g_linger_mu);
		if (g_reaper_stop) {
			while (g_nlinger)
				linger_drop(0);
			pthread_mutex_unlock(&g_linger_mu);
			return NULL;
		}
		for (int e = 0; e < n; e++) {
			int fd = evs[e].data.fd;
			ssize_t r;
			while ((r = recv(fd, sink, sizeof sink, MSG_DONTWAIT)) > 0)
				;
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
				for (int i = 0; i < g_nlinger; i++)
					if (g_linger[i].fd == fd) {
						linger_drop(i);
						break;
					}
		}
		int64_t now = now_ns();
		for (int i = 0; i < g_nlinger;)
			if (now > g_linger[i].until_ns)
				linger_drop(i);
			else
				i++;
		pthread_mutex_unlock(&g_linger_mu);
	}
}

/* Cuts up to REAPER_BATCH expired connections (g_conn_mu held); returns how many. The lock is
 * held for one batch at a time, so that cutting thousands at once (a flood opened in one burst
 * expires in one burst) never stalls the requests and accepts that take it to change phase. */
#define REAPER_BATCH 64
static int reap_batch(int64_t now, int *headers, int *bodies)
{
	int n = 0;
	conn_track_t *t;
	/* in order of entry: past the first one younger than header_timeout, none is due */
	for (t = g_phase[PH_HEADERS].head; n < REAPER_BATCH && t && now - t->since_ns > g_header_ns;) {
		conn_track_t *next = t->next;
		if (now > t->deadline_ns) {
			track_unlink(t);
			t->phase = PH_CUT;
			if (t->fd >= 0)
				shutdown(t->fd, SHUT_RDWR);
			(*headers)++;
			n++;
		}
		t = next;
	}
	for (t = g_phase[PH_BODY].head; t && n < REAPER_BATCH;) {
		conn_track_t *next = t->next;
		if (body_too_slow(now - t->since_ns, atomic_load_explicit(&t->body_bytes, memory_order_relaxed))) {
			track_unlink(t);
			t->phase = PH_CUT;
			if (t->fd >= 0)
				shutdown(t->fd, SHUT_RDWR);
			(*bodies)++;
			n++;
		}
		t = next;
	}
	return n;
}

static void *reaper_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&g_conn_mu);
	while (!g_reaper_stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&g_reaper_wakeup, &g_conn_mu, &until);
		int64_t now = now_ns();
		int headers = 0, bodies = 0;
		while (!g_reaper_stop && reap_batch(now, &headers, &bodies) == REAPER_BATCH) {
			pthread_mutex_unlock(&g_conn_mu);
			sched_yield();
			pthread_mutex_lock(&g_conn_mu);
		}
		if (headers || bodies) {
			pthread_mutex_unlock(&g_conn_mu);
			log_msg("info", NULL, "http: cut %d connections without complete headers in %llds, %d bodies below %llu bytes/s",
				headers, (long long)(g_header_ns / 1000000000), bodies, (unsigned long long)g_body_min_rate);
			pthread_mutex_lock(&g_conn_mu);
		}
	}
	pthread_mutex_unlock(&g_conn_mu);
	return NULL;
}

/* ---- request bodies ----
 *
 * Nothing beyond a small limit is read before the caller is known and permitted: the first
 * call of the access handler comes with the headers only, and there the route, the user, the
 * permission, CSRF and Content-Length are checked; a refusal is queued at once, and
 * libmicrohttpd then reads no body and closes the connection after the answer. The limit is
 * anon_max_body for a caller not signed in, max_body for a signed-in caller, and max_upload for
 * the upload route, whose body goes to a temporary file with a running SHA-256 and never into
 * memory. A JSON body is held in memory whole (the handler parses it), so the bytes all such
 * bodies may hold at once are bounded for the whole server by body_memory: each request
 * reserves its Content-Length (or its whole limit when chunked) before it reads, and when the
 * budget is spent the answer is 503 with Retry-After. */

static struct {
	int (*fn)(http_req_t *req);
	size_t max;
} g_upload_fns[8];
static int g_nupload_fns;

void http_upload_handler(int (*fn)(http_req_t *req), size_t max)
{
	if (g_nupload_fns < (int)(sizeof g_upload_fns / sizeof g_upload_fns[0]))
		g_upload_fns[g_nupload_fns++] = (typeof(g_upload_fns[0])){fn, max};
}

static _Atomic size_t g_body_mem;  /* bytes reserved by bodies in flight */
static size_t g_body_budget;
static const char *g_upload_dir;   /* uploads' temporary files (files_dir: same file system) */
#define BODY_RETRY_AFTER_S 5

static bool budget_reserve(size_t n)
{
	size_t cur = atomic_load(&g_body_mem);
	do {
		if (cur + n > g_body_budget || cur + n < cur)
			return false;
	} while (!atomic_compare_exchange_weak(&g_body_mem, &cur, cur + n));
	return true;
}

static enum MHD_Result dispatch(http_req_t *req)
{
	const route_t *rt = req->route;
	if (req->pending && req->pending->done) {
		/* resumed after the group commit: the handler's responder answers */
		struct http_pending_write *w = req->pending;
		req->pending = NULL;
		return finish(req, w->respond(req, w->status, w->arg));
	}
	if (req->upload_hash) {
		unsigned char h[crypto_hash_sha256_BYTES];
		crypto_hash_sha256_final(req->upload_hash, h);
		sodium_bin2hex(req->upload_sha, sizeof req->upload_sha, h, sizeof h);
		req->upload_hash = NULL;
	}
	int st = req->upload_failed ? http_fail(req, YW_EIO, "文件保存失败，请稍后再试") : rt->fn(req);
	if (req->upload_tmp && st != HTTP_PENDING) {
		/* the handler is done with the upload's file: gone before the answer is */
		unlink(req->upload_tmp);
		req->upload_tmp = NULL;
	}
	return finish(req, st);
}

/* A request answered before its body: its connection lingers when it closes (see linger_add). */
static void mark_linger(http_req_t *req)
{
	const char *cl = http_header(req, "Content-Length");
	if (req->track && ((cl && strcmp(cl, "0") != 0) || http_header(req, "Transfer-Encoding")))
		req->track->linger = true;
}

/* Answers st (a failing status) before the body is read. */
static enum MHD_Result refuse(http_req_t *req, int st)
{
	req->answered = true;
	mark_linger(req);
	track_set(req->track, PH_BUSY);
	return finish(req, st);
}

/* The first call, headers only: route, user, permission, CSRF, size and budget. A refusal is
 * answered at once; otherwise the body (if any) is read on the calls that follow. */
static enum MHD_Result precheck(http_req_t *req)
{
	if (!utf8_valid(req->path, strlen(req->path)))
		return refuse(req, http_fail(req, YW_EMALFORMED, NULL));
	bool api = strncmp(req->path, "/api/", 5) == 0;
	bool path_matched = false;
	const route_t *rt = routes_match(req, req->method, req->path, &path_matched);
	if (!rt) {
		req->answered = true;
		mark_linger(req);
		track_set(req->track, PH_BUSY);
		if (!api && !error_fmt_of(req->path) && (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)) {
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
			req->retry_after_s = (unsigned)wait;
			return refuse(req, YW_ETHROTTLED);
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
	if (st)
		return refuse(req, st);

	const yw_config_t *cfg = config_current();
	bool upload = g_cfg->upload_path && strcmp(req->method, "POST") == 0 && strcmp(req->path, g_cfg->upload_path) == 0;
	req->body_limit = upload ? g_cfg->max_upload : req->user ? g_cfg->max_body : cfg->anon_max_body;
	for (int i = 0; i < g_nupload_fns && strcmp(req->method, "POST") == 0; i++)
		if (rt->fn == g_upload_fns[i].fn) {
			/* a module's own upload route (http_upload_handler), with its own limit */
			upload = true;
			req->body_limit = g_upload_fns[i].max;
		}
	/* libmicrohttpd has checked the syntax of Content-Length and Transfer-Encoding already */
	const char *cl = http_header(req, "Content-Length");
	const char *te = http_header(req, "Transfer-Encoding");
	bool chunked = te && strcasestr(te, "chunked");
	unsigned long long n = cl && !chunked ? strtoull(cl, NULL, 10) : 0;
	if (n > req->body_limit)
		return refuse(req, http_fail(req, YW_ETOOLARGE,
					     req->user || upload ? NULL : "请求内容过大：未登录时只接受很小的请求，请先登录"));
	if (!n && !chunked) {
		track_set(req->track, PH_BUSY);
		return MHD_YES;
	}
	if (upload) {
		char *tmp = arena_printf(req->arena, "%s/.upload-XXXXXX", g_upload_dir);
		req->upload_fd = mkostemp(tmp, O_CLOEXEC);
		if (req->upload_fd < 0) {
			log_error("http: cannot create an upload file in %s: %s", g_upload_dir, strerror(errno));
			return refuse(req, http_fail(req, YW_EIO, "文件保存失败，请稍后再试"));
		}
		req->upload_tmp = tmp;
		req->upload_hash = arena_alloc(req->arena, sizeof(crypto_hash_sha256_state));
		crypto_hash_sha256_init(req->upload_hash);
	} else {
		size_t want = n ? (size_t)n : req->body_limit;
		if (!budget_reserve(want)) {
			req->retry_after_s = BODY_RETRY_AFTER_S;
			return refuse(req, http_fail(req, YW_EUNAVAILABLE, "服务器繁忙，请稍后重试"));
		}
		req->body_reserved = want;
		req->body_cap = n ? (size_t)n + 1 : 0;
		if (req->body_cap) {
			req->body = malloc(req->body_cap);
			if (!req->body)
				abort();
		}
	}
	req->body_started_ns = now_ns();
	track_set(req->track, PH_BODY);
	return MHD_YES;
}

static int write_all_fd(int fd, const char *data, size_t len)
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

/* One piece of the body. MHD_NO closes the connection: a body past its limit (only a chunked one
 * can be, Content-Length was checked) or below the least rate is not read any further. */
static enum MHD_Result body_chunk(http_req_t *req, const char *data, size_t n)
{
	req->body_received += n;
	if (req->track)
		atomic_store_explicit(&req->track->body_bytes, req->body_received, memory_order_relaxed);
	if (req->body_received > req->body_limit) {
		log_msg("info", req->req_id, "%s %s: chunked body over %zu bytes, connection closed", req->method,
			req->path, req->body_limit);
		return MHD_NO;
	}
	if (body_too_slow(now_ns() - req->body_started_ns, req->body_received)) {
		log_msg("info", req->req_id, "%s %s: body below %llu bytes/s, connection closed", req->method, req->path,
			(unsigned long long)g_body_min_rate);
		return MHD_NO;
	}
	if (req->upload_fd >= 0) {
		if (!req->upload_failed && write_all_fd(req->upload_fd, data, n) != 0) {
			log_error("http: writing an upload to %s: %s", req->upload_tmp, strerror(errno));
			req->upload_failed = true;
		}
		if (req->upload_hash)
			crypto_hash_sha256_update(req->upload_hash, (const unsigned char *)data, n);
		req->body_len += n;
		return MHD_YES;
	}
	if (req->body_len + n + 1 > req->body_cap) {
		/* chunked: grows within the reservation (body_limit) */
		size_t cap = req->body_cap ? req->body_cap * 2 : 4096;
		while (cap < req->body_len + n + 1)
			cap *= 2;
		if (cap > req->body_limit + 1)
			cap = req->body_limit + 1;
		char *nb = realloc(req->body, cap);
		if (!nb)
			abort();
		req->body = nb;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, data, n);
	req->body_len += n;
	req->body[req->body_len] = 0;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	(void)cls;
	(void)version;
	/* a worker thread only reads: every write goes through the writer (http_write) */
	db_thread_reader();
	http_req_t *req = *con_cls;
	if (!req) {
		arena_t *a = arena_new();
		req = arena_zalloc(a, sizeof *req);
		req->arena = a;
		req->conn = conn;
		req->method = arena_strdup(a, method);
		req->path = arena_strdup(a, url);
		req->started_ns = now_ns();
		req->upload_fd = -1;
		unsigned char rnd[8];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(req->req_id, sizeof req->req_id, rnd, sizeof rnd);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, req->client_ip,
				  sizeof req->client_ip);
		ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		req->track = ci ? ci->socket_context : NULL;
		*con_cls = req;
		return precheck(req);
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		return req->answered ? MHD_YES : body_chunk(req, upload_data, n);
	}
	if (req->answered)
		return MHD_YES;
	track_set(req->track, PH_BUSY);
	return dispatch(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	http_req_t *req = *con_cls;
	if (!req)
		return;
	if (!g_cfg->quiet) {
		int64_t us = (now_ns() - req->started_ns) / 1000;
		log_msg("info", req->req_id, "%s %s %d %lldus%s", req->method, req->path, req->status, (long long)us,
			toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
	}
	/* a kept-alive connection now waits for the next request's headers */
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci && ci->socket_context)
		track_set(ci->socket_context, PH_HEADERS);
	if (req->upload_fd >= 0)
		close(req->upload_fd);
	if (req->upload_tmp)
		unlink(req->upload_tmp);
	free(req->body);
	if (req->body_reserved)
		atomic_fetch_sub(&g_body_mem, req->body_reserved);
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

/* Stops the reaper and the linger thread (which closes the sockets still lingering). */
static void stop_reaper(pthread_t reaper, pthread_t linger)
{
	pthread_mutex_lock(&g_conn_mu);
	pthread_mutex_lock(&g_linger_mu);
	g_reaper_stop = true;
	pthread_cond_broadcast(&g_reaper_wakeup);
	pthread_mutex_unlock(&g_linger_mu);
	pthread_mutex_unlock(&g_conn_mu);
	pthread_join(reaper, NULL);
	pthread_join(linger, NULL);
	close(g_linger_epoll);
	g_linger_epoll = -1;
}

/* mkdir -p, for the uploads' folder. */
static void make_dirs(const char *path)
{
	char buf[600];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return;
	for (char *s = buf + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(buf, 0750);
			*s = '/';
		}
	mkdir(buf, 0750);
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
	/* Connections: as many as the configuration asks and the descriptors allow. The soft limit
	 * on open files is raised to the hard one; NOFILE_RESERVE of them stay for the database,
	 * uploads, static files and the log. */
	const yw_config_t *ycfg = config_current();
	struct rlimit rl;
	unsigned max_conn = ycfg->max_connections;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
#define NOFILE_RESERVE 512
		if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)max_conn + NOFILE_RESERVE > rl.rlim_cur) {
			max_conn = rl.rlim_cur > 2 * NOFILE_RESERVE ? (unsigned)(rl.rlim_cur - NOFILE_RESERVE)
								   : (unsigned)rl.rlim_cur / 2;
			log_info("serve: %u connections at most (open-file limit %llu)", max_conn,
				 (unsigned long long)rl.rlim_cur);
		}
	}
	g_header_ns = (int64_t)ycfg->header_timeout_s * 1000000000;
	g_body_grace_ns = (int64_t)ycfg->body_timeout_s * 1000000000;
	g_body_min_rate = ycfg->body_min_rate;
	g_body_budget = ycfg->body_memory;
	g_upload_dir = ycfg->files_dir;
	make_dirs(g_upload_dir);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g_reaper_wakeup, &ca);
	pthread_condattr_destroy(&ca);
	g_reaper_stop = false;
	pthread_t reaper, linger;
	g_linger_epoll = epoll_create1(EPOLL_CLOEXEC);
	if (g_linger_epoll < 0 || pthread_create(&linger, NULL, linger_main, NULL) != 0) {
		log_error("serve: cannot start the lingering-close thread");
		return YW_EIO;
	}
	if (pthread_create(&reaper, NULL, reaper_main, NULL) != 0) {
		log_error("serve: cannot start the connection reaper");
		return YW_EIO;
	}
	/* Each connection's memory pool (headers, the response head, a window of the body) is
	 * capped at CONN_MEMORY; 16 KiB holds headers of any browser request and keeps 20,000
	 * connections within about 320 MB even if every pool filled. */
#define CONN_MEMORY (8u * 1024)
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, so that every message goes to our log */
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_limit,
		MHD_OPTION_CONNECTION_LIMIT, max_conn, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!d) {
		log_error("serve: cannot listen on %s:%d: %s", cfg->bind, cfg->port, strerror(errno));
		stop_reaper(reaper, linger);
		return YW_EIO;
	}
	if (sse_start(cfg->sse_heartbeat_s, ycfg->sse_max_streams, ycfg->sse_max_streams_per_ip) != 0) {
		MHD_stop_daemon(d);
		stop_reaper(reaper, linger);
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
	stop_reaper(reaper, linger);
	log_info("serve: stopped");
	return 0;
}
