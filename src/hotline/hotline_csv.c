/* The history CSV of `yiwang hotline import-history` (RFC 4180, as spreadsheets write it): a push
 * parser with one buffer per column, bounded by the column's limit, so memory does not grow with
 * the file. Lenient where spreadsheets are (a quote inside an unquoted field, text after a closing
 * quote, a lone CR as a line end), strict where the data would be wrong (bad UTF-8, an over-long
 * field, a quote never closed). */
#include "hotline/hotline_csv.h"

#include <stdlib.h>
#include <string.h>

#include "platform/date.h"
#include "platform/err.h"
#include "platform/http.h"

static const char *const col_names[HOTLINE_CSV_NCOL] = {"title", "text", "category", "matter", "unit", "created_at"};
static const char *const col_names_zh[HOTLINE_CSV_NCOL] = {"标题", "内容", "类别",
							     "事项", "承办单位", "创建时间"};
static const char *const col_labels[HOTLINE_CSV_NCOL] = {"标题", "诉求内容", "类别",
							   "事项", "承办单位", "创建时间"};
static const size_t col_max[HOTLINE_CSV_NCOL] = {HOTLINE_CSV_TITLE_MAX, HOTLINE_CSV_TEXT_MAX,  HOTLINE_CSV_SHORT_MAX,
						 HOTLINE_CSV_SHORT_MAX, HOTLINE_CSV_SHORT_MAX, HOTLINE_CSV_DATE_MAX};
enum { HEADER_FIELD_MAX = 200 };

typedef struct {
	char *buf;
	size_t len, cap;
	bool over; /* more bytes came than the column allows; they were dropped */
} field_t;

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

struct hotline_csv {
	hotline_csv_row_fn on_row;
	hotline_csv_error_fn on_error;
	void *ctx;
	/* the byte-order mark check at the very start */
	unsigned char head[3];
	size_t nhead;
	bool started;
	/* the row being read */
	enum state st;
	bool skip_lf;   /* a CR just ended a row: an LF right after belongs to it */
	bool quoted;    /* the row had a quoted field (so it is not blank) */
	size_t fi;      /* index of the field being read */
	bool extra;     /* a non-empty field past the header's last column */
	field_t f[HOTLINE_CSV_COLUMNS_MAX];
	size_t row;     /* number of the row being read (header = 1) */
	/* the header */
	bool have_header;
	size_t ncols;
	int map[HOTLINE_CSV_COLUMNS_MAX]; /* position → hotline_csv_col_t, or -1 */
	int failed;     /* a fatal status, returned from then on */
	hotline_csv_stats_t stats;
};

hotline_csv_t *hotline_csv_new(hotline_csv_row_fn on_row, hotline_csv_error_fn on_error, void *ctx)
{
	hotline_csv_t *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->on_row = on_row;
	p->on_error = on_error;
	p->ctx = ctx;
	p->row = 1;
	return p;
}

void hotline_csv_free(hotline_csv_t *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < HOTLINE_CSV_COLUMNS_MAX; i++)
		free(p->f[i].buf);
	free(p);
}

void hotline_csv_stats(const hotline_csv_t *p, hotline_csv_stats_t *out)
{
	*out = p->stats;
}

static size_t field_limit(const hotline_csv_t *p, size_t i)
{
	if (!p->have_header)
		return HEADER_FIELD_MAX;
	if (i >= p->ncols)
		return 0;
	return p->map[i] < 0 ? HOTLINE_CSV_OTHER_MAX : col_max[p->map[i]];
}

static void put(hotline_csv_t *p, unsigned char c)
{
	if (p->fi >= HOTLINE_CSV_COLUMNS_MAX || (p->have_header && p->fi >= p->ncols)) {
		p->extra = true;
		return;
	}
	field_t *f = &p->f[p->fi];
	if (f->len >= field_limit(p, p->fi)) {
		f->over = true;
		return;
	}
	if (f->len + 1 >= f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->buf = realloc(f->buf, f->cap);
		if (!f->buf)
			abort();
	}
	f->buf[f->len++] = (char)c;
}

