/* The HTTP platform on libmicrohttpd: an epoll thread pool (one thread per core), a request
 * arena, JSON bodies with a size limit, connection timeouts and per-IP connection limits,
 * header and body deadlines against slow clients, the route's permission checked before any
 * body is read, a server-wide budget for bodies held in memory, uploads streamed to disk,
 * static files from web/, the error format of docs/architecture.md (HTTP conventions), request IDs in logs, and a clean
 * shutdown. Handlers are plain functions registered in the route table (platform/routes.c). */
#ifndef YW_HTTP_H
#define YW_HTTP_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "platform/arena.h"
#include "platform/writer.h"

struct MHD_Connection;
struct auth_user;

#define HTTP_MAX_PARAMS 4

/* A streaming body (http_reply_stream): read fills buf with up to max bytes and returns how many,
 * 0 after suspending the connection (it is resumed when there is more), or -1 at the end of the
 * stream; done releases cls once the response is gone. Both run on libmicrohttpd's threads. */
typedef ssize_t (*http_stream_read)(void *cls, uint64_t pos, char *buf, size_t max);
typedef void (*http_stream_done)(void *cls);

typedef struct http_req {
	struct MHD_Connection *conn;
	arena_t *arena;
	const char *method;
	const char *path;
	char req_id[17];
	char client_ip[48];
	/* body, NUL-terminated (JSON routes); released with the request */
	char *body;
	size_t body_len, body_cap;
	/* the upload route's body is not held in memory: it is streamed to upload_fd, a temporary
	 * file upload_tmp in files_dir, with body_len bytes and the hex SHA-256 upload_sha. A
	 * handler that moves the file elsewhere sets upload_tmp to NULL; otherwise the file is
	 * removed when the request completes. upload_fd is closed then. */
	int upload_fd;
	const char *upload_tmp;
	char upload_sha[65];
	json_t *body_json; /* the parsed body, released when the request completes */
	/* path parameters from the route pattern, e.g. {code} */
	const char *param[HTTP_MAX_PARAMS];
	int nparams;
	/* signed-in user, NULL when anonymous; set by the dispatcher before the handler runs */
	const struct auth_user *user;
	bool via_cookie;
	/* error detail for the response the dispatcher builds from a handler's failing status */
	const char *err_code;
	const char *err_msg;
	json_t *err_details;
	/* the response the handler set */
	int status;
	char *resp_body;
	size_t resp_len;
	const char *resp_type;
	const char *resp_headers[8][2];
	int nresp_headers;
	/* a streaming body instead of resp_body (http_reply_stream) */
	http_stream_read stream_read;
	http_stream_done stream_done;
	void *stream_cls;
	int64_t started_ns;
	/* the route being served */
	const void *route;
	/* group commit (http_write), private to http.c: the responder called once the job is durable,
	 * its argument and the job's status */
	struct http_pending_write *pending;
	/* seconds for a Retry-After header on an error response (503, 429); 0 = none */
	unsigned retry_after_s;
	/* body intake (http.c): the connection's deadline record, the limit and when the body
	 * began, bytes held against the server's body budget, the upload's running hash */
	struct conn_track *track;
	size_t body_limit, body_reserved;
	uint64_t body_received;
	int64_t body_started_ns;
	void *upload_hash;
	bool upload_failed;
	bool answered; /* refused before the body: the response is queued, nothing more is read */
} http_req_t;

typedef struct http_config {
	const char *bind;      /* "127.0.0.1" */
	int port;              /* 8080; 0 = pick a free port */
	const char *web_dir;   /* static files */
	const char *vendor_dir;/* node_modules, for the UI libraries */
	unsigned threads;      /* 0 = number of cores */
	unsigned timeout_s;    /* idle connection timeout */
	unsigned per_ip_limit; /* concurrent connections per client address */
	size_t max_body;       /* bytes */
	/* POST to this exact path (the file upload) may carry up to max_upload bytes instead */
	const char *upload_path;
	size_t max_upload;
	bool quiet;            /* no access log */
	unsigned sse_heartbeat_s; /* ": ping" on every event stream this often (platform/sse.h) */
} http_config_t;

/* Starts serving; returns when SIGTERM or SIGINT arrives and in-flight requests finished.
 * Prints "listening on http://HOST:PORT" to stdout once ready. */
int http_serve(const http_config_t *cfg);

/* Query-string argument, or NULL. */
const char *http_query(http_req_t *req, const char *name);
const char *http_header(http_req_t *req, const char *name);
const char *http_cookie(http_req_t *req, const char *name);
/* The configured public origin ("https://zwfw.example.gov.cn", config public_origin; default
 * http://BIND:PORT), the one base of every link the server builds: ticket follow URLs, QR codes,
 * verify URLs. Never derived from the request's Host header. http_origin(req) is the same value,
 * kept for callers that have a request at hand. */
