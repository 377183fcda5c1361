/* The hall's day statistics (hall_stats_json, hall_stats_store.c) as an XLSX workbook: queues and
 * window utilisation, one sheet each. */
#include <xlsxwriter.h>

#include "hall/hall_store.h"
#include "platform/err.h"

int hall_stats_xlsx(const char *path, void *arg)
{
	json_t *s = arg;
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return YW_EIO;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "排队统计");
	lxw_format *bold = workbook_add_format(wb), *pct = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(pct, "0.0%");
	static const char *const heads[] = {"队列", "名称", "取号数", "已叫号", "平均等候（分钟）", "最长等候（分钟）",
					    "平均办理（分钟）", "过号率"};
	worksheet_write_string(ws, 0, 0, json_string_value(json_object_get(s, "date")), bold);
	for (lxw_col_t c = 0; c < 8; c++)
		worksheet_write_string(ws, 1, c, heads[c], bold);
	size_t i;
	json_t *q;
	json_array_foreach(json_object_get(s, "queues"), i, q) {
		lxw_row_t r = (lxw_row_t)i + 2;
		worksheet_write_string(ws, r, 0, json_string_value(json_object_get(q, "letter")), NULL);
		worksheet_write_string(ws, r, 1, json_string_value(json_object_get(q, "name")), NULL);
		worksheet_write_number(ws, r, 2, (double)json_integer_value(json_object_get(q, "tickets")), NULL);
		worksheet_write_number(ws, r, 3, (double)json_integer_value(json_object_get(q, "called")), NULL);
		worksheet_write_number(ws, r, 4, (double)json_integer_value(json_object_get(q, "avg_wait_seconds")) / 60, NULL);
		worksheet_write_number(ws, r, 5, (double)json_integer_value(json_object_get(q, "max_wait_seconds")) / 60, NULL);
		worksheet_write_number(ws, r, 6, (double)json_integer_value(json_object_get(q, "avg_service_seconds")) / 60, NULL);
		worksheet_write_number(ws, r, 7, json_real_value(json_object_get(q, "no_show_rate")), pct);
	}
	lxw_worksheet *wws = workbook_add_worksheet(wb, "窗口利用率");
	static const char *const wheads[] = {"窗口", "名称", "办结数", "办理时长（分钟）", "利用率"};
	for (lxw_col_t c = 0; c < 5; c++)
		worksheet_write_string(wws, 0, c, wheads[c], bold);
	json_array_foreach(json_object_get(s, "windows"), i, q) {
		lxw_row_t r = (lxw_row_t)i + 1;
		worksheet_write_number(wws, r, 0, (double)json_integer_value(json_object_get(q, "number")), NULL);
		worksheet_write_string(wws, r, 1, json_string_value(json_object_get(q, "name")), NULL);
		worksheet_write_number(wws, r, 2, (double)json_integer_value(json_object_get(q, "served")), NULL);
		worksheet_write_number(wws, r, 3, (double)json_integer_value(json_object_get(q, "busy_seconds")) / 60, NULL);
		worksheet_write_number(wws, r, 4, json_real_value(json_object_get(q, "utilisation")), pct);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : YW_EIO;
}
