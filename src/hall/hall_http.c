/* Service hall routes (docs/api.md, "Service hall"): queues, tickets from the kiosk and the phone,
 * the follow page and its QR code, the windows' calling work, appointments, the display board's
 * initial state, the manager's status with the long-queue alert, and the statistics. Ticket
 * issuance and every window action are durable writes through the group-commit writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "platform/qr.h"

static int param_id(http_req_t *req, int i, int64_t *id, const char *what)
{
	char *end;
	long long n = strtoll(req->param[i], &end, 10);
	if (*end || n <= 0)
		return http_fail(req, YW_ENOTFOUND, what);
	*id = n;
	return 0;
}

static int reply(http_req_t *req, int status, int rc, json_t *out)
{
	if (rc)
		return rc;
	http_reply_json(req, status, out);
	return 0;
}

/* hall.manage acts on the halls of the manager's region. */
static int manage_scope(http_req_t *req, int64_t hall_id)
{
	char region[16];
	if (hall_region(db_thread(), hall_id, region))
		return http_fail(req, YW_ENOTFOUND, "大厅不存在");
	if (!auth_region_within(region, req->user->region_code))
		return http_fail(req, YW_EFORBIDDEN, "该大厅不在您的管理范围内");
	return 0;
}

/* ---- queues ---- */

int h_hall_queues_list(http_req_t *req)
{
	int64_t hall_id;
	if (http_query_int(req, "hall_id", 1, INT32_MAX, 0, &hall_id))
		return YW_EINVAL;
	json_t *arr;
	int rc = hall_queues_list(db_thread(), hall_id, &arr);
	return reply(req, 200, rc, rc ? NULL : json_pack("{s:o}", "items", arr));
}

static int queue_save(http_req_t *req, int64_t id)
{
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	db_t *db = db_thread();
	int64_t hall_id = 0;
	if (id ? hall_of_queue(db, id, &hall_id) : 0)
		return http_fail(req, YW_ENOTFOUND, "队列不存在");
	if (!id && json_is_integer(json_object_get(in, "hall_id")))
		hall_id = json_integer_value(json_object_get(in, "hall_id"));
	if (hall_id && (rc = manage_scope(req, hall_id)) != 0)
		return rc;
	vctx_t v = {0};
	int64_t out_id;
	rc = hall_queue_save(db, req->user, id, in, &v, &out_id);
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v.errors);
	json_decref(v.errors);
	if (rc)
		return rc;
	json_t *q;
	rc = hall_queue_get(db, out_id, &q);
	return reply(req, id ? 200 : 201, rc, q);
}

int h_hall_queue_create(http_req_t *req)
{
	return queue_save(req, 0);
}

int h_hall_queue_update(http_req_t *req)
{
	int64_t id = 0;
	int rc = param_id(req, 0, &id, "队列不存在");
	return rc ? rc : queue_save(req, id);
}

int h_hall_window_queues(http_req_t *req)
{
	int64_t id = 0, hall_id = 0;
	int rc = param_id(req, 0, &id, "窗口不存在");
	if (rc)
		return rc;
	json_t *in;
	if ((rc = http_body_json(req, &in)) != 0)
		return rc;
	if (hall_of_window(db_thread(), id, &hall_id))
		return http_fail(req, YW_ENOTFOUND, "窗口不存在");
	if ((rc = manage_scope(req, hall_id)) != 0)
		return rc;
	vctx_t v = {0};
	json_t *ids = v_array(&v, in, "queue_ids", true);
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	rc = hall_window_set_queues(db_thread(), req->user, id, ids, &v);
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &v.errors);
	json_decref(v.errors);
	json_t *out = NULL;
	if (!rc)
		rc = hall_window_json(db_thread(), id, &out);
	return reply(req, 200, rc, out);
}

/* ---- tickets ---- */

/* Applicants (自然人, 法人) take phone tickets and book appointments; staff do neither. */
static bool applicant(const auth_user_t *u)
{
	return strcmp(u->kind, "person") == 0 || strcmp(u->kind, "legal") == 0;
}

typedef struct issue_job {
	const auth_user_t *user;
	int64_t queue_id, now, id;
	enum hall_category cat;
} issue_job_t;

static int issue_in_group(db_t *db, void *arg)
{
	issue_job_t *j = arg;
	bool phone = j->user && applicant(j->user);
	return hall_ticket_issue(db, phone ? j->user : NULL, j->queue_id, j->cat, phone ? "phone" : "kiosk",
				 phone ? j->user->id : 0, j->now, &j->id);
}

