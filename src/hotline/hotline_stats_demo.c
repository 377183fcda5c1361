/* A generated year of 12345 orders for the statistics benchmark (`yiwang gen-orders`,
 * hls_generate): n orders over the days of a year (weekends at 60% of a working day's volume, up to
 * today), with realistic shares: phone 78% of the volume, then 网上留言, 微信, 市长信箱, 人民网,
 * media and Open311; 咨询 40%, 投诉 27%, 求助 18%, 建议 8%, 举报 5%, 表扬 2%; 3% urgent; most
 * consultations answered on the spot (直接办结); the rest dispatched to the unit of their matter,
 * 4% returned (two in three accepted and re-dispatched, 改派; the rest rejected), 5% extended,
 * 3% signed for late, 2% answered late; 80% of closed orders called back, 95% of the call-backs
 * reaching the citizen satisfied or basically satisfied (seed 000), some 不满意 reopened once
 * (重办). Titles follow each matter's usual requests, with a few topics surging in their week so
 * that the dashboard's hot topics have something to find.
 *
 * Rows are written directly in one transaction with prepared statements and no audit records: a
 * generated database is for benchmarks only (`yiwang audit verify` reports the unaudited rows).
 * It reads the matter classification, departments and districts as a demo builder does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline.h"
#include "hotline/hotline_stats.h"
#include "platform/calendar_store.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/err.h"

typedef struct gen {
	uint64_t rng;
	const calendar_t *cal;
	const yw_config_t *cfg;
	int64_t *matters; /* leaf matters */
	char (*matter_names)[96];
	int nmatters;
	int64_t *units;
	int nunits;
	char (*districts)[16];
	int ndistricts;
	db_stmt_t *ins_order, *ins_unit, *ins_step, *ins_return, *ins_ext, *ins_cb, *fin, *off;
	int64_t counts[10];
} gen_t;

enum { C_ORDERS, C_DIRECT, C_DISPATCHED, C_RETURNED, C_EXTENDED, C_CLOSED, C_CALLBACKS, C_SATISFIED, C_REOPENED, C_STEPS };

