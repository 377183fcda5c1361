/* See calendar_store.h. Dates are stored as 'YYYY-MM-DD' text so the table reads plainly. */
#include "platform/calendar_store.h"
#include "platform/db_legacy.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/audit.h"
#include "platform/err.h"
#include "platform/jsonv.h"

extern const char yw_data_calendar[];
extern const size_t yw_data_calendar_len;

calendar_t *calendar_builtin(void)
{
	calendar_t *cal = calendar_new();
	if (calendar_load_json(cal, yw_data_calendar, yw_data_calendar_len) != 0)
		abort(); /* the shipped file is checked by the unit tests */
	return cal;
}

int calendar_store_seed(db_t *db)
{
	json_t *doc = json_loadb(yw_data_calendar, yw_data_calendar_len, 0, NULL);
	json_t *years = json_object_get(doc, "years"), *y;
	const char *year;
	int rc = 0;
	json_object_foreach(years, year, y) {
		sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO calendar_years(year, published, source) VALUES ($1, 1, $2) "
						  "ON CONFLICT(year) DO NOTHING");
		dbl_bind_int(st, 1, atoi(year));
		dbl_bind_text(st, 2, json_string_value(json_object_get(y, "source")));
		rc |= sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
		sqlite3_reset(st);
		rc |= audit_record(db, NULL, "calendar.year.publish", "calendar_years", year);
		for (int kind = 1; kind <= 2; kind++) {
			size_t i;
			json_t *d;
			json_array_foreach(json_object_get(y, kind == 1 ? "off" : "work"), i, d) {
				st = dbl_prepare(db, "INSERT INTO calendar_days(day, kind, note) VALUES ($1, $2, '') "
						    "ON CONFLICT(day) DO NOTHING");
				dbl_bind_text(st, 1, json_string_value(d));
				dbl_bind_int(st, 2, kind);
				rc |= sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
				sqlite3_reset(st);
				rc |= audit_record(db, NULL, "calendar.day.set", "calendar_days", json_string_value(d));
			}
		}
	}
	json_decref(doc);
	return rc ? YW_EDB : db_bump_generation(db, "calendar");
}

int calendar_store_load(db_t *db, calendar_t **out)
{
	calendar_t *cal = calendar_new();
	sqlite3_stmt *st = dbl_prepare(db, "SELECT year, published FROM calendar_years");
	while (sqlite3_step(st) == SQLITE_ROW)
		calendar_set_published(cal, sqlite3_column_int(st, 0), sqlite3_column_int(st, 1) != 0);
	sqlite3_reset(st);
	st = dbl_prepare(db, "SELECT day, kind FROM calendar_days");
	while (sqlite3_step(st) == SQLITE_ROW) {
		yw_date_t d;
		const char *s = dbl_col_text(st, 0);
		if (date_parse(s, strlen(s), &d) == 0)
			calendar_set_day(cal, d, sqlite3_column_int(st, 1) == 1 ? CAL_OFF : CAL_WORK);
	}
	sqlite3_reset(st);
	*out = cal;
	return 0;
}

static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static calendar_t *cached;      /* guarded by lock */
static int64_t cached_gen = -1; /* guarded by lock */

int calendar_acquire(db_t *db, const calendar_t **out)
{
	int64_t gen;
	if (db_generation(db, "calendar", &gen) != 0)
		return YW_EDB;
	for (;;) {
		pthread_rwlock_rdlock(&lock);
		if (cached && cached_gen == gen) {
			*out = cached;
			return 0;
		}
		pthread_rwlock_unlock(&lock);
		pthread_rwlock_wrlock(&lock);
		if (!cached || cached_gen != gen) {
			calendar_t *cal;
			calendar_store_load(db, &cal);
			calendar_free(cached);
			cached = cal;
			cached_gen = gen;
		}
		pthread_rwlock_unlock(&lock);
	}
}

void calendar_release(void)
{
	pthread_rwlock_unlock(&lock);
}