static void error(hotline_csv_t *p, int col, const char *reason)
{
	if (p->have_header)
		p->stats.rejected++;
	if (p->on_error)
		p->on_error(p->ctx, p->row, col >= 0 ? col_names[col] : NULL, reason);
}

/* Trims ASCII white space and U+3000 (the ideographic space) from both ends. */
static void trim(const char **s, size_t *len)
{
	const char *a = *s, *b = *s + *len;
	for (;;) {
		if (a < b && (*a == ' ' || *a == '\t' || *a == '\r' || *a == '\n'))
			a++;
		else if (b - a >= 3 && memcmp(a, "\xE3\x80\x80", 3) == 0)
			a += 3;
		else
			break;
	}
	for (;;) {
		if (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r' || b[-1] == '\n'))
			b--;
		else if (b - a >= 3 && memcmp(b - 3, "\xE3\x80\x80", 3) == 0)
			b -= 3;
		else
			break;
	}
	*s = a;
	*len = (size_t)(b - a);
}

/* CRLF inside a quoted field becomes LF, in place. */
static void crlf_to_lf(field_t *f)
{
	size_t o = 0;
	for (size_t i = 0; i < f->len; i++)
		if (!(f->buf[i] == '\r' && i + 1 < f->len && f->buf[i + 1] == '\n'))
			f->buf[o++] = f->buf[i];
	f->len = o;
}

/* A header the import cannot use: reported as row 1, and the parse stops. */
static int header_error(hotline_csv_t *p, const char *column, const char *reason)
{
	if (p->on_error)
		p->on_error(p->ctx, 1, column, reason);
	return p->failed = YW_EINVAL;
}

static bool ascii_ieq(const char *a, size_t n, const char *b)
{
	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char x = a[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x | 0x20);
		if (x != b[i])
			return false;
	}
	return true;
}

static int header_done(hotline_csv_t *p, size_t nfields)
{
	static const char want[] = "表头须有 text(内容)列，以及 matter(事项)或 unit(承办单位)列";
	p->have_header = true;
	p->ncols = nfields;
	bool seen[HOTLINE_CSV_NCOL] = {0};
	for (size_t i = 0; i < nfields; i++) {
		field_t *f = &p->f[i];
		p->map[i] = -1;
		if (f->over) {
			return header_error(p, NULL, "表头的列名过长");
		}
		if (!utf8_valid(f->buf ? f->buf : "", f->len)) {
			return header_error(p, NULL, "表头不是有效的UTF-8编码，"
						       "请以UTF-8保存文件");
		}
		const char *s = f->buf ? f->buf : "";
		size_t n = f->len;
		trim(&s, &n);
		for (int c = 0; c < HOTLINE_CSV_NCOL; c++) {
			bool zh = n == strlen(col_names_zh[c]) && memcmp(s, col_names_zh[c], n) == 0;
			if (!zh && !ascii_ieq(s, n, col_names[c]))
				continue;
			if (seen[c]) {
				return header_error(p, col_names[c], "表头中该列重复");
			}
			seen[c] = true;
			p->map[i] = c;
		}
	}
	if (!seen[HOTLINE_CSV_TEXT] || (!seen[HOTLINE_CSV_MATTER] && !seen[HOTLINE_CSV_UNIT])) {
		return header_error(p, NULL, want);
	}
	return 0;
}