static int reply_ticket(http_req_t *req, int status, int64_t id)
{
	json_t *out = NULL;
	int rc = hall_ticket_json(db_thread(), id, &out);
	if (rc)
		return rc == YW_ENOTFOUND ? http_fail(req, rc, "号票不存在") : rc;
	json_object_set_new(out, "follow_url", json_sprintf("%s%s", http_origin(req),
							  json_string_value(json_object_get(out, "follow_path"))));
	http_reply_json(req, status, out);
	return 0;
}

int h_hall_ticket_create(http_req_t *req)
{
	if (req->write_done) {
		issue_job_t *j = req->write_arg;
		if (req->write_status == YW_ENOTFOUND)
			return http_fail(req, YW_EINVAL, "队列不存在或已停用");
		if (req->write_status == YW_ECONFLICT)
			return http_fail(req, YW_ECONFLICT, "该队列今日号码已发完");
		return req->write_status ? req->write_status : reply_ticket(req, 201, j->id);
	}
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	vctx_t v = {0};
	issue_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->queue_id = v_int(&v, in, "queue_id", 1, INT32_MAX, true, 0);
	const char *cat = v_str(&v, in, "category", 0, 16);
	int c = *cat ? hall_category_parse(cat) : HALL_NORMAL;
	if (c < 0 || c == HALL_APPOINTMENT)
		v_error(&v, "category", "应为 normal(普通)、elderly(老年人)、disabled(残疾人)或 green(绿色通道)");
	const char *idn = v_str(&v, in, "id_number", 0, 18);
	if (*idn && idcheck_person_reason(idn, strlen(idn)))
		v_error(&v, "id_number", idcheck_person_reason(idn, strlen(idn)));
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	j->now = yw_now();
	j->cat = hall_ticket_category((enum hall_category)c, idn, date_today_local(j->now));
	j->user = req->user;
	return http_write(req, issue_in_group, j);
}

static int ticket_by_token(http_req_t *req, int64_t *id)
{
	if (hall_ticket_by_token(db_thread(), req->param[0], id))
		return http_fail(req, YW_ENOTFOUND, "号票不存在");
	return 0;
}

int h_hall_ticket_get(http_req_t *req)
{
	int64_t id = 0;
	int rc = ticket_by_token(req, &id);
	return rc ? rc : reply_ticket(req, 200, id);
}

int h_hall_ticket_qr(http_req_t *req)
{
	int64_t id = 0;
	int rc = ticket_by_token(req, &id);
	if (rc)
		return rc;
	const char *url = arena_printf(req->arena, "%s/ticket/%s", http_origin(req), req->param[0]);
	size_t len;
	char *svg = qr_svg(req->arena, url, "扫码查看排队进度", &len);
	if (!svg)
		return YW_EIO;
	http_reply_bytes(req, 200, "image/svg+xml", svg, len);
	return 0;
}

/* ---- window work ---- */

/* The clerk works at their own window only. */
static int own_window(http_req_t *req, int64_t *id)
{
	int rc = param_id(req, 0, id, "窗口不存在");
	if (rc)
		return rc;
	if (req->user->window_id != *id)
		return http_fail(req, YW_EFORBIDDEN, "只能操作本人所在的窗口");
	return 0;
}

int h_hall_window_get(http_req_t *req)
{
	int64_t id = 0;
	int rc = own_window(req, &id);
	json_t *out = NULL;
	if (!rc)
		rc = hall_window_json(db_thread(), id, &out);
	return reply(req, 200, rc, out);
}

int h_hall_window_preview(http_req_t *req)
{
	int64_t id = 0, ticket = 0;
	char why[HALL_WHY_MAX];
	int rc = own_window(req, &id);
	if (rc)
		return rc;
	int64_t now = yw_now();
	rc = hall_window_next(db_thread(), id, now, &ticket, why);
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "该窗口尚未配置叫号队列");
	json_t *t = json_null();
	if (!rc && ticket && (rc = hall_ticket_json(db_thread(), ticket, &t)) != 0)
		return rc;
	return reply(req, 200, rc, json_pack("{s:o, s:s}", "ticket", t, "reason", why));
}

typedef struct act_job {
	const auth_user_t *user;
	enum hall_act a;
	int64_t window_id, arg, now, ticket;
	char why[HALL_WHY_MAX];
} act_job_t;

static int act_in_group(db_t *db, void *arg)
{
	act_job_t *j = arg;
	return hall_window_act(db, j->user, j->a, j->window_id, j->arg, j->now, &j->ticket, j->why);
}

