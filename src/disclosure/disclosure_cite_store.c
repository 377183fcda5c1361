/* Published documents of 主动公开 by what cites them (docs/api.md "Disclosure", /lookup): a 文号
 * or a title, as an item guide's 设定依据 names its policy documents. The catalogue does not read
 * disclosure tables (docs/architecture.md): the guide page asks here. */
#include <string.h>

#include "disclosure/disclosure_codes.h"
#include "disclosure/disclosure_guide.h"
#include "platform/err.h"

int disclosure_docs_cited(db_t *db, const char *const *refs, size_t n, json_t **out)
{
	json_t *items = json_array();
	db_stmt_t *st = db_prepare(db, "SELECT d.id, v.title, v.doc_no, dp.name, COALESCE(v.published_date, ''), v.validity "
				       "FROM disclosure_doc_versions v JOIN disclosure_documents d ON d.id = v.document_id "
				       "JOIN departments dp ON dp.id = d.dept_id WHERE v.state = 'published' "
				       "AND (v.doc_no = :ref OR v.title = :ref) ORDER BY v.published_date DESC, d.id DESC LIMIT 5");
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		db_bind_text(st, "ref", refs[i]);
		while ((rc = db_step(st)) == DB_ROW) {
			const char *validity = db_col_text(st, 5);
			json_array_append_new(items, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "ref", refs[i], "id",
							       (json_int_t)db_col_int(st, 0), "title", db_col_text(st, 1),
							       "doc_no", db_col_text(st, 2), "dept", db_col_text(st, 3),
							       "published_date", db_col_text(st, 4), "validity", validity,
							       "validity_label", disc_validity_label(disc_validity_find(validity)) ?: ""));
		}
		rc = rc < 0 ? rc : 0;
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}
