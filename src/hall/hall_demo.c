/* Demo queues for the demo city's three halls (yiwang demo): the service categories of a city
 * centre (A 综合受理, B 不动产, C 公积金, D 社保医保, E 公安, F 企业开办, G 税务) and of the
 * district and street centres, each window serving its queues in order, with an appointment day
 * template of 30-minute slots. Loaded once, as the system, with audit records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hall/hall_store.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"
#include "platform/idcheck.h"
#include "reviews/reviews_store.h"

typedef struct demo_queue {
	const char *hall, *letter, *name;
	int capacity;
	int windows[10]; /* window numbers serving the queue (first in their list), 0-terminated */
	int also[10];    /* windows serving it after their own queue */
} demo_queue_t;

static const demo_queue_t demo[] = {
	{"长沙市政务服务中心", "A", "综合受理", 5, {1, 2, 3, 4, 5, 6, 7, 8, 24}, {11}},
	{"长沙市政务服务中心", "B", "不动产登记", 4, {16, 17}, {8}},
	{"长沙市政务服务中心", "C", "住房公积金", 3, {21}, {7}},
	{"长沙市政务服务中心", "D", "社保医保", 4, {19, 20}, {6}},
	{"长沙市政务服务中心", "E", "公安（户政、出入境、车驾管）", 4, {13, 14, 15}, {0}},
	{"长沙市政务服务中心", "F", "企业开办", 3, {22, 23}, {5}},
	{"长沙市政务服务中心", "G", "税务", 3, {18}, {0}},
	{"芙蓉区政务服务中心", "A", "综合受理", 3, {101, 102, 106}, {0}},
	{"芙蓉区政务服务中心", "B", "社会事务与婚姻登记", 2, {104, 105}, {102}},
	{"芙蓉区文艺路街道便民服务中心", "A", "综合受理", 2, {201, 202, 203}, {0}},
};
#define NDEMO (sizeof demo / sizeof demo[0])

/* The id the bound query finds: YW_ENOTFOUND when none. */
static int lookup(db_stmt_t *st, int64_t *id)
{
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

/* Appends queue_id to the window's ordered list (window numbers are unique in the demo city). */
static int serve(db_t *db, int number, int64_t queue_id, json_t *lists)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM windows WHERE number = :number");
	db_bind_int(st, "number", number);
	int64_t wid = 0;
	int rc = lookup(st, &wid);
	if (rc)
		return rc;
	char key[24];
	snprintf(key, sizeof key, "%lld", (long long)wid);
	json_t *l = json_object_get(lists, key);
	if (!l)
		json_object_set_new(lists, key, l = json_array());
	return json_array_append_new(l, json_integer(queue_id)) ? YW_EDB : 0;
}

int hall_demo_load(db_t *db)
{
	json_t *lists = json_object();
	int rc = 0;
	/* first every queue's own windows, then the windows that help out, so order holds */
	int64_t ids[NDEMO];
	for (size_t i = 0; !rc && i < NDEMO; i++) {
		db_stmt_t *st = db_prepare(db, "SELECT id FROM halls WHERE name = :name");
		db_bind_text(st, "name", demo[i].hall);
		int64_t hall_id = 0;
		if ((rc = lookup(st, &hall_id)) == YW_ENOTFOUND)
			rc = 0; /* hall_queue_save refuses hall 0 */
		if (rc)
			break;
		json_t *in = json_pack("{s:I, s:s, s:s, s:i}", "hall_id", (json_int_t)hall_id, "letter", demo[i].letter, "name",
				       demo[i].name, "slot_capacity", demo[i].capacity);
		vctx_t v = {0};
		rc = hall_queue_save(db, NULL, 0, in, &v, &ids[i]);
		json_decref(v.errors);
		json_decref(in);
		for (int w = 0; !rc && w < 10 && demo[i].windows[w]; w++)
			rc = serve(db, demo[i].windows[w], ids[i], lists);
	}
	for (size_t i = 0; !rc && i < NDEMO; i++)
		for (int w = 0; !rc && w < 10 && demo[i].also[w]; w++)
			rc = serve(db, demo[i].also[w], ids[i], lists);
	const char *key;
	json_t *l;
	json_object_foreach(lists, key, l) {
		vctx_t v = {0};
		if (!rc)
			rc = hall_window_set_queues(db, NULL, strtoll(key, NULL, 10), l, &v);
		json_decref(v.errors);
	}
	json_decref(lists);
	return rc;
}

