/* The annual report's tables 二, 三 and 四 as an XLSX file (libxlsxwriter), laid out as the template of
 * 国办公开办函〔2021〕30号 prints them, merged header cells included, from a report as
 * disclosure_report_build made it (or as the officer edited it). docs/domain.md, "The annual report". */
#include <stdbool.h>
#include <string.h>
#include <xlsxwriter.h>

#include "disclosure/disclosure_report.h"
#include "platform/err.h"

typedef struct fmts {
	lxw_format *title, *head, *label, *num, *real;
} fmts_t;

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double num(const json_t *values, const char *key)
{
	const json_t *v = json_object_get(values, key);
	return json_is_number(v) ? json_number_value(v) : 0;
}

/* A merged range holding a number: the range is merged blank, then the number written to its first cell. */
static void merge_number(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, double v,
			 lxw_format *f)
{
	if (r1 != r2 || c1 != c2)
		worksheet_merge_range(ws, r1, c1, r2, c2, "", f);
	worksheet_write_number(ws, r1, c1, v, f);
}

static void merge_text(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2, const char *s,
		       lxw_format *f)
{
	if (r1 != r2 || c1 != c2)
		worksheet_merge_range(ws, r1, c1, r2, c2, s, f);
	else
		worksheet_write_string(ws, r1, c1, s, f);
}

static void sheet2(lxw_workbook *wb, const fmts_t *f, const json_t *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "表二 主动公开");
	worksheet_set_column(ws, 0, 0, 24, NULL);
	worksheet_set_column(ws, 1, 3, 16, NULL);
	merge_text(ws, 0, 0, 0, 3, "二、主动公开政府信息情况", f->title);
	lxw_row_t r = 1;
	size_t i;
	const json_t *s;
	json_array_foreach(json_object_get(t, "sections"), i, s) {
		const json_t *cols = json_object_get(s, "columns");
		const size_t nc = json_array_size(cols);
		merge_text(ws, r, 0, r, 3, str(s, "label"), f->head);
		r++;
		worksheet_write_string(ws, r, 0, "信息内容", f->head);
		for (size_t c = 0; c < nc; c++)
			merge_text(ws, r, (lxw_col_t)(1 + c), r, nc == 1 ? 3 : (lxw_col_t)(1 + c),
				   str(json_array_get(cols, c), "label"), f->head);
		r++;
		size_t j;
		const json_t *row;
		json_array_foreach(json_object_get(s, "rows"), j, row) {
			worksheet_write_string(ws, r, 0, str(row, "label"), f->label);
			const json_t *v = json_object_get(row, "values");
			for (size_t c = 0; c < nc; c++) {
				const char *k = str(json_array_get(cols, c), "key");
				const json_t *x = json_object_get(v, k);
				merge_number(ws, r, (lxw_col_t)(1 + c), r, nc == 1 ? 3 : (lxw_col_t)(1 + c), num(v, k),
					     json_is_real(x) ? f->real : f->num);
			}
			r++;
		}
	}
}

static void values_row(lxw_worksheet *ws, const fmts_t *f, lxw_row_t r, const json_t *cols, const json_t *row)
{
	const json_t *v = json_object_get(row, "values");
	for (size_t c = 0; c < json_array_size(cols); c++)
		worksheet_write_number(ws, r, (lxw_col_t)(3 + c), num(v, str(json_array_get(cols, c), "key")), f->num);
}

static size_t leaf_rows(const json_t *row)
{
	const json_t *sub = json_object_get(row, "rows");
	if (!sub)
		return 1;
	size_t n = 0, i;
	const json_t *s;
	json_array_foreach(sub, i, s) {
		n += leaf_rows(s);
	}
	return n;
}

static void sheet3(lxw_workbook *wb, const fmts_t *f, const json_t *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "表三 依申请公开");
	const json_t *cols = json_object_get(t, "columns");
	const lxw_col_t last = (lxw_col_t)(2 + json_array_size(cols));
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, 2, 40, NULL);
	worksheet_set_column(ws, 3, last, 11, NULL);
	merge_text(ws, 0, 0, 0, last, "三、收到和处理政府信息公开申请情况", f->title);
	char note[256];
	snprintf(note, sizeof note, "（%s）", str(t, "note"));
	merge_text(ws, 1, 0, 3, 2, note, f->head);
	merge_text(ws, 1, 3, 1, last, "申请人情况", f->head);
	/* The applicant columns: a column with a "group" sits under that group's heading on row 2. */
	for (size_t c = 0; c < json_array_size(cols);) {
		const json_t *col = json_array_get(cols, c);
		const char *group = json_string_value(json_object_get(col, "group"));
		if (!group) {
			merge_text(ws, 2, (lxw_col_t)(3 + c), 3, (lxw_col_t)(3 + c), str(col, "label"), f->head);
			c++;
			continue;
		}
		size_t e = c;
		while (e + 1 < json_array_size(cols) &&
		       json_string_value(json_object_get(json_array_get(cols, e + 1), "group")) &&
		       strcmp(json_string_value(json_object_get(json_array_get(cols, e + 1), "group")), group) == 0)
			e++;
		merge_text(ws, 2, (lxw_col_t)(3 + c), 2, (lxw_col_t)(3 + e), group, f->head);
		for (size_t k = c; k <= e; k++)
			worksheet_write_string(ws, 3, (lxw_col_t)(3 + k), str(json_array_get(cols, k), "label"), f->head);
		c = e + 1;
	}
	lxw_row_t r = 4;
	char label[512];
	size_t i;
	const json_t *row;
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		snprintf(label, sizeof label, "%s、%s", str(row, "no"), str(row, "label"));
		const json_t *sub = json_object_get(row, "rows");
		if (!sub) {
			merge_text(ws, r, 0, r, 2, label, f->label);
			values_row(ws, f, r, cols, row);
			r++;
			continue;
		}
		merge_text(ws, r, 0, (lxw_row_t)(r + leaf_rows(row) - 1), 0, label, f->label);
		size_t j;
		const json_t *g;
		json_array_foreach(sub, j, g) {
			snprintf(label, sizeof label, "%s%s", str(g, "no"), str(g, "label"));
			const json_t *leaves = json_object_get(g, "rows");
			if (!leaves) {
				merge_text(ws, r, 1, r, 2, label, f->label);
				values_row(ws, f, r, cols, g);
				r++;
				continue;
			}
			merge_text(ws, r, 1, (lxw_row_t)(r + json_array_size(leaves) - 1), 1, label, f->label);
			size_t k;
			const json_t *leaf;
			json_array_foreach(leaves, k, leaf) {
				snprintf(label, sizeof label, "%s.%s", str(leaf, "no"), str(leaf, "label"));
				worksheet_write_string(ws, r, 2, label, f->label);
				values_row(ws, f, r, cols, leaf);
				r++;
			}
		}
	}
}

