/* Tests of the upload content sniffer (files/files_sniff.c) and the content-addressed blob store
 * (files/files_store.c): a table of real and near-miss files, zip containers built here byte by
 * byte, and storing the same content twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "files/files.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* a string literal and its length, embedded NULs included */
#define S(lit) lit, sizeof(lit) - 1

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, size_t v)
{
	put16(p, (unsigned)(v & 0xffff));
	put16(p + 2, (unsigned)(v >> 16));
}

/* A stored zip with empty parts of the given names (CRCs are not checked by the sniffer). */
static size_t make_zip(unsigned char *out, const char *const *names, int n)
{
	size_t len = 0, offsets[8];
	for (int i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		offsets[i] = len;
		memset(out + len, 0, 30);
		memcpy(out + len, "PK\x03\x04", 4);
		put16(out + len + 26, (unsigned)nl);
		memcpy(out + len + 30, names[i], nl);
		len += 30 + nl;
	}
	size_t cd = len;
	for (int i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		memset(out + len, 0, 46);
		memcpy(out + len, "PK\x01\x02", 4);
		put16(out + len + 28, (unsigned)nl);
		put32(out + len + 42, offsets[i]);
		memcpy(out + len + 46, names[i], nl);
		len += 46 + nl;
	}
	memset(out + len, 0, 22);
	memcpy(out + len, "PK\x05\x06", 4);
	put16(out + len + 8, (unsigned)n);
	put16(out + len + 10, (unsigned)n);
	put32(out + len + 12, len - cd);
	put32(out + len + 16, cd);
	return len + 22;
}

static const char *sniff_ext(const void *data, size_t len)
{
	const files_type_t *t = files_sniff(data, len);
	return t ? t->ext : "-";
}

