/* Service hall routes (docs/api.md, "Service hall"): queues, tickets from the kiosk and the phone,
 * the follow page and its QR code, the windows' calling work, appointments, the display board's
 * initial state, the manager's status with the long-queue alert, and the statistics. Ticket
 * issuance and every window action are durable writes through the group-commit writer. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "platform/config.h"
#include "platform/qr.h"
#include "reviews/reviews.h"

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

/* rc of a store lookup: YW_ENOTFOUND becomes a 404 with msg; any other error stays what it is. */
static int not_found(http_req_t *req, int rc, const char *msg)
{
	return rc == YW_ENOTFOUND ? http_fail(req, rc, msg) : rc;
}

/* The device the request carries (hall_device_of_request): 0 with *found, or the store's error
 * status; a request without a device of that hall and kind is no error. */
static int device_of(http_req_t *req, int64_t hall_id, const char *kind, hall_device_t *d, bool *found)
{
	int rc = hall_device_of_request(req, hall_id, kind, d);
	*found = rc == 0;
	return rc == YW_EAUTH || rc == YW_EFORBIDDEN ? 0 : rc;
}

/* hall.manage acts on the halls of the manager's region. */
static int manage_scope(http_req_t *req, int64_t hall_id)
{
	char region[16];
	int rc = hall_region(db_thread(), hall_id, region);
	if (rc)
		return not_found(req, rc, "大厅不存在");
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

typedef struct queue_job {
	const auth_user_t *user;
	int64_t id, out_id;
	json_t *in;
	vctx_t v;
} queue_job_t;

static int queue_in_group(db_t *db, void *arg)
{
	queue_job_t *j = arg;
	return hall_queue_save(db, j->user, j->id, j->in, &j->v, &j->out_id);
}

static int queue_respond(http_req_t *req, int rc, void *arg)
{
	queue_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	json_decref(j->v.errors);
	if (rc)
		return rc;
	json_t *q;
	rc = hall_queue_get(db_thread(), j->out_id, &q);
	return reply(req, j->id ? 200 : 201, rc, q);
}

static int queue_save(http_req_t *req, int64_t id)
{
	queue_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = http_body_json(req, &j->in);
	if (rc)
		return rc;
	db_t *db = db_thread();
	int64_t hall_id = 0;
	if (id && (rc = hall_of_queue(db, id, &hall_id)) != 0)
		return not_found(req, rc, "队列不存在");
	if (!id && json_is_integer(json_object_get(j->in, "hall_id")))
		hall_id = json_integer_value(json_object_get(j->in, "hall_id"));
	if (hall_id && (rc = manage_scope(req, hall_id)) != 0)
		return rc;
	j->user = req->user;
	j->id = id;
	return http_write(req, queue_in_group, j, queue_respond);
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

typedef struct window_queues_job {
	const auth_user_t *user;
	int64_t id;
	json_t *ids;
	vctx_t v;
} window_queues_job_t;

static int window_queues_in_group(db_t *db, void *arg)
{
	window_queues_job_t *j = arg;
	return hall_window_set_queues(db, j->user, j->id, j->ids, &j->v);
}

static int window_queues_respond(http_req_t *req, int rc, void *arg)
{
	window_queues_job_t *j = arg;
	if (rc == YW_EINVAL)
		return http_fail_fields(req, &j->v.errors);
	json_decref(j->v.errors);
	json_t *out = NULL;
	if (!rc)
		rc = hall_window_json(db_thread(), j->id, &out);
	return reply(req, 200, rc, out);
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
	if ((rc = hall_of_window(db_thread(), id, &hall_id)) != 0)
		return not_found(req, rc, "窗口不存在");
	if ((rc = manage_scope(req, hall_id)) != 0)
		return rc;
	window_queues_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->ids = v_array(&j->v, in, "queue_ids", true);
	if (!v_ok(&j->v))
		return http_fail_fields(req, &j->v.errors);
	j->user = req->user;
	j->id = id;
	return http_write(req, window_queues_in_group, j, window_queues_respond);
}

/* ---- tickets ---- */

/* Applicants (自然人, 法人) take phone tickets and book appointments; staff do neither. */
static bool applicant(const auth_user_t *u)
{
	return strcmp(u->kind, "person") == 0 || strcmp(u->kind, "legal") == 0;
}

typedef struct issue_job {
	const auth_user_t *user;
	enum hall_issuer who;
	int64_t queue_id, now, id;
	enum hall_category cat;
	bool has_live; /* the applicant already holds a live ticket of the queue */
} issue_job_t;

static int issue_in_group(db_t *db, void *arg)
{
	issue_job_t *j = arg;
	if (j->who == HALL_BY_APPLICANT) {
		/* inside the writer, so two requests at once cannot both pass this check */
		bool live = false;
		int rc = hall_ticket_user_waiting(db, j->user->id, j->queue_id, &live);
		if (rc)
			return rc;
		if (live) {
			j->has_live = true;
			return YW_ECONFLICT;
		}
		return hall_ticket_issue(db, j->user, j->queue_id, HALL_NORMAL, "phone", j->user->id, j->now, &j->id);
	}
	return hall_ticket_issue(db, j->who == HALL_BY_STAFF ? j->user : NULL, j->queue_id, j->cat, "kiosk", 0, j->now, &j->id);
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

/* Staff who may act for the hall at its 导服台: its manager (region scope) or a clerk of one of its
 * windows. The answer in *staff; 0 or the store's error status. */
static int hall_staff(http_req_t *req, int64_t hall_id, bool *staff)
{
	const auth_user_t *u = req->user;
	*staff = false;
	if (!u)
		return 0;
	char region[16];
	int rc;
	if (auth_has_perm(u, PERM_HALL_MANAGE)) {
		if ((rc = hall_region(db_thread(), hall_id, region)) != 0 && rc != YW_ENOTFOUND)
			return rc;
		if (!rc && auth_region_within(region, u->region_code)) {
			*staff = true;
			return 0;
		}
	}
	int64_t own = 0;
	if (auth_has_perm(u, PERM_HALL_SERVE) && u->window_id) {
		if ((rc = hall_of_window(db_thread(), u->window_id, &own)) != 0 && rc != YW_ENOTFOUND)
			return rc;
		*staff = !rc && own == hall_id;
	}
	return 0;
}

static int issue_respond(http_req_t *req, int rc, void *arg)
{
	issue_job_t *j = arg;
	if (rc == YW_ENOTFOUND)
		return http_fail(req, YW_EINVAL, "队列不存在或已停用");
	if (rc == YW_ECONFLICT)
		return http_fail(req, YW_ECONFLICT, j->has_live ? "您在该队列已有等候中的号票，请勿重复取号"
								: "该队列今日号码已发完");
	return rc ? rc : reply_ticket(req, 201, j->id);
}

int h_hall_ticket_create(http_req_t *req)
{
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
		v_error(&v, "category", "应为 normal（普通）、elderly（老年人）、disabled（残疾人）或 green（绿色通道）");
	const char *idn = v_str(&v, in, "id_number", 0, 18);
	int age;
	if (*idn && idcheck_person_reason(idn, strlen(idn)))
		v_error(&v, "id_number", idcheck_person_reason(idn, strlen(idn)));
	else if (*idn && idcheck_person_age(idn, date_today_local(yw_now()), &age))
		v_error(&v, "id_number", "出生日期晚于今天，请核对身份证号码");
	int64_t hall_id = 0;
	if (j->queue_id && (rc = hall_of_queue(db_thread(), j->queue_id, &hall_id)) != 0) {
		if (rc != YW_ENOTFOUND)
			return rc;
		v_error(&v, "queue_id", "队列不存在或已停用");
	}
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	/* who asks (docs/domain.md §8, 取号): a paired kiosk of the hall, a signed-in applicant (one live
	 * ticket per queue), the hall's staff at the 导服台; nobody else */
	hall_device_t dev;
	bool kiosk, staff = false;
	if ((rc = device_of(req, hall_id, "kiosk", &dev, &kiosk)) != 0)
		return rc;
	if (!kiosk && !(req->user && applicant(req->user)) && (rc = hall_staff(req, hall_id, &staff)) != 0)
		return rc;
	if (kiosk)
		j->who = HALL_BY_KIOSK;
	else if (req->user && applicant(req->user))
		j->who = HALL_BY_APPLICANT;
	else if (staff)
		j->who = HALL_BY_STAFF;
	else if (req->user)
		return http_fail(req, YW_EFORBIDDEN, "您不是该大厅的工作人员，不能代为取号");
	else
		return http_fail(req, YW_EAUTH, "请在大厅的自助取号机取号，或登录后远程取号");
	/* priority is never self-declared: who asks decides what they may ask for */
	j->now = yw_now();
	int got = hall_issue_category(j->who, (enum hall_category)c, idn, date_today_local(j->now));
	if (got == HALL_ASK_STAFF_ONLY)
		return http_fail(req, YW_EFORBIDDEN, "残疾人、绿色通道等优先号须由导服台工作人员核实后发放");
	if (got == HALL_ASK_NEEDS_ID)
		return http_fail(req, YW_EFORBIDDEN, "老年人优先须刷身份证或输入身份证号码");
	j->cat = (enum hall_category)got;
	j->user = req->user;
	return http_write(req, issue_in_group, j, issue_respond);
}

static int ticket_by_token(http_req_t *req, int64_t *id)
{
	int rc = hall_ticket_by_token(db_thread(), req->param[0], id);
	return rc ? not_found(req, rc, "号票不存在") : 0;
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
static int act_done(http_req_t *req, int rc, void *arg)
{
	act_job_t *j = arg;
	if (rc == YW_ECONFLICT || rc == YW_EINVAL)
		return http_fail(req, rc, j->why[0] ? arena_strdup(req->arena, j->why) : "窗口当前状态不允许此操作");
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "窗口不存在");
	if (rc)
		return rc;
	db_t *db = db_thread();
	json_t *out, *event = NULL;
	int64_t hall_id;
	if (j->a == HALL_CALL || j->a == HALL_RECALL) {
		/* YW_ENOTFOUND: no longer called (a third recall made it a no-show), nothing to show */
		rc = hall_call_event(db, j->ticket, &hall_id, &event);
		if (rc && rc != YW_ENOTFOUND)
			return rc;
		if (!rc && json_integer_value(json_object_get(event, "window_id")) == j->window_id)
			hall_on_call(hall_id, event);
		json_decref(event);
	}
	if ((rc = hall_window_json(db, j->window_id, &out)) != 0)
		return rc;
	if (j->ticket) {
		json_t *t;
		if ((rc = hall_ticket_json(db, j->ticket, &t)) != 0) {
			json_decref(out);
			return rc;
		}
		json_object_set_new(out, "acted_on", t);
	}
	if (j->why[0])
		json_object_set_new(out, "reason", json_string(j->why));
	http_reply_json(req, 200, out);
	return 0;
}

static int window_act(http_req_t *req, enum hall_act a)
{
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
	return http_write(req, act_in_group, j, act_done);
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

typedef struct book_job {
	const auth_user_t *user;
	int64_t queue_id, now, id;
	yw_date_t day;
	int minute;
	const char *field;
	char why[HALL_WHY_MAX];
} book_job_t;

static int book_in_group(db_t *db, void *arg)
{
	book_job_t *j = arg;
	const calendar_t *cal;
	int rc = calendar_acquire(db, &cal);
	if (rc)
		return rc;
	rc = hall_appointment_book(db, j->user, j->queue_id, j->day, j->minute, cal, j->now, &j->id, &j->field, j->why);
	calendar_release();
	return rc;
}

static int book_respond(http_req_t *req, int rc, void *arg)
{
	book_job_t *j = arg;
	if (rc == YW_EINVAL) {
		http_fail_field(req, j->field, j->why);
		return http_fail(req, rc, arena_strdup(req->arena, j->why));
	}
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, arena_strdup(req->arena, j->why));
	if (rc)
		return rc;
	json_t *list;
	if ((rc = hall_appointments_json(db_thread(), req->user, &list)) != 0)
		return rc;
	size_t i;
	json_t *a, *mine = NULL;
	json_array_foreach(json_object_get(list, "items"), i, a)
		if (json_integer_value(json_object_get(a, "id")) == j->id)
			mine = json_incref(a);
	json_decref(list);
	return reply(req, 201, mine ? 0 : YW_EDB, mine);
}

int h_hall_appointment_create(http_req_t *req)
{
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	vctx_t v = {0};
	book_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->queue_id = v_int(&v, in, "queue_id", 1, INT32_MAX, true, 0);
	const char *d = v_str(&v, in, "date", 10, 10), *t = v_str(&v, in, "time", 5, 5);
	if (*d && date_parse(d, 10, &j->day))
		v_error(&v, "date", "应为日期 YYYY-MM-DD");
	j->minute = hall_parse_hhmm(t);
	if (*t && j->minute < 0)
		v_error(&v, "time", "应为时段开始时间 HH:MM");
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	if (!applicant(req->user))
		return http_fail(req, YW_EFORBIDDEN, "只有申请人可以预约");
	j->user = req->user;
	j->now = yw_now();
	j->field = "time";
	return http_write(req, book_in_group, j, book_respond);
}

int h_hall_appointments_list(http_req_t *req)
{
	json_t *out = NULL;
	int rc = hall_appointments_json(db_thread(), req->user, &out);
	return reply(req, 200, rc, out);
}

typedef struct cancel_job {
	const auth_user_t *user;
	int64_t id, now;
	char why[HALL_WHY_MAX];
} cancel_job_t;

static int cancel_in_group(db_t *db, void *arg)
{
	cancel_job_t *j = arg;
	return hall_appointment_cancel(db, j->user, j->id, j->now, j->why);
}

static int cancel_respond(http_req_t *req, int rc, void *arg)
{
	cancel_job_t *j = arg;
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "预约不存在");
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, arena_strdup(req->arena, j->why));
	return reply(req, 200, rc, rc ? NULL : json_pack("{s:I, s:s}", "id", (json_int_t)j->id, "state", "cancelled"));
}

int h_hall_appointment_cancel(http_req_t *req)
{
	cancel_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = param_id(req, 0, &j->id, "预约不存在");
	if (rc)
		return rc;
	j->user = req->user;
	j->now = yw_now();
	return http_write(req, cancel_in_group, j, cancel_respond);
}

typedef struct checkin_job {
	const char *code;
	int64_t hall_id, owner_id, now, ticket;
	char why[HALL_WHY_MAX];
} checkin_job_t;

static int checkin_in_group(db_t *db, void *arg)
{
	checkin_job_t *j = arg;
	return hall_appointment_checkin(db, j->code, j->hall_id, j->owner_id, j->now, &j->ticket, j->why);
}

static int checkin_respond(http_req_t *req, int rc, void *arg)
{
	checkin_job_t *j = arg;
	if (rc == YW_ENOTFOUND)
		return http_fail(req, rc, "预约不存在，请核对预约码");
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

int h_hall_checkin(http_req_t *req)
{
	json_t *in;
	int rc = http_body_json(req, &in);
	if (rc)
		return rc;
	vctx_t v = {0};
	checkin_job_t *j = arena_zalloc(req->arena, sizeof *j);
	j->code = arena_strdup(req->arena, v_str(&v, in, "code", 1, 40));
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	/* a paired kiosk checks in the appointments of its hall; an applicant their own */
	hall_device_t dev;
	bool kiosk;
	if ((rc = device_of(req, 0, "kiosk", &dev, &kiosk)) != 0)
		return rc;
	if (kiosk)
		j->hall_id = dev.hall_id;
	else if (req->user && applicant(req->user))
		j->owner_id = req->user->id;
	else if (req->user)
		return http_fail(req, YW_EFORBIDDEN, "只有预约人本人或大厅自助取号机可以签到");
	else
		return http_fail(req, YW_EAUTH, "请在大厅的自助取号机签到，或登录后签到");
	j->now = yw_now();
	return http_write(req, checkin_in_group, j, checkin_respond);
}

/* ---- board, status, statistics ---- */

static int hall_param(http_req_t *req, int64_t *id)
{
	char region[16];
	int rc = param_id(req, 0, id, "大厅不存在");
	if (!rc && (rc = hall_region(db_thread(), *id, region)) != 0)
		return not_found(req, rc, "大厅不存在");
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

/* ---- devices (大厅设备) ---- */

/* A device's last_seen, recorded by the writer without the request waiting for it: the device's
 * request does not depend on it, and a lost one is written again on the next request. */
typedef struct seen_job {
	int64_t id, now;
} seen_job_t;

static int seen_in_group(db_t *db, void *arg)
{
	seen_job_t *j = arg;
	return hall_device_seen(db, j->id, j->now);
}

static void seen_done(void *ctx, int status)
{
	(void)status;
	free(ctx);
}

static void seen_submit(int64_t id, int64_t now)
{
	seen_job_t *j = malloc(sizeof *j);
	if (!j)
		return;
	*j = (seen_job_t){id, now};
	if (writer_submit(seen_in_group, j, seen_done, j) != 0)
		free(j);
}

int hall_device_of_request(http_req_t *req, int64_t hall_id, const char *kind, hall_device_t *out)
{
	const char *token = http_header(req, "X-Device-Token");
	if (!token || !*token)
		token = http_query(req, "device_token");
	if (!token || !*token)
		token = http_cookie(req, "yw_hall_device");
	if (!token || !*token)
		return YW_EAUTH;
	int64_t now = yw_now();
	int rc = hall_device_by_token(db_thread(), token, now, out);
	if (rc)
		return rc;
	if (out->seen_due)
		seen_submit(out->id, now);
	if ((hall_id && out->hall_id != hall_id) || (kind && strcmp(out->kind, kind) != 0))
		return YW_EFORBIDDEN;
	return 0;
}

int hall_device_verify(http_req_t *req, int64_t hall_id, const char *kind, bool *ok)
{
	hall_device_t d;
	int rc = hall_device_of_request(req, hall_id, kind, &d);
	*ok = rc == 0;
	return rc == YW_EAUTH || rc == YW_EFORBIDDEN ? 0 : rc;
}

int h_hall_devices_list(http_req_t *req)
{
	int64_t id = 0;
	int rc = hall_param(req, &id);
	if (!rc)
		rc = manage_scope(req, id);
	json_t *out = NULL;
	if (!rc)
		rc = hall_devices_json(db_thread(), id, yw_now(), &out);
	return reply(req, 200, rc, out);
}

static int reply_code(http_req_t *req, int status, int64_t hall_id, int64_t device_id, const char *code, int64_t now)
{
	json_t *list = NULL, *d, *mine = NULL;
	int rc = hall_devices_json(db_thread(), hall_id, now, &list);
	if (rc)
		return rc;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, d)
		if (json_integer_value(json_object_get(d, "id")) == device_id)
			mine = json_incref(d);
	json_decref(list);
	if (!mine)
		return YW_EDB;
	json_object_set_new(mine, "pairing_code", json_string(code));
	json_object_set_new(mine, "pairing_expires_at", json_integer(now + HALL_PAIR_TTL_S));
	http_reply_json(req, status, mine);
	return 0;
}

/* Device management by the hall manager: create, new code, revoke. */
typedef struct device_job {
	const auth_user_t *user;
	int64_t hall_id, window_id, id, now;
	const char *kind, *name;
	char code[HALL_PAIR_CODE_LEN + 1];
} device_job_t;

static int device_create_in_group(db_t *db, void *arg)
{
	device_job_t *j = arg;
	return hall_device_create(db, j->user, j->hall_id, j->kind, j->window_id, j->name, j->now, &j->id, j->code);
}

static int device_create_respond(http_req_t *req, int rc, void *arg)
{
	device_job_t *j = arg;
	return rc ? rc : reply_code(req, 201, j->hall_id, j->id, j->code, j->now);
}

static int device_recode_in_group(db_t *db, void *arg)
{
	device_job_t *j = arg;
	return hall_device_recode(db, j->user, j->id, j->now, j->code);
}

static int device_recode_respond(http_req_t *req, int rc, void *arg)
{
	device_job_t *j = arg;
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "该设备已配对或已停用，请新增设备");
	return rc ? rc : reply_code(req, 200, j->hall_id, j->id, j->code, j->now);
}

static int device_revoke_in_group(db_t *db, void *arg)
{
	device_job_t *j = arg;
	return hall_device_revoke(db, j->user, j->id, j->now);
}

static int device_revoke_respond(http_req_t *req, int rc, void *arg)
{
	device_job_t *j = arg;
	if (rc == YW_ECONFLICT)
		return http_fail(req, rc, "该设备已停用");
	json_t *list = NULL;
	if (!rc)
		rc = hall_devices_json(db_thread(), j->hall_id, j->now, &list);
	return reply(req, 200, rc, list);
}

int h_hall_device_create(http_req_t *req)
{
	int64_t hall_id = 0;
	int rc = hall_param(req, &hall_id);
	if (rc || (rc = manage_scope(req, hall_id)) != 0)
		return rc;
	json_t *in;
	if ((rc = http_body_json(req, &in)) != 0)
		return rc;
	vctx_t v = {0};
	const char *kind = v_str(&v, in, "kind", 1, 8);
	if (*kind && !hall_device_kind_valid(kind))
		v_error(&v, "kind", "应为 kiosk（自助取号机）、board（叫号屏）或 pad（窗口评价器）");
	const char *name = v_str(&v, in, "name", 1, 40);
	int64_t window_id = v_int(&v, in, "window_id", 1, INT32_MAX, false, 0), wh = 0;
	if (strcmp(kind, "pad") == 0 && !window_id)
		v_error(&v, "window_id", "评价器须绑定本大厅的一个窗口");
	else if (window_id && strcmp(kind, "pad") != 0)
		v_error(&v, "window_id", "只有评价器绑定窗口");
	else if (window_id && (rc = hall_of_window(db_thread(), window_id, &wh)) != 0 && rc != YW_ENOTFOUND)
		return rc;
	else if (window_id && (rc || wh != hall_id))
		v_error(&v, "window_id", "应为本大厅的窗口");
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	device_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (device_job_t){.user = req->user, .hall_id = hall_id, .kind = kind, .window_id = window_id, .name = name,
			    .now = yw_now()};
	return http_write(req, device_create_in_group, j, device_create_respond);
}

/* The device's hall within the manager's scope. */
static int device_param(http_req_t *req, int64_t *id, int64_t *hall_id)
{
	int rc = param_id(req, 0, id, "设备不存在");
	if (rc)
		return rc;
	if ((rc = hall_device_hall(db_thread(), *id, hall_id)) != 0)
		return not_found(req, rc, "设备不存在");
	return manage_scope(req, *hall_id);
}

int h_hall_device_code(http_req_t *req)
{
	device_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = device_param(req, &j->id, &j->hall_id);
	if (rc)
		return rc;
	j->user = req->user;
	j->now = yw_now();
	return http_write(req, device_recode_in_group, j, device_recode_respond);
}

int h_hall_device_revoke(http_req_t *req)
{
	device_job_t *j = arena_zalloc(req->arena, sizeof *j);
	int rc = device_param(req, &j->id, &j->hall_id);
	if (rc)
		return rc;
	j->user = req->user;
	j->now = yw_now();
	return http_write(req, device_revoke_in_group, j, device_revoke_respond);
}

/* Wrong pairing codes per client address: a six-digit code lives ten minutes, so guessing is
 * stopped long before it could succeed (HALL_PAIR_FAILS per HALL_PAIR_FAIL_WINDOW_S, then 429). */
#define HALL_PAIR_FAILS 10
#define HALL_PAIR_FAIL_WINDOW_S 600
#define HALL_PAIR_ADDRS 256
static struct {
	char ip[48];
	int64_t since;
	int fails;
} pair_fails[HALL_PAIR_ADDRS];
static pthread_mutex_t pair_lock = PTHREAD_MUTEX_INITIALIZER;

/* Seconds until ip may try again (0: now); fail counts one more failure. */
static int64_t pair_throttle(const char *ip, int64_t now, bool fail)
{
	pthread_mutex_lock(&pair_lock);
	int slot = -1, oldest = 0;
	for (int i = 0; i < HALL_PAIR_ADDRS; i++) {
		if (strcmp(pair_fails[i].ip, ip) == 0) {
			slot = i;
			break;
		}
		if (pair_fails[i].since < pair_fails[oldest].since)
			oldest = i;
	}
	if (slot >= 0 && now - pair_fails[slot].since >= HALL_PAIR_FAIL_WINDOW_S)
		pair_fails[slot].fails = 0, pair_fails[slot].since = now;
	if (slot < 0 && fail) {
		slot = oldest;
		snprintf(pair_fails[slot].ip, sizeof pair_fails[slot].ip, "%s", ip);
		pair_fails[slot].since = now;
		pair_fails[slot].fails = 0;
	}
	int64_t wait = 0;
	if (slot >= 0) {
		if (fail)
			pair_fails[slot].fails++;
		if (pair_fails[slot].fails >= HALL_PAIR_FAILS)
			wait = pair_fails[slot].since + HALL_PAIR_FAIL_WINDOW_S - now;
	}
	pthread_mutex_unlock(&pair_lock);
	return wait > 0 ? wait : 0;
}

static json_t *device_json(const hall_device_t *d)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o}", "id", (json_int_t)d->id, "hall_id", (json_int_t)d->hall_id, "kind",
			 d->kind, "name", d->name, "window_id", d->window_id ? json_integer(d->window_id) : json_null());
}

