/* Review store: the SQL of 好差评. Ratings are inserted with the case's or window's department,
 * item and staff; a bad review then moves through reviews.c's state machine, each step in one
 * transaction with its audit record; the background job marks late rectifications and issues
 * their card. The scope of who sees a review is one SQL condition (SCOPE) used everywhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_store.h"
#include "hall/hall.h"
#include "platform/arena.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/err.h"
#include "reviews/reviews_store.h"
#include "supervision/supervision_store.h"

/* The tables a review's scope and JSON need. */
#define REVIEW_FROM                                                                                                    \
	" FROM reviews r LEFT JOIN departments d ON d.id = r.dept_id LEFT JOIN windows w ON w.id = r.window_id "       \
	"LEFT JOIN halls h ON h.id = w.hall_id LEFT JOIN cases c ON c.id = r.case_id "                                 \
	"LEFT JOIN item_versions iv ON iv.id = c.item_version_id LEFT JOIN users s ON s.id = r.staff_id "              \
	"LEFT JOIN users rv ON rv.id = r.reviewer_id "

/* Who sees a review (docs/api.md "Reviews"): supervisors and centre admins the reviews of their
 * region (:region_on; the region test is auth_region_within's SQL), departments the reviews of
 * their department (:scope_dept), the applicant who rated (:reviewer), the clerk rated (:staff);
 * 0 when not that role. A review's region is its department's, or its window's hall's when it has
 * no department. This is not who sees a case: a case's own rating is shown to whoever sees the
 * case (reviews_get_for_case, through cases_check_visible). */
#define SCOPE                                                                                                          \
	"((:region_on = 1 AND " AUTH_REGION_WITHIN_SQL("COALESCE(d.region_code, h.region_code, '')", "region") ") "    \
	"OR (:scope_dept <> 0 AND r.dept_id = :scope_dept) OR (:reviewer <> 0 AND r.reviewer_id = :reviewer) "        \
	"OR (:staff <> 0 AND r.staff_id = :staff))"

static void bind_scope(db_stmt_t *st, const auth_user_t *u)
{
	bool regional = (u->roles & (ROLE_SUPERVISOR | ROLE_CENTER_ADMIN)) != 0;
	db_bind_int(st, "region_on", regional ? 1 : 0);
	auth_region_bind(st, "region", regional ? u->region_code : "");
	db_bind_int(st, "scope_dept", (u->roles & (ROLE_APPROVER | ROLE_DEPT_ADMIN)) ? u->dept_id : 0);
	db_bind_int(st, "reviewer", (u->roles & ROLE_APPLICANT) ? u->id : 0);
	db_bind_int(st, "staff", (u->roles & ROLE_CLERK) ? u->id : 0);
}

static void today_str(int64_t now, char out[11])
{
	date_format(date_today_local(now), out);
}

/* ---- JSON ---- */

#define REVIEW_COLS                                                                                                    \
	"SELECT r.id, r.case_id, c.case_no, r.window_id, w.name, h.name, r.staff_id, s.name, r.dept_id, d.name, "      \
	"r.item_id, iv.name, r.ticket, r.level, r.channel, r.comment, r.at, r.day, r.status, r.appeal_note, "          \
	"r.appealed_at, r.genuine, r.verify_note, r.verified_at, r.rectify_due_day, r.rectified_at, r.rectify_note, "  \
	"r.late, r.callback_at, r.callback_note, r.callback_satisfied, COALESCE(c.applicant_name, rv.name), "          \
	"COALESCE(NULLIF(c.applicant_phone, ''), rv.phone) "

static const char *const col_names[] = {
	"id", "case_id", "case_no", "window_id", "window_name", "hall_name", "staff_id", "staff_name", "dept_id",
	"dept_name", "item_id", "item_name", "ticket", "level", "channel", "comment", "at", "day", "status",
	"appeal_note", "appealed_at", "genuine", "verify_note", "verified_at", "rectify_due_day", "rectified_at",
	"rectify_note", "late", "callback_at", "callback_note", "callback_satisfied"};