static uint64_t next(gen_t *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

static double uniform(gen_t *g)
{
	return (double)(next(g) >> 11) / 9007199254740992.0;
}

static int below(gen_t *g, int n)
{
	return n > 0 ? (int)(next(g) % (uint64_t)n) : 0;
}

static int pick(gen_t *g, const double *w, int n)
{
	double u = uniform(g), c = 0;
	for (int i = 0; i < n; i++)
		if (u < (c += w[i]))
			return i;
	return n - 1;
}

static const char *const channels[] = {"phone", "web", "wechat", "mayor_mailbox", "people_cn", "media", "open311"};
static const double channel_w[] = {0.78, 0.08, 0.06, 0.04, 0.02, 0.01, 0.01};
static const char *const categories[] = {"consult", "complaint", "help", "suggestion", "report", "praise"};
static const double category_w[] = {0.40, 0.27, 0.18, 0.08, 0.05, 0.02};

/* What citizens say: places and requests; a matter's title is a place and a request. */
static const char *const places[] = {"五一大道", "文艺路", "南门口", "书院路", "望月湖", "麓山南路", "湘江中路",
				     "伍家岭", "韶山路", "高桥", "金星北路", "星沙大道", "万家丽路", "芙蓉中路",
				     "解放西路", "劳动路", "东二环", "车站北路", "桐梓坡路", "岳麓大道"};
static const char *const requests[] = {
	"工地夜间施工噪音扰民", "小区违规加盖房屋", "物业不履行维修义务", "新房外墙渗水", "流动摊贩占道经营",
	"垃圾站长期不清运", "渣土车抛洒路面", "建议加密公交班次", "窨井盖缺失存在隐患", "车辆乱停放堵塞道路",
	"异地就医备案如何办理", "被拖欠工资如何维权", "社区独居老人需要照护", "申请低保需要什么条件",
	"餐馆油烟直排", "酒吧音乐声持续到凌晨", "营业执照变更需要哪些材料", "表扬窗口工作人员热情耐心",
	"路灯连续多日不亮", "人行道地砖松动", "电梯经常停运", "学校周边交通拥堵", "燃气费收费异常",
	"宠物犬扰民", "绿化带树木遮挡窗户", "充电桩安装难"};
/* Topics that surge in one week of the year (the week index is the seed's), then fade. */
static const char *const surges[] = {"自来水停水无通知", "暴雨后小区积水严重", "高温天气停电", "供暖温度不达标",
				     "疫苗接种预约咨询", "学位申请政策咨询"};

static int load(db_t *db, gen_t *g)
{
	db_stmt_t *st = db_prepare(db, "SELECT m.id, m.name FROM hotline_matters m WHERE m.parent_id IS NOT NULL"
				       " AND m.active = 1 ORDER BY m.id");
	int rc, cap = 64;
	g->matters = malloc((size_t)cap * sizeof *g->matters);
	g->matter_names = malloc((size_t)cap * sizeof *g->matter_names);
	while ((rc = db_step(st)) == DB_ROW) {
		if (g->nmatters == cap) {
			cap *= 2;
			g->matters = realloc(g->matters, (size_t)cap * sizeof *g->matters);
			g->matter_names = realloc(g->matter_names, (size_t)cap * sizeof *g->matter_names);
		}
		g->matters[g->nmatters] = db_col_int(st, 0);
		snprintf(g->matter_names[g->nmatters++], 96, "%s", db_col_text(st, 1));
	}
	if (rc < 0)
		return rc;
	st = db_prepare(db, "SELECT id FROM departments ORDER BY id");
	cap = 64;
	g->units = malloc((size_t)cap * sizeof *g->units);
	while ((rc = db_step(st)) == DB_ROW) {
		if (g->nunits == cap)
			g->units = realloc(g->units, (size_t)(cap *= 2) * sizeof *g->units);
		g->units[g->nunits++] = db_col_int(st, 0);
	}
	if (rc < 0)
		return rc;
	/* districts: the regions one level below the city (the demo city's 区县) */
	st = db_prepare(db, "SELECT code FROM regions WHERE level = (SELECT min(level) FROM regions) + 1 ORDER BY code");
	cap = 32;
	g->districts = malloc((size_t)cap * sizeof *g->districts);
	while ((rc = db_step(st)) == DB_ROW) {
		if (g->ndistricts == cap)
			g->districts = realloc(g->districts, (size_t)(cap *= 2) * sizeof *g->districts);
		snprintf(g->districts[g->ndistricts++], 16, "%s", db_col_text(st, 0));
	}
	return rc < 0 ? rc : 0;
}

typedef struct gorder {
	int64_t id, created, unit, due, sign_due;
	int limit_days, limit_hours;
	bool urgent;
} gorder_t;

static int step(gen_t *g, const gorder_t *o, int64_t at, int64_t unit, const char *action, const char *from,
		const char *to, const char *party, bool overdue, const char *data, int64_t elapsed)
{
	db_stmt_t *st = g->ins_step;
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "at", at);
	db_bind_text(st, "actor", unit ? "承办单位" : "12345中心");
	db_bind_id(st, "unit_id", unit);
	db_bind_text(st, "action", action);
	db_bind_text(st, "state_from", from);
	db_bind_text(st, "state_to", to);
	db_bind_text(st, "data", data);
	db_bind_int(st, "elapsed", elapsed > 0 ? elapsed : 0);
	db_bind_text(st, "party", party);
	db_bind_id(st, "party_unit_id", strcmp(party, "unit") == 0 ? unit : 0);
	db_bind_int(st, "overdue", overdue);
	g->counts[C_STEPS]++;
	return db_run(st);
}

static int deactivate(gen_t *g, int64_t order, int64_t unit);