static void test_sniff_table(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;
		size_t len;
		const char *want;
	} cases[] = {
		{S("%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "pdf"},
		{S("%PDF-2.0\n%%EOF"), "pdf"},
		{S("%PDF-1.4\n1 0 obj<<>>endobj\n"), "-"}, /* truncated: no trailer */
		{S("%PDF-x.4\n%%EOF"), "-"},
		{S("  %PDF-1.4\n%%EOF"), "-"},
		{S("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "jpg"},
		{S("\xFF\xD8\xFF"), "-"},
		{S("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR"), "png"},
		{S("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIDAT"), "-"},
		{S("GIF89a"), "-"},
		{S("<html><script>alert(1)</script>"), "-"},
		{S(""), "-"},
	};
	for (size_t i = 0; i < COUNT(cases); i++) {
		const char *got = sniff_ext(cases[i].bytes, cases[i].len);
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("case %zu: got %s, want %s", i, got, cases[i].want);
	}
}

static void test_sniff_zip_containers(void **state)
{
	(void)state;
	unsigned char z[2048];
	const char *ofd[] = {"Doc_0/Document.xml", "OFD.xml"};
	const char *docx[] = {"[Content_Types].xml", "word/document.xml"};
	const char *xlsx[] = {"[Content_Types].xml", "xl/workbook.xml"};
	const char *plain[] = {"readme.txt"};
	const char *nested[] = {"x/OFD.xml"};
	size_t n = make_zip(z, ofd, 2);
	assert_string_equal(sniff_ext(z, n), "ofd");
	assert_string_equal(files_sniff(z, n)->mime, "application/ofd");
	n = make_zip(z, docx, 2);
	assert_string_equal(sniff_ext(z, n), "docx");
	n = make_zip(z, xlsx, 2);
	assert_string_equal(sniff_ext(z, n), "xlsx");
	n = make_zip(z, plain, 1);
	assert_string_equal(sniff_ext(z, n), "-");
	n = make_zip(z, nested, 1);
	assert_string_equal(sniff_ext(z, n), "-");
	/* every truncation of a valid container is refused (the directory sits at the end) */
	n = make_zip(z, ofd, 2);
	for (size_t cut = 0; cut < n; cut++)
		if (strcmp(sniff_ext(z, cut), "-") != 0)
			fail_msg("truncated to %zu bytes still sniffed as %s", cut, sniff_ext(z, cut));
	/* a directory offset pointing past the record is refused, not followed */
	put32(z + n - 6, n * 4);
	assert_string_equal(sniff_ext(z, n), "-");
}

static void test_blob_store_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/yiwang-blobs-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[64];
	snprintf(sub, sizeof sub, "%s/store", dir); /* created on first use */
	const unsigned char data[] = "%PDF-1.4\n%%EOF";
	char a[65], b[65];
	assert_int_equal(files_store_blob(sub, data, sizeof data - 1, a), 0);
	assert_int_equal(files_store_blob(sub, data, sizeof data - 1, b), 0);
	assert_string_equal(a, b);
	assert_int_equal(strlen(a), 64);
	char *path = files_blob_path(sub, a);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, (off_t)(sizeof data - 1));
	FILE *f = fopen(path, "rb");
	unsigned char back[32] = {0};
	assert_int_equal(fread(back, 1, sizeof back, f), sizeof data - 1);
	fclose(f);
	assert_memory_equal(back, data, sizeof data - 1);
	/* named by the content's SHA-256 (sha256sum), split ab/cdef... */
	assert_string_equal(a, "4f1949e95440af0ece666ebd5f399c1d77d22de639950784d349fa5feb47dca5");
	char want[128];
	snprintf(want, sizeof want, "%s/4f/1949e95440af0ece666ebd5f399c1d77d22de639950784d349fa5feb47dca5", sub);
	assert_string_equal(path, want);
	unlink(path);
	free(path);
}

/* Ages a file by two hours. */
static void age(const char *path)
{
	struct timespec t[2] = {{.tv_sec = time(NULL) - 7200}, {.tv_sec = time(NULL) - 7200}};
	assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The sweep removes old blobs no files row refers to and old temporary files; it keeps
 * referenced blobs, young ones (an upload about to commit), and one an upload just reused. */
static void test_sweep(void **state)
{
	(void)state;
	char dir[] = "/tmp/yiwang-sweep-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char dbpath[128], store[128];
	snprintf(dbpath, sizeof dbpath, "%s/t.db", dir);
	snprintf(store, sizeof store, "%s/files", dir);
	db_t *db;
	assert_int_equal(db_open(dbpath, &db), 0);
	const unsigned char kept[] = "%PDF-1.4 kept\n%%EOF", orphan[] = "%PDF-1.4 orphan\n%%EOF",
			    young[] = "%PDF-1.4 young\n%%EOF", reused[] = "%PDF-1.4 reused\n%%EOF";
	char k[65], o[65], y[65], r[65];
	assert_int_equal(files_store_blob(store, kept, sizeof kept - 1, k), 0);
	assert_int_equal(files_store_blob(store, orphan, sizeof orphan - 1, o), 0);
	assert_int_equal(files_store_blob(store, young, sizeof young - 1, y), 0);
	assert_int_equal(files_store_blob(store, reused, sizeof reused - 1, r), 0);
	char sql[256];
	snprintf(sql, sizeof sql, "INSERT INTO files(sha256, size, mime, created_at) VALUES ('%s', 1, 'application/pdf', 0)", k);
	assert_int_equal(db_exec(db, sql), 0);
	char *pk = files_blob_path(store, k), *po = files_blob_path(store, o), *py = files_blob_path(store, y),
	     *pr = files_blob_path(store, r);
	char tmp[160];
	snprintf(tmp, sizeof tmp, "%s/%.2s/.tmp-abc123", store, k);
	FILE *f = fopen(tmp, "w");
	fclose(f);
	age(pk);
	age(po);
	age(pr);
	age(tmp);
	/* an upload of the same content reuses the old blob: it is new again */
	assert_int_equal(files_store_blob(store, reused, sizeof reused - 1, r), 0);
	int removed = -1;
	assert_int_equal(files_sweep_dir(db, store, (int64_t)time(NULL), &removed), 0);
	assert_int_equal(removed, 2);
	assert_true(exists(pk));
	assert_false(exists(po));
	assert_true(exists(py));
	assert_true(exists(pr));
	assert_false(exists(tmp));
	free(pk);
	free(po);
	free(py);
	free(pr);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_table),
		cmocka_unit_test(test_sniff_zip_containers),
		cmocka_unit_test(test_blob_store_once),
		cmocka_unit_test(test_sweep),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