#define NCOLS ((int)(sizeof col_names / sizeof col_names[0]))

static json_t *flag(db_stmt_t *st, int k)
{
	return db_col_null(st, k) ? json_null() : json_boolean(db_col_int(st, k));
}

/* The row at st as JSON. The applicant's name and phone are shown to supervisors and centre
 * admins only: they make the call-back (回访); departments see the review, not who gave it. */
static json_t *row_json(db_stmt_t *st, const auth_user_t *actor)
{
	json_t *o = json_object();
	for (int k = 0; k < NCOLS; k++)
		json_object_set_new(o, col_names[k], db_col_json(st, k));
	int level = (int)db_col_int(st, 13);
	json_object_set_new(o, "level_label", json_string(review_level_label(level)));
	json_object_set_new(o, "bad", json_boolean(review_is_bad(level)));
	const char *ch = review_channel_label(db_col_text(st, 14));
	json_object_set_new(o, "channel_label", json_string(ch ? ch : db_col_text(st, 14)));
	const char *sl = review_status_label(db_col_text(st, 18));
	json_object_set_new(o, "status_label", json_string(sl ? sl : db_col_text(st, 18)));
	json_object_set_new(o, "genuine", flag(st, 21));
	json_object_set_new(o, "late", flag(st, 27));
	json_object_set_new(o, "callback_satisfied", flag(st, 30));
	if (actor->roles & (ROLE_SUPERVISOR | ROLE_CENTER_ADMIN))
		json_object_set_new(o, "contact",
				    json_pack("{s:o, s:o}", "name", db_col_json(st, 31), "phone", db_col_json(st, 32)));
	return o;
}

int reviews_get(db_t *db, const auth_user_t *actor, int64_t id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, REVIEW_COLS REVIEW_FROM "WHERE " SCOPE " AND r.id = :id");
	bind_scope(st, actor);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*out = row_json(st, actor);
		db_reset(st);
	}
	return rc;
}

int reviews_get_rated(db_t *db, int64_t id, json_t **out)
{
	static const auth_user_t nobody = {0}; /* no role: the rating without whom to call back */
	db_stmt_t *st = db_prepare(db, REVIEW_COLS REVIEW_FROM "WHERE r.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		*out = row_json(st, &nobody);
		db_reset(st);
	}
	return rc;
}

int reviews_get_for_case(db_t *db, const auth_user_t *actor, int64_t case_id, json_t **out)
{
	int rc = cases_check_visible(db, actor, case_id);
	if (rc)
		return rc;
	/* Who may see the case may see its review. */
	db_stmt_t *st = db_prepare(db, REVIEW_COLS REVIEW_FROM
				       "WHERE r.case_id = :case_id ORDER BY r.ticket_id IS NOT NULL, r.id LIMIT 1");
	db_bind_int(st, "case_id", case_id);
	rc = db_one(st);
	if (rc == 0) {
		*out = row_json(st, actor);
		db_reset(st);
	}
	return rc;
}

/* ---- ratings ---- */

typedef struct review_new {
	int64_t case_id, window_id, staff_id, dept_id, item_id, reviewer_id, ticket_id;
	int level;
	const char *channel, *comment, *ticket;
} review_new_t;

/* The fields every rating has: level, channel (default_channel when absent), comment. */
static void read_rating(vctx_t *v, json_t *in, const char *default_channel, review_new_t *r)
{
	r->level = (int)v_int(v, in, "level", REVIEW_LEVEL_MIN, REVIEW_LEVEL_MAX, true, 0);
	r->channel = v_str(v, in, "channel", 0, 16);
	if (!*r->channel)
		r->channel = default_channel;
	else if (!review_channel_label(r->channel))
		v_error(v, "channel", "应为 pc、app、pad、sms、phone、kiosk 或 wechat");
	r->comment = v_str(v, in, "comment", 0, 500);
}

