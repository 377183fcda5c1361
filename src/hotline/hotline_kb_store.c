/* The knowledge base's store (hotline_kb.h; docs/domain.md §9 "Knowledge base"): articles, their
 * versions and their uses, each write in one transaction with its audit records. A unit writes and
 * submits its own department's articles; the centre publishes, rejects and withdraws. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_kb.h"
#include "platform/audit.h"
#include "platform/date.h"
#include "platform/err.h"

static int commit_or_rollback(db_t *db, int rc)
{
	if (rc == 0)
		return db_commit(db);
	db_rollback(db);
	return rc;
}

static int forbidden(hotline_ctx_t *x, const char *why)
{
	x->why = why;
	return YW_EFORBIDDEN;
}

static int conflict(hotline_ctx_t *x, const char *why)
{
	x->why = why;
	return YW_ECONFLICT;
}

static void today(int64_t now, char out[11])
{
	date_format(date_today_local(now), out);
}

static bool is_centre(const auth_user_t *u)
{
	return u && (u->roles & (ROLE_CENTER_ADMIN | ROLE_HOTLINE_OPERATOR | ROLE_SUPERVISOR));
}

static const char *state_label(const char *s)
{
	static const struct {
		const char *state, *label;
	} labels[] = {{"draft", "草稿"},         {"submitted", "待审核"}, {"published", "已发布"},
		      {"superseded", "已被新版本替代"}, {"withdrawn", "已撤回"},  {"expired", "已过期"},
		      {"scheduled", "未到生效日期"}};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].state, s) == 0)
			return labels[i].label;
	return s;
}

/* ---- input ---- */

typedef struct kb_in {
	int64_t matter_id;
	const char *title, *question, *answer, *effective_from, *expires_on;
	char keywords[20 * 64];
} kb_in_t;

static const char *opt_date(vctx_t *v, json_t *in, const char *key, bool *given)
{
	json_t *j = json_object_get(in, key);
	*given = j && !json_is_null(j);
	if (!*given)
		return NULL;
	yw_date_t d;
	if (!json_is_string(j) || date_parse(json_string_value(j), json_string_length(j), &d) != 0) {
		v_error(v, key, "日期格式应为YYYY-MM-DD");
		return NULL;
	}
	return json_string_value(j);
}

static void read_article(db_t *db, vctx_t *v, json_t *in, int64_t now, kb_in_t *a, char *today_buf)
{
	memset(a, 0, sizeof *a);
	if (!json_is_object(in)) {
		v_error(v, "", "请求内容应为JSON对象");
		return;
	}
	a->matter_id = v_int(v, in, "matter_id", 1, INT32_MAX, true, 0);
	a->title = v_str(v, in, "title", 4, 100);
	a->question = v_str(v, in, "question", 0, 500);
	a->answer = v_str(v, in, "answer", 10, 4000);
	json_t *kw = v_array(v, in, "keywords", false);
	size_t len = 0, i;
	json_t *e;
	if (kw && json_array_size(kw) > 20)
		v_error(v, "keywords", "关键词最多20个");
	else if (kw)
		json_array_foreach(kw, i, e) {
			char field[32];
			snprintf(field, sizeof field, "keywords[%zu]", i);
			const char *s = json_is_string(e) ? json_string_value(e) : NULL;
			size_t n = s ? utf8_chars(s) : 0;
			if (!s || n < 1 || n > 20 || strpbrk(s, "\n\r\x1f")) {
				v_error(v, field, "关键词应为1至20个字，不含换行");
				continue;
			}
			size_t b = strlen(s);
			if (len + b + 2 > sizeof a->keywords)
				continue;
			memcpy(a->keywords + len, s, b);
			len += b;
			a->keywords[len++] = '\n';
		}
	a->keywords[len ? len - 1 : 0] = 0;
	bool given_from, given_to;
	a->effective_from = opt_date(v, in, "effective_from", &given_from);
	a->expires_on = opt_date(v, in, "expires_on", &given_to);
	today(now, today_buf);
	if (!given_from)
		a->effective_from = today_buf;
	if (a->effective_from && a->expires_on && strcmp(a->expires_on, a->effective_from) < 0)
		v_error(v, "expires_on", "失效日期不能早于生效日期");
	if (given_to && a->expires_on && strcmp(a->expires_on, today_buf) < 0)
		v_error(v, "expires_on", "失效日期已过");
	if (a->matter_id > 0) {
		db_stmt_t *st = db_prepare(db, "SELECT active FROM hotline_matters WHERE id = :id");
		db_bind_int(st, "id", a->matter_id);
		int rc = db_one(st);
		if (rc == YW_ENOTFOUND || (!rc && db_col_int(st, 0) != 1))
			v_error(v, "matter_id", "诉求事项分类不存在或已停用");
		db_reset(st);
	}
}

