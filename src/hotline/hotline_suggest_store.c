/* The dispatch suggestion's reads and the history import (hotline_suggest_store.h). The orders it
 * learns from are the hotline loop's closed ones (办结 or 回访 done): their matter and their unit
 * are the final ones, after any 改派 (docs/domain.md §9). */
#include "hotline/hotline_suggest_store.h"

#include <stdlib.h>
#include <string.h>

#include "hotline/hotline_csv.h"
#include "platform/audit.h"
#include "platform/err.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

typedef struct {
	hotline_training_t *t;
	size_t cap, tlen, tcap;
	size_t *off; /* text offsets, made pointers at the end (the buffer moves while it grows) */
} loader_t;

static void add(loader_t *l, const char *title, const char *text, int64_t matter, int64_t unit)
{
	hotline_training_t *t = l->t;
	if (t->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		t->samples = xrealloc(t->samples, l->cap * sizeof *t->samples);
		l->off = xrealloc(l->off, l->cap * sizeof *l->off);
	}
	size_t a = strlen(title), b = strlen(text);
	if (a + b + 2 > HOTLINE_SUGGEST_TEXT_CAP) { /* the model reads no further */
		if (a > HOTLINE_SUGGEST_TEXT_CAP / 4)
			a = HOTLINE_SUGGEST_TEXT_CAP / 4;
		if (a + b + 2 > HOTLINE_SUGGEST_TEXT_CAP)
			b = HOTLINE_SUGGEST_TEXT_CAP - a - 2;
	}
	if (l->tlen + a + b + 2 > l->tcap) {
		while (l->tlen + a + b + 2 > l->tcap)
			l->tcap = l->tcap ? l->tcap * 2 : 1 << 20;
		t->text = xrealloc(t->text, l->tcap);
	}
	char *p = t->text + l->tlen;
	memcpy(p, title, a);
	p[a] = '\n';
	memcpy(p + a + 1, text, b);
	p[a + 1 + b] = 0;
	l->off[t->n] = l->tlen;
	t->samples[t->n++] = (hotline_sample_t){NULL, a + 1 + b, matter, unit};
	l->tlen += a + b + 2;
}

int hotline_training_load(db_t *db, size_t max, hotline_training_t *out)
{
	memset(out, 0, sizeof *out);
	loader_t l = {.t = out};
	int rc;
	db_stmt_t *st = db_prepare(db, "SELECT title, text, matter_id, unit_id FROM hotline_orders"
				       " WHERE state IN ('closed', 'visited')"
				       " AND (matter_id IS NOT NULL OR unit_id IS NOT NULL) ORDER BY updated_at DESC, id DESC LIMIT :max");
	db_bind_int(st, "max", (int64_t)max);
	while ((rc = db_step(st)) == DB_ROW)
		add(&l, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
	if (rc != DB_DONE)
		goto done;
	if (out->n < max) {
		st = db_prepare(db, "SELECT title, text, matter_id, unit_id FROM hotline_history"
				    " WHERE matter_id IS NOT NULL OR unit_id IS NOT NULL ORDER BY id DESC LIMIT :max");
		db_bind_int(st, "max", (int64_t)(max - out->n));
		while ((rc = db_step(st)) == DB_ROW)
			add(&l, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2), db_col_int(st, 3));
		if (rc != DB_DONE)
			goto done;
	}
	for (size_t i = 0; i < out->n; i++)
		out->samples[i].text = out->text + l.off[i];
	rc = 0;
done:
	free(l.off);
	if (rc) {
		hotline_training_free(out);
		return rc;
	}
	return 0;
}

void hotline_training_free(hotline_training_t *t)
{
	free(t->samples);
	free(t->text);
	memset(t, 0, sizeof *t);
}

int hotline_training_stamp(db_t *db, int64_t *orders, int64_t *history)
{
	/* Every step of the loop (办结 and 回访 among them) adds a row to hotline_steps, so its last id
	 * moves whenever an order may have closed: one index lookup, however many orders there are. */
	db_stmt_t *st = db_prepare(db, "SELECT (SELECT COALESCE(MAX(id), 0) FROM hotline_steps) AS a,"
				       " (SELECT COUNT(*) FROM hotline_history) AS c,"
				       " (SELECT COALESCE(MAX(id), 0) FROM hotline_history) AS d");
	int rc = db_one(st);
	if (rc)
		return rc;
	*orders = db_col_int(st, 0);
	*history = (db_col_int(st, 1) << 32) ^ db_col_int(st, 2);
	db_reset(st);
	return 0;
}