/* Has the case its own rating (一事一评)? Window ratings that mention the case do not count. */
static int case_rated(db_t *db, int64_t case_id, bool *rated)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM reviews WHERE case_id = :case_id AND ticket_id IS NULL");
	db_bind_int(st, "case_id", case_id);
	int rc = db_one(st);
	if (rc == 0)
		db_reset(st);
	*rated = rc == 0;
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* Inserts r with its audit record, inside the caller's transaction. A bad review starts its
 * verification; a good one is closed at once. */
static int insert_review(db_t *db, const auth_user_t *actor, const review_new_t *r, int64_t now, int64_t *id_out)
{
	char day[11];
	today_str(now, day);
	db_stmt_t *st = db_prepare(
		db, "INSERT INTO reviews(case_id, window_id, staff_id, dept_id, item_id, reviewer_id, ticket, level, "
		    "channel, comment, at, day, status, ticket_id) VALUES (:case_id, :window_id, :staff_id, :dept_id, "
		    ":item_id, :reviewer_id, :ticket, :level, :channel, :comment, :at, :day, :status, :ticket_id) "
		    "RETURNING id");
	db_bind_id(st, "case_id", r->case_id);
	db_bind_id(st, "window_id", r->window_id);
	db_bind_id(st, "staff_id", r->staff_id);
	db_bind_id(st, "dept_id", r->dept_id);
	db_bind_id(st, "item_id", r->item_id);
	db_bind_id(st, "reviewer_id", r->reviewer_id);
	db_bind_text(st, "ticket", r->ticket && *r->ticket ? r->ticket : NULL);
	db_bind_int(st, "level", r->level);
	db_bind_text(st, "channel", r->channel);
	db_bind_text(st, "comment", r->comment);
	db_bind_int(st, "at", now);
	db_bind_text(st, "day", day);
	db_bind_text(st, "status", review_is_bad(r->level) ? "verifying" : "closed");
	db_bind_id(st, "ticket_id", r->ticket_id);
	*id_out = 0;
	/* YW_ECONFLICT from the unique indexes on case_id and ticket_id: rated at the same moment elsewhere */
	int rc = db_one(st);
	if (rc)
		return rc;
	*id_out = db_col_int(st, 0);
	db_reset(st);
	return audit_record_id(db, actor, "review.create", "reviews", *id_out);
}

