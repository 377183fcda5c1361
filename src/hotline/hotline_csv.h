/* The history file of `yiwang hotline import-history FILE.csv`: a former system's closed 12345
 * orders as UTF-8 CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, line breaks inside
 * quotes; a UTF-8 byte-order mark is skipped). The header names the columns in any order:
 * title, text, category, matter, unit, created_at (or their Chinese names 标题, 内容, 类别, 事项,
 * 承办单位, 创建时间); unknown columns are ignored. Only text and one of matter or unit are required.
 *
 * A push parser: the caller feeds bytes in pieces of any size and gets one callback per row, so a
 * 100,000-row file is read with memory bounded by the longest allowed row. Rows are numbered as a
 * spreadsheet shows them: the header is row 1, the first order row 2 (a quoted line break does not
 * start a new row). A row that breaks a rule goes to the error callback with its number, the column
 * and a Chinese reason, and is not passed on; the rest of the file carries on. */
#ifndef YW_HOTLINE_CSV_H
#define YW_HOTLINE_CSV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest accepted field, in bytes of UTF-8 (a Chinese character is 3). */
enum {
	HOTLINE_CSV_TITLE_MAX = 600,     /* 200 Chinese characters */
	HOTLINE_CSV_TEXT_MAX = 30000,    /* 10,000 */
	HOTLINE_CSV_SHORT_MAX = 300,     /* category, matter, unit: 100 */
	HOTLINE_CSV_DATE_MAX = 40,
	HOTLINE_CSV_OTHER_MAX = 30000,   /* an ignored column: read and dropped, but bounded */
	HOTLINE_CSV_COLUMNS_MAX = 64,
};

typedef enum {
	HOTLINE_CSV_TITLE = 0,
	HOTLINE_CSV_TEXT,
	HOTLINE_CSV_CATEGORY,
	HOTLINE_CSV_MATTER,
	HOTLINE_CSV_UNIT,
	HOTLINE_CSV_CREATED_AT,
	HOTLINE_CSV_NCOL,
} hotline_csv_col_t;

/* One accepted row. Every string is NUL-terminated valid UTF-8 with no NUL inside, valid only
 * during the callback; an absent or empty column is "" (title, category, matter, unit, created_at
 * are trimmed of surrounding white space; text keeps its inner line breaks but is trimmed too). */
typedef struct {
	size_t row;
	const char *col[HOTLINE_CSV_NCOL];
	size_t len[HOTLINE_CSV_NCOL];
	int64_t created_at; /* Unix seconds; 0 when the column is absent or empty */
} hotline_csv_row_t;

/* Return 0 to go on, anything else to stop the parse (hotline_csv_feed returns it). */
typedef int (*hotline_csv_row_fn)(void *ctx, const hotline_csv_row_t *row);
/* row 1 is the header (then column may be NULL and the parse stops with YW_EINVAL); column is the
 * English column name. */
typedef void (*hotline_csv_error_fn)(void *ctx, size_t row, const char *column, const char *reason);

typedef struct hotline_csv hotline_csv_t;

/* A new parser; free with hotline_csv_free. on_error may be NULL. */
hotline_csv_t *hotline_csv_new(hotline_csv_row_fn on_row, hotline_csv_error_fn on_error, void *ctx);
void hotline_csv_free(hotline_csv_t *p);
/* Feeds the next len bytes. 0, YW_EINVAL after a header that cannot be used (reported to on_error
 * with row 1; every later call returns it too), or what on_row returned to stop. */
int hotline_csv_feed(hotline_csv_t *p, const char *buf, size_t len);
/* Ends the input: the last row without a final line break is handled (an open quote at the end is
 * that row's error). Returns as hotline_csv_feed; YW_EINVAL too when there was no header at all. */
int hotline_csv_finish(hotline_csv_t *p);

typedef struct {
	size_t rows;     /* order rows read (not the header, not blank lines) */
	size_t accepted; /* passed to on_row */
	size_t rejected; /* passed to on_error */
} hotline_csv_stats_t;
void hotline_csv_stats(const hotline_csv_t *p, hotline_csv_stats_t *out);

/* "2024-03-05", "2024-03-05 14:30", "2024-03-05 14:30:15", with '/' or '.' for '-', 'T' for the
 * space, an optional fraction of a second and an optional zone (Z, +08:00, +0800); without a zone
 * the time is China's (UTC+8). Years 1990-2100. 0 and *out, or YW_EINVAL. */
int hotline_csv_parse_time(const char *s, size_t len, int64_t *out);

#endif