/* ---- the latest version ---- */

typedef struct latest {
	int64_t article_id, unit_id, version_id, version;
	char state[16];
} latest_t;

/* Several servers on one PostgreSQL: the article's row is locked for the transaction, so two
 * reviews or a review and an edit are taken one after the other (SQLite has one writer). */
static int lock_article(db_t *db, int64_t id)
{
	if (db_engine(db) != DB_POSTGRES)
		return 0;
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_kb_articles WHERE id = :id FOR UPDATE");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (!rc)
		db_reset(st);
	return rc;
}

static int load_latest(db_t *db, int64_t id, latest_t *l)
{
	int rc0 = lock_article(db, id);
	if (rc0)
		return rc0;
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.unit_id, v.id, v.version, v.state FROM hotline_kb_articles a"
				       " JOIN hotline_kb_versions v ON v.article_id = a.id WHERE a.id = :id"
				       " ORDER BY v.version DESC LIMIT 1");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (!rc) {
		l->article_id = db_col_int(st, 0);
		l->unit_id = db_col_int(st, 1);
		l->version_id = db_col_int(st, 2);
		l->version = db_col_int(st, 3);
		snprintf(l->state, sizeof l->state, "%s", db_col_text(st, 4));
	}
	db_reset(st);
	return rc;
}

static int audit_version(db_t *db, hotline_ctx_t *x, const char *action, int64_t version_id)
{
	return audit_record_id(db, x->actor, action, "hotline_kb_versions", version_id);
}