static int64_t unit_of_matter(gen_t *g, int m)
{
	/* each matter has its unit (a fixed spread over the departments); 10% go elsewhere */
	if (uniform(g) < 0.10)
		return g->units[below(g, g->nunits)];
	return g->units[(m * 7 + 3) % g->nunits];
}

static int dispatch_row(gen_t *g, gorder_t *o, int64_t unit, int64_t at, bool late_sign, int64_t *signed_at)
{
	int rc = hotline_due_at(g->cal, at, false, g->cfg->hotline_sign_days > 0 ? g->cfg->hotline_sign_days : 1, 0,
				&o->sign_due, NULL);
	if (rc)
		return rc;
	if (o->urgent && o->sign_due > at + o->limit_hours * 3600)
		o->sign_due = at + o->limit_hours * 3600;
	int64_t window = o->sign_due - at;
	*signed_at = late_sign ? o->sign_due + 600 + below(g, 36000) : at + 300 + (int64_t)(uniform(g) * 0.5 * window);
	db_stmt_t *st = g->ins_unit;
	db_bind_int(st, "order_id", o->id);
	db_bind_int(st, "unit_id", unit);
	db_bind_int(st, "dispatched_at", at);
	db_bind_int(st, "signed_at", *signed_at);
	return db_run(st);
}