typedef struct pair_job {
	int64_t hall_id, now;
	const char *kind, *code;
	char token[HALL_DEVICE_TOKEN_LEN];
	hall_device_t d;
} pair_job_t;

static int pair_in_group(db_t *db, void *arg)
{
	pair_job_t *j = arg;
	return hall_device_pair(db, j->hall_id, j->kind, j->code, j->now, j->token, &j->d);
}

static int pair_respond(http_req_t *req, int rc, void *arg)
{
	pair_job_t *j = arg;
	if (rc == YW_ENOTFOUND || rc == YW_EINVAL) {
		pair_throttle(req->client_ip, j->now, true);
		http_fail_field(req, "code", rc == YW_EINVAL ? "该配对码不是此类设备的配对码" : "配对码错误或已过期，请向大厅管理员重新获取");
		return http_fail(req, YW_EINVAL, "配对失败");
	}
	if (rc)
		return rc;
	http_reply_json(req, 201, json_pack("{s:s, s:o}", "device_token", j->token, "device", device_json(&j->d)));
	return 0;
}

int h_hall_device_pair(http_req_t *req)
{
	int64_t hall_id = 0, now = yw_now();
	int rc = hall_param(req, &hall_id);
	if (rc)
		return rc;
	int64_t wait = pair_throttle(req->client_ip, now, false);
	if (wait) {
		/* an error status would drop the header: the 429 is built here */
		http_reply_json(req, 429, json_pack("{s:{s:s, s:s}}", "error", "code", "too_many_requests", "message",
						    "配对码错误次数过多，请稍后再试"));
		http_add_header(req, "Retry-After", arena_printf(req->arena, "%lld", (long long)wait));
		return 0;
	}
	json_t *in;
	if ((rc = http_body_json(req, &in)) != 0)
		return rc;
	vctx_t v = {0};
	const char *code = v_str(&v, in, "code", HALL_PAIR_CODE_LEN, HALL_PAIR_CODE_LEN);
	const char *kind = v_str(&v, in, "kind", 1, 8);
	if (*code && strspn(code, "0123456789") != HALL_PAIR_CODE_LEN)
		v_error(&v, "code", "配对码为6位数字");
	if (*kind && !hall_device_kind_valid(kind))
		v_error(&v, "kind", "应为 kiosk、board 或 pad");
	if (!v_ok(&v))
		return http_fail_fields(req, &v.errors);
	pair_job_t *j = arena_zalloc(req->arena, sizeof *j);
	*j = (pair_job_t){.hall_id = hall_id, .kind = kind, .code = code, .now = now};
	return http_write(req, pair_in_group, j, pair_respond);
}