static int commit_or_rollback(db_t *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

/* May actor rate case_id now (一事一评)? Only the applicant, of a decided or refused case not yet
 * rated, and never the person who would be rated. r gets the rating's department, item, window
 * and the person rated: who decided (or, for 不予受理, who refused), else who accepted. */
static int rate_case_check(db_t *db, const auth_user_t *actor, int64_t case_id, review_new_t *r)
{
	/* only the applicant rates; staff never rate a case, least of all one they served or decided */
	if (strcmp(actor->kind, "staff") == 0)
		return YW_EFORBIDDEN;
	/* Whose and in which state first: the case's actions ask this of every case its applicant
	 * opens, and most cases are not to be rated yet. */
	db_stmt_t *st = db_prepare(db, "SELECT COALESCE(applicant_id, 0), state FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", case_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	bool own = db_col_int(st, 0) == actor->id;
	int64_t state = db_col_int(st, 1);
	db_reset(st);
	if (!own)
		return YW_ENOTFOUND; /* only the applicant rates a case; to others it is not theirs to find */
	if (state != CASE_DONE_APPROVED && state != CASE_DONE_DENIED && state != CASE_REFUSED)
		return YW_ECONFLICT;
	if ((rc = cases_check_visible(db, actor, case_id)) != 0)
		return rc;
	st = db_prepare(db, "SELECT dept_id, item_id, COALESCE(window_id, 0), "
			    "COALESCE(decided_by, (SELECT actor_id FROM case_events e WHERE e.case_id = cases.id "
			    "AND e.action IN ('approve', 'deny', 'refuse') ORDER BY e.id DESC LIMIT 1), accepted_by, 0) "
			    "FROM cases WHERE id = :case_id");
	db_bind_int(st, "case_id", case_id);
	if ((rc = db_one(st)) != 0)
		return rc;
	r->dept_id = db_col_int(st, 0);
	r->item_id = db_col_int(st, 1);
	r->window_id = db_col_int(st, 2);
	r->staff_id = db_col_int(st, 3);
	db_reset(st);
	bool rated = false;
	if ((rc = case_rated(db, case_id, &rated)) != 0 || rated)
		return rc ? rc : YW_ECONFLICT; /* a store failure, or rated already */
	if (r->staff_id == actor->id)
		return YW_EFORBIDDEN;
	return 0;
}

int reviews_case_rate_check(db_t *db, const auth_user_t *actor, int64_t case_id)
{
	review_new_t r = {0};
	return rate_case_check(db, actor, case_id, &r);
}

int reviews_rate_case(db_t *db, const auth_user_t *actor, int64_t case_id, json_t *in, vctx_t *v, int64_t *id_out)
{
	review_new_t r = {.case_id = case_id, .reviewer_id = actor->id};
	read_rating(v, in, "pc", &r);
	if (!v_ok(v))
		return YW_EINVAL;
	if (strcmp(actor->kind, "staff") == 0)
		return YW_EFORBIDDEN;
	if (db_begin(db))
		return YW_EDB;
	int rc = rate_case_check(db, actor, case_id, &r);
	if (rc == 0)
		rc = insert_review(db, actor, &r, yw_now(), id_out);
	return commit_or_rollback(db, rc);
}

/* The window's hall and department; 0 hall when the window does not exist or is closed. */
static int load_window(db_t *db, int64_t id, int64_t *hall, int64_t *dept)
{
	db_stmt_t *st =
		db_prepare(db, "SELECT hall_id, COALESCE(dept_id, 0) FROM windows WHERE id = :id AND active = 1");
	db_bind_int(st, "id", id);
	*hall = *dept = 0;
	int rc = db_one(st);
	if (rc == 0) {
		*hall = db_col_int(st, 0);
		*dept = db_col_int(st, 1);
		db_reset(st);
	}
	return rc == YW_ENOTFOUND ? 0 : rc;
}

int reviews_rate_visit(db_t *db, const auth_user_t *signed_in, int64_t window_id, json_t *in, int64_t now, vctx_t *v,
		       int64_t *id_out, const char **why)
{
	review_new_t r = {.window_id = window_id};
	read_rating(v, in, "pad", &r);
	if (*r.channel && strcmp(r.channel, "pad") != 0 && v_ok(v))
		v_error(v, "channel", "评价器提交的评价渠道为 pad");
	r.channel = "pad";
	r.ticket_id = v_int(v, in, "ticket_id", 1, INT64_MAX, true, 0);
	hall_ticket_facts_t t = {0};
	int rc = r.ticket_id ? hall_ticket_facts(db, r.ticket_id, &t) : 0;
	if (rc == YW_ENOTFOUND)
		v_error(v, "ticket_id", "号票不存在");
	else if (rc)
		return rc;
	int64_t hall = 0, dept = 0;
	if ((rc = load_window(db, window_id, &hall, &dept)) != 0)
		return rc;
	if (!hall)
		v_error(v, "window_id", "评价器绑定的窗口不存在或已停用");
	if (!v_ok(v))
		return YW_EINVAL;
	/* 一次一评: the pad rates the ticket its own window finished last, while it is fresh */
	if (t.window_id != window_id || !t.done || !t.latest) {
		*why = "只能评价本窗口刚刚办结的号票";
		return YW_EFORBIDDEN;
	}
	if (now - t.finished_at > config_current()->hall_rating_window_s) {
		*why = "已超过评价时限，本次服务不能再评价";
		return YW_ECONFLICT;
	}
	/* a clerk signed in on the pad's browser does not rate their own window or service */
	if (signed_in && strcmp(signed_in->kind, "staff") == 0 &&
	    (signed_in->id == t.staff_id || signed_in->window_id == window_id)) {
		*why = "工作人员不能为本人或本窗口的服务评价";
		return YW_EFORBIDDEN;
	}
	r.staff_id = t.staff_id;
	r.case_id = t.case_id;
	r.reviewer_id = t.user_id;
	r.ticket = t.number;
	if (db_begin(db))
		return YW_EDB;
	int64_t case_dept = 0, staff_dept = 0;
	if (r.case_id) {
		db_stmt_t *st = db_prepare(db, "SELECT dept_id, item_id FROM cases WHERE id = :id");
		db_bind_int(st, "id", r.case_id);
		if ((rc = db_one(st)) == 0) {
			case_dept = db_col_int(st, 0);
			r.item_id = db_col_int(st, 1);
			db_reset(st);
		}
	}
	if (r.staff_id && (!rc || rc == YW_ENOTFOUND)) {
		db_stmt_t *st = db_prepare(db, "SELECT COALESCE(dept_id, 0) FROM users WHERE id = :id");
		db_bind_int(st, "id", r.staff_id);
		if ((rc = db_one(st)) == 0) {
			staff_dept = db_col_int(st, 0);
			db_reset(st);
		}
	}
	if (rc && rc != YW_ENOTFOUND)
		return commit_or_rollback(db, rc);
	/* A 综合受理 window belongs to no department: then the case's department, else the clerk's own
	 * (the centre's staff work those windows). */
	r.dept_id = dept ? dept : case_dept ? case_dept : staff_dept;
	rc = insert_review(db, NULL, &r, now, id_out);
	if (rc == YW_ECONFLICT)
		*why = "该号票已评价，每次服务只能评价一次";
	return commit_or_rollback(db, rc);
}

int reviews_ticket_rated(db_t *db, int64_t ticket_id, bool *rated)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM reviews WHERE ticket_id = :ticket_id");
	db_bind_int(st, "ticket_id", ticket_id);
	int rc = db_one(st);
	if (rc == 0)
		db_reset(st);
	*rated = rc == 0;
	return rc == YW_ENOTFOUND ? 0 : rc;
}

/* ---- the bad-review path ---- */

typedef struct review_row {
	int64_t id, dept_id;
	char status[16], due[12];
	int late;
} review_row_t;

static int load_scoped(db_t *db, const auth_user_t *actor, int64_t id, review_row_t *r)
{
	db_stmt_t *st = db_prepare(db, "SELECT r.id, COALESCE(r.dept_id, 0), r.status, "
				       "COALESCE(r.rectify_due_day, ''), r.late" REVIEW_FROM "WHERE " SCOPE
				       " AND r.id = :id");
	bind_scope(st, actor);
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc == 0) {
		r->id = db_col_int(st, 0);
		r->dept_id = db_col_int(st, 1);
		snprintf(r->status, sizeof r->status, "%s", db_col_text(st, 2));
		snprintf(r->due, sizeof r->due, "%s", db_col_text(st, 3));
		r->late = (int)db_col_int(st, 4);
		db_reset(st);
	}
	return rc;
}

