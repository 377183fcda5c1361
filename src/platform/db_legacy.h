/* TRANSITION ONLY (issue 10): the old sqlite3_stmt API, renamed dbl_*, for files not yet moved to
 * db.h. Every use is converted to db.h's named statements and this file is deleted before the
 * storage branch merges. Do not add new uses. */
#ifndef YW_DB_LEGACY_H
#define YW_DB_LEGACY_H
#include <sqlite3.h>

#include "platform/db.h"

sqlite3 *dbl_handle(db_t *db);
/* Parameters $1..$n in order of first use, as before. */
sqlite3_stmt *dbl_prepare(db_t *db, const char *sql);
void dbl_bind_text(sqlite3_stmt *st, int i, const char *s);
void dbl_bind_int(sqlite3_stmt *st, int i, int64_t v);
const char *dbl_col_text(sqlite3_stmt *st, int i); /* "" for NULL */

#endif