static int insert_version(db_t *db, hotline_ctx_t *x, int64_t article_id, int64_t version, const kb_in_t *a,
			  int64_t *version_id)
{
	db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_kb_versions(article_id, version, matter_id, title, question,"
				       " answer, keywords, effective_from, expires_on, state, created_by, created_at)"
				       " VALUES (:article, :version, :matter, :title, :question, :answer, :keywords, :from,"
				       " :to, 'draft', :by, :now) RETURNING id");
	db_bind_int(st, "article", article_id);
	db_bind_int(st, "version", version);
	db_bind_int(st, "matter", a->matter_id);
	db_bind_text(st, "title", a->title);
	db_bind_text(st, "question", a->question);
	db_bind_text(st, "answer", a->answer);
	db_bind_text(st, "keywords", a->keywords);
	db_bind_text(st, "from", a->effective_from);
	if (a->expires_on)
		db_bind_text(st, "to", a->expires_on);
	else
		db_bind_null(st, "to");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	int rc = db_one(st);
	if (!rc)
		*version_id = db_col_int(st, 0);
	db_reset(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	return audit_version(db, x, "hotline_kb.version", *version_id);
}

int hotline_kb_put(db_t *db, hotline_ctx_t *x, int64_t id, json_t *in, int64_t *id_out)
{
	if (!x->actor || !(x->actor->roles & ROLE_HANDLING_UNIT) || !x->actor->dept_id)
		return forbidden(x, "知识库文章由承办单位撰写");
	kb_in_t a;
	char today_buf[11];
	if (db_begin(db))
		return YW_EDB;
	read_article(db, x->v, in, x->now, &a, today_buf);
	if (!v_ok(x->v))
		return commit_or_rollback(db, YW_EINVAL);
	int rc;
	if (!id) {
		db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_kb_articles(unit_id, created_by, created_at, updated_at)"
					       " VALUES (:unit, :by, :now, :now) RETURNING id");
		db_bind_int(st, "unit", x->actor->dept_id);
		db_bind_id(st, "by", x->actor->id);
		db_bind_int(st, "now", x->now);
		rc = db_one(st);
		if (!rc)
			*id_out = db_col_int(st, 0);
		db_reset(st);
		if (rc)
			return commit_or_rollback(db, rc == YW_ENOTFOUND ? YW_EDB : rc);
		int64_t vid;
		rc = audit_record_id(db, x->actor, "hotline_kb.create", "hotline_kb_articles", *id_out);
		if (!rc)
			rc = insert_version(db, x, *id_out, 1, &a, &vid);
		return commit_or_rollback(db, rc);
	}
	latest_t l;
	if ((rc = load_latest(db, id, &l)) != 0)
		return commit_or_rollback(db, rc);
	*id_out = id;
	if (l.unit_id != x->actor->dept_id)
		return commit_or_rollback(db, forbidden(x, "只能编辑本单位的知识库文章"));
	if (strcmp(l.state, "draft") != 0)
		return commit_or_rollback(db, conflict(x, "只有草稿可以修改；已发布的文章请先生成新版本"));
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_kb_versions SET matter_id = :matter, title = :title, question ="
				       " :question, answer = :answer, keywords = :keywords, effective_from = :from,"
				       " expires_on = :to, created_by = :by, created_at = :now WHERE id = :id");
	db_bind_int(st, "matter", a.matter_id);
	db_bind_text(st, "title", a.title);
	db_bind_text(st, "question", a.question);
	db_bind_text(st, "answer", a.answer);
	db_bind_text(st, "keywords", a.keywords);
	db_bind_text(st, "from", a.effective_from);
	if (a.expires_on)
		db_bind_text(st, "to", a.expires_on);
	else
		db_bind_null(st, "to");
	db_bind_id(st, "by", x->actor->id);
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", l.version_id);
	rc = db_run(st);
	if (!rc)
		rc = audit_version(db, x, "hotline_kb.edit", l.version_id);
	return commit_or_rollback(db, rc);
}

static int set_state(db_t *db, hotline_ctx_t *x, int64_t version_id, const char *state, const char *note,
		     const char *action)
{
	db_stmt_t *st;
	if (strcmp(state, "submitted") == 0)
		st = db_prepare(db, "UPDATE hotline_kb_versions SET state = 'submitted', submitted_by = :by, submitted_at ="
				    " :now, note = :note WHERE id = :id");
	else if (strcmp(state, "withdrawn") == 0)
		st = db_prepare(db, "UPDATE hotline_kb_versions SET state = 'withdrawn', withdrawn_by = :by, withdrawn_at ="
				    " :now, note = :note WHERE id = :id");
	else if (strcmp(state, "published") == 0)
		st = db_prepare(db, "UPDATE hotline_kb_versions SET state = 'published', reviewed_by = :by, reviewed_at ="
				    " :now, note = :note WHERE id = :id");
	else /* rejected: back to the unit as a draft */
		st = db_prepare(db, "UPDATE hotline_kb_versions SET state = 'draft', reviewed_by = :by, reviewed_at ="
				    " :now, note = :note WHERE id = :id");
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	db_bind_text(st, "note", note);
	db_bind_int(st, "id", version_id);
	int rc = db_run(st);
	return rc ? rc : audit_version(db, x, action, version_id);
}

static int touch(db_t *db, hotline_ctx_t *x, int64_t article_id)
{
	db_stmt_t *st = db_prepare(db, "UPDATE hotline_kb_articles SET updated_at = :now WHERE id = :id");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", article_id);
	int rc = db_run(st);
	return rc ? rc : audit_record_id(db, x->actor, "hotline_kb.update", "hotline_kb_articles", article_id);
}

/* The article's published version, if any (0). */
static int published_version(db_t *db, int64_t article_id, int64_t *vid)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_kb_versions WHERE article_id = :id AND state = 'published'");
	db_bind_int(st, "id", article_id);
	int rc = db_one(st);
	*vid = rc ? 0 : db_col_int(st, 0);
	db_reset(st);
	return rc == YW_ENOTFOUND ? 0 : rc;
}