static int row_done(hotline_csv_t *p)
{
	size_t nfields = p->fi + 1;
	int rc = 0;
	bool blank = p->fi == 0 && p->f[0].len == 0 && !p->f[0].over && !p->quoted && !p->extra;
	if (blank)
		goto next;
	if (!p->have_header) {
		if (nfields > HOTLINE_CSV_COLUMNS_MAX || p->extra) {
			rc = header_error(p, NULL, "表头的列数过多");
		} else
			rc = header_done(p, nfields);
		goto next;
	}
	p->stats.rows++;
	hotline_csv_row_t r = {.row = p->row};
	for (int c = 0; c < HOTLINE_CSV_NCOL; c++)
		r.col[c] = "";
	if (p->extra) {
		error(p, -1, "该行的字段数多于表头的列数（含逗号的内容须加英文双引号）");
		goto next;
	}
	for (size_t i = 0; i < p->ncols && i < nfields; i++) {
		int c = p->map[i];
		field_t *f = &p->f[i];
		if (c < 0)
			continue;
		char reason[160];
		if (f->over) {
			snprintf(reason, sizeof reason, "%s过长（不超过%zu字节）", col_labels[c], col_max[c]);
			error(p, c, reason);
			goto next;
		}
		if (!utf8_valid(f->buf ? f->buf : "", f->len)) {
			snprintf(reason, sizeof reason, "%s不是有效的UTF-8编码"
							"（或含有空字符）", col_labels[c]);
			error(p, c, reason);
			goto next;
		}
		crlf_to_lf(f);
		const char *s = f->buf ? f->buf : "";
		size_t n = f->len;
		trim(&s, &n);
		if (f->buf)
			f->buf[(size_t)(s - f->buf) + n] = 0; /* put always leaves room for it */
		r.col[c] = s;
		r.len[c] = n;
	}
	if (r.len[HOTLINE_CSV_TEXT] == 0) {
		error(p, HOTLINE_CSV_TEXT, "缺少诉求内容");
		goto next;
	}
	if (r.len[HOTLINE_CSV_MATTER] == 0 && r.len[HOTLINE_CSV_UNIT] == 0) {
		error(p, HOTLINE_CSV_MATTER, "事项和承办单位至少须填一项");
		goto next;
	}
	if (r.len[HOTLINE_CSV_CREATED_AT] &&
	    hotline_csv_parse_time(r.col[HOTLINE_CSV_CREATED_AT], r.len[HOTLINE_CSV_CREATED_AT], &r.created_at) != 0) {
		error(p, HOTLINE_CSV_CREATED_AT,
		      "创建时间无法识别，应为“2024-03-05 14:30:00”的格式，年份在1990至2100之间");
		goto next;
	}
	p->stats.accepted++;
	if (p->on_row)
		rc = p->on_row(p->ctx, &r);
next:
	for (size_t i = 0; i < HOTLINE_CSV_COLUMNS_MAX; i++) {
		p->f[i].len = 0;
		p->f[i].over = false;
	}
	p->fi = 0;
	p->extra = false;
	p->quoted = false;
	p->st = FIELD_START;
	p->row++;
	return rc;
}

static void field_done(hotline_csv_t *p)
{
	p->fi++;
	p->st = FIELD_START;
}

static int byte(hotline_csv_t *p, unsigned char c)
{
	if (p->skip_lf) {
		p->skip_lf = false;
		if (c == '\n')
			return 0;
	}
	switch (p->st) {
	case QUOTED:
		if (c == '"')
			p->st = QUOTE_IN_QUOTED;
		else
			put(p, c);
		return 0;
	case QUOTE_IN_QUOTED:
		if (c == '"') {
			put(p, c);
			p->st = QUOTED;
			return 0;
		}
		break;
	case FIELD_START:
		if (c == '"') {
			p->st = QUOTED;
			p->quoted = true;
			return 0;
		}
		break;
	case UNQUOTED:
		break;
	}
	if (c == ',') {
		field_done(p);
		return 0;
	}
	if (c == '\n' || c == '\r') {
		p->skip_lf = c == '\r';
		return row_done(p);
	}
	put(p, c);
	p->st = UNQUOTED;
	return 0;
}

static int feed_bytes(hotline_csv_t *p, const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int rc = byte(p, s[i]);
		if (rc)
			return rc;
		if (p->failed)
			return p->failed;
	}
	return 0;
}