/* ---- a year of hall days (yiwang demo) ----
 *
 * For each working day the caller (main.c cmd_demo) passes the day's office hours with the clock
 * pinned; tickets arrive through the day at the kiosk and by phone, with the priority the ID
 * number gives (70 or over: 老年人), and every window with a clerk calls, serves and finishes
 * them through the store, skipping the few who have left (过号); some visitors rate the window on
 * its pad (一次一评). The demo applicants book appointments ahead and mostly check in on the day;
 * those who do not become no-shows through the hall's own job. Today's hall is left as it stands
 * at the moment the demo runs: people still waiting, appointments still to come. */

enum { HD_MAX_WINDOWS = 64, HD_MAX_QUEUES = 32, HD_MAX_TICKETS = 1024 };

typedef struct hd_window {
	int64_t id, hall_id, clerk_id;
	int64_t queues[8];
	int nqueues;
	auth_user_t clerk;
	int64_t free_at;
} hd_window_t;

typedef struct hd_queue {
	int64_t id, hall_id;
	int share; /* arrivals per day at a full day */
} hd_queue_t;

typedef struct hd_appt {
	int64_t id, user_id, start;
	char code[32];
	bool show;
} hd_appt_t;

struct hall_demo {
	db_t *db;
	const calendar_t *cal;
	yw_date_t today;
	hd_window_t w[HD_MAX_WINDOWS];
	int nw;
	hd_queue_t q[HD_MAX_QUEUES];
	int nq;
	auth_user_t applicants[2];
	hd_appt_t *appts;
	size_t nappts, cap;
	uint64_t rand;
	double scale;
	hall_demo_counts_t n;
};

static unsigned hd_pick(hall_demo_t *h, unsigned n)
{
	h->rand = h->rand * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((h->rand >> 33) % n);
}

int hall_demo_year_begin(db_t *db, const calendar_t *cal, yw_date_t today, double scale, hall_demo_t **out)
{
	hall_demo_t *h = calloc(1, sizeof *h);
	if (!h)
		return YW_EIO;
	h->db = db;
	h->cal = cal;
	h->today = today;
	h->rand = 0x4a11da7eu;
	h->scale = scale;
	/* each window's clerk: its first enabled user */
	db_stmt_t *st = db_prepare(db, "SELECT w.id, w.hall_id, MIN(u.id), hw.queue_ids FROM windows w"
				       " JOIN hall_windows hw ON hw.window_id = w.id JOIN users u ON u.window_id = w.id"
				       " AND u.disabled = 0 WHERE w.active = 1 GROUP BY w.id, w.hall_id, hw.queue_ids ORDER BY w.id");
	int rc = 0, s = DB_DONE;
	while (!rc && h->nw < HD_MAX_WINDOWS && (s = db_step(st)) == DB_ROW) {
		hd_window_t *w = &h->w[h->nw];
		w->id = db_col_int(st, 0);
		w->hall_id = db_col_int(st, 1);
		w->clerk_id = db_col_int(st, 2);
		const char *p = db_col_text(st, 3);
		while (*p && w->nqueues < 8) {
			char *end;
			long long q = strtoll(p, &end, 10);
			if (end == p)
				break;
			w->queues[w->nqueues++] = q;
			p = *end == ',' ? end + 1 : end;
		}
		rc = auth_user_load(db, w->clerk_id, &w->clerk);
		h->nw += w->nqueues > 0;
	}
	if (s == DB_ROW)
		db_reset(st);
	else if (s < 0)
		rc = s;
	/* the general queue A of each hall takes the most; specialised ones less */
	st = db_prepare(db, "SELECT id, hall_id, letter FROM hall_queues WHERE active = 1 ORDER BY id");
	s = DB_DONE;
	while (!rc && h->nq < HD_MAX_QUEUES && (s = db_step(st)) == DB_ROW) {
		hd_queue_t *q = &h->q[h->nq++];
		q->id = db_col_int(st, 0);
		q->hall_id = db_col_int(st, 1);
		const char *letter = db_col_text(st, 2);
		q->share = q->hall_id == 1 ? (*letter == 'A' ? 26 : 9) : (*letter == 'A' ? 10 : 5);
	}
	if (s == DB_ROW)
		db_reset(st);
	else if (s < 0)
		rc = s;
	int64_t a = 0, b = 0;
	if (!rc && (db_query_int(db, "SELECT id FROM users WHERE username = :arg", "zhangsan", &a) ||
		    db_query_int(db, "SELECT id FROM users WHERE username = :arg", "xiangjiang_food", &b) ||
		    auth_user_load(db, a, &h->applicants[0]) || auth_user_load(db, b, &h->applicants[1])))
		rc = YW_ENOTFOUND;
	if (rc || !h->nw || !h->nq) {
		hall_demo_year_end(h, NULL);
		return rc ? rc : YW_ENOTFOUND;
	}
	*out = h;
	return 0;
}

