/* The annual report's input read from the disclosure tables (docs/domain.md, "The annual report"):
 * the requests, published documents and remedies of one organ or of the whole government, table 二's
 * entered figures, the 信息处理费 notices, and the 行政许可 decisions, which are the decided cases of
 * 行政许可 items (asked of the cases module: cases_decided_count). Days are the tables' local
 * 'YYYY-MM-DD' text, compared as text. */
#include <stdio.h>
#include <string.h>

#include "cases/cases_store.h"
#include "disclosure/disclosure_report.h"
#include "platform/arena.h"
#include "platform/err.h"

static yw_date_t day_or_none(db_stmt_t *st, int i)
{
	const char *s = db_col_text_or_null(st, i);
	yw_date_t d;
	return s && date_parse(s, strlen(s), &d) == 0 ? d : DREP_NO_DATE;
}

static int organ_name(db_t *db, int64_t dept_id, char *out, size_t size)
{
	db_stmt_t *st;
	if (dept_id > 0) {
		st = db_prepare(db, "SELECT name FROM departments WHERE id = :id");
		db_bind_int(st, "id", dept_id);
	} else {
		/* the whole government is named after the city (the level-1 region) */
		st = db_prepare(db, "SELECT name FROM regions WHERE level = 1 ORDER BY code LIMIT 1");
	}
	int rc = db_one(st);
	if (rc == YW_ENOTFOUND && dept_id <= 0) {
		snprintf(out, size, "本级政府");
		return 0;
	}
	if (rc)
		return rc;
	snprintf(out, size, "%s", db_col_text(st, 0));
	db_reset(st);
	return 0;
}

static int load_requests(db_t *db, int64_t dept_id, const char *from, const char *to, drep_data_t *d)
{
	/* every request received by the year's end and not replied to before last year began (last
	 * year's figures come from the same rows) */
	db_stmt_t *st = db_prepare(db, "SELECT applicant_type, received_date,"
				       " CASE WHEN state = 'replied' THEN reply_date END AS replied, result, due_date"
				       " FROM disclosure_requests"
				       " WHERE (dept_id = :dept OR :dept = 0) AND received_date <= :to"
				       " AND (state <> 'replied' OR reply_date >= :from)");
	db_bind_int(st, "dept", dept_id);
	db_bind_text(st, "to", to);
	db_bind_text(st, "from", from);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int a = drep_applicant_from_code(db_col_text(st, 0));
		yw_date_t received = day_or_none(st, 1), replied = day_or_none(st, 2), due = day_or_none(st, 4);
		int result = replied != DREP_NO_DATE ? drep_result_from_code(db_col_text(st, 3)) : 0;
		if (a < 0 || result < 0 || received == DREP_NO_DATE) {
			db_reset(st);
			return YW_EDB; /* the table's CHECKs allow nothing else */
		}
		if (d->in.n_requests == cap) {
			cap = cap ? cap * 2 : 1024;
			d->requests = xrealloc(d->requests, cap * sizeof *d->requests);
		}
		d->requests[d->in.n_requests++] = (drep_request_t){
			.received = received,
			.decided = replied,
			.applicant = (uint8_t)a,
			.result = (uint8_t)result,
			.late = replied != DREP_NO_DATE && due != DREP_NO_DATE && replied > due,
		};
	}
	return rc < 0 ? rc : 0;
}

static int load_documents(db_t *db, int64_t dept_id, drep_data_t *d)
{
	/* a document counts by its published version (at most one per document): withdrawn documents are
	 * no longer published and not counted */
	db_stmt_t *st = db_prepare(db, "SELECT v.kind, COALESCE(v.written_date, d.first_published_date) AS made,"
				       " COALESCE(d.first_published_date, v.published_date) AS published, v.validity,"
				       " v.validity_date"
				       " FROM disclosure_doc_versions v JOIN disclosure_documents d ON d.id = v.document_id"
				       " WHERE v.state = 'published' AND (d.dept_id = :dept OR :dept = 0)");
	db_bind_int(st, "dept", dept_id);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int kind = drep_doc_kind_from_code(db_col_text(st, 0)), validity = drep_validity_from_code(db_col_text(st, 3));
		if (kind < 0 || validity < 0) {
			db_reset(st);
			return YW_EDB;
		}
		if (d->in.n_documents == cap) {
			cap = cap ? cap * 2 : 256;
			d->documents = xrealloc(d->documents, cap * sizeof *d->documents);
		}
		d->documents[d->in.n_documents++] = (drep_document_t){
			.made = day_or_none(st, 1),
			.published = day_or_none(st, 2),
			.ended = validity != DREP_VALID ? day_or_none(st, 4) : DREP_NO_DATE,
			.kind = (uint8_t)kind,
			.validity = (uint8_t)validity,
		};
	}
	return rc < 0 ? rc : 0;
}

static int load_remedies(db_t *db, int64_t dept_id, const char *from, const char *to, drep_data_t *d)
{
	db_stmt_t *st = db_prepare(db, "SELECT r.stage, r.result, r.filed_date, r.decided_date"
				       " FROM disclosure_remedies r JOIN disclosure_requests q ON q.id = r.request_id"
				       " WHERE (q.dept_id = :dept OR :dept = 0) AND r.filed_date >= :from"
				       " AND r.filed_date <= :to");
	db_bind_int(st, "dept", dept_id);
	db_bind_text(st, "from", from);
	db_bind_text(st, "to", to);
	size_t cap = 0;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int stage = drep_stage_from_code(db_col_text(st, 0)), outcome = drep_outcome_from_code(db_col_text(st, 1));
		if (stage < 0 || outcome < 0) {
			db_reset(st);
			return YW_EDB;
		}
		if (d->in.n_remedies == cap) {
			cap = cap ? cap * 2 : 64;
			d->remedies = xrealloc(d->remedies, cap * sizeof *d->remedies);
		}
		d->remedies[d->in.n_remedies++] = (drep_remedy_t){
			.filed = day_or_none(st, 2),
			.closed = day_or_none(st, 3),
			.stage = (uint8_t)stage,
			.outcome = (uint8_t)outcome,
		};
	}
	return rc < 0 ? rc : 0;
}