static void sheet4(lxw_workbook *wb, const fmts_t *f, const json_t *t)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "表四 复议诉讼");
	const json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
	const size_t nc = json_array_size(cols), nr = json_array_size(rows);
	const lxw_col_t last = (lxw_col_t)(nc * nr - 1);
	worksheet_set_column(ws, 0, last, 10, NULL);
	merge_text(ws, 0, 0, 0, last, "四、政府信息公开行政复议、行政诉讼情况", f->title);
	/* Rows without a group of their own heading (行政复议) span rows 1-2; the 行政诉讼 stages share one
	 * heading on row 1 with their own on row 2. Their outcomes are on row 3 (row 2-3 merged for 行政复议). */
	size_t g = 0;
	while (g < nr) {
		const json_t *row = json_array_get(rows, g);
		const char *group = str(row, "group");
		size_t e = g;
		while (e + 1 < nr && strcmp(str(json_array_get(rows, e + 1), "group"), group) == 0)
			e++;
		const lxw_col_t c0 = (lxw_col_t)(g * nc), c1 = (lxw_col_t)((e + 1) * nc - 1);
		const bool alone = e == g && strcmp(group, str(row, "label")) == 0;
		merge_text(ws, 1, c0, 1, c1, group, f->head);
		for (size_t k = g; k <= e; k++) {
			const lxw_col_t b = (lxw_col_t)(k * nc);
			if (!alone)
				merge_text(ws, 2, b, 2, (lxw_col_t)(b + nc - 1), str(json_array_get(rows, k), "label"), f->head);
			const json_t *v = json_object_get(json_array_get(rows, k), "values");
			for (size_t c = 0; c < nc; c++) {
				const json_t *col = json_array_get(cols, c);
				merge_text(ws, alone ? 2 : 3, (lxw_col_t)(b + c), 3, (lxw_col_t)(b + c), str(col, "label"),
					   f->head);
				worksheet_write_number(ws, 4, (lxw_col_t)(b + c), num(v, str(col, "key")), f->num);
			}
		}
		g = e + 1;
	}
}

int disclosure_report_write_xlsx(const json_t *report, const char *path)
{
	const json_t *t2 = json_object_get(report, "table2"), *t3 = json_object_get(report, "table3"),
		     *t4 = json_object_get(report, "table4");
	if (!json_is_object(t2) || !json_is_object(t3) || !json_is_object(t4))
		return YW_EINVAL;
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return YW_EIO;
	fmts_t f;
	f.title = workbook_add_format(wb);
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	format_set_align(f.title, LXW_ALIGN_CENTER);
	format_set_align(f.title, LXW_ALIGN_VERTICAL_CENTER);
	f.head = workbook_add_format(wb);
	format_set_bold(f.head);
	format_set_border(f.head, LXW_BORDER_THIN);
	format_set_text_wrap(f.head);
	format_set_align(f.head, LXW_ALIGN_CENTER);
	format_set_align(f.head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(f.head, 0xDDEBF7);
	f.label = workbook_add_format(wb);
	format_set_border(f.label, LXW_BORDER_THIN);
	format_set_text_wrap(f.label);
	format_set_align(f.label, LXW_ALIGN_VERTICAL_CENTER);
	f.num = workbook_add_format(wb);
	format_set_border(f.num, LXW_BORDER_THIN);
	format_set_align(f.num, LXW_ALIGN_CENTER);
	format_set_align(f.num, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(f.num, "0");
	f.real = workbook_add_format(wb);
	format_set_border(f.real, LXW_BORDER_THIN);
	format_set_align(f.real, LXW_ALIGN_CENTER);
	format_set_align(f.real, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(f.real, "0.00##");
	workbook_set_properties(wb, &(lxw_doc_properties){.title = (char *)str(report, "title")});
	sheet2(wb, &f, t2);
	sheet3(wb, &f, t3);
	sheet4(wb, &f, t4);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : YW_EIO;
}