int hotline_csv_feed(hotline_csv_t *p, const char *buf, size_t len)
{
	static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
	if (p->failed)
		return p->failed;
	const unsigned char *s = (const unsigned char *)buf;
	while (!p->started && len > 0) {
		p->head[p->nhead++] = *s++;
		len--;
		if (p->head[p->nhead - 1] != bom[p->nhead - 1]) {
			p->started = true;
			int rc = feed_bytes(p, p->head, p->nhead);
			if (rc)
				return rc;
		} else if (p->nhead == 3)
			p->started = true; /* a byte-order mark: dropped */
	}
	return feed_bytes(p, s, len);
}

int hotline_csv_finish(hotline_csv_t *p)
{
	if (p->failed)
		return p->failed;
	if (!p->started) {
		p->started = true;
		int rc = feed_bytes(p, p->head, p->nhead);
		if (rc)
			return rc;
	}
	if (p->st == QUOTED) {
		if (!p->have_header) {
			return header_error(p, NULL, "表头的引号未闭合");
		}
		p->stats.rows++;
		error(p, -1, "引号未闭合：该行从此处到文件末尾都在一对英文双引号之内");
		return 0;
	}
	if (p->fi > 0 || p->f[0].len > 0 || p->f[0].over || p->quoted || p->extra) {
		int rc = row_done(p);
		if (rc)
			return rc;
	}
	if (!p->have_header) {
		return header_error(p, NULL, "文件为空，缺少表头");
	}
	return 0;
}

/* Reads 1..maxd digits at *i; -1 if there is none. */
static int digits(const char *s, size_t len, size_t *i, int mind, int maxd)
{
	int v = 0, n = 0;
	while (*i < len && n < maxd && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		n++;
	}
	return n >= mind ? v : -1;
}

int hotline_csv_parse_time(const char *s, size_t len, int64_t *out)
{
	size_t i = 0;
	int y = digits(s, len, &i, 4, 4);
	if (y < 1990 || y > 2100 || i >= len || (s[i] != '-' && s[i] != '/' && s[i] != '.'))
		return YW_EINVAL;
	char sep = s[i++];
	int m = digits(s, len, &i, 1, 2);
	if (m < 1 || m > 12 || i >= len || s[i] != sep)
		return YW_EINVAL;
	i++;
	int d = digits(s, len, &i, 1, 2);
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (d < 1 || d > mdays[m - 1])
		return YW_EINVAL;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return YW_EINVAL;
	int hh = 0, mi = 0, ss = 0;
	int64_t offset = 8 * 3600; /* China, when no zone is written */
	if (i < len && (s[i] == ' ' || s[i] == 'T')) {
		i++;
		hh = digits(s, len, &i, 1, 2);
		if (hh < 0 || hh > 23 || i >= len || s[i] != ':')
			return YW_EINVAL;
		i++;
		mi = digits(s, len, &i, 2, 2);
		if (mi < 0 || mi > 59)
			return YW_EINVAL;
		if (i < len && s[i] == ':') {
			i++;
			ss = digits(s, len, &i, 2, 2);
			if (ss < 0 || ss > 60)
				return YW_EINVAL;
			if (ss == 60)
				ss = 59;
			if (i < len && s[i] == '.') {
				i++;
				if (digits(s, len, &i, 1, 9) < 0)
					return YW_EINVAL;
			}
		}
		if (i < len && s[i] == 'Z') {
			offset = 0;
			i++;
		} else if (i < len && (s[i] == '+' || s[i] == '-')) {
			int sign = s[i++] == '-' ? -1 : 1;
			int oh = digits(s, len, &i, 2, 2), om = 0;
			if (oh < 0 || oh > 14)
				return YW_EINVAL;
			if (i < len && s[i] == ':')
				i++;
			if (i < len) {
				om = digits(s, len, &i, 2, 2);
				if (om < 0 || om > 59)
					return YW_EINVAL;
			}
			offset = sign * (oh * 3600 + om * 60);
		}
	}
	if (i != len)
		return YW_EINVAL;
	*out = (int64_t)date_from_ymd(y, m, d) * 86400 + hh * 3600 + mi * 60 + ss - offset;
	return 0;
}