int hotline_suggest_answer(db_t *db, const hotline_guess_t *matters, size_t nm, const hotline_guess_t *units, size_t nu,
			   size_t k, size_t trained_on, json_t **out)
{
	json_t *jm = json_array(), *ju = json_array();
	int rc = 0;
	for (size_t i = 0; i < nm && json_array_size(jm) < k; i++) {
		db_stmt_t *st = db_prepare(db, "SELECT m.name, COALESCE(p.name, '') AS parent FROM hotline_matters m"
					       " LEFT JOIN hotline_matters p ON p.id = m.parent_id"
					       " WHERE m.id = :id AND m.active = 1");
		db_bind_int(st, "id", matters[i].id);
		rc = db_one(st);
		if (rc == YW_ENOTFOUND)
			continue; /* deleted or deactivated since the model learnt it */
		if (rc)
			goto done;
		char path[512];
		const char *parent = db_col_text(st, 1);
		snprintf(path, sizeof path, "%s%s%s", parent, *parent ? "/" : "", db_col_text(st, 0));
		json_array_append_new(jm, json_pack("{s:I, s:s, s:s, s:f}", "id", (json_int_t)matters[i].id, "name",
						    db_col_text(st, 0), "path", path, "score", matters[i].score));
		db_reset(st);
	}
	for (size_t i = 0; i < nu && json_array_size(ju) < k; i++) {
		db_stmt_t *st = db_prepare(db, "SELECT name FROM departments WHERE id = :id");
		db_bind_int(st, "id", units[i].id);
		rc = db_one(st);
		if (rc == YW_ENOTFOUND)
			continue;
		if (rc)
			goto done;
		json_array_append_new(ju, json_pack("{s:I, s:s, s:f}", "id", (json_int_t)units[i].id, "name",
						    db_col_text(st, 0), "score", units[i].score));
		db_reset(st);
	}
	rc = 0;
	*out = json_pack("{s:o, s:o, s:I}", "matters", jm, "units", ju, "trained_on", (json_int_t)trained_on);
	return 0;
done:
	json_decref(jm);
	json_decref(ju);
	return rc;
}

/* ---- import ---- */

typedef struct {
	int64_t id;
	char *name, *path; /* path: "class/matter"; for a class, its name */
} matter_name_t;

typedef struct {
	int64_t id;
	char *name, *short_name;
} unit_name_t;

typedef struct {
	db_t *db;
	const char *source;
	int64_t now;
	FILE *out, *err;
	matter_name_t *m;
	size_t nm;
	unit_name_t *u;
	size_t nu;
	size_t stored, skipped, in_tx;
	int rc; /* a database failure stops the import */
} importer_t;

static const char *const categories[][2] = {
	{"咨询", "consult"}, {"求助", "help"},	      {"投诉", "complaint"},
	{"举报", "report"},  {"建议", "suggestion"}, {"表扬", "praise"},
};

/* The matter of a name: the "class/matter" path, else a leaf name that only one matter has.
 * 0 when none; -1 when the leaf name is ambiguous. */
static int64_t find_matter(const importer_t *im, const char *s)
{
	int64_t hit = 0;
	for (size_t i = 0; i < im->nm; i++)
		if (strcmp(im->m[i].path, s) == 0)
			return im->m[i].id;
	for (size_t i = 0; i < im->nm; i++)
		if (strcmp(im->m[i].name, s) == 0) {
			if (hit)
				return -1;
			hit = im->m[i].id;
		}
	return hit;
}

static int64_t find_unit(const importer_t *im, const char *s)
{
	for (size_t i = 0; i < im->nu; i++)
		if (strcmp(im->u[i].name, s) == 0)
			return im->u[i].id;
	int64_t hit = 0;
	for (size_t i = 0; i < im->nu; i++)
		if (*im->u[i].short_name && strcmp(im->u[i].short_name, s) == 0) {
			if (hit)
				return 0;
			hit = im->u[i].id;
		}
	return hit;
}

static void report(void *ctx, size_t row, const char *column, const char *reason)
{
	importer_t *im = ctx;
	fprintf(im->err, "第%zu行%s%s：%s\n", row, column ? " " : "", column ? column : "", reason);
	if (row > 1)
		im->skipped++;
}