void hall_demo_year_end(hall_demo_t *h, hall_demo_counts_t *n)
{
	if (!h)
		return;
	if (n)
		*n = h->n;
	free(h->appts);
	free(h);
}

/* Unix time of minute m of local (UTC+8) day d. */
static int64_t hd_local(yw_date_t d, int m)
{
	return (int64_t)d * 86400 - 8 * 3600 + (int64_t)m * 60;
}

typedef struct hd_arrival {
	int64_t at, queue_id;
	enum hall_category cat;
	const char *source;
	int64_t appt; /* index+1 into appts when an appointment check-in */
} hd_arrival_t;

static int hd_cmp(const void *a, const void *b)
{
	int64_t x = ((const hd_arrival_t *)a)->at, y = ((const hd_arrival_t *)b)->at;
	return x < y ? -1 : x > y;
}

/* A visitor's category from a drawn ID number: 70 or over is 老年人; a few 残疾人 and 绿色通道. */
static enum hall_category hd_category(hall_demo_t *h, yw_date_t day)
{
	unsigned r = hd_pick(h, 100);
	if (r < 2)
		return HALL_DISABLED;
	if (r < 3)
		return HALL_GREEN;
	char no[19];
	snprintf(no, 19, "430102%04u%02u%02u%03u", 1940 + hd_pick(h, 66), 1 + hd_pick(h, 12), 1 + hd_pick(h, 28),
		 hd_pick(h, 1000));
	no[17] = idcheck_person_check_char(no);
	no[18] = 0;
	return hall_ticket_category(HALL_NORMAL, no, day);
}

static int hd_book(hall_demo_t *h, int who, int64_t queue_id, yw_date_t day, int minute, int64_t now, bool show)
{
	const char *field = NULL;
	char why[HALL_WHY_MAX];
	int64_t id = 0;
	yw_clock_set(now);
	int rc = hall_appointment_book(h->db, &h->applicants[who], queue_id, day, minute, h->cal, now, &id, &field, why);
	if (rc)
		return rc == YW_EDB ? rc : 0; /* a full or past slot: the applicant picks another time */
	if (h->nappts == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 128;
		hd_appt_t *v = realloc(h->appts, cap * sizeof *v);
		if (!v)
			return YW_EIO;
		h->appts = v;
		h->cap = cap;
	}
	hd_appt_t *a = &h->appts[h->nappts++];
	*a = (hd_appt_t){.id = id, .user_id = h->applicants[who].id, .start = hd_local(day, minute), .show = show};
	db_stmt_t *st = db_prepare(h->db, "SELECT code FROM hall_appointments WHERE id = :id");
	db_bind_int(st, "id", id);
	if ((rc = db_one(st)) != 0)
		return rc;
	snprintf(a->code, sizeof a->code, "%s", db_col_text(st, 0));
	db_reset(st);
	h->n.appointments++;
	return 0;
}

static bool hd_serves(const hd_window_t *w, int64_t queue_id)
{
	for (int i = 0; i < w->nqueues; i++)
		if (w->queues[i] == queue_id)
			return true;
	return false;
}

static const int hd_slots[] = {540, 570, 600, 630, 660, 690, 780, 810, 840, 870, 900, 930, 960, 990};

/* One hall's day: arrivals sorted by time, windows calling in turn until the day's queue is done
 * (or, today, until the moment the demo runs). */
