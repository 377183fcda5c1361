/* Each organ's 政府信息公开指南 as stored (disclosure_guides; docs/domain.md §10, "The guide"): the
 * office that takes requests and how to reach it, and the officer's own text. Without a stored
 * guide the department's name, address and phone stand in. The generated parts are
 * disclosure_guide.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/disclosure_guide.h"
#include "platform/audit.h"
#include "platform/clock.h"
#include "platform/err.h"

int disclosure_guide_get(db_t *db, int64_t dept_id, disc_guide_t *g)
{
	memset(g, 0, sizeof *g);
	db_stmt_t *st = db_prepare(db, "SELECT d.name, COALESCE(rg.name, ''), COALESCE(g.office, ''), "
				       "COALESCE(g.address, d.address), COALESCE(g.postcode, ''), COALESCE(g.phone, d.phone), "
				       "COALESCE(g.fax, ''), COALESCE(g.email, ''), COALESCE(g.hours, ''), COALESCE(g.notes, ''), "
				       "COALESCE(g.updated_at, 0), CASE WHEN g.dept_id IS NULL THEN 0 ELSE 1 END AS stored "
				       "FROM departments d LEFT JOIN regions rg ON rg.code = d.region_code "
				       "LEFT JOIN disclosure_guides g ON g.dept_id = d.id WHERE d.id = :id");
	db_bind_int(st, "id", dept_id);
	int rc = db_one(st);
	if (rc)
		return rc;
	g->dept_id = dept_id;
	snprintf(g->organ, sizeof g->organ, "%s", db_col_text(st, 0));
	snprintf(g->region, sizeof g->region, "%s", db_col_text(st, 1));
	snprintf(g->office, sizeof g->office, "%s", db_col_text(st, 2));
	snprintf(g->address, sizeof g->address, "%s", db_col_text(st, 3));
	snprintf(g->postcode, sizeof g->postcode, "%s", db_col_text(st, 4));
	snprintf(g->phone, sizeof g->phone, "%s", db_col_text(st, 5));
	snprintf(g->fax, sizeof g->fax, "%s", db_col_text(st, 6));
	snprintf(g->email, sizeof g->email, "%s", db_col_text(st, 7));
	snprintf(g->hours, sizeof g->hours, "%s", db_col_text(st, 8));
	g->notes = strdup(db_col_text(st, 9));
	g->updated_at = db_col_int(st, 10);
	g->stored = db_col_int(st, 11) != 0;
	db_reset(st);
	return g->notes ? 0 : YW_EIO;
}

int disclosure_guide_save(db_t *db, const auth_user_t *actor, int64_t dept_id, const disc_guide_t *g)
{
	if (db_begin(db))
		return YW_EDB;
	db_stmt_t *st = db_prepare(db, "INSERT INTO disclosure_guides(dept_id, office, address, postcode, phone, fax, email, "
				       "hours, notes, updated_by, updated_at) VALUES (:dept, :office, :address, :postcode, "
				       ":phone, :fax, :email, :hours, :notes, :by, :at) ON CONFLICT(dept_id) DO UPDATE SET "
				       "office = excluded.office, address = excluded.address, postcode = excluded.postcode, "
				       "phone = excluded.phone, fax = excluded.fax, email = excluded.email, "
				       "hours = excluded.hours, notes = excluded.notes, updated_by = excluded.updated_by, "
				       "updated_at = excluded.updated_at");
	db_bind_int(st, "dept", dept_id);
	db_bind_text(st, "office", g->office);
	db_bind_text(st, "address", g->address);
	db_bind_text(st, "postcode", g->postcode);
	db_bind_text(st, "phone", g->phone);
	db_bind_text(st, "fax", g->fax);
	db_bind_text(st, "email", g->email);
	db_bind_text(st, "hours", g->hours);
	db_bind_text(st, "notes", g->notes ? g->notes : "");
	db_bind_id(st, "by", actor ? actor->id : 0);
	db_bind_int(st, "at", yw_now());
	int rc = db_run(st);
	if (!rc)
		rc = audit_record_id(db, actor, "disclosure.guide.save", "disclosure_guides", dept_id);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