/* Table 二 (六), (八): the figures the officer enters (行政处罚, 行政强制, 行政事业性收费 in fen). */
static int load_figures(db_t *db, int64_t dept_id, int year, drep_input_t *in)
{
	db_stmt_t *st = db_prepare(db, "SELECT figure, SUM(value) AS total FROM disclosure_figures"
				       " WHERE year = :year AND (dept_id = :dept OR :dept = 0) GROUP BY figure");
	db_bind_int(st, "year", year);
	db_bind_int(st, "dept", dept_id);
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *f = db_col_text(st, 0);
		int64_t v = db_col_int(st, 1);
		if (strcmp(f, "penalty") == 0)
			in->penalties = v;
		else if (strcmp(f, "coercion") == 0)
			in->coercions = v;
		else if (strcmp(f, "fee_amount") == 0)
			in->fees_fen = v;
	}
	return rc < 0 ? rc : 0;
}

/* 信息处理费 (国办函〔2020〕109号) for section 六: notices sent in the year and their total; fees paid in
 * the year. */
static int load_fees(db_t *db, int64_t dept_id, const char *from, const char *to, drep_input_t *in)
{
	db_stmt_t *st = db_prepare(db,
				   "SELECT COALESCE(SUM(CASE WHEN f.notice_date >= :from AND f.notice_date <= :to THEN 1 ELSE 0 END), 0)"
				   " AS notices,"
				   " COALESCE(SUM(CASE WHEN f.notice_date >= :from AND f.notice_date <= :to THEN f.amount_fen ELSE 0"
				   " END), 0) AS noticed,"
				   " COALESCE(SUM(CASE WHEN f.state = 'paid' AND f.paid_date >= :from AND f.paid_date <= :to"
				   " THEN f.amount_fen ELSE 0 END), 0) AS paid"
				   " FROM disclosure_fees f JOIN disclosure_requests q ON q.id = f.request_id"
				   " WHERE (q.dept_id = :dept OR :dept = 0)");
	db_bind_text(st, "from", from);
	db_bind_text(st, "to", to);
	db_bind_int(st, "dept", dept_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	in->fee_notices = db_col_int(st, 0);
	in->fee_notice_fen = db_col_int(st, 1);
	in->fee_paid_fen = db_col_int(st, 2);
	db_reset(st);
	return 0;
}

/* Last year is compared only when the module's records cover all of it: the first request or
 * document anywhere (the day the city began keeping them here) is before last year began. */
static int records_cover(db_t *db, const char *last_year_start, bool *out)
{
	db_stmt_t *st = db_prepare(db, "SELECT (SELECT MIN(received_date) FROM disclosure_requests) AS r,"
				       " (SELECT MIN(first_published_date) FROM disclosure_documents) AS d");
	int rc = db_one(st);
	if (rc)
		return rc;
	const char *r = db_col_text_or_null(st, 0), *d = db_col_text_or_null(st, 1);
	*out = (r && strcmp(r, last_year_start) < 0) || (d && strcmp(d, last_year_start) < 0);
	db_reset(st);
	return 0;
}

int disclosure_report_load(db_t *db, int64_t dept_id, int year, drep_data_t *out)
{
	memset(out, 0, sizeof *out);
	if (year <= DATE_YEAR_MIN + 1 || year >= DATE_YEAR_MAX)
		return YW_EINVAL;
	if (dept_id < 0)
		dept_id = 0;
	char from[11], to[11], last_from[11];
	date_format(date_from_ymd(year, 1, 1), from);
	date_format(date_from_ymd(year, 12, 31), to);
	date_format(date_from_ymd(year - 1, 1, 1), last_from);
	drep_input_t *in = &out->in;
	in->year = year;
	in->organ = out->organ;
	bool cover = false;
	int rc = organ_name(db, dept_id, out->organ, sizeof out->organ);
	rc = rc ? rc : load_requests(db, dept_id, last_from, to, out);
	rc = rc ? rc : load_documents(db, dept_id, out);
	rc = rc ? rc : load_remedies(db, dept_id, last_from, to, out);
	rc = rc ? rc : cases_decided_count(db, "01", dept_id, from, to, &in->licenses);
	rc = rc ? rc : load_figures(db, dept_id, year, in);
	rc = rc ? rc : load_fees(db, dept_id, from, to, in);
	rc = rc ? rc : records_cover(db, last_from, &cover);
	in->requests = out->requests;
	in->documents = out->documents;
	in->remedies = out->remedies;
	if (rc) {
		disclosure_report_data_free(out);
		return rc;
	}
	if (cover) {
		drep_prev_compute(in, &out->prev);
		in->prev = &out->prev;
	}
	return 0;
}

void disclosure_report_data_free(drep_data_t *d)
{
	free(d->requests);
	free(d->documents);
	free(d->remedies);
	memset(d, 0, sizeof *d);
}

int disclosure_report_for(db_t *db, int64_t dept_id, int year, json_t **out)
{
	drep_data_t d;
	int rc = disclosure_report_load(db, dept_id, year, &d);
	if (rc)
		return rc;
	rc = disclosure_report_build(&d.in, out);
	if (!rc)
		json_object_set_new(*out, "dept_id", dept_id > 0 ? json_integer(dept_id) : json_null());
	disclosure_report_data_free(&d);
	return rc;
}