const char *http_public_origin(void);
const char *http_origin(http_req_t *req);
/* The client's address for per-address limits: the peer, or X-Real-IP when the peer is the
 * configured trusted_proxy. */
const char *http_client_addr(http_req_t *req);
/* Is the public origin https? Cookies then carry Secure. */
bool http_origin_is_https(void);

/* Parse the body as a JSON object; on failure sets the error detail and returns YW_EMALFORMED /
 * YW_EMEDIATYPE. The result is owned by the request: handlers never free it. */
int http_body_json(http_req_t *req, json_t **out);

/* Responses. The json variants take ownership of j (a reference is stolen). */
void http_reply_json(http_req_t *req, int status, json_t *j);
void http_reply_bytes(http_req_t *req, int status, const char *type, const char *body, size_t len);
void http_add_header(http_req_t *req, const char *name, const char *value);
/* A 200 response of unknown length whose body comes from read (chunked, not cached); done(cls)
 * runs when the response is released, also when it could not be sent. */
void http_reply_stream(http_req_t *req, const char *type, http_stream_read read, http_stream_done done, void *cls);
/* An XLSX download: write(path, arg) fills a temporary file, which is sent as `filename` and
 * removed. Returns write's status, or YW_EIO. */
int http_reply_xlsx(http_req_t *req, const char *filename, int (*write)(const char *path, void *arg), void *arg);

/* A handler whose POST body is streamed to a temporary file as the file upload's is (upload_fd,
 * upload_tmp, upload_sha; never into memory), up to max bytes whoever calls, also a caller not
 * signed in (a citizen's photo with a public message). Registered by a module before the server
 * starts (at most 8). */
void http_upload_handler(int (*fn)(http_req_t *req), size_t max);

/* Errors of the paths under prefix ("/open311/") are written by fmt instead of the platform's JSON
 * error ({"error":{"code","message","details"}}): every error, also those answered before a
 * handler runs (404 no such path, 405, 413, 429, 503). fmt gets the HTTP status, the message and
 * the field details (an array of {"field","message"}, or NULL) and sets the response
 * (http_reply_json / http_reply_bytes); a Retry-After or Allow header of the error stays.
 * Registered by a module before the server starts (at most 8); platform/ knows no module. */
typedef void (*http_error_fmt)(http_req_t *req, int http_status, const char *message, json_t *details);
void http_error_format(const char *prefix, http_error_fmt fmt);

/* Handler failure helpers: set the message (and field details) and return the status, e.g.
 *   return http_fail(req, YW_EINVAL, "数据校验失败"); */
int http_fail(http_req_t *req, int status, const char *message);
/* Adds {"field":..,"message":..} to the error details. */
void http_fail_field(http_req_t *req, const char *field, const char *message);

/* Moves a validation's field errors (an array of {"field","message"}, consumed and set to NULL)
 * into the response and returns YW_EINVAL (422). */
int http_fail_fields(http_req_t *req, json_t **errors);

/* Every write to the database goes through the group-commit writer (platform/writer.h): HTTP
 * worker threads only read (their connections are read-only, see db_thread_reader in db.h).
 * A write handler is entered once and ends with
 *   return http_write(req, job, arg, respond);
 * On its worker thread it first validates and prepares everything that needs no write: parsing,
 * permission and scope checks, password hashing, file checks; CPU-heavy work never goes to the
 * writer. The connection is then suspended (without holding a worker thread); job(db, arg) runs
 * on the writer's connection inside the group transaction (db_begin/db_commit inside it are
 * savepoints); after the group's commit the connection resumes and respond(req, status, arg)
 * builds the response on a worker thread, where status is job's status, or YW_EDB when the commit
 * failed, or YW_EUNAVAILABLE when the writer refused the job (shutting down). respond returns a
 * status like a handler (0 with a response set, or a failing status); it may read the database
 * (it sees the committed write) but not write. arg lives in the request's arena and carries what
 * the response needs (ids, a vctx_t of field errors). */
#define HTTP_PENDING 1
typedef int (*http_respond_fn)(http_req_t *req, int status, void *arg);
int http_write(http_req_t *req, writer_fn job, void *arg, http_respond_fn respond);
/* A responder for jobs whose outcome is the status alone: 204 on success, else the status. */
int http_respond_status(http_req_t *req, int status, void *arg);

/* Maps a yw_status to its HTTP status (once, for the whole program). */
int http_status_for(int yw_status);

/* A whole decimal number in [min, max] with nothing around it; YW_EINVAL otherwise. */
int http_parse_int(const char *v, int64_t min, int64_t max, int64_t *out);
/* Parses and validates an integer query parameter; writes def when absent. Sets a field error. */
int http_query_int(http_req_t *req, const char *name, int64_t min, int64_t max, int64_t def, int64_t *out);

/* True when s[0..len) is well-formed UTF-8 with no NUL and no overlong forms or surrogates. */
bool utf8_valid(const char *s, size_t len);

#endif
