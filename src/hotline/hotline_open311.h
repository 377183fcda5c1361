/* Open311 GeoReport v2 at /open311/v2/ (docs/api.md "Open311 GeoReport v2", docs/domain.md §9):
 * the matter classification as services, work orders as service requests, and requests posted by
 * keyed clients becoming orders from channel open311. This header holds the parts without the
 * database (the form and query parsing, dates, the XML rendering; tests/fuzz/fuzz_open311.c
 * drives them), the store's functions and the route handlers. */
#ifndef YW_HOTLINE_OPEN311_H
#define YW_HOTLINE_OPEN311_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/db.h"
#include "platform/http.h"

/* ---- parsing (hotline_open311.c), no database ---- */

#define O311_FORM_MAX 64

/* An application/x-www-form-urlencoded body (or a query string) decoded: '+' is a space,
 * %XX a byte; every key and value is valid UTF-8 without NUL. */
typedef struct o311_form {
	size_t n;
	char *key[O311_FORM_MAX], *val[O311_FORM_MAX];
	char *buf; /* one allocation holding every string */
} o311_form_t;
/* 0, or YW_EINVAL with *why (a Chinese reason) for a broken escape, text that is not UTF-8, a
 * repeated key, an empty key or more than O311_FORM_MAX fields. f is always safe to free. */
int o311_form_parse(const char *s, size_t len, o311_form_t *f, const char **why);
/* The value of key, or NULL. */
const char *o311_form_get(const o311_form_t *f, const char *key);
void o311_form_free(o311_form_t *f);

/* A W3C date-time (ISO 8601 subset): YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM), or a bare
 * YYYY-MM-DD taken as the start of that day in China time (+08:00). Years 1970-9999.
 * YW_EINVAL when it is anything else or names no real time. */
int o311_parse_datetime(const char *s, int64_t *out);
/* t as YYYY-MM-DDTHH:MM:SS+08:00 (China time); out ≥ 26 bytes. */
void o311_format_datetime(int64_t t, char out[26]);

/* A comma-separated list of service request ids (order numbers, 1-32 letters and digits each),
 * spaces around items ignored: fills ids (pointers into buf, a copy of s) and returns how many,
 * or -1 when an item is malformed or there are more than max. */
int o311_id_list(const char *s, char *buf, size_t bufsz, const char **ids, int max);

/* The reply format named by a path's last segment "NAME.json" / "NAME.xml": stores NAME (≤ 63
 * bytes) and returns 'j' or 'x'; 0 when it is neither. */
char o311_split_format(const char *seg, char name[64]);

/* A GeoReport answer as XML: the array `items` under <root>, each element <item> (an object:
 * its members directly under <root>); nested arrays ("attributes", "values", "endpoints",
 * "formats") have the singular element names of the specification. Strings are escaped
 * (& < > " '), characters XML 1.0 does not allow are dropped, null is an empty element. The
 * caller frees the result. */
char *o311_xml(const char *root, const char *item, json_t *items);

/* ---- the store (hotline_georeport_store.c: a store's name has no digits, tests/lint) ---- */

/* The Open311 client whose api_key this is: its id and name (≥ 101 bytes); YW_EAUTH when the key
 * is unknown or revoked. */
int open311_client_by_key(db_t *db, const char *key, int64_t *id_out, char *name_out);
/* Services: the active leaf matters of the classification, group = the parent's name. */
int open311_services(db_t *db, json_t **out);
/* One service's name and group; YW_ENOTFOUND when code names no active leaf matter. */
int open311_service_get(db_t *db, int64_t code, json_t **out);
/* Service requests. filter: ids (numbers) when n_ids > 0, otherwise created in [from, to), of one
 * matter (0: any), status "open" / "closed" / NULL, newest first, at most limit. */
typedef struct open311_filter {
	const char **ids;
	int n_ids;
	int64_t from, to, matter;
	const char *status;
	int limit;
} open311_filter_t;
int open311_requests(db_t *db, const open311_filter_t *f, json_t **out);

/* ---- routes (hotline_open311_http.c) ---- */
int h_open311_discovery(http_req_t *req);
int h_open311_services(http_req_t *req);
int h_open311_service(http_req_t *req);
int h_open311_requests(http_req_t *req);
int h_open311_requests_post(http_req_t *req);
int h_open311_request(http_req_t *req);
int h_open311_token(http_req_t *req);
/* Every error under /open311/ as a GeoReport error array (http_error_format, registered by the module):
 * [{"code": status, "description": …}] one per field problem, <errors><error> for a .xml path; also
 * what is answered before a handler runs (404 no such path, 405, 413, 429, 503). */
void open311_error_reply(http_req_t *req, int status, const char *message, json_t *details);

/* `yiwang open311 key add NAME | key list | key revoke ID` (main.c): Open311 clients' API keys,
 * each printed once when made. argv[0] is "key". 0, 2 for a usage error, 1 otherwise. */
int open311_cli(db_t *db, int argc, char **argv);

#endif
