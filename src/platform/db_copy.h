/* Copying a whole city between databases (`yiwang copy`, db_copy.c). */
#ifndef YW_DB_COPY_H
#define YW_DB_COPY_H
#include <stdio.h>

#include "platform/db.h"

/* Copies every row of every table of src into dst, which must be migrated to the same schema
 * version and empty, in one transaction on dst; ids are kept. Prints a line per table to
 * progress, and why it refuses to stderr. YW_ECONFLICT when dst is not empty, YW_EINVAL when the schemas differ. */
int db_copy(db_t *src, db_t *dst, FILE *progress);

#endif