/* ---- routes ---- */

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
	db_t *db = db_thread();
	sqlite3_stmt *st = dbl_prepare(db, "SELECT published, source FROM calendar_years WHERE year = $1");
	dbl_bind_int(st, 1, year);
	bool published = false;
	const char *source = "";
	char srcbuf[200] = "";
	if (sqlite3_step(st) == SQLITE_ROW) {
		published = sqlite3_column_int(st, 0) != 0;
		snprintf(srcbuf, sizeof srcbuf, "%s", dbl_col_text(st, 1));
		source = srcbuf;
	}
	sqlite3_reset(st);
	char lo[16], hi[16];
	snprintf(lo, sizeof lo, "%04d-01-01", (int)year);
	snprintf(hi, sizeof hi, "%04d-12-31", (int)year);
	st = dbl_prepare(db, "SELECT day, kind, note FROM calendar_days WHERE day BETWEEN $1 AND $2 ORDER BY day");
	dbl_bind_text(st, 1, lo);
	dbl_bind_text(st, 2, hi);
	json_t *days = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(days, json_pack("{s:s, s:s, s:s}", "date", dbl_col_text(st, 0), "kind",
						      sqlite3_column_int(st, 1) == 1 ? "off" : "work", "note",
						      dbl_col_text(st, 2)));
	sqlite3_reset(st);
	http_reply_json(req, 200, json_pack("{s:I, s:b, s:s, s:o}", "year", (json_int_t)year, "published", published,
					    "source", source, "days", days));
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
	int k = strcmp(kind, "off") == 0 ? 1 : strcmp(kind, "work") == 0 ? 2 : strcmp(kind, "default") == 0 ? 0 : -1;
	if (*kind && k < 0)
		v_error(&v, "kind", "应为 off（放假）、work（调休上班）或 default（按星期）");
	if (!v_ok(&v)) {
		return http_fail_fields(req, &v.errors);
	}
	db_t *db = db_thread();
	if (db_begin(db)) {
		return YW_EDB;
	}
	sqlite3_stmt *st;
	if (k == 0) {
		st = dbl_prepare(db, "DELETE FROM calendar_days WHERE day = $1");
		dbl_bind_text(st, 1, day);
	} else {
		st = dbl_prepare(db, "INSERT INTO calendar_days(day, kind, note) VALUES ($1, $2, $3) "
				    "ON CONFLICT(day) DO UPDATE SET kind = $2, note = $3");
		dbl_bind_text(st, 1, day);
		dbl_bind_int(st, 2, k);
		dbl_bind_text(st, 3, note);
	}
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	if (!rc)
		rc = audit_record(db, req->user, "calendar.day.set", "calendar_days", day);
	if (!rc)
		rc = db_bump_generation(db, "calendar");
	rc = rc ? rc : db_commit(db);
	if (rc)
		db_rollback(db);
	else
		http_reply_json(req, 200, json_pack("{s:s, s:s, s:s}", "date", day, "kind", kind, "note", note));
	return rc;
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
	db_t *db = db_thread();
	if (db_begin(db)) {
		return YW_EDB;
	}
	sqlite3_stmt *st = dbl_prepare(db, "INSERT INTO calendar_years(year, published, source) VALUES ($1, $2, $3) "
					  "ON CONFLICT(year) DO UPDATE SET published = $2, source = $3");
	dbl_bind_int(st, 1, year);
	dbl_bind_int(st, 2, published);
	dbl_bind_text(st, 3, source);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : YW_EDB;
	sqlite3_reset(st);
	if (!rc)
		rc = audit_record(db, req->user, "calendar.year.set", "calendar_years", req->param[0]);
	if (!rc)
		rc = db_bump_generation(db, "calendar");
	rc = rc ? rc : db_commit(db);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	http_reply_json(req, 200, json_pack("{s:i, s:b}", "year", (int)year, "published", published));
	return 0;
}
