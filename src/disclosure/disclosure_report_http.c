/* GET /api/v1/disclosure/report?year=YYYY[&dept_id=N][&format=xlsx]: the annual report on government
 * information disclosure (docs/domain.md, "The annual report"; docs/api.md "Disclosure annual
 * report"), generated from the records. A disclosure officer (信息公开工作人员) sees their own organ's
 * only; the centre (中心管理员) any organ's, or the whole government's without dept_id. The report is a
 * draft read: the officer's edits and publishing belong to the disclosure module. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "disclosure/disclosure_report.h"
#include "disclosure/disclosure_store.h"
#include "files/files.h"
#include "platform/arena.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/err.h"
#include "platform/routes.h"

static int write_xlsx(const char *path, void *arg)
{
	return disclosure_report_write_xlsx(arg, path);
}

/* Who reads or edits a report and of which organ (?dept_id=): an officer their own organ (another
 * is 403, `other`), the centre any organ or, without dept_id, the whole government (dept 0). */
static int report_scope(http_req_t *req, const char *forbidden, const char *other, int64_t *dept)
{
	const auth_user_t *u = req->user;
	const bool centre = (u->roles & ROLE_CENTER_ADMIN) != 0;
	if (!centre && !((u->roles & ROLE_DISCLOSURE_OFFICER) && u->dept_id > 0))
		return http_fail(req, YW_EFORBIDDEN, forbidden);
	*dept = 0;
	if (http_query_int(req, "dept_id", 1, INT64_MAX, 0, dept) != 0)
		return YW_EINVAL;
	if (!centre) {
		if (*dept && *dept != u->dept_id)
			return http_fail(req, YW_EFORBIDDEN, other);
		*dept = u->dept_id;
	} else if (!disclosure_may_handle(db_thread(), u, *dept)) {
		/* a district's centre: the organs of its region, not another's nor the whole government */
		return http_fail(req, YW_EFORBIDDEN, other);
	}
	return 0;
}

/* The format asked for: 0 (json, the default) or 1 (xlsx); -1 after answering 422. */
static int report_format(http_req_t *req)
{
	const char *format = http_query(req, "format");
	if (!format || strcmp(format, "json") == 0)
		return 0;
	if (strcmp(format, "xlsx") == 0)
		return 1;
	http_fail_field(req, "format", "格式应为 json 或 xlsx");
	return -1;
}

int h_disclosure_report(http_req_t *req)
{
	int64_t year, dept;
	int rc = report_scope(req, "只有信息公开工作人员和中心可以查看政府信息公开工作年度报告", "只能查看本机关的年度报告", &dept);
	if (rc)
		return rc;
	int y, m, d;
	date_to_ymd(date_today_local(yw_now()), &y, &m, &d);
	if (!http_query(req, "year")) {
		http_fail_field(req, "year", "请填写报告年度");
		return YW_EINVAL;
	}
	if (http_query_int(req, "year", DATE_YEAR_MIN + 2, y, 0, &year) != 0)
		return YW_EINVAL;
	const int xlsx = report_format(req);
	if (xlsx < 0)
		return YW_EINVAL;
	json_t *report;
	rc = disclosure_report_for(db_thread(), dept, (int)year, &report);
	if (rc == YW_ENOTFOUND) {
		http_fail_field(req, "dept_id", "没有这个机关");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	if (xlsx) {
		rc = http_reply_xlsx(req, arena_printf(req->arena, "disclosure-report-%d.xlsx", (int)year), write_xlsx, report);
		json_decref(report);
		return rc;
	}
	http_reply_json(req, 200, report);
	return 0;
}

/* ---- the stored report: edited, saved, published (docs/api.md "Disclosure annual report") ---- */

/* The organ and year of /reports/{year}?dept_id=: an officer's own organ (another is 403), for the
 * centre the organ named, or without dept_id the whole government's report (本级政府, dept 0). */
static int organ_year(http_req_t *req, int64_t *dept, int *year)
{
	int rc = report_scope(req, "只有信息公开工作人员和中心可以编辑政府信息公开工作年度报告", "只能编辑本机关的年度报告", dept);
	if (rc)
		return rc;
	int y, m, d;
	date_to_ymd(date_today_local(yw_now()), &y, &m, &d);
	int64_t yr;
	if (http_parse_int(req->param[0], DATE_YEAR_MIN + 2, y, &yr) != 0) {
		http_fail_field(req, "year", "报告年度不正确");
		return YW_EINVAL;
	}
	*year = (int)yr;
	return 0;
}

static const char *state_label(const char *s)
{
	static const char *const labels[][2] = {{"new", "未保存"},         {"draft", "草稿"},
						 {"review", "保密审查中"}, {"published", "已公开"},
						 {"withdrawn", "已撤回"}};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i][0], s) == 0)
			return labels[i][1];
	return s;
}