int hotline_kb_act(db_t *db, hotline_ctx_t *x, int64_t id, enum hotline_kb_action act, json_t *in)
{
	const char *note = "";
	if (act == KB_APPROVE || act == KB_REJECT || act == KB_WITHDRAW) {
		note = v_str(x->v, in, "note", 0, 500);
		if (act != KB_APPROVE && utf8_chars(note) < 2)
			v_error(x->v, "note", act == KB_REJECT ? "退回须说明理由" : "撤回须说明理由");
	}
	if (!v_ok(x->v))
		return YW_EINVAL;
	bool unit_act = act == KB_SUBMIT || act == KB_NEW_VERSION;
	if (db_begin(db))
		return YW_EDB;
	latest_t l;
	int rc = load_latest(db, id, &l);
	if (rc)
		return commit_or_rollback(db, rc);
	if (unit_act && (!x->actor || l.unit_id != x->actor->dept_id))
		return commit_or_rollback(db, is_centre(x->actor) || (x->actor && (x->actor->roles & ROLE_HANDLING_UNIT))
							  ? forbidden(x, "只能提交本单位的知识库文章")
							  : YW_ENOTFOUND);
	int64_t pub = 0, vid;
	bool bump = false;
	switch (act) {
	case KB_SUBMIT:
		if (strcmp(l.state, "draft") != 0)
			rc = conflict(x, "只有草稿可以提交审核");
		else
			rc = set_state(db, x, l.version_id, "submitted", "", "hotline_kb.submit");
		break;
	case KB_APPROVE:
	case KB_REJECT:
		if (strcmp(l.state, "submitted") != 0) {
			rc = conflict(x, "该文章没有待审核的版本");
			break;
		}
		if (act == KB_REJECT) {
			rc = set_state(db, x, l.version_id, "draft", note, "hotline_kb.reject");
			break;
		}
		if ((rc = published_version(db, id, &pub)) != 0)
			break;
		if (pub) {
			db_stmt_t *st = db_prepare(db, "UPDATE hotline_kb_versions SET state = 'superseded' WHERE id = :id");
			db_bind_int(st, "id", pub);
			if ((rc = db_run(st)) != 0 || (rc = audit_version(db, x, "hotline_kb.supersede", pub)) != 0)
				break;
		}
		rc = set_state(db, x, l.version_id, "published", note, "hotline_kb.publish");
		bump = true;
		break;
	case KB_WITHDRAW:
		if ((rc = published_version(db, id, &pub)) != 0)
			break;
		if (!pub) {
			rc = conflict(x, "该文章没有已发布的版本");
			break;
		}
		rc = set_state(db, x, pub, "withdrawn", note, "hotline_kb.withdraw");
		bump = true;
		break;
	case KB_NEW_VERSION: {
		if (strcmp(l.state, "published") != 0 && strcmp(l.state, "withdrawn") != 0) {
			rc = conflict(x, "已有未发布的版本，请编辑该版本");
			break;
		}
		db_stmt_t *st = db_prepare(db, "INSERT INTO hotline_kb_versions(article_id, version, matter_id, title,"
					       " question, answer, keywords, effective_from, expires_on, state, created_by,"
					       " created_at) SELECT article_id, version + 1, matter_id, title, question,"
					       " answer, keywords, effective_from, expires_on, 'draft', :by, :now"
					       " FROM hotline_kb_versions WHERE id = :id RETURNING id");
		db_bind_id(st, "by", x->actor->id);
		db_bind_int(st, "now", x->now);
		db_bind_int(st, "id", l.version_id);
		rc = db_one(st);
		vid = rc ? 0 : db_col_int(st, 0);
		db_reset(st);
		if (!rc)
			rc = audit_version(db, x, "hotline_kb.version", vid);
		break;
	}
	}
	if (!rc)
		rc = touch(db, x, id);
	if (!rc && bump)
		rc = db_bump_generation(db, "hotline_kb");
	return commit_or_rollback(db, rc);
}