static int on_row(void *ctx, const hotline_csv_row_t *r)
{
	importer_t *im = ctx;
	const char *mname = r->col[HOTLINE_CSV_MATTER], *uname = r->col[HOTLINE_CSV_UNIT];
	int64_t matter = *mname ? find_matter(im, mname) : 0, unit = *uname ? find_unit(im, uname) : 0;
	if (matter == -1) {
		fprintf(im->err, "第%zu行 matter：事项“%s”有重名，请写成“大类/事项”\n", r->row, mname);
		matter = 0;
	} else if (*mname && !matter)
		fprintf(im->err, "第%zu行 matter：事项“%s”不在事项分类中\n", r->row, mname);
	if (*uname && !unit)
		fprintf(im->err, "第%zu行 unit：承办单位“%s”不是本系统的单位（按单位全称或简称）\n", r->row,
			uname);
	if (!matter && !unit) {
		fprintf(im->err, "第%zu行：事项和承办单位都无法识别，该行未导入\n", r->row);
		im->skipped++;
		return 0;
	}
	const char *cat = "";
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(r->col[HOTLINE_CSV_CATEGORY], categories[i][0]) == 0 ||
		    strcmp(r->col[HOTLINE_CSV_CATEGORY], categories[i][1]) == 0)
			cat = categories[i][1];
	if (im->in_tx == 0 && (im->rc = db_begin(im->db)) != 0)
		return im->rc;
	db_stmt_t *st = db_prepare(im->db, "INSERT INTO hotline_history(title, text, category, matter_id, unit_id,"
					   " created_at, source, imported_at)"
					   " VALUES (:title, :text, :category, :matter, :unit, :created, :source, :now)"
					   " RETURNING id");
	db_bind_text(st, "title", r->col[HOTLINE_CSV_TITLE]);
	db_bind_text(st, "text", r->col[HOTLINE_CSV_TEXT]);
	db_bind_text(st, "category", cat);
	db_bind_id(st, "matter", matter);
	db_bind_id(st, "unit", unit);
	db_bind_id(st, "created", r->created_at);
	db_bind_text(st, "source", im->source);
	db_bind_int(st, "now", im->now);
	int rc = db_one(st);
	if (rc)
		goto fail;
	int64_t id = db_col_int(st, 0);
	db_reset(st);
	if ((rc = audit_record_id(im->db, NULL, "hotline.history.import", "hotline_history", id)) != 0)
		goto fail;
	im->stored++;
	if (++im->in_tx == 1000) {
		if ((rc = db_commit(im->db)) != 0) {
			im->in_tx = 0;
			im->stored -= 1000;
			return im->rc = rc;
		}
		im->in_tx = 0;
	}
	return 0;
fail:
	db_rollback(im->db);
	im->stored -= im->in_tx;
	im->in_tx = 0;
	return im->rc = rc;
}

static int load_names(importer_t *im)
{
	int rc;
	db_stmt_t *st = db_prepare(im->db, "SELECT m.id, m.name, COALESCE(p.name, '') AS parent FROM hotline_matters m"
					   " LEFT JOIN hotline_matters p ON p.id = m.parent_id WHERE m.active = 1"
					   " ORDER BY m.id");
	while ((rc = db_step(st)) == DB_ROW) {
		im->m = xrealloc(im->m, (im->nm + 1) * sizeof *im->m);
		const char *name = db_col_text(st, 1), *parent = db_col_text(st, 2);
		char *path = malloc(strlen(name) + strlen(parent) + 2);
		if (!path)
			abort();
		sprintf(path, "%s%s%s", parent, *parent ? "/" : "", name);
		im->m[im->nm++] = (matter_name_t){db_col_int(st, 0), strdup(name), path};
	}
	if (rc != DB_DONE)
		return rc;
	st = db_prepare(im->db, "SELECT id, name, short_name FROM departments ORDER BY id");
	while ((rc = db_step(st)) == DB_ROW) {
		im->u = xrealloc(im->u, (im->nu + 1) * sizeof *im->u);
		im->u[im->nu++] = (unit_name_t){db_col_int(st, 0), strdup(db_col_text(st, 1)), strdup(db_col_text(st, 2))};
	}
	return rc == DB_DONE ? 0 : rc;
}

int hotline_history_import(db_t *db, FILE *in, const char *source, int64_t now, FILE *out, FILE *err)
{
	importer_t im = {.db = db, .source = source ? source : "", .now = now, .out = out, .err = err};
	int rc = load_names(&im);
	hotline_csv_t *p = NULL;
	if (rc)
		goto done;
	p = hotline_csv_new(on_row, report, &im);
	char buf[65536];
	size_t n;
	while (rc == 0 && (n = fread(buf, 1, sizeof buf, in)) > 0)
		rc = hotline_csv_feed(p, buf, n);
	if (rc == 0 && ferror(in))
		rc = YW_EIO;
	if (rc == 0)
		rc = hotline_csv_finish(p);
	if (im.in_tx > 0) {
		if (rc == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
		if (rc)
			im.stored -= im.in_tx;
	}
	hotline_csv_stats_t stats;
	hotline_csv_stats(p, &stats);
	fprintf(out, "导入 %zu 条，跳过 %zu 条（共读到 %zu 行工单）\n", im.stored, im.skipped, stats.rows);
done:
	hotline_csv_free(p);
	for (size_t i = 0; i < im.nm; i++) {
		free(im.m[i].name);
		free(im.m[i].path);
	}
	for (size_t i = 0; i < im.nu; i++) {
		free(im.u[i].name);
		free(im.u[i].short_name);
	}
	free(im.m);
	free(im.u);
	return rc;
}