/* Appeal and rectification are the department's; verification and call-back the supervisors'. */
static bool may(const auth_user_t *u, const review_row_t *r, enum review_step s)
{
	if (s == RS_APPEAL || s == RS_RECTIFY)
		return (u->roles & (ROLE_APPROVER | ROLE_DEPT_ADMIN)) && u->dept_id && u->dept_id == r->dept_id;
	return (u->roles & (ROLE_SUPERVISOR | ROLE_CENTER_ADMIN)) != 0;
}

/* The body of step s, validated before anything is written. */
typedef struct step_input {
	const char *note;
	bool genuine, satisfied;
} step_input_t;

static void read_step(vctx_t *v, json_t *in, enum review_step s, step_input_t *p)
{
	switch (s) {
	case RS_APPEAL: p->note = v_str(v, in, "note", 1, 1000); break;
	case RS_RECTIFY: p->note = v_str(v, in, "note", 1, 2000); break;
	case RS_VERIFY:
		if (!json_is_boolean(json_object_get(in, "genuine")))
			v_error(v, "genuine", "须认定是否属实（true 或 false）");
		p->genuine = json_is_true(json_object_get(in, "genuine"));
		p->note = v_str(v, in, "note", 0, 1000);
		/* leaving a bad review out of the rate needs its reason on record */
		if (json_is_false(json_object_get(in, "genuine")) && !*p->note && v_ok(v))
			v_error(v, "note", "认定不属实须说明理由");
		break;
	case RS_CALLBACK:
		p->note = v_str(v, in, "note", 1, 1000);
		if (!json_is_boolean(json_object_get(in, "satisfied")))
			v_error(v, "satisfied", "须填写回访是否满意（true 或 false）");
		p->satisfied = json_is_true(json_object_get(in, "satisfied"));
		break;
	}
}

