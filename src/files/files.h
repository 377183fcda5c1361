/* Uploaded files and applicant profiles. Files are type-checked by their content (magic bytes,
 * never the name or Content-Type), stored once by SHA-256 under files_dir/ab/cdef..., and owned
 * through upload rows by whoever uploaded them; attached to a case they are visible to everyone
 * who may see the case (cases_check_visible). Profiles hold what an applicant typed once, offered
 * again on the next form (一次输入、终生受用). */
#ifndef YW_FILES_H
#define YW_FILES_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "platform/auth.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/jsonv.h"

/* The path of the upload route; the HTTP layer lets its body reach max_upload and streams it to
 * a temporary file in files_dir (http_req_t.upload_fd), never into memory. */
#define FILES_UPLOAD_PATH "/api/v1/files"

/* The accepted types. */
typedef struct files_type {
	const char *mime;
	const char *ext;   /* "pdf" */
	const char *label; /* "PDF 文档" */
} files_type_t;

/* The type of data[0..len) judged by its content: PDF, JPEG, PNG, and zip containers holding
 * OFD (OFD.xml, GB/T 33190), DOCX (word/document.xml) or XLSX (xl/workbook.xml). NULL for
 * anything else. Reads only inside the buffer, whatever it holds (fuzzed: tests/fuzz/fuzz_sniff.c). */
const files_type_t *files_sniff(const unsigned char *data, size_t len);
/* The extension ("pdf", "jpg", ...) of an accepted type by its MIME type, or NULL. */
const char *files_ext_of(const char *mime);

/* Stores data (already sniffed as type) under its SHA-256 in dir: written to a temporary file,
 * fsynced and renamed, so a reader never sees half a file; content already there is kept.
 * sha_hex receives the 64 hex digits. */
int files_store_blob(const char *dir, const unsigned char *data, size_t len, char sha_hex[65]);
/* Stores an upload the HTTP layer streamed to the temporary file tmp (open as fd, len bytes,
 * SHA-256 sha_hex, in dir so that a rename moves it): fsynced and renamed under its hash, or
 * removed when the same content is stored already. On return tmp no longer exists, whatever
 * the status. */
int files_store_file(const char *dir, const char *tmp, int fd, size_t len, const char *sha_hex);
/* The path of the blob sha_hex under dir; the caller frees it. */
char *files_blob_path(const char *dir, const char *sha_hex);

/* Stored content no files row refers to (an upload whose transaction failed after its blob was
 * written) and temporary files a crash left behind (".tmp-*" in the store's folders, ".upload-*"
 * in dir itself) are removed once they are older than
 * FILES_SWEEP_AGE seconds; a blob an upload reuses is touched first, so it is never removed under
 * it. files_sweep_dir sweeps dir and counts what it removed; files_sweep is the background job
 * (ticker.h), which sweeps config's files_dir once a day. */
#define FILES_SWEEP_AGE 3600
int files_sweep_dir(db_t *db, const char *dir, int64_t now, int *removed);
int files_sweep(db_t *db, int64_t now);

/* The files row of content stored with files_store_file / files_store_blob (sha_hex, size, mime),
 * made when the content is new (audited for actor, NULL: the public), without an upload row: for
 * a module that keeps its own reference to the content (a citizen's photo on a hotline order).
 * Inside the caller's transaction. */
int files_content_record(db_t *db, const auth_user_t *actor, const char *sha_hex, size_t size, const char *mime);
/* A new upload row for actor (and the files row when the content is new), audited.
 * *out: {id, sha256, size, mime, name}. */
int files_upload_create(db_t *db, const auth_user_t *actor, const char *sha_hex, size_t size, const char *mime,
			const char *name, json_t **out);
/* Attaches actor's upload to case case_id as material (a name the case's guide lists). */
int files_attach(db_t *db, const auth_user_t *actor, int64_t case_id, json_t *body, vctx_t *v);
/* The files attached to a case the actor may see: {items:[...]}. */
int files_case_list(db_t *db, const auth_user_t *actor, int64_t case_id, json_t **out);
/* An upload the actor may read (uploader, or someone who may see its case): sha, mime, name. */
int files_lookup(db_t *db, const auth_user_t *actor, int64_t id, char sha_hex[65], char mime[128], char name[256]);

/* Profiles: the stored object ({} when none), and replacement after validation. */
int files_profile_get(db_t *db, const auth_user_t *actor, json_t **out);
int files_profile_put(db_t *db, const auth_user_t *actor, json_t *in, vctx_t *v, json_t **out);
/* Checks one applicant detail (a profile field: name, phone, email, address, postcode,
 * company_name, legal_person, company_contact, company_phone) as the profile and the
 * application form take it; problems go into v under key. YW_ENOTFOUND when key is not one. */
int files_profile_value_check(vctx_t *v, const char *key, json_t *val);

/* For a module that serves files of its own (its own scope check first): the stored content sha as
 * the response, its type mime, named name (Content-Disposition inline for PDF and images, RFC 6266 /
 * 5987), not cached. 0, or a failing status with its reason. */
int files_reply(http_req_t *req, const char *sha, const char *mime, const char *name);
/* The file name of an upload from ?name=: its last path component, 1-max_chars characters, no
 * control characters; NULL otherwise. */
const char *files_upload_name(http_req_t *req, size_t max_chars);

/* Route handlers (platform/routes.c). */
int h_file_upload(http_req_t *req);
int h_file_get(http_req_t *req);
int h_case_files_attach(http_req_t *req);
int h_case_files_list(http_req_t *req);
int h_profile_get(http_req_t *req);
int h_profile_put(http_req_t *req);

/* Registers the module's routes and background jobs (X_module.c); called once by main(). */
void files_module_register(void);

#endif