static int gen_order(gen_t *g, yw_date_t day, int64_t now, int serial, int *surge_week)
{
	int y, mo, d;
	date_to_ymd(day, &y, &mo, &d);
	int64_t midnight = hotline_day_end(day) - 86399;
	int64_t span = now - midnight - 8 * 3600; /* today: only the office hours gone by */
	gorder_t o = {.created = midnight + 8 * 3600 + below(g, (int)(span < 14 * 3600 ? (span > 1 ? span : 1) : 14 * 3600))};
	const char *channel = channels[pick(g, channel_w, 7)];
	const char *category = categories[pick(g, category_w, 6)];
	int m = below(g, g->nmatters);
	o.urgent = uniform(g) < 0.03 && strcmp(category, "praise") != 0;
	o.limit_days = hotline_limit_days(g->cfg, category);
	o.limit_hours = o.urgent ? g->cfg->hotline_urgent_hours : 0;
	char title[160], text[400], number[24], hash[65], phone[16];
	/* a surging topic near its week, else the matter's usual request */
	int week = (int)((day - date_from_ymd(y, 1, 1)) / 7), s = -1;
	for (int i = 0; i < 6; i++)
		if (week == surge_week[i] && uniform(g) < 0.06)
			s = i;
	const char *place = places[below(g, 20)];
	if (s >= 0)
		snprintf(title, sizeof title, "%s%s", place, surges[s]);
	else
		snprintf(title, sizeof title, "%s%s", place, requests[(m * 3 + below(g, 3)) % 26]);
	snprintf(text, sizeof text, "市民来电反映：%s，请相关部门核实处理。事项：%s。", title, g->matter_names[m]);
	snprintf(number, sizeof number, "RX%04d%02d%02d%05d", y, mo, d, serial);
	snprintf(hash, sizeof hash, "%016llx%016llx%016llx%016llx", (unsigned long long)next(g),
		 (unsigned long long)next(g), (unsigned long long)day, (unsigned long long)serial);
	snprintf(phone, sizeof phone, "13%09d", below(g, 1000000000));
	bool direct = strcmp(category, "consult") == 0 && uniform(g) < 0.6 && !o.urgent;
	bool old = o.created + 40 * 86400 < now; /* orders of the last weeks may still be open */
	/* the order's fate */
	bool returned = !direct && uniform(g) < 0.04, ret_accept = returned && uniform(g) < 0.67;
	bool late_sign = uniform(g) < 0.03, extended = !direct && uniform(g) < 0.05, late_reply = uniform(g) < 0.02;
	int64_t unit = direct ? 0 : unit_of_matter(g, m);
	db_stmt_t *st = g->ins_order;
	db_bind_text(st, "number", number);
	db_bind_text(st, "channel", channel);
	db_bind_text(st, "source_name", strcmp(channel, "open311") == 0 ? "Open311客户端" : "");
	db_bind_text(st, "category", category);
	db_bind_int(st, "matter_id", g->matters[m]);
	db_bind_text(st, "title", title);
	db_bind_text(st, "text", text);
	db_bind_text(st, "caller_phone", phone);
	db_bind_text(st, "address", place);
	db_bind_text(st, "district", g->ndistricts ? g->districts[below(g, g->ndistricts)] : NULL);
	db_bind_int(st, "urgent", o.urgent);
	db_bind_int(st, "limit_days", o.limit_days);
	db_bind_int(st, "limit_hours", o.limit_hours);
	db_bind_int(st, "created_at", o.created);
	char dstr[11];
	date_format(day, dstr);
	db_bind_text(st, "created_day", dstr);
	db_bind_text(st, "query_hash", hash);
	db_bind_int(st, "direct", direct);
	int rc = db_one(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	o.id = db_col_int(st, 0);
	db_reset(st);
	g->counts[C_ORDERS]++;
	if ((rc = step(g, &o, o.created, 0, "create", NULL, "pending", "citizen", false, NULL, 0)) != 0)
		return rc;
	const char *state;
	int64_t t = o.created, dispatched = 0, signed_at = 0, replied = 0, closed = 0, visited = 0;
	int64_t reply_unit = 0;
	const char *sat = NULL;
	int solved = -1, reopen = 0, ret_count = 0;
	if (direct) {
		closed = t + 120 + below(g, 600);
		if ((rc = step(g, &o, closed, 0, "direct_close", "pending", "closed", "centre", false, NULL, closed - t)))
			return rc;
		state = "closed";
		g->counts[C_DIRECT]++;
	} else {
		dispatched = t + 600 + below(g, 7200);
		if ((rc = hotline_due_at(g->cal, dispatched, o.urgent, o.limit_days, o.limit_hours, &o.due, NULL)) != 0)
			return rc;
		if ((rc = dispatch_row(g, &o, unit, dispatched, late_sign && !returned, &signed_at)) != 0 ||
		    (rc = step(g, &o, dispatched, unit, "dispatch", "pending", "dispatched", "centre", false, NULL,
			       dispatched - t)))
			return rc;
		g->counts[C_DISPATCHED]++;
		state = "dispatched";
		if (signed_at > now)
			goto write;
		if ((rc = step(g, &o, signed_at, unit, "sign", "dispatched", "handling", "unit", signed_at > o.sign_due,
			       NULL, signed_at - dispatched)))
			return rc;
		state = "handling";
		t = signed_at;
		if (returned) {
			int64_t rt = t + 1800 + below(g, 7200), dt = rt + 1800 + below(g, 7200);
			db_stmt_t *r = g->ins_return;
			int64_t other = g->units[below(g, g->nunits)];
			if (other == unit)
				other = g->units[(below(g, g->nunits) + 1) % g->nunits];
			db_bind_int(r, "order_id", o.id);
			db_bind_int(r, "unit_id", unit);
			db_bind_int(r, "returned_at", rt);
			db_bind_text(r, "state", ret_accept ? "accepted" : "rejected");
			db_bind_int(r, "decided_at", dt);
			if ((rc = db_run(r)) != 0 ||
			    (rc = step(g, &o, rt, unit, "return", "handling", "returned", "unit", false, NULL, rt - t)))
				return rc;
			g->counts[C_RETURNED]++;
			ret_count = 1;
			if (ret_accept) {
				if ((rc = deactivate(g, o.id, unit)) != 0)
					return rc;
				unit = other;
				if ((rc = hotline_due_at(g->cal, dt, o.urgent, o.limit_days, o.limit_hours, &o.due, NULL)) ||
				    (rc = dispatch_row(g, &o, unit, dt, late_sign, &signed_at)) ||
				    (rc = step(g, &o, dt, unit, "dispatch", "returned", "dispatched", "centre", false, NULL,
					       dt - rt)))
					return rc;
				dispatched = dt;
				if (signed_at > now)
					goto write;
				if ((rc = step(g, &o, signed_at, unit, "sign", "dispatched", "handling", "unit",
					       signed_at > o.sign_due, NULL, signed_at - dt)))
					return rc;
				t = signed_at;
			} else {
				if ((rc = step(g, &o, dt, unit, "return_reject", "returned", "handling", "centre", false, NULL,
					       dt - rt)))
					return rc;
				t = dt;
			}
		}
		if (extended) {
			int64_t at = t + 86400, newdue = o.due;
			bool ok = uniform(g) < 0.85;
			if (ok && (rc = hotline_due_at(g->cal, o.due, false, o.urgent ? 0 : 5, 0, &newdue, NULL)) != 0)
				return rc;
			if (o.urgent)
				newdue = o.due + (ok ? 2 * 3600 : 0);
			db_stmt_t *e = g->ins_ext;
			db_bind_int(e, "order_id", o.id);
			db_bind_int(e, "unit_id", unit);
			db_bind_int(e, "days", o.urgent ? 0 : 5);
			db_bind_int(e, "hours", o.urgent ? 2 : 0);
			db_bind_int(e, "requested_at", at < o.due ? at : t + 60);
			db_bind_text(e, "state", ok ? "approved" : "refused");
			db_bind_int(e, "decided_at", (at < o.due ? at : t + 60) + 3600);
			db_bind_int(e, "old_due_at", o.due);
			db_bind_int(e, "new_due_at", newdue);
			if ((rc = db_run(e)) != 0)
				return rc;
			o.due = newdue;
			g->counts[C_EXTENDED]++;
		}
		/* the reply: within the limit, or (2%) after it */
		replied = late_reply ? o.due + 3600 + below(g, 3 * 86400) : t + (int64_t)((o.due - t) * (0.2 + 0.75 * uniform(g)));
		if (!old && replied > now)
			goto write;
		if ((rc = step(g, &o, replied, unit, "reply", "handling", "replied", "unit", replied > o.due, NULL,
			       replied - t)))
			return rc;
		reply_unit = unit;
		state = "replied";
		closed = replied + 1800 + below(g, 20 * 3600);
		if ((rc = step(g, &o, closed, unit, "close", "replied", "closed", "centre", false, NULL, closed - replied)))
			return rc;
		state = "closed";
	}
	g->counts[C_CLOSED]++;
	/* the call-back: 80% of orders a unit handled, some direct answers too */
	for (int round = 0; round < 2; round++) {
		if (uniform(g) >= (direct ? 0.2 : 0.8))
			break;
		visited = closed + 86400 + below(g, 2 * 86400);
		if (visited > now) {
			visited = 0;
			break;
		}
		bool reached = uniform(g) < 0.97;
		double u = uniform(g);
		sat = u < 0.88 ? "satisfied" : u < 0.95 ? "basic" : "dissatisfied";
		solved = strcmp(sat, "dissatisfied") != 0 ? uniform(g) < 0.95 : uniform(g) < 0.2;
		db_stmt_t *c = g->ins_cb;
		db_bind_int(c, "order_id", o.id);
		db_bind_int(c, "at", visited);
		db_bind_int(c, "reached", reached);
		db_bind_text(c, "satisfaction", reached ? sat : NULL);
		if (reached)
			db_bind_int(c, "solved", solved);
		db_bind_id(c, "unit_id", unit);
		if ((rc = db_run(c)) != 0)
			return rc;
		if (!reached) {
			sat = NULL;
			solved = -1;
			visited = 0;
			break;
		}
		g->counts[C_CALLBACKS]++; /* reached */
		g->counts[C_SATISFIED] += strcmp(sat, "dissatisfied") != 0;
		if ((rc = step(g, &o, visited, unit, "callback", "closed", "visited", "centre", false, NULL,
			       visited - closed)))
			return rc;
		state = "visited";
		/* 重办: a third of the 不满意 on a unit's reply, once */
		if (round == 1 || direct || strcmp(sat, "dissatisfied") != 0 || uniform(g) >= 0.34)
			break;
		int64_t rt = visited + 3600 + below(g, 86400);
		char data[96];
		snprintf(data, sizeof data, "{\"from_unit_id\":%lld,\"due_at\":0}", (long long)unit);
		if ((rc = hotline_due_at(g->cal, rt, o.urgent, o.limit_days, o.limit_hours, &o.due, NULL)) ||
		    (rc = step(g, &o, rt, unit, "reopen", "visited", "dispatched", "centre", false, data, rt - visited)))
			return rc;
		/* the same unit again: its row's dispatch time moves */
		int64_t s2;
		if ((rc = dispatch_row(g, &o, unit, rt, false, &s2)) != 0)
			return rc;
		reopen = 1;
		g->counts[C_REOPENED]++;
		dispatched = rt;
		signed_at = s2;
		replied = s2 + (int64_t)((o.due - s2) * (0.3 + 0.6 * uniform(g)));
		closed = replied + 3600;
		sat = NULL;
		solved = -1;
		visited = 0;
		state = "closed";
		if (closed > now) {
			state = "handling";
			closed = replied = 0;
			break;
		}
		if ((rc = step(g, &o, s2, unit, "sign", "dispatched", "handling", "unit", false, NULL, s2 - rt)) ||
		    (rc = step(g, &o, replied, unit, "reply", "handling", "replied", "unit", false, NULL, replied - s2)) ||
		    (rc = step(g, &o, closed, unit, "close", "replied", "closed", "centre", false, NULL, 3600)))
			return rc;
	}
write:
	st = g->fin;
	db_bind_text(st, "state", state);
	db_bind_id(st, "unit_id", unit);
	db_bind_id(st, "sign_due_at", dispatched ? o.sign_due : 0);
	db_bind_id(st, "due_at", dispatched ? o.due : 0);
	db_bind_id(st, "dispatched_at", dispatched);
	db_bind_id(st, "signed_at", strcmp(state, "dispatched") == 0 ? 0 : signed_at);
	db_bind_id(st, "replied_at", replied);
	db_bind_id(st, "closed_at", closed);
	db_bind_id(st, "visited_at", visited);
	db_bind_id(st, "reply_unit_id", reply_unit);
	db_bind_text(st, "reply", closed ? "经核查已按规定处理，并向市民反馈办理结果。" : "");
	db_bind_text(st, "satisfaction", sat);
	if (solved >= 0)
		db_bind_int(st, "solved", solved);
	db_bind_int(st, "reopen_count", reopen);
	db_bind_int(st, "return_count", ret_count);
	int64_t last = visited ? visited : closed ? closed : replied ? replied : signed_at ? signed_at : o.created;
	db_bind_int(st, "updated_at", last);
	db_bind_int(st, "id", o.id);
	return db_run(st);
}

/* Moves a unit's row off the order after an accepted return (改派). */
static int deactivate(gen_t *g, int64_t order, int64_t unit)
{
	db_bind_int(g->off, "order_id", order);
	db_bind_int(g->off, "unit_id", unit);
	return db_run(g->off);
}

int hls_generate(db_t *db, const yw_config_t *cfg, int year, int n, unsigned seed, char *summary, size_t size)
{
	gen_t g = {.rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed * 0xBF58476D1CE4E5B9ull), .cfg = cfg};
	for (int i = 0; i < 8; i++)
		next(&g);
	int64_t cnt = 0;
	int rc = db_query_int(db, "SELECT COUNT(*) FROM hotline_matters", NULL, &cnt);
	if (!rc && cnt == 0)
		rc = hotline_demo_matters(db);
	if (rc || (rc = load(db, &g)) != 0)
		goto out;
	if (!g.nmatters || !g.nunits) {
		fprintf(stderr, "yiwang: gen-orders needs matters and departments (run `yiwang demo` first)\n");
		rc = YW_EINVAL;
		goto out;
	}
	if ((rc = calendar_acquire(db, &g.cal)) != 0)
		goto out;
	int64_t now = yw_now();
	yw_date_t first = date_from_ymd(year, 1, 1), last = date_from_ymd(year, 12, 31), today = date_today_local(now);
	if (last > today)
		last = today;
	if (last < first) {
		fprintf(stderr, "yiwang: %d has not begun\n", year);
		rc = YW_EINVAL;
		calendar_release();
		goto out;
	}
	int surge_week[6];
	for (int i = 0; i < 6; i++)
		surge_week[i] = below(&g, (int)((last - first) / 7) + 1);
	double wsum = 0;
	/* today counts for the part of its office hours (8:00-22:00) gone by; none yet: up to yesterday */
	double part = (double)(now - (hotline_day_end(today) - 86399) - 8 * 3600) / (14.0 * 3600);
	part = part < 0 ? 0 : part > 1 ? 1 : part;
	if (last == today && part == 0)
		last--;
	if (last < first) {
		fprintf(stderr, "yiwang: %d has no day gone by yet\n", year);
		rc = YW_EINVAL;
		calendar_release();
		goto out;
	}
	for (yw_date_t d = first; d <= last; d++)
		wsum += (calendar_is_workday(g.cal, d) ? 1.0 : 0.6) * (d == today ? part : 1.0);
	/* SQLite: a cache of 1 GiB at most for this connection, so the indexes of a year of orders stay
	 * in memory while one transaction writes them (the server's connections keep their own) */
	if (db_engine(db) == DB_SQLITE)
		db_exec(db, "PRAGMA cache_size=-1048576");
	if ((rc = db_begin(db)) != 0) {
		calendar_release();
		goto out;
	}
	g.ins_order = db_prepare(db, "INSERT INTO hotline_orders(number, channel, source_name, category, matter_id, title,"
				     " text, caller_name, caller_phone, address, district, urgent, confidential, state, limit_days,"
				     " limit_hours, created_at, created_day, direct, query_hash, updated_at) VALUES (:number,"
				     " :channel, :source_name, :category, :matter_id, :title, :text, '市民', :caller_phone,"
				     " :address, :district, :urgent, 0, 'pending', :limit_days, :limit_hours, :created_at,"
				     " :created_day, :direct, :query_hash, :created_at) RETURNING id");
	g.fin = db_prepare(db, "UPDATE hotline_orders SET state = :state, unit_id = :unit_id, sign_due_at = :sign_due_at,"
			       " due_at = :due_at, dispatched_at = :dispatched_at, signed_at = :signed_at, replied_at ="
			       " :replied_at, closed_at = :closed_at, visited_at = :visited_at, reply_unit_id = :reply_unit_id,"
			       " reply = :reply, satisfaction = :satisfaction, solved = :solved, reopen_count = :reopen_count,"
			       " return_count = :return_count, updated_at = :updated_at WHERE id = :id");
	g.ins_unit = db_prepare(db, "INSERT INTO hotline_order_units(order_id, unit_id, role, active, dispatched_at,"
				    " signed_at) VALUES (:order_id, :unit_id, 'lead', 1, :dispatched_at, :signed_at)"
				    " ON CONFLICT(order_id, unit_id) DO UPDATE SET active = 1, dispatched_at ="
				    " excluded.dispatched_at, signed_at = excluded.signed_at, replied_at = NULL");
	g.off = db_prepare(db, "UPDATE hotline_order_units SET active = 0 WHERE order_id = :order_id AND unit_id = :unit_id");
	g.ins_step = db_prepare(db, "INSERT INTO hotline_steps(order_id, at, actor, unit_id, action, state_from, state_to,"
				    " data, elapsed, party, party_unit_id, overdue) VALUES (:order_id, :at, :actor, :unit_id,"
				    " :action, :state_from, :state_to, :data, :elapsed, :party, :party_unit_id, :overdue)");
	g.ins_return = db_prepare(db, "INSERT INTO hotline_returns(order_id, unit_id, reason, returned_at, state,"
				      " decided_at) VALUES (:order_id, :unit_id, '该事项不属于本单位职责范围', :returned_at,"
				      " :state, :decided_at)");
	g.ins_ext = db_prepare(db, "INSERT INTO hotline_extensions(order_id, unit_id, days, hours, reason, requested_at,"
				   " state, decided_at, old_due_at, new_due_at) VALUES (:order_id, :unit_id, :days, :hours,"
				   " '需协调多个部门现场核查', :requested_at, :state, :decided_at, :old_due_at, :new_due_at)");
	g.ins_cb = db_prepare(db, "INSERT INTO hotline_callbacks(order_id, at, reached, satisfaction, solved, unit_id)"
				  " VALUES (:order_id, :at, :reached, :satisfaction, :solved, :unit_id)");
	db_stmt_t *serial = db_prepare(db, "INSERT INTO hotline_serials(day, last) VALUES (:day, :last) ON CONFLICT(day)"
					   " DO UPDATE SET last = excluded.last");
	double carry = 0;
	int64_t made = 0;
	for (yw_date_t d = first; d <= last && !rc; d++) {
		double want = n * (calendar_is_workday(g.cal, d) ? 1.0 : 0.6) * (d == today ? part : 1.0) / wsum + carry;
		int k = (int)want;
		if (d == last)
			k = (int)(n - made);

		carry = want - k;
		int64_t base = 0;
		char ds[11], key[9];
		date_format(d, ds);
		snprintf(key, sizeof key, "%.4s%.2s%.2s", ds, ds + 5, ds + 8);
		db_stmt_t *q = db_prepare(db, "SELECT last FROM hotline_serials WHERE day = :day");
		db_bind_text(q, "day", key);
		if (db_one(q) == 0) {
			base = db_col_int(q, 0);
			db_reset(q);
		}
		for (int i = 0; i < k && !rc; i++)
			rc = gen_order(&g, d, now, (int)(base + i + 1), surge_week);
		made += k;
		if (!rc && k > 0) {
			db_bind_text(serial, "day", key);
			db_bind_int(serial, "last", base + k);
			rc = db_run(serial);
		}
	}
	calendar_release();
	if (!rc)
		rc = hls_store_log_reset(db);
	if (rc) {
		db_rollback(db);
		goto out;
	}
	if ((rc = db_commit(db)) != 0)
		goto out;
	snprintf(summary, size,
		 "%lld orders (%lld 直接办结, %lld dispatched, %lld returned, %lld extended, %lld closed), %lld call-backs reaching the citizen"
		 " (%.1f%% satisfied or basically satisfied), %lld 重办, %lld steps",
		 (long long)g.counts[C_ORDERS], (long long)g.counts[C_DIRECT], (long long)g.counts[C_DISPATCHED],
		 (long long)g.counts[C_RETURNED], (long long)g.counts[C_EXTENDED], (long long)g.counts[C_CLOSED],
		 (long long)g.counts[C_CALLBACKS],
		 g.counts[C_CALLBACKS] ? 100.0 * (double)g.counts[C_SATISFIED] / (double)g.counts[C_CALLBACKS] : 0.0,
		 (long long)g.counts[C_REOPENED], (long long)g.counts[C_STEPS]);
out:
	free(g.matters);
	free(g.matter_names);
	free(g.units);
	free(g.districts);
	return rc;
}