static int hd_hall_day(hall_demo_t *h, int64_t hall_id, yw_date_t day, int64_t open_at, int64_t close_at, int64_t until,
		       double f)
{
	hd_arrival_t *arr = malloc(HD_MAX_TICKETS * sizeof *arr);
	if (!arr)
		return YW_EIO;
	int n = 0;
	for (int i = 0; i < h->nq; i++) {
		if (h->q[i].hall_id != hall_id)
			continue;
		int k = (int)(h->q[i].share * h->scale * f * (0.75 + hd_pick(h, 500) / 1000.0) + 0.5);
		for (int j = 0; j < k && n < HD_MAX_TICKETS; j++) {
			/* a morning peak: two in three before noon */
			int64_t span = close_at - open_at - 1800;
			int64_t at = hd_pick(h, 3) < 2 ? open_at + (int64_t)hd_pick(h, (unsigned)(span / 2))
						       : open_at + span / 2 + (int64_t)hd_pick(h, (unsigned)(span / 2));
			arr[n++] = (hd_arrival_t){.at = at, .queue_id = h->q[i].id, .cat = hd_category(h, day),
						  .source = hd_pick(h, 10) ? "kiosk" : "phone"};
		}
	}
	/* the day's appointments of this hall's queues that are kept come in a few minutes early */
	for (size_t i = 0; i < h->nappts && n < HD_MAX_TICKETS; i++) {
		hd_appt_t *a = &h->appts[i];
		if (!a->show || date_today_local(a->start) != day)
			continue;
		int64_t qid = 0;
		db_stmt_t *st = db_prepare(h->db, "SELECT a.queue_id FROM hall_appointments a JOIN hall_queues q"
						  " ON q.id = a.queue_id WHERE a.id = :id AND q.hall_id = :hall_id");
		db_bind_int(st, "id", a->id);
		db_bind_int(st, "hall_id", hall_id);
		int s = lookup(st, &qid);
		if (s && s != YW_ENOTFOUND) {
			free(arr);
			return s;
		}
		if (qid)
			arr[n++] = (hd_arrival_t){.at = a->start - 60 * (2 + hd_pick(h, 6)), .queue_id = qid, .appt = (int64_t)i + 1};
	}
	qsort(arr, (size_t)n, sizeof *arr, hd_cmp);
	int rc = 0, next = 0;
	for (int i = 0; i < h->nw; i++)
		if (h->w[i].hall_id == hall_id)
			h->w[i].free_at = open_at + hd_pick(h, 300);
	int64_t limit = until < close_at + 7200 ? until : close_at + 7200;
	for (;;) {
		/* the window free first */
		hd_window_t *w = NULL;
		for (int i = 0; i < h->nw; i++)
			if (h->w[i].hall_id == hall_id && (!w || h->w[i].free_at < w->free_at))
				w = &h->w[i];
		if (!w || w->free_at > limit)
			break;
		int64_t t = w->free_at;
		/* everyone who has arrived by then takes a ticket (or checks in) */
		while (!rc && next < n && arr[next].at <= t) {
			hd_arrival_t *a = &arr[next++];
			int64_t tid = 0;
			char why[HALL_WHY_MAX];
			yw_clock_set(a->at);
			if (a->appt)
				rc = hall_appointment_checkin(h->db, h->appts[a->appt - 1].code, 0, 0, a->at, &tid, why) == YW_EDB ? YW_EDB : 0;
			else
				rc = hall_ticket_issue(h->db, NULL, a->queue_id, a->cat, a->source, 0, a->at, &tid);
			h->n.tickets += tid != 0;
		}
		if (rc)
			break;
		int64_t tid = 0;
		char why[HALL_WHY_MAX];
		yw_clock_set(t);
		rc = hall_window_act(h->db, &w->clerk, HALL_CALL, w->id, 0, t, &tid, why);
		if (rc == YW_ECONFLICT || (!rc && !tid)) {
			rc = 0;
			/* nobody waits for this window: it looks again when a visitor for one of its queues
			 * arrives (a transfer or a check-in does not need it in this simulation) */
			int k = next;
			while (k < n && !hd_serves(w, arr[k].queue_id))
				k++;
			w->free_at = k < n ? (arr[k].at > t ? arr[k].at : t + 60) : INT64_MAX;
			continue;
		}
		if (rc)
			break;
		if (hd_pick(h, 100) < 5) {
			/* 过号: called and not there */
			int64_t at = t + 60;
			if (at > until)
				break;
			yw_clock_set(at);
			rc = hall_window_act(h->db, &w->clerk, HALL_SKIP, w->id, 0, at, &tid, why);
			h->n.no_shows++;
			w->free_at = at + 10;
			continue;
		}
		int64_t start = t + 20 + hd_pick(h, 60);
		int64_t end = start + 180 + hd_pick(h, 900) + (hd_pick(h, 5) == 0 ? hd_pick(h, 1200) : 0);
		if (start > until)
			break;
		yw_clock_set(start);
		if ((rc = hall_window_act(h->db, &w->clerk, HALL_START, w->id, 0, start, &tid, why)) != 0)
			break;
		if (end > until) {
			w->free_at = INT64_MAX; /* still serving as the demo runs */
			continue;
		}
		yw_clock_set(end);
		if ((rc = hall_window_act(h->db, &w->clerk, HALL_FINISH, w->id, 0, end, &tid, why)) != 0)
			break;
		h->n.served++;
		w->free_at = end + 15 + hd_pick(h, 60);
		if (hd_pick(h, 100) < 15) {
			/* 一次一评 on the window's pad: mostly content */
			unsigned r = hd_pick(h, 100);
			int level = r < 70 ? 1 : r < 90 ? 2 : r < 96 ? 3 : r < 99 ? 4 : 5;
			json_t *in = json_pack("{s:I, s:i, s:s}", "ticket_id", (json_int_t)tid, "level", level, "comment",
					       level >= 4 ? "排队时间太长，窗口开得太少" : "");
			vctx_t v = {0};
			int64_t rid;
			const char *rwhy = NULL;
			yw_clock_set(end + 30);
			/* rated on the window's pad by the visitor, nobody signed in on it */
			int r2 = reviews_rate_visit(h->db, NULL, w->id, in, end + 30, &v, &rid, &rwhy);
			json_decref(in);
			json_decref(v.errors);
			if (r2 == YW_EDB) {
				rc = r2;
				break;
			}
			h->n.ratings += r2 == 0;
		}
	}
	free(arr);
	return rc;
}