/* ---- reading ---- */

#define VERSION_COLS                                                                                                   \
	"v.id, v.version, v.matter_id, m.name, v.title, v.question, v.answer, v.keywords, v.effective_from,"          \
	" v.expires_on, v.state, v.note, v.created_at, cu.name, v.submitted_at, v.reviewed_at, ru.name, v.withdrawn_at"

static json_t *keywords_json(const char *s)
{
	json_t *a = json_array();
	while (s && *s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		if (n)
			json_array_append_new(a, json_stringn(s, n));
		s = nl ? nl + 1 : s + n;
	}
	return a;
}

static json_t *opt_int(db_stmt_t *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_integer(db_col_int(st, i));
}

static json_t *opt_text(db_stmt_t *st, int i)
{
	return db_col_null(st, i) ? json_null() : json_string(db_col_text(st, i));
}

/* What a published version's dates make of it today: published, expired or scheduled. */
static const char *status_of(const char *state, const char *from, const char *to, const char *day)
{
	if (strcmp(state, "published") != 0)
		return state;
	if (to && *to && strcmp(to, day) < 0)
		return "expired";
	if (strcmp(from, day) > 0)
		return "scheduled";
	return "published";
}

static json_t *version_json(db_stmt_t *st, int o, const char *day)
{
	const char *state = db_col_text(st, o + 10);
	const char *status = status_of(state, db_col_text(st, o + 8), db_col_text_or_null(st, o + 9), day);
	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:s, s:I, s:o,"
			 " s:o, s:o, s:o, s:o}",
			 "version_id", (json_int_t)db_col_int(st, o), "version", (json_int_t)db_col_int(st, o + 1),
			 "matter_id", opt_int(st, o + 2), "matter", opt_text(st, o + 3), "title", db_col_text(st, o + 4),
			 "question", db_col_text(st, o + 5), "answer", db_col_text(st, o + 6), "keywords",
			 keywords_json(db_col_text(st, o + 7)), "effective_from", db_col_text(st, o + 8), "expires_on",
			 opt_text(st, o + 9), "state", state, "state_label", state_label(state), "status", status,
			 "status_label", state_label(status), "served", strcmp(status, "published") == 0, "note",
			 db_col_text(st, o + 11), "created_at", (json_int_t)db_col_int(st, o + 12), "created_by",
			 opt_text(st, o + 13), "submitted_at", opt_int(st, o + 14), "reviewed_at", opt_int(st, o + 15),
			 "reviewed_by", opt_text(st, o + 16), "withdrawn_at", opt_int(st, o + 17));
}

int hotline_kb_get(db_t *db, const auth_user_t *actor, int64_t now, int64_t id, json_t **out)
{
	char day[11];
	today(now, day);
	db_stmt_t *st = db_prepare(db, "SELECT a.id, a.unit_id, d.name, a.uses, a.last_used_at, a.created_at, a.updated_at"
				       " FROM hotline_kb_articles a JOIN departments d ON d.id = a.unit_id WHERE a.id = :id");
	db_bind_int(st, "id", id);
	int rc = db_one(st);
	if (rc) {
		db_reset(st);
		return rc;
	}
	int64_t unit_id = db_col_int(st, 1);
	json_t *o = json_pack("{s:I, s:I, s:s, s:I, s:o, s:I, s:I}", "id", (json_int_t)id, "unit_id", (json_int_t)unit_id,
			      "unit", db_col_text(st, 2), "uses", (json_int_t)db_col_int(st, 3), "last_used_at",
			      opt_int(st, 4), "created_at", (json_int_t)db_col_int(st, 5), "updated_at",
			      (json_int_t)db_col_int(st, 6));
	db_reset(st);
	bool own = actor && (actor->roles & ROLE_HANDLING_UNIT) && actor->dept_id == unit_id;
	bool all = own || is_centre(actor);
	st = db_prepare(db, "SELECT " VERSION_COLS " FROM hotline_kb_versions v"
			    " LEFT JOIN hotline_matters m ON m.id = v.matter_id LEFT JOIN users cu ON cu.id = v.created_by"
			    " LEFT JOIN users ru ON ru.id = v.reviewed_by WHERE v.article_id = :id ORDER BY v.version DESC");
	db_bind_int(st, "id", id);
	json_t *versions = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		if (!all && strcmp(db_col_text(st, 10), "published") != 0)
			continue;
		json_array_append_new(versions, version_json(st, 0, day));
	}
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(versions);
		json_decref(o);
		return YW_EDB;
	}
	if (!json_array_size(versions)) { /* another unit's article that is not published */
		json_decref(versions);
		json_decref(o);
		return YW_ENOTFOUND;
	}
	/* the article shows its latest version's content; the published one is named apart */
	json_object_update(o, json_array_get(versions, 0));
	json_object_del(o, "version_id");
	json_t *pub = NULL;
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v)
		if (strcmp(json_string_value(json_object_get(v, "state")), "published") == 0)
			pub = v;
	json_object_set_new(o, "published_version", pub ? json_incref(json_object_get(pub, "version")) : json_null());
	json_object_set_new(o, "served", json_boolean(pub && json_is_true(json_object_get(pub, "served"))));
	json_object_set_new(o, "versions", versions);
	json_object_set_new(o, "can_edit", json_boolean(own));
	*out = o;
	return 0;
}