int h_hall_device_me(http_req_t *req)
{
	hall_device_t d;
	bool found;
	int rc = device_of(req, 0, NULL, &d, &found);
	if (rc)
		return rc;
	if (!found)
		return http_fail(req, YW_EAUTH, "设备未配对或已被停用");
	http_reply_json(req, 200, device_json(&d));
	return 0;
}

/* The rating pad's view (窗口评价器): its window, the ticket being served there and the ticket
 * it may rate now (the one the window finished last, within hall_rating_window_seconds, not yet
 * rated). Tokens are left out: the pad follows no ticket. */
int h_hall_pad(http_req_t *req)
{
	hall_device_t pad;
	bool found;
	int rc = device_of(req, 0, "pad", &pad, &found);
	if (rc)
		return rc;
	if (!found)
		return http_fail(req, YW_EAUTH, "评价器未配对或已被停用，请联系大厅管理员");
	db_t *db = db_thread();
	json_t *win = NULL, *t;
	if ((rc = hall_window_json(db, pad.window_id, &win)) != 0)
		return rc;
	if ((t = json_object_get(win, "ticket")) && json_is_object(t)) {
		json_object_del(t, "token");
		json_object_del(t, "follow_path");
	}
	int64_t last = 0, now = yw_now();
	json_t *rate = json_null();
	hall_ticket_facts_t f = {0};
	bool rated = true;
	int64_t limit = config_current()->hall_rating_window_s;
	if ((rc = hall_window_last_done(db, pad.window_id, &last)) != 0 ||
	    (last && (rc = hall_ticket_facts(db, last, &f)) != 0) ||
	    (last && now - f.finished_at <= limit && (rc = reviews_ticket_rated(db, last, &rated)) != 0)) {
		json_decref(win);
		return rc;
	}
	if (last && now - f.finished_at <= limit && !rated) {
		if ((rc = hall_ticket_json(db, last, &rate)) != 0) {
			json_decref(win);
			return rc;
		}
		json_object_del(rate, "token");
		json_object_del(rate, "follow_path");
		json_object_set_new(rate, "finished_at", json_integer(f.finished_at));
		json_object_set_new(rate, "rate_until", json_integer(f.finished_at + limit));
	}
	json_object_set_new(win, "device", device_json(&pad));
	json_object_set_new(win, "rate", rate);
	http_reply_json(req, 200, win);
	return 0;
}

/* The booking's QR code (预约二维码): its token, which the kiosk's camera or hand scanner reads. */
int h_hall_appointment_qr(http_req_t *req)
{
	int64_t id = 0;
	int rc = param_id(req, 0, &id, "预约不存在");
	if (rc)
		return rc;
	json_t *list = NULL, *a;
	if ((rc = hall_appointments_json(db_thread(), req->user, &list)) != 0)
		return rc;
	const char *code = NULL;
	size_t i;
	json_array_foreach(json_object_get(list, "items"), i, a)
		if (json_integer_value(json_object_get(a, "id")) == id)
			code = arena_strdup(req->arena, json_string_value(json_object_get(a, "code")));
	json_decref(list);
	if (!code)
		return http_fail(req, YW_ENOTFOUND, "预约不存在");
	size_t len;
	char *svg = qr_svg(req->arena, code, "到大厅自助取号机扫码签到", &len);
	if (!svg)
		return YW_EIO;
	http_reply_bytes(req, 200, "image/svg+xml", svg, len);
	return 0;
}
