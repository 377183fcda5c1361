/* The annual reports the officers edit and publish (disclosure_reports; docs/domain.md, "The
 * annual report"): one per organ and year, holding the report as last saved (the generated figures
 * with the officer's text), and, once published, the proactive-disclosure document (主动公开) it is
 * published as. Its state is its document's: none yet (draft), under 保密审查 (review), returned by
 * the review (draft again), published, withdrawn. A report submitted or published never changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure_report.h"
#include "disclosure/disclosure_store.h"
#include "files/files.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"

/* The state of a report whose document is document_id (0: none). */
static int report_state(db_t *db, int64_t document_id, char state[12])
{
	if (!document_id) {
		snprintf(state, 12, "draft");
		return 0;
	}
	db_stmt_t *st = db_prepare(db, "SELECT state FROM disclosure_doc_versions WHERE document_id = :id "
				       "ORDER BY version DESC LIMIT 1");
	db_bind_int(st, "id", document_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	const char *s = db_col_text(st, 0);
	/* a version superseded is followed by a newer one; published and withdrawn are final */
	snprintf(state, 12, "%s", strcmp(s, "superseded") == 0 ? "published" : s);
	db_reset(st);
	return 0;
}

void disclosure_annual_free(drep_stored_t *r)
{
	json_decref(r->content);
	r->content = NULL;
}

int disclosure_annual_get(db_t *db, int64_t dept_id, int year, drep_stored_t *out)
{
	memset(out, 0, sizeof *out);
	db_stmt_t *st;
	if (dept_id > 0) {
		st = db_prepare(db, "SELECT r.id, COALESCE(r.document_id, 0), r.content, COALESCE(r.updated_by, 0), "
				    "r.updated_at, COALESCE(u.name, '') FROM disclosure_reports r LEFT JOIN users u "
				    "ON u.id = r.updated_by WHERE r.dept_id = :dept AND r.year = :year");
		db_bind_int(st, "dept", dept_id);
	} else {
		st = db_prepare(db, "SELECT r.id, COALESCE(r.document_id, 0), r.content, COALESCE(r.updated_by, 0), "
				    "r.updated_at, COALESCE(u.name, '') FROM disclosure_gov_reports r LEFT JOIN users u "
				    "ON u.id = r.updated_by WHERE r.year = :year");
	}
	db_bind_int(st, "year", year);
	int rc = db_one(st);
	if (rc)
		return rc;
	out->id = db_col_int(st, 0);
	out->document_id = db_col_int(st, 1);
	out->content = json_loads(db_col_text(st, 2), 0, NULL);
	out->updated_by = db_col_int(st, 3);
	out->updated_at = db_col_int(st, 4);
	snprintf(out->updated_by_name, sizeof out->updated_by_name, "%s", db_col_text(st, 5));
	db_reset(st);
	if (!out->content)
		return YW_EDB;
	if ((rc = report_state(db, out->document_id, out->state)) != 0)
		disclosure_annual_free(out);
	return rc;
}

int disclosure_annual_save(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, const json_t *content,
			   const char **why)
{
	if (db_begin(db))
		return YW_EDB;
	drep_stored_t old;
	int rc = disclosure_annual_get(db, dept_id, year, &old);
	if (rc == 0) {
		bool open = strcmp(old.state, "draft") == 0;
		disclosure_annual_free(&old);
		if (!open) {
			*why = "年度报告已提交保密审查或已公开，不能再修改";
			db_rollback(db);
			return YW_ECONFLICT;
		}
	} else if (rc != YW_ENOTFOUND) {
		db_rollback(db);
		return rc;
	}
	char *text = json_dumps(content, JSON_COMPACT);
	db_stmt_t *st;
	if (dept_id > 0) {
		st = db_prepare(db, "INSERT INTO disclosure_reports(dept_id, year, content, updated_by, updated_at) "
				    "VALUES (:dept, :year, :content, :by, :at) ON CONFLICT(dept_id, year) DO UPDATE "
				    "SET content = excluded.content, updated_by = excluded.updated_by, "
				    "updated_at = excluded.updated_at RETURNING id");
		db_bind_int(st, "dept", dept_id);
	} else {
		st = db_prepare(db, "INSERT INTO disclosure_gov_reports(year, content, updated_by, updated_at) "
				    "VALUES (:year, :content, :by, :at) ON CONFLICT(year) DO UPDATE "
				    "SET content = excluded.content, updated_by = excluded.updated_by, "
				    "updated_at = excluded.updated_at RETURNING id");
	}
	db_bind_int(st, "year", year);
	db_bind_text(st, "content", text ? text : "{}");
	db_bind_id(st, "by", actor ? actor->id : 0);
	db_bind_int(st, "at", yw_now());
	rc = db_one(st);
	free(text);
	int64_t id = 0;
	if (rc == 0) {
		id = db_col_int(st, 0);
		db_reset(st);
		rc = audit_record_id(db, actor, "disclosure.report.save", dept_id > 0 ? "disclosure_reports" : "disclosure_gov_reports",
				     id);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

static int default_category(db_t *db, int64_t *id)
{
	db_stmt_t *st = db_prepare(db, "SELECT id FROM disclosure_categories WHERE code = 'annual_report' AND active = 1");
	int rc = db_one(st);
	if (rc == 0) {
		*id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

static int organ_exists(db_t *db, int64_t dept_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT 1 FROM departments WHERE id = :id");
	db_bind_int(st, "id", dept_id);
	int rc = db_one(st);
	if (rc == 0)
		db_reset(st);
	return rc;
}

static int document_organ(db_t *db, int64_t document_id, int64_t *dept_id)
{
	db_stmt_t *st = db_prepare(db, "SELECT dept_id FROM disclosure_documents WHERE id = :id");
	db_bind_int(st, "id", document_id);
	int rc = db_one(st);
	if (rc == 0) {
		*dept_id = db_col_int(st, 0);
		db_reset(st);
	}
	return rc;
}

static int link_document(db_t *db, const auth_user_t *actor, bool gov, int64_t id, int64_t document_id)
{
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = gov ? db_prepare(db, "UPDATE disclosure_gov_reports SET document_id = :doc WHERE id = :id")
			    : db_prepare(db, "UPDATE disclosure_reports SET document_id = :doc WHERE id = :id");
	db_bind_int(st, "doc", document_id);
	db_bind_int(st, "id", id);
	int rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "disclosure.report.publish", gov ? "disclosure_gov_reports" : "disclosure_reports",
				     id);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int disclosure_annual_publish(db_t *db, const auth_user_t *actor, int64_t dept_id, int year, const char *xlsx_sha,
			      size_t xlsx_size, const char *xlsx_mime, int64_t category_id, int64_t publisher_id, vctx_t *v,
			      char *why, size_t why_size)
{
	/* the organ whose document it is: the report's own, or for the whole government's the organ
	 * publishing it on the government's behalf (given on the first publication, then the document's) */
	int64_t organ_id = dept_id;
	drep_stored_t r;
	int rc = disclosure_annual_get(db, dept_id, year, &r);
	if (rc == YW_ENOTFOUND) {
		snprintf(why, why_size, "请先保存年度报告，再提交公开");
		return YW_ECONFLICT;
	}
	if (rc)
		return rc;
	char failed[400];
	if (strcmp(r.state, "draft") != 0) {
		snprintf(why, why_size, "年度报告已提交保密审查或已公开");
		rc = YW_ECONFLICT;
	} else if (!disclosure_report_checks_ok(r.content, failed, sizeof failed)) {
		snprintf(why, why_size, "年度报告未通过校验（%s），请核对后再公开", failed);
		rc = YW_ECONFLICT;
	} else if (!category_id && (rc = default_category(db, &category_id)) == YW_ENOTFOUND) {
		v_error(v, "category_id", "请选择主题分类（“政府信息公开年报”分类已停用）");
		rc = YW_EINVAL;
	} else if (dept_id <= 0 && r.document_id) {
		rc = document_organ(db, r.document_id, &organ_id);
	} else if (dept_id <= 0 && !(organ_id = publisher_id)) {
		v_error(v, "publisher_dept_id", "请选择代表本级政府发布年度报告的机关");
		rc = YW_EINVAL;
	} else if (dept_id <= 0 && (rc = organ_exists(db, organ_id)) == YW_ENOTFOUND) {
		v_error(v, "publisher_dept_id", "没有这个机关");
		rc = YW_EINVAL;
	}
	char *body = rc ? NULL : disclosure_report_text(r.content);
	if (!rc && !body)
		rc = YW_EIO;
	const char *title = json_string_value(json_object_get(r.content, "title"));
	const char *organ = json_string_value(json_object_get(r.content, "organ"));
	json_t *up = NULL;
	if (!rc) {
		char name[300];
		snprintf(name, sizeof name, "%.*s统计表.xlsx", 200, title ? title : "年度报告");
		rc = files_upload_create(db, actor, xlsx_sha, xlsx_size, xlsx_mime, name, &up);
	}
	int64_t doc = r.document_id;
	if (!rc) {
		char today[11];
		date_format(date_today_local(yw_now()), today);
		json_t *in = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[O]}", "dept_id",
				       (json_int_t)organ_id, "category_id", (json_int_t)category_id, "title",
				       title ? title : "", "doc_no", "", "publisher", organ ? organ : "", "written_date",
				       today, "topic", "政府信息公开", "keywords", "政府信息公开工作年度报告", "kind", "other",
				       "body", body, "attachments", json_object_get(up, "id"));
		if (doc)
			rc = disclosure_doc_edit(db, actor, doc, in, v);
		else if ((rc = disclosure_doc_create(db, actor, in, v, &doc)) == 0)
			rc = link_document(db, actor, dept_id <= 0, r.id, doc);
		json_decref(in);
	}
	if (!rc) {
		const char *w = NULL;
		json_t *none = json_object();
		rc = disclosure_doc_act(db, actor, doc, DDS_SUBMIT, none, v, &w);
		json_decref(none);
		if (w)
			snprintf(why, why_size, "%s", w);
	}
	json_decref(up);
	free(body);
	disclosure_annual_free(&r);
	return rc;
}