/* Marks review id late if it is still rectifying and not yet marked (another request may have
 * moved it since it was read), with its audit record as the system. */
static int mark_late(db_t *db, int64_t id, bool *marked)
{
	db_stmt_t *st =
		db_prepare(db, "UPDATE reviews SET late = 1 WHERE id = :id AND late = 0 AND status = 'rectifying'");
	db_bind_int(st, "id", id);
	int rc = db_run(st);
	if (rc)
		return rc;
	*marked = db_changes(st) > 0;
	return *marked ? audit_record_id(db, NULL, "review.late", "reviews", id) : 0;
}

/* The 'rectify_late' card (黄牌) for the review's department, issued once (UNIQUE(review_id, kind)). */
static int issue_late_card(db_t *db, int64_t id, int64_t now)
{
	char day[11], note[96];
	today_str(now, day);
	db_stmt_t *st = db_prepare(db, "SELECT case_id, dept_id, rectify_due_day FROM reviews WHERE id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? 0 : rc;
	sv_card_t card = {.case_id = db_col_int(st, 0), .review_id = id, .step = -1, .level = SV_YELLOW,
			  .kind = "rectify_late", .dept_id = db_col_int(st, 1), .day = day, .at = now, .note = note};
	snprintf(note, sizeof note, "差评整改超期(整改时限 %s)", db_col_text(st, 2));
	db_reset(st);
	return supervision_store_card_add(db, NULL, &card, NULL);
}

/* Writes step s (taking action a) on review r. */
static int write_step(db_t *db, const auth_user_t *actor, const review_row_t *r, enum review_action a,
		      const step_input_t *p, const calendar_t *cal, int64_t now, bool *late_out)
{
	db_stmt_t *st;
	char today[11];
	today_str(now, today);
	*late_out = false;
	switch (a) {
	case RA_APPEAL:
		st = db_prepare(db, "UPDATE reviews SET status = 'appealed', appeal_note = :note, "
				    "appealed_by = :actor, appealed_at = :at WHERE id = :id");
		break;
	case RA_GENUINE:
	case RA_REJECT:
		st = db_prepare(db, "UPDATE reviews SET status = :status, genuine = :genuine, verify_note = :note, "
				    "verified_by = :actor, verified_at = :at, rectify_due_day = :due WHERE id = :id");
		break;
	case RA_RECTIFY:
		st = db_prepare(db, "UPDATE reviews SET status = 'callback', rectify_note = :note, "
				    "rectified_by = :actor, rectified_at = :at, late = :late WHERE id = :id");
		break;
	default:
		st = db_prepare(db, "UPDATE reviews SET status = 'closed', callback_note = :note, "
				    "callback_by = :actor, callback_at = :at, callback_satisfied = :satisfied "
				    "WHERE id = :id");
	}
	db_bind_text(st, "note", p->note);
	db_bind_int(st, "actor", actor->id);
	db_bind_int(st, "at", now);
	db_bind_int(st, "id", r->id);
	if (a == RA_GENUINE || a == RA_REJECT) {
		char due[11] = "";
		if (a == RA_GENUINE) {
			/* 整改时限: rectify_workdays working days from the day it was found genuine */
			yw_date_t d;
			if (calendar_add_workdays(cal, date_today_local(now), config_current()->rectify_workdays, &d, NULL))
				return YW_EINVAL;
			date_format(d, due);
		}
		db_bind_text(st, "status", review_next_status(r->status, a));
		db_bind_int(st, "genuine", a == RA_GENUINE);
		db_bind_text(st, "due", *due ? due : NULL);
	} else if (a == RA_RECTIFY) {
		*late_out = r->late || strcmp(today, r->due) > 0;
		db_bind_int(st, "late", *late_out);
	} else if (a == RA_CALLBACK) {
		db_bind_int(st, "satisfied", p->satisfied);
	}
	return db_run(st);
}

int reviews_act(db_t *db, const auth_user_t *actor, int64_t id, enum review_step s, json_t *in, const calendar_t *cal,
		vctx_t *v)
{
	step_input_t p = {0};
	read_step(v, in, s, &p);
	if (!v_ok(v))
		return YW_EINVAL;
	enum review_action a = s == RS_APPEAL	? RA_APPEAL
			       : s == RS_VERIFY ? (p.genuine ? RA_GENUINE : RA_REJECT)
			       : s == RS_RECTIFY ? RA_RECTIFY
						 : RA_CALLBACK;
	if (db_begin(db))
		return YW_EDB;
	review_row_t r = {0};
	int rc = load_scoped(db, actor, id, &r);
	if (!rc && !may(actor, &r, s))
		rc = YW_EFORBIDDEN;
	if (!rc && !review_next_status(r.status, a))
		rc = YW_ECONFLICT;
	int64_t now = yw_now();
	bool late = false;
	if (!rc)
		rc = write_step(db, actor, &r, a, &p, cal, now, &late);
	if (!rc)
		rc = audit_record_id(db, actor, "review.update", "reviews", id);
	/* rectified after the time limit before the background job saw it: the same card */
	if (!rc && late)
		rc = issue_late_card(db, id, now);
	return commit_or_rollback(db, rc);
}

int reviews_tick(db_t *db, int64_t now)
{
	char today[11];
	today_str(now, today);
	/* Read first and take the write lock only when something is late: the job runs every tick. */
	db_stmt_t *st = db_prepare(db, "SELECT id FROM reviews WHERE status = 'rectifying' AND late = 0 "
				       "AND rectify_due_day < :today ORDER BY id");
	db_bind_text(st, "today", today);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap)
			ids = xrealloc(ids, (cap = cap ? cap * 2 : 16) * sizeof *ids);
		ids[n++] = db_col_int(st, 0);
	}
	if (rc < 0 || (n && (rc = db_begin(db)) != 0)) {
		free(ids);
		return rc;
	}
	rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bool marked = false;
		rc = mark_late(db, ids[i], &marked);
		if (!rc && marked)
			rc = issue_late_card(db, ids[i], now);
	}
	free(ids);
	return n ? commit_or_rollback(db, rc) : 0;
}