int hotline_kb_list(db_t *db, const auth_user_t *actor, int64_t now, const char *state, int64_t page, int64_t size,
		    json_t **out)
{
	char day[11];
	today(now, day);
	bool centre = is_centre(actor);
	int64_t dept = actor && (actor->roles & ROLE_HANDLING_UNIT) ? actor->dept_id : 0;
	/* each article once, by its latest version (or, for another unit's article, its published one) */
	db_stmt_t *st = db_prepare(
		db, "SELECT a.id, a.unit_id, d.name, a.uses, a.updated_at, " VERSION_COLS " FROM hotline_kb_articles a"
		    " JOIN departments d ON d.id = a.unit_id JOIN hotline_kb_versions v ON v.article_id = a.id"
		    " LEFT JOIN hotline_matters m ON m.id = v.matter_id LEFT JOIN users cu ON cu.id = v.created_by"
		    " LEFT JOIN users ru ON ru.id = v.reviewed_by"
		    " WHERE v.version = (SELECT MAX(w.version) FROM hotline_kb_versions w WHERE w.article_id = a.id"
		    " AND (w.state = 'published' OR :centre = 1 OR a.unit_id = :dept))"
		    " AND (v.state = :state OR :state = '' OR (:state = 'expired' AND v.state = 'published'"
		    " AND v.expires_on < :day))"
		    " ORDER BY a.updated_at DESC, a.id DESC");
	db_bind_int(st, "centre", centre);
	db_bind_int(st, "dept", dept);
	db_bind_text(st, "state", state);
	db_bind_text(st, "day", day);
	json_t *items = json_array();
	int64_t total = 0, skip = (page - 1) * size;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *v = version_json(st, 5, day);
		const char *status = json_string_value(json_object_get(v, "status"));
		if (strcmp(state, "published") == 0 && strcmp(status, "published") != 0) {
			json_decref(v);
			continue;
		}
		total++;
		if (total <= skip || (int64_t)json_array_size(items) >= size) {
			json_decref(v);
			continue;
		}
		json_object_del(v, "version_id");
		json_object_set_new(v, "id", json_integer(db_col_int(st, 0)));
		json_object_set_new(v, "unit_id", json_integer(db_col_int(st, 1)));
		json_object_set_new(v, "unit", json_string(db_col_text(st, 2)));
		json_object_set_new(v, "uses", json_integer(db_col_int(st, 3)));
		json_object_set_new(v, "updated_at", json_integer(db_col_int(st, 4)));
		json_object_del(v, "answer");
		json_array_append_new(items, v);
	}
	db_reset(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return YW_EDB;
	}
	*out = json_pack("{s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page", (json_int_t)page, "page_size",
			 (json_int_t)size, "items", items);
	return 0;
}