/* After the commit: the board hears of every call and recall, then the window's state goes back. */
static int act_done(http_req_t *req)
{
	act_job_t *j = req->write_arg;
	int rc = req->write_status;
	if (rc == YW_ECONFLICT || rc == YW_EINVAL)
		return http_fail(req, rc, j->why[0] ? arena_strdup(req->arena, j->why) : "窗口当前状态不允许此操作");
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "窗口不存在");
	if (rc)
		return rc;
	db_t *db = db_thread();
	json_t *out, *event = NULL;
	int64_t hall_id;
	if ((j->a == HALL_CALL || j->a == HALL_RECALL) && hall_call_event(db, j->ticket, &hall_id, &event) == 0 &&
	    json_integer_value(json_object_get(event, "window_id")) == j->window_id) {
		hall_on_call(hall_id, event);
	}
	json_decref(event);
	if ((rc = hall_window_json(db, j->window_id, &out)) != 0)
		return rc;
	if (j->ticket) {
		json_t *t;
		if (hall_ticket_json(db, j->ticket, &t) == 0)
			json_object_set_new(out, "acted_on", t);
	}
	if (j->why[0])
		json_object_set_new(out, "reason", json_string(j->why));
	http_reply_json(req, 200, out);
	return 0;
}

static int window_act(http_req_t *req, enum hall_act a)
{
	if (req->write_done)
		return act_done(req);
	act_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = own_window(req, &j->window_id);
	if (rc)
		return rc;
	json_t *in = NULL;
	if ((a == HALL_TRANSFER || a == HALL_FINISH) && (rc = http_body_json(req, &in)) != 0)
		return rc;
	vctx_t v = {0};
	if (a == HALL_TRANSFER)
		j->arg = v_int(&v, in, "queue_id", 1, INT32_MAX, true, 0);
	if (a == HALL_FINISH)
		j->arg = json_is_null(json_object_get(in, "case_id")) ? 0 : v_int(&v, in, "case_id", 1, INT64_MAX, false, 0);
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	j->user = req->user;
	j->a = a;
	j->now = yw_now();
	return http_write(req, act_in_group, j);
}

int h_hall_window_call(http_req_t *req)
{
	return window_act(req, HALL_CALL);
}
int h_hall_window_recall(http_req_t *req)
{
	return window_act(req, HALL_RECALL);
}
int h_hall_window_skip(http_req_t *req)
{
	return window_act(req, HALL_SKIP);
}
int h_hall_window_transfer(http_req_t *req)
{
	return window_act(req, HALL_TRANSFER);
}
int h_hall_window_pause(http_req_t *req)
{
	return window_act(req, HALL_PAUSE);
}
int h_hall_window_resume(http_req_t *req)
{
	return window_act(req, HALL_RESUME);
}
int h_hall_window_start(http_req_t *req)
{
	return window_act(req, HALL_START);
}
int h_hall_window_finish(http_req_t *req)
{
	return window_act(req, HALL_FINISH);
}

/* ---- appointments ---- */

static int query_date(http_req_t *req, const char *name, yw_date_t *out)
{
	const char *d = http_query(req, name);
	if (!d || date_parse(d, strlen(d), out)) {
		http_fail_field(req, name, "应为日期 YYYY-MM-DD");
		return YW_EINVAL;
	}
	return 0;
}

int h_hall_slots(http_req_t *req)
{
	int64_t id = 0;
	yw_date_t day = 0;
	int rc = param_id(req, 0, &id, "队列不存在");
	if (rc || (rc = query_date(req, "date", &day)) != 0)
		return rc;
	const calendar_t *cal;
	if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
		return rc;
	json_t *out = NULL;
	rc = hall_slots_json(db_thread(), id, day, cal, &out);
	calendar_release();
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "队列不存在或已停用");
	return reply(req, 200, rc, out);
}

int h_hall_appointment_create(http_req_t *req)
{
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	vctx_t v = {0};
	int64_t queue_id = v_int(&v, in, "queue_id", 1, INT32_MAX, true, 0);
	const char *d = v_str(&v, in, "date", 10, 10), *t = v_str(&v, in, "time", 5, 5);
	yw_date_t day = 0;
	if (*d && date_parse(d, 10, &day))
		v_error(&v, "date", "应为日期 YYYY-MM-DD");
	int minute = hall_parse_hhmm(t);
	if (*t && minute < 0)
		v_error(&v, "time", "应为时段开始时间 HH:MM");
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	if (!applicant(req->user))
		return http_fail(req, YW_EFORBIDDEN, "只有申请人可以预约");
	const calendar_t *cal;
	if ((rc = calendar_acquire(db_thread(), &cal)) != 0)
		return rc;
	int64_t id = 0;
	char why[HALL_WHY_MAX] = "";
	const char *field = "time";
	rc = hall_appointment_book(db_thread(), req->user, queue_id, day, minute, cal, yw_now(), &id, &field, why);
	calendar_release();
	if (rc == YW_EINVAL) {
		http_fail_field(req, field, why);
		return http_fail(req, rc, arena_strdup(req->arena, why));
	}
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, arena_strdup(req->arena, why));
	if (rc)
		return rc;
	json_t *list;
	if ((rc = hall_appointments_json(db_thread(), req->user, &list)) != 0)
		return rc;
	size_t i;
	json_t *a, *mine = NULL;
	json_array_foreach(json_object_get(list, "items"), i, a)
		if (json_integer_value(json_object_get(a, "id")) == id)
			mine = json_incref(a);
	json_decref(list);
	return reply(req, 201, mine ? 0 : YW_EDB, mine);
}

