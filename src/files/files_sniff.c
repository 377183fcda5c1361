/* Content sniffing for uploads: the type of a file is what its bytes say, never its name or the
 * Content-Type the client sent. PDF (ISO 32000: "%PDF-" header and an "%%EOF" trailer, so a
 * truncated upload is refused), JPEG (SOI marker FF D8 FF), PNG (signature and IHDR chunk), and
 * zip containers (APPNOTE 4.3: end-of-central-directory record, then the central directory) told
 * apart by the part they must hold: OFD.xml for OFD (GB/T 33190, China's layout document format),
 * word/document.xml for DOCX, xl/workbook.xml for XLSX. Every read is bounded by len. */
#include <string.h>

#include "files/files.h"

enum { T_PDF, T_JPEG, T_PNG, T_OFD, T_DOCX, T_XLSX };

static const files_type_t types[] = {
	[T_PDF] = {"application/pdf", "pdf", "PDF 文档"},
	[T_JPEG] = {"image/jpeg", "jpg", "JPEG 图片"},
	[T_PNG] = {"image/png", "png", "PNG 图片"},
	[T_OFD] = {"application/ofd", "ofd", "OFD 版式文档"},
	[T_DOCX] = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word 文档"},
	[T_XLSX] = {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "Excel 表格"},
};

const char *files_ext_of(const char *mime)
{
	for (size_t i = 0; mime && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i].mime, mime) == 0)
			return types[i].ext;
	return NULL;
}

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static size_t rd32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

static bool has_prefix(const unsigned char *d, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(d, magic, n) == 0;
}

/* "%%EOF" within the last 1024 bytes, where writers put the trailer (trailing junk allowed). */
static bool pdf_trailer(const unsigned char *d, size_t len)
{
	if (len < 5)
		return false;
	size_t from = len > 1024 ? len - 1024 : 0;
	for (size_t i = len - 5 + 1; i-- > from;)
		if (memcmp(d + i, "%%EOF", 5) == 0)
			return true;
	return false;
}

/* The end-of-central-directory record: searched backwards over the comment (at most 65535 bytes). */
static bool zip_eocd(const unsigned char *d, size_t len, size_t *cd_off, size_t *cd_end, unsigned *count)
{
	if (len < 22)
		return false;
	size_t stop = len - 22 > 65535 ? len - 22 - 65535 : 0;
	for (size_t i = len - 22;; i--) {
		if (memcmp(d + i, "PK\x05\x06", 4) == 0) {
			*count = rd16(d + i + 10);
			size_t size = rd32(d + i + 12), off = rd32(d + i + 16);
			if (off > i || size > i - off)
				return false;
			*cd_off = off;
			*cd_end = off + size;
			return true;
		}
		if (i == stop)
			return false;
	}
}

/* Which kind of zip container: by the names in its central directory. */
static int zip_kind(const unsigned char *d, size_t len)
{
	size_t p, end;
	unsigned count;
	if (!has_prefix(d, len, "PK\x03\x04", 4) || !zip_eocd(d, len, &p, &end, &count))
		return -1;
	int kind = -1;
	for (unsigned k = 0; k < count && end - p >= 46; k++) {
		if (memcmp(d + p, "PK\x01\x02", 4) != 0)
			return -1;
		size_t nlen = rd16(d + p + 28), rest = nlen + rd16(d + p + 30) + rd16(d + p + 32);
		if (rest > end - p - 46)
			return -1;
		const unsigned char *name = d + p + 46;
		if (nlen == 7 && memcmp(name, "OFD.xml", 7) == 0)
			return T_OFD;
		if (nlen == 17 && memcmp(name, "word/document.xml", 17) == 0)
			kind = T_DOCX;
		if (nlen == 15 && memcmp(name, "xl/workbook.xml", 15) == 0 && kind < 0)
			kind = T_XLSX;
		p += 46 + rest;
	}
	return kind;
}

const files_type_t *files_sniff(const unsigned char *d, size_t len)
{
	if (has_prefix(d, len, "%PDF-", 5) && len > 5 && d[5] >= '1' && d[5] <= '2' && pdf_trailer(d, len))
		return &types[T_PDF];
	if (has_prefix(d, len, "\xFF\xD8\xFF", 3) && len >= 4)
		return &types[T_JPEG];
	if (has_prefix(d, len, "\x89PNG\r\n\x1A\n", 8) && len >= 16 && memcmp(d + 12, "IHDR", 4) == 0)
		return &types[T_PNG];
	int kind = zip_kind(d, len);
	return kind < 0 ? NULL : &types[kind];
}