/* ---- reading ---- */

/* The filters after SCOPE: :status, :min_level the lowest bad level when only bad reviews are
 * wanted, :dept_id, :from_day..:to_day; '' or 0 for none. */
#define FILTERS                                                                                                        \
	" AND (:status = '' OR r.status = :status) AND (:min_level = 0 OR r.level >= :min_level) "                     \
	"AND (:dept_id = 0 OR r.dept_id = :dept_id) AND (:from_day = '' OR r.day >= :from_day) "                       \
	"AND (:to_day = '' OR r.day <= :to_day)"

static void bind_filters(db_stmt_t *st, const auth_user_t *actor, const review_filter_t *f)
{
	bind_scope(st, actor);
	db_bind_text(st, "status", f->status ? f->status : "");
	db_bind_int(st, "min_level", f->bad ? REVIEW_DISSATISFIED : 0);
	db_bind_int(st, "dept_id", f->dept_id);
	db_bind_text(st, "from_day", f->from ? f->from : "");
	db_bind_text(st, "to_day", f->to ? f->to : "");
}

int reviews_list(db_t *db, const auth_user_t *actor, const review_filter_t *f, int64_t page, int64_t size,
		 json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT COUNT(*)" REVIEW_FROM "WHERE " SCOPE FILTERS);
	bind_filters(st, actor, f);
	int rc = db_one(st);
	if (rc)
		return rc;
	int64_t total = db_col_int(st, 0);
	db_reset(st);
	st = db_prepare(db, REVIEW_COLS REVIEW_FROM "WHERE " SCOPE FILTERS
			    " ORDER BY r.id DESC LIMIT :page_size OFFSET :skip");
	bind_filters(st, actor, f);
	db_bind_int(st, "page_size", size);
	db_bind_int(st, "skip", (page - 1) * size);
	json_t *items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(items, row_json(st, actor));
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

int reviews_summary(db_t *db, const auth_user_t *actor, const review_filter_t *f, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT r.level, COUNT(*), SUM(CASE WHEN r.genuine = 0 THEN 1 ELSE 0 END), "
				       "SUM(CASE WHEN r.rectified_at IS NOT NULL AND r.late = 0 THEN 1 ELSE 0 END), "
				       "SUM(CASE WHEN r.late = 1 THEN 1 ELSE 0 END), "
				       "SUM(CASE WHEN r.status <> 'closed' THEN 1 ELSE 0 END)" REVIEW_FROM
				       "WHERE " SCOPE FILTERS " GROUP BY r.level");
	bind_filters(st, actor, f);
	review_tally_t t = {0};
	int64_t on_time = 0, late = 0, open = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int level = (int)db_col_int(st, 0);
		if (review_level_label(level))
			t.by_level[level] = db_col_int(st, 1);
		t.not_genuine += db_col_int(st, 2);
		on_time += db_col_int(st, 3);
		late += db_col_int(st, 4);
		open += db_col_int(st, 5);
	}
	if (rc < 0)
		return rc;
	json_t *levels = json_array();
	int64_t bad = 0;
	for (int k = REVIEW_LEVEL_MIN; k <= REVIEW_LEVEL_MAX; k++) {
		json_array_append_new(levels, json_pack("{s:i, s:s, s:I}", "level", k, "label", review_level_label(k),
							"count", (json_int_t)t.by_level[k]));
		if (review_is_bad(k))
			bad += t.by_level[k];
	}
	int64_t total = review_tally_total(&t);
	double rate = 0;
	bool has_rate = review_satisfaction_rate(&t, &rate);
	*out = json_pack("{s:s?, s:s?, s:I, s:o, s:I, s:I, s:I, s:I, s:o, s:I, s:I, s:I}", "from",
			 f->from && *f->from ? f->from : NULL, "to", f->to && *f->to ? f->to : NULL, "total",
			 (json_int_t)total, "by_level", levels, "satisfied", (json_int_t)(total - bad), "bad",
			 (json_int_t)bad, "not_genuine", (json_int_t)t.not_genuine, "counted",
			 (json_int_t)(total - t.not_genuine), "satisfaction_rate", has_rate ? json_real(rate) : json_null(),
			 "rectified_on_time", (json_int_t)on_time, "rectify_late", (json_int_t)late, "open",
			 (json_int_t)open);
	return 0;
}

int reviews_store_add_generated(db_t *db, const reviews_generated_t *r)
{
	db_stmt_t *st =
		db_prepare(db, "INSERT INTO reviews(case_id, window_id, staff_id, dept_id, item_id, level, "
			       "channel, at, day, status, genuine, rectify_due_day, rectified_at) VALUES (:case_id, "
			       ":window_id, :staff_id, :dept_id, :item_id, :level, :channel, :at, :day, 'closed', "
			       ":genuine, :rectify_due_day, :rectified_at)");
	db_bind_id(st, "case_id", r->case_id);
	db_bind_id(st, "window_id", r->window_id);
	db_bind_id(st, "staff_id", r->staff_id);
	db_bind_id(st, "dept_id", r->dept_id);
	db_bind_id(st, "item_id", r->item_id);
	db_bind_int(st, "level", r->level);
	db_bind_text(st, "channel", r->channel);
	db_bind_int(st, "at", r->at);
	db_bind_text(st, "day", r->day);
	if (r->genuine >= 0)
		db_bind_int(st, "genuine", r->genuine);
	db_bind_text(st, "rectify_due_day", r->rectify_due_day);
	db_bind_id(st, "rectified_at", r->rectified_at);
	return db_run(st);
}
