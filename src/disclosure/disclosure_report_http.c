/* GET /api/v1/disclosure/report?year=YYYY[&dept_id=N][&format=xlsx]: the annual report on government
 * information disclosure (docs/domain.md, "The annual report"; docs/api.md "Disclosure annual
 * report"), generated from the records. A disclosure officer (信息公开工作人员) sees their own organ's
 * only; the centre (中心管理员) any organ's, or the whole government's without dept_id. The report is a
 * draft read: the officer's edits and publishing belong to the disclosure module. */
#include <string.h>

#include "disclosure/disclosure_report.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/routes.h"

static int write_xlsx(const char *path, void *arg)
{
	return disclosure_report_write_xlsx(arg, path);
}

int h_disclosure_report(http_req_t *req)
{
	const auth_user_t *u = req->user;
	const bool centre = (u->roles & ROLE_CENTER_ADMIN) != 0;
	if (!centre && !((u->roles & ROLE_DISCLOSURE_OFFICER) && u->dept_id > 0))
		return http_fail(req, YW_EFORBIDDEN, "只有信息公开工作人员和中心可以查看政府信息公开工作年度报告");
	int y, m, d;
	date_to_ymd(date_today_local(yw_now()), &y, &m, &d);
	int64_t year, dept = 0;
	if (!http_query(req, "year")) {
		http_fail_field(req, "year", "请填写报告年度");
		return YW_EINVAL;
	}
	if (http_query_int(req, "year", DATE_YEAR_MIN + 2, y, 0, &year) != 0)
		return YW_EINVAL;
	if (http_query_int(req, "dept_id", 1, INT64_MAX, 0, &dept) != 0)
		return YW_EINVAL;
	const char *format = http_query(req, "format");
	if (format && strcmp(format, "json") != 0 && strcmp(format, "xlsx") != 0) {
		http_fail_field(req, "format", "格式应为 json 或 xlsx");
		return YW_EINVAL;
	}
	if (!centre) {
		if (dept && dept != u->dept_id)
			return http_fail(req, YW_EFORBIDDEN, "只能查看本机关的年度报告");
		dept = u->dept_id;
	}
	json_t *report;
	int rc = disclosure_report_for(db_thread(), dept, (int)year, &report);
	if (rc == YW_ENOTFOUND) {
		http_fail_field(req, "dept_id", "没有这个机关");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (format && strcmp(format, "xlsx") == 0) {
		rc = http_reply_xlsx(req, arena_printf(req->arena, "disclosure-report-%d.xlsx", (int)year), write_xlsx, report);
		json_decref(report);
		return rc;
	}
	http_reply_json(req, 200, report);
	return 0;
}

static const route_t routes[] = {
	/* officers and the centre; the handler narrows an officer to their organ */
	{"GET", "/api/v1/disclosure/report", PERM_DISCLOSURE_HANDLE, h_disclosure_report},
};

void disclosure_report_module_register(void)
{
	ROUTES_REGISTER(routes);
}