/* The report of (dept, year) as stored, else freshly generated (state "new"); new reference. */
static int annual_view(db_t *db, int64_t dept, int year, json_t **out)
{
	drep_stored_t r;
	int rc = disclosure_annual_get(db, dept, year, &r);
	if (rc == YW_ENOTFOUND) {
		json_t *report;
		if ((rc = disclosure_report_for(db, dept, year, &report)) != 0)
			return rc;
		*out = json_pack("{s:o, s:i, s:s, s:s, s:n, s:n, s:n, s:n, s:o}", "dept_id",
				 dept > 0 ? json_integer(dept) : json_null(), "year", year,
				 "state", "new", "state_label", state_label("new"), "document_id", "updated_at",
				 "updated_by", "updated_by_name", "report", report);
		return 0;
	}
	if (rc)
		return rc;
	*out = json_pack("{s:o, s:i, s:s, s:s, s:o, s:I, s:o, s:s, s:O}", "dept_id",
			 dept > 0 ? json_integer(dept) : json_null(), "year", year,
			 "state", r.state, "state_label", state_label(r.state), "document_id",
			 r.document_id ? json_integer(r.document_id) : json_null(), "updated_at",
			 (json_int_t)r.updated_at, "updated_by", r.updated_by ? json_integer(r.updated_by) : json_null(),
			 "updated_by_name", r.updated_by_name, "report", r.content);
	disclosure_annual_free(&r);
	return 0;
}