int h_hall_appointments_list(http_req_t *req)
{
	json_t *out = NULL;
	int rc = hall_appointments_json(db_thread(), req->user, &out);
	return reply(req, 200, rc, out);
}

int h_hall_appointment_cancel(http_req_t *req)
{
	int64_t id = 0;
	char why[HALL_WHY_MAX] = "";
	int rc = param_id(req, 0, &id, "预约不存在");
	if (rc)
		return rc;
	rc = hall_appointment_cancel(db_thread(), req->user, id, yw_now(), why);
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "预约不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, arena_strdup(req->arena, why));
	return reply(req, 200, rc, rc ? NULL : json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "cancelled"));
}

typedef struct checkin_job {
	const char *code;
	int64_t now, ticket;
	char why[HALL_WHY_MAX];
} checkin_job_t;

static int checkin_in_group(db_t *db, void *arg)
{
	checkin_job_t *j = arg;
	return hall_appointment_checkin(db, j->code, j->now, &j->ticket, j->why);
}

int h_hall_checkin(http_req_t *req)
{
	if (req->write_done) {
		checkin_job_t *j = req->write_arg;
		int rc = req->write_status;
		if (rc == YW_ENOTFOUND)
			return http_fail(req, rc, "预约不存在,请核对预约码");
		if (rc == YW_ECONFLICT)
			return http_fail(req, rc, arena_strdup(req->arena, j->why));
		if (rc)
			return rc;
		json_t *out;
		if ((rc = hall_ticket_json(db_thread(), j->ticket, &out)) != 0)
			return rc;
		json_object_set_new(out, "message", json_string(j->why));
		http_reply_json(req, 201, out);
		return 0;
	}
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	vctx_t v = {0};
	checkin_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->code = arena_strdup(req->arena, v_str(&v, in, "code", 1, 40));
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	j->now = yw_now();
	return http_write(req, checkin_in_group, j);
}

/* ---- board, status, statistics ---- */

static int hall_param(http_req_t *req, int64_t *id)
{
	char region[16];
	int rc = param_id(req, 0, id, "大厅不存在");
	if (!rc && hall_region(db_thread(), *id, region))
		return http_fail(req, YW_ENOTFOUND, "大厅不存在");
	return rc;
}

int h_hall_board(http_req_t *req)
{
	int64_t id = 0;
	int rc = hall_param(req, &id);
	json_t *waiting = NULL;
	if (!rc)
		rc = hall_waiting_json(db_thread(), id, &waiting);
	return reply(req, 200, rc,
		     rc ? NULL : json_pack("{s:I, s:o, s:o}", "hall_id", (json_int_t)id, "calls", hall_board_calls(id), "queues", waiting));
}

int h_hall_status(http_req_t *req)
{
	int64_t id = 0;
	int rc = hall_param(req, &id);
	if (!rc)
		rc = manage_scope(req, id);
	json_t *out = NULL;
	if (!rc)
		rc = hall_status_json(db_thread(), id, yw_now(), &out);
	return reply(req, 200, rc, out);
}

static int stats(http_req_t *req, json_t **out)
{
	int64_t id = 0;
	yw_date_t day = date_today_local(yw_now());
	int rc = hall_param(req, &id);
	if (!rc)
		rc = manage_scope(req, id);
	if (!rc && http_query(req, "date"))
		rc = query_date(req, "date", &day);
	return rc ? rc : hall_stats_json(db_thread(), id, day, out);
}

int h_hall_stats(http_req_t *req)
{
	json_t *out = NULL;
	int rc = stats(req, &out);
	return reply(req, 200, rc, out);
}

int h_hall_stats_xlsx(http_req_t *req)
{
	json_t *out = NULL;
	int rc = stats(req, &out);
	if (rc)
		return rc;
	rc = http_reply_xlsx(req, "hall-stats.xlsx", hall_stats_xlsx, out);
	json_decref(out);
	return rc;
}
