/* The calendar's routes: working-day arithmetic for anyone (a deadline, whether a day is a working
 * day, the working days between two dates) and the centre admin's edits of days and years, which
 * calendar_store.c keeps. */
#include "platform/calendar_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/calendar_store.h"
#include "platform/date.h"
#include "platform/err.h"
#include "platform/jsonv.h"

static int date_arg(http_req_t *req, const char *name, yw_date_t *out)
{
	const char *s = http_query(req, name);
	if (!s || date_parse(s, strlen(s), out) != 0) {
		http_fail_field(req, name, "应为 YYYY-MM-DD 格式的有效日期");
		return YW_EINVAL;
	}
	return 0;
}

int h_calendar_deadline(http_req_t *req)
{
	yw_date_t from, out;
	int64_t n;
	int rc = date_arg(req, "from", &from);
	if (http_query(req, "workdays") == NULL) {
		http_fail_field(req, "workdays", "不能为空");
		rc = YW_EINVAL;
	} else {
		rc |= http_query_int(req, "workdays", 0, CALENDAR_MAX_WORKDAYS, 0, &n);
	}
	if (rc)
		return YW_EINVAL;
	const calendar_t *cal;
	if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
		return rc;
	bool beyond = false;
	rc = calendar_add_workdays(cal, from, (int)n, &out, &beyond);
	calendar_release();
	if (rc) {
		http_fail_field(req, "workdays", "结果超出日历范围");
		return YW_EINVAL;
	}
	char buf[11];
	date_format(out, buf);
	http_reply_json(req, 200, json_pack("{s:s, s:b}", "date", buf, "beyond_published", beyond));
	return 0;
}

int h_calendar_is_workday(http_req_t *req)
{
	yw_date_t d;
	if (date_arg(req, "date", &d))
		return YW_EINVAL;
	const calendar_t *cal;
	int rc = calendar_acquire(db_thread(), &cal);
	if (rc)
		return rc;
	int y, m, dd;
	date_to_ymd(d, &y, &m, &dd);
	bool work = calendar_is_workday(cal, d), published = calendar_year_published(cal, y);
	enum calendar_kind k = calendar_day_kind(cal, d);
	calendar_release();
	char buf[11];
	date_format(d, buf);
	http_reply_json(req, 200, json_pack("{s:s, s:b, s:s, s:b}", "date", buf, "workday", work, "kind",
					    k == CAL_OFF ? "off" : k == CAL_WORK ? "work" : "default", "beyond_published",
					    !published));
	return 0;
}

int h_calendar_between(http_req_t *req)
{
	yw_date_t a, b;
	int rc = date_arg(req, "from", &a) | date_arg(req, "to", &b);
	if (rc)
		return YW_EINVAL;
	const calendar_t *cal;
	if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
		return rc;
	int n = 0;
	bool beyond = false;
	rc = calendar_workdays_between(cal, a, b, &n, &beyond);
	calendar_release();
	if (rc)
		return YW_EINVAL;
	http_reply_json(req, 200, json_pack("{s:i, s:b}", "workdays", n, "beyond_published", beyond));
	return 0;
}

int h_calendar_year(http_req_t *req)
{
	int64_t year;
	if (http_query(req, "year") == NULL) {
		http_fail_field(req, "year", "不能为空");
		return YW_EINVAL;
	}
	if (http_query_int(req, "year", DATE_YEAR_MIN, DATE_YEAR_MAX, 0, &year))
		return YW_EINVAL;
	bool published;
	char source[CALENDAR_SOURCE_MAX];
	json_t *days;
	int rc = calendar_store_year(db_thread(), (int)year, &published, source, &days);
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:I, s:b, s:s, s:o}", "year", (json_int_t)year, "published", published,
					    "source", source, "days", days));
	return 0;
}

/* Calendar edits go through the group-commit writer. */
typedef struct calendar_job {
	const auth_user_t *user;
	const char *day, *kind, *note, *source;
	int k, year;
	bool published;
} calendar_job_t;

static int set_day_in_group(db_t *db, void *arg)
{
	calendar_job_t *j = arg;
	return calendar_store_set_day(db, j->user, j->day, (enum calendar_kind)j->k, j->note);
}

static int set_day_respond(http_req_t *req, int rc, void *arg)
{
	calendar_job_t *j = arg;
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:s, s:s, s:s}", "date", j->day, "kind", j->kind, "note", j->note));
	return 0;
}

static int set_year_in_group(db_t *db, void *arg)
{
	calendar_job_t *j = arg;
	return calendar_store_set_year(db, j->user, j->year, j->published, j->source);
}

static int set_year_respond(http_req_t *req, int rc, void *arg)
{
	calendar_job_t *j = arg;
	if (rc)
		return rc;
	http_reply_json(req, 200, json_pack("{s:i, s:b}", "year", j->year, "published", j->published));
	return 0;
}

int h_calendar_set_day(http_req_t *req)
{
	yw_date_t d;
	const char *day = req->param[0];
	if (date_parse(day, strlen(day), &d) != 0)
		return http_fail(req, YW_ENOTFOUND, "日期格式应为 YYYY-MM-DD");
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	const char *kind = v_str(&v, body, "kind", 1, 10), *note = v_str(&v, body, "note", 0, 50);
	int k = strcmp(kind, "off") == 0 ? CAL_OFF : strcmp(kind, "work") == 0 ? CAL_WORK
		: strcmp(kind, "default") == 0 ? CAL_DEFAULT : -1;
	if (*kind && k < 0)
		v_error(&v, "kind", "应为 off（放假）、work（调休上班）或 default（按星期）");
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	calendar_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (calendar_job_t){.user = req->user, .day = day, .kind = kind, .k = k, .note = note};
	return http_write(req, set_day_in_group, j, set_day_respond);
}

int h_calendar_set_year(http_req_t *req)
{
	char *end;
	long year = strtol(req->param[0], &end, 10);
	if (*end || year < DATE_YEAR_MIN || year > DATE_YEAR_MAX)
		return http_fail(req, YW_ENOTFOUND, "年份无效");
	json_t *body;
	int rc = http_body_json(req, &body);
	if (rc)
		return rc;
	vctx_t v = {0};
	bool published = v_bool(&v, body, "published", true);
	const char *source = v_str(&v, body, "source", 0, 200);
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	calendar_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (calendar_job_t){.user = req->user, .year = (int)year, .published = published, .source = source};
	return http_write(req, set_year_in_group, j, set_year_respond);
}
