/* XLSX export of the published catalogue (libxlsxwriter), one row per item, for people who
 * open it in WPS or Excel. */
#include <string.h>
#include <xlsxwriter.h>

#include "catalog/catalog.h"
#include "platform/err.h"

static const char *join(json_t *a, const char *field, char *buf, size_t size)
{
	size_t off = 0;
	size_t i;
	json_t *e;
	buf[0] = 0;
	json_array_foreach(a, i, e) {
		json_t *s = field ? json_object_get(e, field) : e;
		const char *t = json_is_string(s) ? json_string_value(s) : NULL;
		char num[16];
		if (!t && json_is_integer(s)) {
			snprintf(num, sizeof num, "%lld", (long long)json_integer_value(s));
			t = num;
		}
		if (t && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "、" : "", t);
	}
	return buf;
}

int catalog_export_xlsx(db_t *db, const char *path)
{
	json_t *items;
	if (catalog_export(db, false, &items) != 0)
		return YW_EDB;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		json_decref(items);
		return YW_EIO;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, "事项目录");
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xDDEBF7);
	static const char *const cols[] = {"实施编码", "事项名称", "实施部门", "事项类型", "行使层级", "办件类型",
					   "法定时限（工作日）", "承诺时限（工作日）", "到现场次数", "网上办理深度",
					   "通办范围", "标签", "清单", "申请材料", "收费"};
	for (lxw_col_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
		worksheet_write_string(ws, 0, c, cols[c], head);
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 2, 28, NULL);
	worksheet_set_column(ws, 13, 13, 60, NULL);
	worksheet_freeze_panes(ws, 1, 2);
	size_t i;
	json_t *it;
	char buf[8192], lv[4];
	json_array_foreach(items, i, it) {
		lxw_row_t r = (lxw_row_t)i + 1;
		snprintf(lv, sizeof lv, "%lld", (long long)json_integer_value(json_object_get(it, "level")));
		char hc[4];
		snprintf(hc, sizeof hc, "%lld", (long long)json_integer_value(json_object_get(it, "handling_class")));
		const char *type = catalog_label(catalog_item_types, json_string_value(json_object_get(it, "type")));
		worksheet_write_string(ws, r, 0, json_string_value(json_object_get(it, "code")), NULL);
		worksheet_write_string(ws, r, 1, json_string_value(json_object_get(it, "name")), NULL);
		worksheet_write_string(ws, r, 2, json_string_value(json_object_get(it, "dept")), NULL);
		worksheet_write_string(ws, r, 3, type ? type : "", NULL);
		worksheet_write_string(ws, r, 4, catalog_label(catalog_levels, lv), NULL);
		worksheet_write_string(ws, r, 5, catalog_label(catalog_classes, hc), NULL);
		worksheet_write_number(ws, r, 6, (double)json_integer_value(json_object_get(it, "legal_limit_days")), NULL);
		worksheet_write_number(ws, r, 7, (double)json_integer_value(json_object_get(it, "promised_limit_days")), NULL);
		worksheet_write_number(ws, r, 8, (double)json_integer_value(json_object_get(it, "visits")), NULL);
		worksheet_write_number(ws, r, 9, (double)json_integer_value(json_object_get(it, "online_depth")), NULL);
		worksheet_write_string(ws, r, 10, json_string_value(json_object_get(it, "tongban")), NULL);
		worksheet_write_string(ws, r, 11, join(json_object_get(it, "tags"), NULL, buf, sizeof buf), NULL);
		worksheet_write_string(ws, r, 12, join(json_object_get(it, "lists"), NULL, buf, sizeof buf), NULL);
		worksheet_write_string(ws, r, 13, join(json_object_get(it, "materials"), "name", buf, sizeof buf), NULL);
		json_t *fees = json_object_get(it, "fees");
		worksheet_write_string(ws, r, 14, json_array_size(fees) ? join(fees, "standard", buf, sizeof buf) : "不收费",
				       NULL);
	}
	json_decref(items);
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : YW_EIO;
}
