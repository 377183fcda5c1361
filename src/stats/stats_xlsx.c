/* XLSX export of a statistics summary (libxlsxwriter): one row per group with every figure and a
 * total row, rates as percentages, for people who open it in WPS or Excel. */
#include <stdio.h>
#include <xlsxwriter.h>

#include "platform/err.h"
#include "stats/stats.h"

static const struct {
	const char *key, *title;
	bool rate;
} cols[] = {
	{"received", "受理量", false},          {"completed", "办结量", false},
	{"completion_rate", "办结率", true},    {"on_time", "按时办结", false},
	{"on_time_rate", "按时办结率", true},   {"early", "提前办结", false},
	{"early_rate", "提前办结率", true},     {"overdue", "超期", false},
	{"avg_handling_days", "平均办理时长（工作日）", false}, {"instant_share", "即办件占比", true},
	{"online_share", "网上办理占比", true}, {"zuiduo_rate", "最多跑一次率", true},
	{"reviews", "评价数", false},           {"satisfaction_rate", "满意率", true},
	{"bad_reviews", "差评", false},         {"rectified", "已整改", false},
	{"rectification_rate", "整改率", true},
};

static void write_row(lxw_worksheet *ws, lxw_row_t r, const char *label, json_t *row, lxw_format *pct, lxw_format *bold)
{
	worksheet_write_string(ws, r, 0, label, bold);
	lxw_col_t c = 1;
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++, c++) {
		json_t *v = json_object_get(row, cols[i].key);
		if (json_is_number(v))
			worksheet_write_number(ws, r, c, json_number_value(v), cols[i].rate ? pct : bold);
	}
	json_t *cards = json_object_get(row, "cards");
	static const char *const levels[] = {"warning", "yellow", "red"};
	for (int k = 0; k < 3; k++, c++)
		worksheet_write_number(ws, r, c, (double)json_integer_value(json_object_get(cards, levels[k])), bold);
}

int stats_write_xlsx(const char *path, const char *title, json_t *summary)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return YW_EIO;
	lxw_worksheet *ws = workbook_add_worksheet(wb, title);
	lxw_format *head = workbook_add_format(wb), *pct = workbook_add_format(wb), *bold = workbook_add_format(wb),
		   *bold_pct = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	format_set_num_format(pct, "0.0%");
	format_set_bold(bold);
	format_set_bold(bold_pct);
	format_set_num_format(bold_pct, "0.0%");
	char caption[96];
	snprintf(caption, sizeof caption, "%s — %s 至 %s", title, json_string_value(json_object_get(summary, "from")),
		 json_string_value(json_object_get(summary, "to")));
	worksheet_write_string(ws, 0, 0, caption, bold);
	worksheet_write_string(ws, 1, 0, "分组", head);
	lxw_col_t c = 1;
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		worksheet_write_string(ws, 1, c++, cols[i].title, head);
	worksheet_write_string(ws, 1, c++, "预警", head);
	worksheet_write_string(ws, 1, c++, "黄牌", head);
	worksheet_write_string(ws, 1, c, "红牌", head);
	worksheet_set_column(ws, 0, 0, 32, NULL);
	worksheet_set_column(ws, 1, c, 12, NULL);
	worksheet_freeze_panes(ws, 2, 1);
	size_t i;
	json_t *row;
	lxw_row_t r = 2;
	json_array_foreach(json_object_get(summary, "rows"), i, row)
		write_row(ws, r++, json_string_value(json_object_get(row, "label")), row, pct, NULL);
	write_row(ws, r, "合计", json_object_get(summary, "total"), bold_pct, bold);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : YW_EIO;
}