int hotline_kb_cite(db_t *db, hotline_ctx_t *x, int64_t article_id, int64_t order_id)
{
	char day[11];
	today(x->now, day);
	db_stmt_t *st = db_prepare(db, "SELECT id FROM hotline_kb_versions WHERE article_id = :id AND state = 'published'"
				       " AND effective_from <= :day AND (expires_on IS NULL OR expires_on >= :day)");
	db_bind_int(st, "id", article_id);
	db_bind_text(st, "day", day);
	int rc = db_one(st);
	int64_t vid = rc ? 0 : db_col_int(st, 0);
	db_reset(st);
	if (rc == YW_ENOTFOUND) {
		v_error(x->v, "article_id", "知识库文章不存在、未发布或不在有效期内");
		return YW_EINVAL;
	}
	if (rc)
		return rc;
	st = db_prepare(db, "INSERT INTO hotline_kb_uses(article_id, version_id, order_id, used_by, used_at)"
			    " VALUES (:article, :version, :order_id, :by, :now) RETURNING id");
	db_bind_int(st, "article", article_id);
	db_bind_int(st, "version", vid);
	db_bind_int(st, "order_id", order_id);
	db_bind_id(st, "by", x->actor ? x->actor->id : 0);
	db_bind_int(st, "now", x->now);
	rc = db_one(st);
	int64_t use_id = rc ? 0 : db_col_int(st, 0);
	db_reset(st);
	if (rc)
		return rc == YW_ENOTFOUND ? YW_EDB : rc;
	if ((rc = audit_record_id(db, x->actor, "hotline_kb.use", "hotline_kb_uses", use_id)) != 0)
		return rc;
	st = db_prepare(db, "UPDATE hotline_kb_articles SET uses = uses + 1, last_used_at = :now WHERE id = :id");
	db_bind_int(st, "now", x->now);
	db_bind_int(st, "id", article_id);
	if ((rc = db_run(st)) != 0 ||
	    (rc = audit_record_id(db, x->actor, "hotline_kb.use", "hotline_kb_articles", article_id)) != 0)
		return rc;
	return db_bump_generation(db, "hotline_kb");
}

int hotline_kb_order_article(db_t *db, int64_t order_id, json_t **out)
{
	db_stmt_t *st = db_prepare(db, "SELECT u.article_id, v.version, v.title FROM hotline_kb_uses u"
				       " JOIN hotline_kb_versions v ON v.id = u.version_id WHERE u.order_id = :id");
	db_bind_int(st, "id", order_id);
	int rc = db_one(st);
	*out = rc ? NULL
		  : json_pack("{s:I, s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "version",
			      (json_int_t)db_col_int(st, 1), "title", db_col_text(st, 2));
	db_reset(st);
	return rc == YW_ENOTFOUND ? 0 : rc;
}

int hotline_kb_store_published_each(db_t *db, int (*fn)(void *arg, const hotline_kb_row_t *r), void *arg)
{
	db_stmt_t *st = db_prepare(db, "SELECT a.id, v.version, v.matter_id, a.unit_id, a.uses, v.title, v.question,"
				       " v.answer, v.keywords, m.name, d.name, v.effective_from, v.expires_on"
				       " FROM hotline_kb_versions v JOIN hotline_kb_articles a ON a.id = v.article_id"
				       " JOIN departments d ON d.id = a.unit_id LEFT JOIN hotline_matters m ON m.id ="
				       " v.matter_id WHERE v.state = 'published' ORDER BY a.id");
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		hotline_kb_row_t r = {db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3),
				      db_col_int(st, 4), db_col_text(st, 5), db_col_text(st, 6), db_col_text(st, 7),
				      db_col_text(st, 8), db_col_text(st, 9), db_col_text(st, 10), db_col_text(st, 11),
				      db_col_text(st, 12)};
		int s = fn(arg, &r);
		if (s) {
			db_reset(st);
			return s < 0 ? s : 0;
		}
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : YW_EDB;
}

int hotline_kb_store_generation(db_t *db, int64_t *gen)
{
	return db_generation(db, "hotline_kb", gen);
}