int hall_demo_year_day(hall_demo_t *h, yw_date_t day, double f, int64_t until)
{
	int rc = 0;
	bool today = day == h->today;
	/* the applicants book ahead now and then: a slot one to ten days on, most of them kept */
	for (int who = 0; !rc && who < 2; who++) {
		if (hd_pick(h, 100) >= (today ? 100u : 30u))
			continue;
		for (int ahead = today ? 0 : 1; !rc && ahead <= (today ? 6 : 1); ahead++) {
			yw_date_t d = day + (today ? ahead : 1 + (int)hd_pick(h, 10));
			if (!calendar_is_workday(h->cal, d))
				continue;
			int qi = (int)hd_pick(h, (unsigned)h->nq);
			int minute = hd_slots[hd_pick(h, sizeof hd_slots / sizeof hd_slots[0])];
			int64_t booked_at = today ? until - 600 : hd_local(day, 600 + (int)hd_pick(h, 300));
			if (today && ahead == 0) {
				/* today's: the first slot still to come, else none */
				minute = 0;
				for (size_t k = 0; k < sizeof hd_slots / sizeof hd_slots[0] && !minute; k++)
					if (hd_local(day, hd_slots[k]) > until)
						minute = hd_slots[k];
				if (!minute)
					continue;
			}
			rc = hd_book(h, who, h->q[qi].id, d, minute, booked_at, hd_pick(h, 100) < 85);
		}
	}
	/* the working day before today: both applicants book a slot for today, and keep it */
	yw_date_t nextday = day + 1;
	while (nextday < h->today && !calendar_is_workday(h->cal, nextday))
		nextday++;
	for (int who = 0; !rc && !today && nextday == h->today && who < 2; who++)
		rc = hd_book(h, who, h->q[hd_pick(h, (unsigned)h->nq)].id, h->today, hd_slots[4 + 5 * who],
			     hd_local(day, 900), true);
	for (int i = 0; !rc && i < h->nq; i++) {
		bool seen = false;
		for (int k = 0; k < i; k++)
			seen = seen || h->q[k].hall_id == h->q[i].hall_id;
		if (!seen)
			rc = hd_hall_day(h, h->q[i].hall_id, day, hd_local(day, 540), hd_local(day, 1020), until, f);
	}
	return rc;
}