static int reply_view(http_req_t *req, int status, int64_t dept, int year)
{
	json_t *out;
	int rc = annual_view(db_thread(), dept, year, &out);
	if (rc == YW_ENOTFOUND) {
		http_fail_field(req, "dept_id", "没有这个机关");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	http_reply_json(req, status, out);
	return 0;
}

int h_disclosure_annual_get(http_req_t *req)
{
	int64_t dept;
	int year, rc = organ_year(req, &dept, &year);
	if (rc)
		return rc;
	const int xlsx = report_format(req);
	if (xlsx < 0)
		return YW_EINVAL;
	if (!xlsx)
		return reply_view(req, 200, dept, year);
	json_t *view;
	if ((rc = annual_view(db_thread(), dept, year, &view)) != 0)
		return rc == YW_ENOTFOUND ? http_fail(req, YW_ENOTFOUND, "没有这个机关") : rc;
	rc = http_reply_xlsx(req, arena_printf(req->arena, "disclosure-report-%d.xlsx", year), write_xlsx,
			     json_object_get(view, "report"));
	json_decref(view);
	return rc;
}

typedef struct annual_job {
	const auth_user_t *user;
	int64_t dept, category_id, publisher_id;
	int year;
	json_t *content;
	char sha[65], mime[128];
	size_t size;
	const char *why;
	char why_buf[512];
	vctx_t v;
} annual_job_t;

static int annual_fail(http_req_t *req, int rc, annual_job_t *j)
{
	switch (rc) {
	case YW_EINVAL: return http_fail_fields(req, &j->v.errors);
	case YW_ECONFLICT: return http_fail(req, rc, j->why ? j->why : j->why_buf);
	default: return rc;
	}
}

static int save_job(db_t *db, void *arg)
{
	annual_job_t *j = arg;
	return disclosure_annual_save(db, j->user, j->dept, j->year, j->content, &j->why);
}

static int save_respond(http_req_t *req, int rc, void *arg)
{
	annual_job_t *j = arg;
	json_decref(j->content);
	if (rc)
		return annual_fail(req, rc, j);
	return reply_view(req, 200, j->dept, j->year);
}

int h_disclosure_annual_put(http_req_t *req)
{
	annual_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	int rc = organ_year(req, &j->dept, &j->year);
	json_t *edits;
	if (rc || (rc = http_body_json(req, &edits)) != 0)
		return rc;
	/* the figures are generated now; the text is the stored draft's with the edits over it */
	db_t *db = db_thread();
	json_t *report;
	if ((rc = disclosure_report_for(db, j->dept, j->year, &report)) != 0) {
		if (rc != YW_ENOTFOUND)
			return rc;
		http_fail_field(req, "dept_id", "没有这个机关");
		return YW_EINVAL;
	}
	drep_stored_t old;
	rc = disclosure_annual_get(db, j->dept, j->year, &old);
	if (rc && rc != YW_ENOTFOUND) {
		json_decref(report);
		return rc;
	}
	if (rc == 0 && strcmp(old.state, "draft") != 0) {
		disclosure_annual_free(&old);
		json_decref(report);
		return http_fail(req, YW_ECONFLICT, "年度报告已提交保密审查或已公开，不能再修改");
	}
	rc = disclosure_report_apply(report, rc == 0 ? old.content : NULL, edits, &j->v);
	disclosure_annual_free(&old);
	if (rc) {
		json_decref(report);
		return rc == YW_EINVAL ? http_fail_fields(req, &j->v.errors) : rc;
	}
	j->content = report;
	return http_write(req, save_job, j, save_respond);
}

static int publish_job(db_t *db, void *arg)
{
	annual_job_t *j = arg;
	return disclosure_annual_publish(db, j->user, j->dept, j->year, j->sha, j->size, j->mime, j->category_id, j->publisher_id, &j->v,
					 j->why_buf, sizeof j->why_buf);
}

static int publish_respond(http_req_t *req, int rc, void *arg)
{
	annual_job_t *j = arg;
	if (rc)
		return annual_fail(req, rc, j);
	return reply_view(req, 200, j->dept, j->year);
}

/* Writes the stored report's tables as XLSX and stores the file under its hash (files_dir), for
 * the published document's attachment: on the worker thread, before the write. */
static int store_xlsx(const json_t *report, annual_job_t *j)
{
	const char *dir = config_current()->files_dir;
	mkdir(dir, 0700);
	char path[600];
	snprintf(path, sizeof path, "%s/.upload-report-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return YW_EIO;
	close(fd);
	int rc = disclosure_report_write_xlsx(report, path);
	unsigned char *data = NULL;
	size_t len = 0;
	if (!rc) {
		FILE *f = fopen(path, "rb");
		struct stat sb;
		if (!f || fstat(fileno(f), &sb) != 0 || sb.st_size <= 0 || !(data = malloc((size_t)sb.st_size)) ||
		    fread(data, 1, (size_t)sb.st_size, f) != (size_t)sb.st_size)
			rc = YW_EIO;
		else
			len = (size_t)sb.st_size;
		if (f)
			fclose(f);
	}
	unlink(path);
	const files_type_t *t = rc ? NULL : files_sniff(data, len);
	if (!rc && !t)
		rc = YW_EIO;
	if (!rc && (rc = files_store_blob(dir, data, len, j->sha)) == 0) {
		snprintf(j->mime, sizeof j->mime, "%s", t->mime);
		j->size = len;
	}
	free(data);
	return rc;
}

int h_disclosure_annual_publish(http_req_t *req)
{
	annual_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->user = req->user;
	int rc = organ_year(req, &j->dept, &j->year);
	if (rc)
		return rc;
	json_t *in = NULL;
	if (req->body_len && (rc = http_body_json(req, &in)) != 0)
		return rc;
	if (in) {
		j->category_id = v_int(&j->v, in, "category_id", 1, INT64_MAX, false, 0);
		/* the whole government's report: the organ that publishes it (its document's organ) */
		if (!j->dept)
			j->publisher_id = v_int(&j->v, in, "publisher_dept_id", 1, INT64_MAX, false, 0);
		if (!v_ok(&j->v))
			return http_fail_fields(req, &j->v.errors);
	}
	drep_stored_t r;
	rc = disclosure_annual_get(db_thread(), j->dept, j->year, &r);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, YW_ECONFLICT, "请先保存年度报告，再提交公开");
	if (rc)
		return rc;
	rc = store_xlsx(r.content, j);
	disclosure_annual_free(&r);
	return rc ? rc : http_write(req, publish_job, j, publish_respond);
}

static const route_t routes[] = {
	/* officers and the centre; the handler narrows an officer to their organ */
	{"GET", "/api/v1/disclosure/report", PERM_DISCLOSURE_HANDLE, h_disclosure_report},
	{"GET", "/api/v1/disclosure/reports/{year}", PERM_DISCLOSURE_HANDLE, h_disclosure_annual_get},
	{"PUT", "/api/v1/disclosure/reports/{year}", PERM_DISCLOSURE_HANDLE, h_disclosure_annual_put},
	{"POST", "/api/v1/disclosure/reports/{year}/publish", PERM_DISCLOSURE_HANDLE, h_disclosure_annual_publish},
};

void disclosure_report_module_register(void)
{
	ROUTES_REGISTER(routes);
}
